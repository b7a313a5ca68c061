"""The lobby screen and the person's phone tell the truth too, and a kiosk can print a
ticket: in a real browser against a real server."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import update

from queue_service.models import Site
from queue_service.persistence.database import Database

pytestmark = pytest.mark.slow

HTML_LANGS = {"en", "es", "pt-BR", "ht", "zh-Hans", "vi"}


@pytest.fixture(scope="module")
def server(own_server):  # type: ignore[no-untyped-def]
    """This module's own server: north, south and west open day and night; south prints."""
    # No command or API turns printing on yet: the site's row does.
    database = Database(f"sqlite:///{own_server.log.parent / 'frontdoor.sqlite3'}")
    with database.session() as session:
        session.execute(update(Site).where(Site.slug == "south").values(print_tickets=True))
        session.commit()
    database.dispose()
    return own_server


def change_site(lead, site: str, **changes) -> None:  # type: ignore[no-untyped-def]
    response = requests.patch(f"{lead.base}/api/v1/sites/{site}", json=changes,
                              headers=lead.headers, timeout=10)  # fmt: skip
    assert response.status_code == 200, response.text


def at_least_44_px(locator) -> bool:  # type: ignore[no-untyped-def]
    box = locator.bounding_box()
    return box is not None and box["width"] >= 44 and box["height"] >= 44


def test_the_lobby_screen_speaks_every_language_the_site_offers_and_fills_the_tv(
    browser, server, check_in, manager, axe
):
    maria = manager("maria@example.org", desk="3")
    check_in(name="Zelda Quartermain", needs=["legal"])
    called = maria.call_next()
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen.clock.install()
    screen.goto(f"{server.base}/display/north")
    label = screen.locator("#now-label")
    heard = {}
    for _ in range(len(HTML_LANGS)):
        heard[label.get_attribute("lang")] = label.inner_text()
        screen.clock.run_for(6500)
    assert set(heard) == HTML_LANGS
    assert len(set(heard.values())) == len(HTML_LANGS), "each language in its own words"
    expect(screen.locator("[data-field=latest-code]")).to_have_text(called["code"])
    sizes = screen.evaluate("""() => ({
        code: parseFloat(getComputedStyle(document.querySelector('.now-calling .code')).fontSize),
        label: parseFloat(getComputedStyle(document.querySelector('#now-label')).fontSize),
        height: document.documentElement.scrollHeight,
        width: document.documentElement.scrollWidth})""")
    # From five metres: codes some 20 cm tall on a 55-inch TV, labels over 5 cm.
    assert sizes["code"] >= 200 and sizes["label"] >= 64, sizes
    assert sizes["height"] <= 1080 and sizes["width"] <= 1920, "fills the screen, no scrolling"
    assert "Zelda" not in screen.content() and "legal" not in screen.inner_text("body")
    assert axe(screen) == []
    screen.close()
    maria.end_every_visit()
    maria.duty(False)


def test_the_phone_page_has_988_and_911_a_tap_away_and_says_how_the_office_is(
    phone, server, check_in, manager, axe
):
    ticket = check_in(language="en")
    phone.goto(ticket["status_url"])
    office = phone.locator("[data-field=office]")
    expect(office).to_have_text("No case manager is on duty yet. We are getting one.")
    for href in ("tel:988", "sms:988", "tel:911"):
        link = phone.locator(f'#crisis-title ~ .crisis-links a[href="{href}"]')
        expect(link).to_be_visible()
        assert at_least_44_px(link), href
    assert axe(phone) == []

    lena = manager("lena@example.org", site="west")
    waiting_at_west = check_in(site="west", language="en")
    today = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    change_site(
        lena, "west", hours="mon-fri 09:00-17:00", closures=[{"date": today, "reason": "Snow"}]
    )
    try:
        phone.goto(waiting_at_west["status_url"])
        office = phone.locator("[data-field=office]")
        closed = re.compile(r"^We are closed now\. Closed today: Snow We open \w+")
        expect(office).to_contain_text(closed)
        expect(office.locator(".closure")).to_have_text("Closed today: Snow")
    finally:
        change_site(lena, "west", hours="always", closures=[])
        lena.end_every_visit()


def test_where_the_site_prints_tickets_the_kiosk_prints_a_small_one(tablet, server):
    tablet.goto(f"{server.base}/kiosk/north/en")
    assert tablet.locator("[data-action=print]").count() == 0, "north does not print"
    tablet.goto(f"{server.base}/kiosk/south/en")
    tablet.click("[data-step=needs] [data-action=next]")
    tablet.click("[data-step=name] [data-action=skip]")
    with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")) as answer:
        tablet.click("[data-step=phone] [data-action=skip]")
    code = answer.value.json()["ticket"]["code"]
    button = tablet.locator("[data-action=print]")
    expect(button).to_have_text("Print my ticket")
    assert at_least_44_px(button)
    # The browser's own print call is what reaches the receipt printer (--kiosk-printing).
    tablet.evaluate(
        "() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; }"
    )
    button.click()
    assert tablet.evaluate("window.printed") == 1

    tablet.emulate_media(media="print")
    ticket = tablet.locator("[data-step=ticket]")
    expect(ticket.locator(".code")).to_have_text(code)
    expect(ticket.locator("[data-field=qr]")).to_be_visible()
    expect(tablet.locator("footer.crisis-footer")).to_contain_text("988")
    expect(tablet.locator(".site-name")).to_be_visible()
    for hidden in ("[data-step=ticket] .safety", ".kiosk-nav", "[data-step=ticket] .actions"):
        expect(tablet.locator(hidden)).to_be_hidden()
    width = tablet.evaluate("document.body.getBoundingClientRect().width")
    assert width <= 80 / 25.4 * 96, "fits 80 mm receipt paper"
