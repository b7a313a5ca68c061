"""The audit log in plain words: one sentence for every kind of entry, and its time as the
site's clock showed it ("Tue 1 Dec 2026, 14:03").

Plain Python: the console page, the JSON and the CSV export all say the same sentence.
Staff screens are English only. A sentence names staff and tickets, never a visitor's
name, phone or note (the log holds none), and never a password.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .audit_case_words import CASE_SENTENCES
from .audit_facts import REASONS, EntryFacts, local_time
from .history import Actor, AuditAction, AuditVia
from .labels import outcome_label

__all__ = ["REASONS", "EntryFacts", "local_time", "sentence"]


def _desk(f: EntryFacts) -> str:
    desk = f.detail.get("desk")
    return f" at desk {desk}" if desk else ""


def _words(value: object) -> str:
    return str(value).replace("_", " ")


# How a person asked for help, by the channel of the check-in they tried.
_HOW_ASKED = {"kiosk": "at the kiosk", "web": "on the web", "sms": "by text", "phone": "on a call"}
# Settings as people name them, where the field's own name would not read as words.
_SETTING_WORDS = {
    "sms_sender_name": "sender name",
    "sms_callback_number": "office number",
    "sms_almost_turn_ahead": "almost-your-turn count",
    "sms_join": "join by text",
    "oncall_numbers": "on-call numbers",
    "escalate_after_minutes": "minutes before on-call",
    "retention_days": "retention period",
}


def _listed(keys: object) -> str:
    listed = keys if isinstance(keys, (dict, list)) else []
    names = [_SETTING_WORDS.get(k, _words(k)) for k in listed]
    return ", ".join(names) if names else "nothing"


def _added(f: EntryFacts) -> str:
    channel = _words(f.detail.get("channel") or "the kiosk")
    if f.actor == Actor.VISITOR:
        return f"The visitor checked in as {f.ticket} ({channel})"
    return f"{f.who} added {f.ticket} to the line ({channel})"


def _called(f: EntryFacts) -> str:
    acknowledged = f.detail.get("via") == AuditVia.ACKNOWLEDGE
    via = " on acknowledging the urgent alert" if acknowledged else ""
    return f"{f.who} called {f.ticket}{via}"


def _completed(f: EntryFacts) -> str:
    label = outcome_label(f.detail.get("outcome"), None, f.detail.get("crisis_referral"))
    return f"{f.who} completed {f.ticket}" + (f": {label.lower()}" if label else "")


def _cancelled(f: EntryFacts) -> str:
    if f.actor == Actor.VISITOR:
        return f"The visitor left the line ({f.ticket})"
    return f"{f.who} cancelled {f.ticket}"


def _unstaffed(f: EntryFacts) -> str:
    return ", while nobody was on duty" if f.detail.get("unstaffed") else ""


def _transferred(f: EntryFacts) -> str:
    to = f.named("to_staff_id")
    if f.detail.get("from_staff_id") not in (None, f.staff_id):  # someone else's person
        return f"{f.who} handed {f.ticket} over from {f.named('from_staff_id')} to {to}"
    return f"{f.who} handed {f.ticket} over to {to}"


def _day_closed(f: EntryFacts) -> str:
    was, now = _words(f.detail.get("from", "open")), _words(f.detail.get("to", "closed"))
    urgent = " (urgent)" if f.detail.get("urgent") else ""
    return f"The system closed {f.ticket}{urgent} at the end of the day: {was} → {now}" + (
        f.because()
    )


def _acknowledged(f: EntryFacts) -> str:
    going = " and went to them" if f.detail.get("going") else ", nobody on the way yet"
    return f"{f.who} acknowledged the urgent alert for {f.ticket}{going}"


def _burst(f: EntryFacts) -> str:
    count = f.detail.get("count", "several")
    return f"The system summed up {count} urgent requests from one address{f.because()}"


def _attempt(f: EntryFacts) -> str:
    result = {"reached": "reached them", "no_answer": "no answer", "voicemail": "voicemail left"}
    said = result.get(str(f.detail.get("result")), _words(f.detail.get("result", "")))
    attempt = f.detail.get("attempt")
    number = f" (try {attempt})" if attempt else ""
    return f"{f.who} called {f.ticket} back: {said}{number}"


def _duty_ended(f: EntryFacts) -> str:
    if f.actor == Actor.SYSTEM:
        return f"The system ended {f.named('staff_id')}'s duty shift{f.because()}"
    return f"{f.who} went off duty"


def _signed_in(f: EntryFacts) -> str:
    how = " (browser)" if f.detail.get("browser") else " (API)"
    return f"{f.who} signed in{how}"


def _sign_in_failed(f: EntryFacts) -> str:
    typed = f.detail.get("email_tried") or f.staff_email
    # What was typed is anyone's text: quoted and escaped, it cannot pass for more sentence
    # ('x@y.org — signed in; Maria deactivated Sam') or break a line of the CSV.
    tried = json.dumps(str(typed), ensure_ascii=False) if typed else "an unknown e-mail"
    said = f"Someone tried to sign in as {tried} — {f.reason or 'refused'}"
    return said + ("; further tries delayed" if f.detail.get("next_try_at") else "")


def _site_changed(f: EntryFacts) -> str:
    who = "Someone on the command line" if f.detail.get("by") == AuditVia.COMMAND_LINE else f.who
    return f"{who} changed the site's {_listed(f.detail.get('changes'))}"


def _account(f: EntryFacts) -> str:
    """The account a staff administration entry is about: its name, and e-mail as it was."""
    email = f.detail.get("staff")
    staff_id = f.detail.get("staff_id")
    name = f.names.get(staff_id) if isinstance(staff_id, int) else None
    if name and email:
        return f"{name} ({email})"
    return str(name or email or "an account")


def _staff_changed(f: EntryFacts) -> str:
    who = "Someone on the command line" if f.actor == Actor.SYSTEM else f.who
    changes = f.detail.get("changes")
    active = changes.get("active") if isinstance(changes, dict) else None
    if isinstance(active, dict) and active.get("after") is False:
        return f"{who} deactivated {_account(f)}"
    if isinstance(active, dict) and active.get("after") is True:
        return f"{who} reactivated {_account(f)}"
    return f"{who} changed {_account(f)}'s {_listed(changes)}"


def _password_set(f: EntryFacts) -> str:
    if f.actor == Actor.SYSTEM:
        return f"A new password for {_account(f)} was set on the command line"
    return f"{f.who} chose a password through their one-time link"


def _purged(f: EntryFacts) -> str:
    removed = f.detail.get("removed")
    counted = removed.items() if isinstance(removed, dict) else ()
    shown = ", ".join(f"{n} {_words(k)}" for k, n in counted if n) or "nothing"
    days = f.detail.get("retention_days")
    after = f" after {days} days" if days else ""
    return f"The system removed personal details of closed visits{after}: {shown}"


def _exported(f: EntryFacts) -> str:
    filters = f.detail.get("filters")
    given = dict(filters) if isinstance(filters, dict) else {}
    if "staff" in given and isinstance(f.detail.get("staff_id"), int):
        given["staff"] = f.named("staff_id")
    shown = ", ".join(f"{'person' if k == 'staff' else k} {v}" for k, v in given.items())
    return f"{f.who} exported the audit log as CSV" + (f" ({shown})" if shown else "")


def _escalated(f: EntryFacts) -> str:
    minutes, texted = f.detail.get("after_minutes", "?"), f.detail.get("texted", 0)
    to = (
        f"texted to {texted} on-call number{'s' if texted != 1 else ''}"
        if texted
        else "no on-call number could be texted (none is set, or they stopped texts)"
    )
    return f"Nobody acknowledged the urgent alert of {f.ticket} within {minutes} min: {to}"


SENTENCES: dict[AuditAction, Callable[[EntryFacts], str]] = {
    AuditAction.TICKET_ADDED: _added,
    AuditAction.TICKET_VIEWED: lambda f: f"{f.who} opened the record of {f.ticket}",
    AuditAction.TICKET_CALL: _called,
    AuditAction.TICKET_START: lambda f: f"{f.who} started the session with {f.ticket}",
    AuditAction.TICKET_COMPLETE: _completed,
    AuditAction.TICKET_NO_SHOW: lambda f: f"{f.who} marked {f.ticket} as a no-show",
    AuditAction.TICKET_CANCEL: _cancelled,
    AuditAction.TICKET_REQUEUE: lambda f: f"{f.who} put {f.ticket} back in the line",
    AuditAction.TICKET_LEFT: lambda f: f"{f.who} marked {f.ticket} as left without being seen",
    AuditAction.TICKET_URGENT: lambda f: (
        f"The visitor with {f.ticket} said they do not feel safe{_unstaffed(f)}"
    ),
    AuditAction.URGENT_CHECK_IN: lambda f: (
        f"{f.ticket} checked in saying they do not feel safe{_unstaffed(f)}"
    ),
    AuditAction.URGENT_COALESCED: lambda f: (
        "An urgent request from an address over its allowance was added to its summary"
        " (no ticket made)"
    ),
    AuditAction.URGENT_ESCALATED: _escalated,
    AuditAction.TICKET_TRANSFERRED: _transferred,
    AuditAction.TICKET_DAY_CLOSED: _day_closed,
    AuditAction.TICKET_FOLLOWED_UP: lambda f: (
        f"{f.who} followed up {f.ticket}, urgent and not seen, with a note"
    ),
    AuditAction.CALL_PASSED_URGENT: lambda f: (
        f"{f.who} called {f.ticket} while an urgent person waited, and gave a reason"
    ),
    AuditAction.NOTE_ADDED: lambda f: f"{f.who} added a note to {f.ticket}",
    AuditAction.TICKET_TEXTED: lambda f: f"{f.who} sent a text of their own to {f.ticket}",
    AuditAction.PHONE_PAGE_TEXT: lambda f: (
        f"{f.who} typed a text on the console's phone as {f.detail.get('as', 'a number')}"
        + (f" ({f.ticket})" if f.ticket_code else "")
    ),
    AuditAction.MESSAGES_VIEWED: lambda f: (
        f"{f.who} opened the texts of {f.ticket}"
        if f.ticket_code
        else f"{f.who} opened the site's message log"
    ),
    AuditAction.ALERT_ACKNOWLEDGED: _acknowledged,
    AuditAction.ALERT_BURST: _burst,
    AuditAction.ALERT_BURST_ACKNOWLEDGED: lambda f: (
        f"{f.who} acknowledged a burst of {f.detail.get('count', 'several')} urgent requests"
    ),
    AuditAction.HELP_WHILE_CLOSED: lambda f: (
        f"Someone asked for help {_HOW_ASKED.get(str(f.detail.get('channel')), 'at the kiosk')}"
        " while the office was closed"
    ),
    AuditAction.CALLBACK_ATTEMPT: _attempt,
    AuditAction.DUTY_STARTED: lambda f: f"{f.who} went on duty{_desk(f)}",
    AuditAction.DUTY_ENDED: _duty_ended,
    AuditAction.DUTY_DESK: lambda f: f"{f.who} changed desk{_desk(f).replace(' at', ' to')}",
    AuditAction.STAFF_SIGNED_IN: _signed_in,
    AuditAction.STAFF_SIGNED_OUT: lambda f: f"{f.who} signed out",
    AuditAction.SIGN_IN_FAILED: _sign_in_failed,
    AuditAction.SITE_CHANGED: _site_changed,
    AuditAction.STAFF_INVITED: lambda f: f"{f.who} invited {_account(f)}",
    AuditAction.STAFF_CHANGED: _staff_changed,
    AuditAction.STAFF_PASSWORD_RESET: lambda f: (
        f"{f.who} reset the password of {_account(f)} (a new one-time link)"
    ),
    AuditAction.STAFF_PASSWORD_SET: _password_set,
    AuditAction.RETENTION_PURGED: _purged,
    AuditAction.SITE_ADDED: lambda f: (
        f"Someone on the command line added the site {f.detail.get('site') or 'a site'}"
    ),
    AuditAction.STAFF_ADDED: lambda f: f"Someone on the command line added {_account(f)}",
    AuditAction.AUDIT_EXPORTED: _exported,
    **CASE_SENTENCES,
}


def sentence(facts: EntryFacts) -> str:
    try:
        said = SENTENCES[AuditAction(facts.action)]
    except ValueError:  # an action from an older version: say what the row says
        return f"{facts.who}: {_words(facts.action)}"
    return said(facts)
