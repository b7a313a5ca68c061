"""Words of a crisis in a text, in any language: the visit becomes urgent (or the sender an
urgent call-back; at a closed office nobody is promised anything and the audit log keeps
it), and the answer is the crisis lines at once. A failure half-way is finished when the
provider retries; a signed request replayed hours later makes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from queue_service.models import AuditEntry, Message, Site, Ticket


def crisis_answers(outbox, ticket_id=None):  # type: ignore[no-untyped-def]
    return [m for m in outbox(ticket_id) if m.kind in ("answer", "crisis")]


def tickets(database) -> int:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(Ticket))


def ticket_of(database, ticket_id):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.get(Ticket, ticket_id)


def test_a_crisis_word_in_spanish_makes_the_visit_urgent_and_answers_with_the_lines(
    world, north, text_in, outbox, database
):
    world.staff(on_duty_at="north")
    ticket = world.walk_in(language="es")
    text_in(ticket.phone, "ya no puedo más, quiero morir")
    assert ticket_of(database, ticket.id).urgent is True
    [answer] = crisis_answers(outbox, ticket.id)
    assert "AYUDA" in answer.body and "911" in answer.body  # 988 in Spanish: text AYUDA
    with database.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.urgent"))
    assert entry.detail == {"by": "visitor", "via": "sms", "unstaffed": False, "new_alert": True}


def test_a_crisis_word_in_vietnamese_from_someone_not_in_line_puts_them_in_it_urgently(
    world, north, text_in, outbox, database
):
    world.staff(on_duty_at="north")
    phone = "+16175550199"
    text_in(phone, "Tôi muốn chết")
    with database.session() as s:
        [ticket] = s.scalars(select(Ticket))
    assert (ticket.channel, ticket.urgent, ticket.language) == ("sms", True, "vi")
    # What they wrote and the lines we sent are on their card.
    assert {m.kind for m in outbox(ticket.id)} >= {"reply", "crisis"}
    [answer] = crisis_answers(outbox)
    assert answer.language == "vi" and "911" in answer.body and "Vietnamese" in answer.body


def test_a_crisis_text_at_a_closed_office_promises_nobody_and_is_written_down(
    world, north, closed_today, text_in, outbox, database
):
    text_in("+16175550199", "I want to kill myself")
    assert tickets(database) == 0
    [answer] = crisis_answers(outbox)
    assert "988" in answer.body and "911" in answer.body
    assert "nobody there can answer" in answer.body
    assert "contact you" not in answer.body and "alerting" not in answer.body
    with database.session() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert "help.office_closed" in actions


def test_a_crisis_text_is_answered_even_after_stop_and_even_if_the_visit_then_ends(
    world, north, text_in, outbox, sms_network, database
):
    ticket = world.walk_in()
    text_in(ticket.phone, "STOP")
    text_in(ticket.phone, "I don\u2019t feel safe")  # a phone's curly apostrophe
    text_in(ticket.phone, "CANCEL")
    sms_network.deliver()
    [crisis] = [m for m in outbox(ticket.id) if m.kind == "crisis"]
    assert crisis.status == "sent" and "988" in crisis.body
    assert ticket_of(database, ticket.id).urgent is True


@pytest.mark.parametrize(("asked", "via", "reach"), [("text", "text", "call"),
                                                     ("kiosk", "kiosk", "go")])  # fmt: skip
def test_the_console_is_told_when_and_where_the_person_asked_and_how_to_reach_them(
    world, north, text_in, client, sign_in, api, asked, via, reach
):
    world.staff("cm@example.org")
    if asked == "text":
        ticket = world.walk_in()
        text_in(ticket.phone, "I want to die")
        code = ticket.code
    else:
        code = api.check_in(urgent=True).get_json()["ticket"]["code"]
    queue = client.get("/api/v1/sites/north/queue", headers=sign_in("cm@example.org"))
    [alerted] = [t for t in queue.get_json()["tickets"] if t["code"] == code]
    assert (alerted["alert"]["via"], alerted["alert"]["reach"]) == (via, reach)
    assert alerted["alert"]["raised_at"] >= alerted["created_at"]


def test_a_crisis_text_from_a_visit_already_urgent_alerts_again_and_is_audited(
    world, north, text_in, database, app
):
    from queue_service.domain.events import UrgentArrival

    ticket = world.walk_in()
    text_in(ticket.phone, "I want to die")
    alerts: list[object] = []
    app.extensions["frontdoor"].bus.subscribe(UrgentArrival, alerts.append)
    text_in(ticket.phone, "please, I want to die")
    assert [a.ticket_id for a in alerts] == [ticket.id]
    with database.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.urgent")))
    assert [e.detail["new_alert"] for e in entries] == [True, False]


def test_a_crisis_text_whose_check_in_failed_is_finished_when_the_provider_retries(
    world, north, text_in, outbox, database, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from queue_service.services import checkins

    world.staff(on_duty_at="north")
    real = checkins.check_in
    calls = []

    def fails_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("the database went away"))
        return real(*args, **kwargs)

    monkeypatch.setattr(checkins, "check_in", fails_once)
    sid = "SM" + "c" * 32
    first = text_in("+16175550199", "I want to die", sid=sid)
    assert first.status_code in (500, 503)
    assert [m.kind for m in outbox() if m.direction == "outbound"] == ["crisis"], "lines first"
    assert tickets(database) == 0
    for _ in range(2):  # the provider retries; a later retry changes nothing more
        assert text_in("+16175550199", "I want to die", sid=sid).status_code == 200
    with database.session() as s:
        [ticket] = s.scalars(select(Ticket))
        [inbound] = s.scalars(select(Message).where(Message.direction == "inbound"))
    assert ticket.urgent and ticket.channel == "sms" and inbound.ticket_id == ticket.id
    assert len([m for m in outbox() if m.kind == "crisis"]) == 1


def test_a_signed_crisis_text_replayed_hours_later_makes_no_visit(
    world, north, closed_today, text_in, database
):
    sid = "SM" + "d" * 32
    text_in("+16175550199", "I want to kill myself", sid=sid)
    with database.session() as s:
        # Hours later, the office open again: the same signed request, sent again.
        s.execute(update(Site).values(closures=[]))
        for message in s.scalars(select(Message)):
            message.created_at -= timedelta(hours=2)
        s.commit()
    world.staff(on_duty_at="north")
    text_in("+16175550199", "I want to kill myself", sid=sid)
    assert tickets(database) == 0


def test_someone_who_joined_by_a_crisis_text_is_never_told_a_wait_or_how_to_leave(
    world, north, text_in, outbox
):
    world.staff(on_duty_at="north")
    text_in("+16175550199", "I don't feel safe")
    bodies = [m.body for m in outbox() if m.direction == "outbound"]
    assert len(bodies) == 1 and "988" in bodies[0]
    assert not any("wait" in b or "CANCEL" in b for b in bodies)


def test_a_crisis_text_to_a_closed_office_is_audited_as_a_text(
    world, north, closed_today, text_in, database
):
    from queue_service.domain.audit_words import EntryFacts, sentence

    text_in("+16175550199", "I want to kill myself")
    with database.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "help.office_closed"))
        assert entry.detail["channel"] == "sms"
    said = sentence(EntryFacts(action=entry.action, actor=entry.actor, detail=entry.detail))
    assert said == "Someone asked for help by text while the office was closed"
