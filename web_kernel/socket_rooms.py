"""Ending every live connection in a room, on every server process.

Socket.IO disconnects one connection by its id, and only the process holding a connection
knows it; with several processes (FRONTDOOR_REDIS_URL) no process knows them all. So an
ending takes the path every live message already takes: an emit to a room, which the
message queue carries to every process. Each process's client manager, delivering the
`END_EVENT` message to its own members of the room, disconnects them right after it; the
page, told why, leaves at once. With one process there is no queue, and the same happens
in place.

A change's news takes that path too, as a `RELAY_EVENT` of its ids: every process's client
manager hands it to that process's own handler, which decides what its own connections may
be sent and sends it to them alone. So nothing a process sends depends on what another
process knows, and no process needs to know who watches elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import socketio

END_EVENT = "session:ended"
# Never sent to a client: a change's ids, which each process's own handler turns into what
# its own connections are sent (staff_console/live.py). It travels like any emit, so it
# reaches every process, the sender included, in the order it was sent.
RELAY_EVENT = "frontdoor:relay"
CHANNEL = "flask-socketio"  # Flask-SocketIO's own default, so mixed versions still talk


class _EndsRooms(socketio.Manager):
    """Delivers an emit to this process's members of a room; for END_EVENT, then ends them;
    a RELAY_EVENT goes to this process's handler for its namespace instead of any client."""

    def emit(self, event: str, data: Any, namespace: str, room: Any = None, skip_sid: Any = None,
             callback: Any = None, to: Any = None, **kwargs: Any) -> None:  # fmt: skip
        if event == RELAY_EVENT:
            handler = getattr(self, "relay_handlers", {}).get(namespace)
            if handler is not None:
                handler(data)
            return
        room = to or room
        ending = event == END_EVENT and room is not None
        members = [sid for sid, _ in self.get_participants(namespace, room)] if ending else []
        super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback,
                     **kwargs)  # fmt: skip
        for sid in members:
            # Only here: every other process does the same for the connections it holds.
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class _LocalEndsRooms(_EndsRooms):
    pass


class _RedisEndsRooms(socketio.RedisManager, _EndsRooms):
    """RedisManager publishes the emit; every process's listener hands it to _EndsRooms."""


class _KombuEndsRooms(socketio.KombuManager, _EndsRooms):
    pass


def on_relay(server: socketio.Server, namespace: str, handler: Callable[[Any], None]) -> None:
    """`handler` takes every RELAY_EVENT sent to `namespace`, from any process."""
    server.manager.__dict__.setdefault("relay_handlers", {})[namespace] = handler


def client_manager(message_queue: str | None) -> socketio.Manager:
    if not message_queue:
        return _LocalEndsRooms()
    if message_queue.startswith(("redis://", "rediss://")):
        return _RedisEndsRooms(message_queue, channel=CHANNEL)
    return _KombuEndsRooms(message_queue, channel=CHANNEL)
