"""Where an account stands, in words for the staff list: a person invited who has not yet
chosen a password is not "Active", and one whose link ran out needs a new one."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class AccountStatus(StrEnum):
    ACTIVE = "active"
    AWAITING_PASSWORD = "awaiting_password"  # an invitation or reset link not used yet
    LINK_EXPIRED = "link_expired"  # that link ran out unused: nobody can sign in as them
    DEACTIVATED = "deactivated"


def account_status(
    *, active: bool, link_purpose: str | None, link_expires_at: datetime | None, now: datetime
) -> tuple[AccountStatus, str]:
    """The status and its words. `link_*`: the account's unused set-password link, if any."""
    if not active:
        return AccountStatus.DEACTIVATED, "Deactivated"
    if link_expires_at is None:
        return AccountStatus.ACTIVE, "Active"
    if link_expires_at <= now:
        return AccountStatus.LINK_EXPIRED, "Link ran out: reset the password for a new one"
    if link_purpose == "invite":
        return AccountStatus.AWAITING_PASSWORD, "Invited: has not chosen a password yet"
    return AccountStatus.AWAITING_PASSWORD, "Password reset: has not chosen a new one yet"
