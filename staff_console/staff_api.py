"""Staff administration over JSON: who works at a site (leads and admins), and, for admins,
inviting, changing, deactivating and resetting a password. The rules are the core's
(queue_service/services/staff_admin.py); this only translates HTTP."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_login import login_required

from queue_service.domain.errors import Forbidden
from queue_service.domain.roles import may_manage_staff, may_see_staff
from queue_service.persistence import repositories, staff_queries
from queue_service.services import staff_admin, staff_passwords
from queue_service.services.duty import require_member
from queue_service.services.staff_commands import ChangeStaff, InviteStaff
from web_kernel.web import db_session, json_object, public_base_url

from .auth import check_csrf, signed_in_staff

staff_api = Blueprint("staff_accounts", __name__, url_prefix="/api/v1")
staff_api.before_request(check_csrf)

SET_PASSWORD_PATH = "/console/set-password/"


@staff_api.get("/sites/<site>/staff")
@login_required
def site_staff(site: str) -> Response:
    me = signed_in_staff()
    found = repositories.site_by_slug(db_session(), site)
    require_member(me, found)
    if not may_see_staff(me.role):
        raise Forbidden(
            "Only site leads and administrators see the staff list.", code="not_allowed"
        )
    members = staff_queries.staff_at_site(db_session(), found.id)
    return jsonify(
        {
            "staff": staff_admin.listing(db_session(), members, seen_by=me),
            # What this viewer may do here: the page shows only the controls that will work.
            "may_manage": may_manage_staff(me.role),
        }
    )


@staff_api.post("/staff")
@login_required
def invite() -> tuple[Response, int]:
    command = InviteStaff.from_body(json_object())
    me = signed_in_staff()
    link = staff_admin.invite(db_session(), command, by=me, origin=request.remote_addr)
    return jsonify(_with_link(link, me)), 201


@staff_api.patch("/staff/<int:staff_id>")
@login_required
def change(staff_id: int) -> Response:
    me = signed_in_staff()
    command = ChangeStaff.from_body(staff_id, json_object())
    changed = staff_admin.change(db_session(), command, by=me, origin=request.remote_addr)
    return jsonify({"staff": staff_admin.account(changed, seen_by=me)})


@staff_api.post("/staff/<int:staff_id>/password-reset")
@login_required
def password_reset(staff_id: int) -> Response:
    me = signed_in_staff()
    link = staff_admin.reset_password(db_session(), staff_id, by=me, origin=request.remote_addr)
    return jsonify(_with_link(link, me))


def _with_link(link: staff_passwords.NewLink, me: object) -> dict:
    return {
        "staff": staff_admin.account(link.staff, seen_by=me),  # type: ignore[arg-type]
        # There is no e-mail server: the administrator hands this over. It works once.
        "set_password_url": public_base_url() + SET_PASSWORD_PATH + link.token,
        "expires_at": link.expires_at.isoformat().replace("+00:00", "Z"),
    }
