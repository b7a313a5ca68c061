"""Who is asking: a bearer token (API clients) or the browser console's session.

The console's session cookie holds only a random session token whose hash is a row in the
database (like an API token, but ending after `FRONTDOOR_CONSOLE_IDLE_SECONDS` unused).
Signing out revokes that row, so a copied cookie, or a page kept by the Back button, can
no longer reach anything. Requests made with the session are CSRF-checked; bearer
requests carry no ambient credential and need no check.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_login import UserMixin, current_user

from queue_service.models import Staff
from queue_service.services import staff as staff_service
from web_kernel.extensions import csrf, login_manager
from web_kernel.web import NotSignedIn, core, db_session

SESSION_KEY = "console_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignedInStaff(UserMixin):
    def __init__(self, staff: Staff, token: str, *, browser: bool):
        self.staff = staff
        self.token = token
        self.browser = browser

    def get_id(self) -> str:
        return str(self.staff.id)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def init_auth(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked below, for sessions only
    # The token lives as long as the session, which signing out or idling ends anyway.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # Our pages send no Referer (Referrer-Policy: no-referrer), so Flask-WTF's HTTPS Referer
    # check would refuse every change; the token and SameSite cookies are the protection.
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    login_manager.init_app(app)
    csrf.init_app(app)

    @login_manager.request_loader
    def _load(_request):  # type: ignore[no-untyped-def]
        token = bearer_token()
        browser = token is None
        if browser:
            token = session.get(SESSION_KEY)
        if not isinstance(token, str) or not token:
            return None
        # The console's own timers (refreshing the duty picture) are not the manager's
        # activity, and must not keep an idle session open.
        touch = request.headers.get("X-Frontdoor-Background") is None
        staff = staff_service.staff_for_token(db_session(), token, touch=touch)
        return SignedInStaff(staff, token, browser=browser) if staff else None

    @login_manager.user_loader
    def _never(_staff_id: str) -> None:  # sessions are loaded from their token above
        return None

    @login_manager.unauthorized_handler
    def _unauthorized():  # type: ignore[no-untyped-def]
        raise NotSignedIn("Sign in first.")


def check_csrf() -> None:
    """Before staff requests: a change made with the browser's session must carry its token.

    Without a session there is no ambient credential to abuse (a bearer token must be sent
    on purpose), so there is nothing to check; the sign-in form checks its own token.
    """
    if request.endpoint == "console.sign_out":
        return  # signing out must always work, even from a stale page; it harms no one
    if request.method not in SAFE_METHODS and bearer_token() is None and session.get(SESSION_KEY):
        csrf.protect()


def start_browser_session(token: str) -> str | None:
    """Replace whatever session the browser had; returns the old token, to revoke it."""
    old = session.get(SESSION_KEY)
    session.clear()
    session[SESSION_KEY] = token
    return old if isinstance(old, str) else None


def end_browser_session() -> str | None:
    token = session.get(SESSION_KEY)
    session.clear()
    return token if isinstance(token, str) else None


def idle_seconds() -> int:
    return core().settings.console_idle_seconds


def signed_in_staff() -> Staff:
    if not current_user.is_authenticated:
        raise NotSignedIn("Sign in first.")
    return current_user.staff
