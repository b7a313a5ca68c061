"""Ending every live connection in a room, on every server process.

Socket.IO disconnects one connection by its id, and only the process holding a connection
knows it; with several processes (FRONTDOOR_REDIS_URL) no process knows them all. So an
ending takes the path every live message already takes: an emit to a room, which the
message queue carries to every process. Each process's client manager, delivering the
`END_EVENT` message to its own members of the room, disconnects them right after it; the
page, told why, leaves at once. With one process there is no queue, and the same happens
in place.
"""

from __future__ import annotations

from typing import Any

import socketio

END_EVENT = "session:ended"
CHANNEL = "flask-socketio"  # Flask-SocketIO's own default, so mixed versions still talk


class _EndsRooms(socketio.Manager):
    """Delivers an emit to this process's members of a room; for END_EVENT, then ends them."""

    def emit(self, event: str, data: Any, namespace: str, room: Any = None, skip_sid: Any = None,
             callback: Any = None, to: Any = None, **kwargs: Any) -> None:  # fmt: skip
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


def client_manager(message_queue: str | None) -> socketio.Manager:
    if not message_queue:
        return _LocalEndsRooms()
    if message_queue.startswith(("redis://", "rediss://")):
        return _RedisEndsRooms(message_queue, channel=CHANNEL)
    return _KombuEndsRooms(message_queue, channel=CHANNEL)
