// A site's name, time zone, weekly hours (the SPEC text, as on the command line) and dated
// closures, for site leads and admins. The server checks everything; a refusal shows its
// words beside the field it names (and in a summary at the top).
import { ApiError, api } from "./api.js";
import { $, currentSite, dayAndClock, onSiteChange, say } from "./base.js";
import { html, nothing, render, repeat } from "./lit.js";

const box = $("[data-site-form]");
let form = null; // {name, timezone, hours, closures: [{key, date, reason}]}
let errors = {};
let nextKey = 0;
let status = null;

const FIELDS = { name: "site-name", timezone: "site-timezone", hours: "site-hours", closures: "closures-title" };
const NAMES = { name: "Name", timezone: "Time zone", hours: "Weekly hours", closures: "Closed on these dates" };

function fieldError(field) {
  const text = errors[field];
  return text ? html`<p class="field-error" id="${FIELDS[field]}-error">${text}</p>` : nothing;
}
const invalid = (field) => (errors[field] ? "true" : "false");
const describedBy = (field, help) => [help, errors[field] ? `${FIELDS[field]}-error` : ""].filter(Boolean).join(" ");

// Neutral words: a refused time zone or closure is not "the hours were not saved".
function summary() {
  const keys = Object.keys(errors);
  if (!keys.length) return nothing;
  const line = (k) => `${NAMES[k] || k}: ${errors[k]}`;
  return html`
    <div class="error-summary" role="alert" tabindex="-1" data-errors>
      <h2>Not saved:</h2>
      <ul>
        ${keys.map((k) => html`<li>${FIELDS[k] ? html`<a href="#${FIELDS[k]}">${line(k)}</a>` : line(k)}</li>`)}
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

function draw() {
  if (!form) return;
  const bind = (field) => (e) => {
    form[field] = e.target.value;
  };
  const add = () => {
    form.closures = [...form.closures, { key: nextKey++, date: "", reason: "" }];
    draw();
  };
  render(
    html`
      ${summary()} ${statusLine()}
      <form @submit=${save} novalidate>
        <label for="site-name">Name</label>
        <input id="site-name" name="name" maxlength="120" .value=${form.name} @input=${bind("name")}
               aria-invalid=${invalid("name")} aria-describedby=${describedBy("name")}>
        ${fieldError("name")}
        <label for="site-timezone">Time zone</label>
        <input id="site-timezone" name="timezone" maxlength="64" .value=${form.timezone} @input=${bind("timezone")}
               aria-invalid=${invalid("timezone")} aria-describedby=${describedBy("timezone", "timezone-help")}>
        <p class="help" id="timezone-help">For example America/New_York. Hours are in this zone, daylight saving included.</p>
        ${fieldError("timezone")}
        <label for="site-hours">Weekly hours</label>
        <input id="site-hours" name="hours" maxlength="200" autocomplete="off" spellcheck="false" .value=${form.hours}
               @input=${bind("hours")} aria-invalid=${invalid("hours")} aria-describedby=${describedBy("hours", "hours-help")}>
        <p class="help" id="hours-help">Days and times, for example <code>mon-fri 09:00-17:00, sat 10:00-13:00</code>,
          or two spans in a day: <code>mon-thu 08:30-12:00 13:00-17:00</code>. Write <code>always</code> for a site open day and night.</p>
        ${fieldError("hours")}
        <h2 id="closures-title">Closed on these dates</h2>
        <p class="help">Holidays, staff training: the kiosk tells people the site is closed that day.</p>
        ${fieldError("closures")}
        ${form.closures.length
          ? html`<table class="closures"><thead><tr><th scope="col">Date</th><th scope="col">Reason</th>
              <th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
              <tbody>${repeat(form.closures, (c) => c.key, closureRow)}</tbody></table>`
          : html`<p class="empty">No closures planned.</p>`}
        <div class="buttons">
          <button type="button" class="secondary" @click=${add}>Add a closure</button>
          <button type="submit" class="primary">Save</button>
        </div>
      </form>
    `,
    box,
  );
}

function take(site) {
  form = {
    name: site.name || "",
    timezone: site.timezone || "",
    hours: site.hours || "",
    closures: (site.closures || []).map((c) => ({ key: nextKey++, date: c.date, reason: c.reason || "" })),
  };
}

async function loadStatus(site) {
  status = await api("GET", `/api/v1/sites/${site}/status`, { background: true }).catch(() => null);
}

async function save(event) {
  event.preventDefault();
  const site = currentSite();
  const body = {
    name: form.name.trim(),
    timezone: form.timezone.trim(),
    hours: form.hours.trim(),
    // A row left empty is no closure: it must not stop the hours being saved.
    closures: form.closures
      .filter((c) => c.date || c.reason.trim())
      .map((c) => ({ date: c.date, reason: c.reason.trim() })),
  };
  const undated = form.closures.find((c) => !c.date && c.reason.trim());
  if (undated) return refuse({ closures: `“${undated.reason.trim()}” has no date: choose one, or remove the row.` });
  try {
    const data = await api("PATCH", `/api/v1/sites/${site}`, { body });
    errors = {};
    take(data.site);
    await loadStatus(site);
    say(`Saved. ${data.site.name} now keeps these hours: ${data.site.hours}.`);
    draw();
  } catch (error) {
    if (!(error instanceof ApiError)) return say("No answer from the server. Nothing was saved.");
    if (!Object.keys(error.fields).length) {
      errors = {};
      draw();
      return say(error.message);
    }
    refuse(groupErrors(error.fields), error.message);
  }
}

function refuse(found, message = "Not saved: see the list at the top.") {
  errors = found;
  say(message);
  draw();
  const first = $("[data-errors]");
  if (first) first.focus();
}

// "closures.0.date" and the like belong to the closures list.
function groupErrors(fields) {
  const grouped = {};
  for (const [key, text] of Object.entries(fields)) {
    const field = key.split(/[.[]/)[0];
    grouped[field] = grouped[field] ? `${grouped[field]} ${text}` : text;
  }
  return grouped;
}

async function load() {
  const site = currentSite();
  errors = {};
  form = null;
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
