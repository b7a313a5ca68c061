"""The audit log's words for returning visitors and critical-need cases (audit_words.py
says every other kind). Ids and dates only: a case's goals and notes never reach the log."""

from __future__ import annotations

from collections.abc import Callable

from .audit_facts import EntryFacts
from .cases import DESTINATION_LABELS, Destination
from .history import AuditAction


def _visitor(f: EntryFacts) -> str:
    return f"visitor V-{f.detail.get('visitor_id', '?')}"


def _case(f: EntryFacts) -> str:
    return f"case C-{f.detail.get('case_id', '?')}"


def _linked(f: EntryFacts) -> str:
    was = f.detail.get("from_visitor_id")
    moved = f" (it was with visitor V-{was})" if was else ""
    return f"{f.who} linked {f.ticket} to {_visitor(f)} by hand{moved}"


def _closed(f: EntryFacts) -> str:
    value = f.detail.get("destination")
    where = DESTINATION_LABELS.get(Destination(value)) if value in set(Destination) else value
    return f"{f.who} closed {_case(f)}: {where or 'no destination'}"


def _extended(f: EntryFacts) -> str:
    return f"{f.who} extended {_case(f)} to {f.detail.get('until', '?')}"


def _reassigned(f: EntryFacts) -> str:
    return f"{f.who} reassigned {_case(f)} to {f.named('to_staff_id')}"


CASE_SENTENCES: dict[AuditAction, Callable[[EntryFacts], str]] = {
    AuditAction.VISITOR_VIEWED: lambda f: f"{f.who} looked at the history of {_visitor(f)}",
    AuditAction.VISITOR_LINKED: _linked,
    AuditAction.VISITOR_UNLINKED: lambda f: f"{f.who} unlinked {f.ticket} from {_visitor(f)}",
    AuditAction.REPEAT_VISITORS_VIEWED: lambda f: f"{f.who} looked at the list of repeat visitors",
    AuditAction.CASE_OPENED: lambda f: f"{f.who} opened a new {_case(f)} for {_visitor(f)}",
    AuditAction.CASE_VIEWED: lambda f: f"{f.who} looked at {_case(f)}",
    AuditAction.CASE_REVIEWED: lambda f: f"{f.who} recorded a review of {_case(f)}",
    AuditAction.CASE_GOAL_ADDED: lambda f: f"{f.who} added a goal to {_case(f)}",
    AuditAction.CASE_GOAL_CHANGED: lambda f: f"{f.who} changed a goal of {_case(f)}",
    AuditAction.CASE_EXTENDED: _extended,
    AuditAction.CASE_REASSIGNED: _reassigned,
    AuditAction.CASE_CONSENT_RECORDED: lambda f: (
        f"{f.who} recorded the person's consent to share {_case(f)}"
    ),
    AuditAction.CASE_CONSENT_WITHDRAWN: lambda f: (
        f"{f.who} recorded that the person withdrew their consent to share {_case(f)}"
    ),
    AuditAction.CASE_CLOSED: _closed,
    AuditAction.CASE_SUMMARY_VIEWED: lambda f: (
        f"{f.who} looked at the hand-off summary of {_case(f)}"
    ),
    AuditAction.CASELOAD_VIEWED: lambda f: f"{f.who} looked at the caseload",
}

CASE_LABELS: dict[AuditAction, str] = {
    AuditAction.VISITOR_VIEWED: "Opened a visitor's history",
    AuditAction.VISITOR_LINKED: "Linked a visit to a visitor",
    AuditAction.VISITOR_UNLINKED: "Unlinked a visit",
    AuditAction.REPEAT_VISITORS_VIEWED: "Opened the repeat visitors",
    AuditAction.CASE_OPENED: "Opened a critical-need case",
    AuditAction.CASE_VIEWED: "Opened a case",
    AuditAction.CASE_REVIEWED: "Reviewed a case",
    AuditAction.CASE_GOAL_ADDED: "Added a case goal",
    AuditAction.CASE_GOAL_CHANGED: "Changed a case goal",
    AuditAction.CASE_EXTENDED: "Extended a case",
    AuditAction.CASE_REASSIGNED: "Reassigned a case",
    AuditAction.CASE_CONSENT_RECORDED: "Recorded consent to share",
    AuditAction.CASE_CONSENT_WITHDRAWN: "Recorded consent withdrawn",
    AuditAction.CASE_CLOSED: "Closed a case",
    AuditAction.CASE_SUMMARY_VIEWED: "Opened a hand-off summary",
    AuditAction.CASELOAD_VIEWED: "Opened the caseload",
}
