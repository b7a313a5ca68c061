// A person's texts on their card and row: each text's kind and where it got to (the
// server's labels), what they wrote to us, and a short text of the manager's own when the
// server allows one ("text" in allowed_actions). A reply the manager has not marked seen
// lights up the card and row, with the alert sound when it is on; "seen" is remembered in
// this browser only: it is a reminder, and the message log keeps every text.
import { clock, me, say, tell } from "../base.js";
import { html, nothing } from "../lit.js";
import * as actions from "./actions.js";
import { allows } from "./card.js";
import { chime } from "./alerts.js";

const SEEN_KEY = `frontdoor.repliesSeen.${me.id}`;
const heard = new Set(); // ticket id + reply time already chimed for on this page
let seenCache = null; // read once from the browser's storage, then kept here

function seen() {
  if (seenCache) return seenCache;
  try {
    seenCache = JSON.parse(localStorage.getItem(SEEN_KEY) || "{}");
  } catch (_) {
    seenCache = {};
  }
  return seenCache;
}

// A few bytes a visit a manager marked seen; kept, so another site's never light again.
function store(all) {
  try {
    localStorage.setItem(SEEN_KEY, JSON.stringify(all));
  } catch (_) {
    /* private browsing: it stays lit until reload */
  }
}

const lastReply = (t) => (t.texts && t.texts.last_reply_at) || null;

export const hasNewReply = (t) => Boolean(lastReply(t)) && seen()[t.id] !== lastReply(t);

export function markSeen(t, redraw) {
  const all = seen();
  all[t.id] = lastReply(t);
  store(all);
  redraw();
}

// A reply that arrived while the page is open: the sound, once. `quiet` for what the page
// found on loading (the light shows it; a burst of sound on every reload would not help).
export function chimeForReplies(tickets, { quiet = false } = {}) {
  const fresh = [];
  for (const t of tickets) {
    if (!hasNewReply(t)) continue;
    const key = `${t.id}@${lastReply(t)}`;
    if (heard.has(key)) continue;
    heard.add(key);
    fresh.push(t);
  }
  if (!fresh.length || quiet) return;
  chime();
  // In words too, for a screen reader: the light alone is silent.
  tell(`New text from ${fresh.map((t) => t.code).join(", ")}.`);
}

// The arrow is for the eye; the words say the same to a screen reader.
const arrow = (m) =>
  m.direction === "inbound"
    ? html`<span aria-hidden="true">←</span><span class="visually-hidden">from them:</span>`
    : html`<span aria-hidden="true">→</span><span class="visually-hidden">to them:</span>`;
const trouble = (m) => m.status === "failed" || m.status === "undelivered";

function item(m, site) {
  const words = m.direction === "inbound" || m.kind === "staff" ? html` “${m.body}”` : nothing;
  const why = m.why_label ? ` (${m.why_label})` : "";
  return html`<li class=${trouble(m) ? "trouble" : ""} data-text=${m.id} data-kind=${m.kind} data-status=${m.status}>
    <span class="when">${clock(m.created_at, site)}</span> ${arrow(m)} ${m.kind_label}${words}
    · <strong>${m.status_label}</strong>${why}</li>`;
}

export function replyFlag(t, redraw) {
  if (!hasNewReply(t)) return nothing;
  return html`<p class="reply-flag" data-new-reply>
    New text from ${t.code} at ${clock(lastReply(t), t.site)}: “${t.texts.last_reply}”
    <button type="button" class="link" aria-label="Mark ${t.code}'s text seen"
            @click=${() => markSeen(t, redraw)}>Mark seen</button></p>`;
}

// The row's short form: the latest text and where it got to.
export function textsCell(t, redraw) {
  const items = (t.texts && t.texts.items) || [];
  if (!items.length) return nothing;
  const last = items[items.length - 1];
  return html`<br><span class="texts-line" data-texts-line>${arrow(last)} ${last.kind_label}: ${last.status_label}${
    t.texts.trouble ? " · a text failed" : ""}</span>${replyFlag(t, redraw)}`;
}

export function textsList(t, view) {
  const items = (t.texts && t.texts.items) || [];
  return html`
    ${items.length
      ? html`<h4 class="texts-title">Texts${t.texts.total > items.length ? ` (latest ${items.length} of ${t.texts.total})` : ""}</h4>
        <ul class="texts" data-texts>${items.map((m) => item(m, t.site))}</ul>`
      : nothing}
    ${replyFlag(t, view.redraw)}
    ${allows(t, "text") ? textForm(t) : nothing}
  `;
}

function textForm(t) {
  const submit = async (event) => {
    event.preventDefault();
    const form = event.target;
    if (!form.body.value.trim()) {
      say("Write the text first: it is empty.");
      return;
    }
    const button = form.querySelector("button");
    button.disabled = true; // one click, one text
    try {
      if (await actions.sendText(t, form.body.value)) form.body.value = "";
    } finally {
      button.disabled = false;
    }
  };
  return html`
    <form class="note" @submit=${submit}>
      <label for="text-${t.id}">Text ${t.code} (they see the office's name first; no names or details)</label>
      <textarea id="text-${t.id}" name="body" rows="2" maxlength="300" required></textarea>
      <button type="submit" class="secondary">Send text</button>
    </form>
  `;
}
