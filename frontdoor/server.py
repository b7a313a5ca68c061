"""The production server: Flask-SocketIO on gevent's WSGI server (its deployment docs).

`frontdoor serve` patches the standard library for gevent before anything is imported
(entry.py); psycopg 3 then sees the patched `select` and waits cooperatively, so a
PostgreSQL query never stalls the other connections.
"""

from __future__ import annotations

import logging

from .app import create_app
from .extensions import socketio


def run(*, host: str, port: int) -> None:
    app = create_app()
    logging.getLogger("frontdoor").info("Front Door on http://%s:%s", host, port)
    # log_output=False: one log line per request costs more than the request on a busy lobby day.
    socketio.run(app, host=host, port=port, log_output=False, allow_unsafe_werkzeug=False)
