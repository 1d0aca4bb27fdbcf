"""The caseworkers' own area (the providers' is matcher.web.provider)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from matcher.web.access import staff

caseworker = Blueprint("caseworker", __name__, url_prefix="/sagsbehandler")


@caseworker.get("/")
@staff("caseworker")
def home() -> ResponseReturnValue:
    return render_template("caseworker/home.html")
