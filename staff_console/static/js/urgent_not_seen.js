// The site lead's list of urgent people nobody saw (the day closed, or they left before
// anyone acknowledged the alert). Each stays until a lead follows up and says how.
import { ApiError, api } from "./api.js";
import { $, clock, currentSite, dateAndClock, dateOnly, label, languageName, onSiteChange, say } from "./base.js";
import { html, render, repeat } from "./lit.js";

const list = $("[data-list]");

function ended(t) {
  if (t.end_reason === "day_closed") return "The day closed before anyone saw them.";
  return `${t.status_label || label(t.status)}.`;
}

function entry(t) {
  const alert = t.alert || {};
  const submit = async (event) => {
    event.preventDefault();
    const note = event.target.note.value.trim();
    if (!note) return;
    try {
      await api("POST", `/api/v1/tickets/${t.id}/follow-up`, { body: { note } });
      say(`${t.code} marked as followed up.`);
      await load();
    } catch (error) {
      if (error instanceof ApiError) say(error.sentence);
      else say("No answer from the server. Try again.");
    }
  };
  return html`
    <article class="card urgent" data-follow-up=${t.id} data-code=${t.code}>
      <h2>${t.code}${t.name ? ` · ${t.name}` : ""} <span class="badge">⚠ URGENT</span></h2>
      <p>Said they felt unsafe on ${dateAndClock(t.created_at, t.site)}. ${ended(t)}</p>
      <p>${alert.acknowledged_by
          ? `Alert acknowledged by ${alert.acknowledged_by.name} at ${dateAndClock(alert.acknowledged_at, t.site)}.`
          : "Nobody acknowledged the alert."}
        ${alert.unstaffed ? html`<span class="tag" data-unstaffed>Raised while nobody was on duty.</span>` : ""}</p>
      <p>${languageName(t.language)}${t.need_labels.length ? ` · ${t.need_labels.join(", ")}` : ""}
        ${t.phone ? html` · Phone: <a href="tel:${t.phone}">${t.phone_display || t.phone}</a>` : ""}</p>
      ${t.follow_up
        ? html`<p>Followed up by ${t.follow_up.by.name} on ${dateAndClock(t.follow_up.at, t.site)}: ${t.follow_up.note}</p>`
        : html`<form @submit=${submit}>
            <label for="follow-up-${t.id}">How did you follow up?</label>
            <textarea id="follow-up-${t.id}" name="note" rows="2" maxlength="2000" required></textarea>
            <button type="submit" class="primary">Mark ${t.code} as followed up</button>
          </form>`}
    </article>
  `;
}

const closedHelp = (e, site) =>
  `Someone asked for help at the kiosk while the office was closed, on ${dateOnly(e.at, site)} at ${clock(e.at, site)}` +
  " (the kiosk showed the crisis lines and the hours).";

async function load() {
  const site = currentSite();
  render(html`<p class="empty">Loading…</p>`, list);
  try {
    const data = await api("GET", `/api/v1/sites/${site}/urgent-not-seen`);
    if (site !== currentSite()) return;
    const closed = data.help_while_closed || [];
    render(
      html`${data.tickets.length
          ? html`<div class="follow-ups">${repeat(data.tickets, (t) => t.id, entry)}</div>`
          : html`<p class="empty" data-none>Nobody urgent is waiting for a follow-up.</p>`}
        ${closed.length
          ? html`<section class="closed-help" data-help-while-closed aria-labelledby="closed-help-title">
              <h2 id="closed-help-title">Help asked while the office was closed (last 30 days)</h2>
              <ul>${repeat(closed, (e) => e.id, (e) => html`<li data-closed-help=${e.id}>${closedHelp(e, site)}</li>`)}</ul>
            </section>`
          : ""}`,
      list,
    );
  } catch (error) {
    const why = error instanceof ApiError ? error.message : "No answer from the server.";
    render(html`<p class="error" role="alert">The list could not be loaded: ${why}</p>`, list);
  }
}

onSiteChange(load);
load();
