"""Carries domain events to the side effects that react to them, after the commit.

Handlers are registered by the composition root (sockets, SMS). A failing handler is logged
and never undoes or fails the change that caused it: the change is already committed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

Handler = Callable[[object], None]


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[type, list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type, handler: Handler) -> None:
        self._handlers[event_type].append(handler)

    def publish(self, events: Iterable[object]) -> None:
        for event in events:
            for handler in self._handlers.get(type(event), ()):
                try:
                    handler(event)
                except Exception:
                    log.exception("handler %r failed on %r", handler, event)
