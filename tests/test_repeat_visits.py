"""Returning visitors: known again only by a number they gave or a code they kept (keyed
hashes, never the values); the repeat-visit rule at its window's edges; links by hand that
are undone whole; and every look at a visitor audited."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from queue_service.domain.visitors import (
    KeyKind,
    RepeatRule,
    normalise_return_code,
    recognisable_number,
    recognition_key,
)
from queue_service.models import AuditEntry, Ticket, Visitor, VisitorKey
from queue_service.persistence import visitor_queries
from queue_service.services import checkins

KEY = "a-test-secret-key-that-is-long-enough"


@pytest.fixture
def visit(database):  # type: ignore[no-untyped-def]
    """A check-in through the service with the app's secret key, at a chosen moment."""

    def check_in(site="north", at=None, **body):  # type: ignore[no-untyped-def]
        body.setdefault("language", "en")
        with database.session() as s:
            return checkins.check_in(s, site, body, secret_key=KEY, now=at).ticket

    return check_in


@pytest.fixture
def manager(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff(on_duty_at="north")
    return sign_in("cm@example.org")


def visitor_of(database, ticket_id):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.get(Ticket, ticket_id).visitor_id


def test_three_visits_by_one_number_are_one_visitor_and_another_number_is_not(
    north, visit, database
):
    first, second, third = (visit(phone="+16175550123") for _ in range(3))
    other = visit(phone="+16175550124")
    ids = {visitor_of(database, t.id) for t in (first, second, third)}
    assert len(ids) == 1 and None not in ids
    assert visitor_of(database, other.id) not in ids


@pytest.mark.parametrize(
    "typed", ["(617) 555-0123", "617.555.0123", "1-617-555-0123", "6175550123"]
)
def test_us_ways_of_writing_a_number_find_the_same_visitor(north, visit, database, typed):
    first = visit(phone="+16175550123")
    again = visit(phone=typed)
    assert visitor_of(database, first.id) == visitor_of(database, again.id)


def test_no_number_or_code_value_is_stored_only_keyed_hashes(north, visit, database):
    ticket = visit(phone="+16175550123")
    with database.session() as s:
        keys = s.scalars(select(VisitorKey)).all()
        stored = " ".join(f"{k.kind}:{k.key}" for k in keys)
        closed = s.get(Ticket, ticket.id)
        code = closed.return_code
    assert "6175550123" not in stored and code not in stored
    assert recognition_key(KEY, KeyKind.PHONE, "+16175550123") in stored
    assert recognition_key(KEY, KeyKind.RETURN_CODE, code) in stored


def test_the_return_code_links_visits_without_any_phone(north, api, database):
    first = api.check_in().get_json()["ticket"]
    code = first["return_code"]
    assert len(code) == 9 and code[4] == "-"
    again = api.check_in(return_code=code.lower().replace("-", " "))
    body = again.get_json()
    assert body["return_code_found"] is True and body["ticket"]["return_code"] == code
    with database.session() as s:
        [a, b] = s.scalars(select(Ticket).order_by(Ticket.id)).all()
        assert a.visitor_id == b.visitor_id is not None


def test_an_unknown_code_still_checks_in_with_a_new_code_and_says_so(north, api, database):
    response = api.check_in(return_code="K7QM-3XPD")
    body = response.get_json()
    assert response.status_code == 201 and body["return_code_found"] is False
    assert body["ticket"]["return_code"] != "K7QM-3XPD"


def test_a_code_that_cannot_be_one_is_a_clear_error_and_writes_nothing(
    north, api, database, assert_contract_error
):
    response = api.check_in(return_code="hello")
    assert_contract_error(response, 422)
    assert "return_code" in response.get_json()["error"]["fields"]
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 0


@pytest.mark.parametrize("placeholder", ["+16172222222", "+16175555555", "+16179999999"])
def test_placeholder_numbers_never_join_strangers(north, visit, database, placeholder):
    a, b = visit(phone=placeholder), visit(phone=placeholder)
    assert visitor_of(database, a.id) != visitor_of(database, b.id)


def test_placeholders_are_told_from_real_numbers():
    assert not recognisable_number(None) and not recognisable_number("")
    assert not recognisable_number("+16179876543") and not recognisable_number("+16172222222")
    assert recognisable_number("+16175550123") and recognisable_number("+447700900123")


def test_the_offices_own_number_never_joins_callers(north, visit, database):
    with database.session() as s:
        s.merge(north).sms_callback_number = "+16175550100"
        s.commit()
    a, b = visit(phone="+16175550100"), visit(phone="+16175550100")
    assert visitor_of(database, a.id) != visitor_of(database, b.id)


def test_the_return_code_is_shown_only_while_the_visit_is_open(north, api, manager):
    ticket = api.check_in().get_json()["ticket"]
    called = api.call_next(manager).get_json()["ticket"]
    api.move(manager, called["id"], "start")
    api.move(manager, called["id"], "complete", outcome="resolved")
    after = api.client.get(f"/api/v1/tickets/{ticket['token']}").get_json()["ticket"]
    assert ticket["return_code"] and after["return_code"] is None


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


def test_the_rule_flags_exactly_the_visitors_inside_the_window(north, visit, database):
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
                    VisitorKey.key == recognition_key(KEY, KeyKind.PHONE, p)
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


def test_a_link_by_hand_moves_one_visit_and_unlinking_separates_them_again(
    north, api, manager, database
):
    mine = api.check_in(phone="+16175550123").get_json()["ticket"]
    stranger = api.check_in().get_json()["ticket"]
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    ids = {t["code"]: (t["id"], t["visitor_id"]) for t in queue}
    ticket_id, theirs = ids[stranger["code"]]
    _, visitor_id = ids[mine["code"]]
    linked = api.client.put(
        f"/api/v1/tickets/{ticket_id}/visitor", json={"visitor_id": visitor_id}, headers=manager
    )
    assert linked.status_code == 200 and linked.get_json()["ticket"]["visitor_id"] == visitor_id
    # The visit's own code came with it: next time it finds the same person.
    again = api.check_in(return_code=stranger["return_code"]).get_json()
    assert (
        again["return_code_found"] and visitor_of(database, _id_of(database, again)) == visitor_id
    )
    with database.session() as s:
        assert s.get(Visitor, theirs) is None  # nothing of theirs was left to keep
    unlinked = api.client.delete(f"/api/v1/tickets/{ticket_id}/visitor", headers=manager)
    alone = unlinked.get_json()["ticket"]["visitor_id"]
    assert unlinked.status_code == 200 and alone not in (None, visitor_id)
    # Undone whole: the code goes with the visit again.
    later = api.check_in(return_code=stranger["return_code"]).get_json()
    assert visitor_of(database, _id_of(database, later)) == alone
    history = api.client.get(f"/api/v1/visitors/{visitor_id}", headers=manager).get_json()
    assert stranger["code"] not in [v["code"] for v in history["visits"]]
    with database.session() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("visitor.%linked"))
        ).all()
    assert actions == ["visitor.linked", "visitor.unlinked"]


def _id_of(database, body):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.scalar(select(Ticket.id).where(Ticket.token == body["ticket"]["token"]))


def test_return_codes_forgive_case_spaces_dashes_and_the_qr_prefix():
    assert normalise_return_code("k7qm 3xpd") == "K7QM3XPD"
    assert normalise_return_code("FDK7QM-3XPD") == "K7QM3XPD"


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
