"""Application set-up: configuration order, production refusal, declared access, CSRF."""

from __future__ import annotations

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


@pytest.mark.parametrize(("config", "problem"), [
    ({"DEBUG": True, "SECRET_KEY": "k" * 40, "SESSION_COOKIE_SECURE": True}, "DEBUG is on"),
    ({"SECRET_KEY": DEV_SECRET_KEY, "SESSION_COOKIE_SECURE": True}, "SECRET_KEY"),
    ({"SECRET_KEY": "short", "SESSION_COOKIE_SECURE": True}, "SECRET_KEY"),
    ({"SECRET_KEY": "k" * 40, "SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
])
def test_deployment_check_finds_each_problem(config: dict[str, object], problem: str) -> None:
    assert any(problem in found for found in deployment_problems(config))


def test_safe_production_configuration_passes_the_check() -> None:
    assert deployment_problems({"SECRET_KEY": "k" * 40, "SESSION_COOKIE_SECURE": True}) == []


def test_production_refuses_to_start_with_the_development_key() -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production", "SECRET_KEY": DEV_SECRET_KEY})


def test_post_without_csrf_token_is_refused(database_url: str) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    response = app.test_client().post("/sprog", data={"lang": "en", "next": "/"})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    app.extensions["db_engine"].dispose()


def test_db_upgrade_command_reports_the_revision(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0
    assert "database at revision 0001" in result.output
