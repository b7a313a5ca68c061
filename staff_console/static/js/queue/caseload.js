// Returning people and my caseload on the queue page: the server's repeat-visit words and
// open case on each card and row (StaffTicket.visitor), a notice when someone on my
// caseload checks in (the socket's case:arrived, to me alone), and how many of my case
// reviews are due. Every flag here is the server's; this file only words and links them.
import { api } from "../api.js";
import { me, plural, siteInfo, tell } from "../base.js";
import { html, nothing, repeat } from "../lit.js";
import { chime } from "./alerts.js";

const REVIEWS_EVERY = 5 * 60 * 1000; // ms: the reviews due change by the day, not the second

const caseUrl = (id) => `/console/cases/${encodeURIComponent(id)}`;
const historyUrl = (id) => `/console/visitors/${encodeURIComponent(id)}`;

function caseWords(found) {
  const mine = found.assigned_to && found.assigned_to.id === me.id;
  const who = found.assigned_to ? found.assigned_to.name : "nobody";
  return mine ? "Your case" : `Open case with ${who}`;
}

// What the card and the row say of the person's earlier visits (nothing: not recognised).
export function visitorLine(t) {
  const visitor = t.visitor;
  if (!visitor) return nothing;
  const open = visitor.open_case;
  return html`<span class="visitor-line" data-visitor=${visitor.id}>
    ${visitor.repeat_flag ? html`<span class="tag" data-repeat-flag>${visitor.repeat_flag}</span>` : nothing}
    ${open ? html`<a href=${caseUrl(open.id)} data-open-case=${open.id}>${caseWords(open)}</a>` : nothing}
    <a href=${historyUrl(visitor.id)} data-history aria-label="History of ${t.code}'s visits">History</a>
  </span>`;
}

export class Caseload {
  constructor(redraw) {
    this.redraw = redraw;
    this.arrivals = []; // {site, ticket_id, code, case_id}, newest first, until dismissed
    this.reviewsDue = null; // how many of my open cases have a review due (null: not known)
    this.site = null;
    this.timer = null;
  }

  // The socket's word: someone on my caseload just checked in (here or at another site).
  arrived(message) {
    this.arrivals = [message, ...this.arrivals.filter((a) => a.ticket_id !== message.ticket_id)];
    chime();
    tell(`${this.#sentence(message)}.`);
    this.redraw();
  }

  dismiss(ticketId) {
    this.arrivals = this.arrivals.filter((a) => a.ticket_id !== ticketId);
    this.redraw();
  }

  // On load, on a change of site and every few minutes: my case reviews due by today.
  watchReviews(site) {
    this.site = site;
    clearTimeout(this.timer);
    this.#readReviews();
  }

  async #readReviews() {
    const site = this.site;
    try {
      // A count that shows no one: not a look at the caseload, so not in the audit log.
      const path = `/api/v1/sites/${encodeURIComponent(site)}/cases/reviews-due`;
      const found = await api("GET", path, { background: true });
      if (site === this.site) this.reviewsDue = found.count;
    } catch (_) {
      /* not known now: say nothing rather than a number that may be wrong */
    }
    this.redraw();
    this.timer = setTimeout(() => this.#readReviews(), REVIEWS_EVERY);
  }

  #sentence(message) {
    const where = message.site === this.site ? "" : ` at ${siteInfo(message.site).name}`;
    return `Someone on your caseload just checked in${where}: ${message.code}`;
  }

  view() {
    const arrival = (a) => html`<div class="notice caseload" data-case-arrived=${a.ticket_id}>
      <p><strong>${this.#sentence(a)}.</strong> <a href=${caseUrl(a.case_id)}>Open their case</a></p>
      <button type="button" class="secondary" aria-label="Dismiss the notice about ${a.code}"
              @click=${() => this.dismiss(a.ticket_id)}>Dismiss</button>
    </div>`;
    const due = this.reviewsDue;
    return html`
      ${repeat(this.arrivals, (a) => a.ticket_id, arrival)}
      ${due
        ? html`<p class="notice reviews-due" data-reviews-due>
            <a href="/console/cases?mine=1&review=due&site=${encodeURIComponent(this.site)}">${plural(due, "case review", "case reviews")} due today or overdue</a></p>`
        : nothing}
    `;
  }
}
