"""Every kind of step in a ticket's history, and every kind of audit entry: closed sets, so a
year of history can be grouped and counted without guessing at free text."""

from __future__ import annotations

from enum import StrEnum


class HistoryAction(StrEnum):
    CHECK_IN = "check_in"
    CALL = "call"
    START = "start"
    COMPLETE = "complete"
    NO_SHOW = "no_show"
    CANCEL = "cancel"
    REQUEUE = "requeue"
    LEFT = "left"
    URGENT = "urgent"
    ACKNOWLEDGE = "acknowledge"
    TRANSFER = "transfer"
    CALL_REACHED = "call_reached"
    CALL_NO_ANSWER = "call_no_answer"
    CALL_VOICEMAIL = "call_voicemail"
    # The service day ended before the person was seen (the system, not the person).
    DAY_CLOSED = "day_closed"
    FOLLOWED_UP = "followed_up"
    # Nobody acknowledged the urgent alert in time: it was texted to the site's on-call.
    ESCALATED = "escalated"


class Actor(StrEnum):
    """Who did what an audit entry records."""

    STAFF = "staff"
    VISITOR = "visitor"  # the person themselves, at the kiosk or on their phone
    SYSTEM = "system"  # Front Door on its own: the day close, automatic shift ends


class AuditReason(StrEnum):
    """Why the system did something on its own (an audit entry's `reason`)."""

    # A duty shift ends when nobody is there to keep it: the office must never say
    # "staffed" for a person who has gone.
    SIGNED_OUT = "signed_out"  # their last live sign-in was signed out
    SESSION_EXPIRED = "session_expired"  # their last live sign-in ran out (idle, 12 hours)
    ACCOUNT_DEACTIVATED = "account_deactivated"
    PASSWORD_RESET = "password_reset"  # a reset (an administrator's, or on the command line)
    SITE_REMOVED = "site_removed"  # the site was taken off their account
    # The service day ended at local midnight: a forgotten shift, people still in line.
    SERVICE_DAY_ENDED = "service_day_ended"
    # One address sent more urgent check-ins than the burst rule lets alert one by one.
    URGENT_REQUESTS_OVER_ALLOWANCE = "urgent_requests_over_allowance"
    BAD_CREDENTIALS = "bad_credentials"  # a failed sign-in (the e-mail tried, never the password)
    RETENTION_PERIOD = "retention_period"  # the site's retention period ran out


class AuditVia(StrEnum):
    """How a staff action came about, where it matters to the sentence (`via`/`by` in detail)."""

    COMMAND_LINE = "command line"  # the machine's own operator, not a signed-in account
    ACKNOWLEDGE = "acknowledge"  # a call made by acknowledging an urgent alert


class AuditAction(StrEnum):
    TICKET_ADDED = "ticket.added"
    TICKET_VIEWED = "ticket.viewed"
    TICKET_CALL = "ticket.call"
    TICKET_START = "ticket.start"
    TICKET_COMPLETE = "ticket.complete"
    TICKET_NO_SHOW = "ticket.no_show"
    TICKET_CANCEL = "ticket.cancel"
    TICKET_REQUEUE = "ticket.requeue"
    TICKET_LEFT = "ticket.left"
    TICKET_URGENT = "ticket.urgent"
    URGENT_CHECK_IN = "ticket.urgent_check_in"
    URGENT_COALESCED = "ticket.urgent_coalesced"
    URGENT_ESCALATED = "ticket.urgent_escalated"
    TICKET_TRANSFERRED = "ticket.transferred"
    TICKET_DAY_CLOSED = "ticket.day_closed"
    TICKET_FOLLOWED_UP = "ticket.followed_up"
    CALL_PASSED_URGENT = "ticket.call_passed_urgent"
    NOTE_ADDED = "note.added"
    TICKET_TEXTED = "ticket.texted"  # a case manager's own text (never its words)
    MESSAGES_VIEWED = "messages.viewed"  # the site's message log, or one visit's texts
    PHONE_PAGE_TEXT = "messages.typed_as"  # a text typed on the log backend's phone page
    ALERT_ACKNOWLEDGED = "alert.acknowledged"
    ALERT_BURST = "alert.burst"
    ALERT_BURST_ACKNOWLEDGED = "alert.burst_acknowledged"
    HELP_WHILE_CLOSED = "help.office_closed"
    CALLBACK_ATTEMPT = "callback.attempt"
    DUTY_STARTED = "duty.started"
    DUTY_ENDED = "duty.ended"
    DUTY_DESK = "duty.desk"
    STAFF_SIGNED_IN = "staff.signed_in"
    STAFF_SIGNED_OUT = "staff.signed_out"
    # The e-mail tried and the address, never the password; by the system, which refused it.
    SIGN_IN_FAILED = "staff.sign_in_failed"
    SITE_CHANGED = "site.changed"
    # Staff administration: each with the account's details before and after.
    STAFF_INVITED = "staff.invited"
    STAFF_CHANGED = "staff.changed"
    STAFF_PASSWORD_RESET = "staff.password_reset"  # a new link issued, sessions revoked
    STAFF_PASSWORD_SET = "staff.password_set"  # chosen through a link, or on the command line
    # The retention purge (services/retention.py): what it removed, counted, never the values.
    RETENTION_PURGED = "retention.purged"
    # Made on the command line (`frontdoor site add`, `frontdoor staff add`): the system's.
    SITE_ADDED = "site.added"
    STAFF_ADDED = "staff.added"
    # An admin exported the audit log: who, and with which filters.
    AUDIT_EXPORTED = "audit.exported"
    # Returning visitors and critical-need cases (detail: visitor and case ids, never words).
    VISITOR_VIEWED = "visitor.viewed"
    VISITOR_LINKED = "visitor.linked"
    VISITOR_UNLINKED = "visitor.unlinked"
    REPEAT_VISITORS_VIEWED = "visitor.repeat_list_viewed"
    CASE_OPENED = "case.opened"
    CASE_VIEWED = "case.viewed"
    CASE_REVIEWED = "case.reviewed"
    CASE_GOAL_ADDED = "case.goal_added"
    CASE_GOAL_CHANGED = "case.goal_changed"
    CASE_EXTENDED = "case.extended"
    CASE_REASSIGNED = "case.reassigned"
    CASE_CONSENT_RECORDED = "case.consent_recorded"
    CASE_CONSENT_WITHDRAWN = "case.consent_withdrawn"
    CASE_CLOSED = "case.closed"
    CASE_SUMMARY_VIEWED = "case.summary_viewed"
    CASELOAD_VIEWED = "case.caseload_viewed"

    @classmethod
    def for_ticket_action(cls, action: str) -> AuditAction:
        return cls(f"ticket.{action}")
