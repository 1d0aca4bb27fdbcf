"""Kompetenceløft: the application factory."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from matcher import config as settings


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(__name__, instance_relative_config=True,
                template_folder=os.path.join(root, "templates"),
                static_folder=os.path.join(root, "static"))
    _configure(app, test_config)
    _register_extensions(app)
    if test_config is None:  # an app built to serve (wsgi.py, commands); tests build their own
        _check_services(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_cli(app)
    return app


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(settings.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings.from_environment(os.environ))
    if test_config:
        app.config.update(test_config)
    if not app.config["DATABASE_URL"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE_URL"] = settings.sqlite_url(app.instance_path)
    app.config["APP_ENV"] = settings.environment(app.config.get("APP_ENV"))
    if app.config["APP_ENV"] == "production":
        settings.production_defaults(app.config)
        problems = settings.deployment_problems(app.config)
        if problems:
            raise RuntimeError("Unsafe production configuration: " + "; ".join(problems))
    else:
        app.config["SECRET_KEY"] = settings.secret_key(app.config, app.logger)


def _register_extensions(app: Flask) -> None:
    from flask_wtf import CSRFProtect

    from matcher.data import db
    from matcher.web import assets, auth, i18n, layout, rate_limits, security

    db.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    layout.init_app(app)
    CSRFProtect(app)  # keeps itself in app.extensions["csrf"]
    auth.init_app(app)
    rate_limits.init_app(app)
    security.init_app(app)


def _check_services(app: Flask) -> None:
    """Production refuses to start when the rate-limit storage does not answer.

    Otherwise a mistyped or stopped Redis would only show at the first staff login (as the
    503 page, since logins are never let through without their limit). The database is not
    checked: its outage is answered page by page, and commands such as `db upgrade` need it
    to start without a schema.
    """
    if app.config["APP_ENV"] != "production":
        return
    from matcher.web.auth import limiter

    if not limiter.storage.check():
        where = urlsplit(str(app.config["RATELIMIT_STORAGE_URI"]))
        shown = f"{where.scheme}://{where.netloc.rpartition('@')[2]}{where.path}"  # no password
        raise RuntimeError(f"RATELIMIT_STORAGE_URI ({shown}) does not answer; login limits "
                           "need it (start Redis or fix the address). Refusing to start.")


def _register_blueprints(app: Flask) -> None:
    from matcher.web import (
        admin,
        admin_import,
        api,
        auth,
        citizen,
        courses,
        handoff,
        insight,
        plans,
        provider,
        staff_areas,
    )

    app.register_blueprint(citizen.bp)
    app.register_blueprint(courses.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(admin_import.bp)
    app.register_blueprint(insight.bp)
    app.register_blueprint(staff_areas.caseworker)
    app.register_blueprint(plans.bp)  # matching with a client, and the plan (issue 13)
    app.register_blueprint(handoff.share)  # the citizen's answers to their caseworker
    app.register_blueprint(handoff.fetch)
    app.register_blueprint(provider.bp)
    app.register_blueprint(api.bp)
    # JSON clients carry no CSRF token; the API reads no cookie and changes no state.
    app.extensions["csrf"].exempt(api.bp)


def _register_errors(app: Flask) -> None:
    from matcher.web import errors

    errors.init_app(app)


def _register_cli(app: Flask) -> None:
    from matcher import cli

    cli.init_app(app)
