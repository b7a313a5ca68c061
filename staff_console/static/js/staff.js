// Staff (Administration): who works at the site; for administrators, invite, change role,
// sites and languages, deactivate and reset a password. The server decides who may do
// what (`may_manage`, and each account's `allowed`) and checks every change; the page only
// shows its answers.
import { ApiError, api } from "./api.js";
import { $, config, currentSite, languageName, me, onSiteChange, say, siteInfo } from "./base.js";
import { html, nothing, render } from "./lit.js";

const list = $("[data-staff]");
const inviteBox = $("[data-invite]");
const linkBox = $("[data-link]");
let staff = [];
let mayManage = false;
let editing = null; // the id whose details are open for change
let link = null; // {name, url, purpose}
let errors = {}; // the field errors of the form they came from: {form, fields}
let confirming = null; // {id, change}: a change that locks someone out waits for a second press
let focusAfter = null; // a selector to focus once the page is drawn again

const roleName = (role) => ({ case_manager: "Case manager", site_lead: "Site lead", admin: "Administrator" })[role] || role;

async function load() {
  try {
    const answer = await api("GET", `/api/v1/sites/${currentSite()}/staff`);
    staff = answer.staff;
    mayManage = answer.may_manage;
  } catch (error) {
    say(error instanceof ApiError ? error.sentence : "Could not load the staff list.");
    staff = [];
  }
  draw();
}

const refused = (error, form) => {
  errors = { form, fields: error instanceof ApiError ? error.fields : {} };
};
const errorsOf = (form) => (errors.form === form ? errors.fields : {});
const rowActions = (member) => `[data-staff-row="${CSS.escape(member.email)}"] .actions button`;

async function change(member, body, done) {
  try {
    const answer = await api("PATCH", `/api/v1/staff/${member.id}`, { body });
    errors = {};
    editing = null;
    say(done(answer.staff));
    focusAfter = rowActions(member);
    await load(); // where each account stands is the server's to say
    return;
  } catch (error) {
    refused(error, `edit-${member.id}`);
    say(error instanceof ApiError ? `Not saved: ${error.sentence}` : "Not saved.");
  }
  draw();
}

async function resetPassword(member) {
  try {
    const answer = await api("POST", `/api/v1/staff/${member.id}/password-reset`);
    link = { name: member.name, url: answer.set_password_url, purpose: "reset" };
    say(`${member.name} is signed out everywhere. Give them the new link below.`);
    focusAfter = "#set-password-url";
    await load();
    return;
  } catch (error) {
    say(error instanceof ApiError ? error.sentence : "Could not reset the password.");
  }
  draw();
}

// What each locking change does, said before it is done: one mis-press must not lock a
// colleague out in the middle of their shift.
const CONFIRM = {
  deactivate: (m) => [`Deactivate ${m.name}? They are signed out everywhere at once and cannot sign in until reactivated.`, "Yes, deactivate"],
  reset_password: (m) => [`Reset ${m.name}'s password? Their password stops working and they are signed out everywhere; you get a new link to give them.`, "Yes, reset the password"],
};

function ask(member, change) {
  confirming = { id: member.id, change };
  focusAfter = "[data-confirm] button.primary";
  draw();
}

function confirmed(member) {
  const { change: what } = confirming;
  confirming = null;
  if (what === "deactivate") change(member, { active: false }, (s) => `${s.name} is deactivated and signed out everywhere.`);
  else resetPassword(member);
}

function confirmBox(member) {
  if (!confirming || confirming.id !== member.id) return nothing;
  const [question, yes] = CONFIRM[confirming.change](member);
  const cancel = () => { confirming = null; focusAfter = rowActions(member); draw(); };
  return html`<tr><td colspan="6">
    <div class="confirm" role="group" aria-label=${question} data-confirm>
      <p>${question}</p>
      <div class="buttons">
        <button type="button" class="primary" @click=${() => confirmed(member)}>${yes}</button>
        <button type="button" class="secondary" @click=${cancel}>Cancel</button>
      </div>
    </div>
  </td></tr>`;
}

async function invite(event) {
  event.preventDefault();
  const form = event.target;
  const body = {
    email: form.email.value,
    name: form.name.value,
    role: form.role.value,
    sites: [...form.querySelectorAll("[name=sites]:checked")].map((box) => box.value),
    languages: [...form.querySelectorAll("[name=languages]:checked")].map((box) => box.value),
  };
  try {
    const answer = await api("POST", "/api/v1/staff", { body });
    link = { name: answer.staff.name, url: answer.set_password_url, purpose: "invite" };
    errors = {};
    form.reset();
    say(`${answer.staff.name} is invited. Give them the link below.`);
    focusAfter = "#set-password-url";
    await load();
    return;
  } catch (error) {
    refused(error, "invite");
    say(error instanceof ApiError ? `Not invited: ${error.sentence}` : "Not invited.");
  }
  draw();
}

function save(event, member) {
  event.preventDefault();
  const form = event.target;
  const picked = (name) => [...form.querySelectorAll(`[name=${name}]:checked`)].map((box) => box.value);
  const body = { sites: picked("sites"), languages: picked("languages") };
  if (may(member, "role")) body.role = form.role.value;
  change(member, body, (s) => `${s.name}'s details are saved.`);
}

const may = (member, change) => member.allowed.includes(change);

const fieldError = (field, form) => {
  const text = errorsOf(form)[field];
  return text ? html`<p class="field-error">${text}</p>` : nothing;
};

function checks(name, legend, options, chosen, prefix) {
  return html`<fieldset>
    <legend>${legend}</legend>
    <div class="checks">
      ${options.map(
        ([value, text]) => html`<label class="check" for="${prefix}-${name}-${value}">
          <input type="checkbox" id="${prefix}-${name}-${value}" name="${name}" value="${value}" ?checked=${chosen.includes(value)} />
          ${text}</label
        >`,
      )}
    </div>
    ${fieldError(name, prefix)}
  </fieldset>`;
}

const siteOptions = () => config.sites.map((s) => [s.slug, s.name]);
const languageOptions = () => config.staffLanguages.map((code) => [code, languageName(code)]);

function roleSelect(id, chosen, form) {
  return html`<div class="field"><label for="${id}">Role</label>
    <select id="${id}" name="role">
      ${config.roles.map((role) => html`<option value="${role}" ?selected=${role === chosen}>${roleName(role)}</option>`)}
    </select>
    ${fieldError("role", form)}</div>`;
}

function editForm(member) {
  const prefix = `edit-${member.id}`;
  return html`<tr>
    <td colspan="6">
      <form class="staff-form" @submit=${(event) => save(event, member)} aria-labelledby="${prefix}-title">
        <h3 id="${prefix}-title">Change ${member.name}</h3>
        ${may(member, "role")
          ? roleSelect(`${prefix}-role`, member.role, prefix)
          : html`<p>${member.id === me.id ? "Your own role is changed by another administrator." : `${member.name} also works at a site you do not administer: their role, sign-in and password are changed by an administrator of all their sites.`}</p>`}
        ${checks("sites", "Sites", siteOptions(), member.sites, prefix)}
        ${checks("languages", "Languages they speak with visitors", languageOptions(), member.languages, prefix)}
        <div class="buttons">
          <button type="submit" class="primary">Save ${member.name}</button>
          <button type="button" class="secondary" @click=${() => { editing = null; errors = {}; focusAfter = rowActions(member); draw(); }}>Cancel</button>
        </div>
      </form>
    </td>
  </tr>`;
}

function actions(member) {
  if (!member.allowed.length) return nothing;
  const button = (change, label, hidden, act) =>
    may(member, change) ? html`<button type="button" class="secondary" @click=${act}>${label}<span class="visually-hidden"> ${hidden}</span></button>` : nothing;
  return html`<div class="actions">
    ${button("sites_and_languages", "Change", member.name, () => {
      editing = member.id;
      errors = {};
      focusAfter = `#edit-${member.id}-role, [aria-labelledby="edit-${member.id}-title"] input`;
      draw();
    })}
    ${button("deactivate", "Deactivate", member.name, () => ask(member, "deactivate"))}
    ${button("reset_password", "Reset password", `of ${member.name}`, () => ask(member, "reset_password"))}
    ${button("reactivate", "Reactivate", member.name, () => change(member, { active: true }, (s) => `${s.name} can sign in again.`))}
  </div>`;
}

function row(member) {
  return html`<tr class=${member.active ? "" : "inactive"} data-staff-row=${member.email}>
      <th scope="row">${member.name}</th>
      <td>${member.email}</td>
      <td>${roleName(member.role)}</td>
      <td>${member.languages.map(languageName).join(", ")}</td>
      <td>${member.status_label}</td>
      <td>${actions(member)}</td>
    </tr>
    ${confirmBox(member)}
    ${editing === member.id ? editForm(member) : nothing}`;
}

function inviteForm() {
  if (!mayManage) return nothing;
  return html`<h2 id="invite-title">Invite someone</h2>
    <p class="help">They get a link to choose their own password. It works once, for 24 hours. Hand it over in person or by a message you trust.</p>
    <form class="staff-form" aria-labelledby="invite-title" @submit=${invite} novalidate>
      <div class="field"><label for="invite-name">Name</label><input id="invite-name" name="name" autocomplete="off" required />${fieldError("name", "invite")}</div>
      <div class="field"><label for="invite-email">Email</label><input id="invite-email" name="email" type="email" autocomplete="off" required />${fieldError("email", "invite")}</div>
      ${roleSelect("invite-role", "case_manager", "invite")}
      ${checks("sites", "Sites", siteOptions(), [currentSite()], "invite")}
      ${checks("languages", "Languages they speak with visitors", languageOptions(), ["en"], "invite")}
      <div class="buttons"><button type="submit" class="primary">Invite</button></div>
    </form>`;
}

function linkPanel() {
  if (!link) return nothing;
  return html`<div class="link-box" data-set-password-link>
    <h2>${link.purpose === "invite" ? `Link for ${link.name}` : `New password link for ${link.name}`}</h2>
    <label for="set-password-url">Give ${link.name} this link (it works once, for 24 hours):</label>
    <input id="set-password-url" readonly .value=${link.url} @focus=${(e) => e.target.select()} />
  </div>`;
}

function draw() {
  render(linkPanel(), linkBox);
  render(
    html`<h2>Who works at ${siteInfo().name}</h2>
      <table class="staff-list">
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Languages</th><th scope="col">Status</th><th scope="col">${mayManage ? "Actions" : html`<span class="visually-hidden">Actions</span>`}</th></tr></thead>
        <tbody>${staff.length ? staff.map(row) : html`<tr><td colspan="6" class="empty">Nobody yet.</td></tr>`}</tbody>
      </table>`,
    list,
  );
  render(inviteForm(), inviteBox);
  if (focusAfter) {
    const target = document.querySelector(focusAfter);
    focusAfter = null;
    if (target) {
      target.focus();
      target.scrollIntoView({ block: "nearest" });
    }
  }
}

onSiteChange(() => {
  editing = null;
  load();
});
load();
