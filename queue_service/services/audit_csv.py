"""The audit log as CSV, for an administrator's own records: the same filters as the page,
streamed a page at a time so a year of entries never sits in memory, and the export itself
written to the log (who exported, with which filters)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace

from sqlalchemy.orm import Session

from ..domain.history import AuditAction
from ..models import Staff
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .audit_query import PAGE_MAX, AuditQuery
from .views import iso

# Documented in the README ("Audit log"): keep the two the same.
COLUMNS = (
    "id",
    "at_utc",
    "local_time",
    "timezone",
    "site",
    "actor",
    "staff_id",
    "staff_name",
    "staff_email",
    "action",
    "sentence",
    "ticket_id",
    "ticket_code",
    "origin",
    "detail",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# a staff name or an e-mail tried at sign-in is anyone's text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(line: audit.AuditLine) -> list[object]:
    e = line.entry
    values = (
        e.id,
        iso(e.at),
        line.local_time,
        line.zone,
        line.site_slug or "",
        e.actor,
        e.staff_id if e.staff_id is not None else "",
        line.staff_name or "",
        e.staff_email or "",
        e.action,
        line.sentence,
        e.ticket_id if e.ticket_id is not None else "",
        line.ticket_code or "",
        e.origin or "",
        json.dumps(e.detail or {}, sort_keys=True, ensure_ascii=False),
    )
    return [safe_cell(v) for v in values]


def export(
    session: Session, reader: Staff, query: AuditQuery, *, origin: str | None = None
) -> Iterator[str]:
    """Checks the reader may read what they asked for and records the export (committed
    before the first byte goes out), then yields the CSV a page of entries at a time."""
    query = replace(query, limit=PAGE_MAX, after_id=None)
    first = audit.read(session, reader, query)  # refuses here, before anything is recorded
    begin_write(session)
    audit.record(
        session,
        reader,
        AuditAction.AUDIT_EXPORTED,
        # The person filtered by, by id too, so the sentence can name them.
        detail={
            "filters": query.filters(),
            "format": "csv",
            **({"staff_id": query.staff_id} if query.staff_id else {}),
        },
        origin=origin,
    )
    commit(session)
    return _stream(session, reader, query, first)


def _stream(
    session: Session, reader: Staff, query: AuditQuery, page: audit.AuditPage
) -> Iterator[str]:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(COLUMNS)
    while True:
        out.writerows(row(line) for line in page.lines)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if page.next_before is None:
            return
        # Keyset paging on the id: entries written meanwhile are neither doubled nor missed.
        page = audit.read(session, reader, replace(query, before_id=page.next_before))
        session.commit()  # no long-held read transaction for a long export
