"""The console's pages for returning visitors, server-rendered: the site's repeat visitors
(/console/visitors) and one visitor's history (/console/visitors/ID), from which a
critical-need case opens in one step, a visit of today is linked to them by its code, or a
visit linked by mistake is unlinked. services.visitors checks who may see whom and audits
every look; the flags and labels are services.case_views'."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_service.clock import local_day, utcnow
from queue_service.domain.errors import DomainError, NotFound, ValidationFailed
from queue_service.domain.needs import offered, staff_label
from queue_service.models import Site, Staff, Ticket
from queue_service.services import case_views, cases, visitor_links, visitors
from queue_service.services.audit_query import TICKET_CODE
from queue_service.services.case_commands import OpenCase
from web_kernel.web import core, db_session

from . import case_forms as forms
from .auth import check_csrf
from .pages import render_page

visitor_pages = Blueprint("visitor_pages", __name__)
visitor_pages.before_request(check_csrf)


def _site_of(staff: Staff, slug: str | None) -> Site | None:
    slug = (slug or "").strip()
    if not slug:
        return staff.sites[0] if staff.sites else None
    return next((s for s in staff.sites if s.slug == slug), None)


@visitor_pages.get("/console/visitors")
def repeat_visitors_page() -> str | Response | tuple[str, int]:
    if (gate := forms.signed_in()) is not None:
        return gate
    staff, session = current_user.staff, db_session()
    slug = (request.args.get("site") or "").strip() or (staff.sites[0].slug if staff.sites else "")
    site, rows, problems, status = None, [], None, 200
    try:
        if not slug:
            raise NotFound("You do not work at any site yet.", fields={"site": "No site."})
        site, found = visitors.repeat_visitors(session, staff, slug, origin=request.remote_addr)
    except DomainError as refused:
        problems, status = forms.refusal(refused, "filter", session)
        site = None
    else:
        rows = [
            {**case_views.repeat_json(v), "last_visit": forms.day(v.last_visit_on)} for v in found
        ]
    html = render_page(
        "console/visitors.html",
        site=site,
        site_slug=slug,
        rule=site.repeat_rule if site else None,
        rows=rows,
        problems=problems,
        own_site_filter=True,
    )
    return html, status


@visitor_pages.get("/console/visitors/<int:visitor_id>")
def visitor_page(visitor_id: int) -> str | Response | tuple[str, int]:
    if (gate := forms.signed_in()) is not None:
        return gate
    return _visitor(visitor_id)


@visitor_pages.post("/console/visitors/<int:visitor_id>/cases")
def open_case(visitor_id: int) -> str | Response | tuple[str, int]:
    if (gate := forms.signed_in()) is not None:
        return gate
    session = db_session()

    def work():  # type: ignore[no-untyped-def]
        command = OpenCase.from_body(forms.open_case_body(visitor_id))
        return cases.open_case(session, current_user.staff, command, origin=request.remote_addr)

    case, problems, status = forms.attempt(work, "open", session)
    if problems:
        return _visitor(
            visitor_id, problems=problems, status=status, open_at=request.form.get("site")
        )
    return redirect(url_for("case_pages.case_page", case_id=case.id, opened="yes"), code=303)


@visitor_pages.post("/console/visitors/<int:visitor_id>/visits")
def link_visit(visitor_id: int) -> str | Response | tuple[str, int]:
    if (gate := forms.signed_in()) is not None:
        return gate
    staff, session = current_user.staff, db_session()

    sure = request.form.get("confirm") == "yes"

    def work() -> Ticket:
        ticket_id = _visit_today(session, _site_of(staff, request.form.get("site")))
        return visitor_links.link(
            session,
            staff,
            ticket_id,
            visitor_id,
            secret_key=core().settings.secret_key,
            only_if_alone=not sure,
            origin=request.remote_addr,
        )

    ticket, problems, status = forms.attempt(work, "link", session)
    if problems:
        # Someone else's visit: the same form again, to confirm moving it.
        confirm = status == 409 and not sure
        return _visitor(visitor_id, problems=problems, status=status, confirm_link=confirm)
    return redirect(url_for(".visitor_page", visitor_id=visitor_id, linked=ticket.code), code=303)


@visitor_pages.post("/console/visitors/<int:visitor_id>/visits/<int:ticket_id>/unlink")
def unlink_visit(visitor_id: int, ticket_id: int) -> str | Response | tuple[str, int]:
    if (gate := forms.signed_in()) is not None:
        return gate
    staff, session = current_user.staff, db_session()

    def work() -> Ticket:
        visitors.visible_visitor(session, staff, visitor_id)
        ticket = session.get(Ticket, ticket_id) if ticket_id <= forms.MAX_ID else None
        if ticket is None or ticket.visitor_id != visitor_id:
            raise NotFound("That visit is not this visitor's.", code="ticket_not_found")
        return visitor_links.unlink(
            session,
            staff,
            ticket_id,
            secret_key=core().settings.secret_key,
            origin=request.remote_addr,
        )

    ticket, problems, status = forms.attempt(work, "unlink", session)
    if problems:
        return _visitor(visitor_id, problems=problems, status=status)
    still = session.scalar(select(Ticket.id).where(Ticket.visitor_id == visitor_id).limit(1))
    to = visitor_id if still is not None else ticket.visitor_id
    return redirect(
        url_for(".visitor_page", visitor_id=to, unlinked=ticket.code, alone=ticket.visitor_id),
        code=303,
    )


def _visit_today(session: Session, site: Site | None) -> int:
    """The id of the visit of today at `site` with the typed code (e.g. A-012)."""
    if site is None:
        raise ValidationFailed("Choose one of your sites.", fields={"site": "One of your sites."})
    code = (request.form.get("code") or "").strip().upper()
    if not TICKET_CODE.match(code):
        raise ValidationFailed(
            "Some details were not right.", fields={"code": "A visit's code, such as A-012."}
        )
    today = local_day(utcnow(), site.timezone)
    found = session.scalar(
        select(Ticket.id).where(
            Ticket.site_id == site.id, Ticket.code == code, Ticket.service_day == today
        )
    )
    if found is None:
        raise ValidationFailed(
            "Some details were not right.",
            fields={"code": f"No visit today at {site.name} has the code {code}."},
        )
    return found


def _visitor(
    visitor_id: int,
    *,
    problems: dict | None = None,
    status: int = 200,
    open_at: str | None = None,
    confirm_link: bool = False,
) -> tuple[str, int]:
    staff, session = current_user.staff, db_session()
    try:
        found = visitors.history(session, staff, visitor_id, origin=request.remote_addr)
    except DomainError as refused:
        problems, status = forms.refusal(refused, "visitor", session)
        html = render_page("console/visitor.html", found=None, problems=problems)
        return html, status
    data = case_views.history_json(found)
    names = {s.slug: s.name for s in staff.sites}
    zones = {s.slug: s.timezone for s in staff.sites}
    visits = [
        {
            **v,
            "when": forms.when(t.created_at, t.site.timezone),
            "channel_words": forms.CHANNEL_WORDS.get(v["channel"], v["channel"]),
            "site_name": names.get(v["site"], v["site"]),
            "notes": [
                {**n, "when": forms.when(note.at, t.site.timezone)}
                for n, note in zip(v["notes"], t.notes, strict=True)
            ],
        }
        for v, t in zip(data["visits"], found.visits, strict=True)
    ]
    case_rows = [
        {**c, "site_name": names.get(c["site"], c["site"]), "opened": forms.day(k.opened_on)}
        for c, k in zip(data["cases"], found.cases, strict=True)
    ]
    repeat = [
        {**r, "site_name": names.get(r["site"], r["site"])} for r in data["visitor"]["repeat"]
    ]
    with_case = {c["site"] for c in data["cases"] if c["status"] == "open"}
    candidates = [s for s in found.sites if s.slug not in with_case]
    typed = request.form if problems and problems.get("form") == "open" else None
    open_site = next(
        (s for s in candidates if s.slug == (open_at or request.args.get("open_at"))), None
    )
    if open_site is None and candidates:
        latest = next((t.site for t in found.visits if t.site in candidates), candidates[0])
        open_site = latest
    html = render_page(
        "console/visitor.html",
        found=found,
        visitor=data["visitor"],
        # Of the visits this reader may see: never a visit at another office.
        first_seen=forms.when(found.visits[-1].created_at, found.visits[-1].site.timezone)
        if found.visits
        else "",
        zones=zones,
        visits=visits,
        cases=case_rows,
        repeat=repeat,
        problems=problems,
        open_form=_open_form(session, staff, open_site, found, typed) if open_site else None,
        other_open_sites=[s for s in candidates if s is not open_site],
        typed_code=request.form.get("code", "") if problems and problems["form"] == "link" else "",
        linked=request.args.get("linked", "")[:12],
        unlinked=request.args.get("unlinked", "")[:12],
        alone=forms.number(request.args.get("alone")),
        confirm_link=confirm_link,
        typed_site=request.form.get("site", ""),
        own_site_filter=True,
    )
    return html, status


def _open_form(session: Session, staff: Staff, site: Site, found, typed) -> dict:  # type: ignore[no-untyped-def]
    """The one-step form to open a case at `site`: the needs of their visits there ticked,
    the case with me unless another is chosen."""
    if typed is not None:
        ticked = set(typed.getlist("needs"))
        chosen = forms.number(typed.get("assigned_to"))
        goals = typed.getlist("goals")
        note = typed.get("note", "")
    else:
        ticked = {n for t in found.visits if t.site_id == site.id for n in (t.needs or [])}
        chosen, goals, note = staff.id, [], ""
    goals = (list(goals) + [""] * forms.GOAL_INPUTS)[: max(forms.GOAL_INPUTS, len(goals))]
    return {
        "site": site,
        "needs": [(n.slug, staff_label(n), n.slug in ticked) for n in offered(site.needs)],
        "staff": [(s.id, s.name, s.id == chosen) for s in forms.colleagues(session, site)],
        "goals": goals,
        "note": note,
    }
