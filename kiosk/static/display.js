// The lobby screen: codes and desks only, live, with a flash and an optional chime.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("display-data").textContent);
  const S = data.strings;
  const $ = (selector) => document.querySelector(selector);
  const SHOWN = 5;
  let recent = data.board.called.slice(1);
  let latest = data.board.called[0] || null;
  let audio = null;

  function deskText(desk) { return desk ? S.desk.split("{desk}").join(String(desk)) : ""; }

  function render() {
    $('[data-field="latest-code"]').textContent = latest ? latest.code : "—";
    $('[data-field="latest-desk"]').textContent = latest ? deskText(latest.desk) : "";
    $(".recent").hidden = recent.length === 0;
    const list = $('[data-field="recent"]');
    list.replaceChildren(...recent.map((call) => {
      const item = document.createElement("li");
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = call.code;
      item.append(code, " ", deskText(call.desk));
      return item;
    }));
  }

  function chime() {
    if (!audio) return;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 660;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 1.2);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 1.2);
  }

  const socket = io("/display", { auth: { site: data.site }, transports: ["websocket", "polling"] });
  socket.on("display:called", (call) => {
    if (latest) recent = [latest, ...recent.filter((c) => c.code !== call.code)].slice(0, SHOWN);
    latest = { code: call.code, desk: call.desk };
    render();
    const box = $(".now-calling");
    box.classList.remove("flash");
    void box.offsetWidth;
    box.classList.add("flash");
    chime();
  });
  function showWaiting(count) {
    $('[data-field="waiting"]').textContent = S.waiting.split("{n}").join(String(count));
  }
  socket.on("display:waiting", (msg) => showWaiting(msg.waiting));
  socket.on("display:board", (board) => {
    // On every (re)connect: catch up on calls made while this screen was away.
    latest = board.called[0] || null;
    recent = board.called.slice(1, SHOWN + 1);
    render();
    showWaiting(board.waiting);
  });

  $('[data-action="sound"]').addEventListener("click", (event) => {
    const on = event.currentTarget.getAttribute("aria-pressed") !== "true";
    event.currentTarget.setAttribute("aria-pressed", String(on));
    audio = on ? (audio || new AudioContext()) : null;
  });
})();
