// The site settings form's repeat-visit rule: on how many days within the window a person
// came (or came saying they did not feel safe) before the console flags them as a repeat
// visitor. The limits are the server's (config.limits.repeat); what it refuses is shown
// beside the field, as every section does.
import { config } from "./base.js";
import { html } from "./lit.js";
import { FIELDS, describedBy, fieldError, invalid } from "./site_fields.js";

export const REPEAT_NAMES = {
  repeat_visits: "Repeat visits",
  repeat_urgent_visits: "Repeat urgent visits",
  repeat_window_days: "Repeat-visit window",
};
const KEYS = Object.keys(REPEAT_NAMES);

export const repeatForm = (site) => Object.fromEntries(KEYS.map((k) => [k, site[k]]));

// A whole number goes as a number; anything else as typed, for the server to name.
const whole = (value) => (/^-?\d+$/.test(String(value).trim()) ? Number(value) : String(value).trim());
export const repeatBody = (form) => Object.fromEntries(KEYS.map((k) => [k, whole(form[k])]));

const LIMIT_OF = { repeat_visits: "visits", repeat_urgent_visits: "urgent_visits", repeat_window_days: "window_days" };
const LABELS = {
  repeat_visits: "Days with a visit",
  repeat_urgent_visits: "Or days with an urgent visit",
  repeat_window_days: "Within the last … days (today included)",
};

function number(view, key) {
  const id = FIELDS[key];
  const [low, high] = config.limits.repeat[LIMIT_OF[key]];
  const { form, bind } = view;
  return html`
    <label for=${id}>${LABELS[key]}</label>
    <input id=${id} type="number" min=${low} max=${high} step="1" inputmode="numeric"
      .value=${String(form[key])} @input=${bind(key)} aria-invalid=${invalid(view, key)}
      aria-describedby=${describedBy(view, key, `${id}-help`)}>
    <p class="help" id="${id}-help">From ${low} to ${high}.</p>
    ${fieldError(view, key)}
  `;
}

export function repeatSection(view) {
  return html`
    <h2>Repeat visits</h2>
    <p>The console flags a person who came on this many days (several check-ins on one day are
      one visit), or this many days saying they did not feel safe, within the window: the
      people to think of for a critical-need case.</p>
    ${KEYS.map((key) => number(view, key))}
  `;
}
