// A person's own ticket page: live over Socket.IO, polling when the socket is down.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("ticket-data").textContent);
  const S = data.strings;
  const token = data.ticket.token;
  const $ = (selector) => document.querySelector(selector);
  const fill = (name, text) => { const el = $(`[data-field="${name}"]`); if (el) el.textContent = text; };
  const put = (template, key, value) => template.split(key).join(String(value));
  const OPEN = ["waiting", "called"];
  let shownStatus = data.ticket.status;

  function render(ticket) {
    fill("code", ticket.code);
    fill("status", S.status[ticket.status] || "");
    const waiting = ticket.status === "waiting" && ticket.position;
    fill("place", waiting ? put(S.place, "{n}", ticket.position) : "");
    fill("wait", waiting ? (ticket.estimated_wait_minutes ? put(S.wait, "{n}", ticket.estimated_wait_minutes) : S.noWait) : "");
    fill("desk", ticket.status === "called" && ticket.desk ? put(S.desk, "{desk}", ticket.desk) : "");
    const leave = $("[data-leave]");
    if (leave && !OPEN.includes(ticket.status)) leave.hidden = true;
    if (ticket.status === "called" && shownStatus !== "called" && navigator.vibrate) {
      navigator.vibrate([300, 200, 300]); // once, when it becomes their turn
    }
    shownStatus = ticket.status;
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
