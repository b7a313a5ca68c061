"""Who staff are, and what each kind of staff member may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CASE_MANAGER = "case_manager"
    SITE_LEAD = "site_lead"
    ADMIN = "admin"


# Everyone works the queue at their own sites; leads also see reports and staff; admins
# also manage sites and staff and read the audit log.
SEES_STAFF = frozenset({Role.SITE_LEAD, Role.ADMIN})
READS_AUDIT = frozenset({Role.ADMIN})
MANAGES_STAFF = frozenset({Role.ADMIN})


FOLLOWS_UP = frozenset({Role.SITE_LEAD, Role.ADMIN})
CHANGES_SITE = frozenset({Role.SITE_LEAD, Role.ADMIN})


def may_follow_up(role: str) -> bool:
    """Marking an urgent person nobody saw as followed up is the lead's responsibility."""
    return role in FOLLOWS_UP


def may_change_site(role: str) -> bool:
    return role in CHANGES_SITE


def may_see_staff(role: str) -> bool:
    return role in SEES_STAFF


def may_read_audit(role: str) -> bool:
    return role in READS_AUDIT


def may_manage_staff(role: str) -> bool:
    """Inviting, changing, deactivating and resetting staff is the administrator's."""
    return role in MANAGES_STAFF
