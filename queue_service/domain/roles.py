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
# A case manager sees today's summary of their own site (services.reports); the rest is theirs.
READS_REPORTS = frozenset({Role.SITE_LEAD, Role.ADMIN})
CHANGES_SITE = frozenset({Role.SITE_LEAD, Role.ADMIN})


def may_follow_up(role: str) -> bool:
    """Marking an urgent person nobody saw as followed up is the lead's responsibility."""
    return role in FOLLOWS_UP


def may_read_reports(role: str) -> bool:
    return role in READS_REPORTS


def may_change_site(role: str) -> bool:
    return role in CHANGES_SITE


def may_see_staff(role: str) -> bool:
    return role in SEES_STAFF


def may_read_audit(role: str) -> bool:
    return role in READS_AUDIT


def may_manage_staff(role: str) -> bool:
    """Inviting, changing, deactivating and resetting staff is the administrator's."""
    return role in MANAGES_STAFF


class AccountChange(StrEnum):
    """What an administrator may do to one account; the staff page shows exactly these."""

    SITES_AND_LANGUAGES = "sites_and_languages"
    ROLE = "role"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    RESET_PASSWORD = "reset_password"


# Reaching past the sites one administers: these act on the whole account, everywhere.
ACCOUNT_WIDE = frozenset(
    {
        AccountChange.ROLE,
        AccountChange.DEACTIVATE,
        AccountChange.REACTIVATE,
        AccountChange.RESET_PASSWORD,
    }
)


def account_changes(
    *,
    role: str,
    is_self: bool,
    administers_every_site: bool,
    active: bool,
) -> frozenset[AccountChange]:
    """What `role` may change about an account it shares a site with.

    Sites and languages at one's own sites, always. The rest acts on the whole account (a
    deactivated person is locked out of every site), so it is for an administrator of every
    site the person works at: an admin of one site must not lock a colleague out of
    another's. Nobody changes their own role, locks themselves out or resets their own
    password from a session that the reset would end.
    """
    if not may_manage_staff(role):
        return frozenset()
    if is_self or not administers_every_site:
        return frozenset({AccountChange.SITES_AND_LANGUAGES})
    switch = AccountChange.DEACTIVATE if active else AccountChange.REACTIVATE
    wide = {AccountChange.ROLE, switch}
    if active:
        wide.add(AccountChange.RESET_PASSWORD)
    return frozenset({AccountChange.SITES_AND_LANGUAGES, *wide})
