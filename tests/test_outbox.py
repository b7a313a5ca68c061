"""Texts are written to the outbox in the transaction of the change that calls for them:
at most one per visit and kind, only to numbers that opted in, never with a name or a need."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from queue_service.clock import utcnow
from queue_service.domain.errors import OfficeClosed
from queue_service.domain.lifecycle import Action
from queue_service.models import Site, Ticket
from queue_service.persistence import outbox as outbox_queries
from queue_service.services import checkins, queue, service_day
from queue_service.services.commands import MoveTicket


def kinds(texts) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(t.kind, t.status) for t in texts]


@pytest.fixture
def manager(world, north):  # type: ignore[no-untyped-def]
    return world.reload(world.staff("cm@example.org", on_duty_at="north", desk="2"))


def set_site(database, **values) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        s.execute(update(Site).where(Site.slug == "north").values(**values))
        s.commit()


def move(database, manager, ticket_id: int, action: Action, **kw) -> Ticket:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return queue.transition(s, manager, MoveTicket(ticket_id, action, **kw))


def test_a_check_in_with_texts_on_writes_its_code_and_place_and_never_a_name_or_need(
    world, north, outbox, private_details
):
    ticket = world.walk_in(needs=["housing"])
    checked_in, almost = outbox(ticket.id)
    assert (checked_in.kind, checked_in.status) == ("checked_in", "queued")
    assert checked_in.body.startswith("Front Door: You are checked in, code A-001.")
    assert "Place in line: 1" in checked_in.body and "Reply STATUS" in checked_in.body
    assert (checked_in.phone, checked_in.phone_masked) == (ticket.phone, "•••0123")
    assert (checked_in.segments, checked_in.encoding) == (1, "gsm7")
    assert private_details.names[0] not in checked_in.body
    assert "housing" not in checked_in.body and "place to live" not in checked_in.body
    # First in line: the check-in text already says so; "almost your turn" will not follow.
    assert (almost.kind, almost.status, almost.why, almost.phone) == (
        "almost_turn", "suppressed", "told_at_check_in", None)  # fmt: skip


def test_nothing_is_written_for_a_number_that_did_not_opt_in_or_no_number(
    world, north, manager, outbox
):
    quiet = world.walk_in(sms_opt_in=False)
    anonymous = world.walk_in(which=1, phone=None, sms_opt_in=False)
    assert quiet.phone is not None and not quiet.sms_opt_in
    move(world.database, manager, quiet.id, Action.CALL)
    move(world.database, manager, anonymous.id, Action.CALL)
    assert outbox() == []


def test_a_refused_check_in_writes_no_text(world, database, outbox):
    world.site("closed-site", hours="mon 09:00-09:01")
    with database.session() as s, pytest.raises(OfficeClosed):
        monday_night = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
        body = {"language": "en", "phone": "+16175550123", "sms_opt_in": True}
        checkins.check_in(s, "closed-site", body, now=monday_night)
    assert outbox() == []


def test_a_retried_check_in_writes_its_texts_once(world, north, database, outbox):
    body = {"language": "es", "phone": "+16175550123", "sms_opt_in": True}
    for _ in range(2):
        with database.session() as s:
            checkins.check_in(s, "north", body, idempotency_key="k" * 20, secret_key="secret")
    assert kinds(outbox()) == [("checked_in", "queued"), ("almost_turn", "suppressed")]
    assert outbox()[0].body.startswith("Front Door: Su turno es A-001.")


def test_calling_a_walk_in_texts_the_desk_and_tells_whoever_is_now_almost_up(
    world, north, manager, outbox
):
    people = [world.walk_in(which=i % 4) for i in range(5)]  # places 1 to 5
    with world.database.session() as s:
        called = queue.call_next(s, "north", manager)
    assert called.id == people[0].id
    [text] = [t for t in outbox(called.id) if t.kind == "called"]
    assert text.body == "Front Door: It is your turn, code A-001. Please come to desk 2 now."
    # Two ahead by default: the fourth in line (now third) is told; the fifth is not yet.
    almost = [t for t in outbox(people[3].id) if t.kind == "almost_turn"]
    assert [(t.status, "People ahead of you: 2" in t.body) for t in almost] == [("queued", True)]
    assert [t.kind for t in outbox(people[4].id)] == ["checked_in"]


def test_the_number_ahead_that_counts_as_almost_up_is_the_sites(world, north, manager, outbox):
    set_site(world.database, sms_almost_turn_ahead=0)
    people = [world.walk_in(which=i) for i in range(3)]
    with world.database.session() as s:
        queue.call_next(s, "north", manager)
    assert [t.kind for t in outbox(people[2].id)] == ["checked_in"]
    almost = [t for t in outbox(people[1].id) if t.kind == "almost_turn"]
    assert "People ahead of you: 0" in almost[0].body


def test_a_call_back_is_told_the_number_we_call_from(world, north, manager, outbox):
    set_site(world.database, sms_callback_number="617-555-0100", sms_sender_name="North Office")
    with world.database.session() as s:
        body = {"language": "en", "phone": "+16175550199", "sms_opt_in": True}
        caller = checkins.add_callback(s, "north", manager, body).ticket
    move(world.database, manager, caller.id, Action.CALL)
    [text] = [t for t in outbox(caller.id) if t.kind == "called"]
    assert text.body == (
        "North Office: It is your turn, code A-001. We are calling you now from 617-555-0100."
    )


def test_leaving_and_missing_a_turn_are_confirmed_to_the_number_the_visit_had(
    world, north, manager, outbox, database
):
    leaves, missed = world.walk_in(which=0), world.walk_in(which=1)
    with database.session() as s:
        checkins.cancel_by_client(s, leaves.token)
    move(database, manager, missed.id, Action.CALL)
    move(database, manager, missed.id, Action.NO_SHOW)
    [left] = [t for t in outbox(leaves.id) if t.kind == "left"]
    # The visit's own number is erased at its close; the text kept its copy to send.
    assert left.phone == "+16175550123" and left.status == "queued"
    assert "You left the line (code A-001)" in left.body
    # What had not gone out yet is no longer true, and its copy of the number goes at once.
    [checked_in] = [t for t in outbox(leaves.id) if t.kind == "checked_in"]
    assert (checked_in.status, checked_in.why, checked_in.phone) == (
        "suppressed", "no_longer_true", None)  # fmt: skip
    [no_show] = [t for t in outbox(missed.id) if t.kind == "no_show"]
    assert "We called code A-002 but did not see you" in no_show.body


def test_the_day_close_is_not_the_person_leaving_and_says_nothing_of_the_sort(
    world, database, outbox
):
    world.site("north", hours="mon-sun 09:00-17:00")
    noon_boston = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    with database.session() as s:
        body = {"language": "en", "phone": "+16175550123", "sms_opt_in": True}
        ticket = checkins.check_in(s, "north", body, now=noon_boston).ticket
    with database.session() as s:
        service_day.sweep(s, now=noon_boston + timedelta(days=1))
    with database.session() as s:
        assert s.get(Ticket, ticket.id).status == "left"
    assert "left" not in [t.kind for t in outbox(ticket.id)]
    assert {(t.status, t.phone) for t in outbox(ticket.id)} == {("suppressed", None)}


def test_each_kind_goes_at_most_once_per_visit(world, north, manager, outbox, database):
    person = world.walk_in()
    for _ in range(2):
        move(database, manager, person.id, Action.CALL)
        move(database, manager, person.id, Action.REQUEUE)
    assert [t.kind for t in outbox(person.id)].count("called") == 1
    with database.session() as s:
        again = {"site_id": north.id, "ticket_id": person.id, "kind": "called",
                 "language": "en", "encoding": "gsm7", "created_at": utcnow(),
                 "updated_at": utcnow()}  # fmt: skip
        assert outbox_queries.add_once(s, again) is False
        s.commit()
    assert [t.kind for t in outbox(person.id)].count("called") == 1


def test_people_who_may_not_be_seen_before_closing_are_told_once(world, database, outbox):
    world.site("north", hours="mon-sun 09:00-17:00")
    four_forty_boston = datetime(2026, 12, 2, 21, 40, tzinfo=UTC)
    with database.session() as s:
        body = {"language": "es", "phone": "+16175550147", "sms_opt_in": True}
        ticket = checkins.check_in(s, "north", body, now=four_forty_boston - timedelta(hours=1))
        ticket = ticket.ticket
    for minutes in (0, 1):
        with database.session() as s:
            service_day.sweep(s, now=four_forty_boston + timedelta(minutes=minutes))
    [closing] = [t for t in outbox(ticket.id) if t.kind == "closing"]
    assert closing.body == (
        "Front Door: Cerramos a las 17:00 y es posible que hoy no podamos atender a todos. "
        "Turno A-001, lugar en la fila: 1."
    )


def test_no_closing_text_before_the_last_half_hour(world, database, outbox):
    world.site("north", hours="mon-sun 09:00-17:00")
    with database.session() as s:
        body = {"language": "en", "phone": "+16175550147", "sms_opt_in": True}
        noon = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
        checkins.check_in(s, "north", body, now=noon)
        service_day.sweep(s, now=noon + timedelta(minutes=5))
    assert "closing" not in [t.kind for t in outbox()]
