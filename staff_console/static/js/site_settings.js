// A site's settings, for site leads and admins: name and time zone, weekly hours (the SPEC
// text, as on the command line) and dated closures, the kiosk's languages, the need
// categories (site_needs.js) and the retention period. Save sends what was changed, with the
// version it was read at: a change someone else made since is refused by the server (412)
// rather than undone. The server checks everything, and a refusal shows its words beside
// the field it names (and in a summary at the top).
import { ApiError, api } from "./api.js";
import { $, config, currentSite, dayAndClock, languageName, onSiteChange, say } from "./base.js";
import { html, nothing, render, repeat } from "./lit.js";
import { fromSite, needFieldOf, needsSection, toSite } from "./site_needs.js";

const box = $("[data-site-form]");
let form = null; // {name, timezone, hours, closures: [{key, date, reason}], languages, needs, retention_days}
let errors = {};
let nextKey = 0;
let status = null;
let version = null; // the settings' version the form was filled from (the ETag)
let original = {}; // what bodyOf(form) gave then: Save sends only the fields that differ
let outcome = null; // {kind: "saved" | "stale" | "unchanged", text}, shown beside Save
let latest = null; // the settings as someone else saved them, after a refused save

const FIELDS = {
  name: "site-name",
  timezone: "site-timezone",
  hours: "site-hours",
  closures: "closures-title",
  languages: "languages-title",
  retention_days: "site-retention",
};
const NAMES = {
  name: "Name",
  timezone: "Time zone",
  hours: "Weekly hours",
  closures: "Closed on these dates",
  languages: "Languages",
  needs: "Need categories",
  retention_days: "Retention period",
};
const ALL_LANGUAGES = Object.keys(config.languageNames);

const fieldOf = (key) => FIELDS[key] || needFieldOf(key);

function fieldError(field) {
  const text = errors[field];
  return text ? html`<p class="field-error" id="${FIELDS[field]}-error">${text}</p>` : nothing;
}
const invalid = (field) => (errors[field] ? "true" : "false");
const describedBy = (field, help) => [help, errors[field] ? `${FIELDS[field]}-error` : ""].filter(Boolean).join(" ");

// "needs.3.labels.ht" as a person reads it: "Need categories, 4 (id-cards), Kreyòl ayisyen".
function fieldName(key) {
  const [field, index, , lang] = key.split(".");
  if (field !== "needs" || index === undefined) return NAMES[field] || key;
  const need = form.needs[Number(index)];
  return [`${NAMES.needs}, ${Number(index) + 1}${need ? ` (${need.slug})` : ""}`, lang && languageName(lang)].filter(Boolean).join(", ");
}

// Neutral words: a refused time zone or need is not "the hours were not saved".
function summary() {
  const keys = Object.keys(errors);
  if (!keys.length) return nothing;
  const line = (k) => `${fieldName(k)}: ${errors[k]}`;
  return html`
    <div class="error-summary" role="alert" tabindex="-1" data-errors>
      <h2>Not saved:</h2>
      <ul>
        ${keys.map((k) => html`<li>${fieldOf(k) ? html`<a href="#${fieldOf(k)}">${line(k)}</a>` : line(k)}</li>`)}
      </ul>
    </div>
  `;
}

function statusLine() {
  if (!status) return nothing;
  const site = currentSite();
  let now = status.open_now ? "Open now" : "Closed now";
  if (status.closure) now += ` (closed today: ${status.closure.reason})`;
  if (status.open_now && status.closes_at) now += `, until ${dayAndClock(status.closes_at, site)}`;
  if (!status.open_now && status.opens_at) now += `; opens ${dayAndClock(status.opens_at, site)}`;
  return html`<p data-status>${now}.</p>`;
}

function closureRow(closure) {
  const remove = () => {
    form.closures = form.closures.filter((c) => c !== closure);
    draw();
  };
  return html`
    <tr>
      <td><label class="visually-hidden" for="closure-date-${closure.key}">Date</label>
        <input type="date" id="closure-date-${closure.key}" .value=${closure.date}
               @input=${(e) => (closure.date = e.target.value)}></td>
      <td><label class="visually-hidden" for="closure-reason-${closure.key}">Reason</label>
        <input id="closure-reason-${closure.key}" maxlength="200" placeholder="e.g. staff training" .value=${closure.reason}
               @input=${(e) => (closure.reason = e.target.value)}></td>
      <td><button type="button" class="secondary" @click=${remove}>Remove</button></td>
    </tr>
  `;
}

function hoursSection() {
  const add = () => {
    form.closures = [...form.closures, { key: nextKey++, date: "", reason: "" }];
    draw();
  };
  return html`
    <h2>Hours and closures</h2>
    <label for="site-hours">Weekly hours</label>
    <input id="site-hours" name="hours" maxlength="200" autocomplete="off" spellcheck="false" .value=${form.hours}
           @input=${bind("hours")} aria-invalid=${invalid("hours")} aria-describedby=${describedBy("hours", "hours-help")}>
    <p class="help" id="hours-help">Days and times, for example <code>mon-fri 09:00-17:00, sat 10:00-13:00</code>,
      or two spans in a day: <code>mon-thu 08:30-12:00 13:00-17:00</code>. Write <code>always</code> for a site open day and night.</p>
    ${fieldError("hours")}
    <h3 id="closures-title">Closed on these dates</h3>
    <p class="help">Holidays, staff training: the kiosk tells people the site is closed that day.</p>
    ${fieldError("closures")}
    ${form.closures.length
      ? html`<table class="closures"><thead><tr><th scope="col">Date</th><th scope="col">Reason</th>
          <th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>${repeat(form.closures, (c) => c.key, closureRow)}</tbody></table>`
      : html`<p class="empty">No closures planned.</p>`}
    <button type="button" class="secondary" @click=${add}>Add a closure</button>
  `;
}

// Ticked languages keep the site's order (the first is the lobby screen's first); a newly
// ticked one goes last.
function languagesSection() {
  const toggle = (code) => (e) => {
    form.languages = e.target.checked ? [...form.languages, code] : form.languages.filter((c) => c !== code);
    draw();
  };
  return html`
    <fieldset aria-describedby=${describedBy("languages", "languages-help")}>
      <legend><h2 id="languages-title" tabindex="-1">Languages the kiosk offers</h2></legend>
      <p class="help" id="languages-help">A need of the site's own needs a label in each of these.</p>
      <div class="checks">
        ${ALL_LANGUAGES.map((code) => html`<label class="check" lang=${code}>
          <input type="checkbox" name="languages" value=${code} .checked=${form.languages.includes(code)} @change=${toggle(code)}>
          ${languageName(code)}</label>`)}
      </div>
      ${fieldError("languages")}
    </fieldset>
  `;
}

function retentionSection() {
  return html`
    <h2>Retention period</h2>
    <label for="site-retention">Days to keep names, phone numbers and notes after a visit closes</label>
    <input id="site-retention" type="number" min="1" max="3650" step="1" inputmode="numeric" .value=${String(form.retention_days)}
           @input=${bind("retention_days")} aria-invalid=${invalid("retention_days")}
           aria-describedby=${describedBy("retention_days", "retention-help")}>
    <p class="help" id="retention-help">From 1 to 3650 days. After that the visit keeps only what reports need: times,
      channel, needs, language and outcome.</p>
    ${fieldError("retention_days")}
  `;
}

const bind = (field) => (e) => {
  form[field] = e.target.value;
};

function draw() {
  if (!form) return;
  const view = {
    needs: form.needs,
    languages: form.languages,
    errors,
    say,
    redraw: () => {
      form.needs = view.needs;
      draw();
    },
  };
  render(
    html`
      ${summary()} ${statusLine()}
      <form @submit=${save} novalidate>
        <section>
          <h2 id="name-title">Name and time zone</h2>
          <label for="site-name">Name</label>
          <input id="site-name" name="name" maxlength="120" .value=${form.name} @input=${bind("name")}
                 aria-invalid=${invalid("name")} aria-describedby=${describedBy("name")}>
          ${fieldError("name")}
          <label for="site-timezone">Time zone</label>
          <input id="site-timezone" name="timezone" maxlength="64" .value=${form.timezone} @input=${bind("timezone")}
                 aria-invalid=${invalid("timezone")} aria-describedby=${describedBy("timezone", "timezone-help")}>
          <p class="help" id="timezone-help">For example America/New_York. Hours are in this zone, daylight saving included.</p>
          ${fieldError("timezone")}
        </section>
        <section>${hoursSection()}</section>
        <section>${languagesSection()}</section>
        <section class="needs">${needsSection(view)}</section>
        <section>${retentionSection()}</section>
        <div class="buttons save">
          <button type="submit" class="primary">Save</button>
          ${outcomeLine()}
        </div>
      </form>
    `,
    box,
  );
}

// Beside Save, where the eye and the keyboard are: what the save did.
function outcomeLine() {
  if (!outcome) return nothing;
  const reload = () => {
    take(latest);
    latest = null;
    outcome = { kind: "saved", text: "These are the settings as saved now. Make your changes again, then save." };
    draw();
    focusOutcome();
  };
  return html`
    <div class="save-outcome ${outcome.kind}" tabindex="-1" data-outcome>
      <p>${outcome.text}</p>
      ${outcome.kind === "stale" && latest
        ? html`<button type="button" class="secondary" @click=${reload}>Show the settings as saved now</button>`
        : nothing}
    </div>
  `;
}

function focusOutcome() {
  const box = $("[data-outcome]");
  if (box) box.focus();
}

function take(site) {
  version = site.version;
  form = formOf(site);
  original = bodyOf(form);
}

function formOf(site) {
  return {
    name: site.name || "",
    timezone: site.timezone || "",
    hours: site.hours || "",
    closures: (site.closures || []).map((c) => ({ key: nextKey++, date: c.date, reason: c.reason || "" })),
    languages: [...site.languages],
    needs: fromSite(site.needs),
    retention_days: site.retention_days,
  };
}

async function loadStatus(site) {
  status = await api("GET", `/api/v1/sites/${site}/status`, { background: true }).catch(() => null);
}

function bodyOf(form) {
  const days = String(form.retention_days).trim();
  return {
    name: form.name.trim(),
    timezone: form.timezone.trim(),
    hours: form.hours.trim(),
    // A row left empty is no closure: it must not stop the hours being saved.
    closures: form.closures
      .filter((c) => c.date || c.reason.trim())
      .map((c) => ({ date: c.date, reason: c.reason.trim() })),
    languages: form.languages,
    needs: toSite(form.needs),
    // A whole number goes as a number; anything else as typed, for the server to name.
    retention_days: /^\d{1,6}$/.test(days) ? Number(days) : days,
  };
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const changedIn = (before, after) => Object.keys(after).filter((k) => !same(before[k], after[k]));
const listed = (keys) => keys.map((k) => NAMES[k] || k).join(", ");

async function save(event) {
  event.preventDefault();
  const site = currentSite();
  const undated = form.closures.find((c) => !c.date && c.reason.trim());
  if (undated) return refuse({ closures: `“${undated.reason.trim()}” has no date: choose one, or remove the row.` });
  const now = bodyOf(form);
  const changed = changedIn(original, now);
  if (!changed.length) return done({ kind: "unchanged", text: "Nothing to save: no setting was changed." });
  try {
    const data = await api("PATCH", `/api/v1/sites/${site}`, {
      body: Object.fromEntries(changed.map((k) => [k, now[k]])),
      ifMatch: version,
    });
    errors = {};
    take(data.site);
    await loadStatus(site);
    done({ kind: "saved", text: `Saved: ${listed(changed)}.` });
  } catch (error) {
    if (!(error instanceof ApiError)) return done({ kind: "failed", text: "No answer from the server. Nothing was saved." });
    if (error.status === 412) return stale(site);
    if (!Object.keys(error.fields).length) {
      errors = {};
      return done({ kind: "failed", text: `Not saved: ${error.message}` });
    }
    refuse(groupErrors(error.fields), error.message);
  }
}

function done(result) {
  outcome = result;
  say(result.text);
  draw();
  focusOutcome();
}

// Someone saved since this form was filled: say what they changed, keep this person's
// edits on screen, and let them load the saved settings when they choose.
async function stale(site) {
  errors = {};
  try {
    latest = (await api("GET", `/api/v1/sites/${site}`)).site;
  } catch {
    latest = null;
  }
  const theirs = latest ? changedIn(original, bodyOf(formOf(latest))) : [];
  const what = theirs.length ? `${listed(theirs)} ` : "these settings ";
  done({
    kind: "stale",
    text: `Not saved: someone else changed ${what}after you opened this page. Your changes are still on the screen; note them, show the settings as saved now, then make them again.`,
  });
}

function refuse(found, message = "Not saved: see the list at the top.") {
  errors = found;
  outcome = null;
  say(message);
  draw();
  const first = $("[data-errors]");
  if (first) first.focus();
}

// "closures.0.date" and the like belong to the closures list; a need's fields keep their
// own key, so each shows beside its own input.
function groupErrors(fields) {
  const grouped = {};
  for (const [key, text] of Object.entries(fields)) {
    const field = key.startsWith("needs.") ? key : key.split(/[.[]/)[0];
    grouped[field] = grouped[field] ? `${grouped[field]} ${text}` : text;
  }
  return grouped;
}

async function load() {
  const site = currentSite();
  errors = {};
  form = null;
  outcome = null;
  latest = null;
  render(html`<p class="empty">Loading…</p>`, box);
  try {
    const data = await api("GET", `/api/v1/sites/${site}`);
    await loadStatus(site);
    if (site !== currentSite()) return;
    take(data.site);
    draw();
  } catch (error) {
    const why = error instanceof ApiError ? error.message : "No answer from the server.";
    render(html`<p class="error" role="alert">The site could not be loaded: ${why}</p>`, box);
  }
}

onSiteChange(load);
load();
