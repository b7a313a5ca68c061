// What every signed-in console page shares: its config, the site picker, the status line,
// times in the site's own time zone, the idle sign-out, and no page shown again from the
// browser's cache after signing out. A page's module imports this and builds on it.
import { startIdleClock } from "./idle.js";

export const config = JSON.parse(document.getElementById("console-config").textContent);
export const me = config.staff;
export const $ = (selector, root = document) => root.querySelector(selector);

const picker = $("[data-site-select]");
const siteListeners = [];
let site = chooseFirstSite();

function chooseFirstSite() {
  const asked = new URLSearchParams(window.location.search).get("site");
  const mine = config.sites.map((s) => s.slug);
  return mine.includes(asked) ? asked : mine[0];
}

export const currentSite = () => site;
export const siteInfo = (slug = site) =>
  config.sites.find((s) => s.slug === slug) || { slug, name: slug, timezone: undefined };
export const onSiteChange = (listener) => siteListeners.push(listener);

function showSiteInLinks() {
  // The chosen site follows the manager from page to page (and survives a reload).
  if (picker && config.sites.length > 1) {
    const url = new URL(window.location.href);
    url.searchParams.set("site", site);
    window.history.replaceState(null, "", url);
  }
  for (const link of document.querySelectorAll("a[data-nav]")) {
    const target = new URL(link.href);
    if (config.sites.length > 1) target.searchParams.set("site", site);
    link.href = target.pathname + target.search;
  }
}

if (picker) {
  picker.value = site;
  picker.addEventListener("change", () => {
    site = picker.value;
    showSiteInLinks();
    for (const listener of siteListeners) listener(site);
  });
}
showSiteInLinks();

// The status line under the bar: one sentence about what this manager just did. What
// colleagues did goes to a quieter line of its own (`tell`), so it never replaces it.
export function say(text) {
  const box = $("[data-message]");
  if (box) box.textContent = text;
}

export function tell(text) {
  const box = $("[data-colleagues]");
  if (box) box.textContent = text;
}

export const label = (slug) => String(slug).replace(/[_-]/g, " ");
export const languageName = (code) => config.languageNames[code] || code;

// Times are shown in the site's time zone (rendering only: the server decides every flag).
function inSiteTime(parts) {
  return (iso, slug = site) =>
    iso
      ? new Intl.DateTimeFormat("en-GB", { ...parts, hour: "2-digit", minute: "2-digit", timeZone: siteInfo(slug).timezone }).format(new Date(iso))
      : "";
}
export const clock = inSiteTime({}); // 14:20
export const dayAndClock = inSiteTime({ weekday: "long" }); // Monday 09:00
export const dateAndClock = inSiteTime({ weekday: "short", day: "numeric", month: "short" });

export const dateOnly = (iso, slug = site) =>
  iso
    ? new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: siteInfo(slug).timezone }).format(new Date(iso))
    : ""; // Tue 1 Dec

const dayIn = (date, slug) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: siteInfo(slug).timezone }).format(date); // 2026-12-02

// "at 11:26" today at the site, "on Tue 1 Dec, 11:26" on any other day: an old A-010 must
// not read as today's A-010.
export function whenAt(iso, slug = site) {
  if (!iso) return "";
  return dayIn(new Date(iso), slug) === dayIn(new Date(), slug) ? `at ${clock(iso, slug)}` : `on ${dateAndClock(iso, slug)}`;
}

export function since(iso) {
  if (!iso) return "";
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

startIdleClock(config);

// A page restored by Back after signing out must not show anything: ask the server again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) window.location.reload();
});
