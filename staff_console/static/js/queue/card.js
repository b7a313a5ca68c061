// The card of a person with me: what they came for, how to reach them, the saved notes,
// and only the buttons the server allows now (`allowed_actions`). lit-html updates what
// changed and leaves the rest of the card alone, so a half-typed note, a chosen outcome
// and the keyboard focus all survive live updates.
import { clock, dateAndClock, label, languageName, me, since } from "../base.js";
import { html, nothing } from "../lit.js";
import * as actions from "./actions.js";
import { hasNewReply, textsList } from "./texts.js";
import { visitorLine } from "./caseload.js";
import { vocabulary } from "./words.js";

const CHANNEL = { kiosk: "walk-in", web: "web", phone: "phone", sms: "text" };
export const channelName = (t) => CHANNEL[t.channel] || t.channel;
export const isCallback = (t) => t.channel === "phone" || t.channel === "sms";
// The server's words for each need (the site's English label, else Front Door's own).
export const needsText = (t) => (t.need_labels.length ? t.need_labels.join(", ") : "—");
export const urgentBadge = (t) => (t.urgent ? html`<span class="badge">⚠ URGENT</span>` : nothing);

// The server says what each ticket allows now; the console never works it out itself.
export const allows = (t, action) => (t.allowed_actions || []).includes(action);

export function statusLabel(t) {
  if (t.status_label) return t.status_label;
  return { waiting: "Waiting", called: "Called", in_session: "With a case manager" }[t.status] || label(t.status);
}

// Called but not at the desk by the server's `no_show_due_at` (walk-ins only have one).
export const noShowDue = (t) => Boolean(t.no_show_due_at) && Date.now() >= Date.parse(t.no_show_due_at);

export const phoneLink = (t) =>
  t.phone ? html`<a href="tel:${t.phone}">${t.phone_display || t.phone}</a>` : nothing;

export function card(t, view) {
  const called = t.status === "called";
  const facts = [statusLabel(t), needsText(t), languageName(t.language), channelName(t)].join(" · ");
  return html`
    <article class="card ${t.urgent ? "urgent" : ""} ${hasNewReply(t) ? "replied" : ""}" data-card=${t.id} data-code=${t.code}>
      <h3>${t.code}${t.name ? ` · ${t.name}` : ""} ${urgentBadge(t)}</h3>
      <p>${facts}${called ? ` · called ${since(t.called_at)} ago` : ""}</p>
      ${t.visitor ? html`<p class="visitor">${visitorLine(t)}</p>` : nothing}
      ${isCallback(t) && t.phone ? html`<p class="phone">Call: ${phoneLink(t)}</p>` : nothing}
      ${noShowDue(t)
        ? html`<p class="flag" role="status">Not here since ${clock(t.no_show_due_at, t.site)}. No-show?</p>`
        : nothing}
      ${allows(t, "attempt") ? html`<p>Call attempt ${t.call_attempts + 1} of ${view.config.callbackAttempts}.</p>` : nothing}
      <div class="buttons">${buttons(t)}</div>
      ${allows(t, "complete") ? completeForm(t, view) : nothing}
      ${allows(t, "transfer") ? transferForm(t, view) : nothing}
      ${textsList(t, view)}
      ${notes(t, view)} ${noteForm(t, view)}
    </article>
  `;
}

function buttons(t) {
  const button = (action, text, onClick, kind = "secondary") =>
    allows(t, action) ? html`<button type="button" class=${kind} @click=${onClick}>${text}</button>` : nothing;
  return [
    button("attempt", "Reached them", () => actions.attempt(t, "reached"), "primary"),
    button("attempt", "No answer", () => actions.attempt(t, "no_answer")),
    button("attempt", "Voicemail left (no details)", () => actions.attempt(t, "voicemail")),
    button("start", "Start", () => actions.act(t, "start"), "primary"),
    button("no_show", "No-show", () => actions.act(t, "no_show")),
    button("left", "Left without being seen", () => actions.act(t, "left")),
    button("requeue", "Back to the line", () => actions.act(t, "requeue")),
  ];
}

function completeForm(t, view) {
  const chosen = vocabulary.outcomes.find((o) => o.value === view.choices.get(t.id));
  const needsDetail = Boolean(chosen && chosen.needs_detail);
  const crisis = Boolean(chosen && chosen.value === "crisis" && vocabulary.crisisReferrals.length);
  const submit = (event) => {
    event.preventDefault();
    const form = event.target;
    const choice = { outcome: form.outcome.value, outcome_detail: form.detail.value.trim() || null };
    if (form.crisis_referral) choice.crisis_referral = form.crisis_referral.value;
    actions.complete(t, choice);
  };
  return html`
    <form class="complete" @submit=${submit}>
      <label for="outcome-${t.id}">Outcome</label>
      <select id="outcome-${t.id}" name="outcome" required
              @change=${(e) => view.choose(t.id, e.target.value)}>
        <option value="">Choose…</option>
        ${vocabulary.outcomes.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
      </select>
      ${crisis
        ? html`<label for="crisis-${t.id}">Crisis: referred to</label>
            <select id="crisis-${t.id}" name="crisis_referral" required>
              <option value="">Choose…</option>
              ${vocabulary.crisisReferrals.map((r) => html`<option value=${r.value}>${r.label}</option>`)}
            </select>`
        : nothing}
      <label for="detail-${t.id}">${needsDetail ? "Referred to what? (required)" : "Detail (optional)"}</label>
      <input id="detail-${t.id}" name="detail" maxlength="500" autocomplete="off" ?required=${needsDetail}>
      <button type="submit" class="primary">Complete ${t.code}</button>
    </form>
  `;
}

function transferForm(t, view) {
  const others = ((view.duty && view.duty.on_duty_now) || []).filter(
    (s) => s.staff_id !== (t.assigned_to ? t.assigned_to.id : me.id),
  );
  if (!others.length) return html`<p class="hint">Nobody else is on duty to hand over to.</p>`;
  const submit = (event) => {
    event.preventDefault();
    const select = event.target.to;
    actions.transfer(t, Number(select.value), select.selectedOptions[0].dataset.name);
  };
  return html`
    <form class="inline" @submit=${submit}>
      <label for="transfer-${t.id}">Hand over to</label>
      <select id="transfer-${t.id}" name="to">
        ${others.map((s) => html`<option value=${s.staff_id} data-name=${s.name}>${s.name}${s.desk ? ` (desk ${s.desk})` : ""}</option>`)}
      </select>
      <button type="submit" class="secondary">Hand over</button>
    </form>
  `;
}

function notes(t, view) {
  // The server's saved notes (StaffTicket.notes), and any saved here since its last word.
  const saved = [...(t.notes || [])];
  for (const note of view.savedNotes.get(t.id) || []) {
    if (!saved.some((n) => n.id === note.id)) saved.push(note);
  }
  if (!saved.length) return nothing;
  return html`
    <h4 class="notes-title">Notes</h4>
    <ul class="notes" data-notes>
      ${saved.map((n) => html`<li><span class="when">${dateAndClock(n.at, t.site)}${n.by ? ` · ${n.by.name}` : ""}</span> ${n.body}</li>`)}
    </ul>
  `;
}

function noteForm(t, view) {
  const submit = async (event) => {
    event.preventDefault();
    const form = event.target;
    if (!form.note.value.trim()) return;
    const note = await actions.saveNote(t, form.note.value);
    if (!note) return;
    form.note.value = "";
    view.keepNote(t.id, { ...note, by: note.by || { id: me.id, name: me.name } });
  };
  return html`
    <form class="note" @submit=${submit}>
      <label for="note-${t.id}">Private note</label>
      <textarea id="note-${t.id}" name="note" rows="2" maxlength="2000" required></textarea>
      <button type="submit" class="secondary">Save note</button>
    </form>
  `;
}
