"""Numbers that said STOP. Kept as keyed hashes (HMAC with the secret key): the number itself
is erased after each visit, and an opt-out must outlast every visit until the person sends
START. An unkeyed hash would give the number back to anyone who hashes every number of an
area code.

Keyed with the secret key: rotating the key forgets every opt-out (README)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import SmsOptOut


class OptOutSource(StrEnum):
    STOP = "stop"  # the person texted a STOP word
    PROVIDER = "provider"  # the provider refused to text them (Twilio error 21610)


def number_key(secret_key: str, phone: str) -> str:
    return hmac.new(secret_key.encode(), f"sms-number:{phone}".encode(), hashlib.sha256).hexdigest()


def is_opted_out(session: Session, secret_key: str, phone: str) -> bool:
    key = number_key(secret_key, phone)
    found = session.scalar(select(SmsOptOut.number_key).where(SmsOptOut.number_key == key))
    return found is not None


def opt_out(
    session: Session, secret_key: str, phone: str, source: OptOutSource, now: datetime
) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(SmsOptOut)
        .values(number_key=number_key(secret_key, phone), source=source.value, opted_out_at=now)
        .on_conflict_do_nothing()
    )


def opt_in(session: Session, secret_key: str, phone: str) -> None:
    session.execute(delete(SmsOptOut).where(SmsOptOut.number_key == number_key(secret_key, phone)))
