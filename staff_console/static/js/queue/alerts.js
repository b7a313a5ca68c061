// Urgent alerts: a banner per open alert (unacknowledged, or seen while the person still waits with nobody on the way), from every site the manager works at,
// kept until a person acknowledges it (the server's snapshot.alerts carries them across
// reconnects and the day's close); a summary banner for a burst from one kiosk; and the
// sound, whose switch is at the top, on by default for a manager on duty.
import { $, clock, me, plural, siteInfo, whenAt } from "../base.js";
import { html, nothing, repeat } from "../lit.js";
import * as actions from "./actions.js";
import { allows, phoneLink, statusLabel } from "./card.js";

const heard = new Set();
const sound = $("[data-sound]");
let soundTouched = false;
sound.addEventListener("change", () => {
  soundTouched = true;
});

// Until the manager says otherwise, the sound follows whether they are on duty.
export function soundFollowsDuty(onDuty) {
  if (!soundTouched) sound.checked = onDuty;
}

export function ring(alerts) {
  const fresh = alerts.filter((t) => !heard.has(t.id));
  for (const t of fresh) heard.add(t.id);
  if (fresh.length && sound.checked) beep();
}

// Another thing worth hearing (a person's new text), by the same switch.
export function chime() {
  if (sound.checked) beep();
}

function beep() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  } catch (_) {
    /* no sound available: the banner is the signal */
  }
}

// What the banner says once someone has seen the alert (when the server still sends it).
function seenWords(alert) {
  if (!alert.acknowledged) return nothing;
  const by = alert.acknowledged_by ? alert.acknowledged_by.name : "a colleague";
  return alert.going
    ? html`<span data-seen>Seen by ${by}. ${alert.going.name} is on the way.</span>`
    : html`<span data-seen>Seen by ${by} — nobody is on the way yet.</span>`;
}

// How to reach them is the server's decision (alert.reach); these are its words.
function reachWords(alert) {
  if (alert.reach === "call") {
    if (alert.via === "text") {
      return "Call them now: they may not be at the office. The crisis lines were texted to them.";
    }
    return alert.via === "call"
      ? "Call them back now. The crisis lines were read to them on the call."
      : "Call them now. 988 was shown to them.";
  }
  return "Go to them now. 988 was shown to them.";
}

function escalatedWords(alert, slug) {
  const at = clock(alert.escalated_at, slug);
  return alert.escalated_to
    ? `Not acknowledged in time: texted to ${plural(alert.escalated_to, "on-call number", "on-call numbers")} at ${at}.`
    : `Not acknowledged in time, and at ${at} no on-call number could be texted (none is set, or they stopped texts).`;
}

function saidWords(alert) {
  if (alert.via === "text") return "wrote in a text that they feel unsafe";
  return alert.via === "call" ? "said on a call to the office that they feel unsafe" : "said they feel unsafe";
}

function banner(t, view) {
  const where = t.site === view.site ? "" : ` at ${siteInfo(t.site).name}`;
  const ended = !["waiting", "called", "in_session"].includes(t.status);
  const alert = t.alert || {};
  const note = view.alertNotes.get(t.id);
  return html`
    <div class="alert" role="alert" data-alert=${t.id} data-site=${t.site}>
      <p>
        <strong>⚠ URGENT${where}:</strong>
        ${t.code}${t.name ? ` (${t.name})` : ""} ${saidWords(alert)} ${whenAt(alert.raised_at || t.created_at, t.site)}.
        ${ended
          ? html`Their visit ended (${statusLabel(t).toLowerCase()}) before anyone acknowledged this: follow up.`
          : reachWords(alert)}
        ${seenWords(alert)}
        ${alert.unstaffed ? html`<span class="tag" data-unstaffed>Raised while nobody was on duty.</span>` : nothing}
        ${alert.escalated_at ? html`<span class="tag" data-escalated>${escalatedWords(alert, t.site)}</span>` : nothing}
        ${t.phone ? html`Phone: ${phoneLink(t)}.` : nothing}
        ${alert.via === "text" && t.texts && t.texts.last_reply ? html`<span data-their-words>Their text: “${t.texts.last_reply}”</span>` : nothing}
      </p>
      ${note ? html`<p class="alert-note" data-alert-note>${note}</p>` : nothing}
      <div class="buttons">
        ${allows(t, "acknowledge")
          ? html`<button type="button" class="primary" @click=${() => view.acknowledge(t)}>Acknowledge ${t.code}</button>`
          : nothing}
        ${alert.acknowledged && allows(t, "call")
          ? html`<button type="button" class="primary" @click=${() => actions.call(t, view.urgentWaiting)}>Call ${t.code}</button>`
          : nothing}
      </div>
    </div>
  `;
}

function burstBanner([slug, burst], view) {
  const where = slug === view.site ? "" : ` at ${siteInfo(slug).name}`;
  const when = burst.since ? ` since ${clock(burst.since, slug)}` : burst.at ? ` (the latest at ${clock(burst.at, slug)})` : "";
  return html`
    <div class="alert burst" role="alert" data-burst>
      <p>
        <strong>⚠ ${plural(burst.count, "more urgent request", "more urgent requests")} from one kiosk${where}</strong>
        ${when}. They were joined into one alert so the console stays usable; each
        person who pressed the button was shown the crisis lines. Check the lobby.
      </p>
      <button type="button" class="secondary" @click=${() => view.dismissBurst(slug)}>Acknowledge</button>
    </div>
  `;
}

export function alertsView(state, view) {
  return html`
    ${repeat(state.openAlerts, (t) => t.id, (t) => banner(t, view))}
    ${state.openBursts.map((entry) => burstBanner(entry, view))}
  `;
}

export const mine = (t) => t.assigned_to && t.assigned_to.id === me.id;
