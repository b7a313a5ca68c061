// The log backend's phone page (templates/console/phone.html): the server renders it, and
// this fetches it again every few seconds, so the office's answers appear as the sender
// "sends" them. A form someone is in, or has typed in, is never replaced: then only the
// lists of texts are. The fetches are the page's own doing, not the manager's, so they
// keep no idle session open (X-Frontdoor-Background).
import { $ } from "./base.js";

const EVERY_MS = 3000;
const region = $("[data-phone]");
const news = $("[data-phone-news]");
let fetching = false;

// Someone is typing a reply, or left one half-written: leave the forms alone.
function busy() {
  if (region.contains(document.activeElement)) return true;
  return [...region.querySelectorAll("textarea, input:not([type=hidden])")].some((f) => f.value.trim() !== "");
}

// How many texts each open visit's conversation holds (data-thread="phone-…").
function counts(root) {
  const lists = root.querySelectorAll("[data-thread^='phone-']");
  return new Map([...lists].map((list) => [list.dataset.thread, list.querySelectorAll("[data-text]").length]));
}

function tellWhatIsNew(before, after) {
  const grown = [...after].filter(([key, n]) => n > (before.get(key) ?? n)).map(([key]) => key);
  const titles = grown.map((key) => document.getElementById(`${key}-title`)?.textContent.split(" · ")[0]);
  if (titles.length) news.textContent = `New text in ${titles.filter(Boolean).join(", ")}.`;
}

function adopt(node) {
  return document.importNode(node, true);
}

async function refresh() {
  if (fetching || document.hidden) return;
  fetching = true;
  try {
    const url = `${window.location.pathname}?site=${encodeURIComponent(region.dataset.site)}`;
    const response = await fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Frontdoor-Background": "1" },
    });
    if (response.redirected) {
      window.location.reload(); // signed out meanwhile: show what the server says now
      return;
    }
    if (!response.ok) return; // a passing failure: the next try will do
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-phone]");
    if (!fresh) return;
    const before = counts(region);
    if (busy()) {
      for (const list of fresh.querySelectorAll("[data-thread^='phone-']")) {
        const mine = region.querySelector(`[data-thread="${CSS.escape(list.dataset.thread)}"]`);
        if (mine && mine.innerHTML !== list.innerHTML) mine.replaceWith(adopt(list));
      }
    } else if (region.innerHTML !== fresh.innerHTML) {
      region.replaceChildren(...[...fresh.childNodes].map(adopt));
    }
    tellWhatIsNew(before, counts(region));
  } catch {
    // offline for a moment: the next try will do
  } finally {
    fetching = false;
  }
}

if (region) setInterval(refresh, EVERY_MS);
