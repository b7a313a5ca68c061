"""The console's one navigation, and who may open each page: the rule lives here alone.

Sections come in the contract's order (Queue, Visitors, Cases, Reports, Administration,
Audit). A section is listed only once it has a page, and only to a role that may open one
of its pages, so the bar never shows a dead link. Hiding a page is only courtesy: the API
checks every request with the same rules from queue_service.domain.roles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from queue_service.domain.roles import (
    may_change_site,
    may_follow_up,
    may_read_audit,
    may_read_reports,
    may_see_staff,
)
from web_kernel.web import core


@dataclass(frozen=True)
class Page:
    endpoint: str
    label: str
    may: Callable[[str], bool]


def _everyone(_role: str) -> bool:
    return True


def trying_texts() -> bool:
    """Texts go nowhere (FRONTDOOR_SMS_BACKEND=log): the console's phone stands in for one."""
    return core().settings.sms_backend == "log"


def _everyone_trying_texts(_role: str) -> bool:
    # Not a role's rule: with a real provider the page does not exist (message_pages.py).
    return trying_texts()


SECTIONS: tuple[tuple[str, tuple[Page, ...]], ...] = (
    (
        "Queue",
        (
            Page("console.home", "Live queue", _everyone),
            Page("console.urgent_not_seen_page", "Urgent, not seen", may_follow_up),
            Page("message_pages.messages_page", "Texts", _everyone),
            Page("message_pages.phone_page", "Phone (trying texts)", _everyone_trying_texts),
        ),
    ),
    ("Visitors", (Page("visitor_pages.repeat_visitors_page", "Repeat visitors", _everyone),)),
    ("Cases", (Page("case_pages.caseload_page", "Caseload", _everyone),)),
    (
        "Reports",
        (
            # A case manager's Daily is today's summary of their site (services.reports).
            Page("report_pages.daily_page", "Daily", _everyone),
            Page("report_pages.range_page", "Range", may_read_reports),
            Page("report_pages.sites_page", "Sites", may_read_reports),
        ),
    ),
    (
        "Administration",
        (
            Page("console.site_settings_page", "Site settings", may_change_site),
            Page("staff_pages.staff_page", "Staff", may_see_staff),
        ),
    ),
    ("Audit", (Page("audit_pages.audit_page", "Audit log", may_read_audit),)),
)
_RULE = {page.endpoint: page.may for _, pages in SECTIONS for page in pages}


def may_open(endpoint: str, role: str) -> bool:
    rule = _RULE.get(endpoint)
    return rule is not None and rule(role)


def for_role(role: str, current: str | None) -> list[dict]:
    """What the shell shows this role: each section's link (its first page this role may
    open) and, for the section the page is in, its pages when there is more than one."""
    shown = []
    for name, pages in SECTIONS:
        mine = [p for p in pages if p.may(role)]
        if not mine:
            continue
        here = any(p.endpoint == current for p in mine)
        shown.append(
            {
                "label": name,
                "href": url_for(mine[0].endpoint),
                "current": here,
                "pages": [
                    {
                        "label": p.label,
                        "href": url_for(p.endpoint),
                        "current": p.endpoint == current,
                    }
                    for p in mine
                ]
                if here and len(mine) > 1
                else [],
            }
        )
    return shown
