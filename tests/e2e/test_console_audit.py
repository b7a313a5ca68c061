"""The audit page in the browser: an administrator reads the log in plain words, filters it
by person and downloads what the filter shows as CSV. Axe clean, on a 1366x768 laptop."""

from __future__ import annotations

import csv
import io
import re

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


def test_the_audit_page_filters_by_person_and_exports_csv(console_of, manager, server, axe) -> None:
    maria = manager("maria@example.org", desk="3")
    jean = manager("jean@example.org", desk="5")
    ada = manager("ada@example.org")
    roster = requests.get(
        f"{server.base}/api/v1/sites/north/staff", headers=ada.headers, timeout=10
    ).json()["staff"]
    jean_id = next(s["id"] for s in roster if s["email"] == "jean@example.org")
    requests.post(
        f"{server.base}/api/v1/sites/north/check-ins", json={"language": "en"}, timeout=10
    ).raise_for_status()
    called = maria.call_next()
    requests.post(
        f"{server.base}/api/v1/tickets/{called['id']}/transfer",
        json={"to": jean_id},
        headers=maria.headers,
        timeout=10,
    ).raise_for_status()
    jean.end_every_visit()

    page = console_of("ada@example.org")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    handed = f"Maria handed {called['code']} over to Jean"
    expect(page.get_by_role("cell", name=handed)).to_be_visible()
    expect(page.get_by_role("cell", name="Jean went on duty at desk 5")).to_be_visible()
    assert axe(page) == []

    page.get_by_label("Person").select_option(label="Maria")
    page.get_by_role("button", name="Show").click()
    sentences = page.locator("table.audit-log tbody tr td:nth-child(2)")
    expect(sentences.first).to_be_visible()
    said = sentences.all_inner_texts()
    # What she did, and what was done to her account (created on the command line).
    assert handed in said and all("Maria" in s for s in said), said
    assert "Jean went on duty at desk 5" not in said
    expect(page.get_by_label("Person")).to_have_value(str(called["assigned_to"]["id"]))
    assert axe(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, "the audit page scrolls sideways on a laptop"

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download these entries as CSV").click()
    download = waiting.value
    assert re.fullmatch(r"audit-all-sites-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as exported:
        rows = list(csv.DictReader(io.StringIO(exported.read())))
    assert rows and {r["staff_name"] for r in rows} == {"Maria"}
    assert handed in [r["sentence"] for r in rows]
    assert len(rows) == len(said)
