"""Every refusal in the contract's shape: {"error": {"code", "message", "fields"}}.

A DomainError maps to its HTTP status here; a database that cannot serve right now (full
disk, read-only, lost or restarting server: queue_service/persistence/failures.py) is a 503
with Retry-After; anything else unexpected is logged with its stack trace and answered with
a plain 500 that shows none of it.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, redirect, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from queue_service.domain.errors import (
    ChangedSinceRead,
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    TooManyTries,
    ValidationFailed,
)
from queue_service.persistence.failures import database_unavailable

from .web import BadRequest, NotSignedIn

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

STATUS_FOR = (
    (BadRequest, 400),
    (NotSignedIn, 401),
    (ValidationFailed, 422),
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (ChangedSinceRead, 412),
    (TooManyTries, 429),
)

HTTP_CODES = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    412: "changed_since_read",
    413: "request_too_large",
    503: "unavailable",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def error_response(status: int, code: str, message: str, fields: dict | None = None) -> Response:
    if not _is_api(request.path):
        return _page(status)
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    return response


def _is_api(path: str) -> bool:
    return path.startswith(("/api/", "/webhooks/", "/socket.io"))


def _page(status: int) -> Response:
    """People reach pages from a QR code or a bookmark: answer in words, in their language."""
    if status == 404:
        heading = gettext("We could not find this page.")
        message = gettext("Your ticket may have ended, or the link is not complete.")
    elif status == 429:
        heading = gettext("Please wait a moment.")
        message = gettext("There were too many tries. Try again in a minute.")
    else:
        heading = gettext("Something went wrong.")
        message = gettext("Please try again, or ask at the front desk.")
    response = make_response(render_template("problem.html", heading=heading, message=message))
    response.status_code = status
    return response


def status_for(error: DomainError) -> int:
    for cls, status in STATUS_FOR:
        if isinstance(error, cls):
            return status
    return 400


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> Response:
        response = error_response(status_for(error), error.code, error.message, error.fields)
        if isinstance(error, TooManyTries):
            response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> Response:
        if request.path.startswith("/console"):  # a stale page or form: sign in afresh
            return redirect("/console/?signed_out=expired", code=303)
        return error_response(400, "csrf_failed", "This page has expired. Reload it and try again.")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        status = error.code or 500
        code = HTTP_CODES.get(status, "http_error")
        message = {
            429: "Too many tries. Please wait a little and try again.",
            404: "There is nothing here.",
        }.get(status, error.description or error.name)
        response = error_response(status, code, message)
        for name, value in error.get_headers():
            if name in ("Retry-After", "Allow"):
                response.headers[name] = value
        return response

    @app.errorhandler(StaleDataError)
    def _lost_race(_error: StaleDataError) -> Response:
        # Two people changed one ticket at once and this request lost: nothing it did was
        # kept (its transaction rolled back); the other change stands.
        return error_response(
            409, "ticket_changed", "Someone else changed this a moment ago. Here is the latest."
        )

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError) -> Response:
        if not database_unavailable(error):
            return _unexpected(error)
        # Nothing was written (the transaction rolled back): say so and ask to retry, so the
        # kiosk can send the person to the front desk and retry with the same key later.
        log.error(
            "database unavailable on %s %s: %s", request.method, request.path,
            type(error.orig).__name__,
        )  # fmt: skip
        response = error_response(
            503, "unavailable", "The office computer cannot save right now. Please try again."
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Something went wrong on our side.")
