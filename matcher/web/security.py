"""The security baseline of every response: headers, cookies, CSRF failures, proxies.

Written by hand (about what flask-talisman does, which is no longer maintained) and
locked in by exact-header tests (reference/security.md §2.4, §2.5).
"""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

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


def init_app(app: Flask) -> None:
    if app.config["PROXY_FIX_X_FOR"]:
        # Trust X-Forwarded-* from exactly our own proxies (rate limits and audit IPs).
        app.wsgi_app = ProxyFix(app.wsgi_app,  # type: ignore[method-assign]
                                x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)
    app.after_request(_headers)
    app.register_error_handler(CSRFError, _csrf_failed)


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"  # staff pages may show personal data
    return response


def _csrf_failed(error: CSRFError) -> ResponseReturnValue:
    """The page had expired: offer to send the same answers again with a fresh token."""
    kept = [(name, value) for name, value in request.form.items(multi=True)
            if name not in SECRET_FIELDS and not name.startswith("password")]
    response = Response(render_template("errors/csrf.html", fields=kept[:200],
                                        target=request.path), status=400)
    response.headers["Cache-Control"] = "no-store"
    return response
