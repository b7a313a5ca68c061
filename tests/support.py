"""What the fixtures in conftest.py are made of. Test modules reach it only through them."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from queue_service.persistence.database import Database
from queue_service.services import checkins, duty, sites, staff
from tests import log_grep

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    """Factories for the people and places a test needs."""

    database: Database
    private: log_grep.Private | None = None  # the seeded details no log may hold

    def site(self, slug: str = "north", **kw):  # type: ignore[no-untyped-def]
        # Open around the clock, so a check-in works whatever the time the tests run at;
        # a test of office hours gives its own.
        kw.setdefault("hours", "always")
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
            # On duty means at the office, signed in (services/duty.py): as at a console.
            with self.database.session() as s:
                staff.issue_token(s, self.reload(member))
            with self.database.session() as s:
                duty.set_duty(s, on_duty_at, self.reload(member), on_duty=True, desk=desk)
        return member

    def walk_in(self, site: str = "north", which: int = 0, **body):  # type: ignore[no-untyped-def]
        """A walk-in with the `which`-th seeded name and mobile number, texts on."""
        assert self.private is not None, "World(private=...) gives the seeded details"
        phone = f"+1{self.private.phones[which]}"
        person = {"language": "en", "name": self.private.names[which], "phone": phone,
                  "sms_opt_in": True, **body}  # fmt: skip
        with self.database.session() as s:
            return checkins.check_in(s, site, person).ticket

    def reload(self, member):  # type: ignore[no-untyped-def]
        from queue_service.models import Staff

        with self.database.session() as s:
            return s.get(Staff, member.id)  # detached, with what the services read loaded


class Api:
    """The test client, with the requests most tests make."""

    def __init__(self, client):  # type: ignore[no-untyped-def]
        self.client = client

    def check_in(self, site: str = "north", **body):  # type: ignore[no-untyped-def]
        body.setdefault("language", "en")
        headers = body.pop("headers", {})
        return self.client.post(f"/api/v1/sites/{site}/check-ins", json=body, headers=headers)

    def call_next(self, headers: dict[str, str], site: str = "north"):  # type: ignore[no-untyped-def]
        return self.client.post(f"/api/v1/sites/{site}/queue/next", headers=headers)

    def move(self, headers: dict[str, str], ticket_id: int, action: str, **body):  # type: ignore[no-untyped-def]
        return self.client.post(
            f"/api/v1/tickets/{ticket_id}/transitions",
            json={"action": action, **body},
            headers=headers,
        )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csrf_token_on(html: str) -> str:
    """The CSRF token of a console page (the sign-in form, or the signed-in page's data)."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'"csrfToken": "([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def check_contract_error(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    """A refusal in the contract's shape, with that status (and code, if given): its error."""
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["message"] and isinstance(error["fields"], dict)
    if code:
        assert error["code"] == code
    return error


def run_all_at_once(count: int, work):  # type: ignore[no-untyped-def]
    """work(0) … work(count - 1) in threads released together by a barrier, so they overlap."""
    barrier = threading.Barrier(count)

    def run(i: int):  # type: ignore[no-untyped-def]
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


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
                   "FRONTDOOR_PUBLIC_URL": f"http://127.0.0.1:{port}", **env}  # fmt: skip
    log = instance.parent / f"server-{port}.log"
    log_grep.read_at_the_end(log)
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("frontdoor")), "serve", "--port", str(port)],
            env=environment, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded machine (CI, several runs) starts slowly
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
