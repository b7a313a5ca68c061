"""The report pages in Chromium: a site lead reads the day (its charts, and figures that are
the API's own), the month with its weekday by hour heatmaps, every site side by side, and
downloads each as CSV; a case manager of another site is refused north's report and sees
only today's summary of their own; axe finds nothing serious on any of the pages."""

from __future__ import annotations

import csv
import re

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


@pytest.fixture
def a_morning(manager, check_in):  # type: ignore[no-untyped-def]
    """Today at north: three check-ins in three languages, one seen and done by Maria."""
    maria = manager("maria@example.org", desk="3")
    maria.call_all()
    check_in(language="es", needs=["housing"])
    check_in(language="ht")
    check_in(language="en", needs=["food"])
    called = maria.call_next()
    path = f"{maria.base}/api/v1/tickets/{called['id']}/transitions"
    for body in ({"action": "start"}, {"action": "complete", "outcome": "resolved"}):
        requests.post(path, json=body, headers=maria.headers, timeout=10).raise_for_status()
    yield
    maria.end_every_visit()
    maria.duty(False)


def header_of(download) -> list[str]:  # type: ignore[no-untyped-def]
    with open(download.path(), newline="") as f:
        return next(csv.reader(f))


def test_a_lead_reads_the_day_and_the_month_and_downloads_them(  # type: ignore[no-untyped-def]
    console_of, server, a_morning, axe
):
    lena = console_of("lena@example.org")
    lena.get_by_role("navigation", name="Console").get_by_role("link", name="Reports").click()
    expect(lena.get_by_role("heading", level=1)).to_contain_text("Daily report: North Site Office")
    answer = lena.request.get(f"{server.base}/api/v1/sites/north/reports/daily")
    report = answer.json()["report"]
    for key in ("checkins", "served", "left_without_being_seen", "urgent"):
        shown = lena.locator(f"[data-figure='{key}'] [data-value]")
        expect(shown).to_have_text(str(report["summary"][key]))
    assert report["summary"]["checkins"] >= 3
    arrivals = lena.get_by_role("img", name="Arrivals by hour, and the line through the day")
    expect(arrivals).to_be_visible()
    expect(lena.get_by_role("img", name="Languages")).to_be_visible()
    equity = lena.locator("[data-equity='by_language']")
    expect(equity).to_contain_text("Haitian Creole")
    expect(equity).to_contain_text("Spanish")
    lena.locator("[data-chart='chart-language'] summary").click()
    expect(lena.get_by_role("table", name="Languages")).to_be_visible()
    assert axe(lena) == []
    with lena.expect_download() as day_csv:
        lena.get_by_role("link", name="Download CSV").click()
    assert header_of(day_csv.value) == ["site", "date", "measure", "group", "value"]

    # The month so far, with its heatmaps; the same totals as the API's.
    lena.get_by_role("navigation", name="Reports").get_by_role("link", name="Range").click()
    lena.get_by_role("link", name=re.compile(r"^This month")).click()
    expect(lena.get_by_role("link", name=re.compile(r"^This month"))).to_have_attribute(
        "aria-current", "page"
    )
    heatmap = lena.get_by_role("img", name="Arrivals, weekday by hour")
    expect(heatmap).to_be_visible()
    expect(lena.get_by_role("img", name="Median wait, weekday by hour")).to_be_visible()
    first, last = lena.input_value("#report-from"), lena.input_value("#report-to")
    month = lena.request.get(
        f"{server.base}/api/v1/sites/north/reports/range?from={first}&to={last}"
    ).json()["report"]
    expect(lena.locator("[data-figure='checkins'] [data-value]")).to_have_text(
        str(month["totals"]["checkins"])
    )
    expect(lena.locator("[data-figure='checkins']")).to_contain_text("vs previous")
    assert axe(lena) == []
    with lena.expect_download() as range_csv:
        lena.get_by_role("link", name="Download CSV").click()
    assert header_of(range_csv.value)[:4] == ["site", "date", "checkins", "served"]

    # Every site she leads over the same days, side by side, each linking to its own range.
    lena.get_by_role("link", name="Every site, same days").click()
    sites_link = lena.get_by_role("navigation", name="Reports").get_by_role("link", name="Sites")
    expect(sites_link).to_have_attribute("aria-current", "page")
    expect(lena.locator("tr[data-site]")).to_have_count(2)
    north = lena.locator("tr[data-site='north'] [data-measure='checkins'] .value")
    expect(north).to_have_text(str(month["totals"]["checkins"]))
    assert axe(lena) == []
    with lena.expect_download() as sites_csv:
        lena.get_by_role("link", name="Download CSV").click()
    assert header_of(sites_csv.value)[:4] == ["site", "site_name", "from", "to"]
    lena.get_by_role("link", name="West Site Office").click()
    expect(lena.get_by_role("heading", level=1)).to_contain_text("Range report: West Site Office")


def test_a_case_manager_of_another_site_is_refused_and_sees_todays_summary(  # type: ignore[no-untyped-def]
    console_of, server, axe
):
    sam = console_of("sam@example.org")
    refused = sam.goto(f"{server.base}/console/reports?site=north")
    assert refused is not None and refused.status == 403
    expect(sam.get_by_role("alert")).to_contain_text("You do not work at this site.")
    assert axe(sam) == []
    assert sam.goto(f"{server.base}/console/reports/range?site=south").status == 403
    own = sam.goto(f"{server.base}/console/reports")
    assert own is not None and own.status == 200
    expect(sam.get_by_role("heading", level=1)).to_contain_text("Today's summary: South")
    expect(sam.locator("[data-figure='checkins']")).to_be_visible()
    expect(sam.get_by_role("img")).to_have_count(0)
    expect(sam.get_by_role("link", name="Download CSV")).to_have_count(0)
    assert axe(sam) == []


# The smallest size any text of a chart is drawn at on the screen, in CSS pixels.
SMALLEST_CHART_TEXT = """() => Math.min(
  ...[...document.querySelectorAll("svg.chart-svg")].flatMap((svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll("text")].map((t) => scale * t.getAttribute("font-size"));
  }))"""


def test_the_reports_fit_a_phone_and_a_refusal_takes_the_focus(  # type: ignore[no-untyped-def]
    console_of, server, a_morning, axe, viewports
):
    lena = console_of("lena@example.org")
    lena.set_viewport_size(viewports["phone"])
    width = viewports["phone"]["width"]
    for path in ("/console/reports?site=north", "/console/reports/range?site=north",
                 "/console/reports/sites"):  # fmt: skip
        lena.goto(f"{server.base}{path}")
        # Only a table or a chart scrolls sideways, never the page.
        assert lena.evaluate("document.documentElement.scrollWidth") <= width, path
        assert lena.evaluate(SMALLEST_CHART_TEXT) >= 9.9, path  # Infinity: no chart
        assert axe(lena) == [], path
    assert lena.locator(".sites-table td.alarm .visually-hidden").count() >= 1  # words in there
    # The time zone is on the page, and on paper.
    lena.goto(f"{server.base}/console/reports/range?site=north")
    lena.emulate_media(media="print")
    expect(lena.locator("[data-timezone]")).to_be_visible()
    expect(lena.locator("[data-timezone]")).to_contain_text("(America/New_York)")
    lena.emulate_media(media="screen")
    # A refused question: the summary has the focus, and the field names its problem.
    lena.goto(f"{server.base}/console/reports/range?site=north&from=2026-03-10&to=2026-03-01")
    expect(lena.locator(".error-summary")).to_be_focused()
    expect(lena.locator("#report-to")).to_have_accessible_description(re.compile(r"\S"))
    assert axe(lena) == []
