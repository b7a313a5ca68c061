"""Small helpers every surface shares: the request's session, the core, the JSON body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

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
    """The request's JSON body, parsed once per request; {} when empty.

    Refused here, once for every endpoint: anything that is not JSON (400), a body over
    the size limit however it was sent (413), and text with NUL characters or lone
    surrogates, which no field needs and the databases cannot store (422).
    """
    if "json_body" not in g:
        g.json_body = _parse_body()
    return g.json_body


def json_object(allowed: frozenset[str] | None = None) -> dict[str, Any]:
    """The body as a JSON object; with `allowed`, any other field is refused by name."""
    body = json_body()
    if not isinstance(body, dict):
        raise ValidationFailed("The request body must be a JSON object.")
    unknown = set(body) - allowed if allowed is not None else set()
    if unknown:
        raise ValidationFailed(
            "Some details were not right.", fields={f: "Unknown field." for f in sorted(unknown)}
        )
    return body


def _parse_body() -> Any:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    raw = request.get_data(cache=True)
    if limit and len(raw) >= limit:
        raise RequestEntityTooLarge()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadRequest("The request body is not valid JSON.") from None
    if _has_bad_text(body):
        raise ValidationFailed(
            "Text may not contain NUL characters or broken Unicode.", code="invalid_text"
        )
    return body


def refuse_nul_in_url() -> None:
    """Before every request: a NUL in the path or query string names nothing we have."""
    if "\x00" in request.path or "\x00" in request.query_string.decode("latin-1"):
        raise BadRequest("The address is not valid.", code="invalid_url")


def _has_bad_text(value: Any) -> bool:
    """NUL (PostgreSQL cannot store it) or a lone surrogate (no database can encode it)."""
    pending = [value]
    while pending:  # a loop, not recursion: bodies may nest deeper than Python's stack
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item or (not item.isascii() and not _encodable(item)):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def public_base_url() -> str:
    return core().settings.public_url or request.host_url.rstrip("/")
