// What a manager's buttons do. Each asks the server and says, in a sentence, what
// happened; a refusal is shown as the server worded it, and a 409 (someone else acted
// first) brings a fresh snapshot rather than a guess.
import { ApiError, api, newKey, signedOut } from "../api.js";
import { $, currentSite, plural, say, since } from "../base.js";
import { html, nothing, render } from "../lit.js";
import { acknowledgedLine, attemptLine, completedLine, doneLine } from "./words.js";

let resync = () => {};
export const onRefused = (callback) => {
  resync = callback;
};

function refused(error) {
  if (!(error instanceof ApiError)) {
    say("No answer from the server. Check the connection and try again.");
    return;
  }
  if (error.status === 401) return;
  say(error.sentence);
  if (error.status === 409) resync();
}

async function attemptTo(work) {
  try {
    return await work();
  } catch (error) {
    refused(error);
    return null;
  }
}

export const transition = (t, action, extra = {}) =>
  api("POST", `/api/v1/tickets/${t.id}/transitions`, { body: { action, version: t.version, ...extra } });

export function act(t, action) {
  return attemptTo(async () => {
    await transition(t, action);
    say(doneLine(action, t));
  });
}

export function complete(t, choice) {
  return attemptTo(async () => {
    const data = await transition(t, "complete", choice);
    say(completedLine(t.code, choice, data && data.ticket));
  });
}

// Calling someone while an urgent person waits needs a reason, kept with the call. Only
// the server knows the whole line at this moment, so the console asks when it answers 409
// urgent_waiting (a ticket's urgent_waiting_ahead goes stale as soon as the line moves).
// `urgentWaiting()`: the urgent people the console has in the line now, for the question.
export async function call(t, urgentWaiting = () => []) {
  try {
    await transition(t, "call");
    say(doneLine("call", t));
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "urgent_waiting")) return refused(error);
    const reason = await askReason(t, error.message, urgentWaiting().filter((u) => u.id !== t.id));
    if (reason === null) return;
    await attemptTo(async () => {
      await transition(t, "call", { reason });
      say(`${doneLine("call", t)} Reason kept: ${reason}`);
    });
  }
}

function askReason(t, serverSays, urgent) {
  const dialog = $("[data-reason]");
  const form = $("[data-reason-form]");
  $("[data-reason-text]").textContent =
    serverSays || `Someone who said they feel unsafe is waiting ahead of ${t.code}.`;
  render(
    urgent.length
      ? html`<p>Waiting urgently:</p>
          <ul>${urgent.map((u) => html`<li>${u.code}${u.name ? ` (${u.name})` : ""}, waiting ${since(u.queued_at)}</li>`)}</ul>`
      : nothing,
    $("[data-reason-who]"),
  );
  $("[data-reason-call]").textContent = `Call ${t.code}`;
  form.reason.value = "";
  dialog.showModal();
  return new Promise((resolve) => {
    const done = (value) => {
      form.removeEventListener("submit", onSubmit);
      $("[data-reason-cancel]").removeEventListener("click", onCancel);
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const text = form.reason.value.trim();
      if (text) done(text);
    };
    const onCancel = (event) => {
      event.preventDefault();
      say(`${t.code} was not called.`);
      done(null);
    };
    form.addEventListener("submit", onSubmit);
    $("[data-reason-cancel]").addEventListener("click", onCancel);
    dialog.addEventListener("cancel", onCancel);
  });
}

export function attempt(t, result) {
  return attemptTo(async () => {
    const data = await api("POST", `/api/v1/tickets/${t.id}/attempts`, { body: { result, version: t.version } });
    say(attemptLine(t.code, data.ticket));
  });
}

export function transfer(t, to, toName) {
  return attemptTo(async () => {
    await api("POST", `/api/v1/tickets/${t.id}/transfer`, { body: { to, version: t.version } });
    say(`${t.code} handed over to ${toName}.`);
  });
}

export function saveNote(t, body) {
  return attemptTo(async () => {
    const data = await api("POST", `/api/v1/tickets/${t.id}/notes`, { body: { body } });
    say(`Note saved on ${t.code}.`);
    return data.note;
  });
}

// {ticket} once acknowledged; {refusal} when the server says a free colleague should go
// (409 colleague_free): the alert stays up, and the banner shows why.
export function sendText(t, body) {
  return attemptTo(async () => {
    const { message } = await api("POST", `/api/v1/tickets/${t.id}/messages`, { body: { body } });
    say(`Text to ${t.code}: ${message.status_label}.`);
    return message;
  });
}

export async function acknowledge(t) {
  try {
    const data = await api("POST", `/api/v1/tickets/${t.id}/acknowledge`, { body: {} });
    say(acknowledgedLine(data.ticket));
    return { ticket: data.ticket };
  } catch (error) {
    if (error instanceof ApiError && error.code === "colleague_free") {
      say(`${t.code}: ${error.message}`);
      return { refusal: error.message };
    }
    refused(error);
    return {};
  }
}

export const setDuty = (body) => attemptTo(() => api("PUT", `/api/v1/sites/${currentSite()}/duty`, { body }));

export const addCaller = (body) =>
  attemptTo(async () => {
    const data = await api("POST", `/api/v1/sites/${currentSite()}/callbacks`, { body, key: newKey() });
    say(`${data.ticket.code} added to the line as a call-back.`);
    return data.ticket;
  });

export const openRecord = (t) => attemptTo(() => api("GET", `/api/v1/tickets/${t.id}`));

// One key per press, kept until the server has answered: a retry after a lost answer (or
// a second tap) returns the same person instead of calling someone else too.
let callKey = null;
export async function callNext(button) {
  if (button.getAttribute("aria-busy") === "true") return;
  button.setAttribute("aria-busy", "true");
  callKey = callKey || newKey();
  try {
    const data = await api("POST", `/api/v1/sites/${currentSite()}/queue/next`, { key: callKey });
    callKey = null; // answered: the next press is a new call
    say(data ? `You called ${data.ticket.code}.` : "Nobody is waiting.");
  } catch (error) {
    if (error instanceof ApiError) {
      callKey = null;
      if (error.status === 401) return signedOut();
      say(error.sentence);
    } else {
      say("No answer from the server. Press Call next again: it will not call a second person.");
    }
  } finally {
    button.removeAttribute("aria-busy");
  }
}

export const waitingWords = (n) => (n ? `${plural(n, "person is", "people are")} waiting` : "nobody is waiting");
