"""An urgent alert nobody acknowledges within the site's time (default 2 minutes) is texted,
once, to the site's on-call numbers, with the office and the code only; the audit log keeps
that it was (and when no number was set to text); an alert seen meanwhile is not texted,
and a text still waiting when someone sees it is suppressed."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from queue_service.clock import utcnow
from queue_service.domain import escalation
from queue_service.domain.lifecycle import Status
from queue_service.models import AuditEntry, Site, Ticket
from queue_service.persistence.urgent import alerts_to_escalate
from queue_service.services import escalations, sites, visits

ONCALL = ["+16175550111", "+16175550112"]


@pytest.fixture
def with_oncall(world, north):  # type: ignore[no-untyped-def]
    with world.database.session() as s:
        sites.update_site(s, "north", {"oncall_numbers": ONCALL})


def escalation_texts(outbox):  # type: ignore[no-untyped-def]
    return [m for m in outbox() if m.kind == "escalation"]


def escalated_entries(database) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with database.session() as s:
        query = select(AuditEntry).where(AuditEntry.action == "ticket.urgent_escalated")
        return list(s.scalars(query))


def run(database, after: timedelta) -> int:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return escalations.escalate_due(s, secret_key="test-secret-key", now=utcnow() + after)


def test_an_alert_nobody_saw_in_two_minutes_is_texted_to_on_call_once(
    world, with_oncall, database, outbox
):
    ticket = world.walk_in(urgent=True)
    assert run(database, timedelta(minutes=1, seconds=50)) == 0
    assert run(database, timedelta(minutes=2, seconds=1)) == 1
    assert run(database, timedelta(minutes=9)) == 0, "escalated a second time"
    texts = escalation_texts(outbox)
    assert sorted(m.phone for m in texts) == ONCALL
    for text in texts:
        assert ticket.code in text.body and "North" in text.body
        assert ticket.name not in text.body and ticket.phone[-4:] not in text.body
        assert text.status == "queued" and text.ticket_id == ticket.id
    [entry] = escalated_entries(database)
    assert entry.actor == "system"
    assert entry.detail == {"after_minutes": 2, "texted": 2, "opted_out": 0}
    with database.session() as s:
        row = s.get(Ticket, ticket.id)
        assert row.alert_escalated_at is not None and row.alert_escalated_to == 2


def test_the_site_sets_how_long_before_it_escalates(world, with_oncall, database):
    with database.session() as s:
        sites.update_site(s, "north", {"escalate_after_minutes": 10})
    world.walk_in(urgent=True)
    assert run(database, timedelta(minutes=9)) == 0
    assert run(database, timedelta(minutes=10, seconds=1)) == 1


def test_an_acknowledged_alert_never_escalates(world, with_oncall, database, outbox):
    manager = world.staff(on_duty_at="north")
    ticket = world.walk_in(urgent=True)
    with database.session() as s:
        visits.acknowledge_alert(s, ticket.id, world.reload(manager))
    assert run(database, timedelta(minutes=5)) == 0
    assert escalation_texts(outbox) == [] and escalated_entries(database) == []


def test_a_text_still_waiting_when_someone_acknowledges_is_suppressed(
    world, with_oncall, database, outbox, sms_network
):
    manager = world.staff(on_duty_at="north")
    ticket = world.walk_in(urgent=True, phone=None, sms_opt_in=False)
    run(database, timedelta(minutes=3))
    with database.session() as s:
        visits.acknowledge_alert(s, ticket.id, world.reload(manager))
    sms_network.deliver()
    assert sms_network.delivered == []
    assert {(m.status, m.why) for m in escalation_texts(outbox)} == {
        ("suppressed", "no_longer_true")
    }


def test_with_no_on_call_number_the_audit_log_says_nobody_was_texted(
    world, north, database, outbox
):
    world.walk_in(urgent=True)
    assert run(database, timedelta(minutes=3)) == 1
    assert escalation_texts(outbox) == []
    [entry] = escalated_entries(database)
    assert entry.detail["texted"] == 0


def test_an_alert_escalates_once_however_many_processes_look(
    world, with_oncall, database, outbox, all_at_once
):
    for which in range(3):
        world.walk_in(which=which, urgent=True)
    results = all_at_once(4, lambda _: run(database, timedelta(minutes=3)))
    assert sum(results) == 3
    assert len(escalation_texts(outbox)) == 3 * len(ONCALL)
    assert len(escalated_entries(database)) == 3


@pytest.mark.parametrize(
    ("status", "acknowledged", "escalated", "minutes_ago", "due"),
    [
        (Status.WAITING, False, False, 3, True),
        (Status.CALLED, False, False, 3, True),
        (Status.WAITING, False, False, 1, False),
        (Status.WAITING, True, False, 3, False),
        (Status.WAITING, False, True, 3, False),
        (Status.IN_SESSION, False, False, 3, False),
        (Status.LEFT, False, False, 3, False),
    ],
)
def test_the_query_takes_exactly_the_alerts_the_rule_says_are_due(
    world, north, database, status, acknowledged, escalated, minutes_ago, due
):
    ticket = world.walk_in(urgent=True)
    now = utcnow()
    raised = now - timedelta(minutes=minutes_ago)
    with database.session() as s:
        row = s.get(Ticket, ticket.id)
        row.status, row.alert_raised_at = status.value, raised
        row.alert_acknowledged_at = now if acknowledged else None
        row.alert_escalated_at = now if escalated else None
        s.commit()
    rule = escalation.is_due(
        urgent=True, status=status, raised_at=raised,
        acknowledged_at=now if acknowledged else None, escalated_at=now if escalated else None,
        after_minutes=2, now=now,
    )  # fmt: skip
    assert rule is due
    with database.session() as s:
        site = s.scalar(select(Site))
        found = alerts_to_escalate(s, site.id, escalation.cutoff(now, 2))
        assert [t.id for t in found] == ([ticket.id] if due else [])


def test_an_on_call_phone_that_stopped_texts_is_not_counted_as_texted(
    world, with_oncall, database, outbox, text_in
):
    text_in(ONCALL[0], "STOP")
    world.walk_in(urgent=True)
    run(database, timedelta(minutes=3))
    assert [m.phone for m in escalation_texts(outbox)] == [ONCALL[1]]
    [entry] = escalated_entries(database)
    assert (entry.detail["texted"], entry.detail["opted_out"]) == (1, 1)


def test_one_sites_trouble_never_keeps_anothers_alert_from_going(world, north, database, outbox):
    world.site("south")
    with database.session() as s:
        sites.update_site(s, "south", {"oncall_numbers": ONCALL})
        # As if a bad value had reached the database some other way.
        s.execute(update(Site).where(Site.slug == "north").values(oncall_numbers=[None]))
        s.commit()
    world.walk_in(urgent=True)
    world.walk_in("south", which=1, urgent=True)
    assert run(database, timedelta(minutes=3)) == 1
    assert len(escalation_texts(outbox)) == 2


def test_the_on_call_text_says_when_the_alert_was_raised(world, with_oncall, outbox):
    ticket = world.walk_in(urgent=True)
    run(world.database, timedelta(minutes=30))
    [text, _] = escalation_texts(outbox)
    raised = ticket.alert_raised_at.astimezone(ZoneInfo("America/New_York"))
    assert f"raised at {raised:%-I:%M}" in text.body


def test_an_on_call_phone_replying_is_kept_and_never_read_as_a_crisis(
    world, with_oncall, database, outbox, text_in
):
    text_in(ONCALL[0], "is she suicidal? calling now")
    with database.session() as s:
        assert s.scalar(select(Ticket)) is None, "the on-call reply made a ticket"
    [reply] = [m for m in outbox() if m.direction == "inbound"]
    assert reply.body.startswith("is she") and [m for m in outbox() if m.kind == "crisis"] == []
