"""Error pages in one place: 404, 500 with a reference id, 503 when the database is down.

Under /api/v1 the same errors are answered as JSON (matcher.web.api), never as HTML.
"""

from __future__ import annotations

import uuid

from flask import Flask, current_app, g, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from matcher.web import api


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(DBAPIError, _database_unavailable)
    app.register_error_handler(DataError, _data_refused)
    app.register_error_handler(Exception, _unexpected_error)


def _rollback() -> None:
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if code >= 500:
        return _unexpected_error(error)
    if api.is_api_request():
        return api.http_error(error)
    template = "errors/404.html" if code == 404 else "errors/generic.html"
    return render_template(template, code=code, error=error), code


def _database_unavailable(error: Exception) -> ResponseReturnValue:
    _rollback()
    reference = _reference()
    current_app.logger.error("database unavailable [%s]: %s", reference, error.__class__.__name__)
    if api.is_api_request():
        return api.service_unavailable(reference)
    return render_template("errors/503.html", reference=reference), 503, {"Retry-After": "60"}


def _data_refused(error: DataError) -> ResponseReturnValue:
    """The database refused a value sent to it, it did not fail: the request was bad.

    PostgreSQL text cannot hold a NUL byte, so a typed "\\0" used to be answered "database
    unavailable" (503, try again later); it is a 400 like any other unusable input.
    """
    _rollback()
    current_app.logger.warning("value refused by the database: %s", type(error.orig).__name__)
    return _http_error(BadRequest())


def _unexpected_error(error: Exception) -> ResponseReturnValue:
    _rollback()
    reference = _reference()
    if not isinstance(error, InternalServerError):
        current_app.logger.exception("unexpected error [%s]", reference, exc_info=error)
    if api.is_api_request():
        return api.server_error(reference)
    return render_template("errors/500.html", reference=reference), 500


def _reference() -> str:
    return uuid.uuid4().hex[:10]
