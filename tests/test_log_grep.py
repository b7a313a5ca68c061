"""The log check of the whole run (tests/log_grep.py): what it finds, that a walk-in's day
leaves no private detail in the log, and that a leak fails the run however its tests went."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    "line",
    [
        "checked in Ana at desk 2",
        "INFO:sms:to (617) 555-0123: your turn",
        "phone=+16175550123",
        "dialled 617.555.0123",
        "ValueError: bad phone '+1 617 555 0199'",
        "note saved: Needs ID",
    ],
)
def test_the_check_finds_a_seeded_name_phone_or_note(log_leaks, line):
    assert log_leaks(line)


@pytest.mark.parametrize(
    "line",
    [
        "Front Door on http://127.0.0.1:5000",
        "ticket A-007 called to desk 2",
        "sent to •••0123",  # masked, as the console shows it
        "Anaheim office",
        "token xK-Ana-z9",  # a random token is not a name
        "id 61755501234",
    ],
)
def test_the_check_leaves_ordinary_lines_alone(log_leaks, line):
    assert log_leaks(line) == []


def test_a_walk_ins_visit_leaves_nothing_private_in_the_log(
    world, north, api, sign_in, private_details, log_leaks, caplog
):
    caplog.set_level(logging.DEBUG)
    world.staff("cm@example.org", on_duty_at="north")
    manager = sign_in("cm@example.org")
    person = world.walk_in("north", which=1)
    by_kiosk = api.check_in(name=private_details.names[2], phone=private_details.phones[2],
                            sms_opt_in=True)  # fmt: skip
    assert by_kiosk.status_code == 201
    called = api.call_next(manager).get_json()["ticket"]
    assert called["id"] == person.id
    note = {"body": private_details.notes[3]}
    assert api.client.post(f"/api/v1/tickets/{person.id}/notes", json=note,
                           headers=manager).status_code == 201  # fmt: skip
    api.move(manager, person.id, "start")
    api.move(manager, person.id, "complete", outcome="resolved", note=private_details.notes[0])
    # Refusals carry what was sent back in no log either.
    api.check_in(name=private_details.names[0], phone="555", language="en")
    api.check_in(name=private_details.names[0], language="xx", phone=private_details.phones[0])
    assert log_leaks(caplog.text) == []


def run_pytest_with_the_probe(tmp_path: Path, **probe: str) -> subprocess.CompletedProcess:
    """A pytest run of its own, of one quick test here, with tests/leak_probe.py loaded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_PROBE")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.leak_probe", "-p", "no:cacheprovider",
         f"--basetemp={tmp_path / 'run'}",
         "tests/test_log_grep.py::test_the_check_leaves_ordinary_lines_alone[Front Door on http://127.0.0.1:5000]"],
        cwd=ROOT, env={**env, **probe}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_a_run_whose_logs_hold_a_seeded_name_or_phone_fails(tmp_path, private_details):
    # (A run without the probe passing is every other run of the suite.)
    output = tmp_path / "server-1234.log"
    output.write_text("INFO:frontdoor:Front Door on http://127.0.0.1:1234\n"
                      "WARNING:sms:could not send to (617) 555-0199\n")  # fmt: skip
    leaked = run_pytest_with_the_probe(
        tmp_path, FRONTDOOR_PROBE_LOG=private_details.names[2], FRONTDOOR_PROBE_FILE=str(output)
    )
    assert leaked.returncode == 1, leaked.stdout[-2000:]
    assert "private details reached a log" in leaked.stdout
    # Which test logged it, and which server's output printed what.
    assert "test_the_check_leaves_ordinary_lines_alone[Front Door on" in leaked.stdout
    assert repr(private_details.names[2]) in leaked.stdout
    assert "server-1234.log: '617) 555-0199'" in leaked.stdout
