"""The browser console at /console/: sign-in, the live queue, the lead's pages (the audit
log's page: audit_pages.py).

Every signed-in page shares one shell (templates/console/shell.html): the navigation, shown
only to roles that may use each page, the idle sign-out, and the page's JSON config, read by
the page's ES module under /static/console/js/. Rendering is lit-html, served by us.
"""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from werkzeug.security import safe_join
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from queue_service.domain import needs as need_rules
from queue_service.domain import retention as retention_rules
from queue_service.domain.errors import TooManyTries
from queue_service.domain.escalation import ESCALATE_MINUTES_RANGE, MAX_ONCALL_NUMBERS
from queue_service.domain.hours import CLOSURE_REASON_MAX
from queue_service.domain.messages import ALMOST_TURN_AHEAD_RANGE
from queue_service.domain.sms_wording import SENDER_MAX
from queue_service.domain.visitors import REPEAT_LIMITS
from queue_service.models import Staff
from queue_service.services import sign_ins
from queue_service.services import staff as staff_service
from queue_service.services.sites import NAME_MAX as SITE_NAME_MAX
from web_kernel.i18n import LANGUAGE_NAMES
from web_kernel.need_words import standard_need_words
from web_kernel.web import core, db_session

from . import navigation
from .auth import check_csrf, end_browser_session, start_browser_session

console = Blueprint("console", __name__, static_folder="static", static_url_path="/static/console")
console.before_request(check_csrf)

# Shown before the idle sign-out, with a button to stay: no one is timed out unwarned.
IDLE_WARNING_SECONDS = 120
SIGNED_OUT_MESSAGES = {
    "yes": "You have signed out.",
    "idle": "You were signed out after a time without use, to keep people's details private.",
    "expired": "That page had expired. Please sign in again.",
    "password": "Your password is set. Sign in with it.",
    # The account was deactivated or its password reset, by an administrator, while open.
    "ended": "You were signed out: an administrator changed your account.",
}
# lit-html from npm (package.json pins it): in a wheel under frontdoor/vendor/lit-html
# (hatch_build.py), in a checkout straight from node_modules.
LIT_HTML_FOLDERS = (
    Path(__file__).parent.parent / "frontdoor" / "vendor" / "lit-html",
    Path(__file__).parent.parent / "node_modules" / "lit-html",
)


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


def page_config(staff: Staff) -> dict:
    """What every signed-in page's script needs (never a secret beyond the CSRF token)."""
    settings = core().settings
    return {
        "staff": {"id": staff.id, "name": staff.name, "role": staff.role},
        "sites": [
            {
                "slug": s.slug,
                "name": s.name,
                "timezone": s.timezone,
                "languages": list(s.languages),
                # The phone-caller form's choices: offered needs, in staff English.
                "needs": [
                    {"slug": n.slug, "label": need_rules.staff_label(n)}
                    for n in need_rules.offered(s.needs)
                ],
            }
            for s in staff.sites
        ],
        "languageNames": LANGUAGE_NAMES,
        "csrfToken": generate_csrf(),
        "idleSeconds": settings.console_idle_seconds,
        "idleWarningSeconds": min(IDLE_WARNING_SECONDS, settings.console_idle_seconds // 2),
    }


def render_page(template: str, **context: object) -> str:
    staff = current_user.staff
    return render_template(
        template,
        staff=staff,
        navigation=navigation.for_role(staff.role, request.endpoint),
        config={**page_config(staff), **context.pop("config", {})},  # type: ignore[dict-item]
        **context,
    )


@console.get("/console/")
def home() -> str:
    if not current_user.is_authenticated:
        message = SIGNED_OUT_MESSAGES.get(request.args.get("signed_out", ""))
        return render_template("console/sign_in.html", form=SignInForm(), message=message)
    return render_page(
        "console/app.html",
        config={"callbackAttempts": core().settings.callback_attempts},
    )


def lead_page(template: str, **context: object) -> str | Response:
    """A page not everyone may open: who may is the navigation's rule (one place)."""
    if not current_user.is_authenticated:
        return redirect(url_for("console.home"))
    if not navigation.may_open(request.endpoint or "", current_user.staff.role):
        abort(403)
    return render_page(template, **context)


def refused_page(_error: Exception) -> tuple[str, int]:
    """A console page the signed-in person's role may not open: said in the console, with
    the way back, not on the public pages' "something went wrong"."""
    problems = {
        "form": "page",
        "heading": "Your role cannot open this page. A site lead or an administrator can.",
        "lines": [],
    }
    return render_page("console/refused.html", problems=problems), 403


@console.get("/console/urgent-not-seen")
def urgent_not_seen_page() -> str | Response:
    return lead_page("console/urgent_not_seen.html")


@console.get("/console/site-settings")
def site_settings_page() -> str | Response:
    # A standard need's empty field shows, greyed, the words the kiosk will use instead.
    words = standard_need_words(list(LANGUAGE_NAMES))
    # The form's limits are the server's own, so it never lets through what the API refuses.
    limits = {
        "siteName": SITE_NAME_MAX,
        "needSlug": need_rules.SLUG_MAX,
        "needLabel": need_rules.LABEL_MAX,
        "closureReason": CLOSURE_REASON_MAX,
        "retentionDays": [retention_rules.MIN_RETENTION_DAYS, retention_rules.MAX_RETENTION_DAYS],
        "senderName": SENDER_MAX,
        "almostTurnAhead": [ALMOST_TURN_AHEAD_RANGE.start, ALMOST_TURN_AHEAD_RANGE.stop - 1],
        "escalateMinutes": [ESCALATE_MINUTES_RANGE.start, ESCALATE_MINUTES_RANGE.stop - 1],
        "oncallNumbers": MAX_ONCALL_NUMBERS,
        "repeat": {name: list(bounds) for name, bounds in REPEAT_LIMITS.items()},
    }
    return lead_page(
        "console/site_settings.html", config={"standardNeedWords": words, "limits": limits}
    )


@console.get("/console/site-hours")
def site_hours_page() -> Response:
    """The page's old address (bookmarks): the hours are a section of the settings now."""
    return redirect(url_for("console.site_settings_page", **request.args), code=301)


@console.post("/console/sign-in")
def sign_in() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    # The browser's form only: Flask-WTF would also read a JSON body, whose numbers and
    # lists the form's validators cannot take (the API has its own sign-in).
    form = SignInForm(formdata=request.form)
    if form.validate_on_submit():
        try:  # the same allowance of tries as the API's login (services.sign_ins)
            signed_in = sign_ins.sign_in(
                db_session(),
                form.email.data,
                form.password.data,
                secret_key=core().settings.secret_key,
                address=request.remote_addr,
                idle_seconds=core().settings.console_idle_seconds,
            )
        except TooManyTries as refused:
            error = sign_ins.too_many_tries_in_words(db_session(), refused)
            page = render_template("console/sign_in.html", form=form, error=error)
            return page, 429, {"Retry-After": str(refused.retry_after_seconds)}
        if signed_in is not None:
            previous = start_browser_session(signed_in[1])
            if previous:  # a shared computer: whoever signed in before is signed out now
                staff_service.revoke_token(db_session(), previous, origin=request.remote_addr)
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
        staff_service.revoke_token(db_session(), token, origin=request.remote_addr)
    reason = "idle" if request.form.get("reason") == "idle" else "yes"
    response = redirect(url_for("console.home", signed_out=reason), code=303)
    # Pages kept by the browser (the Back button) must not show anyone's details.
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@console.get("/assets/lit-html/<path:name>")
def lit_html(name: str) -> Response:
    """lit-html's own ES modules (they import each other by relative path), never a CDN."""
    if not name.endswith(".js") or name.startswith("development/"):
        abort(404)
    for folder in LIT_HTML_FOLDERS:
        found = safe_join(str(folder), name)
        if found and Path(found).is_file():
            return send_file(found, mimetype="text/javascript", max_age=86400)
    abort(404)
