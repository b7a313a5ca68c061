"""Staff administration: an administrator invites, changes, deactivates and resets; the
person chooses a password through a one-time link; everything is audited; and a
deactivated account is signed out everywhere at once, live connections included."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from queue_service.clock import utcnow
from queue_service.models import AuditEntry, StaffToken
from queue_service.models.staff import SetPasswordLink
from web_kernel.extensions import socketio

NEW_PASSWORD = "a quiet harbour at dawn"


@pytest.fixture
def admin(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff("ada@example.org", role="admin")
    return sign_in("ada@example.org")


def invite(client, headers, **body):  # type: ignore[no-untyped-def]
    body = {"email": "cam@example.org", "name": "Cam Reyes", "role": "case_manager",
            "sites": ["north"], "languages": ["en", "es"], **body}  # fmt: skip
    return client.post("/api/v1/staff", json=body, headers=headers)


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def choose_password(csrf_token):  # type: ignore[no-untyped-def]
    """choose_password(client, url, password, again): the link's page, and the form sent."""

    def choose(client, url: str, password: str = NEW_PASSWORD, again: str | None = None):  # type: ignore[no-untyped-def]
        page = client.get(path_of(url))
        data = {
            "password": password,
            "again": again or password,
            "csrf_token": csrf_token(page.text),
        }
        return page, client.post(path_of(url), data=data)

    return choose


def test_an_invited_person_chooses_a_password_through_the_link_once_and_signs_in(
    app, client, admin, session, choose_password
) -> None:
    answer = invite(client, admin)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["staff"]["email"] == "cam@example.org" and body["staff"]["sites"] == ["north"]
    url = body["set_password_url"]
    token = url.rsplit("/", 1)[1]
    stored = session.scalars(select(SetPasswordLink.token_hash)).all()
    assert stored and token not in stored  # only a hash of the link's token is kept
    # Before the link is used, the account has no password anyone knows.
    refused = client.post("/api/v1/auth/login", json={"email": "cam@example.org", "password": ""})
    assert refused.status_code in (401, 422)

    fresh = app.test_client()
    page, chosen = choose_password(fresh, url)
    assert page.status_code == 200 and "Cam Reyes" in page.text
    assert chosen.status_code == 303 and "signed_out=password" in chosen.headers["Location"]
    login = fresh.post(
        "/api/v1/auth/login", json={"email": "cam@example.org", "password": NEW_PASSWORD}
    )
    assert login.status_code == 200
    again = fresh.get(f"/console/set-password/{token}")
    assert again.status_code == 404 and "expired or was already used" in again.text


def test_the_list_says_where_each_account_stands(
    app, client, world, north, admin, choose_password, session
) -> None:
    def status(email: str) -> tuple[str, str]:
        staff = client.get("/api/v1/sites/north/staff", headers=admin).get_json()["staff"]
        found = next(s for s in staff if s["email"] == email)
        return found["status"], found["status_label"]

    url = invite(client, admin).get_json()["set_password_url"]
    assert status("cam@example.org") == (
        "awaiting_password", "Invited: has not chosen a password yet")  # fmt: skip
    choose_password(app.test_client(), url)
    assert status("cam@example.org") == ("active", "Active")
    cam = world.staff("dee@example.org")
    client.post(f"/api/v1/staff/{cam.id}/password-reset", headers=admin)
    assert status("dee@example.org")[0] == "awaiting_password"
    session.execute(update(SetPasswordLink).values(expires_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    assert status("dee@example.org") == (
        "link_expired", "Link ran out: reset the password for a new one")  # fmt: skip
    client.patch(f"/api/v1/staff/{cam.id}", json={"active": False}, headers=admin)
    assert status("dee@example.org") == ("deactivated", "Deactivated")


def test_a_link_works_for_24_hours_only(app, client, admin, database) -> None:
    url = invite(client, admin).get_json()["set_password_url"]
    with database.session() as s:
        link = s.scalars(select(SetPasswordLink)).one()
        assert link.expires_at - link.created_at == timedelta(hours=24)
        s.execute(update(SetPasswordLink).values(expires_at=utcnow() - timedelta(seconds=1)))
        s.commit()
    assert app.test_client().get(path_of(url)).status_code == 404


def test_a_weak_or_mismatched_password_through_the_link_is_refused_and_the_link_still_works(
    app, client, admin, choose_password
) -> None:
    url = invite(client, admin).get_json()["set_password_url"]
    fresh = app.test_client()
    assert choose_password(fresh, url, "short")[1].status_code == 422
    assert choose_password(fresh, url, NEW_PASSWORD, again="something else")[1].status_code == 422
    assert choose_password(fresh, url)[1].status_code == 303


@pytest.mark.parametrize("languages", [["en", "xx"], ["EN"], [], ["en", "en"]])
def test_staff_languages_are_only_supported_ones(client, admin, assert_contract_error, languages):  # type: ignore[no-untyped-def]
    error = assert_contract_error(invite(client, admin, languages=languages), 422)
    assert "languages" in error["fields"]


def test_only_administrators_invite_and_only_leads_and_admins_see_the_list(
    client, world, north, admin, sign_in, assert_contract_error
) -> None:
    world.staff("lee@example.org", role="site_lead")
    world.staff("cm@example.org")
    lead, manager = sign_in("lee@example.org"), sign_in("cm@example.org")
    assert_contract_error(invite(client, lead), 403)
    listed = client.get("/api/v1/sites/north/staff", headers=lead).get_json()
    assert {s["email"] for s in listed["staff"]} == {
        "ada@example.org",
        "lee@example.org",
        "cm@example.org",
    }
    assert listed["may_manage"] is False
    assert client.get("/api/v1/sites/north/staff", headers=admin).get_json()["may_manage"] is True
    assert_contract_error(client.get("/api/v1/sites/north/staff", headers=manager), 403)


def test_an_admin_acts_only_at_their_own_sites(
    client, world, north, south, admin, assert_contract_error
) -> None:
    assert_contract_error(invite(client, admin, sites=["south"]), 403)
    elsewhere = world.staff("sam@example.org", sites_=("south",))
    assert_contract_error(
        client.patch(f"/api/v1/staff/{elsewhere.id}", json={"role": "admin"}, headers=admin), 404
    )
    both = world.staff("bo@example.org", sites_=("north", "south"))
    changed = client.patch(f"/api/v1/staff/{both.id}", json={"sites": ["north"]}, headers=admin)
    # South is not Ada's to take away: Bo keeps it, and Ada sees only north.
    assert changed.get_json()["staff"]["sites"] == ["north"]
    assert {s.slug for s in world.reload(both).sites} == {"north", "south"}


def test_an_admin_of_one_site_cannot_lock_a_colleague_out_of_another(
    client, world, north, south, admin, assert_contract_error
) -> None:
    bo = world.staff("bo@example.org", sites_=("north", "south"))
    for answer in (
        client.patch(f"/api/v1/staff/{bo.id}", json={"active": False}, headers=admin),
        client.patch(f"/api/v1/staff/{bo.id}", json={"role": "admin"}, headers=admin),
        client.post(f"/api/v1/staff/{bo.id}/password-reset", headers=admin),
    ):
        assert assert_contract_error(answer, 403)["code"] == "not_every_site"
    kept = world.reload(bo)
    assert (kept.active, kept.role) == (True, "case_manager")
    # What stays Ada's: Bo's languages, and north; the list offers her only that.
    languages = client.patch(
        f"/api/v1/staff/{bo.id}", json={"languages": ["en", "ht"]}, headers=admin
    )
    assert languages.status_code == 200
    listed = {
        s["email"]: s
        for s in client.get("/api/v1/sites/north/staff", headers=admin).get_json()["staff"]
    }
    assert listed["bo@example.org"]["allowed"] == ["sites_and_languages"]


def test_the_list_offers_each_account_exactly_what_its_viewer_may_change(
    client, world, north, admin, sign_in
) -> None:
    world.staff("cam@example.org")
    dee = world.staff("dee@example.org")
    client.patch(f"/api/v1/staff/{dee.id}", json={"active": False}, headers=admin)
    world.staff("lee@example.org", role="site_lead")

    def allowed(headers):  # type: ignore[no-untyped-def]
        staff = client.get("/api/v1/sites/north/staff", headers=headers).get_json()["staff"]
        return {s["email"]: s["allowed"] for s in staff}

    assert allowed(admin) == {
        "ada@example.org": ["sites_and_languages"],
        "cam@example.org": ["deactivate", "reset_password", "role", "sites_and_languages"],
        "dee@example.org": ["reactivate", "role", "sites_and_languages"],
        "lee@example.org": ["deactivate", "reset_password", "role", "sites_and_languages"],
    }
    assert set(map(tuple, allowed(sign_in("lee@example.org")).values())) == {()}


def test_changing_role_sites_and_languages_is_audited_with_before_and_after(
    client, world, north, south, admin, session
) -> None:
    cam = world.staff("cam@example.org")
    answer = client.patch(
        f"/api/v1/staff/{cam.id}",
        json={"role": "site_lead", "languages": ["en", "pt"]},
        headers=admin,
    )
    assert answer.status_code == 200
    assert answer.get_json()["staff"]["role"] == "site_lead"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "staff.changed")).one()
    assert entry.staff_email == "ada@example.org"
    assert entry.detail["changes"] == {
        "role": {"before": "case_manager", "after": "site_lead"},
        "languages": {"before": ["en"], "after": ["en", "pt"]},
    }


def test_an_empty_list_of_sites_is_refused_at_the_edge(
    client, world, admin, assert_contract_error
) -> None:
    cam = world.staff("cam@example.org")
    for answer in (
        invite(client, admin, email="new@example.org", sites=[]),
        client.patch(f"/api/v1/staff/{cam.id}", json={"sites": []}, headers=admin),
    ):
        error = assert_contract_error(answer, 422, "validation_failed")
        assert error["fields"] == {"sites": "Give at least one site."}
    assert [s.slug for s in world.reload(cam).sites] == ["north"]


def test_an_admin_cannot_lock_themselves_out(client, world, admin, assert_contract_error) -> None:
    ada = world.staff("ada2@example.org", role="admin")  # a colleague, to show the rule is "self"
    me = client.get("/api/v1/auth/me", headers=admin).get_json()["staff"]["id"]
    assert_contract_error(
        client.patch(f"/api/v1/staff/{me}", json={"active": False}, headers=admin), 409
    )
    assert_contract_error(client.post(f"/api/v1/staff/{me}/password-reset", headers=admin), 409)
    assert (
        client.patch(f"/api/v1/staff/{ada.id}", json={"active": False}, headers=admin).status_code
        == 200
    )


def test_deactivating_signs_the_person_out_everywhere_at_once(
    app, client, world, north, admin, sign_in, console_sign_in, session
) -> None:
    cam = world.staff("cam@example.org")
    token_headers = sign_in("cam@example.org")
    browser = app.test_client()
    console_sign_in(browser, "cam@example.org")
    live = socketio.test_client(
        app, namespace="/console", auth={"token": token_headers["Authorization"][7:]}
    )
    assert live.is_connected("/console")
    live.get_received("/console")

    answer = client.patch(f"/api/v1/staff/{cam.id}", json={"active": False}, headers=admin)
    assert answer.status_code == 200 and answer.get_json()["staff"]["active"] is False

    assert client.get("/api/v1/auth/me", headers=token_headers).status_code == 401
    assert browser.get("/api/v1/auth/me").status_code == 401
    # Told why, then disconnected by the server (the test client keeps what it was sent).
    assert [m["name"] for m in live.queue] == ["session:ended"]
    assert not live.is_connected("/console")
    assert session.scalars(select(StaffToken).where(StaffToken.revoked_at.is_(None))).all() == [
        t
        for t in session.scalars(select(StaffToken))
        if t.staff_id != cam.id and t.revoked_at is None
    ]
    login = client.post(
        "/api/v1/auth/login", json={"email": "cam@example.org", "password": "correct-horse-battery"}
    )
    assert login.status_code == 401
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "staff.changed")).one()
    assert entry.detail["changes"] == {"active": {"before": True, "after": False}}
    assert entry.detail["sessions_revoked"] == 2


def test_a_password_reset_gives_a_new_link_and_ends_every_session_and_the_old_password(
    app, client, world, north, admin, sign_in, session, choose_password
) -> None:
    cam = world.staff("cam@example.org")
    old_headers = sign_in("cam@example.org")
    first = invite(client, admin, email="dee@example.org").get_json()["set_password_url"]
    answer = client.post(f"/api/v1/staff/{cam.id}/password-reset", headers=admin)
    assert answer.status_code == 200
    url = answer.get_json()["set_password_url"]
    assert url != first and "/console/set-password/" in url
    assert client.get("/api/v1/auth/me", headers=old_headers).status_code == 401
    old = client.post(
        "/api/v1/auth/login", json={"email": "cam@example.org", "password": "correct-horse-battery"}
    )
    assert old.status_code == 401
    assert choose_password(app.test_client(), url)[1].status_code == 303
    new = client.post(
        "/api/v1/auth/login", json={"email": "cam@example.org", "password": NEW_PASSWORD}
    )
    assert new.status_code == 200
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "staff.password_reset" in actions and actions[-2:] == [
        "staff.password_set",
        "staff.signed_in",
    ]


def test_a_second_reset_retires_the_first_link(app, client, world, north, admin) -> None:
    cam = world.staff("cam@example.org")
    first = client.post(f"/api/v1/staff/{cam.id}/password-reset", headers=admin).get_json()
    client.post(f"/api/v1/staff/{cam.id}/password-reset", headers=admin)
    assert app.test_client().get(path_of(first["set_password_url"])).status_code == 404
