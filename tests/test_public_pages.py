"""The public pages tell the truth: the office's state in the page, each language's own crisis
lines, the day's close said honestly; and they stay light for a slow lobby tablet."""

import json
import re
from datetime import timedelta

import brotli
import pytest

from queue_service.clock import utcnow
from queue_service.services import service_day, sites

pytestmark = pytest.mark.usefixtures("north")

# The English word a caller says to 988 for an interpreter, kept in English in every catalog.
INTERPRETER_WORD = {
    "pt": "Portuguese",
    "ht": "Haitian Creole",
    "zh": "Mandarin",
    "vi": "Vietnamese",
}


def kiosk_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="kiosk-data">(.*?)</script>', page, re.S)
    assert found, "the kiosk page carries its data"
    return json.loads(found.group(1))


def test_the_kiosk_page_comes_with_the_office_as_it_is_now(api):
    page = api.client.get("/kiosk/north/en").get_data(as_text=True)
    served = kiosk_data(page)["office"]
    asked = api.client.get("/api/v1/sites/north/status").get_json()
    assert served["state"] == asked["state"] == "unstaffed", "open day and night, nobody on duty"
    assert served["hours"] == asked["hours"] == "always"


@pytest.mark.parametrize("language", sorted(INTERPRETER_WORD))
def test_languages_988_has_no_text_line_for_are_told_to_call_and_ask_for_an_interpreter(
    api, language
):
    page = api.client.get(f"/kiosk/north/{language}").get_data(as_text=True)
    assert f"“{INTERPRETER_WORD[language]}”" in page, "the English word to say, quoted"
    assert "AYUDA" not in page, "the Spanish instruction is Spanish speakers' alone"
    assert 'href="sms:' not in page


def test_spanish_speakers_are_told_to_press_2_or_text_ayuda(api):
    page = api.client.get("/kiosk/north/es").get_data(as_text=True)
    assert "AYUDA" in page and "988" in page and "911" in page


def test_the_language_screen_carries_each_languages_own_988_line(api):
    page = api.client.get("/kiosk/north").get_data(as_text=True)
    footer = page[page.index('<footer class="crisis-footer') :]
    lines = re.findall(r'<p lang="([^"]+)">([^<]+)</p>', footer)
    assert [lang for lang, _ in lines] == ["en", "es", "pt-BR", "ht", "zh-Hans", "vi"]
    assert all("988" in text for _, text in lines)
    assert len({text for _, text in lines}) == 6, "one message per language"


def test_the_ticket_page_offers_988_and_911_at_a_tap(api):
    ticket = api.check_in(language="vi").get_json()["ticket"]
    page = api.client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    for link in ('href="tel:988"', 'href="sms:988"', 'href="tel:911"'):
        assert link in page
    assert "“Vietnamese”" in page


def test_when_the_day_closes_first_the_ticket_page_says_so_not_that_they_left(api):
    ticket = api.check_in(language="en").get_json()["ticket"]
    database = api.client.application.extensions["frontdoor"].database
    with database.session() as session:
        # Office hours with a night in them (a site open day and night has no day to close).
        sites.update_site(session, "north", {"hours": "mon-sun 06:00-22:00"})
    with database.session() as session:
        service_day.sweep(session, now=utcnow() + timedelta(days=1))
    page = api.client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    status = re.search(r'data-field="status"[^>]*>([^<]*)<', page).group(1)
    assert status == "The office closed before we could see you today."


def test_an_error_page_speaks_the_crisis_line_of_its_language(api):
    page = api.client.get("/t/NoSuchTicketAtAll0000000", headers={"Accept-Language": "pt-BR"})
    assert page.status_code == 404
    assert "“Portuguese”" in page.get_data(as_text=True)


def versioned(page: str, name: str) -> str:
    found = re.search(rf'"(/static/kiosk/{re.escape(name)}\?v=[0-9a-f]{{12}})"', page)
    assert found, f"{name} is linked with its content hash"
    return found.group(1)


def test_static_files_are_versioned_and_cached_for_good_while_pages_never_are(api):
    page = api.client.get("/kiosk/north/en")
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    for name in ("frontdoor.css", "common.js", "kiosk-office.js", "kiosk.js"):
        response = api.client.get(versioned(html, name))
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # An old page asking for another version (or none) gets the file, checked each time.
    for url in ("/static/kiosk/kiosk.js?v=000000000000", "/static/kiosk/kiosk.js"):
        cache = api.client.get(url).headers.get("Cache-Control", "")
        assert "immutable" not in cache and "no-store" not in cache


def test_a_changed_file_gets_a_new_url(tmp_path):
    from web_kernel import assets

    first = tmp_path / "a.js"
    first.write_text("one")
    before = assets.digest(first)
    first.write_text("two, longer")
    assert assets.digest(first) != before


def test_public_text_is_compressed_and_the_console_is_not(api):
    br = {"Accept-Encoding": "br"}
    page = api.client.get("/kiosk/north/en", headers=br)
    assert page.headers["Content-Encoding"] == "br"
    assert b"kiosk-data" in brotli.decompress(page.data)
    script = api.client.get(
        versioned(brotli.decompress(page.data).decode(), "kiosk.js"), headers=br
    )
    assert script.headers["Content-Encoding"] == "br"
    assert b"askForHelp" in brotli.decompress(script.get_data())
    # A console page carries a CSRF token beside what visitors typed: never compressed.
    console = api.client.get("/console/", headers=br)
    assert "Content-Encoding" not in console.headers


def test_the_socket_io_client_is_versioned_too(api):
    ticket = api.check_in(language="en").get_json()["ticket"]
    page = api.client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    url = re.search(r'"(/assets/socket\.io\.min\.js\?v=[0-9a-f]{12})"', page)
    assert url, "the ticket page links the client with its content hash"
    response = api.client.get(url.group(1))
    if response.status_code == 404:
        pytest.skip("the Socket.IO client is not installed here (npm ci)")
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def help_panel_tag(page: str) -> str:
    return re.search(r"<section class=\"help-panel\"[^>]*>", page).group(0)


def test_a_person_who_asked_for_help_is_told_so_on_their_own_ticket_after_a_reload(api):
    asked = api.check_in(language="en", urgent=True).get_json()["ticket"]
    other = api.check_in(language="en").get_json()["ticket"]
    assert asked["help_requested"] is True and other["help_requested"] is False
    read = api.client.get(f"/api/v1/tickets/{asked['token']}").get_json()["ticket"]
    assert read["help_requested"] is True
    # The page of a reload: the panel with the crisis lines from the first paint.
    page = api.client.get(f"/t/{asked['token']}").get_data(as_text=True)
    assert " hidden" not in help_panel_tag(page)
    assert " hidden" in help_panel_tag(
        api.client.get(f"/t/{other['token']}").get_data(as_text=True)
    )


def test_help_asked_from_the_phone_stays_on_that_ticket_and_tells_no_one_else(api):
    mine, theirs = (api.check_in(language="es").get_json()["ticket"] for _ in range(2))
    helped = api.client.post(f"/api/v1/tickets/{mine['token']}/help").get_json()["ticket"]
    assert helped["help_requested"] is True
    again = api.client.get(f"/api/v1/tickets/{mine['token']}").get_json()["ticket"]
    assert again["help_requested"] is True
    other = api.client.get(f"/api/v1/tickets/{theirs['token']}").get_json()["ticket"]
    assert other["help_requested"] is False, "another person's ticket says nothing of it"


def test_after_the_visit_a_reload_shows_the_help_button_not_the_panel(api, world):
    asked = api.check_in(language="en", urgent=True).get_json()["ticket"]
    api.client.post(f"/api/v1/tickets/{asked['token']}/cancel")
    page = api.client.get(f"/t/{asked['token']}").get_data(as_text=True)
    assert " hidden" in help_panel_tag(page), "out of line: nobody is on the way to them"
