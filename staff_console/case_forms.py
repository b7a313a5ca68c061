"""What the console's visitor and case pages share: who may open them, a refusal from the
services shown as the page's error summary (never a 500), the browser's form read into the
body the JSON API takes (so the commands check it the one way), and the words for times,
channels and colleagues. The rules stay in the services; this only translates a form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Response, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import Session

from queue_service.domain.audit_facts import local_time
from queue_service.domain.errors import DomainError
from queue_service.models import Site, Staff
from queue_service.persistence import repositories, staff_queries
from web_kernel.errors import status_for

# How a visit came in, in staff words (the contract's channels).
CHANNEL_WORDS = {
    "kiosk": "Lobby tablet",
    "web": "Own phone (web)",
    "phone": "Phone call",
    "sms": "Text message",
}
# A field of a refusal, in the words of the form's label.
FIELD_WORDS = {
    "visitor_id": "Visitor",
    "site": "Site",
    "needs": "Needs",
    "assigned_to": "Case manager",
    "goals": "Goals",
    "new_goals": "New goals",
    "note": "Note",
    "private": "Private",
    "until": "New target end",
    "destination": "Where the person goes on to",
    "shared_with": "Shared with",
    "code": "Visit code",
    "status": "Status",
    "review": "Review",
    "sort": "Sort",
    "mine": "Mine",
}
MAX_ID = repositories.MAX_ID
GOAL_INPUTS = 3  # empty goal boxes a form offers at once (the plan takes more later)


def signed_in() -> Response | None:
    """None when someone is signed in; else the sign-in page. Which visitor or case they
    may see is the services' rule (the sites they work at)."""
    if not current_user.is_authenticated:
        return redirect(url_for("console.home"))
    return None


def refusal(refused: DomainError, form: str, session: Session) -> tuple[dict, int]:
    """A refused request as the page's error summary: its heading and a line per field,
    each linking to that field of `form` (ids are FORM-FIELD). The session is rolled back,
    so nothing half-done stays and the page reads what is stored."""
    session.rollback()
    lines = [
        {"href": f"#{form}-{field}", "text": f"{FIELD_WORDS.get(field, field)}: {problem}"}
        for field, problem in refused.fields.items()
    ]
    heading = refused.message or "Some details were not right."
    return {"form": form, "heading": heading, "lines": lines}, status_for(refused)


def attempt(work: Callable[[], Any], form: str, session: Session) -> tuple[Any, dict | None, int]:
    """work(), or the refusal it met: (result, problems, status)."""
    try:
        return work(), None, 200
    except DomainError as refused:
        problems, status = refusal(refused, form, session)
        return None, problems, status


def number(value: str | None) -> int | str | None:
    """A form's number as the API's body has it; anything else as typed, so the command
    refuses it in its own words."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    return value or None


def texts(name: str) -> list[str]:
    return [v for v in request.form.getlist(name) if v.strip()]


def open_case_body(visitor_id: int) -> dict[str, Any]:
    form = request.form
    return {
        "visitor_id": visitor_id,
        "site": form.get("site", ""),
        "needs": form.getlist("needs"),
        "assigned_to": number(form.get("assigned_to")),
        "goals": texts("goals"),
        "note": form.get("note") or None,
    }


def step_body(step: str) -> dict[str, Any]:
    """The body of a case step (the API's `reviews`, `extend`, `reassign`, `consent`,
    `close`) from its form."""
    form = request.form
    if step == "reviews":
        goals = [
            {"id": number(key.removeprefix("goal-")), "status": value}
            for key, value in form.items()
            if key.startswith("goal-")
        ]
        return {
            "goals": goals,
            "new_goals": texts("new_goals"),
            "note": form.get("note") or None,
            "private": form.get("private") == "yes",
        }
    if step == "extend":
        return {"until": form.get("until", ""), "note": form.get("note") or None}
    if step == "reassign":
        return {"assigned_to": number(form.get("assigned_to"))}
    if step == "consent":
        if form.get("withdrawn") == "yes":
            return {"withdrawn": True}
        return {"shared_with": form.get("shared_with", "")}
    return {"destination": form.get("destination") or None, "note": form.get("note") or None}


def colleagues(session: Session, site: Site) -> list[Staff]:
    """Who a case may be with: the active staff of the site, by name."""
    return [s for s in staff_queries.staff_at_site(session, site.id) if s.active]


def when(at: datetime | None, zone: str) -> str:
    return local_time(at, zone) if at else ""


def day(value: Any) -> str:
    """A date in words, e.g. "Tue 1 Dec 2026" (the audit log's way, without the time)."""
    if not value:
        return ""
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{days[value.weekday()]} {value.day} {months[value.month - 1]} {value.year}"
