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
  const STATUS_EVERY = 15000; // a manager starting duty shows here within this
  const languages = data.languages.length ? data.languages : Object.keys(data.words);
  let turn = 0;
  let recent = data.board.called.slice(1);
  let latest = data.board.called[0] || null;
  let waiting = data.board.waiting;
  let office = null;
  let audio = null;
  let socketDown = false; // set once the socket drops or cannot connect; cleared on connect
  let statusDown = false;

  const lang = () => languages[turn % languages.length];
  const words = () => data.words[lang()];
  const locale = () => data.locales[lang()] || lang();
  // A desk staff named ("Window B") shows as typed, in the site's language; "3" as "Desk 3".
  function deskInto(el, desk, W = words(), lang = locale()) {
    const named = FD.namesItself(desk);
    el.textContent = !desk ? "" : named ? desk : FD.put(W.desk, { desk });
    el.lang = named ? data.siteLang : lang;
  }

  const spaced = (parts) => parts.filter(Boolean).flatMap((part, i) => (i ? [" ", part] : [part]));
  // Nobody on duty (the server's state: closed, or open with nobody yet): nobody calls anyone.
  const nobodyCalling = () => Boolean(office) && office.state !== "staffed";

  // In place of the calls while nobody is on duty: closed (why, on a closure day, and when
  // it opens), or open with a case manager on the way (and closing soon).
  function renderState(W) {
    const panel = $('[data-field="office-state"]');
    panel.hidden = !nobodyCalling();
    if (panel.hidden) return;
    const closed = office.state === "closed";
    $('[data-field="state-title"]').textContent = closed ? W.closedNow : W.unstaffed;
    let more = [FD.closesText(office, locale(), W)];
    if (closed) {
      const closure = document.createElement("span");
      closure.className = "closure";
      closure.replaceChildren(...FD.closureNodes(office, W, data.siteLang));
      more = [closure.textContent ? closure : "", FD.opensText(office, locale(), W)];
    }
    const moreEl = $('[data-field="state-more"]');
    moreEl.replaceChildren(...spaced(more));
    moreEl.hidden = !moreEl.textContent;
  }

  // Out of touch: one small note in every language at once, so no code looks live.
  function renderConnection() {
    const down = socketDown || statusDown;
    const el = $('[data-field="connection"]');
    if (down && !el.childElementCount) {
      el.replaceChildren(...languages.flatMap((code, i) => {
        const said = document.createElement("span");
        said.lang = data.locales[code] || code;
        said.textContent = data.words[code].reconnecting;
        return i ? [" · ", said] : [said];
      }));
    }
    el.hidden = !down;
    document.body.classList.toggle("out-of-touch", down);
  }

  function render() {
    const W = words();
    $('[data-field="latest-code"]').textContent = latest ? latest.code : "—";
    deskInto($('[data-field="latest-desk"]'), latest && latest.desk);
    $(".now-calling").hidden = nobodyCalling();
    $(".recent").hidden = recent.length === 0 || nobodyCalling();
    renderState(W);
    $('[data-field="recent"]').replaceChildren(...recent.map((call) => {
      const item = document.createElement("li");
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = call.code;
      const desk = document.createElement("span");
      desk.className = "desk";
      deskInto(desk, call.desk);
      item.append(code, " ", desk);
      return item;
    }));
    for (const el of $$("[data-text]")) el.textContent = W[el.dataset.text];
    $('[data-field="waiting"]').textContent = FD.put(W.waiting, { n: waiting });
    // With someone on duty, only closing soon goes beside the title.
    const officeEl = $('[data-field="office"]');
    officeEl.replaceChildren(...spaced([!nobodyCalling() && FD.closesText(office, locale(), W)]));
    officeEl.hidden = !officeEl.textContent;
    $('[data-action="sound"]').textContent = audio ? W.soundOff : W.soundOn;
    for (const el of $$("[data-rotate]")) el.lang = locale();
    renderConnection();
  }

  function announce(call) {
    // Said once, in the screen's first language: the rotating words are not announced.
    const first = data.words[languages[0]];
    const desk = document.createElement("span");
    deskInto(desk, call.desk, first, data.locales[languages[0]]);
    $('[data-field="announce"]').textContent = `${first.nowCalling}: ${call.code}. ${desk.textContent}`;
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
    statusDown = !answer.ok;
    if (answer.ok) office = answer.office;
    render();
  }

  const socket = io("/display", { auth: { site: data.site }, transports: ["websocket", "polling"] });
  socket.on("display:called", async (call) => {
    if (latest) recent = [latest, ...recent.filter((c) => c.code !== call.code)].slice(0, SHOWN);
    latest = { code: call.code, desk: call.desk };
    // Someone called, so someone is on duty: ask the office now rather than wait 15 s.
    if (nobodyCalling()) await readOffice();
    render();
    announce(call);
    const box = $(".now-calling");
    box.classList.remove("flash");
    void box.offsetWidth;
    box.classList.add("flash");
    chime();
  });
  socket.on("connect", () => { socketDown = false; renderConnection(); });
  socket.on("disconnect", () => { socketDown = true; renderConnection(); });
  socket.on("connect_error", () => { socketDown = true; renderConnection(); });
  socket.on("display:waiting", (msg) => { waiting = msg.waiting; render(); });
  socket.on("display:board", (board) => {
    // On every (re)connect: catch up on calls made while this screen was away.
    latest = board.called[0] || null;
    recent = board.called.slice(1, SHOWN + 1);
    waiting = board.waiting;
    render();
  });

  $('[data-action="sound"]').addEventListener("click", () => {
    if (audio) { audio.close(); audio = null; } else { audio = new AudioContext(); }
    render();
  });

  if (languages.length > 1) setInterval(() => { turn += 1; render(); }, TURN_MS);
  render();
  FD.every(STATUS_EVERY, readOffice);
})();
