"""Operations: is the process up, can it reach what it needs (the contract's /healthz and
/readyz, for load balancers, service managers and the benchmarks' ceiling)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .web import core

ops = Blueprint("ops", __name__)


@ops.get("/healthz")
def healthz() -> Response:
    """The process answers: nothing else is checked, so this is the cheapest request."""
    return jsonify({"ok": True})


@ops.get("/readyz")
def readyz() -> tuple[Response, int]:
    """It can reach its database (and Redis, when configured)."""
    checks: dict[str, bool] = {}
    try:
        with core().database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = True
    except SQLAlchemyError:
        checks["database"] = False
    redis_url = core().settings.redis_url
    if redis_url:
        checks["redis"] = _redis_answers(redis_url)
    ready = all(checks.values())
    return jsonify({"ready": ready, "checks": checks}), 200 if ready else 503


def _redis_answers(url: str) -> bool:
    try:
        import redis
    except ImportError:
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception:  # any failure to reach it is "not ready", never a 500
        return False
