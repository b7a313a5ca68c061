"""The site leads' report pages in the console, server-rendered: a day's figures exactly as
the services count them, its charts (SVG, each with its numbers as a table) and equity
table, a range with its change from the period before and its weekday by hour heatmaps,
every site side by side; a bad question is the page's error summary with its status, never
a 500; another office's lead is refused; a case manager sees today's summary and no more."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from queue_service.models import Site
from queue_service.services import report_ranges, reports
from staff_console import report_views, report_words

BOSTON = ZoneInfo("America/New_York")


def days_ago(n: int) -> str:
    return (datetime.now(BOSTON).date() - timedelta(days=n)).isoformat()


DAY = days_ago(9)  # a past day at north (open around the clock, as the tests' sites are)


@pytest.fixture
def lead_member(world, north, south):  # type: ignore[no-untyped-def]
    return world.staff("lead@example.org", role="site_lead", sites_=("north", "south"))


@pytest.fixture
def lead(client, lead_member, console_sign_in):  # type: ignore[no-untyped-def]
    """Lead, site lead of north and south, signed in to the console on `client`."""
    console_sign_in(client, "lead@example.org")
    return client


@pytest.fixture
def seeded_day(past_visit, past_shift):  # type: ignore[no-untyped-def]
    """Five visits at north on DAY, in three languages, one urgent person nobody saw, and
    a lunch hour nobody covered; one visit at south."""
    past_visit("north", DAY, "09:00", called="09:10", started="09:12", done="09:30",
               needs=["housing"])  # fmt: skip
    past_visit("north", DAY, "09:05", called="09:35", started="09:36", done="10:00",
               language="es", channel="phone")  # fmt: skip
    past_visit("north", DAY, "09:20", left="09:50", language="es")
    past_visit("north", DAY, "11:00", called="11:04", started="11:05", done="11:40",
               urgent=True, alert_raised_at="11:00", alert_acknowledged_at="11:02",
               outcome="crisis", crisis_referral="988", language="ht")  # fmt: skip
    past_visit("north", DAY, "16:50", left="next 00:00", end_reason="day_closed", urgent=True)
    past_visit("south", DAY, "10:00", called="10:05", done="10:30")
    past_shift("north", DAY, "09:00", "12:00")
    past_shift("north", DAY, "13:00", "17:30")


def figure(html: str, key: str) -> str:
    found = re.search(rf'data-figure="{key}">.*?<span data-value>(.*?)</span>', html, re.S)
    assert found, key
    return found.group(1)


def service_daily(database, world, member, day):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return reports.daily(s, world.reload(member), "north", day)


def test_a_lead_sees_the_day_as_the_services_count_it(
    lead, seeded_day, database, world, lead_member
) -> None:
    page = lead.get(f"/console/reports?site=north&date={DAY}")
    assert page.status_code == 200
    html = page.text
    summary = service_daily(database, world, lead_member, DAY)["summary"]
    assert figure(html, "checkins") == str(summary["checkins"]) == "5"
    assert figure(html, "served") == str(summary["served"]) == "3"
    assert figure(html, "left_without_being_seen") == "2"
    assert (
        figure(html, "wait_median_min") == f"{report_words.figure(summary['wait_median_min'])} min"
    )
    assert figure(html, "urgent") == "2" and figure(html, "urgent_not_seen") == "1"
    # What needs acting on stands out, in words as well as by its look.
    for key in ("urgent_not_seen", "uncovered_minutes", "waiting_unstaffed_minutes"):
        assert f'<div class="figure alarm" data-figure="{key}">' in html, key
    assert '<a href="/console/urgent-not-seen?site=north">Follow them up</a>' in html
    assert '<div class="figure" data-figure="checkins">' in html
    assert html.count("Needs attention") == 3
    assert figure(html, "uncovered_minutes").startswith(
        report_words.figure(summary["uncovered_minutes"]) + " min"
    )
    assert "Hours that day:</strong> Open all day and night." in html


def test_the_days_charts_each_come_with_their_numbers(lead, seeded_day) -> None:
    html = lead.get(f"/console/reports?site=north&date={DAY}").text
    charts = re.findall(r'<svg [^>]*role="img"[^>]*>', html)
    assert len(charts) == 8  # no case work or texts that day: said in words instead
    assert "No case was opened, reviewed or closed." in html and "No texts this day." in html
    for chart in charts:
        chart_id = re.search(r'id="([^"]+)"', chart).group(1)
        assert f'aria-labelledby="{chart_id}-title"' in chart
        assert f'<title id="{chart_id}-title">' in html
    assert html.count("Show the numbers") == 8
    assert "<polyline" in html  # the line through the day, over the arrivals' columns
    arrivals = html.split('id="chart-arrivals-caption"', 1)[1].split("</table>", 1)[0]
    assert '<tr><th scope="row">09:00</th><td>3</td><td>1</td>' in arrivals
    # Each mix in words; crisis referrals on a line of their own.
    assert "Phone call" in html and "Lobby tablet" in html
    assert "Crisis referrals, each on its own line" in html and "988 Lifeline" in html
    # The equity table: languages named in words, waits and leaving unseen side by side.
    equity = html.split('data-equity="by_language"', 1)[1].split("</table>", 1)[0]
    assert "Haitian Creole" in equity and "Spanish" in equity and "English" in equity
    assert re.search(r'data-group="es"><th scope="row">Spanish</th><td>2</td><td>30 min'
                     r'( <strong class="tag" data-longest>longest wait</strong>)?</td>'
                     r"<td>30 min</td><td>1 \(50%\)</td>", equity)  # fmt: skip
    assert f"/api/v1/sites/north/reports/daily?date={DAY}&amp;format=csv" in html
    # The CSP allows no inline style: the charts use attributes and the stylesheet.
    assert "style=" not in html and "<style" not in html
    assert ">Reports</a>" in html and ">Range</a>" in html and ">Sites</a>" in html


def test_the_range_page_shows_the_change_trends_and_heatmaps(
    lead, seeded_day, database, world, lead_member
) -> None:
    first, last = days_ago(12), days_ago(6)
    page = lead.get(f"/console/reports/range?site=north&from={first}&to={last}")
    assert page.status_code == 200
    html = page.text
    with database.session() as s:
        report = report_ranges.range_report(s, world.reload(lead_member), "north", first, last)
    assert figure(html, "checkins") == str(report["totals"]["checkins"]) == "5"
    # A rise from nothing has no percentage; the change says what it counts.
    assert "up 5 check-ins vs previous 7 days (was 0 check-ins)" in html
    assert '<svg id="heat-arrivals"' in html and '<svg id="heat-wait-median-min"' in html
    assert 'id="chart-trend"' in html and 'id="chart-weekday"' in html
    heat = html.split('id="heat-arrivals-caption"', 1)[1].split("</table>", 1)[0]
    weekday = date.fromisoformat(DAY).strftime("%A")
    assert re.search(rf'<th scope="row">{weekday}</th>(<td>[^<]*</td>){{9}}<td>3</td>', heat)
    assert len(re.findall(r'<li><a href="/console/reports/range\?site=north&amp;from=', html)) == 4
    assert f"reports/range?format=csv&amp;from={first}&amp;to={last}" in html
    assert "style=" not in html


def test_the_sites_page_sets_the_leads_sites_side_by_side(lead, seeded_day) -> None:
    first, last = days_ago(12), days_ago(6)
    page = lead.get(f"/console/reports/sites?from={first}&to={last}")
    assert page.status_code == 200
    html = page.text
    north = html.split('<tr data-site="north">', 1)[1].split("</tr>", 1)[0]
    south = html.split('<tr data-site="south">', 1)[1].split("</tr>", 1)[0]
    assert f'href="/console/reports/range?site=north&amp;from={first}&amp;to={last}"' in north
    assert re.search(r'data-measure="checkins" >\s*<span class="value">5</span>', north)
    assert re.search(r'data-measure="checkins" >\s*<span class="value">1</span>', south)
    assert 'data-measure="urgent_not_seen" class="alarm"' in north
    assert f"/api/v1/reports/overview?format=csv&amp;from={first}&amp;to={last}" in html


@pytest.mark.parametrize(
    "path, status, words",
    [
        ("/console/reports?site=north&date=2026-02-30", 422, "That is not a date on the calendar."),
        ("/console/reports?site=north&date=yesterday", 422, "Give the date as YYYY-MM-DD."),
        ("/console/reports/range?site=north&from=2026-03-10&to=2026-03-01", 422,
         "The range ends before it starts."),
        ("/console/reports/sites?from=2026-03-10", 422, "Give the date."),
        ("/console/reports?site=nowhere", 404, "There is no site called"),
    ],
)  # fmt: skip
def test_a_bad_question_is_a_clear_message_not_a_500(lead, path, status, words) -> None:
    page = lead.get(path)
    assert page.status_code == status
    assert 'class="error-summary" role="alert"' in page.text and words in page.text
    assert 'role="img"' not in page.text
    if "date=" in path:
        assert 'href="#report-date">Date:' in page.text
        assert 'id="report-date" name="date" type="date"' in page.text
        assert 'aria-invalid="true"' in page.text


def test_a_lead_of_another_site_is_refused(
    client, world, north, south, console_sign_in, seeded_day
) -> None:
    world.staff("southlead@example.org", role="site_lead", sites_=("south",))
    console_sign_in(client, "southlead@example.org")
    for path in (f"/console/reports?site=north&date={DAY}",
                 f"/console/reports/range?site=north&from={DAY}&to={DAY}"):  # fmt: skip
        page = client.get(path)
        assert page.status_code == 403, path
        assert "You do not work at this site." in page.text
        assert 'role="img"' not in page.text


def test_a_case_manager_sees_todays_summary_and_nothing_more(
    client, world, north, south, console_sign_in, seeded_day
) -> None:
    world.staff("cm@example.org")
    console_sign_in(client, "cm@example.org")
    page = client.get("/console/reports")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Today's summary: North, " in html and 'data-figure="checkins"' in html
    assert 'role="img"' not in html and "data-equity" not in html
    for elsewhere in ("/console/reports/range", "/console/reports/sites", "format=csv",
                      'name="date"'):  # fmt: skip
        assert elsewhere not in html, elsewhere
    assert ">Reports</a>" in html and ">Range</a>" not in html
    refused = client.get(f"/console/reports?site=north&date={DAY}")
    assert refused.status_code == 403
    assert "earlier days are for the site lead" in refused.text
    for path in ("/console/reports/range", "/console/reports/sites"):
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert "for site leads and administrators" in refused.text


def test_days_nobody_came_say_so_in_words(lead) -> None:
    day = lead.get(f"/console/reports?site=north&date={DAY}")
    assert day.status_code == 200
    assert "Nobody checked in this day." in day.text and "Nobody was called this day." in day.text
    first, last = days_ago(12), days_ago(6)
    week = lead.get(f"/console/reports/range?site=north&from={first}&to={last}")
    assert week.status_code == 200
    assert "Arrivals, weekday by hour: nothing to show in this range." in week.text
    assert "no change vs previous 7 days" in week.text


def test_signed_out_goes_to_the_sign_in(client) -> None:
    for path in ("/console/reports", "/console/reports/range", "/console/reports/sites"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/console/")


def row_of(html: str, measure: str) -> str:
    found = re.search(rf'<tr data-measure="{measure}"><th scope="row">(.*?)</th>(.*?)</tr>', html)
    assert found, measure
    return found.group(1) + " | " + re.sub(r"<[^>]+>", " ", found.group(2)).strip()


def test_an_urgent_person_followed_up_needs_no_more_attention(lead, past_visit) -> None:
    past_visit("north", DAY, "16:50", left="next 00:00", end_reason="day_closed", urgent=True,
               followed_up_at="next 09:00")  # fmt: skip
    first, last = days_ago(12), days_ago(6)
    for path in (f"/console/reports?site=north&date={DAY}",
                 f"/console/reports/range?site=north&from={first}&to={last}"):  # fmt: skip
        html = lead.get(path).text
        tile = html.split('data-figure="urgent_not_seen">', 1)[1].split("</div>", 1)[0]
        assert '<div class="figure" data-figure="urgent_not_seen">' in html, path
        assert "1 followed up" in tile and "Needs attention" not in tile, path
        assert "1 of them still waiting when the day closed" in html, path
    sites = lead.get(f"/console/reports/sites?from={first}&to={last}").text
    cell = sites.split('data-measure="urgent_not_seen"', 1)[1].split("</td>", 1)[0]
    assert cell.startswith(" >") and "1 followed up" in cell and "Needs attention" not in cell


def test_the_day_shows_every_figure_in_the_range_pages_words(
    lead, seeded_day, database, world, lead_member
) -> None:
    html = lead.get(f"/console/reports?site=north&date={DAY}").text
    summary = service_daily(database, world, lead_member, DAY)["summary"]
    assert '<caption id="measures-caption">Every figure, ' in html
    assert row_of(html, "no_show") == "No-shows | 0"
    assert row_of(html, "cancelled") == "Cancelled | 0"
    for key in ("service_median_min", "service_p90_min", "urgent_contact_median_min",
                "urgent_contact_p90_min"):  # fmt: skip
        said = f"{report_words.MEASURE_WORDS[key]} | {report_words.minutes_words(summary[key])}"
        assert row_of(html, key) == said
    service = row_of(html, "service_median_min")
    assert service == "Median time with a case manager (minutes) | 24 min"
    assert row_of(html, "urgent_contact_median_min").endswith("| 2 min")
    # Today's figures are those so far, and say so.
    today = lead.get("/console/reports?site=north").text
    assert "<h2>The day in figures, so far</h2>" in today and "Today so far" in today


def test_the_texts_table_and_the_equity_words_say_what_they_are(
    lead, seeded_day, database, world, lead_member
) -> None:
    with database.session() as s:
        report = reports.daily(s, world.reload(lead_member), "north", DAY)
        report["summary"] |= {"texts_sent": 2, "texts_delivered": 1}
        site = s.scalars(select(Site).where(Site.slug == "north")).one()
        texts = next(c for c in report_views.daily_charts(report, site) if c["id"] == "chart-texts")
    assert texts["table"].head == ("Status", "Texts")
    html = lead.get(f"/console/reports?site=north&date={DAY}").text
    assert "by how many checked in, most first" in html and "shows here first" not in html
    equity = html.split('data-equity="by_language"', 1)[1].split("</table>", 1)[0]
    assert equity.count("data-longest") == 1
    assert re.search(r'data-group="es">.*?30 min <strong class="tag" data-longest>', equity)


def test_the_pages_say_the_sites_time_zone(lead, seeded_day) -> None:
    words = "Days and times are New York time (America/New_York)"
    assert words in lead.get(f"/console/reports?site=north&date={DAY}").text
    assert words in lead.get(f"/console/reports/range?site=north&from={DAY}&to={DAY}").text


def test_a_closed_day_says_closed_and_not_nobody_came(lead, weekday_hours) -> None:
    first, last = days_ago(12), days_ago(6)  # a whole week: one Saturday, one Sunday
    html = lead.get(f"/console/reports/range?site=north&from={first}&to={last}").text
    table = html.split('id="chart-trend-caption"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(\w+) [^<]*</th>((?:<td>[^<]*</td>)+)</tr>', table)
    assert len(rows) == 7
    for weekday, cells in rows:
        closed = weekday in ("Sat", "Sun")
        assert (cells == "<td>closed</td>" * 3) is closed, (weekday, cells)


def test_a_range_that_ends_today_says_so_far(lead, monkeypatch) -> None:
    asked = report_ranges.range_report

    def ending_today(*args, **kw):  # type: ignore[no-untyped-def]
        report = asked(*args, **kw)
        report["days"][-1]["partial"] = True
        return report | {"partial": True}

    monkeypatch.setattr(report_ranges, "range_report", ending_today)
    html = lead.get(f"/console/reports/range?site=north&from={days_ago(2)}&to={days_ago(0)}").text
    assert "<h2>Totals, so far</h2>" in html and "<h2>Every figure, so far</h2>" in html
    assert "(today so far), beside" in html and "These days so far" in html
    assert re.search(r'<th scope="row">\w+ [^<]* \(so far\)</th>', html)


def test_a_refused_form_is_focused_and_each_field_names_its_problem(lead) -> None:
    page = lead.get("/console/reports/range?site=north&from=2026-03-10&to=2026-03-01")
    assert page.status_code == 422
    html = page.text
    assert re.search(r'<div class="error-summary" role="alert" tabindex="-1" autofocus', html)
    field = re.search(r'<input id="report-to" [^>]*>', html).group(0)
    assert 'aria-invalid="true" aria-describedby="report-to-error"' in field
    assert re.search(r'<p class="field-error" id="report-to-error">[^<]+</p>', html)
    assert "aria-describedby" not in re.search(r'<input id="report-from" [^>]*>', html).group(0)
    day = lead.get("/console/reports?site=north&date=yesterday").text
    assert 'aria-describedby="report-date-error"' in day and 'id="report-date-error"' in day
