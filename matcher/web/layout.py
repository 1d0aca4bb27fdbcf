"""What every page's layout needs: the catalogue status (for the demo notice) and helpers."""

from __future__ import annotations

from flask import Flask, g, request

from matcher.data.db import get_session
from matcher.data.status import catalog_status


def init_app(app: Flask) -> None:
    app.before_request(_load_catalog_status)
    app.context_processor(lambda: {"catalog_status": g.get("catalog_status")})
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.context_processor(lambda: {"role_names": _role_names()})


def _load_catalog_status() -> None:
    """One cheap read per request; a database outage surfaces here as a 503."""
    if request.endpoint != "static":
        g.catalog_status = catalog_status(get_session())


def _role_names() -> dict[str, str]:
    from matcher.web.auth_forms import ROLE_CHOICES

    return {choice.value: str(choice.label) for choice in ROLE_CHOICES}
