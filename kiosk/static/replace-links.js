// Kiosk links replace the page instead of adding to history, so Back never returns to
// someone else's screen. Links marked data-check first make sure the office computer
// answers: a locked tablet must never land on the browser's "can't be reached" page. While
// it does not answer, the screen shows, in the chosen language, what to do and the crisis
// lines (at once for "I don't feel safe"), and moves on by itself once it answers again.
// Without JavaScript the links are plain links and still work.
(() => {
  "use strict";
  const RETRY_MS = 5000;
  const CHECK_MS = 3000; // a tablet on a dead network must not wait long to be told
  const $$ = (selector) => Array.from(document.querySelectorAll(selector));
  let pending = null; // the link whose destination we are trying to reach

  async function reachable() {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), CHECK_MS);
    try {
      const answer = await fetch("/healthz", { cache: "no-store", signal: stop.signal });
      return answer.ok;
    } catch (err) {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  // mode: "help" (the crisis lines, while the office is asked), "help-offline" (and it does
  // not answer), "offline" (a language was chosen and the office does not answer).
  function showPanel(lang, mode) {
    let shown = null;
    for (const panel of $$("[data-offline-for]")) {
      panel.hidden = panel.dataset.offlineFor !== lang;
      if (!panel.hidden) shown = panel;
    }
    document.querySelector("[data-choose]").hidden = Boolean(shown);
    if (!shown) return;
    const moved = shown.dataset.mode !== mode;
    shown.dataset.mode = mode;
    if (moved || document.activeElement === document.body) shown.querySelector("h1").focus();
  }

  function choose() {
    pending = null;
    showPanel(null);
    // Back at the choice, from its heading: the next Tab reaches "I don't feel safe".
    document.querySelector("[data-choose] h1").focus();
  }

  async function go(link) {
    pending = link;
    const help = link.hasAttribute("data-help");
    if (help) showPanel(link.dataset.lang, "help"); // the crisis lines at once
    for (;;) {
      if (await reachable()) {
        if (pending === link) location.replace(link.href);
        return;
      }
      if (pending !== link) return; // another tap, or Back, took over
      showPanel(link.dataset.lang, help ? "help-offline" : "offline");
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      if (pending !== link) return;
    }
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest('[data-action="choose"]')) { choose(); return; }
    const link = event.target.closest("a[data-replace]");
    if (!link) return;
    event.preventDefault();
    if (link.hasAttribute("data-check")) go(link);
    else location.replace(link.href);
  });
})();
