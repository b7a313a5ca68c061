"""Failed sign-ins, counted per account and per address, in the database.

In the database, not in a process's memory, so the count survives a restart and every
server process shares it. The row's key is an HMAC of the e-mail or address with the app's
secret key: the table names nobody, and without the key a guess cannot be checked against it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SignInThrottle(Base):
    __tablename__ = "sign_in_throttle"

    # HMAC-SHA256, hex; personal (a keyed hash of an e-mail or address): see the README.
    key: Mapped[str] = mapped_column(String(64), primary_key=True, info={"personal": True})
    scope: Mapped[str] = mapped_column(String(10))  # domain.sign_in_throttle.Scope
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(index=True)
    # No try is checked before this; None: the free tries are not used up.
    blocked_until: Mapped[datetime | None]
