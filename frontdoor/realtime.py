"""Live updates: the core's events, after commit, as Socket.IO messages (contract names).

/public   a person's phone watches their own ticket: `ticket:watch {token}` → `ticket:updated`
/display  a lobby screen for one site: `display:board` on connect, then `display:called
          {code, desk}` and `display:waiting {waiting}`
(/console, the staff's live queue, lives with the staff surface: staff_console/live.py)

Payloads come from the same read models as the HTTP API, so nothing reaches a socket that
the API would not show that audience. A change at a site schedules one refresh for that
site in the background: bursts of check-ins are merged, the committing request never waits
for it, and each phone gets a message only when what it shows has changed.

Each process serves the clients connected to it; with several processes (Redis message
queue) a change must reach every process's refresh too: the scaling-out issue adds that.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from flask import Flask, request
from flask_socketio import SocketIO, join_room

from kiosk.pages import ticket_page_url
from queue_service.bus import EventBus
from queue_service.domain.errors import NotFound
from queue_service.domain.events import TicketCalled, TicketChanged, TicketCreated
from queue_service.domain.lifecycle import OPEN_STATUSES
from queue_service.persistence import repositories
from queue_service.persistence.database import Database
from queue_service.services import display, views
from web_kernel.socket_guard import refusing_when_unavailable

WATCHES_PER_CONNECTION = 3
MERGE_SECONDS = 0.05


class Watchers:
    """Who is connected to this process: phones by ticket, lobby screens by site."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens_of: dict[str, set[str]] = defaultdict(set)  # sid → tokens
        self._sids_of: dict[str, set[str]] = defaultdict(set)  # token → sids
        self._site_of: dict[str, int] = {}  # token → site
        self._base_of: dict[str, str] = {}  # token → public base URL
        self._screens: dict[int, set[str]] = defaultdict(set)  # site → sids
        self.last_sent: dict[str, dict] = {}  # token → last payload sent

    def watch(self, sid: str, token: str, site_id: int, base: str) -> bool:
        with self._lock:
            if (
                token not in self._tokens_of[sid]
                and len(self._tokens_of[sid]) >= WATCHES_PER_CONNECTION
            ):
                return False
            self._tokens_of[sid].add(token)
            self._sids_of[token].add(sid)
            self._site_of[token] = site_id
            self._base_of[token] = base
            return True

    def add_screen(self, sid: str, site_id: int) -> None:
        with self._lock:
            self._screens[site_id].add(sid)

    def drop(self, sid: str) -> None:
        with self._lock:
            for token in self._tokens_of.pop(sid, set()):
                self._sids_of[token].discard(sid)
                if not self._sids_of[token]:
                    self._forget(token)
            for sids in self._screens.values():
                sids.discard(sid)

    def forget_ticket(self, token: str) -> None:
        with self._lock:
            for sid in self._sids_of.get(token, set()):
                self._tokens_of[sid].discard(token)
            self._forget(token)

    def _forget(self, token: str) -> None:
        for table in (self._sids_of, self._site_of, self._base_of, self.last_sent):
            table.pop(token, None)

    def tokens_at(self, site_id: int) -> dict[str, str]:
        with self._lock:
            return {t: self._base_of[t] for t, s in self._site_of.items() if s == site_id}

    def has_screens(self, site_id: int) -> bool:
        return bool(self._screens.get(site_id))

    def watching(self, site_id: int) -> bool:
        return self.has_screens(site_id) or site_id in self._site_of.values()


def init_realtime(app: Flask, socketio: SocketIO, database: Database, bus: EventBus) -> None:
    watchers = Watchers()
    public_url = app.extensions["frontdoor"].settings.public_url
    pending: set[int] = set()
    pending_lock = threading.Lock()

    @socketio.on("ticket:watch", namespace="/public")
    @refusing_when_unavailable({"ok": False, "error": "unavailable"})
    def watch(data: Any = None, *_extra: Any) -> dict:
        # Anything may arrive here (no data, a list, extra arguments): only a dict with a
        # string token is looked at; repositories.ticket_by_token checks its form.
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str):
            return {"ok": False, "error": "token_required"}
        with database.session() as session:
            try:
                ticket = repositories.ticket_by_token(session, token)
            except NotFound:
                return {"ok": False, "error": "ticket_not_found"}
            base = public_url or request.host_url.rstrip("/")
            payload = _public(session, ticket, base)
        if not watchers.watch(request.sid, token, ticket.site_id, base):
            return {"ok": False, "error": "too_many_watches"}
        join_room(f"ticket:{token}")
        watchers.last_sent[token] = payload
        return {"ok": True, "ticket": payload}

    @socketio.on("connect", namespace="/display")
    @refusing_when_unavailable(False)
    def screen_connects(auth: Any = None, *_extra: Any) -> bool:
        slug = auth.get("site") if isinstance(auth, dict) else None
        with database.session() as session:
            try:
                site = repositories.site_by_slug(session, slug if isinstance(slug, str) else "")
            except NotFound:
                return False
            board = display.board(session, site.id)
        join_room(f"site:{site.id}")
        watchers.add_screen(request.sid, site.id)
        # A screen that (re)connects catches up at once instead of waiting for the next call.
        socketio.emit("display:board", board, to=request.sid, namespace="/display")
        return True

    for namespace in ("/public", "/display"):
        socketio.on_event("disconnect", lambda *_: watchers.drop(request.sid), namespace)

    def refresh(site_id: int) -> None:
        socketio.sleep(MERGE_SECONDS)  # let a burst of changes land first
        with pending_lock:
            pending.discard(site_id)
        with app.app_context(), database.session() as session:
            watched = watchers.tokens_at(site_id)
            if watched:
                _refresh_tickets(session, site_id, watched)
            if watchers.has_screens(site_id):
                waiting = display.board(session, site_id)["waiting"]
                socketio.emit("display:waiting", {"waiting": waiting}, to=f"site:{site_id}",
                              namespace="/display")  # fmt: skip

    def _refresh_tickets(session, site_id: int, watched: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        places = views.places_at_site(session, site_id)
        for ticket in repositories.tickets_by_tokens(session, list(watched)):
            place = places.get(ticket.id, views.PlaceInLine(None, None))
            payload = views.public_ticket(
                ticket, position=place.position, wait=place.wait,
                status_url=ticket_page_url(ticket.token, watched[ticket.token]),
            )  # fmt: skip
            if payload != watchers.last_sent.get(ticket.token):
                watchers.last_sent[ticket.token] = payload
                socketio.emit("ticket:updated", payload, to=f"ticket:{ticket.token}",
                              namespace="/public")  # fmt: skip
            if ticket.status not in OPEN_STATUSES:
                watchers.forget_ticket(ticket.token)  # its story is over

    def queue_changed(event: TicketCreated | TicketChanged) -> None:
        if not watchers.watching(event.site_id):
            return
        with pending_lock:
            if event.site_id in pending:
                return
            pending.add(event.site_id)
        socketio.start_background_task(refresh, event.site_id)

    def called(event: TicketCalled) -> None:
        socketio.emit("display:called", {"code": event.code, "desk": event.desk},
                      to=f"site:{event.site_id}", namespace="/display")  # fmt: skip

    bus.subscribe(TicketCreated, queue_changed)
    bus.subscribe(TicketChanged, queue_changed)
    bus.subscribe(TicketCalled, called)


def _public(session, ticket, base_url: str) -> dict:  # type: ignore[no-untyped-def]
    return views.public_ticket_for(session, ticket, lambda token: ticket_page_url(token, base_url))
