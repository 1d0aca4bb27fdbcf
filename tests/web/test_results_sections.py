"""Issue item 2, "the citizen sees it": what was asked, routes to becoming skilled, notices,
other places of a course, the education step's search and certificate checklist, and
profile-check messages on the right field. Results are hand-made (the engine's dataclasses)
and put in place of the match, so these tests do not wait for the engine to fill them in.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path as PathLib
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

from matcher.engine.model import (
    Asked,
    CourseMatch,
    Funding,
    Label,
    MatchResult,
    OccupationMatch,
    OtherPlace,
    Path,
    PathStep,
    Route,
    SessionChoice,
    phrase,
    why,
)
from matcher.engine.profile import ProfileError, ProfileInvalid
from matcher.web import results as results_module
from tests.conftest import mini_catalog_with_educations
from tests.web.journey_cookie import give, saved_answers
from tests.web.test_journey import (
    ANSWERS_AFTER_EDUCATION,
    KEEP,
    post,
    summary,
    walk_to_results,
)

ALL_ANSWERS = {**ANSWERS_AFTER_EDUCATION, "occupations": [{"code": "lastbilchauffoer", "years": 6.0}],
               "postcode": "7400", "max_distance_km": 50, "schedule": ["day", "evening"],
               "start_within_weeks": 26, "interests": ["svejser"]}


def make_route(**overrides: Any) -> Route:
    values: dict[str, Any] = dict(
        target="svejser", target_title_da="Svejser", target_title_en="Welder",
        course="euv_smed", title_da="EUV Smed", title_en="Adult VET: Smith", kind="euv",
        provider="Herning Tekniske Skole", education="eud_smed", duration_days=380.0,
        track="euv2",
        session=SessionChoice(code="s_euv", start=date(2027, 2, 1), end=date(2028, 8, 31),
                              postcode="7400", distance_km=3.0),
        assessment="c_svejs",
        funding=(Funding(scheme="voksenlaerling", eligible=True,
                         reasons=(why("voksenlaerling", "voksenlaerling.granted"),),
                         amount_dkk=None),
                 Funding(scheme="uddannelsesloeft", eligible="maybe",
                         reasons=(why("uddannelsesloeft", "uddannelsesloeft.skilled"),))),
        cost_dkk=0.0,
        reasons=(why("pay", "pay.apprentice"), why("length", "length.euv", days=380)))
    values.update(overrides)
    return Route(**values)


def asked_answers() -> tuple[Asked, ...]:
    path = Path(target="svejser", steps=(PathStep(
        course="c_svejs", title_da="MAG-svejsning", title_en="MAG welding", session="s2",
        start=date(2027, 1, 11), end=date(2027, 1, 22), days=10.0, cost_dkk=0.0, funding=()),),
        total_days=10.0, covered_share=0.5, completion_date=date(2027, 1, 22), cost_dkk=0.0,
        reasons=())
    common: dict[str, Any] = dict(shortage="mangel", period="2026H2", proximity=0.4,
                                  missing_skills=("mag_svejsning",), path=None, reasons=())
    return (
        Asked(code="lagermedarbejder", title_da="Lagermedarbejder", title_en="Warehouse worker",
              status="open", level="grundskole", route=None,
              **{**common, "missing_skills": (), "proximity": 0.9}),
        Asked(code="svejser", title_da="Svejser", title_en="Welder", status="needs_route",
              level="eud", route=make_route(), **{**common, "path": path}),
        Asked(code="lastbilchauffoer", title_da="Lastbilchauffør", title_en="Truck driver",
              status="out_of_reach", level="eud", route=None,
              **{**common, "reasons": (why("out_of_reach", needs=phrase("needs.education")),)}),
    )


def hand_made(today: date) -> MatchResult:
    """A whole result made by hand, so the page does not depend on the engine's progress."""
    place = OtherPlace(course="c_truck_2", provider="AMU Vest, Holstebro", session=SessionChoice(
        code="s9", start=date(2027, 3, 1), end=date(2027, 3, 5), postcode="7500",
        distance_km=40.0))
    truck = CourseMatch(
        code="c_truck", title_da="Truckcertifikat B", title_en="Forklift licence B",
        provider="AMU Herning", kind="amu", score=80.0, distance_km=2.0,
        session=SessionChoice(code="s1", start=date(2027, 1, 4), end=date(2027, 1, 8),
                              postcode="7400", distance_km=2.0),
        targets=("lagermedarbejder",), skills=("truckcertifikat_b",),
        funding=(Funding(scheme="seks_uger", eligible=True,
                         reasons=(why("seks_uger", "seks_uger.granted_job_centre",
                                      deadline=date(2027, 6, 30)),)),),
        cost_dkk=0.0, reasons=(why("linked", occupation=Label("lagermedarbejder",
                                                              "warehouse worker")),),
        other_places=(place,))
    job = OccupationMatch(code="lagermedarbejder", title_da="Lagermedarbejder",
                          title_en="Warehouse worker", shortage="mangel", period="2026H2",
                          proximity=0.7, score=70.0, missing_skills=("truckcertifikat_b",),
                          needs_route=False, reasons=(), level="grundskole")
    return MatchResult(
        today=today, area="VESTJ", period="2026H2", occupations=(job,),
        courses=(truck,), near_misses=(), paths=(), asked=asked_answers(),
        routes=(make_route(),),
        notices=(why("too_little_information", add=(phrase("add.jobs"),)),
                 why("outside_home_area", place="3700 Rønne", area="RAR Vestjylland")))


@pytest.fixture
def dressed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_module, "match_profile",
                        lambda profile, **kw: hand_made(kw["today"]))


@pytest.fixture
def with_educations(runner: FlaskCliRunner, tmp_path: PathLib) -> None:
    """The mini catalogue with a table of specific educations, loaded for real."""
    folder = mini_catalog_with_educations(tmp_path / "catalog")
    assert runner.invoke(args=["catalog", "load", str(folder)]).exit_code == 0


def take_away(client: FlaskClient, action: str, marks: list[str]) -> TestResponse:
    """Press "Vis Mine muligheder" or "Hent som PDF" with marks, and follow to the plan."""
    response = client.post("/resultater", data={"action": action, "mark": marks})
    assert response.status_code == 303
    return client.get(response.headers["Location"])


def results_for(client: FlaskClient, answers: dict[str, Any]) -> str:
    """The results page for answers the browser carries (or the step that refuses them)."""
    give(client, answers)
    return client.get("/resultater").get_data(as_text=True)


def in_order(page: str, *texts: str) -> None:
    positions = [page.index(t) for t in texts]
    assert positions == sorted(positions), list(zip(texts, positions, strict=True))


# --- the results page -----------------------------------------------------------------


def test_asked_and_routes_come_first_in_danish(client_loaded: FlaskClient,
                                               dressed: None) -> None:
    page = walk_to_results(client_loaded)
    in_order(page, "<h1>Dine muligheder</h1>", "Fortæl lidt mere om dig selv",
             'href="#asked"', 'id="asked"', 'id="routes"', 'id="jobs"', 'id="courses"',
             'id="paths"')
    assert 'class="alert alert-warning"' in page and 'class="alert alert-info"' in page
    assert "Tilføj de job, du har haft, og hvor mange år." in page  # exactly what to add
    asked = page.split('id="asked"')[1].split('id="routes"')[0]
    in_order(asked, "Lagermedarbejder", "Åbent for dig nu", "Svejser", "Kræver en uddannelse",
             "Lastbilchauffør", "Ikke muligt via kataloget")
    assert "kataloget har ingen vej dertil" in asked  # plainly why not
    assert "Jobbet kræver: Erhvervsuddannelse (faglært)." in asked
    assert "Du mangler: MAG-svejsning" in asked
    assert "Længden afgøres ved en kompetencevurdering" in asked
    assert "EUV2: for dig med under 2 års relevant erfaring" in asked
    assert "1. februar 2027, 7400 Herning" in asked and "2027-02-01" not in page
    assert "Du er ansat som voksenlærling og får løn fra arbejdsgiveren." in asked
    assert "Tag en kompetencevurdering (IKV): MAG-svejsning." in asked
    assert "11.–22. januar 2027" in asked  # its path, as a Danish reader writes a span
    routes = page.split('id="routes"')[1].split('id="jobs"')[0]
    assert "Erhvervsuddannelse for voksne (EUV) · Herning Tekniske Skole" in routes
    assert "Gør dig faglært som: Svejser" in routes
    assert "<strong>Voksenlærling:</strong> ja." in routes
    assert "<strong>Uddannelsesløft:</strong> måske." in routes
    assert 'value="route:svejser:euv_smed"' in routes
    courses = page.split('id="courses"')[1].split('id="paths"')[0]
    assert courses.count("<h3 class=\"card-heading\">Truckcertifikat B</h3>") == 1
    # One card, its sessions inside, the next first (design.md §5a.8).
    sessions = courses.split("Kommende hold")[1].split("</ul>")[0]
    in_order(sessions, "<strong>4.–8. januar 2027</strong>: AMU Herning, 7400 Herning, 2 km fra dig",
             "<strong>1.–5. marts 2027</strong>: AMU Vest, Holstebro, 7500 Holstebro, 40 km fra dig")


def test_asked_and_routes_in_english(client_loaded: FlaskClient, dressed: None) -> None:
    client_loaded.post("/sprog", data={"lang": "en", "next": "/start"})
    page = walk_to_results(client_loaded)
    in_order(page, "<h1>Your options</h1>", 'id="asked"', 'id="routes"', 'id="jobs"')
    for words in ("What you asked about", "Become skilled", "Open to you now",
                  "Requires an education", "Not possible through the catalogue",
                  "Add the jobs you have had", "the catalogue has no route to it",
                  "The length is decided by a competence assessment",
                  "You are employed as an adult apprentice", "1 February 2027",
                  "Adult VET: Smith", "Upcoming sessions", "In short"):
        assert words in page, words
    for danish in ("Åbent for dig nu", "Længden afgøres", "Også hos", "februar"):
        assert danish not in page, danish


def test_reasons_are_shown_through_the_one_text_function(client_loaded: FlaskClient,
                                                         dressed: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_module, "text", lambda r: f"[{r.kind}]")
    page = walk_to_results(client_loaded)
    assert "[pay]" in page and "[out_of_reach]" in page and "[too_little_information]" in page
    assert "Du er ansat som voksenlærling" not in page


def test_print_view_and_pdf_carry_asked_and_marked_routes(client_loaded: FlaskClient,
                                                          dressed: None) -> None:
    walk_to_results(client_loaded)
    marks = ["route:svejser:euv_smed", "course:c_truck"]
    plan = take_away(client_loaded, "print", marks).get_data(as_text=True)
    in_order(plan, "<h1>Mine muligheder</h1>", "Det du spurgte om", "Bliv faglært",
             "<h2>Kurser</h2>")
    assert "Svejser: Kræver en uddannelse" in plan
    assert "Længden afgøres ved en kompetencevurdering" in plan
    assert "Gør dig faglært som: Svejser" in plan
    assert "Kommende hold" in plan and "1.–5. marts 2027: AMU Vest, Holstebro" in plan
    only_route = take_away(client_loaded, "print",
                           ["route:svejser:euv_smed"]).get_data(as_text=True)
    assert "<h1>Mine muligheder</h1>" in only_route  # a route alone is enough to print
    pdf = take_away(client_loaded, "pdf", marks)
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True,
                               check=True).stdout.decode()
        assert "Det du spurgte om" in words and "Bliv faglært" in words
        assert "kompetencevurdering" in words


def test_without_asked_or_routes_the_sections_are_left_out(client_loaded: FlaskClient,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_module, "match_profile", lambda profile, **kw: replace(
        hand_made(kw["today"]), asked=(), routes=(), notices=()))
    page = walk_to_results(client_loaded)
    assert 'id="asked"' not in page and 'id="routes"' not in page
    assert 'href="#jobs"' in page and 'href="#asked"' not in page


# --- the education step ----------------------------------------------------------------


def test_education_search_and_pick(client_loaded: FlaskClient, with_educations: None) -> None:
    answers = dict(ANSWERS_AFTER_EDUCATION)
    page = post(client_loaded, "education", answers, action="search:education",
                education_level="eud", **{"education-query": "smd"})  # a typo
    assert 'value="eud_smed"' in page
    assert 'value="eud" checked' in page  # searching keeps what is ticked on the page
    page = post(client_loaded, "education", answers, action="add:education",
                education_level="eud", **{"education-query": "smd",
                                          "education-pick": "eud_smed"})
    assert saved_answers(client_loaded)["educations"] == ["eud_smed"]
    assert "Smed (erhvervsuddannelse)" in page.split('class="nobullet-list chosen-list"')[1]
    assert 'value="eud" checked' in page
    page = post(client_loaded, "education", KEEP, action="search:education",
                **{"education-query": "lagerlogistik"})  # an alias
    assert 'value="eud_lager"' in page
    page = post(client_loaded, "education", KEEP, action="remove:education=eud_smed")
    assert saved_answers(client_loaded)["educations"] == []
    done = post(client_loaded, "education", {**answers, "educations": ["eud_lager"]},
                education_level="eud")
    assert "<h1>Din erfaring</h1>" in done
    assert saved_answers(client_loaded)["educations"] == ["eud_lager"]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"education-query": ""}, "education-query", "Skriv et ord at søge efter."),
    ({"education-query": "qqqxxxzzz"}, "education-query", "Vi fandt intet, der ligner."),
])
def test_bad_education_searches(client_loaded: FlaskClient, with_educations: None,
                                fields: dict[str, str], field: str, message: str) -> None:
    page = post(client_loaded, "education", ANSWERS_AFTER_EDUCATION, action="search:education",
                **fields)
    assert summary(page)[0][0] == field and message in summary(page)[0][1]
    assert re.search(r'id="education-query"[^>]*aria-invalid="true"', page)
    assert saved_answers(client_loaded) == ANSWERS_AFTER_EDUCATION


@pytest.mark.parametrize("pick", ["<script>", "no_such_education", "svejser", ""])
def test_tampered_education_pick_changes_nothing(client_loaded: FlaskClient,
                                                 with_educations: None, pick: str) -> None:
    page = post(client_loaded, "education", ANSWERS_AFTER_EDUCATION, action="add:education",
                **{"education-query": "smed", "education-pick": pick})
    assert summary(page) == [("education-pick", "Vælg et af forslagene på listen.")]
    assert saved_answers(client_loaded) == ANSWERS_AFTER_EDUCATION
    assert "<script>" not in page


def test_certificate_checklist(client_loaded: FlaskClient) -> None:
    page = post(client_loaded, "situation", {}, status="unemployed", age="34")
    assert "<h1>Din uddannelse</h1>" in page
    in_order(page, "Kørekort og certifikater", "Kørekort og beviser til transport",
             "Kørekort C", "Truck, kran og maskiner", "Truckcertifikat B")
    assert "MAG-svejsning" not in page  # only certificates are on the checklist
    answers = {**saved_answers(client_loaded), "skills": ["mag_svejsning", "truckcertifikat_b"]}
    page = post(client_loaded, "situation", answers, status="unemployed", age="34")
    assert re.search(r'value="truckcertifikat_b" checked', page)  # ticked from the answers
    done = post(client_loaded, "education", answers, education_level="grundskole",
                certificates=["koerekort_c"])
    assert "<h1>Din erfaring</h1>" in done
    # Unticking removes a certificate; the skills found by search are kept.
    assert saved_answers(client_loaded)["skills"] == ["mag_svejsning", "koerekort_c"]
    assert "Kørekort C" not in done.split("Det du kan")[1].split("Kurser du har taget")[0]


@pytest.mark.parametrize("value", ["mag_svejsning", "<b>x</b>", "koerekort_zz"])
def test_tampered_certificate_is_refused(client_loaded: FlaskClient, value: str) -> None:
    page = post(client_loaded, "education", ANSWERS_AFTER_EDUCATION, education_level="eud",
                certificates=["koerekort_c", value])
    assert "<h1>Din uddannelse</h1>" in page
    assert summary(page) == [("certificates-1", "Vælg kun blandt kørekortene og "
                                                 "certifikaterne på listen.")]
    assert 'aria-invalid="true"' in page and "certificates-error" in page
    assert saved_answers(client_loaded) == ANSWERS_AFTER_EDUCATION
    assert "<b>x</b>" not in page


def test_skill_search_leaves_certificates_to_the_checklist(client_loaded: FlaskClient) -> None:
    page = post(client_loaded, "experience", ANSWERS_AFTER_EDUCATION, action="search:skill",
                **{"skill-query": "truck"})
    assert 'value="truckcertifikat_b"' not in page
    page = post(client_loaded, "experience", ANSWERS_AFTER_EDUCATION, action="add:skill",
                **{"skill-pick": "koerekort_c"})
    assert summary(page) == [("skill-pick", "Vælg et af forslagene på listen.")]


def test_english_education_step(client_loaded: FlaskClient, with_educations: None) -> None:
    client_loaded.post("/sprog", data={"lang": "en", "next": "/start"})
    page = post(client_loaded, "education", ANSWERS_AFTER_EDUCATION, action="search:education",
                **{"education-query": "smith"})
    for words in ("Educations you have completed", "Search for an education",
                  "Driving licences and certificates", "Category C driving licence",
                  "Smith (vocational)"):
        assert words in page, words


# --- the profile check's messages on the right field -----------------------------------


def refuse(monkeypatch: pytest.MonkeyPatch, *errors: ProfileError) -> None:
    def check(raw: object) -> None:
        raise ProfileInvalid(list(errors))
    monkeypatch.setattr(results_module, "check_profile", check)


def test_impossible_combination_lands_on_the_benefit_field(client_loaded: FlaskClient,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    answers = ALL_ANSWERS
    refuse(monkeypatch, ProfileError("benefit", "Dagpenge kræver, at du er fyldt 18 år.",
                                     "Unemployment benefit requires you to be 18 or older."),
           ProfileError("postcode", "skal være et postnummer", "must be a postcode"))
    page = results_for(client_loaded, answers)
    assert "<h1>Din situation</h1>" in page
    # Only the errors of the first step with a problem; the postcode waits for its own step.
    assert summary(page) == [("benefit", "Dagpenge kræver, at du er fyldt 18 år.")]
    assert re.search(r'<fieldset id="benefit" aria-describedby="[^"]*benefit-error"'
                     r' aria-invalid="true"', page)
    assert 'id="benefit-error"' in page
    assert saved_answers(client_loaded) == answers  # nothing changed


@pytest.mark.parametrize(("error", "heading", "field", "message"), [
    (ProfileError("age", "skal udfyldes", "is required"), "Din situation", "age",
     "Hvor gammel er du? Skal udfyldes"),
    (ProfileError("education_level", "skal udfyldes", "is required"), "Din uddannelse",
     "education_level", "Hvad er din højeste fuldførte uddannelse? Skal udfyldes"),
    (ProfileError("occupations[0].code", "'x' er ikke en kendt stillingsbetegnelse",
                  "'x' is not a known occupation"), "Din erfaring", "job-query",
     "Job du har haft: 'x' er ikke en kendt stillingsbetegnelse"),
    (ProfileError("interests[0]", "'x' er ikke en kendt stillingsbetegnelse",
                  "'x' is not a known occupation"), "Praktiske forhold", "interest-query",
     "Job du er nysgerrig på: 'x' er ikke en kendt stillingsbetegnelse"),
    (ProfileError("postcode", "9999 er ikke et dansk postnummer", "..."), "Praktiske forhold",
     "postcode", "Dit postnummer: 9999 er ikke et dansk postnummer"),
])
def test_profile_errors_go_to_their_step_and_field(client_loaded: FlaskClient,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   error: ProfileError, heading: str,
                                                   field: str, message: str) -> None:
    answers = ALL_ANSWERS
    refuse(monkeypatch, error)
    page = results_for(client_loaded, answers)
    assert f"<h1>{heading}</h1>" in page
    assert summary(page) == [(field, message)]
    assert re.search(rf'id="{re.escape(field)}"[^>]*aria-invalid="true"', page)


def test_unknown_education_in_the_carried_answers(client_loaded: FlaskClient,
                                                  with_educations: None) -> None:
    answers = {**ALL_ANSWERS, "educations": ["phd_alchemy"]}
    page = results_for(client_loaded, answers)
    assert "<h1>Din uddannelse</h1>" in page
    assert summary(page) == [("education-query", "Uddannelser du har taget: 'phd_alchemy' er "
                                                 "ikke en kendt uddannelse")]
    assert saved_answers(client_loaded) == answers


# --- through the real engine (these wait for the engine's side of the contract) ---------


def test_real_journey_dagpenge_under_18_is_refused_on_the_benefit_field(
        client_loaded: FlaskClient) -> None:
    page = post(client_loaded, "situation", {}, status="unemployed", benefit="dagpenge", age="16")
    page = post(client_loaded, "education", KEEP, education_level="grundskole")
    page = post(client_loaded, "experience", KEEP)
    page = post(client_loaded, "limits", KEEP, postcode="7400",
                max_distance_km="50", schedule=["day"], max_course_days="",
                start_within_weeks="26")
    assert "<h1>Din situation</h1>" in page
    assert summary(page)[0][0] == "benefit"


def test_real_journey_with_a_named_education(client_loaded: FlaskClient,
                                             with_educations: None) -> None:
    answers = {**ALL_ANSWERS, "education_level": "eud", "has_eud": True,
               "educations": ["eud_smed"]}
    page = results_for(client_loaded, answers)
    assert "<h1>Dine muligheder</h1>" in page, summary(page)
    # A named education above the highest level chosen is refused on the education step.
    answers = {**answers, "education_level": "grundskole", "has_eud": False}
    page = results_for(client_loaded, answers)
    assert "<h1>Din uddannelse</h1>" in page
    assert summary(page)[0][0] == "education-query"



def test_the_card_says_once_what_the_course_costs_and_who_pays(app: Flask) -> None:
    """Issue 9: one cost line, in Danish number format, never contradicting the funding."""
    cost_line = results_module.cost_line
    words = {key: str(value) for key, value in results_module.SCHEME_NAMES.items()}
    granted = (Funding("seks_uger", True, ()), Funding("amu_fee", True, ()))
    fee = (Funding("seks_uger", "maybe", ()), Funding("amu_fee", True, ()))
    full = (Funding("amu_fee", False, ()),)
    with app.test_request_context():
        assert cost_line(0.0, granted, words) == (
            "0 kr. Jobcentret betaler kurset (Seks ugers jobrettet uddannelse).")
        assert cost_line(1040.0, fee, words) == (
            "1.040 kr. i deltagerbetaling, som du eller din arbejdsgiver betaler. Bevilger "
            "jobcentret kurset (Seks ugers jobrettet uddannelse), betaler jobcentret.")
        assert cost_line(12500.0, full, words).startswith("12.500 kr. Du er uden for")
        assert cost_line(0.0, (), words) == "0 kr. Det koster ikke noget for dig."


def test_words_and_numbers_a_reader_expects(app: Flask) -> None:
    """Issue 11: money, days, distances and sources written as each language writes them."""
    from matcher.web.i18n import away, days, money, source_link
    with app.test_request_context():
        assert (money(7630), days(1), days(2), days(0.5)) == ("7.630 kr.", "1 dag", "2 dage",
                                                              "0,5 dage")
        assert (away(0.4), away(12.4)) == ("under 1 km fra dig", "12 km fra dig")
        assert str(source_link("https://www.star.dk/x?y=1")) == (
            '<a class="function-link" href="https://www.star.dk/x?y=1">star.dk</a>')
        assert str(source_link("demo")) == "demo"
        assert str(source_link('javascript:alert("x")')) == "javascript:alert(&#34;x&#34;)"
    with app.test_request_context(headers={"Cookie": "sprog=en"}):
        assert (money(7630), days(1), days(3), away(0.2)) == (
            "DKK 7,630", "1 day", "3 days", "less than 1 km from you")
