"""The repeat-visit rule at its window's edges (local days, across a daylight-saving change),
the console's flag, the repeat-visitors list and a visitor's history, each look audited."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from queue_service.domain.visitors import (
    KeyKind,
    RepeatRule,
    recognition_key,
)
from queue_service.models import AuditEntry, Ticket, VisitorKey
from queue_service.persistence import visitor_queries


@pytest.fixture
def manager(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff(on_duty_at="north")
    return sign_in("cm@example.org")


# The rule at its edges: local days, in the site's time zone.
NOON = datetime(2026, 3, 20, 16, 0, tzinfo=UTC)  # 12:00 in Boston (EDT)


def test_the_rule_counts_whole_local_days_across_a_daylight_saving_change():
    rule = RepeatRule()
    # 30 days ending 2026-03-20 start on 2026-02-19, with the March change inside.
    assert rule.window_start(date(2026, 3, 20)) == date(2026, 2, 19)
    assert rule.met_by(3, 0) and rule.met_by(0, 2) and not rule.met_by(2, 1)
    assert rule.label(3, 0) == "3rd visit in 30 days"
    assert rule.label(2, 2) == "2nd urgent visit in 30 days"
    assert rule.label(4, 2) == "4th visit in 30 days, 2 urgent"


def test_the_rule_flags_exactly_the_visitors_inside_the_window(north, visit, database, settings):
    phone_in, phone_out, urgent = "+16175550123", "+16175550124", "+16175550125"
    day = timedelta(days=1)
    # Three visits, the first on the window's first day (29 days back): flagged.
    for back in (29, 10, 0):
        visit(phone=phone_in, at=NOON - back * day)
    # Three visits, the first a day before the window (30 days back, local): not flagged.
    for back in (30, 10, 0):
        visit(phone=phone_out, at=NOON - back * day)
    # Two urgent visits, one just after local midnight at the window's start: flagged.
    start = datetime(2026, 2, 19, 5, 1, tzinfo=UTC)  # 00:01 in Boston (EST)
    visit(phone=urgent, urgent=True, at=start)
    visit(phone=urgent, urgent=True, at=NOON)
    with database.session() as s:
        site = s.scalar(select(Ticket)).site
        flagged = visitor_queries.meeting_the_rule(s, site, date(2026, 3, 20))
        ids = {f.visitor_id for f in flagged}
        key = {
            p: s.scalar(
                select(VisitorKey.visitor_id).where(
                    VisitorKey.key == recognition_key(settings.secret_key, KeyKind.PHONE, p)
                )
            )
            for p in (phone_in, phone_out, urgent)
        }
        # The SQL and the domain rule agree on every visitor, flagged or not.
        counts = visitor_queries.window_counts(s, site, set(key.values()), date(2026, 3, 20))
        for visitor_id, count in counts.items():
            assert (visitor_id in ids) == site.repeat_rule.met_by(count.visits, count.urgent_visits)
    assert ids == {key[phone_in], key[urgent]}


def came_back(api, on_an_earlier_day, days_ago, phone="+16175550123"):  # type: ignore[no-untyped-def]
    """A visit `days_ago` days back, over (they left the line)."""
    ticket = api.check_in(phone=phone).get_json()["ticket"]
    api.client.post(f"/api/v1/tickets/{ticket['token']}/cancel")
    on_an_earlier_day(ticket, days_ago)


def test_the_console_card_carries_the_flag(north, api, manager, on_an_earlier_day):
    for back in (2, 1):
        came_back(api, on_an_earlier_day, back)
    api.check_in(phone="+16175550123")
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    assert [t["visitor"]["repeat_flag"] for t in queue] == ["3rd visit in 30 days"]


def test_check_ins_on_one_day_are_one_visit(north, api, manager):
    for _ in range(3):
        ticket = api.check_in(phone="+16175550123").get_json()["ticket"]
        api.client.post(f"/api/v1/tickets/{ticket['token']}/cancel")
    api.check_in(phone="+16175550123", urgent=True)
    api.check_in(phone="+16175550123", urgent=True)
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    assert {t["visitor"]["visits_in_window"] for t in queue} == {1}
    assert {t["visitor"]["repeat_flag"] for t in queue} == {None}


def test_repeat_visitors_are_listed_and_the_look_is_audited(
    north, api, manager, database, on_an_earlier_day
):
    for back in (2, 1, 0):
        on_an_earlier_day(api.check_in(phone="+16175550123").get_json()["ticket"], back)
    api.check_in(phone="+16175550199")
    response = api.client.get("/api/v1/sites/north/repeat-visitors", headers=manager)
    body = response.get_json()
    assert response.status_code == 200 and body["rule"] == {
        "visits": 3,
        "urgent_visits": 2,
        "window_days": 30,
    }
    [one] = body["repeat_visitors"]
    assert one["visits"] == 3 and one["flag"] == "3rd visit in 30 days"
    with database.session() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "visitor.repeat_list_viewed")
            )
            == 1
        )


def test_a_visitors_history_shows_every_visit_here_and_is_audited(north, api, manager, database):
    first = api.check_in(phone="+16175550123", needs=["housing"]).get_json()["ticket"]
    called = api.call_next(manager).get_json()["ticket"]
    api.move(manager, called["id"], "start")
    api.move(
        manager,
        called["id"],
        "complete",
        outcome="referred",
        outcome_detail="Housing desk",
        note="Came about rent",
    )
    api.check_in(phone="+16175550123")
    visitor_id = called["visitor_id"]
    response = api.client.get(f"/api/v1/visitors/{visitor_id}", headers=manager)
    body = response.get_json()
    assert response.status_code == 200
    assert [v["code"] for v in body["visits"]] == ["A-002", first["code"]]
    done = body["visits"][1]
    assert done["outcome"] == "referred" and done["outcome_detail"] == "Housing desk"
    assert done["served_by"]["name"] == "Cm" and done["notes"][0]["body"] == "Came about rent"
    with database.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "visitor.viewed"))
    assert entry.detail == {"visitor_id": visitor_id} and "rent" not in str(entry.detail)


def test_a_visitor_from_another_office_is_not_found(
    world, north, south, api, manager, sign_in, assert_contract_error
):
    world.staff("south@example.org", sites_=("south",))
    api.check_in(site="north", phone="+16175550123")
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()
    visitor_id = queue["tickets"][0]["visitor_id"]
    response = api.client.get(
        f"/api/v1/visitors/{visitor_id}", headers=sign_in("south@example.org")
    )
    assert_contract_error(response, 404, "visitor_not_found")


def test_a_lead_sets_the_sites_rule_and_a_bad_value_is_named(
    world, north, api, sign_in, manager, assert_contract_error, on_an_earlier_day
):
    world.staff("lead@example.org", role="site_lead")
    lead = sign_in("lead@example.org")
    bad = api.client.patch("/api/v1/sites/north", json={"repeat_window_days": 0}, headers=lead)
    assert "repeat_window_days" in assert_contract_error(bad, 422)["fields"]
    done = api.client.patch("/api/v1/sites/north", json={"repeat_visits": 2}, headers=lead)
    assert done.status_code == 200 and done.get_json()["site"]["repeat_visits"] == 2
    came_back(api, on_an_earlier_day, 1)
    api.check_in(phone="+16175550123")
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    assert [t["visitor"]["repeat_flag"] for t in queue] == ["2nd visit in 30 days"]
