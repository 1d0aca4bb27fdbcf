"""Configuration: defaults, then instance/config.py, then the environment, then tests."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-only-not-secret"

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": DEV_SECRET_KEY,
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
    "APP_ENV": "development",  # "production" refuses an unsafe configuration
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),  # absolute lifetime of a staff login
    "STAFF_IDLE_MINUTES": 30,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session (long notes survive)
    "RATELIMIT_STORAGE_URI": "memory://",  # production: redis://... shared by all processes
    "LOGIN_RATE_LIMIT": "30 per minute",  # per client address, on top of the account lockout
    "PROXY_FIX_X_FOR": 0,  # number of trusted proxies in front (X-Forwarded-For)
}

# Environment variables read as they are (strings), and those converted on the way in.
_ENV_TEXT = ("SECRET_KEY", "DATABASE_URL", "SITE_NAME", "AUTHORITY_NAME",
             "AUTHORITY_PHONE", "AUTHORITY_EMAIL", "TODAY", "APP_ENV", "RATELIMIT_STORAGE_URI")
_ENV_INT = ("HOME_MUNICIPALITY", "PROXY_FIX_X_FOR", "LEAD_TIME_DAYS")
_ENV_BOOL = ("SESSION_COOKIE_SECURE",)


def from_environment(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    """The settings the environment overrides; FLASK_<NAME> works as well as <NAME>."""
    found: dict[str, Any] = {}
    for name in (*_ENV_TEXT, *_ENV_INT, *_ENV_BOOL):
        value = environ.get(name, environ.get(f"FLASK_{name}"))
        if value is None or value == "":
            continue
        if name in _ENV_INT:
            found[name] = int(value)
        elif name in _ENV_BOOL:
            found[name] = value.strip().lower() in ("1", "true", "yes", "on")
        else:
            found[name] = value
    return found


def sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "kompetenceloeft.db")


def deployment_problems(config: dict[str, Any]) -> list[str]:
    """What makes this configuration unfit for production, like Django's check --deploy."""
    problems = []
    if config.get("DEBUG"):
        problems.append("DEBUG is on")
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        problems.append("SECRET_KEY is the development key or shorter than 32 characters")
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
