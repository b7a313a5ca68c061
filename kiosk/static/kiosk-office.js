// The kiosk tells the truth about the office: open with someone on duty, open but nobody on
// duty yet, closed (no check-in at all), or out of reach. The server decides which (status
// `state`); this file only shows it, and words the safety screen to match.
(() => {
  "use strict";
  const FD = window.FrontDoor;
  // ms: how often a kiosk left on asks how the office is; a manager starting duty shows
  // within this (and at once when the screen wakes up again).
  const STATUS_EVERY = 15000;
  const RETRY_OFFLINE = 10000; // ms: sooner while the office computer is out of reach
  // Steps that stay on screen whatever the office does: the person's own ticket, the safety screen.
  const KEPT = ["ticket", "help"];

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  // hooks: step() the step shown now, show(name) to show one, resume() back to the form.
  function KioskOffice(data, hooks) {
    const S = data.strings;
    let office = null; // the last status the server gave (null: none yet)
    let online = true;
    let timer = null;

    function note() {
      const step = hooks.step();
      const parts = [];
      // Before check-in: "you can still check in"; with a ticket in hand: we are getting one.
      if (office && office.state === "unstaffed") {
        parts.push(step === "ticket" ? S.waitingUnstaffed : S.unstaffed);
      }
      if (office && office.past_hours) parts.push(S.pastHours);
      const closing = FD.closesText(office, data.locale, S);
      if (closing) parts.push(closing);
      const el = $('[data-field="office-note"]');
      const text = parts.join(" ");
      if (el.textContent !== text) el.textContent = text;
      // The safety, closed and out-of-reach screens say it all themselves.
      el.hidden = !text || ["help", "closed", "offline"].includes(step);
    }

    function fillHours() {
      $$('[data-field="closure"]').forEach((el) => {
        el.replaceChildren(...FD.closureNodes(office, S, data.siteLang));
        el.hidden = !el.textContent;
      });
      const opens = FD.opensText(office, data.locale, S);
      $$('[data-field="opens"]').forEach((el) => { el.textContent = opens; el.hidden = !opens; });
      const lines = FD.hoursLines(office && office.hours, data.locale, S);
      $$('[data-field="hours"]').forEach((list) => FD.listInto(list, lines));
    }

    // A new word from the server: from the status endpoint, a check-in answer or a 409.
    function apply(next) {
      office = next;
      online = true;
      fillHours();
      const step = hooks.step();
      if (office && office.state === "closed") {
        if (!KEPT.includes(step) && step !== "closed") hooks.show("closed");
      } else if (step === "closed" || step === "offline") {
        hooks.resume();
      }
      note();
    }

    function wentOffline() {
      online = false;
      if (!KEPT.includes(hooks.step())) hooks.show("offline");
      note();
    }

    function askLater() {
      clearTimeout(timer);
      timer = setTimeout(refresh, online ? STATUS_EVERY : RETRY_OFFLINE);
    }

    async function refresh() {
      clearTimeout(timer);
      const answer = await FD.readStatus(data.statusUrl);
      if (answer.ok) apply(answer.office); else wentOffline();
      askLater();
      return answer.ok;
    }

    // The page came with the office's status of the moment it was served.
    function start(served) {
      if (served) apply(served);
      askLater();
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") refresh();
      });
    }

    // The safety screen, worded from the office's state at this moment. `code` is the
    // person's ticket code (none when nothing was written); `coalesced` when this kiosk
    // already alerted the office a moment ago; `confirmed` once the office has answered
    // this very request: before that (or with the office out of reach) nothing may say a
    // person is coming, whatever the last known state was.
    function helpWords({
      state = office ? office.state : null, code = null, qr = "", coalesced = false,
      confirmed = false,
    } = {}) {
      const words = FD.helpWording(S, { state, confirmed, coalesced });
      $('[data-step="help"]').dataset.office = words.mode;
      $('[data-field="help-title"]').textContent = words.title;
      $('[data-field="help-lead"]').hidden = !words.staffed;
      $('[data-field="help-also"]').hidden = !words.staffed;
      const afterEl = $('[data-field="help-after"]');
      afterEl.textContent = words.after;
      afterEl.hidden = !words.after;
      fillHours();
      $('[data-field="help-hours"]').hidden = state !== "closed";
      $$('[data-step="help"] [data-field="code"]').forEach((el) => { el.textContent = code || ""; });
      // The code and its QR, like the ticket screen's, come after the lines and the words.
      const ticketShown = Boolean(code) && state !== "closed";
      $('[data-field="help-code"]').hidden = !ticketShown;
      const image = $('[data-step="help"] [data-field="qr"]');
      if (qr && image.getAttribute("src") !== qr) image.src = qr;
      $('[data-field="help-qr"]').hidden = !ticketShown || !qr;
    }

    return {
      apply, refresh, start, wentOffline, helpWords, note,
      get office() { return office; },
      get online() { return online; },
    };
  }

  FD.KioskOffice = KioskOffice;
})();
