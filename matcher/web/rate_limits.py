"""Per-address limits on the public posts and the API (ASVS 2.4.1), next to the login limits.

A person answering the questions, re-ranking the results or typing in a search field stays
far below these limits; a script flooding the matching (the costly part) is answered 429
with Retry-After. The counts live in RATELIMIT_STORAGE_URI, as the login limits do, so all
processes share them. Unlike a login, a citizen is never refused because that storage is
down: this limiter then counts per process in memory (Flask-Limiter's in-memory fallback)
and goes back to the shared count once the storage answers again; logins keep failing
closed (auth.limiter).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

public_limiter = Limiter(key_func=get_remote_address, default_limits=[],
                         in_memory_fallback_enabled=True)


def init_app(app: Flask) -> None:
    public_limiter.init_app(app)


def per_address(setting: str, *, methods: list[str] | None = None) -> Callable[[Any], Any]:
    """A limit per client address on a view, read from setting at each request."""
    return public_limiter.limit(lambda: current_app.config[setting], methods=methods)


def per_account(setting: str, *, methods: list[str] | None = None) -> Callable[[Any], Any]:
    """A limit per logged-in account on a staff view, read from setting at each request.

    Beside per_address: one account working from many addresses is held to it too. Put it
    under the view's staff(...) check, so that only a logged-in account is ever counted.
    """
    return public_limiter.limit(lambda: current_app.config[setting], methods=methods,
                                key_func=_account)


def _account() -> str:
    return f"account:{current_user.get_id()}" if current_user.is_authenticated \
        else get_remote_address()
