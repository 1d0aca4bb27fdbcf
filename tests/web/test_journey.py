"""The citizen journey without JavaScript: every step, its bad input, results and privacy."""

from __future__ import annotations

import html
import json
import logging
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matcher.data import models as m
from matcher.data.db import get_session

SITUATION = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": "8",
             "age": "34"}
ANSWERS_AFTER_EDUCATION = {"age": 34, "benefit": "dagpenge", "education_level": "gymnasial",
                           "education_outdated": False, "has_eud": False,
                           "status": "unemployed", "unemployed_weeks": 8}
LIMITS = {"postcode": "7400", "max_distance_km": "50", "schedule": ["day", "evening"],
          "max_course_days": "", "start_within_weeks": "26"}


def page_answers(page: str) -> dict[str, object]:
    found = re.search(r'name="answers" value="([^"]*)"', page)
    assert found, "the page carries no answers"
    return json.loads(html.unescape(found.group(1)) or "{}")


def summary(page: str) -> list[tuple[str, str]]:
    block = re.search(r'data-module="error-summary".*?</nav>', page, re.S)
    if not block:
        return []
    return [(target, html.unescape(text)) for target, text in
            re.findall(r'<a class="function-link" href="#([^"]*)">([^<]*)</a>', block.group(0))]


def post(client: FlaskClient, step: str, answers: dict[str, object], action: str = "next",
         **fields: object) -> str:
    response = client.post("/start", data={"step": step, "answers": json.dumps(answers),
                                           "action": action, **fields})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def walk_to_results(client: FlaskClient) -> str:
    """A truck driver who ticks Kørekort C (never inferred from the job) and knows stock."""
    page = post(client, "situation", {}, **SITUATION)
    page = post(client, "education", page_answers(page), education_level="gymnasial",
                certificates=["koerekort_c"])
    page = post(client, "experience", page_answers(page), action="search:job",
                **{"job-query": "chauffor"})
    assert 'value="lastbilchauffoer"' in page  # typo-tolerant: ø typed as o
    page = post(client, "experience", page_answers(page), action="add:job",
                **{"job-pick": "lastbilchauffoer", "years": "5"})
    page = post(client, "experience", page_answers(page), action="add:skill",
                **{"skill-pick": "lagerstyring"})
    page = post(client, "experience", page_answers(page))
    return post(client, "limits", page_answers(page), **LIMITS)


def test_home_leads_to_the_first_step(client_loaded: FlaskClient) -> None:
    home = client_loaded.get("/").get_data(as_text=True)
    assert 'href="/start"' in home
    first = client_loaded.get("/start")
    assert first.headers["Cache-Control"] == "no-store"
    assert "<h1>Din situation</h1>" in first.get_data(as_text=True)
    assert "Trin 1 af 5" in first.get_data(as_text=True)


def test_the_whole_journey_without_javascript(client_loaded: FlaskClient) -> None:
    page = walk_to_results(client_loaded)
    assert "<h1>Dine muligheder</h1>" in page
    assert "Job du er tæt på" in page and "Kurser der flytter dig" in page
    assert "Veje til job" in page
    assert "Lagermedarbejder" in page
    assert "Truckcertifikat B" in page  # closes the warehouse gap of a truck driver
    assert "Mangel på arbejdskraft" in page and "2. halvår 2026" in page
    assert "2026H2" not in page  # the period as people say it, not its key
    assert "Seks ugers jobrettet uddannelse" in page
    answers = page_answers(page)
    assert answers["postcode"] == "7400" and answers["schedule"] == ["day", "evening"]
    assert answers["occupations"] == [{"code": "lastbilchauffoer", "years": 6.0}]


def test_back_keeps_every_answer(client_loaded: FlaskClient) -> None:
    page = post(client_loaded, "situation", {}, **SITUATION)
    back = post(client_loaded, "education", page_answers(page), action="back",
                education_level="eud")
    assert "<h1>Din situation</h1>" in back
    assert 'name="age" type="text"\n         value="34"' in back
    assert 'value="unemployed" checked' in back
    forward = post(client_loaded, "situation", page_answers(back), **SITUATION)
    assert 'value="eud" checked' in forward  # what was chosen before going back


def test_remove_and_skill_and_course_picks(client_loaded: FlaskClient) -> None:
    answers = dict(ANSWERS_AFTER_EDUCATION)
    page = post(client_loaded, "experience", answers, action="search:skill",
                **{"skill-query": "svejsning"})
    assert 'value="mag_svejsning"' in page
    page = post(client_loaded, "experience", answers, action="add:skill",
                **{"skill-pick": ["mag_svejsning", "lagerstyring"]})
    assert page_answers(page)["skills"] == ["mag_svejsning", "lagerstyring"]
    page = post(client_loaded, "experience", page_answers(page), action="remove:skill=mag_svejsning")
    assert page_answers(page)["skills"] == ["lagerstyring"]
    page = post(client_loaded, "experience", page_answers(page), action="search:course",
                **{"course-query": "truck"})
    page = post(client_loaded, "experience", page_answers(page), action="add:course",
                **{"course-pick": "c_truck"})
    assert page_answers(page)["completed_courses"] == ["c_truck"]


BAD_SITUATION = [
    ({"age": "34"}, "status", "Vælg din situation."),
    ({"status": "unemployed"}, "age", "Skriv din alder i hele år."),
    ({"status": "unemployed", "age": "abc"}, "age", "Skriv et helt tal, fx 34."),
    ({"status": "unemployed", "age": "14"}, "age", "Alderen skal være mellem 15 og 80 år."),
    ({"status": "unemployed", "age": "81"}, "age", "Alderen skal være mellem 15 og 80 år."),
    ({"status": "unemployed", "age": "<script>alert(1)</script>"}, "age",
     "Skriv et helt tal, fx 34."),
    ({"status": "unemployed", "age": "9" * 500}, "age", "Skriv et helt tal, fx 34."),
    ({"status": "king", "age": "34"}, "status", "Not a valid choice."),
    ({"status": "unemployed", "age": "34", "unemployed_weeks": "-1"}, "unemployed_weeks",
     "Skriv et antal uger mellem 0 og 1040."),
    ({"status": "unemployed", "age": "34", "unemployed_weeks": "otte"}, "unemployed_weeks",
     "Skriv et helt tal, fx 34."),
    ({"status": "unemployed", "age": "34", "benefit": "lots"}, "benefit", "Not a valid choice."),
]
BAD_LIMITS = [
    ({**LIMITS, "postcode": ""}, "postcode", "Skriv dit postnummer."),
    ({**LIMITS, "postcode": "74"}, "postcode", "Et postnummer har 4 cifre, fx 7400."),
    ({**LIMITS, "postcode": "74OO"}, "postcode", "Et postnummer har 4 cifre, fx 7400."),
    ({**LIMITS, "postcode": "9999"}, "postcode", "Postnummeret 9999 findes ikke."),
    ({**LIMITS, "postcode": "<b>7400</b>"}, "postcode", "Et postnummer har 4 cifre, fx 7400."),
    ({**LIMITS, "schedule": []}, "schedule", "Vælg mindst ét tidspunkt."),
    ({**LIMITS, "max_distance_km": "1000"}, "max_distance_km", "Not a valid choice."),
    ({**LIMITS, "max_course_days": "abc"}, "max_course_days", "Not a valid choice."),
    ({**LIMITS, "start_within_weeks": "0"}, "start_within_weeks", "Not a valid choice."),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_SITUATION)
def test_bad_situation_is_refused_with_its_message(client_loaded: FlaskClient,
                                                   fields: dict[str, str], field: str,
                                                   message: str) -> None:
    page = post(client_loaded, "situation", {"education_level": "eud"}, **fields)
    assert "<h1>Din situation</h1>" in page
    assert summary(page)[0][0] == field
    assert message in summary(page)[0][1] or message == "Not a valid choice."
    assert page_answers(page) == {"education_level": "eud"}  # nothing lost, nothing taken
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(("fields", "field", "message"), BAD_LIMITS)
def test_bad_practical_limits_are_refused(client_loaded: FlaskClient, fields: dict[str, object],
                                          field: str, message: str) -> None:
    page = post(client_loaded, "limits", ANSWERS_AFTER_EDUCATION, **fields)
    assert "<h1>Praktiske forhold</h1>" in page
    assert summary(page)[0][0] == field
    assert message in summary(page)[0][1] or message == "Not a valid choice."
    assert page_answers(page) == ANSWERS_AFTER_EDUCATION


@pytest.mark.parametrize(("action", "fields", "field", "message"), [
    ("search:job", {"job-query": ""}, "job-query", "Skriv et ord at søge efter."),
    ("search:job", {"job-query": "x" * 101}, "job-query", "Skriv højst 100 tegn."),
    ("search:job", {"job-query": "qqqxxxzzz"}, "job-query", "Vi fandt intet, der ligner."),
    ("add:job", {"job-query": "lager"}, "job-pick", "Vælg et af forslagene på listen."),
    ("add:skill", {"skill-pick": "<script>"}, "skill-pick", "Vælg et af forslagene på listen."),
    ("add:course", {"course-pick": "no_such_course"}, "course-pick",
     "Vælg et af forslagene på listen."),
])
def test_bad_searches_and_picks(client_loaded: FlaskClient, action: str,
                                fields: dict[str, str], field: str, message: str) -> None:
    page = post(client_loaded, "experience", ANSWERS_AFTER_EDUCATION, action=action, **fields)
    assert summary(page)[0][0] == field
    assert message in summary(page)[0][1]
    assert page_answers(page) == ANSWERS_AFTER_EDUCATION


def test_education_must_be_one_of_the_levels(client_loaded: FlaskClient) -> None:
    page = post(client_loaded, "education", {"age": 30}, education_level="doctor-ish")
    assert summary(page)[0][0] == "education_level"
    missing = post(client_loaded, "education", {"age": 30})
    assert summary(missing) == [("education_level", "Vælg din højeste uddannelse.")]


@pytest.mark.parametrize("answers", ["{not json", "[1,2]", json.dumps({"status": "<script>"}),
                                     "x" * 30_000])
def test_tampered_answers_are_dropped_not_trusted(client_loaded: FlaskClient,
                                                  answers: str) -> None:
    response = client_loaded.post("/start", data={"step": "situation", "answers": answers,
                                                  "action": "next", **SITUATION})
    assert response.status_code == 200
    assert page_answers(response.get_data(as_text=True))["age"] == 34


def test_filters_rerank_without_losing_the_answers(client_loaded: FlaskClient) -> None:
    answers = page_answers(walk_to_results(client_loaded))
    response = client_loaded.post("/resultater", data={
        "answers": json.dumps(answers), "action": "update", "max_distance_km": "10",
        "schedule": ["evening"], "max_course_days": "5", "only_funded": "y"})
    page = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    updated = page_answers(page)
    assert updated["max_distance_km"] == 10 and updated["schedule"] == ["evening"]
    assert updated["max_course_days"] == 5
    assert updated["occupations"] == answers["occupations"]
    assert "Truckcertifikat B" not in page.split('id="courses"')[1].split("Næsten")[0]
    assert 'id="only_funded" name="only_funded" value="y" checked' in page


def test_printing_needs_a_marked_option(client_loaded: FlaskClient) -> None:
    answers = page_answers(walk_to_results(client_loaded))
    page = client_loaded.post("/resultater", data={"answers": json.dumps(answers),
                                                   "action": "print"}).get_data(as_text=True)
    assert ("take-away", 'Markér mindst én mulighed med "Gem i Mine muligheder".') in summary(page)


def test_mine_muligheder_as_a_page_and_a_pdf(client_loaded: FlaskClient) -> None:
    page = walk_to_results(client_loaded)
    answers = page_answers(page)
    marks = re.findall(r'name="mark" value="([^"]*)"', page)
    assert "course:c_truck" in marks
    plan = client_loaded.post("/resultater", data={
        "answers": json.dumps(answers), "action": "print", "mark": ["course:c_truck"]})
    text = plan.get_data(as_text=True)
    assert plan.headers["Cache-Control"] == "no-store"
    assert "<h1>Mine muligheder</h1>" in text and "Truckcertifikat B" in text
    assert "Tal med din a-kasse eller dit jobcenter" in text and "2. halvår 2026" in text
    pdf = client_loaded.post("/resultater", data={
        "answers": json.dumps(answers), "action": "pdf", "mark": ["course:c_truck"]})
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="mine-muligheder.pdf"'
    assert pdf.headers["Cache-Control"] == "no-store"
    # The demonstration notice comes before anything else, so page 1 never looks official.
    assert text.index('class="demo-notice"') < text.index("Tal med din a-kasse")
    client_loaded.set_cookie("sprog", "en")
    english = client_loaded.post("/resultater", data={
        "answers": json.dumps(answers), "action": "pdf", "mark": ["course:c_truck"]})
    assert english.headers["Content-Disposition"] == 'attachment; filename="my-options.pdf"'


def test_back_from_the_results_to_the_limits(client_loaded: FlaskClient) -> None:
    answers = page_answers(walk_to_results(client_loaded))
    page = client_loaded.post("/resultater", data={"answers": json.dumps(answers),
                                                   "action": "back"}).get_data(as_text=True)
    assert "<h1>Praktiske forhold</h1>" in page and 'value="7400"' in page


def test_slet_mine_svar_forgets_and_goes_home(client_loaded: FlaskClient) -> None:
    response = client_loaded.post("/slet")
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_english_journey(client_loaded: FlaskClient) -> None:
    client_loaded.post("/sprog", data={"lang": "en", "next": "/start"})
    first = client_loaded.get("/start").get_data(as_text=True)
    assert "<h1>Your situation</h1>" in first and "Step 1 of 5" in first
    bad = post(client_loaded, "situation", {}, status="unemployed", age="abc")
    assert summary(bad)[0] == ("age", "Write a whole number, e.g. 34.")
    results = walk_to_results(client_loaded)
    assert "<h1>Your options</h1>" in results and "Warehouse worker" in results


def test_privacy_nothing_kept_in_database_cookies_or_logs(
        app_loaded: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    client = app_loaded.test_client()
    with app_loaded.app_context():
        session = get_session()
        before = {t.name: session.scalar(select(func.count()).select_from(t))
                  for t in m.Base.metadata.sorted_tables}
    caplog.set_level(logging.DEBUG)
    walk_to_results(client)
    with app_loaded.app_context():
        session = get_session()
        after = {t.name: session.scalar(select(func.count()).select_from(t))
                 for t in m.Base.metadata.sorted_tables}
    assert after == before
    cookies = {cookie.key: cookie.value for cookie in client._cookies.values()}
    assert set(cookies) <= {"session", "sprog"}
    # What the session cookie carries, decoded: its signature and the random CSRF token may
    # contain any digits, so only the rest is searched.
    carried = app_loaded.session_interface.get_signing_serializer(app_loaded).loads(
        cookies["session"]) if "session" in cookies else {}
    carried.pop("csrf_token", None)
    for value in (json.dumps(carried), cookies.get("sprog", "")):
        for secret in ("lastbilchauffoer", "koerekort_c", "7400", "dagpenge", "34"):
            assert secret not in value
    logged = caplog.text
    for secret in ("lagermedarbejder", "dagpenge", '"postcode"'):
        assert secret not in logged
