"""Browser tests: Debian's Chromium driven by Playwright, against a real `frontdoor serve`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import requests

from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
from queue_service.services import sites, staff
from tests.conftest import PASSWORD, start_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
IDLE_SECONDS = 8
WARN_SECONDS = 5
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: apt-get install chromium")
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def serve_seeded(folder: Path, **env: str):  # type: ignore[no-untyped-def]
    """A server on a fresh database: sites 'north' and 'south', Maria and Jean at north, Sam
    at south (all with the test password)."""
    url = f"sqlite:///{folder / 'frontdoor.sqlite3'}"
    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        sites.create_site(session, "north", name="North Site Office")
        sites.create_site(session, "south", name="South Site Office")
        staff.create_staff(session, "sam@example.org", name="Sam", role="case_manager",
                           site_slugs=["south"], password=PASSWORD)  # fmt: skip
        for email, languages in (
            ("maria@example.org", ["en", "es"]),
            ("jean@example.org", ["en", "ht"]),
        ):
            staff.create_staff(session, email, name=email.split("@")[0].title(),
                               role="case_manager", site_slugs=["north"], password=PASSWORD,
                               languages=languages)  # fmt: skip
    database.dispose()
    return start_server(url, folder / "instance", **env)


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The seeded server, for the whole module."""
    running = serve_seeded(tmp_path_factory.mktemp("e2e"),
                           FRONTDOOR_KIOSK_IDLE_SECONDS=str(IDLE_SECONDS),
                           FRONTDOOR_KIOSK_WARN_SECONDS=str(WARN_SECONDS))  # fmt: skip
    yield running
    running.stop()


class Manager:
    """A case manager working through the API while the browser shows what people see."""

    def __init__(self, base: str, email: str, desk: str):
        self.base = base
        response = requests.post(
            f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=10
        )
        self.headers = {"Authorization": f"Bearer {response.json()['token']}"}
        requests.put(
            f"{base}/api/v1/sites/north/duty",
            json={"on_duty": True, "desk": desk},
            headers=self.headers,
            timeout=10,
        ).raise_for_status()

    def call_next(self) -> dict:
        response = requests.post(
            f"{self.base}/api/v1/sites/north/queue/next", headers=self.headers, timeout=10
        )
        assert response.status_code == 200, response.text
        return response.json()["ticket"]

    def queue(self) -> list[dict]:
        response = requests.get(
            f"{self.base}/api/v1/sites/north/queue", headers=self.headers, timeout=10
        )
        return response.json()["tickets"]

    def call_all(self) -> None:
        """Empty the line so each test starts from people it checked in itself."""
        while (
            requests.post(
                f"{self.base}/api/v1/sites/north/queue/next", headers=self.headers, timeout=10
            ).status_code
            == 200
        ):
            pass


@pytest.fixture(scope="module")
def maria(server) -> Manager:  # type: ignore[no-untyped-def]
    return Manager(server.base, "maria@example.org", desk="3")


@pytest.fixture
def tablet(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=TABLET)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Serious and critical WCAG 2.x A/AA findings of axe-core on the page as it is now."""
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail("axe-core missing: scripts/setup runs npm ci")
        pytest.skip("axe-core not installed (npm ci)")
    if not page.evaluate("Boolean(window.axe)"):
        # Through DevTools, not a <script> tag: the page's CSP rightly refuses inline scripts.
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:120] for n in v["nodes"]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


__all__ = ["PHONE", "TABLET", "Manager", "axe_violations", "shutil"]
