// The kiosk check-in flow. Everything the person enters lives in this page's memory only:
// nothing in storage, no history entries; leaving the page (Start over, Done, idle) forgets it.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("kiosk-data").textContent);
  const S = data.strings;
  const ORDER = ["needs", "name", "phone"];
  const person = { needs: new Set(), name: "", phone: "" };
  let step = "needs";
  let lastBody = null;
  let idempotencyKey = null;
  let lastActivity = Date.now();

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const fill = (name, text) => $$(`[data-field="${name}"]`).forEach((el) => { el.textContent = text; });
  const startOver = () => location.replace(data.startUrl);

  function show(name) {
    step = name;
    for (const section of $$("[data-step]")) section.hidden = section.dataset.step !== name;
    const finished = name === "ticket" || name === "help";
    $('[data-action="back"]').hidden = finished;
    $('.kiosk-bar [data-action="help"]').hidden = name === "help";
    showError("");
    const heading = $(`[data-step="${name}"] h1`);
    if (heading) heading.focus();
  }

  function showError(text) {
    const el = $('[data-field="error"]');
    el.textContent = text;
    el.hidden = !text;
  }

  function body(urgent) {
    const phone = person.phone.trim();
    return {
      language: data.lang,
      needs: Array.from(person.needs),
      name: person.name.trim() || null,
      phone: phone || null,
      sms_opt_in: Boolean(phone),
      urgent,
    };
  }

  async function checkIn(urgent) {
    const payload = JSON.stringify(body(urgent));
    if (payload !== lastBody) {
      // A retry of the same request reuses its key, so the office never gets it twice.
      lastBody = payload;
      idempotencyKey = crypto.randomUUID();
    }
    const response = await fetch(data.checkInUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
      body: payload,
      cache: "no-store",
    });
    const json = await response.json().catch(() => ({}));
    return { status: response.status, json };
  }

  function showTicket(ticket) {
    fill("code", ticket.code);
    fill("place", ticket.position === 1 ? S.next : S.place.replace("{n}", ticket.position));
    fill("wait", ticket.estimated_wait_minutes ? S.wait.replace("{n}", ticket.estimated_wait_minutes) : S.noWait);
    $('[data-field="qr"]').src = `/t/${encodeURIComponent(ticket.token)}/qr.svg`;
  }

  async function submit() {
    person.phone = $("#phone").value;
    const phoneError = $("#phone-error");
    phoneError.hidden = true;
    try {
      const { status, json } = await checkIn(false);
      if (status === 201 || status === 200) {
        showTicket(json.ticket);
        show("ticket");
      } else if (status === 422 && json.error && json.error.fields && json.error.fields.phone) {
        phoneError.textContent = S.phoneProblem;
        phoneError.hidden = false;
        $("#phone").focus();
      } else {
        showError(status === 429 ? S.tooMany : S.failed);
      }
    } catch (err) {
      showError(S.offline);
    }
  }

  async function askForHelp() {
    // Show the crisis information at once; the ticket code follows when the office answers.
    person.name = $("#name").value;
    person.phone = "";
    show("help");
    try {
      const { status, json } = await checkIn(true);
      if (status === 201 || status === 200) fill("code", json.ticket.code);
      else showError(status === 429 ? S.tooMany : S.failed);
    } catch (err) {
      showError(S.offline);
    }
  }

  const actions = {
    next() {
      if (step === "name") person.name = $("#name").value;
      show(ORDER[ORDER.indexOf(step) + 1]);
    },
    "skip-needs"() {
      person.needs.clear();
      $$("[data-need]").forEach((b) => b.setAttribute("aria-pressed", "false"));
      show("name");
    },
    skip() {
      if (step === "name") { person.name = ""; $("#name").value = ""; show("phone"); }
      else if (step === "phone") { $("#phone").value = ""; submit(); }
    },
    submit,
    back() {
      const i = ORDER.indexOf(step);
      if (i <= 0) startOver(); else show(ORDER[i - 1]);
    },
    "start-over": startOver,
    done: startOver,
    help: askForHelp,
    "still-here"() { lastActivity = Date.now(); $(".idle").hidden = true; },
  };

  document.addEventListener("click", (event) => {
    const need = event.target.closest("[data-need]");
    if (need) {
      const on = need.getAttribute("aria-pressed") !== "true";
      need.setAttribute("aria-pressed", String(on));
      if (on) person.needs.add(need.dataset.need); else person.needs.delete(need.dataset.need);
      return;
    }
    const button = event.target.closest("[data-action]");
    if (button && actions[button.dataset.action]) actions[button.dataset.action]();
  });

  // Idle: warn first ("Are you still there?"), then start over for the next person.
  for (const type of ["pointerdown", "keydown", "input"]) {
    document.addEventListener(type, () => {
      if ($(".idle").hidden) lastActivity = Date.now();
    }, { capture: true, passive: true });
  }
  setInterval(() => {
    const limit = data.idleSeconds * (step === "help" ? 3 : 1);
    const idle = (Date.now() - lastActivity) / 1000;
    const left = Math.ceil(limit - idle);
    if (left <= 0) return startOver();
    const dialog = $(".idle");
    if (left <= data.warnSeconds) {
      if (dialog.hidden) { dialog.hidden = false; $('[data-action="still-here"]').focus(); }
      $("#idle-count").textContent = S.countdown.replace("{n}", left);
    } else if (!dialog.hidden) {
      dialog.hidden = true;
    }
  }, 1000);

  show("needs");
  if (data.helpNow) askForHelp();
})();
