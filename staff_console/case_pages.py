"""The console's pages for critical-need cases, server-rendered: the caseload
(/console/cases), one case with its timeline and the forms that work it
(/console/cases/ID), and the printable hand-off summary (/console/cases/ID/summary), shown
only once the person's consent to share it is recorded. services.case_reads checks who may
see a case and audits every look; the dates, flags and labels are services.case_views'."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for
from flask_login import current_user

from queue_service.domain.cases import (
    DESTINATION_LABELS,
    EVENT_LABELS,
    GOAL_LABELS,
    CaseStatus,
    GoalStatus,
)
from queue_service.domain.errors import DomainError, NotFound
from queue_service.services import case_reads, case_views, cases
from queue_service.services.case_commands import (
    CloseCase,
    ExtendCase,
    ReassignCase,
    RecordConsent,
    ReviewCase,
)
from web_kernel.web import db_session

from . import case_forms as forms
from . import case_words as words
from .auth import check_csrf
from .pages import render_page

case_pages = Blueprint("case_pages", __name__)
case_pages.before_request(check_csrf)

STEPS = {
    "reviews": (ReviewCase, cases.review, "Review recorded."),
    "extend": (ExtendCase, cases.extend, "Target end extended."),
    "reassign": (ReassignCase, cases.reassign, "Case reassigned."),
    "consent": (RecordConsent, cases.record_consent, "Consent to share recorded."),
    "close": (CloseCase, cases.close, "Case closed."),
}
WITHDRAWN = "Consent withdrawn: the hand-off summary can no longer be shown."
SORT_WORDS = {
    "next_review": "Next review",
    "target_end": "Target end",
    "opened": "Opened",
    "days_open": "Days open",
}


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


@case_pages.get("/console/cases")
def caseload_page() -> str | Response | tuple[str, int]:
    if (gate := forms.signed_in()) is not None:
        return gate
    staff, session, args = current_user.staff, db_session(), request.args
    slug = (args.get("site") or "").strip() or (staff.sites[0].slug if staff.sites else "")
    here = {
        "site": slug,
        "mine": "yes" if _yes(args.get("mine")) else None,
        "status": (args.get("status") or "open").strip(),
        "review": (args.get("review") or "").strip() or None,
        "sort": (args.get("sort") or "next_review").strip(),
    }
    query = case_reads.CaseloadQuery(
        site=slug,
        mine=bool(here["mine"]),
        status=here["status"],
        review=here["review"],
        sort=here["sort"],
    )
    rows, due, problems, status, found = [], None, None, 200, None
    try:
        if not slug:
            raise NotFound("You do not work at any site yet.", fields={"site": "No site."})
        found = case_reads.caseload(session, staff, query, origin=request.remote_addr)
        mine_due = case_reads.CaseloadQuery(site=slug, mine=True, review="due")
        due = len(case_reads.caseload(session, staff, mine_due, audited=False).cases)
    except DomainError as refused:
        problems, status = forms.refusal(refused, "filter", session)
    else:
        rows = [
            {
                **case_views.case_json(c, today=found.today, full=False),
                "opened": forms.day(c.opened_on),
                "next_review": forms.day(c.next_review_on),
                "target_end": forms.day(c.target_end_on),
            }
            for c, _clock in found.cases
        ]
    html = render_page(
        "console/cases.html",
        site=found.site if found else None,
        here=here,
        rows=rows,
        due=due,
        problems=problems,
        sorts=SORT_WORDS,
        sort_href={key: url_for(".caseload_page", **{**here, "sort": key}) for key in SORT_WORDS},
        own_site_filter=True,
    )
    return html, status


@case_pages.get("/console/cases/<int:case_id>")
def case_page(case_id: int) -> str | Response | tuple[str, int]:
    if (gate := forms.signed_in()) is not None:
        return gate
    done = request.args.get("done", "")
    opened = _yes(request.args.get("opened"))
    message = (
        "Case opened."
        if opened
        else WITHDRAWN
        if done == "withdrawn"
        else next((words for step, (_c, _a, words) in STEPS.items() if step == done), None)
    )
    return _case(case_id, message=message)


@case_pages.post(
    "/console/cases/<int:case_id>/<any(reviews, extend, close, reassign, consent):step>"
)
def case_step(case_id: int, step: str) -> str | Response | tuple[str, int]:
    if (gate := forms.signed_in()) is not None:
        return gate
    session = db_session()
    command_type, act, _words = STEPS[step]

    def work():  # type: ignore[no-untyped-def]
        command = command_type.from_body(forms.step_body(step))
        return act(session, current_user.staff, case_id, command, origin=request.remote_addr)

    _changed, problems, status = forms.attempt(work, step, session)
    if problems:
        return _case(case_id, problems=problems, status=status)
    said = "withdrawn" if step == "consent" and request.form.get("withdrawn") == "yes" else step
    return redirect(url_for(".case_page", case_id=case_id, done=said), code=303)


def _case(
    case_id: int, *, problems: dict | None = None, status: int = 200, message: str | None = None
) -> tuple[str, int]:
    staff, session = current_user.staff, db_session()
    try:
        found = case_reads.record(session, staff, case_id, origin=request.remote_addr)
    except DomainError as refused:
        problems, status = forms.refusal(refused, "case", session)
        return render_page("console/case.html", case=None, problems=problems), status
    case, site = found.case, found.case.site
    data = case_views.case_json(case)
    team = forms.colleagues(session, site)
    names = {s.id: s.name for s in team}
    goals = {g.id: g.text for g in case.goals}
    timeline = [
        {
            **e,
            "at_dt": event.at,
            "when": forms.when(event.at, site.timezone),
            "words": words.event_words(e, goals, names),
            "visit": None,
        }
        for e, event in zip(data["timeline"], case.events, strict=True)
    ] + [
        {
            "at_dt": t.created_at,
            "when": forms.when(t.created_at, site.timezone),
            "label": "Visit",
            "visit": {**v, "channel_words": forms.CHANNEL_WORDS.get(v["channel"], v["channel"])},
        }
        for v, t in zip([case_views.visit_json(t) for t in found.visits], found.visits, strict=True)
    ]
    timeline.sort(key=lambda item: item["at_dt"])
    typed = request.form if problems else None
    html = render_page(
        "console/case.html",
        case=data,
        site=site,
        dates=words.dates(case),
        timeline=timeline,
        team=team,
        goal_choices=[(s.value, GOAL_LABELS[s]) for s in GoalStatus],
        destinations=[(d.value, label) for d, label in DESTINATION_LABELS.items()],
        consent_when=forms.when(case.consent_at, site.timezone),
        is_open=case.status == CaseStatus.OPEN,
        problems=problems,
        typed=typed,
        failed=problems["form"] if problems else None,
        message=message,
        goal_inputs=forms.GOAL_INPUTS,
        own_site_filter=True,
    )
    return html, status


@case_pages.get("/console/cases/<int:case_id>/summary")
def summary_page(case_id: int) -> str | Response | tuple[str, int]:
    """The hand-off summary for the receiving provider: no visit notes, no private review
    notes, and nothing at all until the person's consent to share is recorded."""
    if (gate := forms.signed_in()) is not None:
        return gate
    staff, session = current_user.staff, db_session()
    try:
        found = case_reads.hand_off(session, staff, case_id, origin=request.remote_addr)
    except DomainError as refused:
        problems, status = forms.refusal(refused, "summary", session)
        html = render_page(
            "console/case_summary.html", case=None, case_id=case_id, problems=problems
        )
        return html, status
    case, site = found.case, found.case.site
    data = case_views.case_json(case)
    reviews = [
        {"when": forms.when(e.at, site.timezone), "by": e.staff, "note": e.note}
        for e in found.shared_notes
    ]
    visits = [
        {
            "day": forms.day(t.service_day),
            "need_labels": v["need_labels"],
            "outcome_label": v["outcome_name"],
            "urgent": v["urgent"],
        }
        for v, t in zip([case_views.visit_json(t) for t in found.visits], found.visits, strict=True)
    ]
    html = render_page(
        "console/case_summary.html",
        case=data,
        case_id=case_id,
        site=site,
        dates=words.dates(case),
        reviews=reviews,
        visits=visits,
        consent_when=forms.when(case.consent_at, site.timezone),
        event_labels=EVENT_LABELS,
        problems=None,
        own_site_filter=True,
    )
    return html, 200
