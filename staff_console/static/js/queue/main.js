// The duty case manager's live queue. State comes only from the server (see state.js);
// this module wires the socket, the forms and the drawing together.
import { $, clock, config, currentSite, dateAndClock, label, languageName, me, onSiteChange, say, tell } from "../base.js";
import { html, render } from "../lit.js";
import { api } from "../api.js";
import * as actions from "./actions.js";
import { alertsView, mine, ring, soundFollowsDuty } from "./alerts.js";
import { needsText } from "./card.js";
import { busyRows, coverage, myCards, waitingRows } from "./render.js";
import { Caseload } from "./caseload.js";
import { openSocket, whenLiveCannotStart } from "./offline.js";
import { QueueState } from "./state.js";
import { chimeForReplies } from "./texts.js";
import { alertEndedLine, loadVocabulary } from "./words.js";

const state = new QueueState(currentSite());
const caseload = new Caseload(() => draw());
// What the manager is in the middle of, which the server does not know yet.
const view = {
  config,
  choices: new Map(), // ticket id → outcome chosen in its form (shows the right detail fields)
  savedNotes: new Map(), // ticket id → notes saved from this page
  alertNotes: new Map(), // ticket id → why the server kept the alert up (colleague_free)
  get duty() {
    return state.duty;
  },
  get site() {
    return state.site;
  },
  choose(id, value) {
    view.choices.set(id, value);
    draw();
  },
  keepNote(id, note) {
    view.savedNotes.set(id, [...(view.savedNotes.get(id) || []), note]);
    draw();
  },
  async dismissBurst(site) {
    // Acknowledged on the server, so the burst leaves every console (alert:burst, count 0)
    // and the audit log says who looked into it.
    try {
      await api("POST", `/api/v1/sites/${encodeURIComponent(site)}/bursts/acknowledge`);
      state.dismissBurst(site);
    } catch (error) {
      say(error.message || "Could not acknowledge the burst. Try again.");
    }
    draw();
  },
  async acknowledge(t) {
    const { refusal } = await actions.acknowledge(t);
    if (refusal) view.alertNotes.set(t.id, refusal);
    else view.alertNotes.delete(t.id);
    draw();
  },
  // The urgent people in the line now, for the question before calling someone else.
  urgentWaiting: () => state.waiting.filter((t) => t.urgent),
  openRecord,
  redraw: () => draw(),
};

function draw() {
  render(alertsView(state, view), $("[data-alerts]"));
  render(caseload.view(), $("[data-caseload]"));
  render(coverage(state.duty, state.site, state.ready ? state.waitingOrder.length : state.duty?.waiting || 0), $("[data-coverage]"));
  if (!state.ready) return;
  $("[data-console]").hidden = false;
  $("[data-waiting-count]").textContent = `(${state.waitingOrder.length})`;
  render(waitingRows(state, view), $("[data-waiting]"));
  render(busyRows(state, view), $("[data-busy]"));
  render(myCards(state, view), $("[data-mine]"));
  drawDuty();
}

let deskShown; // the roster's desk last put in the Desk field
function drawDuty() {
  const duty = state.duty;
  if (!duty) return;
  const mine = duty.on_duty_now.find((s) => s.staff_id === me.id);
  // After a reload the field shows the desk the roster has for me, unless I am typing there.
  const desk = $("#desk");
  const rostered = mine ? mine.desk || "" : undefined;
  if (rostered !== deskShown && document.activeElement !== desk) {
    if (rostered !== undefined) desk.value = rostered;
    deskShown = rostered;
  }
  $("[data-my-duty]").textContent = mine
    ? `You are on duty${mine.desk ? ` at desk ${mine.desk}` : ""} since ${clock(mine.since)}.`
    : "You are not on duty.";
  $("[data-duty-start]").textContent = mine ? "Change desk" : "Start duty";
  $("[data-duty-end]").hidden = !mine;
  $("[data-call-next]").disabled = !mine;
  $("[data-on-duty]").textContent = duty.on_duty_now.length
    ? duty.on_duty_now.map((s) => `${s.name}${s.desk ? ` (desk ${s.desk})` : ""}`).join(", ")
    : "nobody";
  soundFollowsDuty(Boolean(mine));
}

// ---------- the socket ----------
const socket = openSocket("/console", { transports: ["websocket", "polling"] });
const connection = $("[data-connection]");
function showConnection(text, offline) {
  connection.textContent = text;
  connection.classList.toggle("offline", offline);
}
socket.on("connect", () => showConnection("Live.", false));
socket.on("disconnect", () => showConnection("Reconnecting… the queue below may be out of date.", true));
// An administrator deactivated this account or reset its password: the server says so just
// before it disconnects this console, on whichever process holds it. Leave at once.
let leaving = false; // the server's own reason goes first; nothing may replace it
socket.on("session:ended", () => {
  leaving = true;
  window.location.assign("/console/?signed_out=ended");
});
function leaveIfSignedOut() {
  if (leaving) return;
  fetch("/api/v1/auth/me", { credentials: "same-origin" }).then((r) => {
    if (r.status === 401) window.location.assign("/console/?signed_out=expired");
  });
}
socket.on("connect_error", () => {
  showConnection("Cannot reach the server. Trying again…", true);
  // A session that ended (signed out elsewhere, idle) is refused: find out and go.
  leaveIfSignedOut();
});
whenLiveCannotStart(socket, {
  site: () => state.site,
  show: (text) => showConnection(text, true),
  snapshot: (message) => {
    state.snapshot(message);
    draw();
  },
});
function resync() {
  socket.disconnect();
  socket.connect();
}
actions.onRefused(resync);

socket.on("queue:snapshot", (message) => {
  state.snapshot(message);
  ring(state.openAlerts);
  chimeForReplies([...state.waiting, ...state.busy], { quiet: true });
  draw();
});
function onTicket(message) {
  const waitingBefore = state.waitingOrder.length;
  const before = state.tickets.get(message.ticket.id);
  const { outcome, previous } = state.event(message);
  if (outcome === "gap") return resync(); // a message went missing: start again, never drift
  if (state.waitingOrder.length !== waitingBefore) refreshCoverSoon();
  const t = message.ticket;
  if (previous && !state.needsAlert(t)) {
    view.alertNotes.delete(t.id);
    // My own acknowledgement is in my status line already; a colleague's goes to the
    // quieter line, never over what I did last.
    if (!doneByMe(t)) tell(alertEndedLine(t));
  }
  ring(state.openAlerts);
  if (outcome === "applied") chimeForReplies([t]); // the text is on this page's line
  // Someone with me cancelled themselves (a text, their phone): their card goes, and I
  // must not go on waiting at the desk for them.
  if (before && mine(before) && t.status === "cancelled") {
    say(`${t.code} cancelled their visit themselves (by text or on their phone): they are no longer with you.`);
  }
  draw();
}
const doneByMe = (t) =>
  [t.follow_up && t.follow_up.by, t.alert && t.alert.acknowledged_by].some((who) => who && who.id === me.id);
socket.on("ticket:created", onTicket);
socket.on("ticket:updated", onTicket);
socket.on("alert:urgent", onTicket);
socket.on("alert:burst", (message) => {
  state.burst(message);
  ring([{ id: `burst:${message.site}:${message.since}:${message.count}` }]);
  draw();
});
socket.on("case:arrived", (message) => caseload.arrived(message));
socket.on("duty:updated", (message) => {
  if (message.site !== state.site) return;
  state.duty = message;
  draw();
});

// ---------- the page's own forms ----------
$("[data-call-next]").addEventListener("click", (event) => actions.callNext(event.currentTarget));

async function dutyChanged(body) {
  const answer = await actions.setDuty(body);
  if (answer) {
    state.duty = answer;
    draw();
  }
}
$("[data-duty-form]").addEventListener("submit", (event) => {
  event.preventDefault();
  dutyChanged({ on_duty: true, desk: $("#desk").value.trim() || null });
});
$("[data-duty-end]").addEventListener("click", () => dutyChanged({ on_duty: false }));

function fillCallerForm() {
  const here = config.sites.find((s) => s.slug === state.site);
  render(here.languages.map((c) => html`<option value=${c}>${languageName(c)}</option>`), $("[data-caller-languages]"));
  render(
    here.needs.map((n) => html`<label class="check"><input type="checkbox" name="needs" value=${n.slug}> ${n.label}</label>`),
    $("[data-caller-needs]"),
  );
}
$("[data-caller-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const added = await actions.addCaller({
    phone: form.phone.value.trim(),
    name: form.name.value.trim() || null,
    language: form.language.value,
    needs: [...form.querySelectorAll("input[name=needs]:checked")].map((i) => i.value),
    sms_opt_in: form.sms_opt_in.checked,
  });
  if (added) form.reset();
});

async function openRecord(t) {
  const data = await actions.openRecord(t);
  if (!data) return;
  const names = new Map(((state.duty && state.duty.on_duty_now) || []).map((s) => [s.staff_id, s.name]));
  const who = (id) => (id === null || id === undefined ? "the system" : names.get(id) || `staff #${id}`);
  const found = data.ticket;
  render(
    html`
      <p>${found.code}${found.name ? ` · ${found.name}` : ""} · ${needsText(found)}</p>
      <h3>Notes</h3>
      ${data.notes.length
        ? html`<ul>${data.notes.map((n) => html`<li>${dateAndClock(n.at, found.site)} ${n.by ? n.by.name : who(n.staff_id)}: ${n.body}</li>`)}</ul>`
        : html`<p>No notes.</p>`}
      <h3>History</h3>
      <ol>
        ${data.history.map((h) => html`<li>${dateAndClock(h.at, found.site)} ${label(h.action)} → ${label(h.to_status)}, ${who(h.staff_id)}${h.reason ? ` (reason: ${h.reason})` : ""}</li>`)}
      </ol>
    `,
    $("[data-record-body]"),
  );
  $("[data-record]").showModal();
}
$("[data-close-record]").addEventListener("click", () => $("[data-record]").close());

onSiteChange((site) => {
  state.switchTo(site);
  view.choices.clear();
  caseload.watchReviews(site);
  fillCallerForm();
  draw();
  resync();
});

// The site's cover (who is on duty, "uncovered", the closing panel) is the server's word,
// sent on duty changes; the line's length changes it too, and business hours begin and end
// while the console is open: ask again then, at most once a second, and once a minute.
let coverAsked = null;
async function refreshCover() {
  const site = state.site;
  const answer = await fetch(`/api/v1/sites/${site}/duty`, {
    credentials: "same-origin",
    headers: { "X-Frontdoor-Background": "1" },
  }).catch(() => null);
  if (answer && answer.ok && site === state.site) {
    state.duty = await answer.json();
    draw();
  }
}
function refreshCoverSoon() {
  if (coverAsked) return;
  coverAsked = setTimeout(() => {
    coverAsked = null;
    refreshCover();
  }, 1000);
}
setInterval(refreshCover, 60000);
// Times ("waiting 12 min") and the no-show flag move on with the clock.
setInterval(draw, 1000);

fillCallerForm();
caseload.watchReviews(state.site);
loadVocabulary().then(draw);
