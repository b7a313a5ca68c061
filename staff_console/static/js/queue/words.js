// Status lines, written as a person would say them ("A-001 completed: referred to
// housing"), and the outcome vocabulary, from GET /api/v1/outcomes (plain labels).
import { ApiError, api } from "../api.js";
import { clock, label } from "../base.js";

const lowerFirst = (text) => (text ? text[0].toLowerCase() + text.slice(1) : "");

// What a manager may choose, and which choices need a detail: the server's list.
export const vocabulary = { outcomes: [], crisisReferrals: [] };

export async function loadVocabulary() {
  for (let wait = 1000; ; wait = Math.min(wait * 2, 30000)) {
    try {
      const found = await api("GET", "/api/v1/outcomes", { background: true });
      vocabulary.outcomes = found.outcomes;
      vocabulary.crisisReferrals = found.crisis_referrals;
      return;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      await new Promise((resolve) => setTimeout(resolve, wait)); // the network came back?
    }
  }
}

export const outcomeOf = (value) => vocabulary.outcomes.find((o) => o.value === value);

// The server's own label when it gives one ("Referred to housing"), else one made here.
export function completedLine(code, { outcome, outcome_detail: detail, crisis_referral: referral }, after) {
  if (after && after.outcome_label) return `${code} completed: ${lowerFirst(after.outcome_label)}.`;
  const chosen = outcomeOf(outcome);
  let what = lowerFirst(chosen ? chosen.label : label(outcome));
  const to = vocabulary.crisisReferrals.find((r) => r.value === referral);
  if (to) what += `: ${lowerFirst(to.label)}`;
  if (detail) what += chosen && chosen.needs_detail ? ` to ${detail}` : ` (${detail})`;
  return `${code} completed: ${what}.`;
}

const DONE = {
  call: (t) => `You called ${t.code}.`,
  start: (t) => `Session with ${t.code} started.`,
  no_show: (t) => `${t.code} marked as a no-show.`,
  left: (t) => `${t.code} left without being seen.`,
  requeue: (t) => `${t.code} is back in the line, in their place.`,
  cancel: (t) => `${t.code} cancelled.`,
};

export const doneLine = (action, ticket) =>
  (DONE[action] || ((t) => `${t.code}: ${label(action)}.`))(ticket);

export function attemptLine(code, after) {
  if (after.status === "completed") {
    return `${code} closed as unreachable after ${after.call_attempts} tries.`;
  }
  if (after.status === "in_session") return `${code} reached: the session has started.`;
  const next = after.next_try_at ? ` Next try after ${clock(after.next_try_at, after.site)}.` : " Try again later.";
  return `${code}: try ${after.call_attempts} recorded, back in the line.${next}`;
}

// Who is going to the person, once an alert is acknowledged; said plainly when nobody is.
export function acknowledgedLine(ticket) {
  const alert = ticket.alert || {};
  const by = alert.acknowledged_by ? alert.acknowledged_by.name : "a colleague";
  if (alert.going) return `${ticket.code}: urgent alert acknowledged by ${by}. ${alert.going.name} is on the way.`;
  if (ticket.status === "waiting") return `${ticket.code}: seen by ${by} — nobody is on the way yet.`;
  return `${ticket.code}: urgent alert acknowledged by ${by}.`;
}

// A colleague's word on an alert that has now left the banners.
export function alertEndedLine(ticket) {
  const done = ticket.follow_up;
  if (done) return `${ticket.code}: followed up by ${done.by ? done.by.name : "a colleague"}.`;
  return acknowledgedLine(ticket);
}
