// A person's own ticket page: live over Socket.IO, polling when the socket is down. It also
// says how the office is while they wait (closed, nobody on duty yet, closing soon), and,
// when the office's day ended before they were seen, says that rather than "you left".
(() => {
  "use strict";
  const FD = window.FrontDoor;
  const data = JSON.parse(document.getElementById("ticket-data").textContent);
  const S = data.strings;
  const token = data.ticket.token;
  const $ = (selector) => document.querySelector(selector);
  const fill = (name, text) => { const el = $(`[data-field="${name}"]`); if (el) el.textContent = text; };
  const OPEN = ["waiting", "called"];
  const STATUS_EVERY = 15000; // ms; and at once when the phone shows the page again
  const HELP_RETRY = 3000; // ms: until the office has the request
  let shown = data.ticket;
  let office = null;
  const panel = $("[data-help]");
  const helpButton = $('[data-action="help"]');
  let asking = false; // a request for help is on its way (its answer words the panel)

  const dayClosed = (ticket) => ticket.end_reason === "day_closed";

  function render(ticket) {
    fill("code", ticket.code);
    fill("status", (dayClosed(ticket) ? S.status.day_closed : S.status[ticket.status]) || "");
    const waiting = ticket.status === "waiting" && ticket.position;
    fill("place", waiting ? FD.put(S.place, { n: ticket.position }) : "");
    const minutes = ticket.estimated_wait_minutes;
    // No number with nobody on duty (the server gives none): say nothing rather than guess.
    fill("wait", !waiting ? "" : minutes ? FD.put(S.wait, { n: minutes }) : minutes === 0 ? S.noWait : "");
    const desk = ticket.status === "called" && ticket.desk;
    fill("desk", desk ? FD.put(FD.namesItself(desk) ? S.deskNamed : S.desk, { desk }) : "");
    const leave = $("[data-leave]");
    if (leave && !OPEN.includes(ticket.status)) leave.hidden = true;
    if (ticket.status === "called" && shown.status !== "called" && navigator.vibrate) {
      navigator.vibrate([300, 200, 300]); // once, when it becomes their turn
    }
    shown = ticket;
    renderReturnCode(ticket);
    renderOffice();
  }

  // Their return code while the visit keeps it; gone (with its QR) once the visit closes.
  function renderReturnCode(ticket) {
    const block = $('[data-field="return-block"]');
    if (!block) return;
    const code = ticket.return_code;
    block.hidden = !code;
    const words = $('[data-field="return-words"]');
    if (!code) return;
    if (words.textContent.indexOf(code) < 0) words.replaceChildren(...FD.codeNodes(S.returnCode, code));
    const image = $('[data-field="return-qr"]');
    if (!image.getAttribute("src")) image.src = data.returnCodeUrl;
  }

  // The office line, from the server's state: only while it matters to this person.
  function renderOffice() {
    const el = $('[data-field="office"]');
    let parts = [];
    if (office && dayClosed(shown)) {
      parts = [FD.opensText(office, data.locale, S)];
    } else if (office && shown.status === "waiting") {
      // A closure day says so ("Closed today: Training") before when it opens again.
      if (office.state === "closed") {
        const closure = document.createElement("span");
        closure.className = "closure";
        closure.replaceChildren(...FD.closureNodes(office, S, data.siteLang));
        parts = [S.closedNow, closure.textContent ? closure : "", FD.opensText(office, data.locale, S)];
      } else if (office.state === "unstaffed") parts = [S.waitingUnstaffed];
      parts.push(FD.closesText(office, data.locale, S));
    }
    const nodes = parts.filter(Boolean).flatMap((part, i) => (i ? [" ", part] : [part]));
    const probe = document.createElement("p");
    probe.replaceChildren(...nodes);
    if (el.innerHTML !== probe.innerHTML) el.replaceChildren(...nodes);
    el.hidden = !el.textContent.trim();
    renderHelp();
  }

  // The server says whether this person asked for help (help_requested): while they are in
  // line the panel stays, across a reload too, worded from the office's state now. Out of
  // line, a reload shows no panel; one opened on this page keeps the words it was given.
  function renderHelp() {
    if (asking || !shown.help_requested || !OPEN.includes(shown.status)) return;
    panel.hidden = false;
    helpButton.hidden = true;
    helpWords(office && office.state, true);
  }

  async function readOffice() {
    if (!OPEN.includes(shown.status) && !dayClosed(shown)) return;
    const answer = await FD.readStatus(data.statusUrl);
    if (!answer.ok) return;
    const changed = office && office.state !== answer.office.state;
    office = answer.office;
    renderOffice();
    // Someone came on or went off duty: the wait the server gives changes with it (none
    // with nobody on duty), and this ticket itself did not change to say so.
    if (changed) await poll();
  }

  async function poll() {
    try {
      const response = await fetch(data.apiUrl, { cache: "no-store" });
      if (response.ok) render((await response.json()).ticket);
    } catch (err) { /* try again next time */ }
  }

  const socket = window.io ? io("/public", { transports: ["websocket", "polling"] }) : null;
  if (socket) {
    socket.on("connect", () => {
      fill("live", "");
      socket.emit("ticket:watch", { token }, (ack) => { if (ack && ack.ticket) render(ack.ticket); });
    });
    socket.on("ticket:updated", render);
    socket.on("disconnect", () => fill("live", S.offline));
  }
  setInterval(() => { if (!socket || !socket.connected) poll(); }, 15000);
  FD.every(STATUS_EVERY, readOffice);

  const form = $("[data-leave]");
  const dialog = $("dialog.confirm");
  if (form && dialog) {
    form.addEventListener("submit", (event) => { event.preventDefault(); dialog.showModal(); });
    dialog.addEventListener("click", async (event) => {
      const action = event.target.closest("[data-action]");
      if (!action) return;
      dialog.close();
      if (action.dataset.action !== "leave") return;
      const response = await fetch(data.cancelUrl, { method: "POST", cache: "no-store" });
      if (response.ok) render((await response.json()).ticket);
    });
  }

  // "I don't feel safe": the crisis lines at once, then the words the office's answer
  // allows (the kiosk's own: FD.helpWording). This ticket is made urgent, never a second
  // one made; until the office has the request, keep sending it.
  function helpWords(state, confirmed) {
    const words = FD.helpWording(S, { state, confirmed });
    panel.dataset.office = words.mode;
    fill("help-title", words.title);
    $('[data-field="help-lead"]').hidden = !words.staffed;
    $('[data-field="help-also"]').hidden = !words.staffed;
    const after = state === "closed"
      ? [words.after, FD.opensText(office, data.locale, S)].join(" ").trim() : words.after;
    fill("help-after", after);
    $('[data-field="help-after"]').hidden = !after;
  }

  function helpError(text) {
    fill("help-error", text);
    $('[data-field="help-error"]').hidden = !text;
  }

  async function askForHelp() {
    if (asking) return;
    asking = true;
    helpWords(office && office.state, false);
    panel.hidden = false;
    helpButton.hidden = true;
    $("#help-title").focus();
    for (;;) {
      try {
        const response = await fetch(data.helpUrl, { method: "POST", cache: "no-store" });
        const json = await response.json().catch(() => ({}));
        if (response.ok && json.ticket) {
          if (json.office) office = json.office;
          // Someone comes only to a person still in line: a finished visit gets the desk.
          const inLine = OPEN.includes(json.ticket.status);
          helpWords(json.office ? json.office.state : null, inLine && Boolean(json.office));
          helpError("");
          asking = false; // from here on the ticket's help_requested words the panel
          render(json.ticket);
          return;
        }
        helpError(S.unreachable);
        if (response.status < 500 && response.status !== 429) return;
      } catch (err) {
        helpError(S.unreachable);
      }
      await new Promise((resolve) => setTimeout(resolve, HELP_RETRY));
    }
  }
  helpButton.addEventListener("click", askForHelp);
  renderHelp();
})();
