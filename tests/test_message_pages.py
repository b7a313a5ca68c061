"""The console's pages for texts: the site's message log (/console/messages), newest first with
the numbers masked, and the log backend's phone page (/console/phone), whose replies go through
the very webhook Twilio calls and do what a real text does."""

import dataclasses
import re

import pytest
from sqlalchemy import select, update

from frontdoor.app import create_app
from queue_service.models import AuditEntry, Site, Ticket

OFFICE = "+16175550100"


@pytest.fixture
def manager(client, world, north, console_sign_in):  # type: ignore[no-untyped-def]
    """Cm, a case manager on duty at north, signed in to the console on `client`."""
    world.staff(on_duty_at="north")
    console_sign_in(client, "cm@example.org")
    return client


def office_number(database, number: str | None = OFFICE) -> None:
    with database.session() as s:
        s.execute(update(Site).where(Site.slug == "north").values(sms_callback_number=number))
        s.commit()


def rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r'<tr data-text="\d+" class="(inbound|outbound)"', page.text)


def reply(client, page, number: str, body: str, site: str = "north"):  # type: ignore[no-untyped-def]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "site": site, "number": number, "body": body}
    return client.post("/console/phone", data=form)


def ticket_now(database, ticket_id):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.get(Ticket, ticket_id)


# ---- the message log ----


def test_the_log_lists_both_ways_newest_first_with_masked_numbers_only(
    manager, world, text_in, database
):
    ticket = world.walk_in()
    text_in(ticket.phone, "Is it long now?")
    page = manager.get("/console/messages?site=north")
    assert page.status_code == 200
    assert '<caption id="texts-caption">The site\'s texts, newest first</caption>' in page.text
    ways = rows(page)
    assert ways[0] == "outbound" and "inbound" in ways  # the answer came after their text
    assert ways.index("inbound") < len(ways) - 1  # the check-in text is older still
    assert "Is it long now?" in page.text and "</span> from them" in page.text
    assert "</span> to them" in page.text and ticket.code in page.text
    assert "•••" + ticket.phone[-4:] in page.text
    assert ticket.phone not in page.text and ticket.phone[2:] not in page.text
    with database.session() as s:
        looks = s.scalars(select(AuditEntry).where(AuditEntry.action == "messages.viewed")).all()
    assert len(looks) == 1


def test_one_visits_texts_by_its_code(manager, world):
    first, second = world.walk_in(), world.walk_in(which=1)
    page = manager.get(f"/console/messages?site=north&ticket={second.code}")
    assert page.status_code == 200
    assert f"Texts of {second.code}" in page.text
    assert "•••" + second.phone[-4:] in page.text and "•••" + first.phone[-4:] not in page.text
    assert "All the site's texts" in page.text


def test_another_sites_staff_are_refused(client, world, north, south, console_sign_in):
    world.walk_in()
    world.staff("sam@example.org", sites_=("south",))
    console_sign_in(client, "sam@example.org")
    page = client.get("/console/messages?site=north")
    assert page.status_code == 403
    assert "You do not work at this site." in page.text and "<tbody>" not in page.text
    assert client.get("/console/messages?site=atlantis").status_code == 404


@pytest.mark.parametrize("before", ["abc", "0", "-3", "1.5", "9" * 30])
def test_a_bad_before_is_named_not_a_failure(manager, before):
    page = manager.get(f"/console/messages?site=north&before={before}")
    assert page.status_code == 422
    assert "Some filters were not right" in page.text and "Older than" in page.text


@pytest.mark.parametrize("ticket", ["what", "Z-999"])
def test_a_bad_visit_filter_is_named(manager, ticket):
    page = manager.get(f"/console/messages?site=north&ticket={ticket}")
    assert page.status_code == 422 and "Visit:" in page.text


def test_older_texts_follow_on_the_next_page(manager, world, text_in, outbox):
    ticket = world.walk_in()
    for i in range(51):  # each is a text in and an answer out
        text_in(ticket.phone, f"Question {i}")
    first = manager.get("/console/messages?site=north")
    assert len(rows(first)) == 100
    older = re.search(r'href="([^"]+)" rel="next">Older', first.text).group(1)
    second = manager.get(older.replace("&amp;", "&"))
    assert second.status_code == 200 and len(rows(second)) == len(outbox()) - 100
    assert "Question 0" in second.text and "Question 50" not in second.text


def test_someone_at_two_sites_picks_one_and_reads_only_its_texts(
    client, world, north, south, console_sign_in
):
    at_north, at_south = world.walk_in(), world.walk_in("south", which=1)
    world.staff("lena@example.org", sites_=("north", "south"), role="site_lead")
    console_sign_in(client, "lena@example.org")
    first = client.get("/console/messages")
    assert '<select id="filter-site" name="site"' in first.text
    assert "•••" + at_north.phone[-4:] in first.text  # her first site, unasked
    south_page = client.get("/console/messages?site=south")
    assert '<option value="south" selected>' in south_page.text
    assert "•••" + at_south.phone[-4:] in south_page.text
    assert "•••" + at_north.phone[-4:] not in south_page.text


def test_texts_are_in_every_roles_navigation(manager):
    page = manager.get("/console/")
    assert 'href="/console/messages"' in page.text
    assert 'href="/console/phone"' in page.text  # the log backend: the phone page too


# ---- the phone page (log backend) ----


def test_a_reply_typed_on_the_phone_page_does_what_a_real_text_does(
    manager, world, database, outbox
):
    office_number(database)
    ticket = world.walk_in()
    page = manager.get("/console/phone?site=north")
    assert page.status_code == 200
    assert f"{ticket.code} · (617) 555-0123" in page.text  # staff see the whole number here
    assert f'value="{ticket.phone}"' in page.text
    assert page.text.index("You are checked in") < page.text.index("Text the office as")
    sent = reply(manager, page, ticket.phone, "STATUS")
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"?site=north&sent=0123#visit-{ticket.id}")
    assert [m.body for m in outbox(ticket.id) if m.direction == "inbound"] == ["STATUS"]
    assert outbox(ticket.id)[-1].kind == "answer"  # its answer waits in the outbox
    again = manager.get("/console/phone?site=north&sent=0123")
    assert "Sent from the number ending 0123" in again.text
    thread = again.text[again.text.index("You are checked in") :]
    assert thread.index("STATUS") < thread.index("Automatic answer")  # oldest first
    reply(manager, again, ticket.phone, "cancel")
    assert ticket_now(database, ticket.id).status == "cancelled"
    after = manager.get("/console/phone?site=north")
    assert "(visit ended)" in after.text  # its texts stay in view, the number now masked
    assert ticket.phone not in after.text


def test_a_text_from_a_number_not_in_line_is_answered(manager, world, database, outbox):
    office_number(database)
    page = manager.get("/console/phone?site=north")
    assert reply(manager, page, "(617) 555-0199", "HELP").status_code == 303
    [received, answer] = outbox()
    assert (received.direction, received.ticket_id, received.body) == ("inbound", None, "HELP")
    assert answer.direction == "outbound" and answer.phone == "+16175550199"
    after = manager.get("/console/phone?site=north")
    assert "•••0199 (not in line then)" in after.text and "HELP" in after.text


@pytest.mark.parametrize(
    ("number", "body", "said"),
    [
        ("", "HELP", "Give the number the text comes from"),
        ("not a phone", "HELP", "Not a phone number."),
        ("+1617555019", "HELP", "Give a mobile number"),
        ("(617) 555-0199", "   ", "Write the words of the text"),
        ("(617) 555-0199", "x" * 1601, "at most 1600 characters; this one has 1601"),
    ],
)
def test_a_wrong_number_or_text_is_named_and_nothing_is_sent(
    manager, world, database, outbox, number, body, said
):
    office_number(database)
    page = manager.get("/console/phone?site=north")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "site": "north", "number": number, "body": body,
            "reply_to": "other"}  # fmt: skip
    refused = manager.post("/console/phone", data=form)
    assert refused.status_code == 422 and said in refused.text
    assert 'aria-invalid="true"' in refused.text
    if body.strip():
        assert body[:40] in refused.text  # what was typed is kept, to correct
    assert outbox() == []


def test_without_the_sites_number_the_page_says_to_set_it_and_sends_nothing(
    manager, world, database, outbox
):
    ticket = world.walk_in()
    before = len(outbox())
    page = manager.get("/console/phone?site=north")
    assert page.status_code == 200 and "data-no-number" in page.text
    assert "Site settings page" in page.text and "<textarea" not in page.text
    refused = reply(manager, page, ticket.phone, "STATUS")
    assert refused.status_code == 422 and "has no number for texts yet" in refused.text
    assert len(outbox()) == before


def test_the_phone_page_is_not_for_another_sites_staff(
    client, world, north, south, console_sign_in, database
):
    office_number(database)
    ticket = world.walk_in()
    world.staff("sam@example.org", sites_=("south",))
    console_sign_in(client, "sam@example.org")
    page = client.get("/console/phone?site=north")
    assert page.status_code == 403 and ticket.phone not in page.text
    refused = reply(client, client.get("/console/phone?site=south"), ticket.phone, "CANCEL")
    assert refused.status_code == 403
    assert ticket_now(database, ticket.id).status == "waiting"


def test_a_reply_needs_the_pages_csrf_token(manager, world, database, outbox):
    office_number(database)
    ticket = world.walk_in()
    before = len(outbox())
    refused = manager.post(
        "/console/phone", data={"site": "north", "number": ticket.phone, "body": "CANCEL"}
    )
    assert refused.status_code == 303 and refused.headers["Location"].endswith("expired")
    assert len(outbox()) == before and ticket_now(database, ticket.id).status == "waiting"


def test_behind_a_public_url_the_reply_is_signed_for_that_url(
    settings, database, world, north, console_sign_in, outbox
):
    office_number(database)
    ticket = world.walk_in()
    public = dataclasses.replace(settings, public_url="https://frontdoor.example.org")
    app = create_app(public, migrate=False)
    app.config["TESTING"] = True
    client = app.test_client()
    world.staff()
    base = {"base_url": "https://frontdoor.example.org"}
    console_sign_in(client, "cm@example.org", **base)
    page = client.get("/console/phone?site=north", **base)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "site": "north", "number": ticket.phone, "body": "CANCEL"}
    assert client.post("/console/phone", data=form, **base).status_code == 303
    assert ticket_now(database, ticket.id).status == "cancelled"
    app.extensions["frontdoor"].database.dispose()


def test_with_twilio_there_is_no_phone_page(settings, database, world, north, console_sign_in):
    twilio = dataclasses.replace(
        settings, sms_backend="twilio", twilio_account_sid="AC" + "1" * 32,
        twilio_auth_token="t" * 32, twilio_from_number=OFFICE,
    )  # fmt: skip
    app = create_app(twilio, migrate=False)
    app.config["TESTING"] = True
    client = app.test_client()
    world.staff()
    console_sign_in(client, "cm@example.org")
    page = client.get("/console/phone?site=north")
    assert page.status_code == 404
    assert "The phone page is for trying texts without Twilio" in page.text
    token = re.search(r'"csrfToken": "([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "site": "north", "number": OFFICE, "body": "HELP"}
    assert client.post("/console/phone", data=form).status_code == 404
    home = client.get("/console/")
    assert 'href="/console/phone"' not in home.text and 'href="/console/messages"' in home.text
    app.extensions["frontdoor"].database.dispose()


def test_signed_out_the_pages_send_to_the_sign_in(client, world, north):
    for path in ("/console/messages", "/console/phone"):
        page = client.get(path)
        assert page.status_code == 302 and page.headers["Location"].endswith("/console/")


def test_a_text_typed_on_the_phone_page_is_audited_as_the_staff_members(manager, world, database):
    office_number(database)
    ticket = world.walk_in()
    page = manager.get("/console/phone?site=north")
    assert reply(manager, page, ticket.phone, "STATUS").status_code == 303
    with database.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "messages.typed_as"))
    assert entry.actor == "staff" and entry.ticket_id == ticket.id
    assert entry.detail == {"as": "•••" + ticket.phone[-4:]}


def test_the_phone_page_cannot_act_as_someone_in_line_at_another_office(
    manager, world, database, outbox
):
    office_number(database)
    world.site("south")
    other = world.walk_in("south")
    page = manager.get("/console/phone?site=north")
    refused = reply(manager, page, other.phone, "CANCEL")
    assert refused.status_code == 422 and "another office" in refused.text
    assert ticket_now(database, other.id).status == "waiting"
    assert [m for m in outbox() if m.direction == "inbound"] == []


def test_a_visit_is_found_by_its_code_or_its_number_and_a_row_links_to_it(manager, world, text_in):
    first, second = world.walk_in(), world.walk_in(which=1)
    text_in(second.phone, "on my way")
    number = str(int(second.code.split("-")[-1]))
    for typed in (second.code, number, number.zfill(3)):
        page = manager.get(f"/console/messages?site=north&ticket={typed}")
        assert page.status_code == 200 and f"Texts of {second.code}" in page.text, typed
        assert "on my way" in page.text
    linked = manager.get(f"/console/messages?site=north&visit={first.id}")
    assert f"Texts of {first.code}" in linked.text and "on my way" not in linked.text
