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
  const STATUS_EVERY = 60000; // ms
  let shown = data.ticket;
  let office = null;

  const dayClosed = (ticket) => ticket.end_reason === "day_closed";

  function render(ticket) {
    fill("code", ticket.code);
    fill("status", (dayClosed(ticket) ? S.status.day_closed : S.status[ticket.status]) || "");
    const waiting = ticket.status === "waiting" && ticket.position;
    fill("place", waiting ? FD.put(S.place, { n: ticket.position }) : "");
    const minutes = ticket.estimated_wait_minutes;
    // No number with nobody on duty (the server gives none): say nothing rather than guess.
    fill("wait", !waiting ? "" : minutes ? FD.put(S.wait, { n: minutes }) : minutes === 0 ? S.noWait : "");
    fill("desk", ticket.status === "called" && ticket.desk ? FD.put(S.desk, { desk: ticket.desk }) : "");
    const leave = $("[data-leave]");
    if (leave && !OPEN.includes(ticket.status)) leave.hidden = true;
    if (ticket.status === "called" && shown.status !== "called" && navigator.vibrate) {
      navigator.vibrate([300, 200, 300]); // once, when it becomes their turn
    }
    shown = ticket;
    renderOffice();
  }

  // The office line, from the server's state: only while it matters to this person.
  function renderOffice() {
    const el = $('[data-field="office"]');
    let text = "";
    if (office && dayClosed(shown)) {
      text = FD.opensText(office, data.locale, S);
    } else if (office && shown.status === "waiting") {
      if (office.state === "closed") text = [S.closedNow, FD.opensText(office, data.locale, S)].join(" ");
      else if (office.state === "unstaffed") text = S.waitingUnstaffed;
      const closing = FD.closesText(office, data.locale, S);
      if (closing) text = [text, closing].join(" ");
    }
    text = text.trim();
    if (el.textContent !== text) el.textContent = text;
    el.hidden = !text;
  }

  async function readOffice() {
    if (OPEN.includes(shown.status) || dayClosed(shown)) {
      const answer = await FD.readStatus(data.statusUrl);
      if (answer.ok) { office = answer.office; renderOffice(); }
    }
    setTimeout(readOffice, STATUS_EVERY);
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
  readOffice();

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
})();
