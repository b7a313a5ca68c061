"""Shared fixtures. Every test that takes `database` runs on SQLite and on PostgreSQL.

PostgreSQL is reached through FRONTDOOR_TEST_POSTGRES_URL (scripts/test starts a server and
sets it). Without it the PostgreSQL leg is skipped on a laptop, and fails under CI=true.
Test modules take what they share from here as fixtures, and never import one another.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from frontdoor import demo
from frontdoor.app import create_app
from queue_service.bus import EventBus
from queue_service.models import Base
from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
from tests import log_grep

# tests/e2e/conftest.py still imports PASSWORD and start_server from here.
from tests.support import (
    PASSWORD,
    Api,
    Server,
    World,
    bearer,
    check_contract_error,
    csrf_token_on,
    free_port,
    run_all_at_once,
    start_server,
)
from web_kernel.extensions import socketio
from web_kernel.settings import Settings

POSTGRES_URL = os.environ.get("FRONTDOOR_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "frontdoor.sqlite3"
    database = Database(f"sqlite:///{path}")
    upgrade(database.engine)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL leg: set FRONTDOOR_TEST_POSTGRES_URL")
        pytest.skip("no PostgreSQL server (set FRONTDOOR_TEST_POSTGRES_URL)")
    engine = create_engine(POSTGRES_URL)
    if not (engine.url.database or "").endswith("_test"):
        pytest.fail(
            "FRONTDOOR_TEST_POSTGRES_URL must name a database ending in _test: "
            "the tests drop and recreate its schema"
        )
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "frontdoor.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        # A session a test left open would block TRUNCATE for ever: fail loudly instead.
        conn.execute(text("SET LOCAL lock_timeout = '10s'"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def published(bus: EventBus) -> list[object]:
    """Every event published after a commit, in order."""
    seen: list[object] = []
    original = bus.publish

    def record(events):  # type: ignore[no-untyped-def]
        events = list(events)
        seen.extend(events)
        original(events)

    bus.publish = record  # type: ignore[method-assign]
    return seen


@pytest.fixture
def database(database_url: str, bus: EventBus) -> Iterator[Database]:
    db = Database(database_url, publish=lambda events: bus.publish(events))
    yield db
    db.dispose()


@pytest.fixture
def session(database: Database):  # type: ignore[no-untyped-def]
    s = database.session()
    yield s
    s.close()


@pytest.fixture
def world(database: Database) -> World:
    return World(database, private=SEEDED_PRIVATE)


@pytest.fixture
def north(world: World):  # type: ignore[no-untyped-def]
    """The site most tests happen at, in Boston's time zone."""
    return world.site("north", timezone="America/New_York")


@pytest.fixture
def south(world: World):  # type: ignore[no-untyped-def]
    """A second site, for what must stay apart from north."""
    return world.site("south")


@pytest.fixture
def weekday_hours(database: Database, world: World):  # type: ignore[no-untyped-def]
    """Every site made so far keeps weekday office hours, and has run Front Door with them
    since 2025, before the past days the report tests write."""
    from datetime import UTC, datetime

    from sqlalchemy import select, update

    from queue_service.models import Site, SiteHours
    from queue_service.services import sites

    since = datetime(2025, 1, 1, tzinfo=UTC)
    with database.session() as s:
        for slug in s.scalars(select(Site.slug)).all():
            sites.update_site(s, slug, {"hours": "mon-fri 09:00-17:00"})
        s.execute(update(SiteHours).values(from_at=since))
        s.execute(update(Site).values(created_at=since))
        s.commit()


@pytest.fixture
def password() -> str:
    """The password of every staff member `world` makes."""
    return PASSWORD


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        secret_key="test-secret-key",
        rate_limits=False,
    )


@pytest.fixture
def app(settings: Settings, database: Database):  # type: ignore[no-untyped-def]
    flask_app = create_app(settings, migrate=False)
    flask_app.config["TESTING"] = True
    yield flask_app
    flask_app.extensions["frontdoor"].database.dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def api(client) -> Api:  # type: ignore[no-untyped-def]
    """The test client, with the requests most tests make (check in, call next, move)."""
    return Api(client)


# Signing in, three ways: with a token on the test client, as the browser console does on
# the test client, and with a token on a real server.


@pytest.fixture
def sign_in(client):  # type: ignore[no-untyped-def]
    """sign_in(email): signs a staff member in through the API; answers their token's headers."""

    def headers_for(email: str, password: str = PASSWORD) -> dict[str, str]:
        response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return bearer(response.get_json()["token"])

    return headers_for


@pytest.fixture
def console_sign_in():  # type: ignore[no-untyped-def]
    """console_sign_in(client, email): signs in through the console's form, as a browser does;
    the session then rides on that client's cookie. Answers the form's response. Other
    keywords (e.g. base_url) go with both requests."""

    def sign_in(client, email: str, password: str = PASSWORD, **request):  # type: ignore[no-untyped-def]
        page = client.get("/console/", **request)
        return client.post(
            "/console/sign-in",
            data={"email": email, "password": password, "csrf_token": csrf_token_on(page.text)},
            **request,
        )

    return sign_in


@pytest.fixture
def http_sign_in():  # type: ignore[no-untyped-def]
    """http_sign_in(base, email): signs in on a real server; answers their token's headers."""
    import requests

    def headers_for(base: str, email: str, password: str = PASSWORD) -> dict[str, str]:
        response = requests.post(
            f"{base}/api/v1/auth/login", json={"email": email, "password": password}, timeout=10
        )
        assert response.status_code == 200, response.text
        return bearer(response.json()["token"])

    return headers_for


@pytest.fixture
def csrf_token():  # type: ignore[no-untyped-def]
    """csrf_token(html): the CSRF token on a console page."""
    return csrf_token_on


@pytest.fixture
def assert_contract_error():  # type: ignore[no-untyped-def]
    """assert_contract_error(response, status, code=None): the response is a refusal in the
    contract's shape, with that status and code; answers its error."""
    return check_contract_error


@pytest.fixture
def all_at_once():  # type: ignore[no-untyped-def]
    """all_at_once(count, work): work(0) … work(count - 1) in threads released together."""
    return run_all_at_once


@pytest.fixture
def serve(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """serve(**env): a real `frontdoor serve` on the test database, stopped after the test."""
    running: list[Server] = []

    def start(**env: str) -> Server:
        running.append(start_server(database_url, tmp_path / f"instance-{len(running)}", **env))
        return running[-1]

    yield start
    for server in running:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database of its own, with no schema yet, to migrate by hand: a SQLite file, or on
    PostgreSQL a schema of its own beside the suite's (dropped afterwards)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'by_hand.sqlite3'}")
    else:
        url = request.getfixturevalue("postgres_url")
        with create_engine(url).begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migrated_by_hand CASCADE"))
            conn.execute(text("CREATE SCHEMA migrated_by_hand"))
        engine = create_engine(url, connect_args={"options": "-csearch_path=migrated_by_hand"})
    yield engine
    if request.param == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA migrated_by_hand CASCADE"))
    engine.dispose()


@pytest.fixture
def outbox(database: Database):  # type: ignore[no-untyped-def]
    """outbox(ticket_id=None): the texts in the outbox, oldest first (one visit's, or all)."""
    from sqlalchemy import select

    from queue_service.models import Message

    def read(ticket_id: int | None = None) -> list[Message]:
        query = select(Message).order_by(Message.id)
        if ticket_id is not None:
            query = query.where(Message.ticket_id == ticket_id)
        with database.session() as s:
            return list(s.scalars(query))

    return read


@pytest.fixture
def twilio_post(client, settings: Settings):  # type: ignore[no-untyped-def]
    """twilio_post(path, form, signature=None): a webhook as Twilio sends it, signed with the
    server's webhook token over the URL the test client uses (or with `signature`: "" for
    none)."""
    from twilio.request_validator import RequestValidator

    def post(path: str, form: dict[str, str], *, signature: str | None = None):  # type: ignore[no-untyped-def]
        if signature is None:
            validator = RequestValidator(settings.webhook_token)
            signature = validator.compute_signature(f"http://localhost{path}", form)
        headers = {"X-Twilio-Signature": signature} if signature else {}
        return client.post(path, data=form, headers=headers)

    return post


@pytest.fixture
def text_in(twilio_post):  # type: ignore[no-untyped-def]
    """text_in(phone, body, sid=None): a person's text reaching the office's number, through
    the signed SMS webhook; answers the response."""
    import uuid

    def send(phone: str, body: str, sid: str | None = None):  # type: ignore[no-untyped-def]
        form = {
            "MessageSid": sid or f"SM{uuid.uuid4().hex}",
            "AccountSid": "AC" + "0" * 32,
            "From": phone,
            "To": OFFICE_NUMBER,
            "Body": body,
        }
        return twilio_post("/webhooks/twilio/sms", form)

    return send


OFFICE_NUMBER = "+16175550100"  # the number texts and calls reach in tests


@pytest.fixture
def closed_today(world):  # type: ignore[no-untyped-def]
    """North, closed today for a training day, with nobody on duty."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from queue_service.services import sites

    today = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    with world.database.session() as s:
        sites.update_site(s, "north", {"closures": [{"date": today, "reason": "Training"}]})


@pytest.fixture
def call_in(twilio_post):  # type: ignore[no-untyped-def]
    """call_in(caller, sid=..., step=None, digits=None, **query): one step of a call to the
    office's number through the signed voice webhook; answers the response. The TwiML's
    root is at `response.twiml` (an ElementTree element)."""
    from urllib.parse import urlencode
    from xml.etree import ElementTree

    def call(caller: str, *, sid: str, step: str | None = None, digits: str | None = None,
             **query: str):  # type: ignore[no-untyped-def]  # fmt: skip
        form = {"CallSid": sid, "AccountSid": "AC" + "0" * 32, "From": caller,
                "To": OFFICE_NUMBER, "CallStatus": "in-progress"}  # fmt: skip
        if digits is not None:
            form["Digits"] = digits
        params = {"step": step, **query} if step else query
        path = "/webhooks/twilio/voice" + (f"?{urlencode(params)}" if params else "")
        response = twilio_post(path, form)
        if response.status_code == 200:
            response.twiml = ElementTree.fromstring(response.get_data())
        return response

    return call


@pytest.fixture
def sms_network(database: Database, settings: Settings):  # type: ignore[no-untyped-def]
    """The provider as the sender sees it: `deliver(now=None)` sends every due text through
    a transport that records each (`delivered`: (to, body, sid)), raising first whatever
    `failures` holds."""
    import uuid
    from datetime import timedelta

    from queue_service.notifications.sender import Sender
    from queue_service.notifications.transports import Sent

    class Network:
        sender = "+16175550100"

        def __init__(self) -> None:
            self.failures: list[Exception] = []
            self.delivered: list[tuple[str, str, str]] = []

        def send(self, to: str, body: str) -> Sent:
            if self.failures:
                raise self.failures.pop(0)
            sid = f"SM{uuid.uuid4().hex}"
            self.delivered.append((to, body, sid))
            return Sent(sid)

        def deliver(self, now=None) -> None:  # type: ignore[no-untyped-def]
            sender = Sender(database, self, secret_key=settings.secret_key, pace=timedelta(0))
            for _ in range(200):
                tick = sender.tick(now)
                if not (tick.sent or tick.failed or tick.retried) and tick.rest > timedelta(0):
                    return

    return Network()


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """Tests see the catalogs as they are now, even if the .po files changed since set-up."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).parent.parent / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as source:
            catalog = read_po(source)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


# ---------- No name, phone number or note text in any log (issue 9) ----------
# The one list of the made-up private details the tests and the demo seed: the factories
# take theirs from it (World.walk_in), and a run whose logs hold any of them fails, however
# its tests went (tests/log_grep.py searches every log record and every server's output).

SEEDED_PRIVATE = log_grep.Private(
    names=(
        "Ana", "Ana Lucia", "Zelda Quartermain", "Private Person", "Private Name", "Rosa",
        "Luz", "Luis", "Noor", "Marisol Etienne",
        *(p["name"] for p in demo.WAITING if "name" in p),
    ),
    phones=(
        "6175550123", "6175550199", "6175550147", "6175550163",
        *(p["phone"][-10:] for p in demo.WAITING if "phone" in p),
    ),
    notes=(
        "Wants a call next week", "Called; safe.", "Needs ID", "Sleeping in her car since May",
        "Called the number they left at the front desk",
    ),
)  # fmt: skip


def pytest_sessionstart(session: pytest.Session) -> None:
    log_grep.start(SEEDED_PRIVATE)


def pytest_sessionfinish(session: pytest.Session) -> None:
    log_grep.finish(session)


@pytest.fixture(scope="session")
def private_details() -> log_grep.Private:
    """The seeded names, phones and notes that no log may ever hold."""
    return SEEDED_PRIVATE


@pytest.fixture(scope="session")
def log_leaks():  # type: ignore[no-untyped-def]
    """log_leaks(text): each seeded private detail in `text` (the run's own check)."""
    pattern = SEEDED_PRIVATE.pattern()
    return lambda text: log_grep.leaks(text, pattern)


@pytest.fixture(scope="session")
def server_logs():  # type: ignore[no-untyped-def]
    """server_logs(path): a subprocess's output file, searched with the run's logs at its end
    (start_server's files are already)."""
    return log_grep.read_at_the_end


@pytest.fixture(scope="session", name="free_port")
def free_port_fixture():  # type: ignore[no-untyped-def]
    """free_port(): a TCP port nobody listens on now."""
    return free_port


@pytest.fixture
def live_console(app):  # type: ignore[no-untyped-def]
    """live_console(token): a staff member's live console, connected, with what it was sent
    on connecting kept as `on_connect`; any still open are closed at the end."""
    opened = []

    def connect(token: str):  # type: ignore[no-untyped-def]
        live = socketio.test_client(app, namespace="/console", auth={"token": token})
        assert live.is_connected("/console")
        live.on_connect = live.get_received("/console")
        opened.append(live)
        return live

    yield connect
    for live in opened:
        if live.is_connected("/console"):
            live.disconnect(namespace="/console")


@pytest.fixture
def on_an_earlier_day(database: Database):  # type: ignore[no-untyped-def]
    """Moves a visit (a PublicTicket or StaffTicket body) `days_ago` service days back: the
    repeat-visit rule counts days, so returning people come on different days."""
    from datetime import timedelta

    from sqlalchemy import select

    from queue_service.models import Ticket

    def move(ticket: dict, days_ago: int) -> None:
        with database.session() as s:
            where = (
                Ticket.token == ticket["token"] if "token" in ticket else Ticket.id == ticket["id"]
            )
            found = s.scalars(select(Ticket).where(where)).one()
            found.service_day -= timedelta(days=days_ago)
            s.commit()

    return move


@pytest.fixture
def visit(database: Database, settings: Settings):  # type: ignore[no-untyped-def]
    """A check-in through the service, with the app's secret key (so the person can be
    known again), at a chosen moment: visit(phone=…, at=…) returns the ticket."""
    from queue_service.services import checkins

    def check_in(site: str = "north", at: object = None, **body: object):  # type: ignore[no-untyped-def]
        body.setdefault("language", "en")
        with database.session() as s:
            return checkins.check_in(s, site, body, secret_key=settings.secret_key, now=at).ticket

    return check_in


@pytest.fixture
def visitor_of(database: Database):  # type: ignore[no-untyped-def]
    """The visitor id a visit (by ticket id) is linked to now."""
    from queue_service.models import Ticket

    def find(ticket_id: int) -> int | None:
        with database.session() as s:
            return s.get(Ticket, ticket_id).visitor_id

    return find


@pytest.fixture
def past_visit(database: Database):  # type: ignore[no-untyped-def]
    """A visit of a past day, written as the services leave one, at the site's local clock
    times: past_visit("north", "2026-03-09", "09:10", called="09:25", done="09:50").
    A time is "HH:MM" on that day or "next HH:MM" after midnight; the status follows from
    the last time given (done, left, cancelled, no_show), unless given. Returns its id."""
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import func, select

    from queue_service.domain.codes import ticket_code
    from queue_service.models import Site, Ticket

    def add(site: str, day: str, arrived: str, **given: object) -> int:
        with database.session() as s:
            found = s.scalars(select(Site).where(Site.slug == site)).one()
            on = date.fromisoformat(day)

            def at(clock: object) -> datetime | None:
                if not isinstance(clock, str):
                    return clock  # type: ignore[return-value]
                later = clock.startswith("next ")
                hh, mm = clock.removeprefix("next ").split(":")
                local = datetime.combine(on + timedelta(days=later), time(int(hh), int(mm)))
                return local.replace(tzinfo=ZoneInfo(found.timezone)).astimezone(ZoneInfo("UTC"))

            stamps = {
                "first_called_at": at(given.pop("called", None)),
                "started_at": at(given.pop("started", None)),
                "completed_at": at(given.pop("done", None)),
                "left_at": at(given.pop("left", None)),
                "cancelled_at": at(given.pop("cancelled", None)),
                "no_show_at": at(given.pop("no_show", None)),
            }
            for column in ("alert_raised_at", "alert_acknowledged_at", "followed_up_at"):
                if column in given:
                    given[column] = at(given[column])
            status = given.pop("status", None) or next(
                (name for name, col in (("completed", "completed_at"), ("left", "left_at"),
                 ("cancelled", "cancelled_at"), ("no_show", "no_show_at"),
                 ("in_session", "started_at"), ("called", "first_called_at"))
                 if stamps[col]),
                "waiting",
            )  # fmt: skip
            number = 1 + (
                s.scalar(
                    select(func.count()).where(Ticket.site_id == found.id, Ticket.service_day == on)
                )
                or 0
            )
            created = at(arrived)
            ticket = Ticket(
                site_id=found.id, token=f"t{found.id}-{day}-{number}".ljust(43, "x"),
                service_day=on, number=number, code=ticket_code(number),
                channel=given.pop("channel", "kiosk"), language=given.pop("language", "en"),
                needs=given.pop("needs", []), status=status, created_at=created,
                queued_at=created, updated_at=created, called_at=stamps["first_called_at"],
                outcome=given.pop("outcome", "resolved" if status == "completed" else None),
                **stamps, **given,
            )  # fmt: skip
            s.add(ticket)
            _site_ran_by(found, on)
            s.commit()
            return ticket.id

    return add


def _site_ran_by(site, day):  # type: ignore[no-untyped-def]
    """A past visit or shift says the site was running then: from the start of that day at
    the latest (the reports count coverage only from a site's start)."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    began = datetime.combine(day, time.min, ZoneInfo(site.timezone)).astimezone(ZoneInfo("UTC"))
    if site.created_at > began:
        site.created_at = began


@pytest.fixture
def past_shift(database: Database, world: World):  # type: ignore[no-untyped-def]
    """A case manager's ended duty shift at local clock times of a past day (as past_visit):
    past_shift("north", "2026-03-09", "09:00", "12:30")."""
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from queue_service.models import DutyShift, Site, Staff

    def add(
        site: str, day: str, start: str, end: str | None, who: str = "shift@example.org"
    ) -> None:
        with database.session() as s:
            found = s.scalars(select(Site).where(Site.slug == site)).one()
            member = s.scalars(select(Staff).where(Staff.email == who)).one_or_none()
            if member is None:
                member = world.staff(who, sites_=(site,))
            zone, on = ZoneInfo(found.timezone), date.fromisoformat(day)

            def at(clock: str) -> datetime:
                later = clock.startswith("next ")
                hh, mm = clock.removeprefix("next ").split(":")
                local = datetime.combine(on + timedelta(days=later), time(int(hh), int(mm)))
                return local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))

            s.add(DutyShift(staff_id=member.id, site_id=found.id, started_at=at(start),
                            ended_at=at(end) if end else None))  # fmt: skip
            _site_ran_by(found, on)
            s.commit()

    return add
