"""An urgent person never disappears silently, and the urgent path cannot be flooded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from queue_service.clock import utcnow
from queue_service.domain.events import UrgentArrival, UrgentBurst
from queue_service.domain.lifecycle import Action, Outcome
from queue_service.models import AuditEntry, Ticket
from queue_service.persistence import repositories
from queue_service.persistence import urgent as urgent_queries
from queue_service.services import checkins, duty, queue, retention, service_day, sites, visits
from queue_service.services.commands import MoveTicket

# 10:00 in Boston on a Tuesday, and the same time the next day (north keeps weekday hours
# in the day-close tests: an office open around the clock never closes its line).
YESTERDAY_NOON = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
NEXT_DAY = YESTERDAY_NOON + timedelta(days=1)


@pytest.fixture
def weekday_north(north, database):  # type: ignore[no-untyped-def]
    with database.session() as s:
        sites.update_site(s, "north", {"hours": "mon-fri 09:00-17:00"})
    return north


def urgent_yesterday(database, **body):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return checkins.check_in(
            s, "north", {"language": "en", "urgent": True, **body}, now=YESTERDAY_NOON
        ).ticket


def test_the_day_close_ends_an_urgent_visit_honestly_and_audits_it_as_the_system(
    database, client, weekday_north
) -> None:
    ticket = urgent_yesterday(database)
    with database.session() as s:
        service_day.sweep(s, NEXT_DAY)
        closed = s.get(Ticket, ticket.id)
        entries = s.scalars(select(AuditEntry).where(AuditEntry.ticket_id == ticket.id)).all()
        assert closed.status == "left" and closed.end_reason == "day_closed"
        still_alerting = urgent_queries.open_alerts(s, weekday_north.id)
    day_close = [e for e in entries if e.action == "ticket.day_closed"]
    assert len(day_close) == 1
    assert day_close[0].actor == "system" and day_close[0].staff_id is None
    assert day_close[0].detail["reason"] == "service_day_ended" and day_close[0].detail["urgent"]
    assert [t.id for t in still_alerting] == [ticket.id]
    public = client.get(f"/api/v1/tickets/{ticket.token}").get_json()["ticket"]
    assert public["status"] == "left" and public["end_reason"] == "day_closed"


def test_a_called_person_left_at_the_day_close_is_a_no_show_for_that_reason(
    database, world, weekday_north
) -> None:
    manager = world.staff("cm@example.org")
    with database.session() as s:
        duty.set_duty(s, "north", world.reload(manager), on_duty=True, now=YESTERDAY_NOON)
    with database.session() as s:
        checkins.check_in(s, "north", {"language": "en"}, now=YESTERDAY_NOON)
    with database.session() as s:
        called = queue.call_next(s, "north", world.reload(manager), now=YESTERDAY_NOON)
    with database.session() as s:
        service_day.sweep(s, NEXT_DAY)
        closed = s.get(Ticket, called.id)
        assert (closed.status, closed.end_reason) == ("no_show", "day_closed")
        shift_end = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "duty.ended", AuditEntry.actor == "system"
            )
        ).one()
    assert shift_end.detail["staff_id"] == manager.id


def test_urgent_not_seen_is_listed_for_the_lead_until_followed_up_with_a_note(
    database, client, world, weekday_north, sign_in, assert_contract_error
) -> None:
    ticket = urgent_yesterday(database)
    with database.session() as s:
        service_day.sweep(s, NEXT_DAY)
    world.staff("lead@example.org", role="site_lead")
    world.staff("cm@example.org")
    lead, manager = sign_in("lead@example.org"), sign_in("cm@example.org")

    listed = client.get("/api/v1/sites/north/urgent-not-seen", headers=lead).get_json()["tickets"]
    assert [t["id"] for t in listed] == [ticket.id]
    assert "follow_up" in listed[0]["allowed_actions"]

    refused = client.post(
        f"/api/v1/tickets/{ticket.id}/follow-up", json={"note": "x"}, headers=manager
    )
    assert_contract_error(refused, 403, "not_allowed")
    # The list keeps names and phones past the visit: only for those who follow up.
    not_theirs = client.get("/api/v1/sites/north/urgent-not-seen", headers=manager)
    assert_contract_error(not_theirs, 403, "not_allowed")
    empty = client.post(f"/api/v1/tickets/{ticket.id}/follow-up", json={}, headers=lead)
    assert_contract_error(empty, 422)

    done = client.post(
        f"/api/v1/tickets/{ticket.id}/follow-up",
        json={"note": "Called the number they left at the front desk; safe, coming Monday."},
        headers=lead,
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["ticket"]["follow_up"]["by"]["name"] == "Lead"
    assert (
        client.get("/api/v1/sites/north/urgent-not-seen", headers=lead).get_json()["tickets"] == []
    )


def test_the_sql_rule_for_urgent_not_seen_is_the_models_rule(
    database, weekday_north, world
) -> None:
    seen = urgent_yesterday(database)
    not_seen = urgent_yesterday(database)
    manager = world.staff("cm@example.org", on_duty_at="north")
    with database.session() as s:
        visits.acknowledge_alert(s, seen.id, world.reload(manager), now=YESTERDAY_NOON)
    with database.session() as s:
        queue.transition(s, world.reload(manager), MoveTicket(seen.id, Action.START))
    with database.session() as s:
        done = MoveTicket(seen.id, Action.COMPLETE, Outcome.RESOLVED)
        queue.transition(s, world.reload(manager), done)
    with database.session() as s:
        service_day.sweep(s, NEXT_DAY)
        every = s.scalars(select(Ticket)).all()
        listed = {t.id for t in urgent_queries.urgent_not_seen(s, weekday_north.id)}
    assert listed == {t.id for t in every if t.needs_follow_up} == {not_seen.id}


def test_an_urgent_session_its_manager_left_open_is_listed_for_the_lead_too(
    database, client, world, weekday_north, sign_in
) -> None:
    manager = world.staff("cm@example.org")
    with database.session() as s:
        duty.set_duty(s, "north", world.reload(manager), on_duty=True, now=YESTERDAY_NOON)
    ticket = urgent_yesterday(database)
    with database.session() as s:
        queue.call_next(s, "north", world.reload(manager), now=YESTERDAY_NOON)
    with database.session() as s:
        start = MoveTicket(ticket.id, Action.START)
        queue.transition(s, world.reload(manager), start, now=YESTERDAY_NOON)
    with database.session() as s:
        service_day.sweep(s, NEXT_DAY)
        every = s.scalars(select(Ticket)).all()
        listed_sql = {t.id for t in urgent_queries.urgent_not_seen(s, weekday_north.id)}
    assert listed_sql == {t.id for t in every if t.needs_follow_up} == {ticket.id}
    world.staff("lead@example.org", role="site_lead")
    lead = sign_in("lead@example.org")
    listed = client.get("/api/v1/sites/north/urgent-not-seen", headers=lead).get_json()["tickets"]
    assert [(t["id"], t["outcome"]) for t in listed] == [(ticket.id, "not_recorded")]
    assert "follow_up" in listed[0]["allowed_actions"]
    done = client.post(
        f"/api/v1/tickets/{ticket.id}/follow-up",
        json={"note": "Asked the manager: referred to 988 and safe."},
        headers=lead,
    )
    assert done.status_code == 200, done.get_json()


def test_the_lead_can_still_reach_an_urgent_person_who_left_unseen_after_any_purge(
    database, client, world, north, sign_in
) -> None:
    with database.session() as s:
        sites.update_site(s, "north", {"retention_days": 1})
    person = world.walk_in(urgent=True)
    with database.session() as s:
        checkins.cancel_by_client(s, person.token)
    with database.session() as s:
        retention.purge(s, utcnow() + timedelta(days=30))
    world.staff("lead@example.org", role="site_lead")
    lead = sign_in("lead@example.org")
    listed = client.get("/api/v1/sites/north/urgent-not-seen", headers=lead).get_json()["tickets"]
    assert [(t["name"], t["phone"]) for t in listed] == [(person.name, person.phone)]
    assert listed[0]["phone_display"] is not None


def test_acknowledging_on_duty_sends_that_manager_and_a_second_one_changes_nothing(
    client, api, world, north, sign_in
) -> None:
    world.staff("ana@example.org", on_duty_at="north", desk="2")
    world.staff("ben@example.org", on_duty_at="north", desk="3")
    ticket_id = api.check_in(urgent=True).get_json()["ticket"]["token"]
    with world.database.session() as s:
        ticket = repositories.ticket_by_token(s, ticket_id)
    first = client.post(
        f"/api/v1/tickets/{ticket.id}/acknowledge", headers=sign_in("ana@example.org")
    )
    body = first.get_json()["ticket"]
    assert body["status"] == "called" and body["desk"] == "2"
    assert body["alert"]["acknowledged"] and body["alert"]["going"]["name"] == "Ana"
    again = client.post(
        f"/api/v1/tickets/{ticket.id}/acknowledge", headers=sign_in("ben@example.org")
    ).get_json()["ticket"]
    assert again["assigned_to"]["name"] == "Ana"
    assert again["alert"]["acknowledged_by"]["name"] == "Ana"


def test_a_manager_with_someone_at_their_desk_acknowledges_without_being_sent(
    client, api, world, north, sign_in
) -> None:
    world.staff("ana@example.org", on_duty_at="north")
    ana = sign_in("ana@example.org")
    api.check_in()
    api.call_next(ana)
    token = api.check_in(urgent=True).get_json()["ticket"]["token"]
    with world.database.session() as s:
        ticket = repositories.ticket_by_token(s, token)
    body = client.post(f"/api/v1/tickets/{ticket.id}/acknowledge", headers=ana).get_json()
    assert body["ticket"]["status"] == "waiting" and body["ticket"]["alert"]["going"] is None


def test_calling_the_urgent_person_is_seeing_their_alert(api, world, north, sign_in) -> None:
    world.staff("ana@example.org", on_duty_at="north")
    api.check_in(urgent=True)
    called = api.call_next(sign_in("ana@example.org")).get_json()["ticket"]
    assert called["alert"]["acknowledged"] and called["alert"]["acknowledged_by"]["name"] == "Ana"
    with world.database.session() as s:
        assert urgent_queries.open_alerts(s, north.id) == []


def test_acknowledging_off_duty_records_who_saw_it_without_sending_anyone(
    client, api, world, north, sign_in
) -> None:
    world.staff("lead@example.org", role="site_lead")
    token = api.check_in(urgent=True).get_json()["ticket"]["token"]
    with world.database.session() as s:
        ticket = repositories.ticket_by_token(s, token)
    body = client.post(
        f"/api/v1/tickets/{ticket.id}/acknowledge", headers=sign_in("lead@example.org")
    ).get_json()["ticket"]
    assert body["status"] == "waiting" and body["alert"]["going"] is None
    assert body["alert"]["unstaffed"]  # raised while nobody was on duty


def test_an_alert_seen_with_nobody_on_the_way_stays_on_consoles_until_someone_calls(
    client, api, world, north, sign_in
) -> None:
    world.staff("lead@example.org", role="site_lead")
    world.staff("ana@example.org", on_duty_at="north")
    ana = sign_in("ana@example.org")
    api.check_in()
    api.call_next(ana)  # Ana has someone at her desk: the lead's acknowledgement sends nobody
    token = api.check_in(urgent=True).get_json()["ticket"]["token"]
    with world.database.session() as s:
        ticket_id = repositories.ticket_by_token(s, token).id
    seen = client.post(
        f"/api/v1/tickets/{ticket_id}/acknowledge", headers=sign_in("lead@example.org")
    ).get_json()["ticket"]
    assert seen["alert"]["acknowledged"] and seen["alert"]["going"] is None
    assert seen["alert"]["open"], "seen, but nobody is going: every console keeps it"
    with world.database.session() as s:
        assert [t.id for t in urgent_queries.open_alerts(s, north.id)] == [ticket_id]
        assert urgent_queries.count_open_alerts(s, north.id) == 1


def test_the_open_alerts_query_is_the_tickets_own_rule(
    database, client, api, world, north, sign_in
) -> None:
    world.staff("ana@example.org", on_duty_at="north")
    world.staff("lead@example.org", role="site_lead")
    ana, lead = sign_in("ana@example.org"), sign_in("lead@example.org")
    api.check_in(urgent=True)
    api.call_next(ana)  # called: seen
    seen_waiting = api.check_in(urgent=True).get_json()["ticket"]["token"]
    api.check_in(urgent=True)  # nobody has seen this one
    api.check_in()  # not urgent
    with database.session() as s:
        ticket = repositories.ticket_by_token(s, seen_waiting)
    client.post(f"/api/v1/tickets/{ticket.id}/acknowledge", headers=lead)
    with database.session() as s:
        every = s.scalars(select(Ticket).where(Ticket.site_id == north.id)).all()
        by_rule = sorted(t.id for t in every if t.alert_open)
        by_query = [t.id for t in urgent_queries.open_alerts(s, north.id)]  # oldest first
    assert by_query == by_rule and len(by_rule) == 2


def urgent_from(client, address: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/sites/north/check-ins",
        json={"language": "en", "urgent": True},
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_burst_of_urgent_check_ins_from_one_address_gives_bounded_alerts(
    app, client, north
) -> None:
    published: list[object] = []
    for kind in (UrgentArrival, UrgentBurst):
        app.extensions["frontdoor"].bus.subscribe(kind, published.append)
    answers = [urgent_from(client, "10.0.0.7") for _ in range(12)]
    assert [a.status_code for a in answers] == [201] * 3 + [202] * 9
    coalesced = answers[-1].get_json()
    assert coalesced["ticket"] is None and coalesced["coalesced"]
    assert coalesced["office"]["state"] == "unstaffed"
    assert sum(isinstance(e, UrgentArrival) for e in published) == 3
    # One burst alert, its count kept up to date: the last request is never left out.
    counts = [e.count for e in published if isinstance(e, UrgentBurst)]
    assert counts == list(range(1, 10))
    # Another kiosk is not silenced by the first one's burst.
    assert urgent_from(client, "10.0.0.8").status_code == 201


def test_a_burst_stays_until_a_person_acknowledges_it(app, client, world, north, sign_in) -> None:
    for _ in range(5):
        urgent_from(client, "10.0.0.7")
    with world.database.session() as s:
        assert urgent_queries.pending_burst(s, north.id).count == 2
    world.staff("cm@example.org")
    done = client.post("/api/v1/sites/north/bursts/acknowledge", headers=sign_in("cm@example.org"))
    assert done.status_code == 200
    with world.database.session() as s:
        assert urgent_queries.pending_burst(s, north.id) is None
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "alert.burst_acknowledged")
        ).one()
    assert entry.staff_email == "cm@example.org" and entry.detail == {"count": 2}


def test_twenty_urgent_requests_at_once_from_one_address_still_make_three_tickets(
    app, north, all_at_once
) -> None:
    answers = all_at_once(20, lambda _: urgent_from(app.test_client(), "10.0.0.9"))
    assert sorted(a.status_code for a in answers) == [201] * 3 + [202] * 17


def test_every_coalesced_request_is_in_the_audit_log(client, north, database) -> None:
    for _ in range(5):
        urgent_from(client, "10.0.0.9")
    with database.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("ticket.urgent_check_in") == 3
    assert actions.count("ticket.urgent_coalesced") == 2
    assert actions.count("alert.burst") == 1


def test_calling_past_an_urgent_person_needs_a_reason_which_is_kept(
    client, api, world, north, sign_in, assert_contract_error
) -> None:
    world.staff("cm@example.org", on_duty_at="north")
    manager = sign_in("cm@example.org")
    first = api.check_in().get_json()["ticket"]
    api.check_in(urgent=True)
    queue_now = client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    ordinary = next(t for t in queue_now if not t["urgent"])
    assert ordinary["urgent_waiting_ahead"] and ordinary["code"] == first["code"]

    refused = api.move(manager, ordinary["id"], "call")
    assert_contract_error(refused, 409, "urgent_waiting")
    reason = "Their interpreter is here only until 2 pm; Ben is seeing the urgent person."
    called = api.move(manager, ordinary["id"], "call", reason=reason)
    assert called.status_code == 200, called.get_json()
    record = client.get(f"/api/v1/tickets/{ordinary['id']}", headers=manager).get_json()
    assert record["history"][-1]["reason"] == reason
    with world.database.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "ticket.call_passed_urgent")
        ).one()
    assert entry.detail == {"reason_given": True}  # the words stay in the history only


def test_call_next_always_takes_the_urgent_person_without_asking(
    api, world, north, sign_in
) -> None:
    world.staff("cm@example.org", on_duty_at="north")
    api.check_in()
    urgent = api.check_in(urgent=True).get_json()["ticket"]
    called = api.call_next(sign_in("cm@example.org")).get_json()["ticket"]
    assert called["code"] == urgent["code"]


def test_a_busy_manager_is_told_a_free_colleague_should_go_and_the_alert_stays(
    client, api, world, north, sign_in, assert_contract_error
) -> None:
    world.staff("ana@example.org", on_duty_at="north", desk="2")
    world.staff("ben@example.org", on_duty_at="north", desk="3")
    ana, ben = sign_in("ana@example.org"), sign_in("ben@example.org")
    api.check_in()
    api.call_next(ana)  # Ana has someone at her desk; Ben is free
    token = api.check_in(urgent=True).get_json()["ticket"]["token"]
    with world.database.session() as s:
        ticket_id = repositories.ticket_by_token(s, token).id
    refused = client.post(f"/api/v1/tickets/{ticket_id}/acknowledge", headers=ana)
    assert_contract_error(refused, 409, "colleague_free")
    with world.database.session() as s:
        assert [t.id for t in urgent_queries.open_alerts(s, north.id)] == [ticket_id]
    going = client.post(f"/api/v1/tickets/{ticket_id}/acknowledge", headers=ben).get_json()
    assert going["ticket"]["alert"]["going"]["name"] == "Ben"


def test_a_lead_following_up_ends_the_alert_on_every_console(
    database, client, world, weekday_north, sign_in
) -> None:
    ticket = urgent_yesterday(database)
    with database.session() as s:
        service_day.sweep(s, NEXT_DAY)
    world.staff("lead@example.org", role="site_lead")
    lead = sign_in("lead@example.org")
    client.post(
        f"/api/v1/tickets/{ticket.id}/follow-up", json={"note": "Called; safe."}, headers=lead
    )
    with database.session() as s:
        assert urgent_queries.open_alerts(s, weekday_north.id) == []
