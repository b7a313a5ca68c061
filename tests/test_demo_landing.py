"""`/` on the demo and on a real server, and the demo as a person runs it: start, Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from frontdoor.app import create_app
from frontdoor.demo import SIGN_INS, WAITING, seed


@pytest.fixture
def demo_client(settings, database):  # type: ignore[no-untyped-def]
    seed(database)
    app = create_app(settings, migrate=False, demo=True)
    yield app.test_client()
    app.extensions["frontdoor"].database.dispose()


def test_the_demo_front_page_links_each_screen_of_the_demo_site(demo_client):
    page = demo_client.get("/")
    assert page.status_code == 200
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', page.text))
    assert links == {"/kiosk/demo": "Kiosk", "/display/demo": "Lobby screen",
                     "/console/": "Staff console"}  # fmt: skip
    for link in links:
        assert demo_client.get(link).status_code == 200, link
    for email, password, _role in SIGN_INS:
        assert email in page.text and password in page.text


def test_a_real_server_sends_the_front_page_to_the_console(client):
    answer = client.get("/")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/console/"


def test_the_demo_seeds_people_already_waiting_so_call_next_has_someone(demo_client):
    maria, password, _ = SIGN_INS[0]
    token = demo_client.post("/api/v1/auth/login", json={"email": maria, "password": password})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    demo_client.put("/api/v1/sites/demo/duty", json={"on_duty": True, "desk": "2"}, headers=headers)
    called = demo_client.post("/api/v1/sites/demo/queue/next", headers=headers)
    assert called.status_code == 200
    assert called.get_json()["ticket"]["language"] in {p["language"] for p in WAITING}


@pytest.mark.slow
def test_ctrl_c_stops_the_demo_with_one_line_and_no_traceback(tmp_path, free_port, server_logs):
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    environment["FRONTDOOR_INSTANCE_PATH"] = str(tmp_path / "instance")
    errors = tmp_path / "demo-stderr.log"
    server_logs(errors)
    with errors.open("w") as stderr:
        demo = subprocess.Popen(
            [str(Path(sys.executable).with_name("frontdoor")), "demo", "--port", str(port)],
            cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=stderr, text=True,
        )  # fmt: skip
    try:
        _wait_until_it_answers(f"http://127.0.0.1:{port}/", demo)
        started = time.monotonic()
        demo.send_signal(signal.SIGINT)
        code = demo.wait(timeout=10)
    finally:
        if demo.poll() is None:
            demo.kill()
    said = errors.read_text()
    assert time.monotonic() - started < 5
    assert code in (0, 130), said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said
    assert said.strip().splitlines()[-1] == "Front Door stopped."


def _wait_until_it_answers(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60  # seeding the history first takes a few seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the demo stopped by itself"
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError("the demo did not answer within a minute")
