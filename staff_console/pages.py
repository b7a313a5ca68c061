"""The browser console at /console/: sign-in, the live queue, and the audit log for admins."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from frontdoor.extensions import limiter
from frontdoor.i18n import LANGUAGE_NAMES
from frontdoor.web import core, db_session
from queue_service.domain.lifecycle import Outcome
from queue_service.domain.roles import may_read_audit
from queue_service.services import audit
from queue_service.services import staff as staff_service

from .admin_api import audit_json
from .api import LOGIN_LIMIT_PER_ADDRESS
from .auth import check_csrf, end_browser_session, start_browser_session

console = Blueprint("console", __name__, static_folder="static", static_url_path="/static/console")
console.before_request(check_csrf)

# Shown before the idle sign-out, with a button to stay: no one is timed out unwarned.
IDLE_WARNING_SECONDS = 120
SIGNED_OUT_MESSAGES = {
    "yes": "You have signed out.",
    "idle": "You were signed out after a time without use, to keep people's details private.",
    "expired": "That page had expired. Please sign in again.",
}


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


@console.get("/console/")
def home() -> str:
    if not current_user.is_authenticated:
        message = SIGNED_OUT_MESSAGES.get(request.args.get("signed_out", ""))
        return render_template("console/sign_in.html", form=SignInForm(), message=message)
    staff = current_user.staff
    settings = core().settings
    config = {
        "staff": {"id": staff.id, "name": staff.name, "role": staff.role},
        "sites": [
            {
                "slug": s.slug,
                "name": s.name,
                "languages": list(s.languages),
                "needs": list(s.need_categories),
            }
            for s in staff.sites
        ],
        "languageNames": LANGUAGE_NAMES,
        "outcomes": [o.value for o in Outcome],
        "csrfToken": generate_csrf(),
        "idleSeconds": settings.console_idle_seconds,
        "idleWarningSeconds": min(IDLE_WARNING_SECONDS, settings.console_idle_seconds // 2),
        "noShowAfterSeconds": settings.no_show_after_seconds,
        "callbackAttempts": settings.callback_attempts,
    }
    return render_template(
        "console/app.html", staff=staff, config=config, reads_audit=may_read_audit(staff.role)
    )


@console.post("/console/sign-in")
@limiter.limit(LOGIN_LIMIT_PER_ADDRESS, deduct_when=lambda r: r.status_code == 401)
def sign_in() -> Response | tuple[str, int]:
    form = SignInForm()
    if form.validate_on_submit():
        signed_in = staff_service.sign_in(
            db_session(),
            form.email.data,
            form.password.data,
            idle_seconds=core().settings.console_idle_seconds,
        )
        if signed_in is not None:
            previous = start_browser_session(signed_in[1])
            if previous:  # a shared computer: whoever signed in before is signed out now
                staff_service.revoke_token(db_session(), previous)
            return redirect(url_for("console.home"), code=303)
    elif "csrf_token" in form.errors:  # the page sat open too long, or came from elsewhere
        error = SIGNED_OUT_MESSAGES["expired"]
        return render_template("console/sign_in.html", form=form, error=error), 400
    error = "That email and password do not match."
    return render_template("console/sign_in.html", form=form, error=error), 401


@console.post("/console/sign-out")
def sign_out() -> Response:
    token = end_browser_session()
    if token:
        staff_service.revoke_token(db_session(), token)
    reason = "idle" if request.form.get("reason") == "idle" else "yes"
    response = redirect(url_for("console.home", signed_out=reason), code=303)
    # Pages kept by the browser (the Back button) must not show anyone's details.
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@console.get("/console/audit")
def audit_page() -> str | Response:
    if not current_user.is_authenticated:
        return redirect(url_for("console.home"))
    site = request.args.get("site") or None
    before = request.args.get("before", "")
    entries = audit.read(
        db_session(),
        current_user.staff,
        site_slug=site,
        before_id=int(before) if before.isdigit() and len(before) < 12 else None,
        limit=100,
    )
    return render_template(
        "console/audit.html",
        staff=current_user.staff,
        entries=[audit_json(e) for e in entries],
        site=site,
    )
