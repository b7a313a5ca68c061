"""Every answer carries the same protective headers, whichever part of the stack made it:
Flask's pages and JSON, its errors, and Socket.IO's long-polling (which carries names and
phone numbers to staff)."""

from __future__ import annotations

import dataclasses

import pytest

from frontdoor.app import create_app

ANSWERS = [
    "/kiosk/north/en",
    "/api/v1/sites/north/status",
    "/api/v1/sites/nowhere/status",  # a 404 in the contract's shape
    "/socket.io/?EIO=4&transport=polling",  # Socket.IO's own answer, not Flask's
]


@pytest.mark.parametrize("path", ANSWERS)
def test_every_answer_is_never_cached_sniffed_or_framed(client, north, path) -> None:
    headers = client.get(path).headers
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in headers, "no HSTS on a plain-http office server"


def test_a_header_is_sent_once_even_where_flask_already_set_it(client, north) -> None:
    headers = client.get("/kiosk/north/en").headers
    for name in ("Cache-Control", "X-Content-Type-Options", "Content-Security-Policy"):
        assert len(headers.getlist(name)) == 1, name


def test_behind_an_https_public_url_browsers_are_told_to_use_https_only(
    settings, database, north
) -> None:
    app = create_app(
        dataclasses.replace(settings, public_url="https://frontdoor.example", secure_cookies=True),
        migrate=False,
    )
    try:
        for path in ANSWERS:
            hsts = app.test_client().get(path).headers.get("Strict-Transport-Security", "")
            assert hsts.startswith("max-age=31536000"), path
    finally:
        app.extensions["frontdoor"].database.dispose()
