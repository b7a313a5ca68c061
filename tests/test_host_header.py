"""The Host header decides nothing: with a public URL every link and QR code is made from it,
and a request for any other host name is refused (the demo and the tests' app, without one,
use the request's own host)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from frontdoor.app import create_app
from kiosk.qr import qr_svg
from queue_service.models import Ticket

PUBLIC = "https://frontdoor.example"


@pytest.fixture
def behind(settings, database):  # type: ignore[no-untyped-def]
    """behind(**settings): the app behind its public URL, with those settings changed."""
    made = []

    def make(**changes):  # type: ignore[no-untyped-def]
        flask_app = create_app(
            dataclasses.replace(settings, public_url=PUBLIC, **changes), migrate=False
        )
        flask_app.config["TESTING"] = True
        made.append(flask_app)
        return flask_app

    yield make
    for flask_app in made:
        flask_app.extensions["frontdoor"].database.dispose()


@pytest.fixture
def public_app(behind):  # type: ignore[no-untyped-def]
    return behind()


class _AsHost:
    """The test client, every request of it for one Host."""

    def __init__(self, app, host: str) -> None:  # type: ignore[no-untyped-def]
        self._client, self._host = app.test_client(), host

    def get(self, path: str, **kw):  # type: ignore[no-untyped-def]
        return self._client.get(path, headers={"Host": self._host, **kw.pop("headers", {})}, **kw)

    def post(self, path: str, **kw):  # type: ignore[no-untyped-def]
        return self._client.post(path, headers={"Host": self._host, **kw.pop("headers", {})}, **kw)


def _client(app, host: str) -> _AsHost:  # type: ignore[no-untyped-def]
    return _AsHost(app, host)


def _check_in(client):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/sites/north/check-ins", json={"language": "en"})


def test_a_check_in_for_another_host_is_refused_and_writes_nothing(
    public_app, north, database, assert_contract_error
):
    for host in ("evil.example", "frontdoor.example.evil.example", "127.0.0.1:5000", ""):
        refused = _check_in(_client(public_app, host))
        assert_contract_error(refused, 400, "unknown_host")
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 0


def test_links_and_the_qr_code_come_from_the_public_url(public_app, north):
    client = _client(public_app, "FrontDoor.Example:443")
    answer = client.post("/api/v1/sites/north/check-ins?qr=svg", json={"language": "en"})
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["ticket"]["status_url"].startswith(f"{PUBLIC}/t/")
    assert body["qr_svg"] == qr_svg(body["ticket"]["status_url"])


def test_an_allowed_second_name_is_answered_with_links_to_the_public_url(behind, north):
    answer = _check_in(_client(behind(allowed_hosts=("frontdoor.internal",)), "frontdoor.internal"))
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["ticket"]["status_url"].startswith(f"{PUBLIC}/t/")


def test_set_password_links_come_from_the_public_url(public_app, world, north, password):
    world.staff("ada@example.org", role="admin")
    client = _client(public_app, "frontdoor.example")
    signed_in = client.post(
        "/api/v1/auth/login", json={"email": "ada@example.org", "password": password}
    )
    token = signed_in.get_json()["token"]
    invited = client.post(
        "/api/v1/staff",
        json={"email": "cam@example.org", "name": "Cam Reyes", "role": "case_manager",
              "sites": ["north"], "languages": ["en"]},
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert invited.status_code == 201, invited.get_json()
    assert invited.get_json()["set_password_url"].startswith(f"{PUBLIC}/console/set-password/")


def test_load_balancers_probe_by_address(public_app):
    client = _client(public_app, "10.0.0.7:5000")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz/../api/v1/sites/north/status").status_code == 400


def test_socket_io_is_checked_too(public_app, north):
    polling = "/socket.io/?EIO=4&transport=polling"
    assert _client(public_app, "evil.example").get(polling).status_code == 400
    assert _client(public_app, "frontdoor.example").get(polling).status_code == 200


def test_behind_a_proxy_the_forwarded_host_is_checked(behind, north):
    client = _client(behind(proxy_hops=1), "10.0.0.7:5000")  # the proxy's name for the server
    forwarded = client.post(
        "/api/v1/sites/north/check-ins", json={"language": "en"},
        headers={"X-Forwarded-Host": "frontdoor.example", "X-Forwarded-Proto": "https"},
    )  # fmt: skip
    assert forwarded.status_code == 201, forwarded.get_json()
    spoofed = client.post(
        "/api/v1/sites/north/check-ins", json={"language": "en"},
        headers={"X-Forwarded-Host": "evil.example"},
    )  # fmt: skip
    assert spoofed.status_code == 400
