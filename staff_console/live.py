"""The /console Socket.IO namespace: the duty case manager's live queue.

A staff member connects with `auth {"token": BEARER}` or the browser console's session
cookie, and joins a room for each site they work at, and nowhere else. On every connect (so
on every reconnect too) they get a full `queue:snapshot` per site, with who is on duty;
then `ticket:created`, `ticket:updated` (StaffTicket), `alert:urgent` and `duty:updated`.
Each ticket message carries the site's `version`, which goes up by one per change this
process has seen, so a client that notices a gap can ask again (reconnect) instead of
drifting. Signing out ends the connections made with that session or token. Deactivating an
account, or resetting its password, ends every connection of that person on every server
process: each connection is also in a room of its own person, and `session:ended` sent to
that room is followed by a disconnect wherever it is delivered (web_kernel/socket_rooms.py).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from flask import request, session
from flask_socketio import SocketIO, join_room

from queue_service.bus import EventBus
from queue_service.domain.events import (
    DutyChanged,
    StaffAccountEnded,
    StaffSignedOut,
    TicketChanged,
    TicketCreated,
    UrgentArrival,
    UrgentBurst,
)
from queue_service.models import Site, Ticket
from queue_service.persistence import urgent as urgent_queries
from queue_service.persistence.database import Database
from queue_service.services import duty, queue, staff, views
from web_kernel.socket_guard import refusing_when_unavailable
from web_kernel.socket_rooms import END_EVENT

from .auth import SESSION_KEY

NAMESPACE = "/console"
# How often live connections are checked against their session or token: one that has
# expired (idle, 12 hours, deactivated) stops receiving anything within this time.
RECHECK_SECONDS = 30


class Versions:
    """Per site: a counter, and a lock held from reading a change to sending it, so that
    messages leave in version order and a snapshot never falls between two of them."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._of: dict[int, int] = defaultdict(int)
        self._locks: dict[int, threading.Lock] = {}

    def lock(self, site_id: int) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(site_id, threading.Lock())

    def bump(self, site_id: int) -> int:
        self._of[site_id] += 1
        return self._of[site_id]

    def now(self, site_id: int) -> int:
        return self._of[site_id]


def init_console_socket(socketio: SocketIO, database: Database, bus: EventBus) -> None:
    versions = Versions()
    sites_watched: dict[int, int] = defaultdict(int)  # site → connected staff clients
    sites_of_sid: dict[str, list[int]] = {}
    sids_of_token: dict[int, set[str]] = defaultdict(set)
    token_of_sid: dict[str, int] = {}
    rechecking = threading.Event()

    def recheck_forever() -> None:
        while True:
            socketio.sleep(RECHECK_SECONDS)
            held = dict(token_of_sid)
            if not held:
                continue
            with database.session() as db:
                live = staff.live_token_ids(db, sorted(set(held.values())))
            for sid, token_id in held.items():
                if token_id not in live:
                    socketio.server.disconnect(sid, namespace=NAMESPACE)

    @socketio.on("connect", namespace=NAMESPACE)
    @refusing_when_unavailable(False)
    def staff_connects(auth: Any = None, *_extra: Any) -> bool:
        token = auth.get("token") if isinstance(auth, dict) else None
        if token is None:
            token = session.get(SESSION_KEY)
        if not isinstance(token, str) or not token:
            return False
        with database.session() as db:
            # Connecting is not activity: it must not keep an idle session alive.
            member = staff.staff_for_token(db, token, touch=False)
            if member is None:
                return False
            held = staff.token_id(db, token)
            sites = list(member.sites)
        sid = request.sid
        join_room(_person_room(member.id))
        sites_of_sid[sid] = [site.id for site in sites]
        if held is not None:
            token_of_sid[sid] = held
            sids_of_token[held].add(sid)
        if not rechecking.is_set():
            rechecking.set()
            socketio.start_background_task(recheck_forever)
        for site in sites:
            # In the room first, then the snapshot, both under the site's lock: a change
            # committed meanwhile is either in the snapshot or sent after it, never lost.
            with versions.lock(site.id):
                join_room(f"site:{site.id}")
                sites_watched[site.id] += 1
                with database.session() as db:
                    snapshot = {
                        "site": site.slug,
                        "version": versions.now(site.id),
                        "tickets": views.staff_tickets(queue.open_queue(db, site.slug, member)),
                        # Every alert no person has acknowledged, whatever became of the
                        # ticket: an urgent person never drops off the consoles unseen.
                        "alerts": [
                            views.staff_ticket(t, position=None)
                            for t in urgent_queries.open_alerts(db, site.id)
                        ],
                        "alerts_total": urgent_queries.count_open_alerts(db, site.id),
                        "bursts": _bursts(urgent_queries.pending_burst(db, site.id)),
                        "duty": views.coverage(duty.coverage(db, site)),
                    }
                socketio.emit("queue:snapshot", snapshot, to=sid, namespace=NAMESPACE)
        return True

    @socketio.on("disconnect", namespace=NAMESPACE)
    def staff_leaves(*_: Any) -> None:
        for site_id in sites_of_sid.pop(request.sid, []):
            sites_watched[site_id] -= 1
        held = token_of_sid.pop(request.sid, None)
        if held is not None:
            sids_of_token[held].discard(request.sid)

    def ticket_event(name: str, ticket_id: int, site_id: int) -> None:
        # Unlike the public refresh (frontdoor/realtime.py), this runs in the committing
        # request, not in the background: staff messages must arrive in version order, and
        # only the few consoles connected to the site pay for it.
        with versions.lock(site_id):
            version = versions.bump(site_id)
            if sites_watched.get(site_id, 0) <= 0:
                return
            with database.session() as db:
                ticket = db.get(Ticket, ticket_id)
                if ticket is None:
                    return
                place = views.PlaceInLine.read(db, ticket)
                passes = place.position is not None and urgent_queries.urgent_waiting_besides(
                    db, site_id, ticket.id
                )
                payload = {
                    "site": ticket.site.slug,
                    "version": version,
                    "ticket": views.staff_ticket(
                        ticket, position=place.position, urgent_waiting_ahead=passes
                    ),
                }
            socketio.emit(name, payload, to=f"site:{site_id}", namespace=NAMESPACE)

    def duty_changed(event: DutyChanged) -> None:
        if sites_watched.get(event.site_id, 0) <= 0:
            return
        with database.session() as db:
            site = db.get(Site, event.site_id)
            if site is None:
                return
            payload = {"site": site.slug, **views.coverage(duty.coverage(db, site))}
        socketio.emit("duty:updated", payload, to=f"site:{event.site_id}", namespace=NAMESPACE)

    def signed_out(event: StaffSignedOut) -> None:
        for sid in list(sids_of_token.pop(event.token_id, ())):
            socketio.server.disconnect(sid, namespace=NAMESPACE)

    bus.subscribe(TicketCreated, lambda e: ticket_event("ticket:created", e.ticket_id, e.site_id))
    bus.subscribe(TicketChanged, lambda e: ticket_event("ticket:updated", e.ticket_id, e.site_id))
    bus.subscribe(UrgentArrival, lambda e: ticket_event("alert:urgent", e.ticket_id, e.site_id))

    def burst(event: UrgentBurst) -> None:
        """One burst alert per site, its count kept up to date; count 0: acknowledged."""
        with database.session() as db:
            site = db.get(Site, event.site_id)
            slug = site.slug if site else None
        payload = {"site": slug, "count": event.count, "since": _iso_text(event.since)}
        socketio.emit("alert:burst", payload, to=f"site:{event.site_id}", namespace=NAMESPACE)

    bus.subscribe(DutyChanged, duty_changed)
    bus.subscribe(UrgentBurst, burst)
    bus.subscribe(StaffSignedOut, signed_out)

    bus.subscribe(StaffAccountEnded, lambda event: end_connections_of(socketio, event.staff_id))


def end_connections_of(socketio: SocketIO, staff_id: int) -> None:
    """Ends a person's live consoles on every process (deactivated, password reset): through
    the message queue, not this process's tables, since they may be connected to any process.
    The page is told why, then each process ends its own. The command line calls it too, with
    an emitter of its own on the message queue (frontdoor/cli_live.py)."""
    socketio.emit(END_EVENT, {"reason": "account_changed"}, to=_person_room(staff_id),
                  namespace=NAMESPACE)  # fmt: skip


def _person_room(staff_id: int) -> str:
    return f"staff:{staff_id}"


def _bursts(pending: urgent_queries.PendingBurst | None) -> list[dict[str, Any]]:
    if pending is None:
        return []
    return [
        {
            "count": pending.count,
            "since": views.iso(pending.since),
            "last_at": views.iso(pending.last_at),
        }
    ]


def _iso_text(text: str) -> str:
    return text.replace("+00:00", "Z")
