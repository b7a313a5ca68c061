"""The production server: Flask-SocketIO on gevent's WSGI server (its deployment docs).

`frontdoor serve` patches the standard library for gevent before anything is imported
(entry.py); psycopg 3 then sees the patched `select` and waits cooperatively, so a
PostgreSQL query never stalls the other connections.
"""

from __future__ import annotations

import gc
import logging
import socket
from collections.abc import Callable

from gevent import monkey, pywsgi

from queue_service.persistence.database import Database
from queue_service.services import service_day
from web_kernel.extensions import socketio

from .app import create_app


def _os_thread(target: Callable[[], None]) -> None:
    """A real thread, not a greenlet: blocking C calls in it leave the server running."""
    thread_class = monkey.get_original("threading", "Thread")
    thread_class(target=target, name="wal-checkpoint", daemon=True).start()


class NoDelayHandler(pywsgi.WSGIHandler):
    """Turns off Nagle's algorithm on each connection.

    pywsgi writes a response's headers and body in separate sends; with Nagle on, the body
    waits for the client's delayed ACK of the headers, about 40 ms on Linux, on every
    keep-alive request.
    """

    def handle(self) -> None:
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle()

    def get_environ(self) -> dict:
        # No permessage-deflate on websockets (every browser offers it, simple-websocket
        # accepts it): compressing each Socket.IO message for each socket separately doubled
        # the server's CPU per console event (benchmarks/console_latency.py: p99 at 1,000
        # consoles 67-83 ms with it, 37-50 ms without), for messages of a few hundred bytes.
        environ = super().get_environ()
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return environ


# Young-generation collections every 5,000 allocations instead of 700, older generations
# rarely. Measured (benchmarks/queue_bench.py, two runs each): call-next p99 25-27 ms at
# the default 700, 23-25 ms at 1,500-5,000, 34-38 ms at 50,000 (each collection then scans
# too much at once); check-ins ~455/s, ~475/s and ~450/s.
GC_THRESHOLDS = (5_000, 20, 100)


SWEEP_SECONDS = 60


def _sweep_forever(database: Database) -> None:
    """Close earlier service days at every site, once a minute, even when nothing else
    happens overnight: a person's page must not say "waiting" at 3 a.m. Safe with several
    processes: each site is closed under the write lock, and closing twice changes nothing."""
    log = logging.getLogger("frontdoor.sweep")
    while True:
        try:
            with database.session() as session:
                service_day.sweep(session)
        except Exception:  # a failed sweep is retried next minute; it never stops serving
            log.exception("service-day sweep failed")
        socketio.sleep(SWEEP_SECONDS)


def run(*, host: str, port: int) -> None:
    app = create_app()
    database = app.extensions["frontdoor"].database
    database.start_checkpoints(_os_thread)
    socketio.start_background_task(_sweep_forever, database)
    # What start-up made lives for ever: keep it out of every later collection.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    logging.getLogger("frontdoor").info("Front Door on http://%s:%s", host, port)
    # log_output=False: one log line per request costs more than the request on a busy day.
    socketio.run(app, host=host, port=port, log_output=False, handler_class=NoDelayHandler)
