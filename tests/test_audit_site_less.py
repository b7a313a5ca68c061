"""Entries that belong to no site (staff administration, sign-ins) are about one account:
only an administrator of every site that account works at reads them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("north", "south")


@pytest.fixture
def admins(world, sign_in):  # type: ignore[no-untyped-def]
    """Bo administers north and south; Nell only north. Their tokens."""
    world.staff("bo@example.org", role="admin", sites_=("north", "south"))
    world.staff("nell@example.org", role="admin", sites_=("north",))
    return {"bo": sign_in("bo@example.org"), "nell": sign_in("nell@example.org")}


@pytest.fixture
def seen_by(client):  # type: ignore[no-untyped-def]
    """seen_by(headers): the site-less entries an administrator reads, as (action, about)."""

    def read(headers):  # type: ignore[no-untyped-def]
        response = client.get("/api/v1/audit?limit=500", headers=headers)
        assert response.status_code == 200, response.get_json()
        return {
            (e["action"], e["detail"].get("staff") or e["staff_email"])
            for e in response.get_json()["entries"]
            if e["site"] is None
        }

    return read


def invite(client, headers, email, sites):  # type: ignore[no-untyped-def]
    body = {"email": email, "name": "Someone New", "role": "case_manager", "sites": sites}
    response = client.post("/api/v1/staff", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["staff"]["id"]


def test_what_is_done_to_another_sites_account_is_not_shown_to_this_sites_admin(
    client, admins, seen_by
) -> None:
    south_only = invite(client, admins["bo"], "sam@south.example.org", ["south"])
    changed = client.patch(
        f"/api/v1/staff/{south_only}", json={"role": "site_lead"}, headers=admins["bo"]
    )
    assert changed.status_code == 200, changed.get_json()
    reset = client.post(f"/api/v1/staff/{south_only}/password-reset", headers=admins["bo"])
    assert reset.status_code == 200, reset.get_json()
    about_sam = {
        ("staff.invited", "sam@south.example.org"),
        ("staff.changed", "sam@south.example.org"),
        ("staff.password_reset", "sam@south.example.org"),
    }
    assert about_sam <= seen_by(admins["bo"])
    assert not about_sam & seen_by(admins["nell"])


def test_an_account_at_this_site_is_shown_to_its_admin_whoever_changed_it(
    client, admins, seen_by
) -> None:
    invite(client, admins["bo"], "nia@north.example.org", ["north"])
    assert ("staff.invited", "nia@north.example.org") in seen_by(admins["nell"])


def test_sign_ins_are_shown_only_to_admins_of_every_site_of_the_account(
    world, client, admins, sign_in, seen_by
) -> None:
    world.staff("sue@example.org", sites_=("south",))
    world.staff("kit@example.org", sites_=("north", "south"))
    world.staff("max@example.org", sites_=("north",))
    for email in ("sue@example.org", "kit@example.org", "max@example.org"):
        sign_in(email)
    signed_in = {
        ("staff.signed_in", e) for e in ("sue@example.org", "kit@example.org", "max@example.org")
    }
    assert signed_in <= seen_by(admins["bo"])
    assert signed_in & seen_by(admins["nell"]) == {("staff.signed_in", "max@example.org")}


def test_a_failed_sign_in_for_nobodys_email_is_every_admins_to_read(
    client, admins, seen_by
) -> None:
    client.post("/api/v1/auth/login", json={"email": "who@x.org", "password": "guess-1234567"})
    for headers in admins.values():
        assert ("staff.sign_in_failed", None) in seen_by(headers)
