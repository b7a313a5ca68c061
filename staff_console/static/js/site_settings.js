// A site's settings, for site leads and admins: name and time zone, weekly hours (the SPEC
// text, as on the command line) and dated closures, the kiosk's languages, the need
// categories (site_needs.js) and the retention period. Save sends what was changed, with the
// version it was read at: a change someone else made since is refused by the server (412)
// rather than undone. The server checks everything, and a refusal shows its words beside
// the field it names (and in a summary at the top).
import { ApiError, api } from "./api.js";
import { $, config, currentSite, dayAndClock, languageName, onSiteChange, say } from "./base.js";
import { html, nothing, render } from "./lit.js";
import { FIELDS, describedBy, fieldError, hoursSection, invalid, languagesSection, retentionSection } from "./site_fields.js";
import { REPEAT_NAMES, repeatBody, repeatForm, repeatSection } from "./site_repeat.js";
import { TEXT_NAMES, textsBody, textsForm, textsSection } from "./site_texts.js";
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

// The settings as a person names them, in what the page says was saved or changed.
const NAMES = {
  name: "Name",
  timezone: "Time zone",
  hours: "Weekly hours",
  closures: "Closed on these dates",
  languages: "Languages",
  needs: "Need categories",
  retention_days: "Retention period",
  ...TEXT_NAMES,
  ...REPEAT_NAMES,
};

const fieldOf = (key) => FIELDS[key] || needFieldOf(key);


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

const bind = (field) => (e) => {
  form[field] = e.target.value;
};

function draw() {
  if (!form) return;
  const view = {
    form,
    needs: form.needs,
    languages: form.languages,
    errors,
    say,
    bind,
    newKey: () => nextKey++,
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
          <input id="site-name" name="name" maxlength=${config.limits.siteName} .value=${form.name} @input=${bind("name")}
                 aria-invalid=${invalid(view, "name")} aria-describedby=${describedBy(view, "name")}>
          ${fieldError(view, "name")}
          <label for="site-timezone">Time zone</label>
          <input id="site-timezone" name="timezone" .value=${form.timezone} @input=${bind("timezone")}
                 aria-invalid=${invalid(view, "timezone")} aria-describedby=${describedBy(view, "timezone", "timezone-help")}>
          <p class="help" id="timezone-help">For example America/New_York. Hours are in this zone, daylight saving included.</p>
          ${fieldError(view, "timezone")}
        </section>
        <section>${hoursSection(view)}</section>
        <section>${languagesSection(view)}</section>
        <section class="needs">${needsSection(view)}</section>
        <section>${retentionSection(view)}</section>
        <section>${textsSection(view)}</section>
        <section>${repeatSection(view)}</section>
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
    ...textsForm(site),
    ...repeatForm(site),
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
    retention_days: /^-?\d+$/.test(days) ? Number(days) : days, // the server says what range
    ...textsBody(form),
    ...repeatBody(form),
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
