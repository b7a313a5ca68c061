"""Small helpers every surface shares: the request's session, the core, the JSON body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request
from sqlalchemy.orm import Session

from queue_service.bus import EventBus
from queue_service.domain.errors import DomainError, ValidationFailed
from queue_service.persistence.database import Database

from .settings import Settings


@dataclass(frozen=True)
class Core:
    """What the composition root hands the surfaces."""

    settings: Settings
    database: Database
    bus: EventBus


class BadRequest(DomainError):
    code = "invalid_json"


class NotSignedIn(DomainError):
    code = "not_signed_in"


def core() -> Core:
    return current_app.extensions["frontdoor"]


def db_session() -> Session:
    if "db_session" not in g:
        g.db_session = core().database.session()
    return g.db_session


def close_db_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def json_body() -> Any:
    """The request's JSON body; {} when empty; BadRequest when it is not JSON.

    NUL characters are refused here, once for every field: no text in Front Door needs
    one, and PostgreSQL cannot store them.
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    body = request.get_json(force=True, silent=True)
    if body is None:
        raise BadRequest("The request body is not valid JSON.")
    if _has_nul(body):
        raise ValidationFailed("Text may not contain NUL characters.", code="invalid_text")
    return body


def refuse_nul_in_url() -> None:
    """Before every request: a NUL in the path or query string names nothing we have."""
    if "\x00" in request.path or "\x00" in request.query_string.decode("latin-1"):
        raise BadRequest("The address is not valid.", code="invalid_url")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def public_base_url() -> str:
    return core().settings.public_url or request.host_url.rstrip("/")
