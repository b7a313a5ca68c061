// The console's picture of the queue, and nothing but the server's: a full snapshot on
// every (re)connect, then one versioned event per change. The order of the line is the
// server's: the snapshot comes in serving order, and each event carries the ticket's new
// place (`position`), so the one changed ticket moves and everyone else keeps theirs. A
// gap in versions means a message went missing: the caller asks for a fresh snapshot.
const OPEN = new Set(["waiting", "called", "in_session"]);
export const isOpen = (t) => OPEN.has(t.status);

export class QueueState {
  constructor(site) {
    this.alerts = new Map(); // site → Map(ticket id → StaffTicket) of open alerts (alert.open)
    this.bursts = new Map(); // site → the latest burst summary {count, since, at}
    this.dismissed = new Map(); // site → the summary the manager dismissed
    this.switchTo(site);
  }

  switchTo(site) {
    this.site = site;
    this.version = -1;
    this.ready = false;
    this.tickets = new Map();
    this.waitingOrder = [];
    this.busyOrder = [];
    this.duty = null;
  }

  get waiting() {
    return this.waitingOrder.map((id) => this.tickets.get(id));
  }

  get busy() {
    return this.busyOrder.map((id) => this.tickets.get(id));
  }

  // Every site's open alerts, this site's first, longest waiting first as the server sends
  // them (the queue's own order for urgent people: nobody is passed over for a newer one).
  get openAlerts() {
    const here = [...(this.alerts.get(this.site) || new Map()).values()];
    const elsewhere = [...this.alerts]
      .filter(([slug]) => slug !== this.site)
      .flatMap(([, found]) => [...found.values()]);
    return [...here, ...elsewhere];
  }

  snapshot(message) {
    this.#takeAlerts(message);
    if (message.site !== this.site) return false;
    this.version = message.version;
    this.tickets = new Map(message.tickets.map((t) => [t.id, t]));
    this.waitingOrder = message.tickets.filter((t) => t.status === "waiting").map((t) => t.id);
    this.busyOrder = message.tickets.filter((t) => t.status !== "waiting").map((t) => t.id);
    if (message.duty) this.duty = message.duty;
    this.ready = true;
    return true;
  }

  // "applied", "stale" (already in the snapshot), "gap" (resync!) or "elsewhere".
  event(message) {
    const ticket = message.ticket;
    const previous = this.#alertOf(ticket);
    // A message older than the snapshot must not bring back an alert it no longer has.
    const stale = message.site === this.site && message.version <= this.version;
    if (!stale) this.#noteAlert(ticket);
    if (message.site !== this.site) return { outcome: "elsewhere", previous };
    if (stale) return { outcome: "stale", previous };
    if (message.version !== this.version + 1) return { outcome: "gap", previous };
    this.version = message.version;
    this.#place(ticket);
    return { outcome: "applied", previous };
  }

  // One banner a site, with the latest count: each summary counts the whole burst so far.
  burst(message) {
    this.bursts.set(message.site, { count: message.count, since: message.since, at: message.at || message.last_at });
  }

  dismissBurst(site) {
    this.dismissed.set(site, this.bursts.get(site));
  }

  get openBursts() {
    return [...this.bursts].filter(([site, b]) => b && b.count > 0 && this.dismissed.get(site) !== b);
  }

  #place(ticket) {
    const id = ticket.id;
    const busyAt = this.busyOrder.indexOf(id);
    this.waitingOrder = this.waitingOrder.filter((other) => other !== id);
    this.busyOrder = this.busyOrder.filter((other) => other !== id);
    if (!isOpen(ticket)) {
      this.tickets.delete(id);
      return;
    }
    this.tickets.set(id, ticket);
    if (ticket.status === "waiting") {
      const at = Math.min(Math.max((ticket.position || this.waitingOrder.length + 1) - 1, 0), this.waitingOrder.length);
      this.waitingOrder.splice(at, 0, id);
    } else if (busyAt >= 0) {
      this.busyOrder.splice(busyAt, 0, id); // still with a manager: same place
    } else {
      this.busyOrder.push(id); // just called: the latest call comes last
    }
  }

  #takeAlerts(message) {
    // The server's list: every open alert of the site, whatever became of the
    // visit (the day close included), until a person acknowledges it.
    this.alerts.set(message.site, new Map((message.alerts || []).map((t) => [t.id, t])));
    if (Array.isArray(message.bursts) && message.bursts.length) {
      this.burst({ site: message.site, ...message.bursts[message.bursts.length - 1] });
    }
  }

  #alertOf(ticket) {
    return (this.alerts.get(ticket.site) || new Map()).get(ticket.id) || null;
  }

  #noteAlert(ticket) {
    const found = this.alerts.get(ticket.site) || new Map();
    this.alerts.set(ticket.site, found);
    const known = found.get(ticket.id);
    if (known && known.version > ticket.version) return; // an older word about it
    if (!this.needsAlert(ticket)) {
      found.delete(ticket.id);
    } else if (found.has(ticket.id)) {
      found.set(ticket.id, ticket); // same place, fresher words
    } else {
      found.set(ticket.id, ticket); // a new alert is the newest: last, as the server orders them
    }
  }

  needsAlert(ticket) {
    return Boolean(ticket.alert && ticket.alert.open); // the server decides
  }
}
