"""The security baseline of every response: headers, cookies, CSRF failures, proxies.

Written by hand (about what flask-talisman does, which is no longer maintained) and
locked in by exact-header tests (reference/security.md §2.4, §2.5).
"""

from __future__ import annotations

import logging
import re
import typing as t

from flask import Flask, Response, render_template, request
from flask import Request as FlaskRequest
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream, get_content_length, get_input_stream

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Never posted back after a CSRF failure: secrets are typed again, not kept in a page.
SECRET_FIELDS = ("csrf_token", "password", "current_password", "new_password",
                 "new_password_again", "code")


# A request line in a log message ("GET /api/v1/suggest?q=... HTTP/1.1"): the query string
# is what citizens typed (typeahead, filters), so it never reaches a log.
_REQUEST_LINE_QUERY = re.compile(r'("?[A-Z]+ [^\s?"]*)\?[^\s"]*')


class CappedStream(LimitedStream):
    """A body without Content-Length (chunked) read up to MAX_CONTENT_LENGTH.

    Werkzeug's LimitedStream.readall() stops at the maximum and returns what it has, so a
    longer chunked body was silently cut; here a body with anything beyond the maximum
    is refused with 413 (issue 10).
    """

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted and self._stream.read(1):
            raise RequestEntityTooLarge()
        return data


class Request(FlaskRequest):
    @cached_property
    def stream(self) -> t.IO[bytes]:
        limit = self.max_content_length
        if (limit is not None and "wsgi.input_terminated" in self.environ
                and get_content_length(self.environ) is None):
            return t.cast(t.IO[bytes], CappedStream(self.environ["wsgi.input"], limit,
                                                    is_max=True))
        return get_input_stream(self.environ, max_content_length=limit)


class DropQueryStrings(logging.Filter):
    """Removes query strings from request lines (the development server's access log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _REQUEST_LINE_QUERY.sub(r"\1", message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def init_app(app: Flask) -> None:
    app.request_class = Request  # refuses oversized chunked bodies instead of cutting them
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropQueryStrings) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(DropQueryStrings())
    if app.config["PROXY_FIX_X_FOR"]:
        # Trust X-Forwarded-* from exactly our own proxies (rate limits and audit IPs).
        app.wsgi_app = ProxyFix(app.wsgi_app,  # type: ignore[method-assign]
                                x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)
    app.after_request(_headers)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(SecurityError, _untrusted_host)


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"  # staff pages may show personal data
    return response


# Only a citizen's answers are offered to be sent again: a staff action or a login refused for
# its token may be a forgery from another site, and "Send igen" would carry it out.
REPOST_BLUEPRINTS = ("citizen",)


def _csrf_failed(error: CSRFError) -> ResponseReturnValue:
    """The page had expired: a citizen may send the same answers again with a fresh token."""
    repost = request.blueprint in REPOST_BLUEPRINTS
    kept = [(name, value) for name, value in request.form.items(multi=True)
            if name not in SECRET_FIELDS and not name.startswith("password")] if repost else []
    response = Response(render_template("errors/csrf.html", fields=kept[:200], repost=repost,
                                        target=request.path), status=400)
    response.headers["Cache-Control"] = "no-store"
    return response


def _untrusted_host(error: SecurityError) -> ResponseReturnValue:
    """A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page and no redirect."""
    return Response("400 Bad Request: unknown host\n", status=400, mimetype="text/plain")
