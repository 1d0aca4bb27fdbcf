"""Public pages for citizens: the front page, "Om data", the accessibility statement."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from matcher.data.db import get_session
from matcher.data.matching import current_index
from matcher.data.status import data_overview
from matcher.web import answer_cookie
from matcher.web.access import local_path, public
from matcher.web.explainer import explanation
from matcher.web.journey import STEPS, Step, add_unique
from matcher.web.pdf import plan_pdf
from matcher.web.rate_limits import per_address
from matcher.web.results import Filters, apply_filters, plan_context, render_results
from matcher.web.steps import RESULTS, Outcome, handle, render_step, show, shown_again

bp = Blueprint("citizen", __name__)


@bp.get("/")
@public
def home() -> ResponseReturnValue:
    return render_template("citizen/home.html")


# The address of each step: a reload, a bookmark or the back button asks for the page again.
STEP_PATHS = {"situation": "", "education": "uddannelse", "experience": "erfaring",
              "limits": "praktisk"}
_PATH_STEPS = {path: name for name, path in STEP_PATHS.items()}


def step_url(name: str, anchor: str = "") -> str:
    path = STEP_PATHS[name]
    url = url_for("citizen.journey", path=path) if path else url_for("citizen.journey")
    return f"{url}#{anchor}" if anchor else url


@bp.get("/start")
@bp.get("/start/<path>")
@public
def journey(path: str = "") -> ResponseReturnValue:
    """A step with the answers kept so far, and its errors or search if it was just posted."""
    name = _PATH_STEPS.get(path)
    if name is None:
        abort(404)
    state = answer_cookie.load(request)
    posted = state.shown_form(name)
    outcome = show(name, state.answers) if posted is None else shown_again(
        Step.from_form(posted, state.answers))
    return _step_page(outcome)


@bp.post("/start")
@public
@per_address("CITIZEN_RATE_LIMIT")
def journey_step() -> ResponseReturnValue:
    """Any step posted: check it, keep the answers, and send the browser on to the next page."""
    state = answer_cookie.load(request)
    step = Step.from_form(request.form, state.answers)
    outcome = handle(step)
    state.answers = outcome.answers
    state.shown = None
    if outcome.step == RESULTS:
        target = url_for("citizen.results_page")
    elif outcome.step == step.name:
        # The step stays (an error, a search, an add or remove): the page after the redirect
        # shows it as posted, with what is ticked or typed but not yet an answer.
        state.shown = answer_cookie.keep_shown(outcome.step, request.form)
        target = step_url(outcome.step, _anchor(step, outcome))
    else:
        target = step_url(outcome.step)
    return _saved(redirect(target, code=303), state)


@bp.post("/start/kursus/<code>")
@public
@per_address("CITIZEN_RATE_LIMIT")
def start_with_course(code: str) -> ResponseReturnValue:
    """From a course page into the journey: the jobs the course leads to are what is asked.

    They become the person's chosen jobs ("Det du spurgte om"), which the results answer
    first, whatever else fits; the person can remove them on the practical step.
    """
    index = current_index()
    position = index.course_pos.get(code)
    if position is None:
        abort(404)
    jobs = [job for job in index.courses[position].occupations
            if job in index.vocabulary.occupations][:MAX_INTERESTS]
    state = answer_cookie.load(request)
    interests = list(state.answers.get("interests", []))
    for job in jobs:
        interests = add_unique(interests, job)
    state.answers = {**state.answers, "interests": interests} if interests else state.answers
    state.shown = None
    return _saved(redirect(url_for("citizen.journey"), code=303), state)


MAX_INTERESTS = 3  # a course that leads to many jobs: the first few, as the catalogue lists them


def _anchor(step: Step, outcome: Outcome) -> str:
    """The page opens where the person was, not at the top: at the suggestions after a
    search, at the list after adding or removing; errors open at their summary on top."""
    what = step.argument.partition("=")[0]
    if outcome.errors or not what.isalpha():
        return ""
    if outcome.found:
        return f"{what}-pick"
    return f"{what}-heading" if step.action in ("add", "remove") else ""


def _saved(response: Response, state: answer_cookie.Journey) -> Response:
    try:
        answer_cookie.save(response, state)
    except OverflowError:
        abort(413)
    return private(response)


@bp.post("/slet")
@public
def forget() -> ResponseReturnValue:
    """Forget the answers: the cookies that carried them are deleted."""
    response = redirect(url_for("citizen.home"), code=303)
    return private(answer_cookie.forget(response))


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


@bp.get("/privatliv")
@public
def privacy() -> ResponseReturnValue:
    """What the site keeps about a citizen (their answers, in their own browser) and how long."""
    return render_template("citizen/privacy.html")


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


@bp.get("/resultater")
@public
@per_address("CITIZEN_RATE_LIMIT")
def results_page() -> ResponseReturnValue:
    """The results of the answers kept so far, with the filters and marks last chosen."""
    state = answer_cookie.load(request)
    if not state.answers:
        return redirect(url_for("citizen.journey"), code=303)
    filters = Filters(only_funded=state.only_funded)
    return private(make_response(render_results(state.answers, filters, set(state.marked))))


@bp.post("/resultater")
@public
@per_address("CITIZEN_RATE_LIMIT")
def results() -> ResponseReturnValue:
    """Re-rank with the filters, go back to the answers, or take the marked options away."""
    state = answer_cookie.load(request)
    action = request.form.get("action", "update")
    state.marked = list(dict.fromkeys(request.form.getlist("mark")))[:answer_cookie.MAX_MARKS]
    if "max_distance_km" in request.form:  # the results page's own filters were sent
        state.answers = apply_filters(state.answers, request.form)
        state.only_funded = request.form.get("only_funded") == "y"
    targets = {"back": step_url(STEPS[-1]), "print": url_for("citizen.plan"),
               "pdf": url_for("citizen.plan_download")}
    return _saved(redirect(targets.get(action, url_for("citizen.results_page")), code=303),
                  state)


@bp.get("/mine-muligheder")
@public
@per_address("CITIZEN_RATE_LIMIT")
def plan() -> ResponseReturnValue:
    """What the person marked to take away, or the summary if nothing is marked."""
    context = _plan_context()
    if context is None:
        return redirect(url_for("citizen.results_page"), code=303)
    return private(make_response(render_template("citizen/plan.html", **context)))


@bp.get("/mine-muligheder.pdf")
@public
@per_address("CITIZEN_RATE_LIMIT")
def plan_download() -> ResponseReturnValue:
    context = _plan_context()
    if context is None:
        return redirect(url_for("citizen.results_page"), code=303)
    return private(plan_pdf(context))


def _plan_context() -> dict[str, Any] | None:
    state = answer_cookie.load(request)
    if not state.answers:
        return None
    return plan_context(state.answers, set(state.marked))
