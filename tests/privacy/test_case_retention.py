"""A critical-need case and its visitor under the retention purge: an open case keeps its
person however old their visits; a closed one loses its words and its person once the
site's period has run from the close, and keeps what reports count."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from queue_service.models import CaseEvent, CaseGoal, CriticalNeedCase, Visitor, VisitorKey
from queue_service.services import cases, checkins, retention
from queue_service.services.case_commands import CloseCase, OpenCase, ReviewCase

SECRET = "privacy-test-secret"  # any key: this test reads only what it wrote

OPENED = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)  # 10:00 in Boston
CLOSED = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _case(database, visits_at):  # type: ignore[no-untyped-def]
    with database.session() as s:
        ticket = checkins.check_in(
            s, "north", {"language": "en", "phone": "+16175550123"}, secret_key=SECRET, now=OPENED
        ).ticket
    with database.session() as s:
        case = cases.open_case(
            s,
            visits_at.manager,
            OpenCase.from_body(
                {
                    "visitor_id": ticket.visitor_id,
                    "site": "north",
                    "needs": ["housing"],
                    "goals": ["Find a bed at Pine Street"],
                    "note": "Sleeps in her car",
                }
            ),
            now=OPENED,
        )
    with database.session() as s:
        cases.review(
            s,
            visits_at.manager,
            case.id,
            ReviewCase.from_body({"note": "Bed found at Pine Street"}),
            now=OPENED + DAY,
        )
    return case.id, ticket.visitor_id


def _close(database, visits_at, case_id):  # type: ignore[no-untyped-def]
    with database.session() as s:
        cases.close(
            s,
            visits_at.manager,
            case_id,
            CloseCase.from_body(
                {"destination": "dmh_services", "note": "Handed to DMH, worker Dana"}
            ),
            now=CLOSED,
        )


def test_an_open_case_keeps_its_person_however_old_their_visits(database, visits_at):
    case_id, visitor_id = _case(database, visits_at)
    with database.session() as s:
        retention.purge(s, OPENED + 365 * DAY)
        assert s.get(Visitor, visitor_id) is not None
        assert s.get(CriticalNeedCase, case_id).visitor_id == visitor_id
        assert s.scalar(select(func.count()).select_from(VisitorKey)) == 2


def test_a_closed_case_loses_its_words_and_person_after_the_period_from_its_close(
    database, visits_at
):
    case_id, visitor_id = _case(database, visits_at)
    _close(database, visits_at, case_id)
    with database.session() as s:
        retention.purge(s, CLOSED + 30 * DAY)  # the last day of the period: all kept
        assert s.get(CriticalNeedCase, case_id).close_note == "Handed to DMH, worker Dana"
        assert s.get(Visitor, visitor_id) is not None
    with database.session() as s:
        [result] = [r for r in retention.purge(s, CLOSED + 31 * DAY) if r.site == "north"]
    assert result.counts["cases"] == 1 and result.counts["visitors"] == 1
    with database.session() as s:
        case = s.get(CriticalNeedCase, case_id)
        assert (case.close_note, case.consent_shared_with, case.visitor_id) == (None, None, None)
        assert (case.destination, case.opened_on.isoformat()) == ("dmh_services", "2026-01-05")
        assert s.scalars(select(CaseGoal.text)).all() == [""]
        assert s.scalars(select(CaseGoal.status)).all() == ["not_started"]
        assert set(s.scalars(select(CaseEvent.note))) == {None}
        assert s.get(Visitor, visitor_id) is None
        assert s.scalar(select(func.count()).select_from(VisitorKey)) == 0


def test_finding_a_sites_old_visitors_reads_its_visits_once_not_once_per_visitor(
    database, north
) -> None:
    # Per visitor, along the site's index, a year of 65,000 visitors took minutes on SQLite
    # and stalled the server that ran the daily purge.
    from sqlalchemy import text

    from queue_service.persistence.retention_case_steps import CASE_STEPS

    candidates = CASE_STEPS[-1].candidates(north.id, CLOSED)
    with database.engine.connect() as conn:
        sql = str(candidates.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "sqlite":
            plan = [row[3] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
            assert not any("CORRELATED" in step and "ticket" in step for step in plan), plan
            assert any(step.startswith("LIST SUBQUERY") for step in plan), plan
