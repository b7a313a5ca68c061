"""The console's pages for texts, server-rendered like the audit page: the site's message
log (/console/messages; services.message_log checks membership and audits each look), and,
with FRONTDOOR_SMS_BACKEND=log only, a phone to try texts on (/console/phone): a reply typed
there goes as that number through the very webhook Twilio calls, signed with the server's
own token, so it does what a real text would. The phone page's looks are not audited: it
refreshes itself every few seconds, and on this backend each text on it is the office's or
was typed on it by staff (only the server can sign an incoming text).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from queue_service.clock import utcnow
from queue_service.domain.audit_facts import local_time
from queue_service.domain.errors import Forbidden, NotFound, ValidationFailed
from queue_service.domain.lifecycle import OPEN_STATUSES
from queue_service.domain.message_labels import TROUBLE, on_card
from queue_service.domain.messages import MessageKind, MessageStatus
from queue_service.models import Message, Site, Staff, Ticket
from queue_service.persistence import repositories
from queue_service.services import message_log
from queue_service.services.audit_query import TICKET_CODE
from queue_service.services.duty import require_member
from queue_service.services.staff_views import phone_display, text_view
from web_kernel.web import db_session

from . import navigation
from .auth import check_csrf
from .pages import render_page

message_pages = Blueprint("message_pages", __name__)
message_pages.before_request(check_csrf)

NOT_TRYING = "The phone page is for trying texts without Twilio (FRONTDOOR_SMS_BACKEND=log)."
WEBHOOK = "/webhooks/twilio/sms"
BODY_MAX = 1600  # Twilio's own limit for one text (services.inbound_texts.BODY_MAX)
# Texts outside the open visits (a visit that ended, a number not in line): the latest few.
OTHERS_MAX, OTHERS_SINCE = 60, timedelta(hours=24)
MISSED = TROUBLE | {MessageStatus.SUPPRESSED}  # never reached the phone
MAX_ID = 2**63 - 1  # the largest id either database stores


def _gate(*, trying: bool = False) -> Response | None:
    if not current_user.is_authenticated:
        return redirect(url_for("console.home"))
    if trying and not navigation.trying_texts():
        return Response(render_page("console/phone.html", off=NOT_TRYING, problems={}), 404)
    # The reply is the phone page's: who may open one may use the other.
    page = "message_pages.phone_page" if trying else request.endpoint or ""
    if not navigation.may_open(page, current_user.staff.role):
        abort(403)
    return None


def _slug(staff: Staff, asked: str | None) -> str | None:
    return (asked or "").strip() or (staff.sites[0].slug if staff.sites else None)


@message_pages.get("/console/messages")
def messages_page() -> str | Response | tuple[str, int]:
    if (gate := _gate()) is not None:
        return gate
    staff, session = current_user.staff, db_session()
    slug = _slug(staff, request.args.get("site"))
    site = next((s for s in staff.sites if s.slug == slug), None)
    asked, before = request.args.get("ticket", "").strip(), request.args.get("before", "").strip()
    # A link from a row names the visit itself; what a person types is its code.
    linked = request.args.get("visit", "").strip()
    problems: dict[str, str] = {}
    status, lines, visit = 200, [], None
    try:
        if slug is None:
            raise Forbidden("You do not work at any site yet.")
        # A code is looked up only at the reader's own site; the service refuses the rest.
        visit = (linked or None) if linked else (_visit(session, site, asked) if site else None)
        if before.isdigit() and int(before) > MAX_ID:
            raise ValidationFailed("", fields={"before": "A text's number from this page."})
        found = message_log.site_messages(
            session, slug, staff, ticket_id=visit, before_id=before or None,
            origin=request.remote_addr,
        )  # fmt: skip
    except ValidationFailed as refused:
        problems, status = dict(refused.fields) or {"site": refused.message}, 422
    except (Forbidden, NotFound) as refused:
        field = "ticket" if refused.code == "ticket_not_found" else "site"
        problems, status = {field: refused.message}, 404 if isinstance(refused, NotFound) else 403
    else:
        assert site is not None  # the service found the reader works there
        lines = _lines(session, found, site.timezone)
    older = len(lines) == message_log.PAGE_DEFAULT and lines[-1]["id"]
    here = {"site": slug, "ticket": asked or None, "visit": linked or None}
    html = render_page(
        "console/messages.html",
        lines=lines,
        site_slug=slug,
        asked_ticket=asked or (linked and visit and not problems and _code(session, visit)) or "",
        visit_code=visit and not problems and _code(session, visit),
        problems=problems,
        own_site_filter=True,
        older_href=older and url_for(".messages_page", **here, before=older),
        newest_href=before and url_for(".messages_page", **here),
        all_href=(asked or linked) and url_for(".messages_page", site=slug),
    )
    return html, status


def _visit(session: Session, site: Site, asked: str) -> str | int | None:
    """The visit the filter names by its code, "A-003" or just "3" (the site's latest)."""
    if not asked:
        return None
    by_number = asked.isascii() and asked.isdigit() and len(asked) <= 6
    if not by_number and not TICKET_CODE.match(asked.upper()):
        raise ValidationFailed("", fields={"ticket": "A visit's code, such as A-003."})
    which = Ticket.number == int(asked) if by_number else Ticket.code == asked.upper()
    found = session.scalar(
        select(Ticket.id).where(Ticket.site_id == site.id, which)
        .order_by(Ticket.service_day.desc(), Ticket.id.desc()).limit(1)
    )  # fmt: skip
    if found is None:
        raise ValidationFailed("", fields={"ticket": "No visit at this site has that code."})
    return found


def _code(session: Session, visit: str | int) -> str | None:
    return session.scalar(select(Ticket.code).where(Ticket.id == int(visit)))


def _lines(session: Session, found: list[Message], zone: str) -> list[dict]:
    ids = {m.ticket_id for m in found if m.ticket_id is not None}
    query = select(Ticket.id, Ticket.code).where(Ticket.id.in_(ids))
    codes: dict[int, str] = {i: c for i, c in session.execute(query)} if ids else {}
    return [{**text_view(m), "local_time": local_time(m.created_at, zone),
             "at": m.created_at.isoformat(), "code": codes.get(m.ticket_id or 0)}
            for m in found]  # fmt: skip


@message_pages.get("/console/phone")
def phone_page() -> str | Response | tuple[str, int]:
    if (gate := _gate(trying=True)) is not None:
        return gate
    return _phone(request.args.get("site"))


def _no_callback_number(site: Site) -> str:
    return (
        f"{site.name} has no number for texts yet. Texts to the office are matched to a site "
        "by that number: set one on the Site settings page first (its text settings), "
        f"or with: frontdoor site set {site.slug} --sms-callback-number +16175550100"
    )


def _phone(
    asked: str | None, *, problems: dict | None = None, typed: dict | None = None
) -> tuple[str, int]:
    staff, session = current_user.staff, db_session()
    problems, status = dict(problems or {}), 422 if problems else 200
    slug = _slug(staff, asked)
    site = None
    try:
        if slug is None:
            raise Forbidden("You do not work at any site yet.")
        site = repositories.site_by_slug(session, slug)
        require_member(staff, site)
    except (Forbidden, NotFound) as refused:
        problems, site = {"site": refused.message}, None
        status = 404 if isinstance(refused, NotFound) else 403
    sent = request.args.get("sent", "")
    html = render_page(
        "console/phone.html",
        site=site,
        problems=problems,
        typed=typed or {},
        sent=sent if sent.isdigit() and len(sent) == 4 else None,
        no_number=site is not None and not site.sms_callback_number and _no_callback_number(site),
        may_change_site=navigation.may_open("console.site_settings_page", staff.role),
        conversations=_conversations(session, site) if site else [],
        others=_others(session, site) if site else [],
        own_site_filter=True,
    )
    return html, status


def _conversations(session: Session, site: Site) -> list[dict]:
    tickets = session.scalars(
        select(Ticket).options(selectinload(Ticket.texts))
        .where(Ticket.site_id == site.id, Ticket.phone.is_not(None),
               Ticket.status.in_([s.value for s in OPEN_STATUSES]))
        .order_by(Ticket.id)
    )  # fmt: skip
    return [
        {
            "id": t.id,
            "code": t.code,
            "title": f"{t.code} · {phone_display(t.phone)}",
            "number": t.phone,
            "anchor": anchor_of(t.id),
            "texts_off": not t.sms_opt_in,
            # What reached (or was meant for) their phone: not the on-call staff's alert.
            "texts": [_bubble(m, site.timezone) for m in t.texts if on_card(m.kind, m.why)],
        }
        for t in tickets
    ]


def _others(session: Session, site: Site) -> list[dict]:
    """Recent texts of visits that ended, of numbers not in line and to the on-call phones,
    a conversation per number (masked: the full one is gone by then), latest first."""
    rows = session.execute(
        select(Message, Ticket.code).outerjoin(Ticket, Ticket.id == Message.ticket_id)
        .where(Message.site_id == site.id, Message.created_at >= utcnow() - OTHERS_SINCE,
               Message.why.is_distinct_from("told_at_check_in"),
               or_(Message.ticket_id.is_(None), Message.kind == MessageKind.ESCALATION,
                   Ticket.status.not_in([s.value for s in OPEN_STATUSES])))
        .order_by(Message.id.desc()).limit(OTHERS_MAX)
    )  # fmt: skip
    groups: dict[object, dict] = {}
    for message, code in rows:
        masked = message.phone_masked or "a hidden number"
        on_call = message.kind == MessageKind.ESCALATION
        key = (on_call or message.ticket_id, message.phone_masked)
        title = (f"{masked} (on call)" if on_call else f"{code} (visit ended) · {masked}"
                 if code else f"{masked} (not in line then)")  # fmt: skip
        group = groups.setdefault(key, {"title": title, "texts": []})
        group["texts"].insert(0, _bubble(message, site.timezone))
    return list(groups.values())


def _bubble(message: Message, zone: str) -> dict:
    view, at = text_view(message), message.created_at
    return {**view, "ours": view["direction"] == "outbound", "missed": view["status"] in MISSED,
            "at": at.isoformat(), "time": _when(at, zone)}  # fmt: skip


def _when(at: datetime, zone: str) -> str:
    here, now = at.astimezone(ZoneInfo(zone)), utcnow().astimezone(ZoneInfo(zone))
    return f"{here:%H:%M}" if here.date() == now.date() else local_time(at, zone)


def anchor_of(ticket_id: int | None) -> str:
    """A conversation's place on the page, by its visit (never the number: it would stay in
    the browser's history)."""
    return f"visit-{ticket_id}" if ticket_id else "other-title"
