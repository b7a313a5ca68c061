"""Side effects follow the commit: events are published after it, never for a refusal."""

import pytest

from queue_service.domain.errors import IllegalTransition, ValidationFailed
from queue_service.domain.events import TicketCalled, TicketChanged, TicketCreated, UrgentArrival
from queue_service.domain.lifecycle import Action
from queue_service.models import Staff
from queue_service.services import checkins, queue
from queue_service.services.commands import MoveTicket

pytestmark = pytest.mark.usefixtures("north")


def test_a_check_in_publishes_ticket_created(session, published):
    checkins.check_in(session, "north", {"language": "en"})
    assert [type(e) for e in published] == [TicketCreated]


def test_an_urgent_check_in_also_raises_the_urgent_alert(session, published):
    ticket = checkins.check_in(session, "north", {"language": "en", "urgent": True}).ticket
    assert UrgentArrival(ticket.id, ticket.site_id) in published


def test_a_refused_check_in_publishes_nothing(session, published):
    with pytest.raises(ValidationFailed):
        checkins.check_in(session, "north", {"language": "xx"})
    assert published == []


def test_calling_someone_tells_the_lobby_screen_the_code_and_desk(session, world, published):
    member = world.staff("maria@example.org", on_duty_at="north", desk="4")
    ticket = checkins.check_in(session, "north", {"language": "en"}).ticket
    published.clear()
    queue.call_next(session, "north", session.get(Staff, member.id))
    assert TicketCalled(ticket.id, ticket.site_id, ticket.code, "4") in published
    assert any(isinstance(e, TicketChanged) and e.status == "called" for e in published)


def test_an_illegal_move_publishes_nothing(session, world, published):
    member = world.staff("maria@example.org", on_duty_at="north")
    ticket = checkins.check_in(session, "north", {"language": "en"}).ticket
    published.clear()
    with pytest.raises(IllegalTransition):
        queue.transition(
            session, session.get(Staff, member.id), MoveTicket(ticket.id, Action.START)
        )
    assert published == []


def test_a_failing_subscriber_does_not_undo_the_change(session, bus):
    def broken(_event):  # type: ignore[no-untyped-def]
        raise RuntimeError("socket server down")

    bus.subscribe(TicketCreated, broken)
    ticket = checkins.check_in(session, "north", {"language": "en"}).ticket
    assert ticket.id is not None and ticket.status == "waiting"


def test_a_lost_race_is_a_conflict_and_publishes_nothing(session, world, database, published):
    from queue_service.domain.errors import Conflict
    from queue_service.domain.lifecycle import Action
    from queue_service.persistence.unit_of_work import begin_write, commit

    ticket = checkins.check_in(session, "north", {"language": "en"}).ticket
    stale = database.session()
    stale_ticket = stale.get(type(ticket), ticket.id)  # read, then someone else acts
    checkins.cancel_by_client(session, ticket.token)
    published.clear()
    begin_write(stale)
    stale_ticket.apply(Action.LEFT, at=stale_ticket.created_at, by=None)
    with pytest.raises(Conflict):
        commit(stale)
    stale.close()
    assert published == []
