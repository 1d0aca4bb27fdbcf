"""Declared access: every view states who may reach it, and a test checks that all do.

`public` views are for anyone. `staff(*roles)` views need a logged-in, active account of
one of the roles, with its first-login set-up done (new password, then the second factor);
anonymous visitors are sent to the login page, others get 403, which is audited as
`access_denied` (ASVS 16.3.2). A visitor sent to the login page is not: nobody is
identified yet, and every failed login that may follow is audited already.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

from matcher.data import accounts
from matcher.data.db import get_session

View = TypeVar("View", bound=Callable[..., Any])

PUBLIC = "public"
# Every role (ASVS 6.3.3, no exception): providers too, since a provider account speaks for
# its provider and will edit its courses (issue 12); a second factor costs one app.
MANDATORY_SECOND_FACTOR = ("admin", "caseworker", "provider")
MAX_AUDITED_PATH = 200


def public(view: View) -> View:
    """Anyone, logged in or not, may use this view."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def setup_pending(user: Any) -> str | None:
    """The set-up step a logged-in account must finish first, or None."""
    if user.must_change_password:
        return "auth.change_password"
    if user.role in MANDATORY_SECOND_FACTOR and not user.totp_enabled:
        return "auth.second_factor"
    return None


def staff(*roles: str, setup: bool = False) -> Callable[[View], View]:
    """Logged-in staff with one of roles; setup=True for the first-login set-up pages."""
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in roles:
                _audit_refusal()
                abort(403)
            pending = setup_pending(current_user)
            if pending and not setup:
                return redirect(url_for(pending))
            return view(*args, **kwargs)

        guarded.access_policy = "staff:" + ",".join(roles)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]
    return decorate


def _audit_refusal() -> None:
    """Who was refused what: the account, method and path (never the query string)."""
    session = get_session()
    accounts.audit(session, "access_denied", actor=current_user.row, ip=request.remote_addr,
                   method=request.method, path=request.path[:MAX_AUDITED_PATH])
    session.commit()


def local_path(target: str | None) -> str | None:
    """target if it is a path on this site, else None: no open redirects (ASVS 3.7.2)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read "/\\host" as "//host"; control characters have no place in a path.
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    return target


def policy_of(view: Callable[..., object]) -> str | None:
    return getattr(view, "access_policy", None)


ALL_STAFF = ("admin", "caseworker", "provider")
