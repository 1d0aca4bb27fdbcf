"""Error pages in one place: 404, 429, 500 with a reference id, 503 when a service is down.

Under /api/v1 the same errors are answered as JSON (matcher.web.api), never as HTML.
"Down" is the database (refused, dropped, timed out, pool exhausted) or the rate-limit
storage that login needs. Every answer passes through the usual after_request, so it
carries the security headers; a 503 page never reads the database on its way out.
"""

from __future__ import annotations

import uuid

from flask import Flask, current_app, g, render_template
from flask.typing import ResponseReturnValue
from limits.errors import StorageError
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from matcher.web import api

UNAVAILABLE = (DBAPIError, PoolTimeout, StorageError)
RETRY_AFTER_SECONDS = "60"


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    for unavailable in UNAVAILABLE:
        app.register_error_handler(unavailable, _service_unavailable)
    app.register_error_handler(DataError, _data_refused)
    app.register_error_handler(Exception, _unexpected_error)


def _rollback() -> None:
    session = g.get("db_session")
    if session is None:
        return
    try:
        session.rollback()
    except UNAVAILABLE:  # the connection is gone; teardown closes the session
        current_app.logger.warning("rollback failed: the database is unavailable")


def _as_visitor() -> None:
    """Draw the page as for a visitor unless the staff account is already loaded.

    Flask-Login loads the account lazily, when the page header or the security headers
    first ask for it; with the database down that load fails again inside the error
    handler, and the answer used to be a bare 500 without headers. The session cookie is
    left alone, so staff are still logged in once the database is back.
    """
    if "_login_user" not in g:
        current_app.login_manager._update_request_context_with_user()  # type: ignore[attr-defined]


def _http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if code >= 500:
        return _unexpected_error(error)
    if api.is_api_request():
        return api.http_error(error)
    template = {404: "errors/404.html", 429: "errors/429.html"}.get(code, "errors/generic.html")
    return _page(template, code, error=error)


def _service_unavailable(error: Exception) -> ResponseReturnValue:
    _rollback()
    _as_visitor()
    reference = _reference()
    cause = error.storage_error if isinstance(error, StorageError) else error
    service = "rate-limit storage" if isinstance(error, StorageError) else "database"
    current_app.logger.error("%s unavailable [%s]: %s", service, reference,
                             cause.__class__.__name__)
    if api.is_api_request():
        return api.service_unavailable(reference)
    return (render_template("errors/503.html", reference=reference), 503,
            {"Retry-After": RETRY_AFTER_SECONDS, "Cache-Control": "no-store"})


def _data_refused(error: DataError) -> ResponseReturnValue:
    """The database refused a value sent to it, it did not fail: the request was bad.

    PostgreSQL text cannot hold a NUL byte, so a typed "\\0" used to be answered "database
    unavailable" (503, try again later); it is a 400 like any other unusable input.
    """
    _rollback()
    current_app.logger.warning("value refused by the database: %s", type(error.orig).__name__)
    return _http_error(BadRequest())


def _unexpected_error(error: Exception) -> ResponseReturnValue:
    # An outage met outside a view (in after_request, say) reaches Flask's last resort,
    # which wraps it in InternalServerError: it is still an outage.
    cause = getattr(error, "original_exception", None)
    if isinstance(cause, UNAVAILABLE) and not isinstance(cause, DataError):
        return _service_unavailable(cause)
    _rollback()
    reference = _reference()
    if not isinstance(error, InternalServerError):
        current_app.logger.exception("unexpected error [%s]", reference, exc_info=error)
    if api.is_api_request():
        return api.server_error(reference)
    return _page("errors/500.html", 500, reference=reference)


def _page(template: str, code: int, **context: object) -> ResponseReturnValue:
    """An error page; drawn as for a visitor if the account cannot be loaded right now."""
    try:
        return render_template(template, **context), code
    except UNAVAILABLE:
        _rollback()
        _as_visitor()
        return render_template(template, **context), code


def _reference() -> str:
    return uuid.uuid4().hex[:10]
