"""What can go wrong, in the words the people using Front Door would use.

Each error carries a stable snake_case `code` (the public contract's error code) and a
plain-language message. The web layer maps error classes to HTTP statuses.
"""

from __future__ import annotations

import math
from datetime import datetime


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class ValidationFailed(DomainError):
    code = "validation_failed"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class TooManyTries(DomainError):
    """Too many failed tries: nothing is checked before `retry_at`."""

    code = "too_many_requests"

    def __init__(self, message: str, *, retry_at: datetime, now: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at
        self.now = now
        self.retry_after_seconds = max(1, math.ceil((retry_at - now).total_seconds()))


class Conflict(DomainError):
    code = "conflict"


class ChangedSinceRead(DomainError):
    """The caller asked to change what it last read (If-Match), and it has changed since."""

    code = "changed_since_read"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class NotOnDuty(Conflict):
    code = "not_on_duty"


class OfficeClosed(Conflict):
    """Closed, and nobody on duty: a check-in now would promise help that is not there."""

    code = "office_closed"

    def __init__(self, message: str, *, office: object) -> None:
        super().__init__(message)
        self.office = office
