"""The caseworkers' and the course providers' own areas."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from matcher.data import staff as staff_data
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
    db = get_session()
    return render_template("provider/home.html",
                           courses=staff_data.provider_courses(db, current_user.provider_code),
                           provider_name=staff_data.provider_name(db, current_user.provider_code))


@provider.get("/kurser/<code>")
@staff("provider")
def course(code: str) -> ResponseReturnValue:
    """One of the provider's own courses; another provider's is "not found" (no IDOR)."""
    found = staff_data.provider_course(get_session(), current_user.provider_code, code)
    if found is None:
        abort(404)
    return render_template("provider/course.html", course=found)
