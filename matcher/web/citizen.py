"""Public pages for citizens: the front page, "Om data", the accessibility statement."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from matcher.data.db import get_session
from matcher.data.status import data_overview
from matcher.web.access import local_path, public
from matcher.web.explainer import explanation
from matcher.web.journey import STEPS, Answers, Step, read_answers
from matcher.web.pdf import plan_pdf
from matcher.web.rate_limits import per_address
from matcher.web.results import Filters, apply_filters, plan_context, render_results
from matcher.web.steps import RESULTS, Outcome, handle, render_step, show

bp = Blueprint("citizen", __name__)


@bp.get("/")
@public
def home() -> ResponseReturnValue:
    return render_template("citizen/home.html")


@bp.get("/start")
@public
def journey() -> ResponseReturnValue:
    """The first step, empty."""
    return _step_page(show(STEPS[0], {}))


@bp.post("/start")
@public
@per_address("CITIZEN_RATE_LIMIT")
def journey_step() -> ResponseReturnValue:
    """Any step posted: check it, keep the answers, show the next step or the results."""
    outcome = handle(Step.from_form(request.form))
    if outcome.step == RESULTS:
        return results_page(outcome.answers)
    return _step_page(outcome)


@bp.post("/slet")
@public
def forget() -> ResponseReturnValue:
    """Forget the answers: they only ever lived in the page, so leaving it is enough."""
    response = redirect(url_for("citizen.home"), code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def _step_page(outcome: Outcome) -> ResponseReturnValue:
    return private(make_response(render_step(outcome)))


def private(response: Response) -> Response:
    """Pages with a person's answers are never stored by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.get("/healthz")
@public
def health() -> ResponseReturnValue:
    """For load balancers: the process answers (the database is checked by every page)."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/om-data")
@public
def about_data() -> ResponseReturnValue:
    return render_template("citizen/about_data.html", overview=data_overview(get_session()))


@bp.get("/saadan-finder-vi-dine-forslag")
@public
def how() -> ResponseReturnValue:
    """How the ranking and the funding answers work, in plain language (docs/scoring.md)."""
    language = "en" if str(get_locale()) == "en" else "da"
    return render_template("citizen/how.html", body=explanation(language))


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
    target = local_path(request.form.get("next", "/")) or "/"
    response = redirect(target, code=303)
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(current_app.config["LANGUAGE_COOKIE"], language,
                            max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.post("/resultater")
@public
@per_address("CITIZEN_RATE_LIMIT")
def results() -> ResponseReturnValue:
    """Re-rank with the filters, go back to the answers, or take the marked options away."""
    answers = apply_filters(read_answers(request.form.get("answers")), request.form)
    action = request.form.get("action", "update")
    marked = set(request.form.getlist("mark")[:60])
    filters = Filters(only_funded=request.form.get("only_funded") == "y")
    if action == "back":
        return _step_page(show(STEPS[-1], answers))
    if action in ("print", "pdf"):
        context = plan_context(answers, marked) if marked else None
        if context is None or not (context["courses"] or context["paths"] or context["routes"]):
            error = [("take-away", _("Markér mindst én mulighed med \"Gem i Mine muligheder\"."))]
            return private(make_response(render_results(answers, filters, marked, error)))
        if action == "pdf":
            return private(plan_pdf(context))
        return private(make_response(render_template("citizen/plan.html", **context)))
    return results_page(answers, filters, marked)


def results_page(answers: Answers, filters: Filters | None = None,
                 marked: set[str] | None = None) -> ResponseReturnValue:
    return private(make_response(render_results(answers, filters, marked)))
