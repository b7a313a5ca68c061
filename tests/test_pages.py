"""Pages: right language, friendly when something is missing, and safe headers."""

import pytest

pytestmark = pytest.mark.usefixtures("north")


def test_pages_about_a_ticket_are_never_cached_and_allow_no_third_parties(api):
    ticket = api.check_in().get_json()["ticket"]
    for path in (
        "/kiosk/north",
        "/kiosk/north/es",
        f"/t/{ticket['token']}",
        f"/t/{ticket['token']}/qr.svg",
        "/display/north",
    ):
        response = api.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "http" not in policy, "nothing from elsewhere"


def test_static_assets_may_be_cached(api):
    response = api.client.get("/static/kiosk/kiosk.js")
    assert response.status_code == 200 and "no-store" not in response.headers.get(
        "Cache-Control", ""
    )


def test_a_language_the_site_does_not_offer_is_a_friendly_404(api):
    response = api.client.get("/kiosk/north/fr")
    assert response.status_code == 404 and b"<h1>" in response.data


def test_the_ticket_page_speaks_the_ticket_language_and_can_switch(api):
    ticket = api.check_in(language="pt").get_json()["ticket"]
    page = api.client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert 'lang="pt-BR"' in page
    switched = api.client.get(f"/t/{ticket['token']}?lang=vi").get_data(as_text=True)
    assert 'lang="vi"' in switched


def test_the_lobby_screen_page_carries_no_names_or_needs(api, world, sign_in):
    world.staff("maria@example.org", on_duty_at="north", desk="4")
    api.check_in(name="Zelda Quartermain", needs=["legal"], phone="6175550199")
    api.call_next(sign_in("maria@example.org"))
    page = api.client.get("/display/north").get_data(as_text=True)
    assert "A-001" in page
    for private in ("Zelda", "Quartermain", "legal", "0199"):
        assert private not in page


def test_a_site_without_english_still_offers_help_in_its_own_languages(api, world, south):
    from queue_service.models import Site

    with world.database.session() as s:
        site = s.query(Site).filter_by(slug="south").one()
        site.languages = ["es", "pt"]
        s.commit()
    page = api.client.get("/kiosk/south").get_data(as_text=True)
    assert "/kiosk/south/es?help=now" in page and "/kiosk/south/pt?help=now" in page
    assert "/kiosk/south/en" not in page
    assert api.client.get("/kiosk/south/es?help=now").status_code == 200


def test_an_unknown_lang_on_the_ticket_page_falls_back_to_the_tickets_language(api):
    ticket = api.check_in(language="vi").get_json()["ticket"]
    page = api.client.get(f"/t/{ticket['token']}?lang=xx").get_data(as_text=True)
    assert 'lang="vi"' in page
