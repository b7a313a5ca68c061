"""`frontdoor purge [--dry-run]` on a seeded database: what it says, and what it does."""

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from frontdoor.cli import cli
from queue_service.models import AuditEntry, Ticket
from queue_service.services import retention

NOW = datetime(2026, 4, 1, 4, 0, tzinfo=UTC)  # local midnight in Boston, 1 April


@pytest.fixture
def frontdoor(database_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(retention, "utcnow", lambda: NOW)
    env = {"FRONTDOOR_DATABASE_URL": database_url, "FRONTDOOR_INSTANCE_PATH": str(tmp_path)}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    return run


@pytest.fixture
def seeded(visits_at):  # type: ignore[no-untyped-def]
    """Two visits past the period (31 days ago, and on its last local day), two within it."""
    for closed in (NOW - timedelta(days=31), NOW - timedelta(days=30, minutes=1)):
        visits_at.completed(closed)
    for closed in (NOW - timedelta(days=30) + timedelta(hours=1), NOW - timedelta(days=3)):
        visits_at.completed(closed)


def names(database) -> list[str | None]:  # type: ignore[no-untyped-def]
    with database.session() as s:
        query = select(Ticket.name).where(Ticket.name.is_not(None)).order_by(Ticket.id)
        return list(s.scalars(query))


def purge_entries(database) -> int:  # type: ignore[no-untyped-def]
    with database.session() as s:
        query = select(func.count()).where(AuditEntry.action == "retention.purged")
        return s.scalar(query)


def test_a_dry_run_says_what_would_go_and_changes_nothing(frontdoor, seeded, database):
    before = names(database)
    result = frontdoor("purge", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "north: would remove 2 visits, 2 names, 2 outcome details, 2 notes" in result.output
    assert "(visits closed before 2026-03-02 00:00 America/New_York; kept 30 days)" in result.output
    assert "south: would remove nothing" in result.output
    assert "Dry run: nothing changed" in result.output
    assert names(database) == before and purge_entries(database) == 0


def test_the_purge_removes_exactly_that_and_says_so(frontdoor, seeded, database):
    before = names(database)
    dry = frontdoor("purge", "--dry-run").output
    result = frontdoor("purge")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        line.replace("would remove", "removed") for line in dry.splitlines()[:2]
    ]
    assert names(database) == before[2:]  # the two within the period keep theirs
    assert purge_entries(database) == 1  # north only: south had nothing to remove
    again = frontdoor("purge")
    assert "north: removed nothing" in again.output and purge_entries(database) == 1


def test_an_unreachable_database_is_a_one_line_error(tmp_path):
    env = {"FRONTDOOR_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = CliRunner().invoke(cli, ["purge"], env=env)
    assert result.exit_code != 0
    assert result.output.strip().startswith("error: could not purge")
    assert len(result.output.strip().splitlines()) == 1
