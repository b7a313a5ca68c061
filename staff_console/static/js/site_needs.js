// The need categories section of the site settings: a label per offered language, move up
// and down (buttons, so the keyboard can do it), retire and bring back, add one. What is
// valid is the server's rule (queue_service/domain/needs.py): this only edits the list and
// shows the server's words beside the field it names.
import { config, languageName } from "./base.js";
import { html, nothing, repeat } from "./lit.js";

let nextKey = 0;

// From the server's shape to the page's; `saved`: the server has it (it can only retire).
export const fromSite = (needs) =>
  needs.map((n) => ({ key: nextKey++, slug: n.slug, labels: { ...n.labels }, retired: n.retired, isDefault: n.default, label: n.label, saved: true }));

// The full ordered list, as PATCH takes it. Empty labels are left out: the catalog's words.
export const toSite = (needs) =>
  needs.map((n) => ({
    slug: n.slug,
    labels: Object.fromEntries(Object.entries(n.labels).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v)),
    retired: n.retired,
  }));

export const needFieldId = (index, lang) => (lang ? `need-${index}-${lang}` : `need-${index}`);

// "needs.3.labels.ht" → the input it is about; "needs" → the section.
export function needFieldOf(key) {
  const parts = key.split(".");
  if (parts[0] !== "needs") return null;
  if (parts.length === 1) return "needs-title";
  return needFieldId(parts[1], parts[3]);
}

function move(view, index, by) {
  const list = [...view.needs];
  const [taken] = list.splice(index, 1);
  list.splice(index + by, 0, taken);
  view.needs = list;
  view.redraw();
  // Keep the keyboard on the same button of the row that moved (if it can move on).
  const where = index + by;
  const button = document.querySelector(`[data-need-row="${taken.key}"] [data-move="${by < 0 ? "up" : "down"}"]`);
  if (button && !button.disabled) button.focus();
  else document.querySelector(`[data-need-row="${taken.key}"] [data-move]:not([disabled])`)?.focus();
  view.say(`${nameOf(taken)} is now number ${where + 1} of ${list.length}.`);
}

const nameOf = (need) => need.labels.en?.trim() || need.label || need.slug;

function labelField(view, need, index, lang) {
  const id = needFieldId(index, lang);
  const error = view.errors[`needs.${index}.labels.${lang}`];
  const help = need.isDefault ? needFieldId(index, "help") : "";
  return html`
    <div class="need-label">
      <label for=${id}>${languageName(lang)}</label>
      <input id=${id} lang=${lang} maxlength=${config.limits.needLabel} autocomplete="off" .value=${need.labels[lang] || ""}
             placeholder=${(need.isDefault && config.standardNeedWords?.[need.slug]?.[lang]) || nothing}
             @input=${(e) => (need.labels[lang] = e.target.value)}
             aria-invalid=${error ? "true" : "false"}
             aria-describedby=${[help, error ? `${id}-error` : ""].filter(Boolean).join(" ") || nothing}>
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>
  `;
}

function needRow(view, need, index, count) {
  const name = nameOf(need);
  const retire = () => {
    need.retired = !need.retired;
    view.redraw();
    view.say(need.retired ? `${name} will be hidden from the kiosk once you save.` : `${name} will be offered again once you save.`);
  };
  const remove = () => {
    view.needs = view.needs.filter((n) => n !== need);
    view.redraw();
  };
  return html`
    <fieldset class="need ${need.retired ? "retired" : ""}" data-need-row=${need.key} data-slug=${need.slug} id=${needFieldId(index)}>
      <legend>${index + 1}. ${name} <span class="slug">(${need.slug})</span>
        ${need.retired ? html`<span class="tag">Retired</span>` : nothing}</legend>
      ${need.isDefault
        ? html`<p class="help" id="${needFieldId(index, "help")}">A standard need: a field left empty shows Front Door's own words.</p>`
        : nothing}
      <div class="need-labels">
        ${view.languages.map((lang) => labelField(view, need, index, lang))}
      </div>
      <div class="buttons">
        <button type="button" class="secondary" data-move="up" ?disabled=${index === 0} @click=${() => move(view, index, -1)}>
          Move up<span class="visually-hidden">: ${name}</span></button>
        <button type="button" class="secondary" data-move="down" ?disabled=${index === count - 1} @click=${() => move(view, index, 1)}>
          Move down<span class="visually-hidden">: ${name}</span></button>
        ${need.saved
          ? html`<button type="button" class="secondary" @click=${retire}>
              ${need.retired ? "Bring back" : "Retire"}<span class="visually-hidden">: ${name}</span></button>`
          : html`<button type="button" class="secondary" @click=${remove}>
              Remove<span class="visually-hidden">: ${name}</span></button>`}
      </div>
    </fieldset>
  `;
}

function addForm(view) {
  const add = () => {
    const input = document.getElementById("new-need");
    const slug = input.value.trim().toLowerCase();
    if (!slug) return input.focus();
    view.needs = [...view.needs, { key: nextKey++, slug, labels: {}, retired: false, isDefault: false, label: slug, saved: false }];
    input.value = "";
    view.redraw();
    document.getElementById(needFieldId(view.needs.length - 1, view.languages[0]))?.focus();
  };
  const onKey = (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      add();
    }
  };
  return html`
    <div class="inline add-need">
      <div>
        <label for="new-need">New need's short name</label>
        <input id="new-need" maxlength=${config.limits.needSlug} autocomplete="off" spellcheck="false" aria-describedby="new-need-help" @keydown=${onKey}>
      </div>
      <button type="button" class="secondary" @click=${add}>Add a need</button>
    </div>
    <p class="help" id="new-need-help">Lower-case letters, digits and dashes, e.g. <code>id-cards</code>. Visits record it; people
      never see it. Then give it a label in every language the kiosk offers.</p>
  `;
}

// `view`: {needs, languages, errors, redraw(), say(text)}.
export function needsSection(view) {
  const general = view.errors.needs;
  return html`
    <h2 id="needs-title" tabindex="-1">Need categories</h2>
    <p class="help">What the kiosk and the phone-caller form offer, in this order. A retired need is hidden but kept for
      past visits and reports; bring it back at any time.</p>
    ${general ? html`<p class="field-error" id="needs-error">${general}</p>` : nothing}
    ${repeat(view.needs, (n) => n.key, (n, i) => needRow(view, n, i, view.needs.length))}
    ${addForm(view)}
  `;
}
