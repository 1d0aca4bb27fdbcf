"""Public pages for citizens: the front page, "Om data", the accessibility statement."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue

from matcher.data.db import get_session
from matcher.data.status import data_overview
from matcher.web.access import public

bp = Blueprint("citizen", __name__)


@bp.get("/")
@public
def home() -> ResponseReturnValue:
    return render_template("citizen/home.html")


@bp.get("/om-data")
@public
def about_data() -> ResponseReturnValue:
    return render_template("citizen/about_data.html", overview=data_overview(get_session()))


@bp.get("/tilgaengelighed")
@public
def accessibility() -> ResponseReturnValue:
    return render_template("citizen/accessibility.html")


@bp.get("/was")
@public
def was_redirect() -> ResponseReturnValue:
    """The short address the accessibility law asks for (domain.md §9)."""
    return redirect("/tilgaengelighed", code=301)


@bp.post("/sprog")
@public
def choose_language() -> ResponseReturnValue:
    """Remember the chosen language in a plain preference cookie and go back."""
    language = request.form.get("lang", "")
    target = _local_path(request.form.get("next", "/"))
    response = redirect(target, code=303)
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(current_app.config["LANGUAGE_COOKIE"], language,
                            max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _local_path(target: str) -> str:
    """Only paths on this site, so the switch cannot be used as an open redirect."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target
