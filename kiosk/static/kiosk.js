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
  let ticketQr = ""; // the ticket's QR image URL, for the ticket and the safety screens
  // Each request (address and body) keeps its Idempotency-Key for every retry: after a 503
  // or a lost answer, sending it again makes no second ticket.
  const keys = new Map();
  let lastActivity = Date.now();
  let focusBeforeWarning = null;

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const fill = (name, text) => $$(`[data-field="${name}"]`).forEach((el) => { el.textContent = text; });
  const put = (template, value) => template.split("{n}").join(String(value));
  const plural = new Intl.PluralRules(data.lang);

  function show(name) {
    step = name;
    if (ORDER.includes(name) || name === "code") formStep = name;
    returning.left(name); // the camera is on only while the code step shows
    for (const section of $$("[data-step]")) section.hidden = section.dataset.step !== name;
    const back = $('[data-action="back"]');
    const again = $('[data-action="start-over"]');
    back.hidden = !ORDER.includes(name) && name !== "code";
    // "Done" starts over on the ticket screen; with the office out of reach there is no
    // language screen to go back to.
    again.hidden = name === "ticket" || name === "offline";
    $(".kiosk-nav").hidden = back.hidden && again.hidden;
    showError("");
    office.note();
    const heading = $(`[data-step="${name}"] h1`);
    if (heading) heading.focus();
  }

  // The return-code step ("Been here before?"): kiosk-return.js.
  const returning = window.FrontDoor.KioskReturn(data, { show, step: () => step, submit: () => submit() });
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

  function body(urgent, withCode = true) {
    const phone = person.phone.trim();
    const found = {
      language: data.lang,
      needs: Array.from(person.needs),
      name: person.name.trim() || null,
      phone: phone || null, // the office takes a number given at the kiosk as consent to texts
      urgent,
    };
    if (withCode && returning.code()) found.return_code = returning.code();
    return found;
  }
  const codeRefused = (status, json) =>
    status === 422 && Boolean(json.error && json.error.fields && json.error.fields.return_code);

  // randomUUID exists only on https (and localhost); a tablet on a plain-http office
  // network still needs a key, and getRandomValues is there everywhere.
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)),
      (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function post(url, payload) {
    const request = `${url}\n${payload}`;
    if (!keys.has(request)) keys.set(request, newKey());
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": keys.get(request) },
      body: payload,
      cache: "no-store",
    });
    const json = await response.json().catch(() => ({}));
    return { status: response.status, json, retryAfter: Number(response.headers.get("Retry-After")) };
  }

  // 503: the office computer answered but cannot save (its database is lost, its disk full).
  const problem = (status) =>
    status === 429 ? S.tooMany : status === 503 ? S.unavailable : status >= 500 ? S.offline : S.failed;

  function showTicket(answer, qrSvg) {
    ticket = answer;
    returning.showOnTicket(answer);
    fill("code", answer.code);
    fill("place", answer.position === 1 ? S.next : put(S.place, answer.position));
    // No number with nobody on duty (the server gives none): say nothing rather than guess.
    const minutes = answer.estimated_wait_minutes;
    fill("wait", minutes ? put(S.wait, minutes) : minutes === 0 ? S.noWait : "");
    // The QR comes with the answer, so it shows with the code, not a round trip later.
    ticketQr = qrSource(answer.token, qrSvg);
    $('[data-step="ticket"] [data-field="qr"]').src = ticketQr;
  }

  function qrSource(token, svg) {
    return svg
      ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
      : `/t/${encodeURIComponent(token)}/qr.svg`;
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
      } else if (codeRefused(status, json)) {
        returning.refuse(json.error.code);
      } else if (status === 422 && json.error && json.error.fields && json.error.fields.phone) {
        if (step !== "phone") show("phone");
        phoneError.textContent = S.phoneProblem;
        phoneError.hidden = false;
        $("#phone").setAttribute("aria-invalid", "true");
        $("#phone").focus();
      } else {
        showError(problem(status));
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
    office.helpWords({ code: ticket && ticket.code, qr: ticketQr });
    show("help");
    let withCode = true; // a return code the office cannot read never holds up help
    for (;;) {
      let wait = 3;
      try {
        const { status, json, retryAfter } = ticket
          ? await post(`/api/v1/tickets/${encodeURIComponent(ticket.token)}/help`, "{}")
          : await post(data.checkInUrl, JSON.stringify(body(true, withCode)));
        if (!ticket && withCode && codeRefused(status, json)) {
          withCode = false; // at once, without it: a new body, so a new key
          continue;
        }
        if ((status === 201 || status === 200) && json.ticket) {
          if (json.office) office.apply(json.office);
          // The urgent ticket's code and QR, to follow it on a phone (below the lines).
          const qr = json.qr_svg || !ticketQr ? qrSource(json.ticket.token, json.qr_svg) : ticketQr;
          office.helpWords({ code: json.ticket.code, qr, confirmed: true });
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
        // The crisis lines stay on screen whatever went wrong; the same request (its same
        // key) goes again, no sooner than the office asked (at most 30 s apart).
        showError(ticket ? S.offline : problem(status));
        if (status === 409) office.refresh();
        if (status < 500 && status !== 429) return;
        wait = Math.min(Math.max(retryAfter || 0, 3), 30);
      } catch (err) {
        showError(S.offline);
      }
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }

  const actions = {
    ...returning.actions,
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
      if (step === "code") return returning.back();
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
