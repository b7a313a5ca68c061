"""Browser tests: Debian's Chromium driven by Playwright, against a real `frontdoor serve`.

Everything the browser modules share is here, as fixtures (and, for modules written before
that, as module-level names): test modules never import one another.
"""

from __future__ import annotations

import inspect
import itertools
import os
import threading
from pathlib import Path

import pytest
import requests

from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
from queue_service.services import sites, staff
from tests.support import PASSWORD, start_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
IDLE_SECONDS = 8
WARN_SECONDS = 5
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}  # the console must work on a plain office laptop
AXE = Path(__file__).parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
LIVE = 1000  # ms: what one manager does shows on every other console within a second


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


def _create_site(session, slug: str, name: str, **hours: str):  # type: ignore[no-untyped-def]
    # Open day and night where the server knows office hours, so that tests run at any hour
    # check people in; the tests of hours set their own on the site 'west'.
    if "hours" in inspect.signature(sites.create_site).parameters:
        return sites.create_site(session, slug, name=name, **{"hours": "always", **hours})
    return sites.create_site(session, slug, name=name)


def serve_seeded(folder: Path, **env: str):  # type: ignore[no-untyped-def]
    """A server on a fresh database: sites 'north', 'south' and 'west' (open at all hours);
    Maria and Jean, case managers at north; Sam at south; Lena, site lead of north and west;
    Ada, administrator of north (all with the test password)."""
    url = f"sqlite:///{folder / 'frontdoor.sqlite3'}"
    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        _create_site(session, "north", "North Site Office")
        _create_site(session, "south", "South Site Office")
        _create_site(session, "west", "West Site Office")
        people = (
            ("sam@example.org", "case_manager", ["south"], ["en"]),
            ("maria@example.org", "case_manager", ["north"], ["en", "es"]),
            ("jean@example.org", "case_manager", ["north"], ["en", "ht"]),
            ("lena@example.org", "site_lead", ["north", "west"], ["en"]),
            ("ada@example.org", "admin", ["north"], ["en"]),
        )
        for email, role, at, languages in people:
            staff.create_staff(session, email, name=email.split("@")[0].title(), role=role,
                               site_slugs=at, password=PASSWORD, languages=languages)  # fmt: skip
    database.dispose()
    # One proxy hop: a test may say which address a check-in came from (X-Forwarded-For),
    # so the urgent-burst rule counts each test's kiosk apart.
    return start_server(url, folder / "instance", **{"FRONTDOOR_PROXY_HOPS": "1", **env})


@pytest.fixture(scope="session")
def serve():  # type: ignore[no-untyped-def]
    """For a module that needs its own server settings: `serve(folder, FRONTDOOR_X="1")`."""
    return serve_seeded


@pytest.fixture(scope="module")
def own_server(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A module's own seeded server, so a test may change a site's hours or settings without
    touching another module's; its kiosk idle time (60 s) is longer than any test reads a
    screen, so no "Are you still there?" comes up. A module takes it as its `server`."""
    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    running = serve_seeded(folder, FRONTDOOR_KIOSK_IDLE_SECONDS="60")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The seeded server, for the whole module."""
    running = serve_seeded(tmp_path_factory.mktemp("e2e"),
                           FRONTDOOR_KIOSK_IDLE_SECONDS=str(IDLE_SECONDS),
                           FRONTDOOR_KIOSK_WARN_SECONDS=str(WARN_SECONDS))  # fmt: skip
    yield running
    running.stop()


class Manager:
    """A staff member working through the API while the browser shows what people see."""

    def __init__(self, base: str, email: str, desk: str | None, site: str = "north"):
        self.base = base
        self.site = site
        response = requests.post(
            f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=10
        )
        self.token = response.json()["token"]
        self.headers = {"Authorization": f"Bearer {self.token}"}
        if desk is not None:
            self.duty(True, desk)

    def duty(self, on: bool, desk: str | None = None) -> dict:
        response = requests.put(f"{self.base}/api/v1/sites/{self.site}/duty",
                                json={"on_duty": on, "desk": desk} if on else {"on_duty": False},
                                headers=self.headers, timeout=10)  # fmt: skip
        response.raise_for_status()
        return response.json()

    def call_next(self) -> dict:
        response = requests.post(
            f"{self.base}/api/v1/sites/{self.site}/queue/next", headers=self.headers, timeout=10
        )
        assert response.status_code == 200, response.text
        return response.json()["ticket"]

    def queue(self) -> list[dict]:
        response = requests.get(
            f"{self.base}/api/v1/sites/{self.site}/queue", headers=self.headers, timeout=10
        )
        return response.json()["tickets"]

    def call_all(self) -> None:
        """Empty the line so each test starts from people it checked in itself."""
        while (
            requests.post(
                f"{self.base}/api/v1/sites/{self.site}/queue/next",
                headers=self.headers,
                timeout=10,
            ).status_code
            == 200
        ):
            pass

    def end_every_visit(self) -> None:
        """Cancel every open visit at the site: the module's server is shared by its tests."""
        for ticket in self.queue():
            requests.post(f"{self.base}/api/v1/tickets/{ticket['id']}/transitions",
                          json={"action": "cancel"}, headers=self.headers, timeout=10)  # fmt: skip

    def acknowledge_every_alert(self) -> None:
        for ticket in self.queue():
            if ticket["urgent"] and ticket["alert"] and not ticket["alert"]["acknowledged"]:
                requests.post(f"{self.base}/api/v1/tickets/{ticket['id']}/acknowledge",
                              json={}, headers=self.headers, timeout=10)  # fmt: skip

    def follow_up_every_unseen(self) -> None:
        """As the site's lead: close each urgent visit nobody saw, as a follow-up does (an
        acknowledgement may be refused while a colleague on duty is free)."""
        unseen = requests.get(f"{self.base}/api/v1/sites/{self.site}/urgent-not-seen",
                              headers=self.headers, timeout=10).json()["tickets"]  # fmt: skip
        for ticket in unseen:
            requests.post(f"{self.base}/api/v1/tickets/{ticket['id']}/follow-up",
                          json={"note": "Clean-up"}, headers=self.headers, timeout=10)  # fmt: skip


@pytest.fixture(scope="module")
def maria(server) -> Manager:  # type: ignore[no-untyped-def]
    return Manager(server.base, "maria@example.org", desk="3")


@pytest.fixture
def manager(server):  # type: ignore[no-untyped-def]
    """A factory: `manager("jean@example.org", desk="5")` signs someone in through the API."""
    return lambda email, desk=None, site="north": Manager(server.base, email, desk, site)


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


@pytest.fixture
def console_of(browser, server):  # type: ignore[no-untyped-def]
    """A factory: a signed-in console page per staff member, each in its own browser, on a
    1366x768 screen; with `desk`, the member starts duty there from the page."""
    from playwright.sync_api import expect

    contexts = []

    def open_console(email: str, desk: str | None = None):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=LAPTOP)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server.base}/console/")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("[data-console]")).to_be_visible()
        expect(page.locator("[data-connection]")).to_have_text("Live.")
        if desk:
            page.fill("#desk", desk)
            page.click("[data-duty-start]")
            expect(page.locator("[data-my-duty]")).to_contain_text(f"desk {desk}")
        return page

    yield open_console
    for context in contexts:
        context.close()


_kiosks = itertools.count(1)


@pytest.fixture
def empty_line(manager):  # type: ignore[no-untyped-def]
    """Start a test from an empty line with no alert standing: the module's server is shared.
    (`pytestmark = pytest.mark.usefixtures("empty_line")` in a module that wants it.)"""
    lena = manager("lena@example.org")
    lena.acknowledge_every_alert()
    lena.end_every_visit()
    lena.follow_up_every_unseen()


@pytest.fixture
def row():  # type: ignore[no-untyped-def]
    """`row(page, code)`: the ticket's row in the console's line (waiting or with someone)."""
    return lambda page, code: page.locator(f"tr[data-code='{code}']")


@pytest.fixture
def card():  # type: ignore[no-untyped-def]
    """`card(page, code)`: the ticket's card under "With me"."""
    return lambda page, code: page.locator(f"[data-card][data-code='{code}']")


@pytest.fixture
def text_to_office(server):  # type: ignore[no-untyped-def]
    """text_to_office(phone, body): a person's text reaching the server's SMS webhook, signed
    as Twilio would with the server's own webhook token (the log backend's)."""
    import uuid

    import requests
    from twilio.request_validator import RequestValidator

    from web_kernel.settings import Settings

    def send(phone: str, body: str) -> None:
        instance = server.log.parent / "instance"
        token = Settings.from_env({"FRONTDOOR_INSTANCE_PATH": str(instance)}).webhook_token
        url = f"{server.base}/webhooks/twilio/sms"
        form = {"MessageSid": f"SM{uuid.uuid4().hex}", "From": phone, "To": "+16175550100",
                "Body": body}  # fmt: skip
        signature = RequestValidator(token).compute_signature(url, form)
        answer = requests.post(url, data=form, headers={"X-Twilio-Signature": signature})
        assert answer.status_code == 200, answer.text

    return send


def check_in_by_api(base: str, site: str = "north", origin: str | None = None, **body) -> dict:  # type: ignore[no-untyped-def]
    """A check-in as a kiosk sends it; from its own address (a documentation address, only
    ever a header) unless `origin` names one."""
    origin = origin or f"203.0.113.{next(_kiosks) % 250 + 1}"
    response = requests.post(f"{base}/api/v1/sites/{site}/check-ins",
                             json={"language": "en", **body},
                             headers={"X-Forwarded-For": origin}, timeout=10)  # fmt: skip
    assert response.status_code in (200, 201, 202), response.text
    return response.json()["ticket"]


@pytest.fixture
def check_in(server):  # type: ignore[no-untyped-def]
    """A factory: `check_in(name="Ana", urgent=True)` checks someone in as the kiosk does."""
    return lambda site="north", **body: check_in_by_api(server.base, site, **body)


def wait_for_event(received: list, event: str, timeout: float = 5.0, where=None) -> dict:  # type: ignore[no-untyped-def]
    """The first `event` received (that matches `where`), waiting up to `timeout` seconds."""
    done = threading.Event()
    for _ in range(int(timeout / 0.05)):
        for name, data in list(received):
            if name == event and (where is None or where(data)):
                return data
        done.wait(0.05)
    raise AssertionError(f"no matching {event} in {received}")


@pytest.fixture
def wait_for():  # type: ignore[no-untyped-def]
    return wait_for_event


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def live() -> int:
    return LIVE


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


@pytest.fixture
def axe():  # type: ignore[no-untyped-def]
    return axe_violations


@pytest.fixture
def viewports() -> dict:
    return {"tablet": TABLET, "phone": PHONE, "laptop": LAPTOP}


@pytest.fixture
def idle_seconds() -> int:
    return IDLE_SECONDS


__all__ = ["IDLE_SECONDS", "PHONE", "TABLET", "WARN_SECONDS", "Manager", "axe_violations"]


# The public pages' modules: a site changed as its lead, today's date there, and the words
# that would promise a person.


@pytest.fixture
def change_site(manager):  # type: ignore[no-untyped-def]
    """`change_site("west", hours="always", closures=[...])`, as Lena (north and west's lead)."""
    lena = manager("lena@example.org", site="west")

    def change(site: str, **changes) -> dict:  # type: ignore[no-untyped-def]
        response = requests.patch(f"{lena.base}/api/v1/sites/{site}", json=changes,
                                  headers=lena.headers, timeout=10)  # fmt: skip
        assert response.status_code == 200, response.text
        return response.json()["site"]

    return change


@pytest.fixture
def office_today() -> str:
    """Today at the seeded sites (America/New_York), as a closure's date."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("America/New_York")).date().isoformat()


@pytest.fixture
def promises() -> tuple[str, ...]:
    """Words that say a person is on the way: only a confirmed, staffed answer may show them."""
    return ("We are getting someone", "coming to you", "alerting")


@pytest.fixture
def nobody_on_duty(manager):  # type: ignore[no-untyped-def]
    """North with no case manager on duty (yields Maria, off duty), and with no urgent alert
    or visit left after, and Maria off duty again."""
    staff = [manager(email) for email in ("maria@example.org", "jean@example.org")]
    for member in staff:
        member.duty(False)
    yield staff[0]
    staff[0].acknowledge_every_alert()
    staff[0].end_every_visit()
    staff[0].duty(False)


@pytest.fixture
def tv(browser):  # type: ignore[no-untyped-def]
    """The lobby screen: a 1080p TV."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


@pytest.fixture
def wake():  # type: ignore[no-untyped-def]
    """`wake(page)`: the screen is seen again (a tablet's screen turned back on)."""
    return lambda page: page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


@pytest.fixture
def on_an_earlier_day(server):  # type: ignore[no-untyped-def]
    """Moves a (closed) visit to `days_ago` days back, in the server's own database: the
    repeat-visit rule counts days, so returning people come on different days."""
    import sqlite3

    def move(ticket: dict, days_ago: int) -> None:
        # From the visit's own service day (the site's date, not this machine's).
        with sqlite3.connect(server.log.parent / "frontdoor.sqlite3") as db:
            db.execute(
                "UPDATE ticket SET service_day = date(service_day, ?) WHERE token = ?",
                (f"-{days_ago} days", ticket["token"]),
            )

    return move
