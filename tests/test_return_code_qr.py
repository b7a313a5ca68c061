"""A ticket holder's return code as a QR (/t/{token}/return-code.svg), for the kiosk's camera
next time: "FD" and the code, only while the visit keeps the code, never cached; and the
kiosk and ticket pages show it in the person's language."""

from __future__ import annotations

import re

import pytest
import qrcode

from kiosk.qr import BORDER, return_code_payload


@pytest.fixture
def manager(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff(on_duty_at="north")
    return sign_in("cm@example.org")


def drawn_matrix(svg: str, size: int) -> list[list[bool]]:
    drawn = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        for dx in range(int(width)):
            drawn[int(y) - BORDER][int(x) - BORDER + dx] = True
    return drawn


def test_the_qr_holds_fd_and_the_code_without_its_dash(north, api):
    ticket = api.check_in().get_json()["ticket"]
    code = ticket["return_code"]
    response = api.client.get(f"/t/{ticket['token']}/return-code.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "no-store" in response.headers["Cache-Control"]
    expected = qrcode.QRCode(border=0, mask_pattern=0)
    expected.add_data("FD" + code.replace("-", ""))
    expected.make(fit=True)
    matrix = expected.get_matrix()
    assert drawn_matrix(response.get_data(as_text=True), len(matrix)) == matrix


def test_the_payload_is_what_the_kiosk_reads_back(north, api):
    first = api.check_in().get_json()["ticket"]
    scanned = return_code_payload(first["return_code"])
    assert scanned.startswith("FD") and "-" not in scanned
    again = api.check_in(return_code=scanned).get_json()
    assert again["return_code_found"] is True
    assert again["ticket"]["return_code"] == first["return_code"]


def test_no_qr_once_the_visit_closed_and_none_for_an_unknown_ticket(north, api, manager):
    ticket = api.check_in().get_json()["ticket"]
    called = api.call_next(manager).get_json()["ticket"]
    api.move(manager, called["id"], "start")
    api.move(manager, called["id"], "complete", outcome="resolved")
    assert api.client.get(f"/t/{ticket['token']}/return-code.svg").status_code == 404
    assert api.client.get("/t/NoSuchTicketAtAll0000000/return-code.svg").status_code == 404
    page = api.client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert "return-code.svg" not in page.split('id="ticket-data"')[0]


def test_the_ticket_page_shows_the_code_and_its_qr_in_the_persons_language(north, api):
    ticket = api.check_in(language="es").get_json()["ticket"]
    page = api.client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert (
        f'Su código de regreso: <strong class="return-code-value">{ticket["return_code"]}' in page
    )
    assert f'src="/t/{ticket["token"]}/return-code.svg"' in page


def test_the_kiosk_has_the_return_code_step_after_the_safety_button(north, client):
    page = client.get("/kiosk/north/en").get_data(as_text=True)
    needs = page[page.index('data-step="needs"') : page.index('data-step="code"')]
    assert needs.index('data-action="help"') < needs.index('data-action="return-code"')
    code_step = page[page.index('data-step="code"') : page.index('data-step="name"')]
    assert 'autocomplete="off"' in code_step and 'inputmode="text"' in code_step
    assert "Go on without it" in code_step


def test_only_the_kiosks_check_in_page_may_use_the_camera(north, client, api):
    kiosk = client.get("/kiosk/north/en")
    assert kiosk.headers["Permissions-Policy"] == "camera=(self), microphone=(), geolocation=()"
    ticket = api.check_in().get_json()["ticket"]
    for url in ("/kiosk/north", f"/t/{ticket['token']}", "/display/north"):
        assert "camera=()" in client.get(url).headers["Permissions-Policy"], url
