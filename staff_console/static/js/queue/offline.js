// When the live connection cannot start — the Socket.IO client did not load, or the server
// refuses the connection or never answers — the console says so plainly instead of
// "Connecting…" for ever, and shows the line as the HTTP API has it, asked again every few
// seconds until the live connection comes up (then its snapshot takes over).
export const CANNOT_CONNECT = "The live queue cannot connect. Reload the page; if it keeps happening, tell IT.";
const GIVE_UP_MS = 10000; // a first connection slower than this is not coming
const ASK_AGAIN_MS = 10000;

// The Socket.IO client's socket if its script loaded; if not, one that never connects, so
// the page's handlers are simply never called.
export function openSocket(namespace, options) {
  if (typeof window.io === "function") return window.io(namespace, options);
  return { missing: true, on() {}, connect() {}, disconnect() {} };
}

// `show(text)` puts the words up; `snapshot(message)` takes the line.
export function whenLiveCannotStart(socket, { site, show, snapshot }) {
  let live = false;
  let polling = null;
  const fallBack = () => {
    if (live) return;
    show(CANNOT_CONNECT); // over "Cannot reach the server. Trying again…": it will not
    if (polling) return;
    const ask = () => loadOverHttp(site()).then((message) => !live && message && snapshot(message));
    ask();
    polling = setInterval(ask, ASK_AGAIN_MS);
  };
  if (socket.missing) return fallBack();
  const timer = setTimeout(fallBack, GIVE_UP_MS);
  socket.on("connect", () => {
    live = true;
    clearTimeout(timer);
    clearInterval(polling);
    polling = null;
  });
  // Only before the first connection: later, "Reconnecting…" is the truth.
  socket.on("connect_error", () => !live && fallBack());
}

async function loadOverHttp(site) {
  const get = (path) =>
    fetch(`/api/v1/sites/${encodeURIComponent(site)}/${path}`, {
      credentials: "same-origin",
      headers: { "X-Frontdoor-Background": "1" },
    }).then((r) => (r.ok ? r.json() : null));
  const [queue, duty] = await Promise.all([get("queue"), get("duty")]).catch(() => [null, null]);
  if (!queue) return null;
  // The same shape as the socket's snapshot; the alerts still open are the server's word too.
  const alerts = queue.tickets.filter((t) => t.alert && t.alert.open);
  return { site, version: -1, tickets: queue.tickets, alerts, bursts: [], duty };
}
