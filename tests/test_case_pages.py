"""The console's pages for returning visitors and critical-need cases, server-rendered: the
repeat visitors, a visitor's history (a case opened there in one step, a visit linked or
unlinked by hand), the caseload, a case worked through its forms, and the hand-off summary,
shown only with the person's consent and never with a private note. A refusal is the page's
error summary, never a 500; another office's staff find nothing."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from queue_service.models import AuditEntry

PHONE = "+16175550123"


@pytest.fixture
def token(world, north, sign_in):  # type: ignore[no-untyped-def]
    """Cm, a case manager on duty at north, with an API token to call people and end visits
    as the live queue does (taken before the browser session, which would want a CSRF token)."""
    world.staff(on_duty_at="north")
    return sign_in("cm@example.org")


@pytest.fixture
def manager(client, token, console_sign_in):  # type: ignore[no-untyped-def]
    """Cm signed in to the console on `client`."""
    console_sign_in(client, "cm@example.org")
    return client


@pytest.fixture
def visitor_id(api, token, on_an_earlier_day):  # type: ignore[no-untyped-def]
    """A visitor who came on three days about housing, the first one seen and done."""
    api.check_in(phone=PHONE, needs=["housing"])
    called = api.call_next(token).get_json()["ticket"]
    api.move(token, called["id"], "start")
    done = api.move(
        token,
        called["id"],
        "complete",
        outcome="referred",
        outcome_detail="Housing desk",
        note="Asked about rent",
    )
    assert done.status_code == 200, done.get_json()
    on_an_earlier_day(called, 2)
    second = api.check_in(phone=PHONE, needs=["housing"]).get_json()["ticket"]
    api.client.post(f"/api/v1/tickets/{second['token']}/cancel")
    on_an_earlier_day(second, 1)
    api.check_in(phone=PHONE)
    return called["visitor_id"]


@pytest.fixture
def post(manager, csrf_token):  # type: ignore[no-untyped-def]
    """post(path, page, **form): a console form sent with the page's CSRF token."""

    def send(path, page, **form):  # type: ignore[no-untyped-def]
        return manager.post(path, data={"csrf_token": csrf_token(page.text), **form})

    return send


@pytest.fixture
def case_id(manager, visitor_id, post):  # type: ignore[no-untyped-def]
    """A case opened from the visitor's page, with one goal."""
    page = manager.get(f"/console/visitors/{visitor_id}")
    opened = post(
        f"/console/visitors/{visitor_id}/cases",
        page,
        site="north",
        needs="housing",
        goals=["Find a shelter bed", "", ""],
        note="",
    )
    assert opened.status_code == 303, opened.text
    return int(re.search(r"/console/cases/(\d+)", opened.headers["Location"]).group(1))


def summary_of(html: str) -> str:
    return html.split('id="main"', 1)[1]


def test_the_repeat_visitors_page_lists_someone_after_three_check_ins(
    manager, api, on_an_earlier_day
):
    for back in (2, 1, 0):
        ticket = api.check_in(phone=PHONE).get_json()["ticket"]
        on_an_earlier_day(ticket, back)
    api.check_in(phone="+16175550199")
    page = manager.get("/console/visitors?site=north")
    assert page.status_code == 200
    assert "People who came on 3 days or more in the last 30 days" in page.text
    assert len(re.findall(r'<tr data-visitor="\d+">', page.text)) == 1
    assert "3rd visit in 30 days" in page.text and ">Open a case</a>" in page.text
    assert '<caption id="visitors-caption">' in page.text
    assert ">Visitors</a>" in page.text and ">Cases</a>" in page.text  # the navigation


def test_the_visitor_page_shows_every_visit_and_the_flag(manager, visitor_id, database):
    page = manager.get(f"/console/visitors/{visitor_id}")
    assert page.status_code == 200
    assert len(re.findall(r'<tr data-visit="\d+"', page.text)) == 3
    assert "A-001" in page.text and "A-003" in page.text
    assert "Asked about rent" in page.text and "Referred" in page.text
    assert "Housing desk" in page.text and "Lobby tablet" in page.text
    assert "3rd visit in 30 days" in page.text
    assert 'name="needs" value="housing" checked' in page.text  # from their visits
    with database.session() as s:
        looks = s.scalars(select(AuditEntry).where(AuditEntry.action == "visitor.viewed")).all()
    assert len(looks) == 1


def test_a_case_opens_in_one_step_from_the_visitor_page(manager, case_id, visitor_id):
    page = manager.get(f"/console/cases/{case_id}?opened=yes")
    assert page.status_code == 200
    assert "Case opened." in page.text and f"Visitor {visitor_id}</a>" in page.text
    assert "Find a shelter bed" in page.text and "Not started" in page.text
    assert "Case opened</td>" in page.text and "Visit A-001" in page.text  # the timeline
    assert "Not recorded" in page.text  # consent
    again = manager.get(f"/console/visitors/{visitor_id}")
    assert f'href="/console/cases/{case_id}"' in again.text
    assert "Open a critical-need case" not in again.text  # one open case per site


def test_opening_a_case_with_a_need_the_site_lacks_is_an_error_summary(manager, visitor_id, post):
    page = manager.get(f"/console/visitors/{visitor_id}")
    refused = post(f"/console/visitors/{visitor_id}/cases", page, site="north", needs="moon")
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and 'href="#open-needs"' in refused.text


def test_a_review_moves_a_goal_and_a_private_note_is_marked(manager, case_id, post):
    page = manager.get(f"/console/cases/{case_id}")
    goal = re.search(r'name="goal-(\d+)"', page.text).group(1)
    done = post(
        f"/console/cases/{case_id}/reviews",
        page,
        **{f"goal-{goal}": "met"},
        new_goals=["Keep the bed", "", ""],
        note="Talked about the family",
        private="yes",
    )
    assert done.status_code == 303
    page = manager.get(done.headers["Location"])
    assert "Review recorded." in page.text and "Keep the bed" in page.text
    assert "“Find a shelter bed”: Not started → Met." in page.text
    assert "PRIVATE" in page.text and "Talked about the family" in page.text


def test_extending_past_180_days_is_refused_and_within_them_works(manager, case_id, post):
    page = manager.get(f"/console/cases/{case_id}")
    latest = re.search(r'name="until" required max="([0-9-]+)"', page.text).group(1)
    too_long = (date.fromisoformat(latest) + timedelta(days=1)).isoformat()
    refused = post(f"/console/cases/{case_id}/extend", page, until=too_long)
    assert refused.status_code == 409
    assert "A critical-need case lasts at most 180 days." in refused.text
    assert 'href="#extend-until"' in refused.text
    done = post(f"/console/cases/{case_id}/extend", page, until=latest, note="")
    assert done.status_code == 303
    page = manager.get(done.headers["Location"])
    assert "Target end extended." in page.text and "already the latest" in page.text


def test_closing_needs_a_destination_and_then_closes(manager, case_id, post):
    page = manager.get(f"/console/cases/{case_id}")
    refused = post(f"/console/cases/{case_id}/close", page, destination="", note="Handed over")
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert "A case closes with a destination" in refused.text
    assert 'href="#close-destination"' in refused.text
    assert ">Handed over</textarea>" in refused.text  # what was typed stays
    done = post(
        f"/console/cases/{case_id}/close",
        page,
        destination="care_coordination",
        note="Handed over",
    )
    assert done.status_code == 303
    page = manager.get(done.headers["Location"])
    assert "Case closed." in page.text and "Health-plan or provider care coordination" in page.text
    assert "Record a review" not in page.text  # no forms on a closed case
    again = post(f"/console/cases/{case_id}/reviews", page, note="Late")
    assert again.status_code == 409 and "This case is closed." in again.text


def test_the_summary_needs_consent_and_leaves_out_private_and_visit_notes(
    manager, case_id, post, database
):
    refused = manager.get(f"/console/cases/{case_id}/summary")
    assert refused.status_code == 409 and "Record the person&#39;s consent first" in refused.text
    assert "Find a shelter bed" not in summary_of(refused.text)
    page = manager.get(f"/console/cases/{case_id}")
    post(f"/console/cases/{case_id}/reviews", page, note="Kept the bed all month")
    post(f"/console/cases/{case_id}/reviews", page, note="Talked about the family", private="yes")
    done = post(f"/console/cases/{case_id}/consent", page, shared_with="Pine St Clinic")
    assert done.status_code == 303
    summary = manager.get(f"/console/cases/{case_id}/summary")
    assert summary.status_code == 200
    body = summary_of(summary.text)
    assert "Pine St Clinic" in body and "Recorded" in body and "by Cm" in body
    assert "Find a shelter bed" in body and "Kept the bed all month" in body
    assert "Talked about the family" not in body and "Asked about rent" not in body
    assert "Referred" in body and "Housing desk" not in body  # the outcome, not its words
    with database.session() as s:
        looks = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.summary_viewed")
        ).all()
    assert len(looks) == 1
    page = manager.get(f"/console/cases/{case_id}")
    withdrawn = post(f"/console/cases/{case_id}/consent", page, withdrawn="yes")
    assert withdrawn.status_code == 303 and "done=withdrawn" in withdrawn.headers["Location"]
    assert "Consent withdrawn" in manager.get(withdrawn.headers["Location"]).text
    assert manager.get(f"/console/cases/{case_id}/summary").status_code == 409


def test_the_caseload_lists_the_case_with_its_clocks_and_filters(manager, case_id):
    page = manager.get("/console/cases?site=north")
    assert page.status_code == 200
    assert (
        f'<tr data-case="{case_id}"' in page.text
        and "Your reviews due today or overdue: 0" in page.text
    )
    assert 'aria-sort="ascending"' in page.text and "sort=target_end" in page.text
    mine = manager.get("/console/cases?site=north&mine=yes&sort=days_open")
    assert f'<tr data-case="{case_id}"' in mine.text
    overdue = manager.get("/console/cases?site=north&review=overdue")
    assert f'<tr data-case="{case_id}"' not in overdue.text
    wrong = manager.get("/console/cases?site=north&status=lost")
    assert wrong.status_code == 422 and 'href="#filter-status"' in wrong.text


def test_a_visit_of_today_is_linked_by_its_code_and_unlinked_again(manager, visitor_id, api, post):
    other = api.check_in().get_json()["ticket"]
    page = manager.get(f"/console/visitors/{visitor_id}")
    wrong = post(f"/console/visitors/{visitor_id}/visits", page, code="Z-999")
    assert wrong.status_code == 422 and 'href="#link-code"' in wrong.text
    linked = post(f"/console/visitors/{visitor_id}/visits", page, code=other["code"].lower())
    assert linked.status_code == 303
    page = manager.get(linked.headers["Location"])
    assert f"{other['code']} is linked to this visitor." in page.text
    assert len(re.findall(r'<tr data-visit="\d+"', page.text)) == 4
    ticket = re.search(
        r'visits/(\d+)/unlink">\s*<input[^>]*>\s*<button[^>]*aria-label="Unlink ' + other["code"],
        page.text,
    ).group(1)
    unlinked = post(f"/console/visitors/{visitor_id}/visits/{ticket}/unlink", page)
    assert unlinked.status_code == 303
    page = manager.get(unlinked.headers["Location"])
    assert f"{other['code']} is unlinked" in page.text
    assert len(re.findall(r'<tr data-visit="\d+"', page.text)) == 3


def test_another_offices_staff_find_nothing(
    client, world, south, visitor_id, case_id, console_sign_in
):
    world.staff("sam@example.org", sites_=("south",))
    client.post("/console/sign-out")
    console_sign_in(client, "sam@example.org")
    for path in (
        f"/console/visitors/{visitor_id}",
        f"/console/cases/{case_id}",
        f"/console/cases/{case_id}/summary",
    ):
        page = client.get(path)
        assert page.status_code == 404, path
        assert 'role="alert"' in page.text and "Find a shelter bed" not in page.text
    assert client.get("/console/visitors?site=north").status_code == 403
    assert client.get("/console/cases?site=north").status_code == 403


def test_a_page_a_role_may_not_open_says_so_in_the_console(client, world, north, console_sign_in):
    world.staff("cm@example.org")
    console_sign_in(client, "cm@example.org")
    for path in ("/console/urgent-not-seen", "/console/audit"):
        page = client.get(path)
        assert page.status_code == 403, path
        assert "<h1>This page is not for your role</h1>" in page.text, path
        assert "Back to the queue" in page.text and "ask at the front desk" not in page.text


def test_signed_out_the_pages_go_to_the_sign_in(client, world, north):
    assert client.get("/console/cases").status_code == 302
    assert client.get("/console/visitors/1").status_code == 302
