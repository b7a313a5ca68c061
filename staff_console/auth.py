"""Who is asking: a bearer token (API clients) or a session cookie (the browser console)."""

from __future__ import annotations

from flask import Flask, request
from flask_login import UserMixin, current_user

from frontdoor.extensions import login_manager
from frontdoor.web import NotSignedIn, db_session
from queue_service.models import Staff
from queue_service.services import staff as staff_service


class SignedInStaff(UserMixin):
    def __init__(self, staff: Staff, token: str | None = None):
        self.staff = staff
        self.token = token

    def get_id(self) -> str:
        return str(self.staff.id)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)

    @login_manager.request_loader
    def _from_bearer(_request):  # type: ignore[no-untyped-def]
        token = bearer_token()
        if token is None:
            return None
        staff = staff_service.staff_for_token(db_session(), token)
        return SignedInStaff(staff, token) if staff else None

    @login_manager.user_loader
    def _from_session(staff_id: str):  # type: ignore[no-untyped-def]
        staff = db_session().get(Staff, int(staff_id)) if staff_id.isdigit() else None
        return SignedInStaff(staff) if staff is not None and staff.active else None

    @login_manager.unauthorized_handler
    def _unauthorized():  # type: ignore[no-untyped-def]
        raise NotSignedIn("Sign in first.")


def signed_in_staff() -> Staff:
    if not current_user.is_authenticated:
        raise NotSignedIn("Sign in first.")
    return current_user.staff
