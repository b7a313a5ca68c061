"""The demo's front page, as a newcomer opens it in a browser: accessible, and each link
leads to the screen it names."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect


@pytest.fixture(scope="module")
def demo_base(tmp_path_factory, free_port, server_logs):  # type: ignore[no-untyped-def]
    """`frontdoor demo` as scripts/demo starts it, in a folder of its own."""
    folder = tmp_path_factory.mktemp("demo")
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    environment["FRONTDOOR_INSTANCE_PATH"] = str(folder / "instance")
    output = folder / "demo.log"
    server_logs(output)
    with output.open("w") as out:
        demo = subprocess.Popen(
            [str(Path(sys.executable).with_name("frontdoor")), "demo", "--port", str(port)],
            cwd=folder, env=environment, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            requests.get(f"{base}/healthz", timeout=1)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline or demo.poll() is not None:
                demo.kill()
                pytest.fail(f"the demo did not start: {output.read_text()[-2000:]}")
            time.sleep(0.2)
    yield base
    demo.terminate()
    demo.wait(timeout=10)


def test_the_demo_front_page_is_accessible_and_its_links_lead_to_each_screen(
    browser, demo_base, axe, viewports
):
    context = browser.new_context(viewport=viewports["laptop"])
    page = context.new_page()
    page.goto(f"{demo_base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Front Door demo")
    assert axe(page) == []
    screens = (("Kiosk", "Choose your language"), ("Staff console", "Front Door console"))
    for name, heading in screens:
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", name=heading, exact=False).first).to_be_visible()
        page.go_back()
    page.get_by_role("link", name="Lobby screen").click()
    expect(page).to_have_url(f"{demo_base}/display/demo")
    context.close()
