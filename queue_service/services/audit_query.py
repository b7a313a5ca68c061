"""What a reader of the audit log asks for, checked once at the edge (the API's query
string and the page's filters alike): every refusal names its field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..domain.errors import ValidationFailed
from ..domain.history import AuditAction
from ..persistence import repositories

PAGE_MAX = 500
PAGE_DEFAULT = 100
# A ticket code as codes.ticket_code writes it (A-003, B-120, A1-001); codes repeat each day.
TICKET_CODE = re.compile(r"^[A-Z][0-9]{0,6}-[0-9]{3}$")
FIELDS = ("site", "ticket", "staff", "action", "from", "to", "before", "after", "limit")


@dataclass(frozen=True)
class AuditQuery:
    site_slug: str | None = None
    ticket_id: int | None = None
    ticket_code: str | None = None
    staff_id: int | None = None
    staff_email: str | None = None
    action: AuditAction | None = None
    # Local dates, both included: in each entry's own site's time zone (see audit.read).
    date_from: date | None = None
    date_to: date | None = None
    before_id: int | None = None  # older than this entry (the next page)
    after_id: int | None = None  # newer than this entry (the page before)
    limit: int = PAGE_DEFAULT

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditQuery:
        problems: dict[str, str] = {}

        def text(name: str) -> str | None:
            value = (args.get(name) or "").strip()
            return value or None

        def whole(name: str) -> int | None:
            value = text(name)
            if value is None:
                return None
            if not _digits(value) or not 0 < int(value) <= repositories.MAX_ID:
                problems[name] = "A whole number above 0."
                return None
            return int(value)

        def day(name: str) -> date | None:
            value = text(name)
            if value is None:
                return None
            try:
                if len(value) != 10:
                    raise ValueError
                return date.fromisoformat(value)
            except ValueError:
                problems[name] = "A date, YYYY-MM-DD."
                return None

        ticket = text("ticket")
        ticket_id, ticket_code = None, None
        if ticket is not None and _digits(ticket):
            ticket_id = whole("ticket")
        elif ticket is not None and TICKET_CODE.match(ticket.upper()):
            ticket_code = ticket.upper()
        elif ticket is not None:
            problems["ticket"] = "A ticket id, or a code such as A-003."
        staff = text("staff")
        staff_id, staff_email = None, None
        if staff is not None and _digits(staff):
            staff_id = whole("staff")
        elif staff is not None and "@" in staff and len(staff) <= 254:
            staff_email = staff.lower()
        elif staff is not None:
            problems["staff"] = "A staff id or e-mail address."
        action = None
        if text("action") is not None:
            try:
                action = AuditAction(text("action"))
            except ValueError:
                problems["action"] = "One of the audit log's actions, e.g. ticket.call."
        date_from, date_to = day("from"), day("to")
        if date_from and date_to and date_from > date_to:
            problems["to"] = "On or after the 'from' date."
        before_id, after_id = whole("before"), whole("after")
        if before_id and after_id:
            problems["after"] = "Give 'before' or 'after', not both."
        limit = whole("limit") or PAGE_DEFAULT
        if limit > PAGE_MAX:
            problems["limit"] = f"At most {PAGE_MAX}."
        if problems:
            raise ValidationFailed(
                "Some filters were not right.", code="invalid_query", fields=problems
            )
        return cls(
            site_slug=text("site"),
            ticket_id=ticket_id,
            ticket_code=ticket_code,
            staff_id=staff_id,
            staff_email=staff_email,
            action=action,
            date_from=date_from,
            date_to=date_to,
            before_id=before_id,
            after_id=after_id,
            limit=limit,
        )

    def filters(self) -> dict[str, str]:
        """The filters given, as the query string names them (paging left out)."""
        given = {
            "site": self.site_slug,
            "ticket": self.ticket_code or self.ticket_id,
            "staff": self.staff_id or self.staff_email,
            "action": self.action.value if self.action else None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        return {k: str(v) for k, v in given.items() if v is not None}


def _digits(value: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²" and the like, which int() refuses."""
    return value.isascii() and value.isdigit()
