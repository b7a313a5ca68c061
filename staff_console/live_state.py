"""What one server process knows of the consoles connected to it (staff_console/live.py).

Only this process's own connections: with several processes (FRONTDOOR_REDIS_URL) every
process is told of every change through the message queue, and each answers for its own.
"""

from __future__ import annotations

import threading
from collections import defaultdict


class Versions:
    """Per site: a counter, and a lock held from reading a change to sending it, so that
    messages leave in version order and a snapshot never falls between two of them.

    A console talks to one process only, and every process hears of every change, so one
    process's counter is all its consoles need: no gap they see is a message of another's.
    """

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


class Consoles:
    """This process's console connections: whose each is, the sites it watches, its token."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._staff_of: dict[str, int] = {}  # sid → staff id
        self._sites_of: dict[str, set[int]] = {}  # sid → site ids it is in the room of
        self._token_of: dict[str, int] = {}  # sid → token id
        self._sids_of_token: dict[int, set[str]] = defaultdict(set)

    def add(self, sid: str, staff_id: int, token_id: int | None) -> None:
        with self._lock:
            self._staff_of[sid] = staff_id
            self._sites_of[sid] = set()
            if token_id is not None:
                self._token_of[sid] = token_id
                self._sids_of_token[token_id].add(sid)

    def watch(self, sid: str, site_id: int) -> None:
        with self._lock:
            self._sites_of.setdefault(sid, set()).add(site_id)

    def unwatch(self, sid: str, site_id: int) -> None:
        with self._lock:
            self._sites_of.get(sid, set()).discard(site_id)

    def drop(self, sid: str) -> None:
        with self._lock:
            self._staff_of.pop(sid, None)
            self._sites_of.pop(sid, None)
            token_id = self._token_of.pop(sid, None)
            if token_id is not None:
                self._sids_of_token[token_id].discard(sid)
                if not self._sids_of_token[token_id]:
                    del self._sids_of_token[token_id]

    def at_site(self, site_id: int) -> dict[str, int]:
        """The connections watching the site here, each with its person."""
        with self._lock:
            return {
                sid: self._staff_of[sid]
                for sid, sites in self._sites_of.items()
                if site_id in sites and sid in self._staff_of
            }

    def of_token(self, token_id: int) -> list[str]:
        with self._lock:
            return sorted(self._sids_of_token.get(token_id, ()))

    def tokens(self) -> dict[str, int]:
        with self._lock:
            return dict(self._token_of)
