"""The production server: Flask-SocketIO on gevent's WSGI server (its deployment docs).

`frontdoor serve` patches the standard library for gevent before anything is imported
(entry.py); psycopg 3 then sees the patched `select` and waits cooperatively, so a
PostgreSQL query never stalls the other connections.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable

import click
from gevent import monkey

from queue_service.notifications import sender as sms_sender
from queue_service.persistence.database import Database
from queue_service.persistence.failures import OutageLog
from queue_service.services import escalations, report_days, service_day
from web_kernel.extensions import socketio
from web_kernel.hosts import public_host
from web_kernel.settings import Settings

from .app import create_app
from .daily_purge import DailyPurge
from .http_handler import Limits, handler_for
from .sms import transport_for


def _os_thread(target: Callable[[], None]) -> None:
    """A real thread, not a greenlet: blocking C calls in it leave the server running."""
    thread_class = monkey.get_original("threading", "Thread")
    thread_class(target=target, name="wal-checkpoint", daemon=True).start()


# Young-generation collections every 5,000 allocations instead of 700, older generations
# rarely. Measured (benchmarks/queue_bench.py, two runs each): call-next p99 25-27 ms at
# the default 700, 23-25 ms at 1,500-5,000, 34-38 ms at 50,000 (each collection then scans
# too much at once); check-ins ~455/s, ~475/s and ~450/s.
GC_THRESHOLDS = (5_000, 20, 100)


SWEEP_SECONDS = 60
# Urgent alerts go to on-call after whole minutes (default 2): looked at four times a minute.
ESCALATION_SECONDS = 15

# Without it every link and QR code would name whatever Host a request claimed.
PUBLIC_URL_REQUIRED = (
    "set FRONTDOOR_PUBLIC_URL to the address the public reaches this server at "
    "(e.g. https://frontdoor.example.org): status links and QR codes are made from it"
)


def _sweep_forever(database: Database) -> None:
    """Close earlier service days at every site, once a minute, even when nothing else
    happens overnight: a person's page must not say "waiting" at 3 a.m. Safe with several
    processes: each site is closed under the write lock, and closing twice changes nothing."""
    log = logging.getLogger("frontdoor.sweep")
    # The retention period, once a day (daily_purge.py), yielding to requests as it goes.
    purge = DailyPurge(database, pause=lambda: socketio.sleep(0))
    while True:
        try:
            with database.session() as session:
                service_day.sweep(session)
            with database.session() as session:
                # Yesterday's figures are final by now: kept for the leads' reports.
                report_days.keep_newly_settled(session)
        except Exception:  # a failed sweep is retried next minute; it never stops serving
            log.exception("service-day sweep failed")
        purge()
        socketio.sleep(SWEEP_SECONDS)


def _escalate_forever(database: Database, secret_key: str) -> None:
    """Text unacknowledged urgent alerts to each site's on-call numbers, once each (safe with
    several processes: services/escalations.py)."""
    outage = OutageLog(logging.getLogger("frontdoor.escalations"), "urgent escalations")
    while True:
        try:
            with database.session() as session:
                escalations.escalate_due(session, secret_key=secret_key)
            outage.succeeded()
        except Exception as exc:  # retried in a moment; it never stops serving
            outage.failed(exc)
        socketio.sleep(ESCALATION_SECONDS)


def run(*, host: str, port: int, demo: bool = False) -> None:
    settings = Settings.from_env()
    if not demo and not public_host(settings.public_url):
        raise click.ClickException(PUBLIC_URL_REQUIRED)
    transport = transport_for(settings)  # a backend that cannot work stops the start
    app = create_app(settings, demo=demo)
    handler = handler_for(
        Limits(
            header_seconds=settings.header_timeout_seconds,
            body_seconds=settings.body_timeout_seconds,
            per_address=settings.max_connections_per_address,
        )
    )
    database = app.extensions["frontdoor"].database
    database.start_checkpoints(_os_thread)
    socketio.start_background_task(_sweep_forever, database)
    socketio.start_background_task(_escalate_forever, database, settings.secret_key)
    # The outbox's texts, one at a time at the provider's pace; safe beside other processes.
    texts = sms_sender.Sender(database, transport, secret_key=settings.secret_key)
    socketio.start_background_task(sms_sender.run_forever, texts, socketio.sleep)
    # What start-up made lives for ever: keep it out of every later collection.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    logging.getLogger("frontdoor").info("Front Door on http://%s:%s", host, port)
    # log_output=False: one log line per request costs more than the request on a busy day.
    socketio.run(app, host=host, port=port, log_output=False, handler_class=handler)
