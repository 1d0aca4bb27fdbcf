"""Issue 11 item 3, "a results page that leads with the answer": the summary at the top with
jump links to the full cards, one card per course with its sessions inside, jobs saved to
"Mine muligheder", and the plan and its PDF showing the summary when nothing is saved.

The results are hand-made (tests/web/test_results_sections.py) and put in place of the match.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient

from matcher.engine.model import (
    MatchResult,
    OtherPlace,
    Path,
    PathStep,
    SessionChoice,
)
from matcher.web import results as results_module
from matcher.web.pdf import plan_pdf
from tests.web.test_journey import walk_to_results
from tests.web.test_results_sections import ALL_ANSWERS, hand_made, in_order, take_away

PATH = Path(target="lagermedarbejder", steps=(
    PathStep(course="c_truck", title_da="Truckcertifikat B", title_en="Forklift licence B",
             session="s1", start=date(2027, 1, 4), end=date(2027, 1, 8), days=5.0,
             cost_dkk=0.0, funding=()),
    PathStep(course="c_lager", title_da="Lagerstyring", title_en="Stock control",
             session="s3", start=date(2027, 2, 1), end=date(2027, 2, 3), days=3.0,
             cost_dkk=1040.0, funding=())),
    total_days=8.0, covered_share=1.0, completion_date=date(2027, 2, 3), cost_dkk=1040.0,
    reasons=())


def with_path(today: date) -> MatchResult:
    return replace(hand_made(today), paths=(PATH,))


def use(monkeypatch: pytest.MonkeyPatch, make: object) -> None:
    monkeypatch.setattr(results_module, "match_profile",
                        lambda profile, **kw: make(kw["today"]))  # type: ignore[operator]


@pytest.fixture
def dressed(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, with_path)


def summary_of(page: str) -> str:
    found = re.search(r'<section class="[^"]*results-summary.*?</section>', page, re.S)
    assert found, "the page has no summary"
    return found.group(0)


def words(html: str) -> str:
    """The text a reader sees: tags dropped, white space as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


# --- a) the summary ---------------------------------------------------------------------


def test_the_summary_leads_and_every_link_lands_on_a_card(client_loaded: FlaskClient,
                                                          dressed: None) -> None:
    page = walk_to_results(client_loaded)
    # Right after the heading, the lead and the notices; before the full sections.
    in_order(page, "<h1>Dine muligheder</h1>", "Fortæl lidt mere om dig selv",
             'id="summary-heading"', 'id="asked"', 'id="routes"', 'id="jobs"')
    block = summary_of(page)
    targets = re.findall(r'href="#([^"]+)"', block)
    assert {"asked-1", "asked-2", "asked-3", "route-1", "job-1", "course-1", "path-1",
            "take-away"} <= set(targets)
    for target in targets:  # every jump lands on an element that exists, once
        assert len(re.findall(rf'id="{re.escape(target)}"', page)) == 1, target
    text = words(block)
    in_order(text, "Det du spurgte om", "Lagermedarbejder: Åbent for dig nu",
             "Svejser: Kræver en uddannelse", "Lastbilchauffør: Ikke muligt via kataloget",
             "Bliv faglært", "Job du er tæt på", "Kurser der flytter dig", "Veje til job")
    assert ("EUV Smed · Erhvervsuddannelse for voksne (EUV). Gør dig faglært som: Svejser. "
            "Første start 1. februar 2027, 7400 Herning.") in text
    assert ("Lagermedarbejder: du har 70 % af det, jobbet kræver · Mangel på arbejdskraft "
            "(2. halvår 2026)") in text
    assert ("Truckcertifikat B: 4.–8. januar 2027, 7400 Herning (og 1 hold mere) · "
            "jobcentret betaler") in text
    assert ("Vej til Lagermedarbejder: 8 kursusdage · færdig 3. februar 2027 · lukker 100 % "
            "af det, du mangler · du betaler 1.040 kr.") in text
    # The links name the card they lead to.
    assert '<a href="#course-1">Truckcertifikat B</a>' in block
    assert re.search(r'<li class="card result-card course-card" id="course-1" tabindex="-1">'
                     r'\s*<div class="card-content">\s*<span class="card-subheading">[^<]*</span>'
                     r'\s*<h3 class="card-heading">Truckcertifikat B</h3>', page)


def test_the_summary_in_english(client_loaded: FlaskClient, dressed: None) -> None:
    client_loaded.set_cookie("sprog", "en")
    text = words(summary_of(walk_to_results(client_loaded)))
    for expected in ("In short", "What you asked about", "Warehouse worker: Open to you now",
                     "you have 70 % of what the job requires", "First start 1 February 2027",
                     "(and 1 more session) · the job centre pays", "Path to",
                     "save, print or download as PDF"):
        assert expected in text, expected
    for danish in ("Kort fortalt", "du har", "hold mere", "jobcentret", "februar"):
        assert danish not in text, danish


def test_empty_parts_are_left_out(client_loaded: FlaskClient,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, lambda today: replace(hand_made(today), asked=(), routes=(), paths=()))
    block = summary_of(walk_to_results(client_loaded))
    assert "Det du spurgte om" not in block and "Bliv faglært" not in block
    assert "Veje til job" not in block
    assert 'href="#job-1"' in block and 'href="#course-1"' in block


def test_with_nothing_to_say_there_is_no_summary(client_loaded: FlaskClient,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, lambda today: replace(hand_made(today), asked=(), routes=(), paths=(),
                                           occupations=(), courses=()))
    page = walk_to_results(client_loaded)
    assert "<h1>Dine muligheder</h1>" in page
    assert "results-summary" not in page and "Kort fortalt" not in page


def test_the_best_route_may_be_the_answer_to_an_interest(client_loaded: FlaskClient,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """Without a "become skilled" block, the route of an interest is the best route."""
    use(monkeypatch, lambda today: replace(hand_made(today), routes=()))
    block = summary_of(walk_to_results(client_loaded))
    assert '<a href="#asked-2">EUV Smed</a>' in block


# --- b) one card per course -------------------------------------------------------------


def test_one_card_per_course_with_its_sessions_next_first(client_loaded: FlaskClient,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    def three_sessions(today: date) -> MatchResult:
        made = hand_made(today)
        truck = made.courses[0]
        earlier = OtherPlace(course="c_truck_3", provider="AMU Herning Syd",
                             session=SessionChoice(code="s8", start=date(2026, 12, 16),
                                                   end=date(2026, 12, 18), postcode="7400",
                                                   distance_km=4.0))
        return replace(made, courses=(replace(truck, other_places=(
            *truck.other_places, earlier)),))
    use(monkeypatch, three_sessions)
    page = walk_to_results(client_loaded)
    courses = page.split('id="courses"')[1].split('id="paths"')[0]
    assert courses.count('class="card-heading">Truckcertifikat B</h3>') == 1
    sessions = re.findall(r"<li><strong>([^<]+)</strong>: ([^<]+)</li>", courses)
    assert sessions == [
        ("16.–18. december 2026", "AMU Herning Syd, 7400 Herning, 4 km fra dig"),
        ("4.–8. januar 2027", "AMU Herning, 7400 Herning, 2 km fra dig"),
        ("1.–5. marts 2027", "AMU Vest, Holstebro, 7500 Holstebro, 40 km fra dig")]
    # Three providers: none is named above the card as if it were the only one.
    assert '<span class="card-subheading">AMU-kursus</span>' in courses
    assert ("Truckcertifikat B: 16.–18. december 2026, 7400 Herning (og 2 hold mere)"
            in words(summary_of(page)))


# --- c) jobs saved to "Mine muligheder" -------------------------------------------------


def test_a_job_can_be_marked_and_appears_in_the_plan(client_loaded: FlaskClient,
                                                     dressed: None) -> None:
    page = walk_to_results(client_loaded)
    jobs = page.split('id="jobs"')[1].split('id="courses"')[0]
    assert 'name="mark" value="job:lagermedarbejder"' in jobs
    plan = take_away(client_loaded, "print", ["job:lagermedarbejder"])
    assert plan.status_code == 200
    page = plan.get_data(as_text=True)
    in_order(page, "<h1>Mine muligheder</h1>", "Det du spurgte om", "<h2>Job</h2>",
             "<h3>Lagermedarbejder</h3>")
    text = words(page.split("<h2>Job</h2>")[1])
    in_order(text, "Mangel på arbejdskraft (2. halvår 2026)",
             "Du har 70 % af det, jobbet kræver.", "Du mangler: Truckcertifikat B")
    assert "Du har ikke gemt nogen muligheder" not in text  # a saved job is a plan
    again = client_loaded.get("/resultater").get_data(as_text=True)
    assert re.search(r'value="job:lagermedarbejder" checked', again)  # still ticked


def test_plan_context_keeps_each_kind_by_its_own_prefix(app_loaded: Flask,
                                                        dressed: None) -> None:
    answers = ALL_ANSWERS
    marks = {"job:lagermedarbejder", "course:c_truck", "path:lagermedarbejder",
             "route:svejser:euv_smed"}
    with app_loaded.test_request_context():
        context = results_module.plan_context(answers, marks)
        assert context is not None and not context["summary_only"]
        assert [o["code"] for o in context["occupations"]] == ["lagermedarbejder"]
        assert [c["code"] for c in context["courses"]] == ["c_truck"]
        assert [p["target"] for p in context["paths"]] == ["lagermedarbejder"]
        assert [r["course"] for r in context["routes"]] == ["euv_smed"]
        only_job = results_module.plan_context(answers, {"job:lagermedarbejder"})
        assert only_job is not None
        assert (only_job["courses"], only_job["paths"], only_job["routes"]) == ([], [], [])
        # A prefix counts: a course code is not a job.
        assert results_module.plan_context(answers, {"job:c_truck"})["summary_only"]  # type: ignore[index]


# --- d) print and PDF with nothing marked -----------------------------------------------


def test_print_with_nothing_marked_shows_the_summary(client_loaded: FlaskClient,
                                                     dressed: None) -> None:
    walk_to_results(client_loaded)
    plan = take_away(client_loaded, "print", [])
    assert plan.status_code == 200
    page = plan.get_data(as_text=True)
    assert "Markér mindst én" not in page
    # The demonstration notice is still first, before the summary.
    in_order(page, "<h1>Mine muligheder</h1>", 'class="demo-notice"',
             "Du har ikke gemt nogen muligheder", "Det du spurgte om", "Bliv faglært",
             "Job du er tæt på", "Kurser der flytter dig", "Veje til job")
    text = words(page)
    for line in ("Første start 1. februar 2027, 7400 Herning.",
                 "Lagermedarbejder: du har 70 % af det, jobbet kræver",
                 "Truckcertifikat B: 4.–8. januar 2027, 7400 Herning (og 1 hold mere)",
                 "8 kursusdage · færdig 3. februar 2027", "du betaler 1.040 kr."):
        assert line in text, line
    assert 'href="#' not in page.split("Du har ikke gemt")[1]  # no links to cards not there


def test_pdf_with_nothing_marked_shows_the_summary(client_loaded: FlaskClient,
                                                   dressed: None) -> None:
    walk_to_results(client_loaded)
    pdf = take_away(client_loaded, "pdf", [])
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf.data,
                                       capture_output=True, check=True).stdout.decode().split())
        in_order(text, "Demonstrationsdata", "Du har ikke gemt nogen muligheder",
                 "Truckcertifikat B", "Vej til Lagermedarbejder")
        assert "færdig 3. februar 2027" in text


def test_plan_context_with_nothing_marked_is_the_summary_and_pdf_renders(
        app_loaded: Flask, dressed: None) -> None:
    answers = ALL_ANSWERS
    with app_loaded.test_request_context():
        app_loaded.preprocess_request()  # as a request does: the catalogue's demo status
        for marked in (set(), {"course:no_longer_listed"}):  # a stale mark is no mark
            context = results_module.plan_context(answers, marked)
            assert context is not None and context["summary_only"]
            assert (context["courses"], context["paths"], context["routes"],
                    context["occupations"]) == ([], [], [], [])
            summary = context["summary"]
            assert summary["route"]["title"] == "EUV Smed"
            assert [c["title"] for c in summary["courses"]] == ["Truckcertifikat B"]
            assert summary["path"]["completion_text"] == "3. februar 2027"
        # What WeasyPrint is given: the demonstration notice first, then the summary.
        html = render_template("citizen/plan_pdf.html", **context)
        in_order(html, 'class="demo-notice"', "Du har ikke gemt nogen muligheder",
                 "EUV Smed", "Truckcertifikat B", "4.–8. januar 2027", "Vej til Lagermedarbejder")
        response = plan_pdf(context)
        assert response.mimetype == "application/pdf"
        assert response.get_data().startswith(b"%PDF")


def test_after_the_first_courses_the_rest_are_one_click_away(
        client_loaded: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """With none in full (the mini catalogue gives one course), it is behind "Vis 1 kursus
    mere", still numbered and still possible to save; with the default, it is in full."""
    page = walk_to_results(client_loaded)
    courses = page.split('id="courses"')[1].split('id="paths"')[0]
    assert "more-courses" not in courses and 'id="course-1"' in courses
    monkeypatch.setattr(results_module, "COURSES_IN_FULL", 0)
    page = client_loaded.get("/resultater").get_data(as_text=True)
    courses = page.split('id="courses"')[1].split('id="paths"')[0]
    shown, folded = courses.split('class="details more-courses"')
    assert "course-card" not in shown
    assert "Vis 1 kursus mere" in folded and 'id="course-1"' in folded
    assert 'name="mark" value="course:c_truck"' in folded  # a folded course can be saved
