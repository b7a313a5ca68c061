"""A person calls the office: a language menu in each language's own words, a call-back
ticket by caller ID, their place and wait, a key for texts and a key for "I do not feel
safe"; outside hours the hours and the crisis lines and no ticket; a hidden number is told
how to be called back. Valid TwiML every time, and a step sent twice changes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from queue_service.models import AuditEntry, Ticket
from queue_service.services import sites

CALLER = "+16175550123"
VERBS = {"Say", "Gather", "Redirect", "Hangup", "Pause"}


def tickets(database) -> list[Ticket]:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))


def said(twiml) -> str:  # type: ignore[no-untyped-def]
    return " ".join(say.text or "" for say in twiml.iter("Say"))


def check_twiml(twiml) -> None:  # type: ignore[no-untyped-def]
    """The shapes Twilio accepts: a Response of known verbs; a Gather holds only Say."""
    assert twiml.tag == "Response"
    assert {child.tag for child in twiml} <= VERBS
    for gather in twiml.iter("Gather"):
        assert gather.get("numDigits") == "1" and gather.get("action", "").startswith("/webhooks/")
        assert {child.tag for child in gather} <= {"Say", "Pause"}
    for say in twiml.iter("Say"):
        assert say.get("language") and say.get("voice", "").startswith("Google.")
        assert (say.text or "").strip()
    ends = [child.tag for child in twiml][-1]
    assert ends in ("Hangup", "Redirect")


@pytest.fixture
def staffed(world, north):  # type: ignore[no-untyped-def]
    return world.staff(on_duty_at="north")


def test_the_menu_offers_each_language_in_its_own_words(north, call_in):
    response = call_in(CALLER, sid="CA" + "1" * 32)
    assert response.status_code == 200 and response.mimetype == "text/xml"
    check_twiml(response.twiml)
    [gather] = response.twiml.iter("Gather")
    assert "step=language" in gather.get("action")
    says = list(gather.iter("Say"))
    assert [say.get("language") for say in says] == [
        "en-US", "es-US", "pt-BR", "fr-FR", "cmn-CN", "vi-VN"
    ]  # fmt: skip
    assert says[0].text == "For English, press 1."
    assert "2" in says[1].text and "español" in says[1].text.lower()
    assert "6" in says[5].text and "tiếng việt" in says[5].text.lower()
    assert "again=1" in response.twiml.find("Redirect").text


def test_choosing_spanish_puts_the_caller_in_line_as_a_call_back(staffed, call_in, database):
    sid = "CA" + "2" * 32
    response = call_in(CALLER, sid=sid, step="language", digits="2")
    check_twiml(response.twiml)
    [ticket] = tickets(database)
    assert (ticket.channel, ticket.language, ticket.phone) == ("phone", "es", CALLER)
    assert ticket.sms_opt_in is False and ticket.status == "waiting"
    words = said(response.twiml)
    assert ", ".join(c for c in ticket.code if c.isalnum()) in words
    assert all(say.get("language") == "es-US" for say in response.twiml.iter("Say"))
    [gather] = response.twiml.iter("Gather")
    assert "step=choices" in gather.get("action") and "language=es" in gather.get("action")
    # Pressing nothing: told they will be called back, and the call ends.
    assert [child.tag for child in response.twiml][-1] == "Hangup"

    again = call_in(CALLER, sid=sid, step="language", digits="2")
    assert len(tickets(database)) == 1, "the provider's retry made a second ticket"
    assert ticket.code.split("-")[-1][-1] in said(again.twiml)


def test_the_place_and_wait_are_said_with_nobody_on_duty_honestly(north, call_in, database):
    response = call_in(CALLER, sid="CA" + "3" * 32, step="language", digits="1")
    words = said(response.twiml)
    assert "number 1 in line" in words and "No case manager is on duty yet" in words
    assert "minutes" not in words
    assert "when a case manager is on duty" in words and "please call again" in words


def test_a_caller_already_in_line_hears_their_place_and_gets_no_second_ticket(
    world, staffed, call_in, database
):
    ticket = world.walk_in(sms_opt_in=False)
    response = call_in(ticket.phone, sid="CA" + "4" * 32, step="language", digits="1")
    assert len(tickets(database)) == 1
    words = said(response.twiml)
    assert "already in the line" in words
    # A walk-in is called at the office, not phoned: nothing may say otherwise.
    assert "please be there" in words and "call you back" not in words


def test_a_walk_in_hears_the_language_they_chose_on_the_call(world, staffed, call_in):
    ticket = world.walk_in()
    response = call_in(ticket.phone, sid="CA" + "d" * 32, step="language", digits="2")
    assert {say.get("language") for say in response.twiml.iter("Say")} == {"es-US"}


def test_pressing_1_turns_texts_on_and_writes_the_checked_in_text_once(
    staffed, call_in, database, outbox
):
    sid = "CA" + "5" * 32
    call_in(CALLER, sid=sid, step="language", digits="3")  # Portuguese
    for _ in range(2):  # the provider sends the step twice
        response = call_in(CALLER, sid=sid, step="choices", digits="1", language="pt")
        check_twiml(response.twiml)
    [ticket] = tickets(database)
    assert ticket.sms_opt_in is True
    [text] = [m for m in outbox(ticket.id) if m.kind == "checked_in"]
    assert text.language == "pt" and text.phone == CALLER and ticket.code in text.body
    assert "PARAR" in said(response.twiml) or "STOP" in said(response.twiml)


def test_pressing_9_raises_one_urgent_alert_and_reads_the_crisis_lines(staffed, call_in, database):
    sid = "CA" + "6" * 32
    call_in(CALLER, sid=sid, step="language", digits="6")  # Vietnamese
    for _ in range(2):
        response = call_in(CALLER, sid=sid, step="choices", digits="9", language="vi")
        check_twiml(response.twiml)
    [ticket] = tickets(database)
    assert ticket.urgent and ticket.alert_via == "call" and ticket.alert_raised_at
    words = said(response.twiml)
    assert "988" in words and "911" in words
    with database.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.urgent")))
    assert len(entries) == 1 and entries[0].detail["via"] == "call"


def test_pressing_9_again_on_a_new_call_alerts_again_and_is_audited_again(
    staffed, call_in, database, published
):
    call_in(CALLER, sid="CA" + "e" * 32, step="language", digits="1")
    call_in(CALLER, sid="CA" + "e" * 32, step="choices", digits="9", language="en")
    call_in(CALLER, sid="CA" + "f" * 32, step="language", digits="1")
    call_in(CALLER, sid="CA" + "f" * 32, step="choices", digits="9", language="en")
    with database.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.urgent")))
    assert [e.detail["new_alert"] for e in entries] == [True, False]


def test_pressing_9_after_the_visit_ended_joins_them_again_as_urgent(
    world, staffed, call_in, database
):
    sid = "CA" + "0" * 32
    call_in(CALLER, sid=sid, step="language", digits="1")
    with database.session() as s:
        s.execute(update(Ticket).values(status="cancelled", phone=None))
        s.commit()
    response = call_in(CALLER, sid=sid, step="choices", digits="9", language="en")
    words = said(response.twiml)
    assert "988" in words and "We have told the case managers on duty" in words
    urgent = [t for t in tickets(database) if t.status == "waiting"]
    assert len(urgent) == 1 and urgent[0].urgent and urgent[0].phone == CALLER


def test_pressing_9_after_the_visit_ended_at_a_closed_office_is_audited(
    closed_tonight, call_in, database
):
    response = call_in(CALLER, sid="CA" + "0" * 31 + "1", step="choices", digits="9",
                       language="en")  # fmt: skip
    words = said(response.twiml)
    assert "988" in words and "closed" in words and "call you back" not in words
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 0
        asked = s.scalars(select(AuditEntry).where(AuditEntry.action == "help.office_closed"))
        assert len(list(asked)) == 1


def test_a_wrong_key_offers_the_choices_once_more_then_ends(staffed, call_in):
    sid = "CA" + "2" * 31 + "3"
    call_in(CALLER, sid=sid, step="language", digits="1")
    again = call_in(CALLER, sid=sid, step="choices", digits="5", language="en")
    check_twiml(again.twiml)
    [gather] = again.twiml.iter("Gather")
    assert "again=1" in gather.get("action") and "press 9" in said(again.twiml)
    last = call_in(CALLER, sid=sid, step="choices", digits="5", language="en", again="1")
    assert last.twiml.find("Gather") is None and "Goodbye" in said(last.twiml)


def test_a_failure_on_our_side_still_gives_the_crisis_lines(staffed, call_in, monkeypatch):
    from queue_service.services import inbound_calls

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(inbound_calls, "answer", broken)
    response = call_in(CALLER, sid="CA" + "3" * 31 + "4", step="language", digits="1")
    assert response.status_code == 200
    check_twiml(response.twiml)
    assert "went wrong on our side" in said(response.twiml) and "988" in said(response.twiml)


def test_the_next_steps_url_is_signed_as_twilio_will_post_it_behind_a_public_url(
    settings, database, north, world
):
    import dataclasses
    from urllib.parse import urljoin
    from xml.etree import ElementTree

    from twilio.request_validator import RequestValidator

    from frontdoor.app import create_app

    world.staff(on_duty_at="north")
    public = "https://frontdoor.example"
    app = create_app(dataclasses.replace(settings, public_url=public), migrate=False)
    client = app.test_client()
    validator = RequestValidator(settings.webhook_token)
    form = {"CallSid": "CA" + "4" * 32, "From": CALLER, "To": "+16175550100"}
    url = f"{public}/webhooks/twilio/voice"
    for digits in (None, "1", "1"):  # the menu, then the language, then the texts key
        sent = {**form, **({"Digits": digits} if digits else {})}
        headers = {"X-Twilio-Signature": validator.compute_signature(url, sent)}
        response = client.post(url.removeprefix(public), data=sent, headers=headers,
                               base_url=public)  # fmt: skip
        assert response.status_code == 200, response.get_data(as_text=True)
        [gather] = ElementTree.fromstring(response.get_data()).iter("Gather")
        url = urljoin(url, gather.get("action"))  # as Twilio resolves a relative action
        if digits == "1" and "choices" in url:
            break
    assert "step=choices" in url
    app.extensions["frontdoor"].database.dispose()


def test_pressing_9_with_nobody_on_duty_says_so(north, call_in, database):
    sid = "CA" + "7" * 32
    call_in(CALLER, sid=sid, step="language", digits="1")
    response = call_in(CALLER, sid=sid, step="choices", digits="9", language="en")
    words = said(response.twiml)
    assert "no case manager is on duty right now" in words
    assert "We have told the case managers" not in words


@pytest.fixture
def closed_tonight(world):  # type: ignore[no-untyped-def]
    """North, closed today (a training day) with nobody on duty, open tomorrow at nine."""
    zone = ZoneInfo("America/New_York")
    today = datetime.now(zone).date().isoformat()
    world.site("north", timezone="America/New_York", hours="mon-sun 09:00-17:00")
    with world.database.session() as s:
        sites.update_site(s, "north", {"closures": [{"date": today, "reason": "Training"}]})


def test_a_call_to_a_closed_office_says_when_it_opens_and_makes_no_ticket(
    closed_tonight, call_in, database
):
    response = call_in(CALLER, sid="CA" + "8" * 32, step="language", digits="2")
    check_twiml(response.twiml)
    words = said(response.twiml)
    assert "9:00" in words and "988" in words and "911" in words
    assert response.twiml.find("Gather") is None
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 0


def test_a_hidden_number_is_told_how_to_be_called_back(staffed, call_in, database):
    for caller in ("anonymous", ""):
        response = call_in(caller, sid="CA" + "9" * 32, step="language", digits="1")
        check_twiml(response.twiml)
        assert "cannot see your phone number" in said(response.twiml)
    assert tickets(database) == []


def test_no_key_hears_the_menu_again_then_the_first_language(staffed, call_in, database):
    sid = "CA" + "a" * 32
    again = call_in(CALLER, sid=sid, step="menu", again="1")
    assert "again" not in again.twiml.find("Redirect").text
    response = call_in(CALLER, sid=sid, step="language")
    assert tickets(database)[0].language == "en"
    assert "in the line for a call back" in said(response.twiml)


def test_a_key_not_on_the_menu_is_said_and_the_menu_comes_again(staffed, call_in, database):
    response = call_in(CALLER, sid="CA" + "b" * 32, step="language", digits="8")
    check_twiml(response.twiml)
    assert "not one of the choices" in said(response.twiml) and tickets(database) == []


def test_a_forged_call_is_refused_and_writes_nothing(north, twilio_post, database):
    form = {"CallSid": "CA" + "c" * 32, "From": CALLER, "To": "+16175550100", "Digits": "1"}
    for signature in ("", "forged"):
        response = twilio_post("/webhooks/twilio/voice?step=language", form, signature=signature)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "bad_signature"
    assert tickets(database) == []
