"""The caseworkers' and the course providers' own areas."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from matcher.data import models as m
from matcher.data.db import get_session
from matcher.web.access import staff

caseworker = Blueprint("caseworker", __name__, url_prefix="/sagsbehandler")
provider = Blueprint("provider", __name__, url_prefix="/udbyder")


@caseworker.get("/")
@staff("caseworker")
def home() -> ResponseReturnValue:
    return render_template("caseworker/home.html")


@provider.get("/")
@staff("provider")
def home_provider() -> ResponseReturnValue:
    own = get_session().scalars(select(m.Course).where(
        m.Course.provider_code == current_user.provider_code).order_by(m.Course.title_da)).all()
    name = get_session().get(m.Provider, current_user.provider_code or "")
    return render_template("provider/home.html", courses=own, provider=name)


@provider.get("/kurser/<code>")
@staff("provider")
def course(code: str) -> ResponseReturnValue:
    """One of the provider's own courses; another provider's is "not found" (no IDOR)."""
    row = get_session().get(m.Course, code)
    if row is None or row.provider_code != current_user.provider_code:
        abort(404)
    return render_template("provider/course.html", course=row)
