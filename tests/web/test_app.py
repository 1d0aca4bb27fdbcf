"""Application set-up: configuration order, production refusal, declared access, CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from matcher import create_app
from matcher.config import DEV_SECRET_KEY, deployment_problems, from_environment
from matcher.web.access import policy_of


def test_every_route_declares_its_access_policy(app: Flask) -> None:
    missing = [rule.rule for rule in app.url_map.iter_rules()
               if rule.endpoint != "static" and policy_of(app.view_functions[rule.endpoint]) is None]
    assert not missing, f"routes without an access policy: {missing}"


def test_environment_overrides_defaults() -> None:
    found = from_environment({"DATABASE_URL": "sqlite:///x.db", "FLASK_HOME_MUNICIPALITY": "661",
                              "SESSION_COOKIE_SECURE": "true", "SITE_NAME": ""})
    assert found == {"DATABASE_URL": "sqlite:///x.db", "HOME_MUNICIPALITY": 661,
                     "SESSION_COOKIE_SECURE": True}


def test_defaults_are_herning_and_sqlite_in_instance(tmp_path: object) -> None:
    app = create_app({"TESTING": True})
    assert app.config["HOME_MUNICIPALITY"] == 657
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/kompetenceloeft.db")
    app.extensions["db_engine"].dispose()


STRONG_KEY = "pW3kq8ZfT0xLr6NcB1vHy9MjD4sQe7Ua"  # 32 characters, 32 distinct
SAFE = {"SECRET_KEY": STRONG_KEY, "SESSION_COOKIE_SECURE": True,
        "TRUSTED_HOSTS": ["kompetenceloeft.herning.dk"],
        "SESSION_COOKIE_NAME": "__Host-session", "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024, "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}


@pytest.mark.parametrize(("change", "problem"), [
    ({"DEBUG": True}, "DEBUG is on"),
    ({"SECRET_KEY": DEV_SECRET_KEY}, "SECRET_KEY"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
    ({"SESSION_COOKIE_NAME": "session"}, "__Host-"),
    ({"SESSION_COOKIE_SAMESITE": None}, "SAMESITE"),
    ({"WTF_CSRF_ENABLED": False}, "CSRF"),
    ({"MAX_CONTENT_LENGTH": None}, "MAX_CONTENT_LENGTH"),
    ({"PERMANENT_SESSION_LIFETIME": timedelta(days=31)}, "12 hours"),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "redis"),
    ({"SECRET_KEY": "k" * 40}, "SECRET_KEY"),
    ({"TRUSTED_HOSTS": None}, "TRUSTED_HOSTS"),
])
def test_deployment_check_finds_each_problem(change: dict[str, object], problem: str) -> None:
    """Like Django's check --deploy (reference/security.md §4.8)."""
    assert any(problem in found for found in deployment_problems({**SAFE, **change}))


def test_safe_production_configuration_passes_the_check() -> None:
    assert deployment_problems(SAFE) == []


def test_production_refuses_to_start_with_the_development_key() -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production", "SECRET_KEY": DEV_SECRET_KEY})


def test_production_forces_secure_host_prefixed_cookies(database_url: str) -> None:
    app = create_app({**SAFE, "APP_ENV": "production", "SESSION_COOKIE_SECURE": False,
                      "SESSION_COOKIE_NAME": "session", "DATABASE_URL": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    app.extensions["db_engine"].dispose()


def test_post_without_csrf_token_is_refused(database_url: str) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    response = app.test_client().post("/sprog", data={"lang": "en", "next": "/"})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    app.extensions["db_engine"].dispose()


def test_db_upgrade_command_reports_the_revision(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0
    assert "database at revision 0009" in result.output
