"""Critical-need cases: opened from a visitor in one step with the right dates, reviewed,
extended never past 180 days, closed only with a destination and a note; the caseload; a
person with an open case offered to their own manager first, never starving the line; and
every look and step audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from queue_service.models import AuditEntry, CriticalNeedCase
from web_kernel.extensions import socketio


@pytest.fixture
def manager(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff(on_duty_at="north")
    return sign_in("cm@example.org")


@pytest.fixture
def visitor_id(api, manager):  # type: ignore[no-untyped-def]
    """A visitor who came once, and was seen and done."""
    api.check_in(phone="+16175550123", needs=["housing"])
    called = api.call_next(manager).get_json()["ticket"]
    api.move(manager, called["id"], "start")
    api.move(manager, called["id"], "complete", outcome="case_opened")
    return called["visitor_id"]


@pytest.fixture
def open_case(api, manager, visitor_id):  # type: ignore[no-untyped-def]
    def open_(**body):  # type: ignore[no-untyped-def]
        body = {"visitor_id": visitor_id, "site": "north", "needs": ["housing"], **body}
        return api.client.post("/api/v1/cases", json=body, headers=manager)

    return open_


def test_a_case_opens_in_one_step_with_its_target_and_review_dates(open_case, database):
    response = open_case(goals=["Find a shelter bed", "Apply for SNAP"])
    assert response.status_code == 201, response.get_json()
    case = response.get_json()["case"]
    opened = date.fromisoformat(case["opened_on"])
    assert case["status"] == "open" and case["needs"] == ["housing"]
    assert case["target_end_on"] == (opened + timedelta(days=90)).isoformat()
    assert case["next_review_on"] == (opened + timedelta(days=30)).isoformat()
    assert case["latest_end_on"] == (opened + timedelta(days=180)).isoformat()
    assert case["assigned_to"]["name"] == "Cm"
    assert [g["status"] for g in case["goals"]] == ["not_started", "not_started"]
    assert [e["kind"] for e in case["timeline"]] == ["opened"]


def test_one_open_case_per_visitor_at_a_site(open_case, assert_contract_error):
    open_case()
    assert_contract_error(open_case(), 409, "case_already_open")


def test_a_case_cannot_close_without_a_destination_and_a_note(
    api, manager, open_case, assert_contract_error
):
    case_id = open_case().get_json()["case"]["id"]
    close = f"/api/v1/cases/{case_id}/close"
    missing = api.client.post(close, json={"note": "Done"}, headers=manager)
    assert_contract_error(missing, 422, "destination_required")
    wrong = api.client.post(close, json={"destination": "moon", "note": "x"}, headers=manager)
    assert "destination" in assert_contract_error(wrong, 422)["fields"]
    no_note = api.client.post(close, json={"destination": "dmh_services"}, headers=manager)
    assert_contract_error(no_note, 422, "note_required")
    done = api.client.post(
        close, json={"destination": "care_coordination", "note": "BH CP took over"}, headers=manager
    )
    case = done.get_json()["case"]
    assert case["status"] == "closed" and case["destination"] == "care_coordination"
    assert case["closed_on"] and case["next_review_on"] is None
    again = api.client.post(f"/api/v1/cases/{case_id}/reviews", json={}, headers=manager)
    assert_contract_error(again, 409, "case_closed")


def test_a_case_is_extended_but_never_beyond_180_days(
    api, manager, open_case, assert_contract_error
):
    case = open_case().get_json()["case"]
    opened = date.fromisoformat(case["opened_on"])
    extend = f"/api/v1/cases/{case['id']}/extend"
    too_long = (opened + timedelta(days=181)).isoformat()
    refused = api.client.post(extend, json={"until": too_long}, headers=manager)
    assert_contract_error(refused, 409, "case_too_long")
    earlier = api.client.post(extend, json={"until": case["opened_on"]}, headers=manager)
    assert_contract_error(earlier, 422)
    longest = (opened + timedelta(days=180)).isoformat()
    done = api.client.post(extend, json={"until": longest}, headers=manager).get_json()["case"]
    assert done["target_end_on"] == longest and done["can_extend"] is False


def test_a_review_moves_goals_and_sets_the_next_review(api, manager, open_case):
    case = open_case(goals=["Find a shelter bed"]).get_json()["case"]
    goal = case["goals"][0]["id"]
    body = {
        "goals": [{"id": goal, "status": "met"}],
        "new_goals": ["Keep the bed"],
        "note": "Has a bed at Pine St",
        "private": True,
    }
    response = api.client.post(f"/api/v1/cases/{case['id']}/reviews", json=body, headers=manager)
    reviewed = response.get_json()["case"]
    assert response.status_code == 200
    assert [(g["text"], g["status"]) for g in reviewed["goals"]] == [
        ("Find a shelter bed", "met"),
        ("Keep the bed", "not_started"),
    ]
    kinds = [e["kind"] for e in reviewed["timeline"]]
    assert kinds == ["opened", "goal_changed", "goal_added", "reviewed"]
    assert reviewed["timeline"][-1]["private"] is True
    today = date.fromisoformat(reviewed["opened_on"])
    assert reviewed["next_review_on"] == (today + timedelta(days=30)).isoformat()


def test_the_caseload_lists_my_cases_with_their_clocks(api, manager, open_case):
    open_case()
    mine = api.client.get("/api/v1/sites/north/cases?mine=1", headers=manager).get_json()
    [case] = mine["cases"]
    assert case["days_open"] == 0 and case["days_to_target_end"] == 90
    assert case["review_due"] is False
    due = api.client.get("/api/v1/sites/north/cases?review=due", headers=manager).get_json()
    assert due["cases"] == []
    bad = api.client.get("/api/v1/sites/north/cases?sort=nonsense", headers=manager)
    assert bad.status_code == 422


def test_every_case_step_and_look_is_audited_without_its_words(api, manager, open_case, database):
    case_id = open_case(goals=["Secret goal words"]).get_json()["case"]["id"]
    api.client.get(f"/api/v1/cases/{case_id}", headers=manager)
    api.client.post(
        f"/api/v1/cases/{case_id}/reviews", json={"note": "Private words"}, headers=manager
    )
    api.client.post(
        f"/api/v1/cases/{case_id}/consent", json={"shared_with": "BH CP North"}, headers=manager
    )
    with database.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action.like("case.%"))).all()
    assert [e.action for e in entries] == [
        "case.opened",
        "case.viewed",
        "case.reviewed",
        "case.consent_recorded",
    ]
    assert all(e.detail["case_id"] == case_id for e in entries)
    assert not any(w in str(e.detail) for e in entries for w in ("Secret", "Private", "BH CP"))


def consoles_told(console):  # type: ignore[no-untyped-def]
    return [m["args"][0] for m in console.get_received("/console") if m["name"] == "case:arrived"]


def test_a_person_with_an_open_case_is_offered_to_their_own_manager_first(
    app, world, api, manager, open_case, sign_in
):
    case_id = open_case().get_json()["case"]["id"]
    world.staff("other@example.org", on_duty_at="north", desk="2")
    other = sign_in("other@example.org")
    token = {
        h: v.split()[1]
        for h, v in (("mine", manager["Authorization"]), ("other", other["Authorization"]))
    }
    mine_console = socketio.test_client(app, namespace="/console", auth={"token": token["mine"]})
    other_console = socketio.test_client(app, namespace="/console", auth={"token": token["other"]})
    api.check_in(language="en")  # first in line
    mine = api.check_in(phone="+16175550123").get_json()["ticket"]
    [told] = consoles_told(mine_console)
    assert told == {
        "site": "north",
        "ticket_id": told["ticket_id"],
        "code": mine["code"],
        "case_id": case_id,
    }
    assert consoles_told(other_console) == []
    called = api.call_next(manager).get_json()["ticket"]
    assert called["code"] == mine["code"] and called["visitor"]["open_case"]["id"]
    # A colleague still takes the head of the line.
    assert api.call_next(other).get_json()["ticket"]["code"] == "A-002"


def test_a_caseload_never_starves_the_head_of_the_line(api, manager, open_case, database):
    from queue_service.domain.assignment import LANGUAGE_WINDOW
    from queue_service.models import Ticket

    open_case()
    head = api.check_in().get_json()["ticket"]
    api.check_in(phone="+16175550123")
    with database.session() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.token == head["token"]))
        ticket.queued_at -= LANGUAGE_WINDOW
        s.commit()
    assert api.call_next(manager).get_json()["ticket"]["code"] == head["code"]


def test_consent_is_recorded_on_a_closed_case_and_can_be_withdrawn(
    api, manager, open_case, client, console_sign_in, assert_contract_error
):
    case_id = open_case().get_json()["case"]["id"]
    steps = f"/api/v1/cases/{case_id}"
    api.client.post(
        f"{steps}/close",
        json={"destination": "dmh_services", "note": "Handed over"},
        headers=manager,
    )
    agreed = api.client.post(f"{steps}/consent", json={"shared_with": "DMH North"}, headers=manager)
    assert agreed.get_json()["case"]["consent"]["shared_with"] == "DMH North"
    console_sign_in(client, "cm@example.org")
    assert client.get(f"/console/cases/{case_id}/summary").status_code == 200
    withdrawn = api.client.post(f"{steps}/consent", json={"withdrawn": True}, headers=manager)
    case = withdrawn.get_json()["case"]
    assert case["consent"] is None
    assert [e["kind"] for e in case["timeline"]][-2:] == ["consent_recorded", "consent_withdrawn"]
    assert client.get(f"/console/cases/{case_id}/summary").status_code == 409
    again = api.client.post(f"{steps}/consent", json={"withdrawn": True}, headers=manager)
    assert_contract_error(again, 409, "no_consent")


def test_the_same_review_sent_twice_is_one_review(api, manager, open_case, database):
    case_id = open_case().get_json()["case"]["id"]
    review = {"note": "Has a bed at Pine St"}
    for _ in range(2):
        done = api.client.post(f"/api/v1/cases/{case_id}/reviews", json=review, headers=manager)
        assert done.status_code == 200
    kinds = [e["kind"] for e in done.get_json()["case"]["timeline"]]
    assert kinds == ["opened", "reviewed"]
    with database.session() as s:
        reviewed = s.scalars(select(AuditEntry).where(AuditEntry.action == "case.reviewed")).all()
    assert len(reviewed) == 1


def test_the_consoles_count_of_reviews_due_shows_no_one_and_is_not_a_look(
    api, manager, open_case, database
):
    case_id = open_case().get_json()["case"]["id"]
    count = api.client.get("/api/v1/sites/north/cases/reviews-due", headers=manager)
    assert count.get_json() == {"count": 0}
    with database.session() as s:
        s.get(CriticalNeedCase, case_id).next_review_on = date.today() - timedelta(days=3)
        s.commit()
        count = api.client.get("/api/v1/sites/north/cases/reviews-due", headers=manager)
        assert count.get_json() == {"count": 1}
        looks = s.scalars(select(AuditEntry).where(AuditEntry.action == "case.caseload_viewed"))
        assert looks.all() == []
