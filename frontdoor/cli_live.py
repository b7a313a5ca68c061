"""What the staff commands change reaches running servers' live consoles at once.

`frontdoor staff set EMAIL --active no` and `frontdoor staff reset-password` revoke every
token and session in the database; the person's open consoles must end too, and so must
those of a person whose sites or role `frontdoor staff set` changed (they start again with
what the person may see now). A server does
that by sending `session:ended` to the person's room through the Socket.IO message queue
(staff_console/live.py). With FRONTDOOR_REDIS_URL the command line sends the same message on
the same queue, as an emitter from outside any server (Flask-SocketIO's external-process
emitter: write-only, no listener), so every server process ends its own connections as it
delivers it. Without a message queue nothing outside a server can reach its sockets: each
server's periodic check of its connections' tokens ends them (staff_console/live.py,
RECHECK_SECONDS).
"""

from __future__ import annotations

from flask_socketio import SocketIO

from queue_service.bus import EventBus
from queue_service.domain.events import StaffAccessChanged, StaffAccountEnded
from queue_service.persistence.database import Database
from staff_console.live import end_connections_of
from web_kernel.settings import Settings
from web_kernel.socket_rooms import CHANNEL


def tell_running_servers(database: Database, settings: Settings) -> None:
    """After each commit, the events servers act on go out on the message queue (if any)."""
    if not settings.redis_url:
        return
    emitter = SocketIO(message_queue=settings.redis_url, channel=CHANNEL)
    bus = EventBus()
    bus.subscribe(StaffAccountEnded, lambda event: end_connections_of(emitter, event.staff_id))
    bus.subscribe(StaffAccessChanged, lambda event: end_connections_of(
        emitter, event.staff_id, reason="access_changed"))  # fmt: skip
    database.set_publisher(bus.publish)
