// What the kiosk, the ticket page and the lobby screen share: reading the office's status,
// and saying its times in the person's language and the site's time zone. The server decides
// every flag (open, staffed, closing soon); this file only words them.
(() => {
  "use strict";
  const DAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  // Browsers have no Haitian Creole clock; Haiti writes times as French does.
  const INTL_FALLBACK = { ht: ["ht", "fr"] };

  const put = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));

  function locales(locale) { return INTL_FALLBACK[locale] || [locale]; }

  // {ok: true, office} | {ok: true, office: null} (no status for this site yet) | {ok: false}
  async function readStatus(url) {
    try {
      const response = await fetch(url, { cache: "no-store" });
      if (response.ok) return { ok: true, office: await response.json() };
      if (response.status === 404) return { ok: true, office: null };
      return { ok: false };
    } catch (err) {
      return { ok: false };
    }
  }

  function dateKey(date, timeZone) {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
      .format(date);
  }

  function weekdayIndex(date, timeZone) {
    const name = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short" }).format(date);
    return ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(name);
  }

  function clock(date, locale, timeZone) {
    return new Intl.DateTimeFormat(locales(locale), { timeZone, hour: "numeric", minute: "2-digit" })
      .format(date);
  }

  // "We open today at 9:00" / "tomorrow" / "Monday" / "Monday 12/29" (more than a week away).
  // An opening the server says starts a whole day open (a 24-hour site after a closure) has
  // no time to give: "We open again Friday, all day."
  function opensText(office, locale, S, now = new Date()) {
    if (!office || !office.opens_at) return "";
    const at = new Date(office.opens_at);
    const tz = office.timezone;
    const time = clock(at, locale, tz);
    const allDay = office.opens_all_day === true;
    const days = Math.round((Date.parse(dateKey(at, tz)) - Date.parse(dateKey(now, tz))) / 86400000);
    if (days <= 0 && !allDay) return put(S.opensToday, { time });
    if (days <= 1) return allDay ? S.opensTomorrowAllDay : put(S.opensTomorrow, { time });
    let day = S.days[weekdayIndex(at, tz)];
    if (days > 6) {
      day += " " + new Intl.DateTimeFormat(locales(locale), { timeZone: tz, month: "numeric", day: "numeric" })
        .format(at);
    }
    return put(allDay ? S.opensOnAllDay : S.opensOn, { day, time });
  }

  function closesText(office, locale, S) {
    if (!office || !office.closing_soon || !office.closes_at) return "";
    return put(S.closingSoon, { time: clock(new Date(office.closes_at), locale, office.timezone) });
  }

  // "Closed today: Training": the reason exactly as staff typed it, marked as the site's
  // first language (it is not translated). Nodes for replaceChildren(); none without a closure.
  function closureNodes(office, S, siteLang) {
    if (!office || !office.closure) return [];
    const reason = (office.closure.reason || "").trim();
    if (!reason) return [S.closedToday];
    const [before, after = ""] = S.closedTodayWhy.split("{reason}");
    const typed = document.createElement("span");
    typed.lang = siteLang || "";
    typed.textContent = reason;
    return [before, typed, after].filter((part) => part !== "");
  }

  // Ask again every `ms`, and at once when the screen is seen again (a tablet waking up).
  function every(ms, ask) {
    let timer = null;
    const run = async () => {
      clearTimeout(timer);
      try { await ask(); } finally { timer = setTimeout(run, ms); }
    };
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") run();
    });
    run();
  }

  // The safety screen's words, the kiosk's and the phone's alike. Only the office's answer
  // to this very request (`confirmed`) with someone on duty may say a person is coming;
  // before it, or out of reach, the crisis lines come first and the person goes to the desk.
  function helpWording(S, { state = null, confirmed = false, coalesced = false } = {}) {
    const staffed = confirmed && state === "staffed" && !coalesced;
    let after = "";
    if (state === "closed") after = S.closedNow;
    else if (!confirmed) after = S.askDesk;
    else if (coalesced) after = S.alreadyAlerted;
    else if (state === "unstaffed") after = S.alerting;
    const mode = !confirmed ? "pending" : coalesced ? "coalesced" : (state || "unknown");
    return { staffed, title: staffed ? S.helpStaffed : S.talkNow, after, mode };
  }

  // "Your return code: {code} — keep it…" with the code itself in bold. Nodes for
  // replaceChildren().
  function codeNodes(template, code) {
    const [before, after = ""] = template.split("{code}");
    const strong = document.createElement("strong");
    strong.className = "return-code-value";
    strong.textContent = code;
    return [before, strong, after].filter((part) => part !== "");
  }

  // A desk label that says what it is ("Window B") shows as typed; "3" or "B" gets the word.
  const namesItself = (desk) => /\p{L}{3,}/u.test(desk || "");

  // The SPEC ("mon-fri 09:00-17:00, sat 10:00-13:00", or "always") as lines in the language.
  function hoursLines(spec, locale, S) {
    const text = (spec || "").trim().toLowerCase();
    if (!text) return [];
    if (text === "always") return [S.always];
    const at = (hhmm) => {
      const [h, m] = hhmm.split(":").map(Number);
      return new Date(Date.UTC(2024, 0, 1, h, m));
    };
    const format = new Intl.DateTimeFormat(locales(locale), { timeZone: "UTC", hour: "numeric", minute: "2-digit" });
    const lines = [];
    for (const group of text.split(",")) {
      const [days, ...spans] = group.trim().split(/\s+/);
      const [first, last] = days.split("-").map((d) => DAY_KEYS.indexOf(d));
      if (first < 0 || (last !== undefined && last < 0) || !spans.length) return [spec];
      const dayText = last === undefined || last === first
        ? S.days[first] : `${S.days[first]} – ${S.days[last]}`;
      const times = spans.map((span) => {
        const [from, to] = span.split("-");
        if (!/^\d\d:\d\d$/.test(from || "") || !/^\d\d:\d\d$/.test(to || "")) return null;
        return format.formatRange(at(from), at(to));
      });
      if (times.includes(null)) return [spec];
      lines.push(`${dayText}: ${times.join(", ")}`);
    }
    return lines;
  }

  function listInto(list, lines) {
    list.replaceChildren(...lines.map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
  }

  window.FrontDoor = {
    put, readStatus, opensText, closesText, closureNodes, hoursLines, listInto, every, namesItself,
    helpWording, codeNodes,
  };
})();
