// The site settings form's plain sections (hours and closures, the kiosk's languages, the
// retention period), and how any field shows the server's refusal beside it. Each section
// takes the page's view: {form, errors, bind(field), redraw(), newKey()}; site_settings.js
// owns the state, the loading and the saving.
import { config, languageName } from "./base.js";
import { html, nothing, repeat } from "./lit.js";

// Each settings field's input (or heading), by the key the server names in a refusal.
export const FIELDS = {
  name: "site-name",
  timezone: "site-timezone",
  hours: "site-hours",
  closures: "closures-title",
  languages: "languages-title",
  retention_days: "site-retention",
  // The texts and calls section (site_texts.js).
  sms_sender_name: "site-sender",
  sms_callback_number: "site-number",
  sms_almost_turn_ahead: "site-almost",
  sms_join: "site-join",
  oncall_numbers: "site-oncall",
  escalate_after_minutes: "site-escalate",
  // The repeat-visit rule (site_repeat.js).
  repeat_visits: "site-repeat-visits",
  repeat_urgent_visits: "site-repeat-urgent",
  repeat_window_days: "site-repeat-window",
};
const ALL_LANGUAGES = Object.keys(config.languageNames);

export function fieldError(view, field) {
  const text = view.errors[field];
  return text ? html`<p class="field-error" id="${FIELDS[field]}-error">${text}</p>` : nothing;
}
export const invalid = (view, field) => (view.errors[field] ? "true" : "false");
export const describedBy = (view, field, help) =>
  [help, view.errors[field] ? `${FIELDS[field]}-error` : ""].filter(Boolean).join(" ");

function closureRow(view, closure) {
  const remove = () => {
    view.form.closures = view.form.closures.filter((c) => c !== closure);
    view.redraw();
  };
  return html`
    <tr>
      <td><label class="visually-hidden" for="closure-date-${closure.key}">Date</label>
        <input type="date" id="closure-date-${closure.key}" .value=${closure.date}
               @input=${(e) => (closure.date = e.target.value)}></td>
      <td><label class="visually-hidden" for="closure-reason-${closure.key}">Reason</label>
        <input id="closure-reason-${closure.key}" maxlength=${config.limits.closureReason} placeholder="e.g. staff training" .value=${closure.reason}
               @input=${(e) => (closure.reason = e.target.value)}></td>
      <td><button type="button" class="secondary" @click=${remove}>Remove</button></td>
    </tr>
  `;
}

export function hoursSection(view) {
  const { form } = view;
  const add = () => {
    form.closures = [...form.closures, { key: view.newKey(), date: "", reason: "" }];
    view.redraw();
  };
  return html`
    <h2>Hours and closures</h2>
    <label for="site-hours">Weekly hours</label>
    <input id="site-hours" name="hours" autocomplete="off" spellcheck="false" .value=${form.hours}
           @input=${view.bind("hours")} aria-invalid=${invalid(view, "hours")} aria-describedby=${describedBy(view, "hours", "hours-help")}>
    <p class="help" id="hours-help">Days and times, for example <code>mon-fri 09:00-17:00, sat 10:00-13:00</code>,
      or two spans in a day: <code>mon-thu 08:30-12:00 13:00-17:00</code>. Write <code>always</code> for a site open day and night.</p>
    ${fieldError(view, "hours")}
    <h3 id="closures-title">Closed on these dates</h3>
    <p class="help">Holidays, staff training: the kiosk tells people the site is closed that day.</p>
    ${fieldError(view, "closures")}
    ${form.closures.length
      ? html`<table class="closures"><thead><tr><th scope="col">Date</th><th scope="col">Reason</th>
          <th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>${repeat(form.closures, (c) => c.key, (c) => closureRow(view, c))}</tbody></table>`
      : html`<p class="empty">No closures planned.</p>`}
    <button type="button" class="secondary" @click=${add}>Add a closure</button>
  `;
}

// Ticked languages keep the site's order (the first is the lobby screen's first); a newly
// ticked one goes last.
export function languagesSection(view) {
  const { form } = view;
  const toggle = (code) => (e) => {
    form.languages = e.target.checked ? [...form.languages, code] : form.languages.filter((c) => c !== code);
    view.redraw();
  };
  return html`
    <fieldset aria-describedby=${describedBy(view, "languages", "languages-help")}>
      <legend><h2 id="languages-title" tabindex="-1">Languages the kiosk offers</h2></legend>
      <p class="help" id="languages-help">A need of the site's own needs a label in each of these.</p>
      <div class="checks">
        ${ALL_LANGUAGES.map((code) => html`<label class="check" lang=${code}>
          <input type="checkbox" name="languages" value=${code} .checked=${form.languages.includes(code)} @change=${toggle(code)}>
          ${languageName(code)}</label>`)}
      </div>
      ${fieldError(view, "languages")}
    </fieldset>
  `;
}

export function retentionSection(view) {
  const [fewest, most] = config.limits.retentionDays;
  return html`
    <h2>Retention period</h2>
    <label for="site-retention">Days to keep names, phone numbers and notes after a visit closes</label>
    <input id="site-retention" type="number" min=${fewest} max=${most} step="1" inputmode="numeric" .value=${String(view.form.retention_days)}
           @input=${view.bind("retention_days")} aria-invalid=${invalid(view, "retention_days")}
           aria-describedby=${describedBy(view, "retention_days", "retention-help")}>
    <p class="help" id="retention-help">From ${fewest} to ${most} days. After that the visit keeps only what reports need: times,
      channel, needs, language and outcome.</p>
    ${fieldError(view, "retention_days")}
  `;
}
