"""The /console Socket.IO namespace: the duty case manager's live queue.

A staff member connects with `auth {"token": BEARER}` or the browser console's session
cookie, and joins a room for each site they work at, and nowhere else. On every connect (so
on every reconnect too) they get a full `queue:snapshot` per site, with who is on duty;
then `ticket:created`, `ticket:updated` (StaffTicket), `alert:urgent`, `alert:burst` and
`duty:updated`. Each ticket message carries the site's `version`, which goes up by one per
change this process has sent on, so a client that notices a gap can ask again (reconnect)
instead of drifting.

With several processes (FRONTDOOR_REDIS_URL) a change committed on one must reach consoles
on every other: each change goes out on the message queue as a relay of its ids alone
(web_kernel/socket_rooms.py, RELAY_EVENT), whether or not anyone here watches the site, and
every process, this one included, reads what its own consoles are sent and numbers it with
its own counter. A process nobody watches the site on drops the relay without a query.

What a connection may see is asked again for every message, not only at connect: before
sending a site's news to its room, the process checks that each connection's person still
works there (and is active), and a connection whose person lost the site leaves its room
first. A change of a person's sites or role, deactivating them or resetting their password
sends `session:ended` to a room of that person's own, through the message queue, and every
process ends its own connections of theirs as it delivers it (web_kernel/socket_rooms.py);
the console's page starts again with what they may see now. Signing out ends the
connections made with that session or token, on every process.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import request, session
from flask_socketio import SocketIO, join_room

from queue_service.bus import EventBus
from queue_service.domain.events import (
    CaseVisitorArrived,
    DutyChanged,
    StaffAccessChanged,
    StaffAccountEnded,
    StaffSignedOut,
    TicketChanged,
    TicketCreated,
    TicketTexted,
    UrgentArrival,
    UrgentBurst,
)
from queue_service.models import Site, Ticket
from queue_service.persistence import staff_queries
from queue_service.persistence import urgent as urgent_queries
from queue_service.persistence.database import Database
from queue_service.services import duty, queue, staff, views
from web_kernel import socket_rooms
from web_kernel.socket_guard import refusing_when_unavailable
from web_kernel.socket_rooms import END_EVENT, RELAY_EVENT

from .auth import SESSION_KEY
from .live_state import Consoles, Versions

NAMESPACE = "/console"
# How often live connections are checked against their session or token: one that has
# expired (idle, 12 hours, deactivated) stops receiving anything within this time.
RECHECK_SECONDS = 30
# What each relay names: the Socket.IO event its ticket message is sent as.
TICKET_EVENTS = {TicketCreated: "ticket:created", TicketChanged: "ticket:updated",
                 TicketTexted: "ticket:updated", UrgentArrival: "alert:urgent"}  # fmt: skip


def init_console_socket(socketio: SocketIO, database: Database, bus: EventBus) -> None:
    versions = Versions()
    consoles = Consoles()
    rechecking = threading.Event()

    def recheck_forever() -> None:
        while True:
            socketio.sleep(RECHECK_SECONDS)
            held = consoles.tokens()
            if not held:
                continue
            with database.session() as db:
                live = staff.live_token_ids(db, sorted(set(held.values())))
            for sid, token_id in held.items():
                if token_id not in live:
                    socketio.server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)

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
        consoles.add(sid, member.id, held)
        if not rechecking.is_set():
            rechecking.set()
            socketio.start_background_task(recheck_forever)
        for site in sites:
            # In the room first, then the snapshot, both under the site's lock: a change
            # committed meanwhile is either in the snapshot or sent after it, never lost.
            with versions.lock(site.id):
                join_room(f"site:{site.id}")
                consoles.watch(sid, site.id)
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
        consoles.drop(request.sid)

    def relay(message: dict[str, Any]) -> None:
        """To every process (this one too), through the message queue when there is one."""
        socketio.emit(RELAY_EVENT, message, namespace=NAMESPACE)

    def allowed_here(db: Any, site_id: int) -> bool:
        """Whether anyone here may be sent the site's news; those who may not leave its room
        first (their sites changed, or they were deactivated, since they connected)."""
        here = consoles.at_site(site_id)
        if not here:
            return False
        allowed = staff_queries.working_at(db, site_id, set(here.values()))
        for sid, staff_id in here.items():
            if staff_id not in allowed:
                socketio.server.leave_room(sid, f"site:{site_id}", namespace=NAMESPACE)
                consoles.unwatch(sid, site_id)
        return bool(allowed)

    def ticket_event(name: str, ticket_id: int, site_id: int) -> None:
        # Unlike the public refresh (frontdoor/realtime.py), the committing process does
        # this in the committing request, not in the background: staff messages must arrive
        # in version order, and only the few consoles connected to the site pay for it.
        with versions.lock(site_id):
            version = versions.bump(site_id)
            if not consoles.at_site(site_id):
                return
            with database.session() as db:
                if not allowed_here(db, site_id):
                    return
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
            _here(socketio, name, payload, f"site:{site_id}")

    def duty_changed(site_id: int) -> None:
        with database.session() as db:
            site = db.get(Site, site_id)
            if site is None or not allowed_here(db, site_id):
                return
            payload = {"site": site.slug, **views.coverage(duty.coverage(db, site))}
        _here(socketio, "duty:updated", payload, f"site:{site_id}")

    def burst(site_id: int, count: int, since: str) -> None:
        """One burst alert per site, its count kept up to date; count 0: acknowledged."""
        with database.session() as db:
            site = db.get(Site, site_id)
            if site is None or not allowed_here(db, site_id):
                return
            payload = {"site": site.slug, "count": count, "since": _iso_text(since)}
        _here(socketio, "alert:burst", payload, f"site:{site_id}")

    def signed_out(token_id: int) -> None:
        for sid in consoles.of_token(token_id):
            socketio.server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)

    def case_arrived(message: dict[str, Any]) -> None:
        """To the case's manager alone: "someone on your caseload just checked in"."""
        with database.session() as db:
            ticket = db.get(Ticket, int(message["ticket_id"]))
            if ticket is None:
                return
            payload = {"site": ticket.site.slug, "ticket_id": ticket.id, "code": ticket.code,
                       "case_id": int(message["case_id"])}  # fmt: skip
        _here(socketio, "case:arrived", payload, _person_room(int(message["staff_id"])))

    def delivered(message: Any) -> None:
        """A relay, from this process or another: what this process's consoles get of it."""
        if not isinstance(message, dict):
            return
        kind = message.get("kind")
        if kind == "ticket" and message.get("event") in TICKET_EVENTS.values():
            ticket_event(message["event"], int(message["ticket_id"]), int(message["site_id"]))
        elif kind == "duty":
            duty_changed(int(message["site_id"]))
        elif kind == "burst":
            burst(int(message["site_id"]), int(message["count"]), str(message["since"]))
        elif kind == "signed_out":
            signed_out(int(message["token_id"]))
        elif kind == "case_arrived":
            case_arrived(message)

    socket_rooms.on_relay(socketio.server, NAMESPACE, delivered)

    for event_type, name in TICKET_EVENTS.items():
        bus.subscribe(event_type, lambda e, name=name: relay(
            {"kind": "ticket", "event": name, "ticket_id": e.ticket_id, "site_id": e.site_id}
        ))  # fmt: skip
    bus.subscribe(DutyChanged, lambda e: relay({"kind": "duty", "site_id": e.site_id}))
    bus.subscribe(UrgentBurst, lambda e: relay(
        {"kind": "burst", "site_id": e.site_id, "count": e.count, "since": e.since}
    ))  # fmt: skip
    bus.subscribe(CaseVisitorArrived, lambda e: relay({"kind": "case_arrived", "ticket_id":
        e.ticket_id, "case_id": e.case_id, "staff_id": e.staff_id}))  # fmt: skip
    bus.subscribe(StaffSignedOut, lambda e: relay({"kind": "signed_out", "token_id": e.token_id}))
    bus.subscribe(StaffAccountEnded, lambda event: end_connections_of(socketio, event.staff_id))
    bus.subscribe(
        StaffAccessChanged,
        lambda event: end_connections_of(socketio, event.staff_id, reason="access_changed"),
    )


def _here(socketio: SocketIO, name: str, payload: dict[str, Any], room: str) -> None:
    """To this process's members of the room alone: every other process sends its own."""
    socketio.emit(name, payload, to=room, namespace=NAMESPACE, ignore_queue=True)


def end_connections_of(
    socketio: SocketIO, staff_id: int, *, reason: str = "account_changed"
) -> None:
    """Ends a person's live consoles on every process (deactivated, password reset, sites or
    role changed): through the message queue, not this process's tables, since they may be
    connected to any process. The page is told why, then each process ends its own. The
    command line calls it too, with an emitter of its own on the message queue
    (frontdoor/cli_live.py)."""
    socketio.emit(END_EVENT, {"reason": reason}, to=_person_room(staff_id), namespace=NAMESPACE)


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
