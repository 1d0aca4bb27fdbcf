"""Configuration: defaults, then instance/config.py, then the environment, then tests."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-only-not-secret"  # only ever used with DEBUG or TESTING on
ENVIRONMENTS = ("development", "testing", "production")
MIN_KEY_LENGTH = 32
MIN_KEY_DISTINCT = 10  # fewer distinct characters than this is not a random key

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,  # None: the development key under debug/tests, else see secret_key()
    # Fernet keys for the TOTP secrets at rest, comma-separated, newest first. None: derived
    # from SECRET_KEY in production, from the development key elsewhere (accounts.totp_cipher).
    "TOTP_ENCRYPTION_KEY": None,
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    "HOME_MUNICIPALITY": 657,  # Herning Kommune
    "LEAD_TIME_DAYS": 14,  # a suggested session starts at least this long after today
    "SITE_NAME": "Kompetenceløft",
    "AUTHORITY_NAME": "Herning Kommune",
    "AUTHORITY_PHONE": "",
    "AUTHORITY_EMAIL": "",
    "BABEL_DEFAULT_LOCALE": "da",
    "LANGUAGES": ("da", "en"),
    "LANGUAGE_COOKIE": "sprog",
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "VENDOR_DIR": None,  # None: <static>/vendor/dkfds
    "TODAY": None,  # an ISO date string fixes "today" (tests, demos)
    "APP_ENV": "development",  # development | testing | production (any case); production
    #                            refuses an unsafe configuration, other values refuse to start
    "TRUSTED_HOSTS": None,  # Flask 3.1: host names served; others get 400 (production: required)
    "RATELIMIT_HEADERS_ENABLED": True,  # 429 (and limited routes) carry Retry-After
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),  # absolute lifetime of a staff login
    "STAFF_IDLE_MINUTES": 30,
    "ONE_TIME_PASSWORD_HOURS": 72,  # a first or reset password works this long (ASVS 6.4.1)
    # Audit events older than this are deleted by `flask audit purge`, run daily: two years
    # covers misuse found late (months after, at a yearly review) and its follow-up, and no
    # longer, since the events hold staff members' e-mails and addresses (GDPR art. 5(1)(e)).
    "AUDIT_RETENTION_DAYS": 730,
    # A citizen's answers live in an encrypted cookie in their browser (web/answer_cookie.py):
    # gone when the browser closes, and refused this long after the last answer, so a shared
    # computer left open does not show them to the next person the next day.
    "ANSWERS_MAX_AGE": 3 * 3600,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session (long notes survive)
    "RATELIMIT_STORAGE_URI": "memory://",  # production: redis://... shared by all processes
    "LOGIN_RATE_LIMIT": "30 per minute",  # per client address, on top of the account lockout
    # Per client address and route (ASVS 2.4.1). A person posts a step every few seconds at
    # most, so pages leave room for a dozen people behind one shared address (a jobcenter
    # workshop, a library) yet hold one script to 2 a second; typeahead asks once per pause in
    # typing and is cheap; API clients are programs, each call a whole match.
    "CITIZEN_RATE_LIMIT": "120 per minute",  # POST /start (every step), POST /resultater
    "API_RATE_LIMIT": "60 per minute",  # POST /api/v1/match
    "SUGGEST_RATE_LIMIT": "300 per minute",  # GET /api/v1/suggest
    # A provider's CSV upload and its confirm: each parses up to 1 MB, and a person sends a
    # few files a minute at most.
    "UPLOAD_RATE_LIMIT": "20 per minute",
    # Looking up a citizen's hand-off code (issue 13): a caseworker types a few a day, so a
    # script guessing codes is stopped long before it could find one.
    "HANDOFF_RATE_LIMIT": "10 per minute",
    # A client record is deleted by `flask clients purge` this long after its last change:
    # the job centre's own case system is the record; this is a working copy (GDPR art. 5(1)(e)).
    "CLIENT_RETENTION_DAYS": 365,
    # A citizen's hand-off code works this long, once.
    "HANDOFF_DAYS": 14,
    "PROXY_FIX_X_FOR": 0,  # number of trusted proxies in front (X-Forwarded-For)
    # A web request's statement is cancelled after this long (PostgreSQL), or its wait for
    # SQLite's write lock ends; the request then gets the 503 page. 0: no limit.
    "DB_STATEMENT_TIMEOUT_MS": 5000,
    # The limiter's storage: errors raised as limits.errors.StorageError (answered 503), and
    # a Redis that does not answer fails a login in 2 s instead of hanging it.
    "RATELIMIT_STORAGE_OPTIONS": {"wrap_exceptions": True, "socket_connect_timeout": 2,
                                  "socket_timeout": 2},
}

# Environment variables read as they are (strings), and those converted on the way in.
_ENV_TEXT = ("SECRET_KEY", "DATABASE_URL", "SITE_NAME", "AUTHORITY_NAME",
             "AUTHORITY_PHONE", "AUTHORITY_EMAIL", "TODAY", "APP_ENV", "RATELIMIT_STORAGE_URI",
             "TOTP_ENCRYPTION_KEY", "CITIZEN_RATE_LIMIT", "API_RATE_LIMIT",
             "SUGGEST_RATE_LIMIT", "UPLOAD_RATE_LIMIT", "HANDOFF_RATE_LIMIT")
_ENV_INT = ("HOME_MUNICIPALITY", "PROXY_FIX_X_FOR", "LEAD_TIME_DAYS", "DB_STATEMENT_TIMEOUT_MS",
            "ONE_TIME_PASSWORD_HOURS", "AUDIT_RETENTION_DAYS", "ANSWERS_MAX_AGE",
            "CLIENT_RETENTION_DAYS", "HANDOFF_DAYS")
_ENV_BOOL = ("SESSION_COOKIE_SECURE",)
_ENV_LIST = ("TRUSTED_HOSTS",)  # comma-separated


def from_environment(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    """The settings the environment overrides; FLASK_<NAME> works as well as <NAME>."""
    found: dict[str, Any] = {}
    for name in (*_ENV_TEXT, *_ENV_INT, *_ENV_BOOL, *_ENV_LIST):
        value = environ.get(name, environ.get(f"FLASK_{name}"))
        if value is None or value == "":
            continue
        if name in _ENV_INT:
            found[name] = int(value)
        elif name in _ENV_LIST:
            found[name] = [part.strip() for part in value.split(",") if part.strip()]
        elif name in _ENV_BOOL:
            found[name] = value.strip().lower() in ("1", "true", "yes", "on")
        else:
            found[name] = value
    return found


def sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "kompetenceloeft.db")


def environment(value: object) -> str:
    """APP_ENV read case-insensitively; an unknown value is refused rather than guessed."""
    name = str(value if value is not None else "development").strip().lower() or "development"
    if name not in ENVIRONMENTS:
        raise RuntimeError(f"APP_ENV={value!r} is not one of {', '.join(ENVIRONMENTS)} "
                           "(any case); refusing to start")
    return name


def weak_key(key: object) -> str | None:
    """Why a signing key is unfit for production, or None if it is not."""
    if not key:
        return "SECRET_KEY is not set"
    text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
    if text == DEV_SECRET_KEY:
        return "SECRET_KEY is the development key"
    if len(text) < MIN_KEY_LENGTH:
        return f"SECRET_KEY is shorter than {MIN_KEY_LENGTH} characters"
    if len(set(text)) < MIN_KEY_DISTINCT:
        return (f"SECRET_KEY has fewer than {MIN_KEY_DISTINCT} distinct characters "
                "(not a random key)")
    return None


def secret_key(config: dict[str, Any], logger: logging.Logger) -> Any:
    """The key that signs cookies outside production.

    The development key in the source only with DEBUG or TESTING on; otherwise a configured
    key, or a random key for this process with a warning (staff logins end at a restart).
    Production never gets here without a strong configured key (deployment_problems).
    """
    key = config.get("SECRET_KEY")
    if key and key != DEV_SECRET_KEY:
        return key
    if config.get("DEBUG") or config.get("TESTING"):
        return DEV_SECRET_KEY
    logger.warning("SECRET_KEY is not set (or is the development key): using a random key "
                   "for this process; set SECRET_KEY to keep staff logged in across restarts")
    return secrets.token_urlsafe(48)


def deployment_problems(config: dict[str, Any]) -> list[str]:
    """What makes this configuration unfit for production, like Django's check --deploy."""
    problems = []
    if config.get("DEBUG"):
        problems.append("DEBUG is on")
    key_problem = weak_key(config.get("SECRET_KEY"))
    if key_problem:
        problems.append(key_problem)
    if not config.get("TRUSTED_HOSTS"):
        problems.append("TRUSTED_HOSTS is not set (the host names this site answers to)")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE is off")
    if not str(config.get("SESSION_COOKIE_NAME", "")).startswith("__Host-"):
        problems.append("SESSION_COOKIE_NAME lacks the __Host- prefix")
    if config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        problems.append("SESSION_COOKIE_SAMESITE is not Lax or Strict")
    if config.get("WTF_CSRF_ENABLED") is False:
        problems.append("CSRF protection is off")
    if not config.get("MAX_CONTENT_LENGTH"):
        problems.append("MAX_CONTENT_LENGTH is not set")
    lifetime = config.get("PERMANENT_SESSION_LIFETIME")
    if not isinstance(lifetime, timedelta) or lifetime > timedelta(hours=12):
        problems.append("PERMANENT_SESSION_LIFETIME is longer than 12 hours")
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        problems.append("RATELIMIT_STORAGE_URI is per process (memory://); use redis://")
    return problems


def production_defaults(config: dict[str, Any]) -> None:
    """What production always means: secure cookies with the __Host- prefix."""
    config.setdefault("SESSION_COOKIE_NAME", "__Host-session")
    if config["SESSION_COOKIE_NAME"] == "session":
        config["SESSION_COOKIE_NAME"] = "__Host-session"
    config["SESSION_COOKIE_SECURE"] = True
    config["PREFERRED_URL_SCHEME"] = "https"
