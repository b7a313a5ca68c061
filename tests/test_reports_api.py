"""The reports over the API: a week beside the week before, several sites side by side, the
CSV exports, who may read which report, and a refusal (never a 500) for a bad question."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from queue_service.domain.lifecycle import Action
from queue_service.models import SiteHours
from queue_service.services import checkins, queue, sites
from queue_service.services.commands import MoveTicket


@pytest.fixture
def lead(world, north, south, sign_in, weekday_hours):  # type: ignore[no-untyped-def]
    world.staff("lead@example.org", role="site_lead", sites_=("north", "south"))
    return sign_in("lead@example.org")


@pytest.fixture
def two_weeks(past_visit, past_shift, weekday_hours):  # type: ignore[no-untyped-def]
    """North: three visits in the week of 9 March, one the week before; south: one."""
    past_visit("north", "2026-03-02", "10:00", called="10:20", done="10:40")
    past_visit("north", "2026-03-09", "09:30", called="09:40", done="10:00", language="es")
    past_visit("north", "2026-03-09", "14:15", called="14:45", done="15:00")
    past_visit("north", "2026-03-11", "11:00", left="11:30", language="es")
    past_visit("south", "2026-03-10", "10:00", called="10:05", done="10:30")
    for day in ("2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"):
        past_shift("north", day, "09:00", "17:00")


def test_a_week_day_by_day_beside_the_week_before(client, lead, two_weeks) -> None:
    response = client.get(
        "/api/v1/sites/north/reports/range?from=2026-03-09&to=2026-03-15", headers=lead
    )
    assert response.status_code == 200
    report = response.get_json()["report"]
    assert [d["date"] for d in report["days"]][:2] == ["2026-03-09", "2026-03-10"]
    assert [d["checkins"] for d in report["days"]] == [2, 0, 1, 0, 0, 0, 0]
    assert report["totals"]["checkins"] == 3
    assert report["totals"]["wait_median_min"] == 20.0  # waits of 10 and 30 minutes
    assert report["change"]["checkins"] == {
        "value": 3, "previous": 1, "change": 2, "change_pct": 200.0,
    }  # fmt: skip
    assert report["previous"] == {"from": "2026-03-02", "to": "2026-03-08"}
    # Weekdays 09:00-17:00, every minute covered; the weekend is closed.
    assert report["totals"]["open_minutes"] == 5 * 480
    assert report["totals"]["uncovered_minutes"] == 0


def test_the_week_by_weekday_hour_and_heatmap(client, lead, two_weeks) -> None:
    report = client.get(
        "/api/v1/sites/north/reports/range?from=2026-03-09&to=2026-03-15", headers=lead
    ).get_json()["report"]
    monday = report["by_weekday"][0]
    assert monday == {"weekday": "mon", "days": 1, "checkins_per_day": 2.0}
    assert report["heatmap"]["arrivals"][0][9] == 1.0
    assert report["heatmap"]["arrivals"][0][14] == 1.0
    assert report["heatmap"]["wait_median_min"][0][14] == 30.0
    assert report["heatmap"]["wait_median_min"][2][11] is None  # she left before a call
    assert report["by_hour"][9] == round(1 / 5, 1)  # over the five open days, not seven


def test_the_overview_sets_a_leads_sites_side_by_side(client, lead, two_weeks) -> None:
    response = client.get("/api/v1/reports/overview?from=2026-03-09&to=2026-03-15", headers=lead)
    report = response.get_json()["report"]
    by_site = {s["site"]: s for s in report["sites"]}
    assert set(by_site) == {"north", "south"}
    assert by_site["north"]["totals"]["checkins"] == 3
    assert by_site["south"]["totals"]["checkins"] == 1
    assert by_site["south"]["totals"]["wait_median_min"] == 5.0
    assert by_site["north"]["change"]["checkins"]["previous"] == 1


def test_hours_changed_mid_month_count_each_day_by_its_own_hours(
    database, client, lead, weekday_hours
) -> None:
    with database.session() as s:
        sites.update_site(s, "north", {"hours": "mon-fri 09:00-13:00"})
        s.execute(
            update(SiteHours)
            .where(SiteHours.business_hours["mon"][0][1].as_string() == "13:00")
            .values(from_at=datetime(2026, 3, 16, 12, tzinfo=UTC))
        )
        s.commit()
    report = client.get(
        "/api/v1/sites/north/reports/range?from=2026-03-13&to=2026-03-16", headers=lead
    ).get_json()["report"]
    # Friday the 13th kept the old eight hours; Monday the 16th the new four (changed that day).
    assert [d["open_minutes"] for d in report["days"]] == [480, 0, 0, 240]
    assert [d["uncovered_minutes"] for d in report["days"]] == [480, 0, 0, 240]


def test_a_visit_past_midnight_belongs_to_the_day_it_began(client, lead, past_visit) -> None:
    past_visit("north", "2026-03-10", "23:40", called="23:50", started="23:55", done="next 00:25")
    days = client.get(
        "/api/v1/sites/north/reports/range?from=2026-03-10&to=2026-03-11", headers=lead
    ).get_json()["report"]["days"]
    assert [d["served"] for d in days] == [1, 0]
    assert days[0]["service_median_min"] == 30.0


def test_a_wait_is_measured_from_check_in_to_the_first_call(
    database, world, client, lead, north
) -> None:
    """Through the services themselves: the first call, not the last, ends the wait."""
    manager = world.staff("cm@example.org", on_duty_at="north")
    arrived = datetime.now(UTC) - timedelta(minutes=40)
    with database.session() as s:
        ticket = checkins.check_in(s, "north", {"language": "en"}, now=arrived).ticket
    with database.session() as s:
        queue.call_next(s, "north", world.reload(manager), now=arrived + timedelta(minutes=12))
    with database.session() as s:
        move = MoveTicket(ticket.id, Action.REQUEUE)
        queue.transition(s, world.reload(manager), move, now=arrived + timedelta(minutes=20))
    with database.session() as s:
        queue.call_next(s, "north", world.reload(manager), now=arrived + timedelta(minutes=30))
    report = client.get("/api/v1/sites/north/reports/daily", headers=lead).get_json()["report"]
    assert report["summary"]["wait_median_min"] == 12.0


def test_csv_exports_carry_the_documented_columns_and_no_one(
    database, client, lead, past_visit, world
) -> None:
    with database.session() as s:
        sites.update_site(s, "north", {"name": '=HYPERLINK("http://x")'})
    past_visit("north", "2026-03-10", "09:00", called="09:05", done="09:30",
               name="Rosa Delgado", phone="+16175550142")  # fmt: skip
    daily = client.get("/api/v1/sites/north/reports/daily?date=2026-03-10&format=csv", headers=lead)
    assert daily.status_code == 200 and daily.mimetype == "text/csv"
    assert "attachment" in daily.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(daily.text)))
    assert {"site": "north", "date": "2026-03-10", "measure": "checkins", "group": "",
            "value": "1"} in rows  # fmt: skip
    # One line a figure: a pivot by measure and group must not count any of them twice.
    keys = [(r["measure"], r["group"]) for r in rows]
    assert len(keys) == len(set(keys)) and ("checkins_by_language", "en") in keys
    overview = client.get(
        "/api/v1/reports/overview?from=2026-03-09&to=2026-03-15&format=csv", headers=lead
    ).text
    assert "Rosa" not in daily.text + overview and "0142" not in daily.text + overview
    names = [r["site_name"] for r in csv.DictReader(io.StringIO(overview))]
    assert '\'=HYPERLINK("http://x")' in names
    header = next(csv.reader(io.StringIO(client.get(
        "/api/v1/sites/north/reports/range?from=2026-03-09&to=2026-03-10&format=csv",
        headers=lead,
    ).text)))  # fmt: skip
    assert header[:4] == ["site", "date", "checkins", "served"]


def test_another_sites_lead_is_refused(client, world, sign_in, north, south) -> None:
    world.staff("southlead@example.org", role="site_lead", sites_=("south",))
    other = sign_in("southlead@example.org")
    for path in ("daily?date=2026-03-10", "range?from=2026-03-09&to=2026-03-15"):
        response = client.get(f"/api/v1/sites/north/reports/{path}", headers=other)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "not_your_site"


def test_a_case_manager_sees_todays_summary_of_their_site_and_nothing_more(
    client, world, sign_in, north
) -> None:
    world.staff("cm@example.org")
    manager = sign_in("cm@example.org")
    today = client.get("/api/v1/sites/north/reports/daily", headers=manager)
    assert today.status_code == 200
    report = today.get_json()["report"]
    assert "summary" in report and "equity" not in report
    for path in (
        "/api/v1/sites/north/reports/daily?date=2026-03-10",
        "/api/v1/sites/north/reports/range?from=2026-03-09&to=2026-03-15",
        "/api/v1/reports/overview?from=2026-03-09&to=2026-03-15",
    ):
        refused = client.get(path, headers=manager)
        assert refused.status_code == 403, path
        assert refused.get_json()["error"]["code"] == "not_allowed"


@pytest.mark.parametrize(
    "query, field",
    [
        ("daily?date=2026-02-30", "date"),
        ("daily?date=yesterday", "date"),
        ("range?from=2026-03-10&to=2026-03-01", "to"),
        ("range?from=2025-01-01&to=2026-03-01", "to"),
        ("range?to=2026-03-01", "from"),
        ("daily?format=xml", "format"),
    ],
)
def test_a_bad_question_is_a_clear_refusal(
    client, lead, assert_contract_error, query, field
) -> None:
    response = client.get(f"/api/v1/sites/north/reports/{query}", headers=lead)
    error = assert_contract_error(response, 422)
    assert field in error["fields"]


def test_signed_out_and_unknown_sites(client, lead, assert_contract_error) -> None:
    assert client.get("/api/v1/sites/north/reports/daily").status_code == 401
    assert_contract_error(client.get("/api/v1/sites/nowhere/reports/daily", headers=lead), 404)
