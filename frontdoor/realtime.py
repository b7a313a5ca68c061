"""Live updates: the core's events, after commit, as Socket.IO messages (contract names).

/public   a person's phone watches their own ticket: `ticket:watch {token}` → `ticket:updated`
/display  a lobby screen for one site: `display:called {code, desk}`, `display:waiting {waiting}`
/console  staff (the console issue adds sign-in): `alert:urgent` when someone feels unsafe

Each process tracks the watchers connected to it; payloads come from the same read models as
the HTTP API, so nothing reaches a socket that the API would not show that audience.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from flask import Flask, request
from flask_socketio import SocketIO, join_room

from kiosk.pages import TICKET_PAGE_PATH
from queue_service.bus import EventBus
from queue_service.domain.errors import NotFound
from queue_service.domain.events import TicketCalled, TicketChanged, TicketCreated, UrgentArrival
from queue_service.persistence import repositories
from queue_service.persistence.database import Database
from queue_service.services import display, views


class Watchers:
    """Which tickets and lobby screens this process has clients for, per site."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.tickets: dict[int, dict[str, str]] = defaultdict(dict)  # site → token → base url
        self.screens: dict[int, int] = defaultdict(int)  # site → connected screens
        self._by_sid: dict[str, list[tuple[str, int, str | None]]] = defaultdict(list)

    def watch_ticket(self, sid: str, site_id: int, token: str, base_url: str) -> None:
        with self._lock:
            self.tickets[site_id][token] = base_url
            self._by_sid[sid].append(("ticket", site_id, token))

    def add_screen(self, sid: str, site_id: int) -> None:
        with self._lock:
            self.screens[site_id] += 1
            self._by_sid[sid].append(("screen", site_id, None))

    def drop(self, sid: str) -> None:
        with self._lock:
            for kind, site_id, token in self._by_sid.pop(sid, []):
                if kind == "screen":
                    self.screens[site_id] -= 1
                elif not any(t == token for _, _, t in self._all_entries()):
                    self.tickets[site_id].pop(token, None)

    def _all_entries(self):  # type: ignore[no-untyped-def]
        return (entry for entries in self._by_sid.values() for entry in entries)


def init_realtime(app: Flask, socketio: SocketIO, database: Database, bus: EventBus) -> None:
    watchers = Watchers()
    public_url = app.extensions["frontdoor"].settings.public_url

    @socketio.on("ticket:watch", namespace="/public")
    def watch(data: Any) -> dict:
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str):
            return {"ok": False, "error": "token_required"}
        with database.session() as session:
            try:
                ticket = repositories.ticket_by_token(session, token)
            except NotFound:
                return {"ok": False, "error": "ticket_not_found"}
            base = public_url or request.host_url.rstrip("/")
            join_room(f"ticket:{token}")
            watchers.watch_ticket(request.sid, ticket.site_id, token, base)
            return {"ok": True, "ticket": _public(session, ticket, base)}

    @socketio.on("connect", namespace="/display")
    def screen_connects(auth: Any = None) -> bool:
        slug = auth.get("site") if isinstance(auth, dict) else None
        with database.session() as session:
            try:
                site = repositories.site_by_slug(session, slug if isinstance(slug, str) else "")
            except NotFound:
                return False
            waiting = display.board(session, site.id)["waiting"]
        join_room(f"site:{site.id}")
        watchers.add_screen(request.sid, site.id)
        # A screen that (re)connects catches up at once instead of waiting for the next change.
        socketio.emit("display:waiting", {"waiting": waiting}, to=request.sid, namespace="/display")
        return True

    for namespace in ("/public", "/display"):
        socketio.on_event("disconnect", lambda *_: watchers.drop(request.sid), namespace)

    def queue_changed(event: TicketCreated | TicketChanged) -> None:
        site_id = event.site_id
        watched = dict(watchers.tickets.get(site_id, {}))
        if not watched and not watchers.screens.get(site_id):
            return
        with database.session() as session:
            for ticket in repositories.tickets_by_tokens(session, list(watched)):
                payload = _public(session, ticket, watched[ticket.token])
                socketio.emit(
                    "ticket:updated", payload, to=f"ticket:{ticket.token}", namespace="/public"
                )
            if watchers.screens.get(site_id):
                waiting = display.board(session, site_id)["waiting"]
                socketio.emit(
                    "display:waiting",
                    {"waiting": waiting},
                    to=f"site:{site_id}",
                    namespace="/display",
                )

    def called(event: TicketCalled) -> None:
        socketio.emit(
            "display:called",
            {"code": event.code, "desk": event.desk},
            to=f"site:{event.site_id}",
            namespace="/display",
        )

    def urgent(event: UrgentArrival) -> None:
        socketio.emit(
            "alert:urgent",
            {"ticket_id": event.ticket_id, "site_id": event.site_id},
            to=f"site:{event.site_id}",
            namespace="/console",
        )

    bus.subscribe(TicketCreated, queue_changed)
    bus.subscribe(TicketChanged, queue_changed)
    bus.subscribe(TicketCalled, called)
    bus.subscribe(UrgentArrival, urgent)


def _public(session, ticket, base_url: str) -> dict:  # type: ignore[no-untyped-def]
    url = base_url + TICKET_PAGE_PATH.format(token=ticket.token)
    return views.public_ticket_for(session, ticket, lambda _token: url)
