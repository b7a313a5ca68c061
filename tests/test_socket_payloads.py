"""Every Socket.IO handler takes whatever a client sends: no data, a list, a huge string, a
number where a token goes, extra arguments. The answer is an `{"ok": false, "error": …}`
acknowledgement or a refused connection, never a TypeError in the server's log."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from web_kernel.extensions import socketio

# What a careless or hostile client may send in place of a proper payload.
BAD_PAYLOADS = [
    (),
    (None,),
    ([],),
    (["token"],),
    ("x" * 200_000,),
    (12345,),
    (10**30,),
    (True,),
    ({},),
    ({"token": None},),
    ({"token": 12345},),
    ({"token": ["a", "b"]},),
    ({"token": {"nested": "dict"}},),
    ({"token": "x" * 200_000},),
    ({"token": "\x00abc"},),
    ({"token": "no such ticket"}, "an extra argument", 3),
]
BAD_AUTH = [
    None,
    [],
    ["site"],
    "x" * 200_000,
    12345,
    {"site": None},
    {"site": 12345},
    {"site": ["north"]},
    {"site": "x" * 200_000},
    {"site": "nor\x00th"},
    {"token": 12345},
    {"token": ["a"]},
    {"token": "x" * 200_000},
    {"token": "\x00"},
    {"token": ""},
]


@pytest.fixture
def no_errors_logged(caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, [r.getMessage() for r in errors]


def test_ticket_watch_answers_a_bad_payload_with_a_refusal(app, north, no_errors_logged):
    phone = socketio.test_client(app, namespace="/public")
    for args in BAD_PAYLOADS:
        ack = phone.emit("ticket:watch", *args, namespace="/public", callback=True)
        assert ack["ok"] is False and isinstance(ack["error"], str), args
    assert phone.is_connected(namespace="/public")
    phone.disconnect(namespace="/public")


@pytest.mark.parametrize("namespace", ["/display", "/console"])
def test_a_screen_or_console_with_bad_credentials_is_refused_cleanly(
    app, north, namespace, no_errors_logged
):
    for auth in BAD_AUTH:
        client = socketio.test_client(app, namespace=namespace, auth=auth)
        assert not client.is_connected(namespace=namespace), auth


@pytest.mark.parametrize(
    ("namespace", "auth"), [("/public", None), ("/display", {"site": "north"})]
)
def test_events_no_handler_takes_are_ignored(app, north, namespace, auth, no_errors_logged):
    client = socketio.test_client(app, namespace=namespace, auth=auth)
    for args in BAD_PAYLOADS:
        client.emit("queue:snapshot", *args, namespace=namespace)
        client.emit("no such event", *args, namespace=namespace)
    assert client.is_connected(namespace=namespace)
    client.disconnect(namespace=namespace)


def test_a_signed_in_console_ignores_what_it_is_sent(
    app, client, world, north, console_sign_in, no_errors_logged
):
    world.staff("maria@example.org")
    console_sign_in(client, "maria@example.org")
    console = socketio.test_client(app, namespace="/console", flask_test_client=client)
    assert console.is_connected(namespace="/console")
    for args in BAD_PAYLOADS:
        console.emit("ticket:watch", *args, namespace="/console")
        console.emit("queue:snapshot", *args, namespace="/console")
    assert console.is_connected(namespace="/console")
    console.disconnect(namespace="/console")


def test_a_database_outage_is_a_refusal_on_the_socket_too(app, north, monkeypatch, caplog):
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]

    def unavailable():  # type: ignore[no-untyped-def]
        raise OperationalError("SELECT …", {}, full)

    phone = socketio.test_client(app, namespace="/public")
    monkeypatch.setattr(app.extensions["frontdoor"].database, "session", unavailable)
    ack = phone.emit("ticket:watch", {"token": "a" * 32}, namespace="/public", callback=True)
    assert ack == {"ok": False, "error": "unavailable"}
    screen = socketio.test_client(app, namespace="/display", auth={"site": "north"})
    assert not screen.is_connected(namespace="/display")
    assert not any(r.exc_info for r in caplog.records), "one line, no traceback"
