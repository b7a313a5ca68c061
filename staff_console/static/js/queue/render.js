// The queue page's live parts, drawn from the state with lit-html: the line in the
// server's order, who is with a manager, my cards, and what the server says about the
// site's cover (nobody on duty, past its hours, closing soon).
import { clock, dayAndClock, languageName, me, plural, since } from "../base.js";
import { html, nothing, repeat } from "../lit.js";
import * as actions from "./actions.js";
import { allows, card, channelName, needsText, phoneLink, urgentBadge } from "./card.js";
import { hasNewReply, textsCell } from "./texts.js";
import { visitorLine } from "./caseload.js";

const rowClass = (t) => [t.urgent ? "urgent" : "", hasNewReply(t) ? "replied" : ""].join(" ").trim();

const recordButton = (t, view) =>
  html`<button type="button" class="link" @click=${() => view.openRecord(t)}>Record ${t.code}</button>`;

function waitingRow(t, place, view) {
  return html`
    <tr class=${rowClass(t)} data-ticket=${t.id} data-code=${t.code}>
      <td>${place}</td>
      <th scope="row">${t.code} ${urgentBadge(t)}</th>
      <td>${t.name || "—"}${t.visitor ? html`<br>${visitorLine(t)}` : nothing}</td>
      <td>${needsText(t)}</td>
      <td>${languageName(t.language)}</td>
      <td>${channelName(t)}${t.next_try_at
          ? html`<br><span class="next-try" data-next-try>Next try after ${clock(t.next_try_at, t.site)}</span>`
          : nothing}${t.next_try_at && t.phone ? html`<br>${phoneLink(t)}` : nothing}${textsCell(t, view.redraw)}</td>
      <td>${since(t.queued_at)}</td>
      <td><div class="actions">
        ${allows(t, "call")
          ? html`<button type="button" class="secondary" @click=${() => actions.call(t, view.urgentWaiting)}>Call ${t.code}</button>`
          : nothing}
        ${recordButton(t, view)}
      </div></td>
    </tr>
  `;
}

function busyRow(t, view) {
  const status = t.status === "called" ? `called to desk ${t.desk || "—"}` : "in session";
  return html`
    <tr class=${rowClass(t)} data-ticket=${t.id} data-code=${t.code}>
      <th scope="row">${t.code} ${urgentBadge(t)}</th>
      <td>${t.name || "—"}${t.visitor ? html`<br>${visitorLine(t)}` : nothing}</td>
      <td>${status}${textsCell(t, view.redraw)}</td>
      <td>${t.assigned_to ? t.assigned_to.name : "—"}</td>
      <td>${since(t.called_at)}</td>
      <td><div class="actions">${recordButton(t, view)}</div></td>
    </tr>
  `;
}

export const waitingRows = (state, view) =>
  state.waitingOrder.length
    ? repeat(state.waiting, (t) => t.id, (t, i) => waitingRow(t, i + 1, view))
    : html`<tr><td colspan="8" class="empty">Nobody is waiting.</td></tr>`;

export const busyRows = (state, view) =>
  state.busyOrder.length
    ? repeat(state.busy, (t) => t.id, (t) => busyRow(t, view))
    : html`<tr><td colspan="6" class="empty">Nobody is with a case manager.</td></tr>`;

export function myCards(state, view) {
  const mine = state.busy.filter((t) => t.assigned_to && t.assigned_to.id === me.id);
  return mine.length
    ? repeat(mine, (t) => t.id, (t) => card(t, view))
    : html`<p class="empty">Nobody is with you.</p>`;
}

// Every sentence here comes from a flag the server decided; the console only words it.
export function coverage(duty, site, waiting) {
  if (!duty) return nothing;
  const panels = [];
  if (duty.uncovered) {
    panels.push(html`<p class="warning" role="alert" data-uncovered>
      Nobody is on duty, and ${plural(waiting, "person is", "people are")} waiting during business
      hours. Start a duty shift.</p>`);
  }
  if (duty.past_hours) {
    panels.push(html`<p class="warning" role="status" data-past-hours>
      The site is past its hours${duty.closes_at ? ` (it closed at ${clock(duty.closes_at, site)})` : ""},
      but someone is on duty, so check-ins are still taken. ${waiting ? `${plural(waiting, "person", "people")} waiting.` : ""}</p>`);
  }
  if (duty.closing_soon) {
    const fits = duty.can_see_everyone;
    panels.push(html`<section class="closing" aria-labelledby="closing-title" data-closing>
      <h2 id="closing-title">Closing at ${clock(duty.closes_at, site)}</h2>
      <p>${waiting ? `${plural(waiting, "person is", "people are")} still waiting.` : "Nobody is waiting."}
        ${fits === true ? "At the usual pace, everyone can be seen before closing." : nothing}
        ${fits === false ? html`<strong>At the usual pace, not everyone can be seen today.</strong> Tell the people waiting, and
          offer a call-back.` : nothing}</p>
    </section>`);
  }
  if (duty.state === "closed") {
    panels.push(html`<p class="notice" role="status" data-closed>
      The site is closed${duty.opens_at ? `; it opens ${dayAndClock(duty.opens_at, site)}` : ""}. Check-ins
      are refused until someone starts duty or the site opens.</p>`);
  }
  return panels;
}
