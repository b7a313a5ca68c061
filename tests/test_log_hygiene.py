"""What reaches the log: one line per record, whatever a request sends; no SQL values."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from queue_service.clock import utcnow
from queue_service.models import Staff

FORGED = "INFO:queue_service.services.staff:maria@example.org signed in"


def test_a_crafted_value_cannot_forge_a_log_line(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("queue_service.services.sign_ins").warning(
        "sign-in failed from %s", f"10.0.0.1\r\n{FORGED}\n"
    )
    lines = caplog.text.splitlines()
    # Logged on one line, with the crafted part escaped in place.
    assert [line for line in lines if "sign-in failed" in line and f"\\r\\n{FORGED}\\n" in line]
    assert not [line for line in lines if line.startswith(FORGED)]
    assert all("\n" not in r.getMessage() and "\r" not in r.getMessage() for r in caplog.records)


def test_the_email_typed_at_a_failed_sign_in_never_reaches_the_log(api, north, caplog):
    caplog.set_level(logging.INFO)
    response = api.client.post(
        "/api/v1/auth/login",
        json={"email": f"jo.private@example.org\r\n{FORGED}\n", "password": "not-it"},
    )
    assert response.status_code == 401
    assert "sign-in failed" in caplog.text  # the failure is logged, with no e-mail in it
    assert "jo.private" not in caplog.text
    assert FORGED not in caplog.text


def test_a_logged_traceback_keeps_its_lines(app, caplog):
    # Only the message is escaped: a traceback still reads as one.
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("frontdoor").exception("failed:\n%s", "two\nlines")
    record = caplog.records[-1]
    assert record.getMessage() == "failed:\\ntwo\\nlines"
    assert "Traceback" in caplog.text and 'raise ValueError("boom")' in caplog.text


def test_a_database_error_does_not_carry_the_values(database, world, north):
    world.staff("maria@example.org")
    with database.session() as s, pytest.raises(IntegrityError) as error:
        s.add(
            Staff(
                email="maria@example.org",
                name="Secret Name 617 555 0199",
                role="case_manager",
                password_hash="x",
                created_at=utcnow(),
            )
        )
        s.commit()
    assert "Secret Name" not in str(error.value)
    assert "parameters hidden" in str(error.value)
