"""The console's Staff page (Administration) and the page a one-time link opens to choose
a password. The Staff page's module renders what the staff API answers; the link page is
a plain form, so it works before the person has any session at all."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from queue_service.domain.errors import DomainError
from queue_service.domain.roles import Role
from queue_service.services import staff_passwords
from queue_service.services.staff import PASSWORD_MIN, SUPPORTED_LANGUAGES
from web_kernel.web import db_session

from .auth import check_csrf
from .pages import lead_page

staff_pages = Blueprint("staff_pages", __name__)
staff_pages.before_request(check_csrf)


class ChoosePasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(max=1024)])
    again = PasswordField(
        "The same password again",
        validators=[DataRequired(), EqualTo("password", "The two passwords are not the same.")],
    )


@staff_pages.get("/console/staff")
def staff_page() -> str | Response:
    return lead_page(
        "console/staff.html",
        config={
            "roles": [r.value for r in Role],
            "staffLanguages": list(SUPPORTED_LANGUAGES),
        },
    )


@staff_pages.route("/console/set-password/<token>", methods=["GET", "POST"])
def set_password_page(token: str) -> str | Response | tuple[str, int]:
    holder = staff_passwords.link_holder(db_session(), token)
    if holder is None:
        return render_template("console/set_password.html", holder=None), 404
    form = ChoosePasswordForm(formdata=request.form if request.method == "POST" else None)
    error = None
    if form.validate_on_submit():
        try:
            staff_passwords.set_password_by_link(
                db_session(), token, form.password.data or "", origin=request.remote_addr
            )
        except DomainError as refused:
            error = refused.fields.get("password") or refused.message
        else:
            return redirect(url_for("console.home", signed_out="password"), code=303)
    elif request.method == "POST":
        error = next(iter(form.errors.get("again", [])), None) or "Please try again."
    page = render_template(
        "console/set_password.html", holder=holder, form=form, error=error, minimum=PASSWORD_MIN
    )
    return (page, 422) if request.method == "POST" else page
