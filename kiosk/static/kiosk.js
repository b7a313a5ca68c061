// The kiosk check-in flow. Everything the person enters lives in this page's memory only:
// nothing in storage, no history entries; leaving the page (Start over, Done, idle) forgets it.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("kiosk-data").textContent);
  const S = data.strings;
  const ORDER = ["needs", "name", "phone"];
  // Screens that never time out: the safety screen (help may be on the way), and the one that
  // says the office computer is out of reach (leaving it would show the browser's error page).
  const NO_TIMEOUT = ["help", "offline"];
  const TICKET_SECONDS = 30; // a ticket (and its QR code) must not wait for the next person
  const person = { needs: new Set(), name: "", phone: "" };
  let step = "needs";
  let formStep = "needs"; // where to come back to once the office is reachable or open again
  let ticket = null;
  let lastBody = null;
  let idempotencyKey = null;
  let lastActivity = Date.now();
  let focusBeforeWarning = null;

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const fill = (name, text) => $$(`[data-field="${name}"]`).forEach((el) => { el.textContent = text; });
  const put = (template, value) => template.split("{n}").join(String(value));
  const plural = new Intl.PluralRules(data.lang);

  function show(name) {
    step = name;
    if (ORDER.includes(name)) formStep = name;
    for (const section of $$("[data-step]")) section.hidden = section.dataset.step !== name;
    const back = $('[data-action="back"]');
    const again = $('[data-action="start-over"]');
    back.hidden = !ORDER.includes(name);
    // "Done" starts over on the ticket screen; with the office out of reach there is no
    // language screen to go back to.
    again.hidden = name === "ticket" || name === "offline";
    $(".kiosk-nav").hidden = back.hidden && again.hidden;
    $('.kiosk-bar [data-action="help"]').hidden = name === "help";
    showError("");
    office.note();
    const heading = $(`[data-step="${name}"] h1`);
    if (heading) heading.focus();
  }

  const office = window.FrontDoor.KioskOffice(data, {
    step: () => step,
    show,
    resume: () => show(formStep),
  });

  // Back to the language screen for the next person, unless the office computer cannot be
  // reached: then say so here rather than leave the kiosk on the browser's error page. (It
  // costs one round trip; a tablet's network can drop at any moment.)
  let leaving = false;
  async function startOver() {
    if (leaving) return;
    leaving = true;
    if (await office.refresh()) location.replace(data.startUrl);
    else leaving = false;
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
      phone: phone || null, // the office takes a number given at the kiosk as consent to texts
      urgent,
    };
  }

  async function post(url, payload) {
    if (payload !== lastBody) {
      // A retry of the same request reuses its key, so the office never gets it twice.
      lastBody = payload;
      idempotencyKey = crypto.randomUUID();
    }
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
      body: payload,
      cache: "no-store",
    });
    const json = await response.json().catch(() => ({}));
    return { status: response.status, json };
  }

  function showTicket(answer, qrSvg) {
    ticket = answer;
    fill("code", answer.code);
    fill("place", answer.position === 1 ? S.next : put(S.place, answer.position));
    // No number with nobody on duty (the server gives none): say nothing rather than guess.
    const minutes = answer.estimated_wait_minutes;
    fill("wait", minutes ? put(S.wait, minutes) : minutes === 0 ? S.noWait : "");
    // The QR comes with the answer, so it shows with the code, not a round trip later.
    $('[data-field="qr"]').src = qrSvg
      ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`
      : `/t/${encodeURIComponent(answer.token)}/qr.svg`;
  }

  const officeClosed = (status, json) =>
    status === 409 && json.error && json.error.code === "office_closed";

  async function submit() {
    person.phone = $("#phone").value;
    const phoneError = $("#phone-error");
    phoneError.hidden = true;
    $("#phone").removeAttribute("aria-invalid");
    try {
      const { status, json } = await post(data.checkInUrl, JSON.stringify(body(false)));
      if (status === 201 || status === 200) {
        showTicket(json.ticket, json.qr_svg);
        show("ticket");
        if (json.office) office.apply(json.office);
      } else if (officeClosed(status, json)) {
        office.apply(json.error.office || { ...office.office, state: "closed" });
        office.refresh();
      } else if (status === 422 && json.error && json.error.fields && json.error.fields.phone) {
        phoneError.textContent = S.phoneProblem;
        phoneError.hidden = false;
        $("#phone").setAttribute("aria-invalid", "true");
        $("#phone").focus();
      } else {
        showError(status === 429 ? S.tooMany : status >= 500 ? S.offline : S.failed);
        if (status === 409) office.refresh();
      }
    } catch (err) {
      showError(S.offline);
    }
  }

  async function askForHelp() {
    // The crisis lines show at once, worded from the last status; the office's answer then
    // says what is really happening. Someone who already has a ticket keeps it, made
    // urgent; anyone else joins the line as urgent. Until the office answers, keep trying
    // and tell the person to ask at the front desk.
    person.name = $("#name").value;
    office.helpWords({ code: ticket && ticket.code });
    show("help");
    for (;;) {
      try {
        const { status, json } = ticket
          ? await post(`/api/v1/tickets/${encodeURIComponent(ticket.token)}/help`, "{}")
          : await post(data.checkInUrl, JSON.stringify(body(true)));
        if ((status === 201 || status === 200) && json.ticket) {
          if (json.office) office.apply(json.office);
          office.helpWords({ code: json.ticket.code, confirmed: true });
          showError("");
          return;
        }
        if (status === 202 && json.coalesced) {
          if (json.office) office.apply(json.office);
          office.helpWords({ coalesced: true, confirmed: true });
          showError("");
          return;
        }
        if (officeClosed(status, json)) {
          office.apply(json.error.office || { ...office.office, state: "closed" });
          office.helpWords({ state: "closed", confirmed: true });
          showError("");
          office.refresh();
          return;
        }
        showError(S.offline);
        if (status === 409) office.refresh();
        if (status < 500 && status !== 429) return;
      } catch (err) {
        showError(S.offline);
      }
      await new Promise((resolve) => setTimeout(resolve, 3000));
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
    print: () => window.print(),
    help: askForHelp,
    "still-here": stillHere,
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

  // Enter (the tablet keyboard's "Go") moves on from the name and phone fields.
  for (const [field, action] of [["#name", "next"], ["#phone", "submit"]]) {
    $(field).addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); actions[action](); }
    });
  }

  // Idle: warn first ("Are you still there?"), then start over for the next person.
  // The crisis screen never times out: staff are on their way to that person.
  const warning = $("dialog.idle");
  function stillHere() {
    lastActivity = Date.now();
    if (warning.open) warning.close();
  }
  warning.addEventListener("cancel", (event) => { event.preventDefault(); stillHere(); });
  warning.addEventListener("close", () => { if (focusBeforeWarning) focusBeforeWarning.focus(); });
  for (const type of ["pointerdown", "keydown", "input"]) {
    document.addEventListener(type, () => { if (!warning.open) lastActivity = Date.now(); },
      { capture: true, passive: true });
  }
  setInterval(() => {
    if (NO_TIMEOUT.includes(step)) return;
    const limit = step === "ticket" ? Math.min(TICKET_SECONDS, data.idleSeconds) : data.idleSeconds;
    const warnFor = Math.min(data.warnSeconds, Math.floor(limit / 2));
    const left = Math.ceil(limit - (Date.now() - lastActivity) / 1000);
    if (left <= 0) return startOver();
    if (left <= warnFor) {
      if (!warning.open) {
        focusBeforeWarning = document.activeElement;
        warning.showModal();
      }
      const form = plural.select(left) === "one" ? S.countdownOne : S.countdownOther;
      $("#idle-count").textContent = put(form, left);
    } else if (warning.open) {
      warning.close();
    }
  }, 1000);

  show("needs");
  office.start(data.office);
  if (data.helpNow) askForHelp();
})();
