"""Declared access: every view states who may reach it, and a test checks that all do.

`public` views are for anyone. `staff(*roles)` views need a logged-in, active account of
one of the roles, with its first-login set-up done (new password, second factor where it
is mandatory); anonymous visitors are sent to the login page, others get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

View = TypeVar("View", bound=Callable[..., Any])

PUBLIC = "public"
MANDATORY_SECOND_FACTOR = ("admin", "caseworker")


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
                abort(403)
            pending = setup_pending(current_user)
            if pending and not setup:
                return redirect(url_for(pending))
            return view(*args, **kwargs)

        guarded.access_policy = "staff:" + ",".join(roles)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]
    return decorate


def local_path(target: str | None) -> str | None:
    """target if it is a path on this site, else None: no open redirects (ASVS 3.7.2)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def policy_of(view: Callable[..., object]) -> str | None:
    return getattr(view, "access_policy", None)


ALL_STAFF = ("admin", "caseworker", "provider")
