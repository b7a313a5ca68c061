// The duty case manager's live console. State comes only from the server: a full
// queue:snapshot on every (re)connect, then versioned ticket events. A gap in versions, or
// a refused action, asks for a fresh snapshot instead of guessing.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("console-config").textContent);
  const $ = (sel) => document.querySelector(sel);
  const me = config.staff;
  let site = config.sites[0].slug;
  const state = { version: -1, tickets: new Map(), duty: null };
  const alerted = new Set();

  // ---------- helpers ----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }
  const label = (slug) => slug.replace(/[_-]/g, " ");
  const siteName = (slug) => (config.sites.find((s) => s.slug === slug) || { name: slug }).name;
  const languageName = (code) => config.languageNames[code] || code;
  const channelName = { kiosk: "walk-in", web: "web", phone: "phone", sms: "text" };
  function since(iso) {
    if (!iso) return "";
    const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
    const m = Math.floor(seconds / 60);
    return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
  }
  function say(text) {
    const box = $("[data-message]");
    box.textContent = text;
  }

  // `background`: not the manager's doing, so it must not keep an idle session alive.
  async function api(method, path, body, background = false) {
    const headers = { "Content-Type": "application/json", "X-CSRFToken": config.csrfToken };
    if (background) headers["X-Frontdoor-Background"] = "1";
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) {
      window.location.assign("/console/?signed_out=expired");
      throw new Error("signed out");
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const error = (data && data.error) || { code: "error", message: "Something went wrong." };
      const fields = Object.values(error.fields || {}).join(" ");
      say(fields ? `${error.message} ${fields}` : error.message);
      if (response.status === 409) resync(); // someone else acted first: show the latest
      throw Object.assign(new Error(error.message), { code: error.code });
    }
    return data;
  }
  const quietly = (promise) => promise.catch(() => {});

  // ---------- the socket ----------
  const socket = io("/console", { transports: ["websocket", "polling"] });
  socket.on("connect", () => {
    $("[data-connection]").textContent = "Live.";
    $("[data-connection]").classList.remove("offline");
  });
  socket.on("disconnect", () => {
    $("[data-connection]").textContent = "Reconnecting… the queue below may be out of date.";
    $("[data-connection]").classList.add("offline");
  });
  socket.on("connect_error", () => {
    $("[data-connection]").textContent = "Cannot reach the server. Trying again…";
    $("[data-connection]").classList.add("offline");
    // A session that ended (signed out elsewhere, idle) is refused: find out and go.
    fetch("/api/v1/auth/me", { credentials: "same-origin" }).then((r) => {
      if (r.status === 401) window.location.assign("/console/?signed_out=expired");
    });
  });
  function resync() {
    socket.disconnect();
    socket.connect();
  }

  socket.on("queue:snapshot", (msg) => {
    if (msg.site !== site) return;
    state.version = msg.version;
    state.tickets = new Map(msg.tickets.map((t) => [t.id, t]));
    if (msg.duty) state.duty = msg.duty;
    $("[data-console]").hidden = false;
    for (const box of document.querySelectorAll(`[data-alert][data-site="${site}"]`)) {
      const t = state.tickets.get(Number(box.dataset.alert));
      if (!t || !needsAlert(t)) box.remove();
    }
    for (const t of msg.tickets) if (needsAlert(t)) raiseAlert(t);
    render();
  });
  function onTicket(msg) {
    if (msg.site !== site) {
      // Another of my sites: its urgent arrivals still reach me, labelled with the site.
      if (needsAlert(msg.ticket)) raiseAlert(msg.ticket);
      else clearAlert(msg.ticket);
      return;
    }
    if (msg.version <= state.version) return; // already in the snapshot
    if (msg.version !== state.version + 1) {
      resync(); // a message went missing: start again from a snapshot, never drift
      return;
    }
    state.version = msg.version;
    state.tickets.set(msg.ticket.id, msg.ticket);
    if (needsAlert(msg.ticket)) raiseAlert(msg.ticket);
    else clearAlert(msg.ticket);
    render();
  }
  socket.on("ticket:created", onTicket);
  socket.on("ticket:updated", onTicket);
  socket.on("alert:urgent", onTicket);
  socket.on("duty:updated", (msg) => {
    if (msg.site !== site) return;
    state.duty = msg;
    render();
  });

  // ---------- urgent alerts ----------
  const isOpen = (t) => ["waiting", "called", "in_session"].includes(t.status);
  const needsAlert = (t) => t.urgent && t.alert && !t.alert.acknowledged && isOpen(t);
  function raiseAlert(ticket) {
    if ($(`[data-alert="${ticket.id}"]`)) return;
    const where = ticket.site === site ? "" : ` at ${siteName(ticket.site)}`;
    const box = el(
      "div",
      { class: "alert", role: "alert", "data-alert": ticket.id, "data-site": ticket.site },
      el("strong", {}, `⚠ URGENT${where}: `),
      `${ticket.code}${ticket.name ? ` (${ticket.name})` : ""} says they feel unsafe. `,
      "Go to them now. 988 was shown to them.",
      el(
        "button",
        {
          type: "button",
          class: "primary",
          onclick: () =>
            quietly(api("POST", `/api/v1/tickets/${ticket.id}/acknowledge`).then((d) => clearAlert(d.ticket))),
        },
        `Acknowledge ${ticket.code}`,
      ),
    );
    $("[data-alerts]").append(box);
    if (!alerted.has(ticket.id) && $("[data-sound]").checked) beep();
    alerted.add(ticket.id);
  }
  function clearAlert(ticket) {
    const box = $(`[data-alert="${ticket.id}"]`);
    if (!box) return;
    box.remove();
    const by = ticket.alert && ticket.alert.acknowledged_by;
    if (by) say(`${ticket.code}: urgent alert acknowledged by ${by.name}.`);
  }
  function beep() {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
    } catch (_) {
      /* no sound available: the banner is the signal */
    }
  }

  // ---------- rendering ----------
  const byQueueOrder = (a, b) =>
    (b.urgent - a.urgent) || a.queued_at.localeCompare(b.queued_at) || a.id - b.id;

  // Rebuilding the lists must not lose a manager's place: keep what they typed or chose
  // (by element id) and where the keyboard focus was (by data-key), and put them back.
  function keepingPlace(rebuild) {
    const active = document.activeElement;
    const focusKey = active && active.dataset ? active.dataset.key || active.id : null;
    const drafts = new Map();
    for (const field of document.querySelectorAll("[data-mine] [id], [data-mine] [data-key]")) {
      if ("value" in field && field.tagName !== "BUTTON") drafts.set(field.id, field.value);
    }
    rebuild();
    for (const [id, value] of drafts) {
      const field = document.getElementById(id);
      if (field && field.value !== value && [...(field.options || [{ value }])].some((o) => o.value === value)) field.value = value;
    }
    if (focusKey) {
      const again = document.getElementById(focusKey) || document.querySelector(`[data-key="${focusKey}"]`);
      if (again && again !== document.activeElement) again.focus();
    }
  }

  function render() {
    keepingPlace(renderLists);
  }

  function renderLists() {
    const open = [...state.tickets.values()].filter(isOpen);
    const waiting = open.filter((t) => t.status === "waiting").sort(byQueueOrder);
    const busy = open
      .filter((t) => t.status !== "waiting")
      .sort((a, b) => (a.called_at || "").localeCompare(b.called_at || ""));
    const mine = busy.filter((t) => t.assigned_to && t.assigned_to.id === me.id);

    $("[data-waiting-count]").textContent = `(${waiting.length})`;
    $("[data-waiting]").replaceChildren(
      ...(waiting.length
        ? waiting.map((t, i) => waitingRow(t, i + 1))
        : [el("tr", {}, el("td", { colspan: 8, class: "empty" }, "Nobody is waiting."))]),
    );
    $("[data-busy]").replaceChildren(
      ...(busy.length
        ? busy.map(busyRow)
        : [el("tr", {}, el("td", { colspan: 6, class: "empty" }, "Nobody is with a case manager."))]),
    );
    renderMine(mine);
    renderDuty(waiting.length);
  }

  function needsText(t) {
    return t.needs.length ? t.needs.map(label).join(", ") : "—";
  }

  function waitingRow(t, place) {
    return el(
      "tr",
      { class: t.urgent ? "urgent" : null, "data-ticket": t.id, "data-code": t.code },
      el("td", {}, place),
      el("th", { scope: "row" }, t.code, t.urgent ? el("span", { class: "badge" }, "⚠ URGENT") : null),
      el("td", {}, t.name || "—"),
      el("td", {}, needsText(t)),
      el("td", {}, languageName(t.language)),
      el("td", {}, channelName[t.channel] || t.channel),
      el("td", { "data-since": t.queued_at }, since(t.queued_at)),
      el(
        "td",
        { class: "actions" },
        el("button", { type: "button", class: "secondary", "data-key": `call-${t.id}`, onclick: () => act(t, "call") }, `Call ${t.code}`),
        recordButton(t),
      ),
    );
  }

  function busyRow(t) {
    const who = t.assigned_to ? t.assigned_to.name : "—";
    const status = t.status === "called" ? `called to desk ${t.desk || "—"}` : "in session";
    return el(
      "tr",
      { class: t.urgent ? "urgent" : null, "data-ticket": t.id, "data-code": t.code },
      el("th", { scope: "row" }, t.code, t.urgent ? el("span", { class: "badge" }, "⚠ URGENT") : null),
      el("td", {}, t.name || "—"),
      el("td", {}, status),
      el("td", {}, who),
      el("td", { "data-since": t.called_at }, since(t.called_at)),
      el("td", { class: "actions" }, recordButton(t)),
    );
  }

  function recordButton(t) {
    return el("button", { type: "button", class: "link", "data-key": `record-${t.id}`, onclick: () => openRecord(t) }, `Record ${t.code}`);
  }

  function overdue(t) {
    const walkIn = t.channel === "kiosk" || t.channel === "web";
    const late = Date.now() - Date.parse(t.called_at) > config.noShowAfterSeconds * 1000;
    return t.status === "called" && walkIn && late;
  }

  function renderMine(mine) {
    const box = $("[data-mine]");
    const ids = mine.map((t) => `${t.id}:${t.version}:${overdue(t)}`).join(",");
    if (box.dataset.ids === ids && (state.duty || {}).on_duty_now === box.dutySeen) return;
    box.dataset.ids = ids;
    box.dutySeen = (state.duty || {}).on_duty_now;
    box.replaceChildren(...(mine.length ? mine.map(card) : [el("p", { class: "empty" }, "Nobody is with you.")]));
  }

  function card(t) {
    const callback = t.channel === "phone" || t.channel === "sms";
    const heading = el(
      "h3",
      {},
      t.code,
      t.name ? ` · ${t.name}` : "",
      t.urgent ? el("span", { class: "badge" }, "⚠ URGENT") : null,
    );
    const facts = el(
      "p",
      {},
      `${t.status === "called" ? "Called" : "In session"} · ${needsText(t)} · ${languageName(t.language)} · ${channelName[t.channel] || t.channel}`,
      t.status === "called" ? ` · called ${since(t.called_at)} ago` : "",
    );
    const parts = [heading, facts];
    if (callback && t.phone) parts.push(el("p", { class: "phone" }, "Call: ", el("a", { href: `tel:${t.phone}` }, t.phone)));
    if (overdue(t)) {
      parts.push(el("p", { class: "flag", role: "status" }, `Not here after ${Math.round(config.noShowAfterSeconds / 60)} min. No-show?`));
    }
    const buttons = [];
    const button = (text, onclick, cls = "secondary") =>
      buttons.push(el("button", { type: "button", class: cls, "data-key": `${text}-${t.id}`, onclick }, text));
    if (t.status === "called" && callback) {
      parts.push(el("p", {}, `Call attempt ${t.call_attempts + 1} of ${config.callbackAttempts}.`));
      button("Reached them", () => attempt(t, "reached"), "primary");
      button("No answer", () => attempt(t, "no_answer"));
      button("Voicemail left (no details)", () => attempt(t, "voicemail"));
    } else if (t.status === "called") {
      button("Start", () => act(t, "start"), "primary");
      button("No-show", () => act(t, "no_show"));
      button("Left without being seen", () => act(t, "left"));
    }
    button("Back to the line", () => act(t, "requeue"));
    parts.push(el("div", { class: "buttons" }, buttons));
    if (t.status === "in_session" || (t.status === "called" && !callback)) parts.push(completeForm(t));
    parts.push(transferForm(t), noteForm(t));
    return el("article", { class: `card${t.urgent ? " urgent" : ""}`, "data-card": t.id, "data-code": t.code }, parts);
  }

  function completeForm(t) {
    const id = `outcome-${t.id}`;
    const select = el(
      "select",
      { id, name: "outcome", required: true },
      el("option", { value: "" }, "Choose…"),
      config.outcomes.filter((o) => o !== "unreachable").map((o) => el("option", { value: o }, label(o))),
    );
    const detail = el("input", { id: `detail-${t.id}`, name: "detail", maxlength: 500, autocomplete: "off" });
    return el(
      "form",
      {
        class: "complete",
        onsubmit: (event) => {
          event.preventDefault();
          if (!select.value) return say("Choose how the visit ended.");
          if (select.value === "referred" && !detail.value.trim()) return say("Say where you referred them.");
          act(t, "complete", { outcome: select.value, outcome_detail: detail.value.trim() || null });
        },
      },
      el("label", { for: id }, "Outcome"),
      select,
      el("label", { for: `detail-${t.id}` }, "Detail (referred to…, follow-up on…)"),
      detail,
      el("button", { type: "submit", class: "primary" }, `Complete ${t.code}`),
    );
  }

  function transferForm(t) {
    const others = ((state.duty && state.duty.on_duty_now) || []).filter(
      (s) => !t.assigned_to || s.staff_id !== t.assigned_to.id,
    );
    if (!others.length) return el("p", { class: "hint" }, "Nobody else is on duty to hand over to.");
    const id = `transfer-${t.id}`;
    const select = el("select", { id, name: "to" }, others.map((s) => el("option", { value: s.staff_id }, `${s.name}${s.desk ? ` (desk ${s.desk})` : ""}`)));
    return el(
      "form",
      {
        class: "inline",
        onsubmit: (event) => {
          event.preventDefault();
          quietly(api("POST", `/api/v1/tickets/${t.id}/transfer`, { to: Number(select.value), version: t.version }).then(() => say(`${t.code} handed over.`)));
        },
      },
      el("label", { for: id }, "Hand over to"),
      select,
      el("button", { type: "submit", class: "secondary" }, "Hand over"),
    );
  }

  function noteForm(t) {
    const id = `note-${t.id}`;
    const text = el("textarea", { id, name: "note", rows: 2, maxlength: 2000 });
    return el(
      "form",
      {
        class: "note",
        onsubmit: (event) => {
          event.preventDefault();
          if (!text.value.trim()) return say("Write the note first.");
          quietly(
            api("POST", `/api/v1/tickets/${t.id}/notes`, { body: text.value }).then(() => {
              text.value = "";
              say(`Note saved on ${t.code}.`);
            }),
          );
        },
      },
      el("label", { for: id }, "Private note"),
      text,
      el("button", { type: "submit", class: "secondary" }, "Save note"),
    );
  }

  function renderDuty(waitingCount) {
    const duty = state.duty;
    if (!duty) return;
    const mineShift = duty.on_duty_now.find((s) => s.staff_id === me.id);
    $("[data-my-duty]").textContent = mineShift
      ? `You are on duty${mineShift.desk ? ` at desk ${mineShift.desk}` : ""} since ${new Date(mineShift.since).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`
      : "You are not on duty.";
    $("[data-duty-start]").textContent = mineShift ? "Change desk" : "Start duty";
    $("[data-duty-end]").hidden = !mineShift;
    $("[data-call-next]").disabled = !mineShift;
    $("[data-on-duty]").textContent = duty.on_duty_now.length
      ? duty.on_duty_now.map((s) => `${s.name}${s.desk ? ` (desk ${s.desk})` : ""}`).join(", ")
      : "nobody";
    const warning = $("[data-uncovered]");
    const uncovered = duty.open_now && waitingCount > 0 && duty.on_duty_now.length === 0;
    const words = uncovered
      ? `Nobody is on duty, and ${waitingCount} ${waitingCount === 1 ? "person is" : "people are"} waiting during business hours. Start a duty shift.`
      : "";
    // Changed only when it changes: screen readers announce an alert each time it is set.
    if (warning.textContent !== words) warning.textContent = words;
    warning.hidden = !uncovered;
  }

  // ---------- actions ----------
  function act(t, action, extra) {
    return quietly(
      api("POST", `/api/v1/tickets/${t.id}/transitions`, { action, version: t.version, ...(extra || {}) }).then(() =>
        say(`${t.code}: ${label(action)} done.`),
      ),
    );
  }
  function attempt(t, result) {
    return quietly(
      api("POST", `/api/v1/tickets/${t.id}/attempts`, { result, version: t.version }).then((data) => {
        const after = data.ticket;
        if (after.status === "completed") say(`${t.code}: closed as unreachable after ${after.call_attempts} tries.`);
        else if (after.status === "in_session") say(`${t.code}: reached. The session has started.`);
        else say(`${t.code}: try ${after.call_attempts} recorded. Try again later.`);
      }),
    );
  }

  // One key per press, kept until the server has answered: a retry after a lost answer
  // (or a second tap) returns the same person instead of calling someone else too.
  let callKey = null;
  $("[data-call-next]").addEventListener("click", async () => {
    const button = $("[data-call-next]");
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    callKey = callKey || (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
    try {
      const response = await fetch(`/api/v1/sites/${site}/queue/next`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": config.csrfToken, "Idempotency-Key": callKey },
      });
      callKey = null; // answered: the next press is a new call
      if (response.status === 401) return window.location.assign("/console/?signed_out=expired");
      if (response.status === 204) return say("Nobody is waiting.");
      const data = await response.json().catch(() => null);
      if (!response.ok) return say((data && data.error && data.error.message) || "Could not call the next person.");
      say(`You called ${data.ticket.code}.`);
    } catch (_) {
      say("No answer from the server. Press Call next again: it will not call a second person.");
    } finally {
      button.removeAttribute("aria-busy");
    }
  });

  $("[data-duty-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    quietly(api("PUT", `/api/v1/sites/${site}/duty`, { on_duty: true, desk: $("#desk").value.trim() || null }).then((d) => applyDuty(d)));
  });
  $("[data-duty-end]").addEventListener("click", () => {
    quietly(api("PUT", `/api/v1/sites/${site}/duty`, { on_duty: false }).then((d) => applyDuty(d)));
  });
  function applyDuty(data) {
    state.duty = data;
    render();
  }

  function fillCallerForm() {
    const current = config.sites.find((s) => s.slug === site);
    $("[data-caller-languages]").replaceChildren(...current.languages.map((c) => el("option", { value: c }, languageName(c))));
    $("[data-caller-needs]").replaceChildren(
      ...current.needs.map((n) => el("label", { class: "check" }, el("input", { type: "checkbox", name: "needs", value: n }), label(n))),
    );
  }
  $("[data-caller-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const body = {
      phone: form.phone.value.trim(),
      name: form.name.value.trim() || null,
      language: form.language.value,
      needs: [...form.querySelectorAll("input[name=needs]:checked")].map((i) => i.value),
      sms_opt_in: form.sms_opt_in.checked,
    };
    quietly(
      api("POST", `/api/v1/sites/${site}/callbacks`, body).then((data) => {
        form.reset();
        say(`${data.ticket.code} added to the line as a call-back.`);
      }),
    );
  });

  async function openRecord(t) {
    const data = await api("GET", `/api/v1/tickets/${t.id}`).catch(() => null);
    if (!data) return;
    const names = new Map(((state.duty && state.duty.on_duty_now) || []).map((s) => [s.staff_id, s.name]));
    const who = (id) => (id === null ? "" : names.get(id) || `staff #${id}`);
    $("[data-record-body]").replaceChildren(
      el("p", {}, `${data.ticket.code}${data.ticket.name ? ` · ${data.ticket.name}` : ""} · ${needsText(data.ticket)}`),
      el("h3", {}, "Notes"),
      data.notes.length
        ? el("ul", {}, data.notes.map((n) => el("li", {}, `${new Date(n.at).toLocaleTimeString()} ${who(n.staff_id)}: ${n.body}`)))
        : el("p", {}, "No notes."),
      el("h3", {}, "History"),
      el("ol", {}, data.history.map((h) => el("li", {}, `${new Date(h.at).toLocaleTimeString()} ${label(h.action)} → ${label(h.to_status)} ${who(h.staff_id)}`))),
    );
    $("[data-record]").showModal();
  }
  $("[data-close-record]").addEventListener("click", () => $("[data-record]").close());

  $("[data-site-select]").addEventListener("change", (event) => {
    site = event.target.value;
    state.tickets = new Map();
    state.duty = null;
    $("[data-alerts]").replaceChildren();
    fillCallerForm();
    resync();
  });

  // ---------- idle sign-out, with a warning and a way to stay ----------
  let lastActive = Date.now();
  let lastPing = Date.now();
  for (const type of ["pointerdown", "keydown", "wheel", "touchstart"]) {
    document.addEventListener(type, () => {
      if ($("[data-idle]").open) return;
      lastActive = Date.now();
      // The server keeps its own idle clock: tell it the manager is here (typing a long
      // note makes no request), at most once a minute.
      if (lastActive - lastPing > 60000) {
        lastPing = lastActive;
        quietly(api("GET", "/api/v1/auth/me"));
      }
    }, { passive: true });
  }
  // Business hours begin and end while the console is open: refresh the duty picture.
  setInterval(() => {
    quietly(api("GET", `/api/v1/sites/${site}/duty`, undefined, true).then((d) => applyDuty(d)));
  }, 60000);
  $("[data-stay]").addEventListener("click", () => {
    lastActive = Date.now();
    $("[data-idle]").close();
    quietly(api("GET", "/api/v1/auth/me")); // keeps the server's session alive too
  });
  setInterval(() => {
    const idle = (Date.now() - lastActive) / 1000;
    const left = config.idleSeconds - idle;
    const dialog = $("[data-idle]");
    if (left <= 0) {
      const form = $("[data-sign-out]");
      form.reason.value = "idle";
      form.submit();
    } else if (left <= config.idleWarningSeconds) {
      $("[data-idle-left]").textContent = `${Math.floor(left / 60)}:${String(Math.floor(left % 60)).padStart(2, "0")}`;
      if (!dialog.open) dialog.showModal();
    }
    for (const cell of document.querySelectorAll("[data-since]")) cell.textContent = since(cell.dataset.since);
    const late = [...state.tickets.values()].filter(overdue).map((t) => t.id).join(",");
    if (late !== lateShown) {
      lateShown = late; // a called person just passed the no-show time: flag them
      render();
    }
  }, 1000);
  let lateShown = "";

  // A page restored by Back after signing out must not show anything: ask the server again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.reload();
  });

  fillCallerForm();
})();
