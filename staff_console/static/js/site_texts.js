// The site settings form's texts and calls section: the neutral name every text starts
// with, the office's number (texts and calls reach the site by it, call-backs come from it),
// how near the front "almost your turn" is, JOIN by text, and where an urgent alert nobody
// acknowledged goes, after how long. The limits are the server's (config.limits); what it
// refuses is shown beside the field, as every section does.
import { config } from "./base.js";
import { html } from "./lit.js";
import { FIELDS, describedBy, fieldError, invalid } from "./site_fields.js";

export const TEXT_NAMES = {
  sms_sender_name: "Sender name",
  sms_callback_number: "Office number",
  sms_almost_turn_ahead: "Almost your turn",
  sms_join: "Join by text",
  oncall_numbers: "On-call numbers",
  escalate_after_minutes: "Minutes before on-call",
};

export const textsForm = (site) => ({
  sms_sender_name: site.sms_sender_name || "",
  sms_callback_number: site.sms_callback_number || "",
  sms_almost_turn_ahead: site.sms_almost_turn_ahead,
  sms_join: Boolean(site.sms_join),
  oncall_numbers: (site.oncall_numbers || []).join("\n"),
  escalate_after_minutes: site.escalate_after_minutes,
});

// A whole number goes as a number; anything else as typed, for the server to name.
const whole = (value) => (/^-?\d+$/.test(String(value).trim()) ? Number(value) : String(value).trim());

export const textsBody = (form) => ({
  sms_sender_name: form.sms_sender_name.trim() || null,
  sms_callback_number: form.sms_callback_number.trim() || null,
  sms_almost_turn_ahead: whole(form.sms_almost_turn_ahead),
  sms_join: form.sms_join,
  oncall_numbers: form.oncall_numbers.split(/[\n,]/).map((n) => n.trim()).filter(Boolean),
  escalate_after_minutes: whole(form.escalate_after_minutes),
});

function field(view, key, label, help, attrs) {
  const id = FIELDS[key];
  return html`
    <label for=${id}>${label}</label>
    ${attrs(id, describedBy(view, key, `${id}-help`), invalid(view, key))}
    <p class="help" id="${id}-help">${help}</p>
    ${fieldError(view, key)}
  `;
}

export function textsSection(view) {
  const { form, bind } = view;
  const [fewest, most] = config.limits.escalateMinutes;
  const [nearest, farthest] = config.limits.almostTurnAhead;
  return html`
    <h2>Texts and calls</h2>
    ${field(view, "sms_sender_name", "Sender name", html`Every text starts with it. At most ${config.limits.senderName} plain letters, and
      nothing that says what kind of office this is: anyone may see the person's phone.`,
      (id, described, bad) => html`<input id=${id} maxlength=${config.limits.senderName} placeholder="Front Door" .value=${form.sms_sender_name}
        @input=${bind("sms_sender_name")} aria-invalid=${bad} aria-describedby=${described}>`)}
    ${field(view, "sms_callback_number", "Office number", "The number texts and calls reach this site at, and that call-backs come from, e.g. +16175550100.",
      (id, described, bad) => html`<input id=${id} type="tel" autocomplete="off" .value=${form.sms_callback_number}
        @input=${bind("sms_callback_number")} aria-invalid=${bad} aria-describedby=${described}>`)}
    ${field(view, "sms_almost_turn_ahead", "People ahead for “almost your turn”", `From ${nearest} to ${farthest}.`,
      (id, described, bad) => html`<input id=${id} type="number" min=${nearest} max=${farthest} step="1" inputmode="numeric"
        .value=${String(form.sms_almost_turn_ahead)} @input=${bind("sms_almost_turn_ahead")} aria-invalid=${bad} aria-describedby=${described}>`)}
    <label class="check"><input id=${FIELDS.sms_join} type="checkbox" .checked=${form.sms_join}
        @change=${(e) => { form.sms_join = e.target.checked; view.redraw(); }}>
      Someone who texts JOIN to the office number joins the line</label>
    ${fieldError(view, "sms_join")}
    ${field(view, "oncall_numbers", "On-call numbers", html`Work phones an urgent alert nobody acknowledged is texted to, one a line (at most
      ${config.limits.oncallNumbers}). The text gives the office and the code only.`,
      (id, described, bad) => html`<textarea id=${id} rows="3" .value=${form.oncall_numbers}
        @input=${bind("oncall_numbers")} aria-invalid=${bad} aria-describedby=${described}></textarea>`)}
    ${field(view, "escalate_after_minutes", "Minutes before an unacknowledged urgent alert goes to on-call", `From ${fewest} to ${most}.`,
      (id, described, bad) => html`<input id=${id} type="number" min=${fewest} max=${most} step="1" inputmode="numeric"
        .value=${String(form.escalate_after_minutes)} @input=${bind("escalate_after_minutes")} aria-invalid=${bad} aria-describedby=${described}>`)}
  `;
}
