"""Shared fixtures. Every test that takes `database` runs on SQLite and on PostgreSQL.

PostgreSQL is reached through FRONTDOOR_TEST_POSTGRES_URL (scripts/test starts a server and
sets it). Without it the PostgreSQL leg is skipped on a laptop, and fails under CI=true.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from frontdoor.app import create_app
from frontdoor.settings import Settings
from queue_service.bus import EventBus
from queue_service.models import Base
from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
from queue_service.services import duty, sites, staff

POSTGRES_URL = os.environ.get("FRONTDOOR_TEST_POSTGRES_URL")
PASSWORD = "correct-horse-battery"


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


@dataclass
class World:
    """Factories for the people and places a test needs."""

    database: Database

    def site(self, slug: str = "north", **kw):  # type: ignore[no-untyped-def]
        with self.database.session() as s:
            return sites.create_site(s, slug, name=kw.pop("name", slug.title()), **kw)

    def staff(  # type: ignore[no-untyped-def]
        self,
        email: str = "cm@example.org",
        *,
        sites_: tuple[str, ...] = ("north",),
        role: str = "case_manager",
        languages: tuple[str, ...] = ("en",),
        on_duty_at: str | None = None,
        desk: str | None = "1",
    ):
        with self.database.session() as s:
            member = staff.create_staff(
                s,
                email,
                name=email.split("@")[0].title(),
                role=role,
                site_slugs=list(sites_),
                password=PASSWORD,
                languages=list(languages),
            )
        if on_duty_at:
            with self.database.session() as s:
                duty.set_duty(s, on_duty_at, self.reload(member), on_duty=True, desk=desk)
        return member

    def reload(self, member):  # type: ignore[no-untyped-def]
        from queue_service.models import Staff

        with self.database.session() as s:
            return s.get(Staff, member.id)  # detached, with what the services read loaded


@pytest.fixture
def world(database: Database) -> World:
    return World(database)


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
def api(client, world: World):  # type: ignore[no-untyped-def]
    """A test client with helpers to sign in as a given staff member."""
    return Api(client)


class Api:
    def __init__(self, client):  # type: ignore[no-untyped-def]
        self.client = client

    def token_for(self, email: str, password: str = PASSWORD) -> str:
        response = self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["token"]

    def as_(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def check_in(self, site: str = "north", **body):  # type: ignore[no-untyped-def]
        body.setdefault("language", "en")
        headers = body.pop("headers", {})
        return self.client.post(f"/api/v1/sites/{site}/check-ins", json=body, headers=headers)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A real `frontdoor serve` process (gevent), as people and integrators meet it."""

    base: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_server(database_url: str, instance: Path, **env: str) -> Server:
    import requests

    port = free_port()
    environment = {**os.environ, "FRONTDOOR_DATABASE_URL": database_url,
                   "FRONTDOOR_RATE_LIMITS": "off", "FRONTDOOR_INSTANCE_PATH": str(instance),
                   **env}  # fmt: skip
    log = instance.parent / f"server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("frontdoor")), "serve", "--port", str(port)],
            env=environment, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/api/v1/tickets/none", timeout=1)
            return Server(base, process, log)
        except requests.ConnectionError:
            if process.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text()}")


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
