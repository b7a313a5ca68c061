// The lobby screen: codes and desks only, live, with a flash and an optional chime. Its fixed
// words take turns in every language the site offers; the codes never move.
(() => {
  "use strict";
  const FD = window.FrontDoor;
  const data = JSON.parse(document.getElementById("display-data").textContent);
  const $ = (selector) => document.querySelector(selector);
  const $$ = (selector) => Array.from(document.querySelectorAll(selector));
  const SHOWN = 5;
  const TURN_MS = 6000; // each language stays this long: long enough to read a line twice
  const STATUS_EVERY = 60000;
  const languages = data.languages.length ? data.languages : Object.keys(data.words);
  let turn = 0;
  let recent = data.board.called.slice(1);
  let latest = data.board.called[0] || null;
  let waiting = data.board.waiting;
  let office = null;
  let audio = null;

  const lang = () => languages[turn % languages.length];
  const words = () => data.words[lang()];
  const locale = () => data.locales[lang()] || lang();
  const deskText = (desk) => (desk ? FD.put(words().desk, { desk }) : "");

  function officeText() {
    const W = words();
    if (!office) return "";
    if (office.state === "closed") return [W.closedNow, FD.opensText(office, locale(), W)].join(" ").trim();
    const parts = [];
    if (office.state === "unstaffed") parts.push(W.unstaffed);
    const closing = FD.closesText(office, locale(), W);
    if (closing) parts.push(closing);
    return parts.join(" ");
  }

  function render() {
    const W = words();
    $('[data-field="latest-code"]').textContent = latest ? latest.code : "—";
    $('[data-field="latest-desk"]').textContent = latest ? deskText(latest.desk) : "";
    $(".recent").hidden = recent.length === 0;
    $('[data-field="recent"]').replaceChildren(...recent.map((call) => {
      const item = document.createElement("li");
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = call.code;
      const desk = document.createElement("span");
      desk.className = "desk";
      desk.dataset.rotate = "";
      desk.textContent = deskText(call.desk);
      item.append(code, " ", desk);
      return item;
    }));
    for (const el of $$("[data-text]")) el.textContent = W[el.dataset.text];
    $('[data-field="waiting"]').textContent = FD.put(W.waiting, { n: waiting });
    const line = officeText();
    const officeEl = $('[data-field="office"]');
    officeEl.textContent = line;
    officeEl.hidden = !line;
    for (const el of $$("[data-rotate]")) el.lang = locale();
  }

  function announce(call) {
    // Said once, in the screen's first language: the rotating words are not announced.
    const first = data.words[languages[0]];
    $('[data-field="announce"]').textContent =
      `${first.nowCalling}: ${call.code}. ${call.desk ? FD.put(first.desk, { desk: call.desk }) : ""}`;
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

  async function readOffice() {
    const answer = await FD.readStatus(data.statusUrl);
    if (answer.ok) { office = answer.office; render(); }
    setTimeout(readOffice, STATUS_EVERY);
  }

  const socket = io("/display", { auth: { site: data.site }, transports: ["websocket", "polling"] });
  socket.on("display:called", (call) => {
    if (latest) recent = [latest, ...recent.filter((c) => c.code !== call.code)].slice(0, SHOWN);
    latest = { code: call.code, desk: call.desk };
    render();
    announce(call);
    const box = $(".now-calling");
    box.classList.remove("flash");
    void box.offsetWidth;
    box.classList.add("flash");
    chime();
  });
  socket.on("display:waiting", (msg) => { waiting = msg.waiting; render(); });
  socket.on("display:board", (board) => {
    // On every (re)connect: catch up on calls made while this screen was away.
    latest = board.called[0] || null;
    recent = board.called.slice(1, SHOWN + 1);
    waiting = board.waiting;
    render();
  });

  $('[data-action="sound"]').addEventListener("click", (event) => {
    if (audio) { audio.close(); audio = null; } else { audio = new AudioContext(); }
    event.currentTarget.textContent = audio ? data.strings.soundOff : data.strings.soundOn;
  });

  if (languages.length > 1) setInterval(() => { turn += 1; render(); }, TURN_MS);
  render();
  readOffice();
})();
