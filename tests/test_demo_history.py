"""`frontdoor demo --history DAYS --sites N` (frontdoor/demo_history.py): many sites with weeks
of history that keeps the lifecycle's rules, carries no personal values, and is made once."""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from frontdoor import demo_history, demo_write
from frontdoor.cli import cli
from frontdoor.demo_history import PASSWORD, REGIONAL, seed_history
from queue_service.domain.cases import MAX_LENGTH, CaseEventKind, Destination
from queue_service.domain.codes import ticket_code
from queue_service.domain.lifecycle import (
    OPEN_STATUSES,
    STAMP_FOR,
    TRANSITIONS,
    Action,
    CrisisReferral,
    Outcome,
    Status,
)
from queue_service.domain.messages import MessageStatus
from queue_service.domain.urgent import AlertSource
from queue_service.models import (
    CaseEvent,
    CriticalNeedCase,
    DailyCounter,
    DutyShift,
    Message,
    Site,
    SiteHours,
    Staff,
    Ticket,
    TicketEvent,
    Visitor,
    VisitorKey,
    staff_sites,
)
from queue_service.persistence.database import Database

ZONE = ZoneInfo("America/New_York")
# Monday 1 December 2025, 3 p.m. in Boston: the 30 days before hold the end of daylight
# saving (2 November), Veterans Day (the 11th) and Thanksgiving (the 27th).
NOW = datetime(2025, 12, 1, 20, 0, tzinfo=UTC)
TODAY = NOW.astimezone(ZONE).date()
HOLIDAYS = {TODAY - timedelta(days=20), TODAY - timedelta(days=4)}
SITES = ["demo", "boston-north", "dorchester"]
KEEPS_STATUS = {"urgent", "acknowledge", "escalated", "call_reached", "call_no_answer",
                "call_voicemail", "followed_up"}  # fmt: skip
DAY_CLOSE = {"waiting": "left", "called": "no_show", "in_session": "completed"}


@pytest.fixture
def seeded(database):  # type: ignore[no-untyped-def]
    return seed_history(database, days=30, sites=3, now=NOW)


def past_tickets(session) -> list[Ticket]:  # type: ignore[no-untyped-def]
    """The history: every visit before today (the demo's people waiting now are today's)."""
    return list(session.scalars(select(Ticket).where(Ticket.service_day < TODAY)))


def slug_of(session) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return dict(session.execute(select(Site.id, Site.slug)).all())


def test_sites_with_their_hours_in_force_closures_and_staff(database, seeded, sign_in):
    assert seeded.created == SITES and seeded.skipped == []
    with database.session() as s:
        sites = {site.slug: site for site in s.scalars(select(Site))}
        first_visit = s.scalar(select(func.min(Ticket.created_at)))
        for site in sites.values():
            versions = s.scalars(
                select(SiteHours).where(SiteHours.site_id == site.id).order_by(SiteHours.from_at)
            ).all()
            assert versions[0].from_at == site.created_at < first_visit
            assert versions[-1].business_hours == site.business_hours
            assert {c["date"] for c in versions[0].closures} >= {d.isoformat() for d in HOLIDAYS}
        assert sites["demo"].hours.weekly.always  # open around the clock, as always
        # Boston North's hours changed half way: two versions, today's the later one.
        north = s.scalars(select(SiteHours).where(SiteHours.site_id == sites["boston-north"].id))
        assert [v.hours.weekly.spec() for v in sorted(north, key=lambda v: v.from_at)] == [
            "mon-fri 09:00-17:00",
            "mon-fri 08:30-18:00",
        ]
        assert not s.scalar(select(func.count()).where(Ticket.service_day.in_(HOLIDAYS)))
        team = Counter(
            (slug_of(s)[site_id], role)
            for site_id, role in s.execute(
                select(staff_sites.c.site_id, Staff.role)
                .join(Staff)
                .where(Staff.email != REGIONAL[0])
            )
        )
        for slug in SITES[1:]:
            assert 2 <= team[(slug, "case_manager")] <= 4 and team[(slug, "site_lead")] == 1
        regional = s.scalars(select(Staff).where(Staff.email == REGIONAL[0])).one()
        assert sorted(site.slug for site in regional.sites) == sorted(SITES)
    assert sign_in(REGIONAL[0], PASSWORD)
    assert sign_in("lead@dorchester.frontdoor", PASSWORD)


def test_volumes_weekdays_and_hours_are_an_office_s(database, seeded):
    with database.session() as s:
        slugs = slug_of(s)
        tickets = [t for t in past_tickets(s) if slugs[t.site_id] != "demo"]
    per_day = Counter((t.site_id, t.service_day) for t in tickets)
    assert all(15 <= n <= 130 for n in per_day.values()), per_day
    assert {day.weekday() for _, day in per_day} == {0, 1, 2, 3, 4}  # no weekend here
    by_weekday = defaultdict(list)
    for (_, day), n in per_day.items():
        by_weekday[day.weekday()].append(n)
    monday, friday = (sum(by_weekday[d]) / len(by_weekday[d]) for d in (0, 4))
    assert monday > 1.2 * friday
    hours = Counter(t.created_at.astimezone(ZONE).hour for t in tickets)
    assert hours[10] > 1.5 * hours[15] and hours[10] > hours[12]  # a morning peak, a lunch dip


def test_waits_follow_the_load(database, seeded):
    with database.session() as s:
        tickets = [t for t in past_tickets(s) if t.first_called_at is not None]

    def wait(hours: set[int]) -> float:
        waits = [
            (t.first_called_at - t.created_at).total_seconds()
            for t in tickets
            if t.created_at.astimezone(ZONE).hour in hours and not t.urgent
        ]
        return sum(waits) / len(waits)

    assert wait({10, 11}) > 1.3 * wait({15, 16})
    urgent = [t.first_called_at - t.alert_raised_at for t in tickets if t.urgent]
    assert urgent and sorted(urgent)[len(urgent) // 2] < timedelta(minutes=15)


def test_every_visit_keeps_the_lifecycle_s_rules_and_its_timestamps_agree(database, seeded):
    with database.session() as s:
        tickets = past_tickets(s)
        events = defaultdict(list)
        for event in s.scalars(select(TicketEvent).order_by(TicketEvent.id)):
            events[event.ticket_id].append(event)
        counters = {
            (c.site_id, c.service_day): c.last_number for c in s.scalars(select(DailyCounter))
        }
    numbers = defaultdict(list)
    for t in tickets:
        numbers[(t.site_id, t.service_day)].append(t.number)
        assert t.code == ticket_code(t.number)
        assert t.service_day == t.created_at.astimezone(ZONE).date()
        steps = events[t.id]
        assert steps[0].action == "check_in" and steps[0].at == t.created_at == t.queued_at
        assert [e.at for e in steps] == sorted(e.at for e in steps)
        status, entered, assigned = None, {}, None
        for e in steps:
            assert e.from_status == status
            if e.action == "check_in":
                status = "waiting"
            elif e.action in KEEPS_STATUS:
                pass
            elif e.action == "day_closed":
                status = DAY_CLOSE[status]
            else:
                status = TRANSITIONS[(Status(status), Action(e.action))].value
            assert e.to_status == status
            if e.from_status != status:
                entered[status] = e.at
            if e.action == "call":
                assigned = e.staff_id
            elif status == "waiting":  # back in line: nobody's any more (Ticket.apply)
                assigned = None
        assert t.status == status and Status(status) not in OPEN_STATUSES
        for reached, column in STAMP_FOR.items():
            assert getattr(t, column) == entered.get(reached.value), (t.id, column)
        calls = [e for e in steps if e.action == "call"]
        assert t.first_called_at == (calls[0].at if calls else None)
        if calls:
            assert t.created_at <= t.first_called_at <= t.called_at == calls[-1].at
        assert t.assigned_staff_id == assigned and (t.desk is None) == (assigned is None)
        assert t.updated_at == steps[-1].at and t.call_attempts <= 3
        if t.status == "completed":
            assert Outcome(t.outcome) and (t.outcome == "crisis") == (t.crisis_referral is not None)
            assert t.crisis_referral is None or CrisisReferral(t.crisis_referral)
        else:
            assert t.outcome is None and t.crisis_referral is None
        closed_by_day = steps[-1].action == "day_closed"
        assert (t.end_reason is not None) == closed_by_day
        assert t.end_reason in {None, "day_closed", "session_left_open"}
        assert (t.end_reason == "session_left_open") == (t.outcome == "not_recorded")
        if t.urgent:
            assert t.created_at <= t.alert_raised_at and AlertSource(t.alert_via)
            if t.alert_acknowledged_at is not None:
                assert t.alert_acknowledged_at >= t.alert_raised_at
        else:
            assert t.alert_raised_at is t.alert_via is t.alert_acknowledged_at is None
    for key, seen in numbers.items():
        assert sorted(seen) == list(range(1, counters[key] + 1))
    statuses = Counter(t.status for t in tickets)
    assert {"completed", "no_show", "left", "cancelled"} <= set(statuses)
    assert 0.8 * len(tickets) < statuses["completed"] < 0.95 * len(tickets)


def test_the_history_holds_no_personal_value(database, seeded):
    personal = [c for c in Ticket.__table__.c if c.info.get("personal")]
    with database.session() as s:
        past = select(Ticket.id).where(Ticket.service_day < TODAY)
        for column in personal:
            held = s.scalar(select(func.count()).where(Ticket.id.in_(past), column.is_not(None)))
            assert held == 0, column.name
        texts = Message.__table__.c
        for column in (c for c in texts if c.info.get("personal")):
            held = s.scalar(
                select(func.count()).where(Message.ticket_id.in_(past), column.is_not(None))
            )
            assert held == 0, column.name
        assert not s.scalar(select(func.count()).where(TicketEvent.reason.is_not(None)))
        assert not s.scalar(select(func.count()).where(VisitorKey.ticket_id.in_(past)))
        assert not s.scalar(select(func.count()).where(CaseEvent.note.is_not(None)))
        assert not s.scalar(
            select(func.count()).where(
                CriticalNeedCase.close_note.is_not(None)
                | CriticalNeedCase.consent_shared_with.is_not(None)
            )
        )


def test_texts_go_to_the_visits_that_agreed_to_them(database, seeded):
    with database.session() as s:
        tickets = {t.id: t for t in past_tickets(s)}
        texts = [m for m in s.scalars(select(Message)) if m.ticket_id in tickets]
    assert texts and len({(m.ticket_id, m.kind) for m in texts}) == len(texts)
    statuses = Counter(m.status for m in texts)
    assert statuses["delivered"] > 0.85 * (sum(statuses.values()) - statuses["suppressed"])
    assert {"sent", "failed", "undelivered", "suppressed"} <= set(statuses)
    for m in texts:
        ticket = tickets[m.ticket_id]
        assert m.site_id == ticket.site_id and m.direction == "outbound"
        assert m.language == ticket.language and m.encoding in {"gsm7", "ucs2"}
        assert m.segments >= 1 and MessageStatus(m.status)
        assert ticket.created_at <= m.created_at <= ticket.updated_at
        if m.kind == "checked_in":
            assert m.created_at == ticket.created_at
        elif m.kind == "called":
            assert m.created_at == ticket.first_called_at
        elif m.kind == "almost_turn" and m.status == "suppressed":
            assert m.why == "told_at_check_in" and m.created_at == ticket.created_at
        else:
            assert m.kind in {"almost_turn", "no_show", "left"}
        assert (m.sent_at is None) == (m.status in {"failed", "suppressed"})


def test_duty_shifts_are_ended_apart_and_cover_every_call(database, seeded):
    with database.session() as s:
        shifts = list(s.scalars(select(DutyShift).order_by(DutyShift.started_at)))
        works_at = {
            tuple(r) for r in s.execute(select(staff_sites.c.staff_id, staff_sites.c.site_id))
        }
        calls = s.execute(
            select(TicketEvent.staff_id, Ticket.site_id, TicketEvent.at)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(TicketEvent.action == "call", Ticket.service_day < TODAY)
        ).all()
    assert shifts and all(sh.ended_at is not None and sh.started_at < sh.ended_at for sh in shifts)
    assert all((sh.staff_id, sh.site_id) in works_at for sh in shifts)
    last_end: dict[int, datetime] = {}
    for sh in shifts:
        assert sh.started_at >= last_end.get(sh.staff_id, sh.started_at)
        last_end[sh.staff_id] = sh.ended_at
    on_duty = defaultdict(list)
    for sh in shifts:
        on_duty[(sh.staff_id, sh.site_id)].append((sh.started_at, sh.ended_at))
    for staff_id, site_id, at in calls:  # whoever calls someone is on duty there
        assert any(a <= at <= b for a, b in on_duty[(staff_id, site_id)]), (staff_id, at)
    # Lunch: now and then nobody is on duty while people wait (the coverage report's case).
    gaps = 0
    for site_id in {sh.site_id for sh in shifts}:
        here = sorted((a, b) for (_, s_id), spans in on_duty.items() if s_id == site_id
                      for a, b in spans)  # fmt: skip
        covered_until = here[0][1]
        for a, b in here[1:]:
            gaps += a > covered_until and a.date() == covered_until.date()
            covered_until = max(covered_until, b)
    assert gaps > 0


def test_returning_visitors_are_shared_by_their_visits(database, seeded):
    with database.session() as s:
        visits = defaultdict(list)
        for t in past_tickets(s):
            if t.visitor_id is not None:
                visits[t.visitor_id].append(t)
        visitors = {v.id: v for v in s.scalars(select(Visitor))}
    assert sum(len(v) >= 3 for v in visits.values()) >= 5
    for visitor_id, theirs in visits.items():
        assert len({t.site_id for t in theirs}) == 1
        visitor = visitors[visitor_id]
        assert visitor.created_at <= min(t.created_at for t in theirs)
        assert visitor.last_visit_at >= max(t.created_at for t in theirs)


def test_the_settled_days_are_kept_as_a_running_server_would_have(database, seeded):
    from queue_service.models import SettledDay
    from queue_service.services import retention

    with database.session() as s:
        in_order = select(SettledDay).order_by(SettledDay.site_id, SettledDay.day)
        kept = list(s.scalars(in_order))
    assert len(kept) == 3 * 29  # every day but the last, not settled yet, at each site
    assert sum(k.figures["returning"] for k in kept) > 0
    with database.session() as s:
        retention.purge(s, NOW)  # the period has run for the oldest visits
        assert [k.figures for k in s.scalars(in_order)] == [k.figures for k in kept]


def test_cases_open_reviewed_and_closed_by_the_case_rules(database):
    seed_history(database, days=240, sites=1, now=NOW)
    with database.session() as s:
        cases = list(s.scalars(select(CriticalNeedCase)))
        events = defaultdict(list)
        for e in s.scalars(select(CaseEvent).order_by(CaseEvent.at, CaseEvent.id)):
            events[e.case_id].append(e)
        opened_at_visit = {
            (t.visitor_id, t.service_day)
            for t in s.scalars(select(Ticket).where(Ticket.outcome == "case_opened"))
        }
    assert {c.status for c in cases} == {"open", "closed"}
    assert len({c.visitor_id for c in cases if c.status == "open"}) == sum(
        c.status == "open" for c in cases
    )
    for case in cases:
        kinds = [e.kind for e in events[case.id]]
        assert kinds[0] == "opened" and all(CaseEventKind(k) for k in kinds)
        assert (case.visitor_id, case.opened_on) in opened_at_visit
        assert case.opened_on < case.target_end_on <= case.opened_on + MAX_LENGTH
        # Each review on or after the day the one before set (the first: 30 days in).
        due = case.opened_on + timedelta(days=30)
        for review in (e for e in events[case.id] if e.kind == "reviewed"):
            assert review.at.astimezone(ZONE).date() >= due
            due = date.fromisoformat(review.detail["next_review_on"] or "9999-12-31")
        if case.status == "closed":
            assert kinds[-1] == "closed" and Destination(case.destination)
            assert timedelta(days=90) <= case.closed_on - case.opened_on <= MAX_LENGTH
            assert case.closed_on <= case.target_end_on and case.next_review_on is None
            assert case.closed_at < NOW
        else:
            assert case.closed_on is case.destination is None and "closed" not in kinds


def test_running_it_again_adds_nothing_and_more_sites_add_only_theirs(database, seeded):
    with database.session() as s:
        before = s.scalar(select(func.count()).select_from(Ticket))
    again = seed_history(database, days=30, sites=3, now=NOW)
    assert again.created == [] and again.skipped == SITES and again.tickets == 0
    more = seed_history(database, days=30, sites=4, now=NOW)
    assert more.created == ["worcester"] and more.skipped == SITES
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == before + more.tickets
        regional = s.scalars(select(Staff).where(Staff.email == REGIONAL[0])).one()
        assert len(regional.sites) == 4


def test_a_site_whose_history_fails_is_not_left_half_made(database, monkeypatch):
    real = demo_write.write_history

    def fails_at_dorchester(session, site_id, office, *args, **kwargs):  # type: ignore[no-untyped-def]
        if office.slug == "dorchester":
            raise RuntimeError("disk full")
        return real(session, site_id, office, *args, **kwargs)

    monkeypatch.setattr(demo_history, "write_history", fails_at_dorchester)
    with pytest.raises(RuntimeError):
        seed_history(database, days=10, sites=3, now=NOW)
    with database.session() as s:
        assert sorted(s.scalars(select(Site.slug))) == ["boston-north", "demo"]
        assert not s.scalar(select(func.count()).where(Staff.email.like("%@dorchester.frontdoor")))
    monkeypatch.setattr(demo_history, "write_history", real)
    assert seed_history(database, days=10, sites=3, now=NOW).created == ["dorchester"]


def test_the_same_seed_makes_the_same_history(sqlite_template, tmp_path):
    def made(name: str) -> list[tuple]:  # type: ignore[type-arg]
        shutil.copy(sqlite_template, tmp_path / name)
        database = Database(f"sqlite:///{tmp_path / name}")
        seed_history(database, days=10, sites=2, now=NOW)
        with database.session() as s:
            rows = s.execute(
                select(Ticket.site_id, Ticket.service_day, Ticket.number, Ticket.status,
                       Ticket.language, Ticket.created_at, Ticket.first_called_at,
                       Ticket.completed_at, Ticket.outcome)
                .where(Ticket.service_day < TODAY)
                .order_by(Ticket.id)
            ).all()  # fmt: skip
        database.dispose()
        return [tuple(r) for r in rows]

    assert made("one.sqlite3") == made("two.sqlite3")


def test_the_command_seeds_prints_the_sign_ins_and_is_repeatable(
    database, database_url, tmp_path, monkeypatch
):
    from frontdoor import server

    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", database_url)
    monkeypatch.setenv("FRONTDOOR_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setattr(server, "run", lambda **kwargs: None)
    first = CliRunner().invoke(cli, ["demo", "--history", "8", "--sites", "2"])
    assert first.exit_code == 0, first.output
    assert "Demo site 'demo' created." in first.output
    assert "2 site(s) created" in first.output and "boston-north:" in first.output
    assert REGIONAL[0] in first.output and PASSWORD in first.output
    assert "lead@<site>.frontdoor" in first.output
    second = CliRunner().invoke(cli, ["demo", "--history", "8", "--sites", "2"])
    assert second.exit_code == 0, second.output
    assert "already seeded" in second.output and "Already there" in second.output
    assert "demo, boston-north" in second.output
