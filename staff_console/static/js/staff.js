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
let errors = {};

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

async function change(member, body, done) {
  try {
    const answer = await api("PATCH", `/api/v1/staff/${member.id}`, { body });
    Object.assign(member, answer.staff);
    errors = {};
    editing = null;
    say(done(answer.staff));
  } catch (error) {
    errors = error instanceof ApiError ? error.fields : {};
    say(error instanceof ApiError ? `Not saved: ${error.sentence}` : "Not saved.");
  }
  draw();
}

async function resetPassword(member) {
  try {
    const answer = await api("POST", `/api/v1/staff/${member.id}/password-reset`);
    link = { name: member.name, url: answer.set_password_url, purpose: "reset" };
    say(`${member.name} is signed out everywhere. Give them the new link below.`);
  } catch (error) {
    say(error instanceof ApiError ? error.sentence : "Could not reset the password.");
  }
  draw();
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
    await load();
    return;
  } catch (error) {
    errors = error instanceof ApiError ? error.fields : {};
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

const fieldError = (field) => (errors[field] ? html`<p class="field-error">${errors[field]}</p>` : nothing);

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
    ${fieldError(name)}
  </fieldset>`;
}

const siteOptions = () => config.sites.map((s) => [s.slug, s.name]);
const languageOptions = () => config.staffLanguages.map((code) => [code, languageName(code)]);

function roleSelect(id, chosen) {
  return html`<label for="${id}">Role</label>
    <select id="${id}" name="role">
      ${config.roles.map((role) => html`<option value="${role}" ?selected=${role === chosen}>${roleName(role)}</option>`)}
    </select>
    ${fieldError("role")}`;
}

function editForm(member) {
  const prefix = `edit-${member.id}`;
  return html`<tr>
    <td colspan="6">
      <form class="staff-form" @submit=${(event) => save(event, member)} aria-label="Change ${member.name}">
        ${may(member, "role")
          ? roleSelect(`${prefix}-role`, member.role)
          : html`<p>${member.id === me.id ? "Your own role is changed by another administrator." : `${member.name} also works at a site you do not administer: their role, sign-in and password are changed by an administrator of all their sites.`}</p>`}
        ${checks("sites", "Sites", siteOptions(), member.sites, prefix)}
        ${checks("languages", "Languages they speak with visitors", languageOptions(), member.languages, prefix)}
        <div class="buttons">
          <button type="submit" class="primary">Save ${member.name}</button>
          <button type="button" class="secondary" @click=${() => { editing = null; errors = {}; draw(); }}>Cancel</button>
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
    ${button("sites_and_languages", "Change", member.name, () => { editing = member.id; errors = {}; draw(); })}
    ${button("deactivate", "Deactivate", member.name, () => change(member, { active: false }, (s) => `${s.name} is deactivated and signed out everywhere.`))}
    ${button("reset_password", "Reset password", `of ${member.name}`, () => resetPassword(member))}
    ${button("reactivate", "Reactivate", member.name, () => change(member, { active: true }, (s) => `${s.name} can sign in again.`))}
  </div>`;
}

function row(member) {
  return html`<tr class=${member.active ? "" : "inactive"} data-staff-row=${member.email}>
      <th scope="row">${member.name}</th>
      <td>${member.email}</td>
      <td>${roleName(member.role)}</td>
      <td>${member.languages.map(languageName).join(", ")}</td>
      <td>${member.active ? "Active" : "Deactivated"}</td>
      <td>${actions(member)}</td>
    </tr>
    ${editing === member.id ? editForm(member) : nothing}`;
}

function inviteForm() {
  if (!mayManage) return nothing;
  return html`<h2 id="invite-title">Invite someone</h2>
    <p class="help">They get a link to choose their own password. It works once, for 24 hours. Hand it over in person or by a message you trust.</p>
    <form class="staff-form" aria-labelledby="invite-title" @submit=${invite} novalidate>
      <div><label for="invite-name">Name</label><input id="invite-name" name="name" autocomplete="off" required />${fieldError("name")}</div>
      <div><label for="invite-email">Email</label><input id="invite-email" name="email" type="email" autocomplete="off" required />${fieldError("email")}</div>
      <div>${roleSelect("invite-role", "case_manager")}</div>
      ${checks("sites", "Sites", siteOptions(), [currentSite()], "invite")}
      ${checks("languages", "Languages they speak with visitors", languageOptions(), ["en"], "invite")}
      <div><button type="submit" class="primary">Invite</button></div>
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
}

onSiteChange(() => {
  editing = null;
  load();
});
load();
