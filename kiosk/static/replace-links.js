// Kiosk links replace the page instead of adding to history, so Back never returns to
// someone else's screen. Links marked data-check first make sure the office computer
// answers: a locked tablet must never land on the browser's "can't be reached" page. While
// it does not answer, the page shows, in the chosen language, what to do and the crisis
// lines (at once for "I don't feel safe"), and moves on by itself once it answers again.
(() => {
  "use strict";
  const RETRY_MS = 5000;
  let pending = null;

  async function reachable() {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 3000);
    try {
      const answer = await fetch("/healthz", { cache: "no-store", signal: stop.signal });
      return answer.ok;
    } catch (err) {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  function showOffline(lang) {
    for (const panel of document.querySelectorAll("[data-offline-for]")) {
      panel.hidden = panel.dataset.offlineFor !== lang;
    }
  }

  async function go(link) {
    pending = link;
    if (link.hasAttribute("data-help")) showOffline(link.dataset.lang); // the lines at once
    for (;;) {
      if (await reachable()) {
        if (pending === link) location.replace(link.href);
        return;
      }
      if (pending !== link) return; // another tap took over
      showOffline(link.dataset.lang);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-replace]");
    if (!link) return;
    event.preventDefault();
    if (link.hasAttribute("data-check")) go(link);
    else location.replace(link.href);
  });
})();
