"""The citizen journey without JavaScript: every step, its bad input, results and privacy."""

from __future__ import annotations

import csv
import html
import json
import logging
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matcher.data import models as m
from matcher.data.db import get_session
from matcher.web.journey import MAX_ITEMS
from tests.conftest import BUNDLED_CATALOG
from tests.web.journey_cookie import give, saved, saved_answers

SITUATION = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": "8",
             "age": "34"}
ANSWERS_AFTER_EDUCATION = {"age": 34, "benefit": "dagpenge", "education_level": "gymnasial",
                           "education_outdated": False, "has_eud": False,
                           "status": "unemployed", "unemployed_weeks": 8}
LIMITS = {"postcode": "7400", "max_distance_km": "50", "schedule": ["day", "evening"],
          "max_course_days": "", "start_within_weeks": "26"}


KEEP = None  # post with the answers the browser already carries


def summary(page: str) -> list[tuple[str, str]]:
    block = re.search(r'data-module="error-summary".*?</nav>', page, re.S)
    if not block:
        return []
    return [(target, html.unescape(text)) for target, text in
            re.findall(r'<a class="function-link" href="#([^"]*)">([^<]*)</a>', block.group(0))]


def post(client: FlaskClient, step: str, answers: dict[str, object] | None,
         action: str = "next", **fields: object) -> str:
    """Post a step as the browser does, and follow the redirect to the page it leads to."""
    if answers is not None:
        give(client, answers)
    response = client.post("/start", data={"step": step, "action": action, **fields})
    assert response.status_code == 303
    assert response.headers["Cache-Control"] == "no-store"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    return page.get_data(as_text=True)


def walk_to_results(client: FlaskClient, *, fresh: bool = True) -> str:
    """A truck driver who ticks Kørekort C (never inferred from the job) and knows stock."""
    page = post(client, "situation", {} if fresh else KEEP, **SITUATION)
    page = post(client, "education", KEEP, education_level="gymnasial",
                certificates=["koerekort_c"])
    page = post(client, "experience", KEEP, action="search:job",
                **{"job-query": "chauffor"})
    assert 'value="lastbilchauffoer"' in page  # typo-tolerant: ø typed as o
    page = post(client, "experience", KEEP, action="add:job",
                **{"job-pick": "lastbilchauffoer", "years": "5"})
    page = post(client, "experience", KEEP, action="add:skill",
                **{"skill-pick": "lagerstyring"})
    page = post(client, "experience", KEEP)
    return post(client, "limits", KEEP, **LIMITS)


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
    answers = saved_answers(client_loaded)
    assert answers["postcode"] == "7400" and answers["schedule"] == ["day", "evening"]
    assert answers["occupations"] == [{"code": "lastbilchauffoer", "years": 6.0}]


def test_back_keeps_every_answer(client_loaded: FlaskClient) -> None:
    post(client_loaded, "situation", {}, **SITUATION)
    back = post(client_loaded, "education", KEEP, action="back",
                education_level="eud")
    assert "<h1>Din situation</h1>" in back
    assert 'name="age" type="text"\n         value="34"' in back
    assert 'value="unemployed" checked' in back
    forward = post(client_loaded, "situation", KEEP, **SITUATION)
    assert 'value="eud" checked' in forward  # what was chosen before going back


def test_remove_and_skill_and_course_picks(client_loaded: FlaskClient) -> None:
    answers = dict(ANSWERS_AFTER_EDUCATION)
    page = post(client_loaded, "experience", answers, action="search:skill",
                **{"skill-query": "svejsning"})
    assert 'value="mag_svejsning"' in page
    page = post(client_loaded, "experience", answers, action="add:skill",
                **{"skill-pick": ["mag_svejsning", "lagerstyring"]})
    assert saved_answers(client_loaded)["skills"] == ["mag_svejsning", "lagerstyring"]
    page = post(client_loaded, "experience", KEEP, action="remove:skill=mag_svejsning")
    assert saved_answers(client_loaded)["skills"] == ["lagerstyring"]
    page = post(client_loaded, "experience", KEEP, action="search:course",
                **{"course-query": "truck"})
    page = post(client_loaded, "experience", KEEP, action="add:course",
                **{"course-pick": "c_truck"})
    assert saved_answers(client_loaded)["completed_courses"] == ["c_truck"]


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
    assert saved_answers(client_loaded) == {"education_level": "eud"}  # nothing lost or taken
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(("fields", "field", "message"), BAD_LIMITS)
def test_bad_practical_limits_are_refused(client_loaded: FlaskClient, fields: dict[str, object],
                                          field: str, message: str) -> None:
    page = post(client_loaded, "limits", ANSWERS_AFTER_EDUCATION, **fields)
    assert "<h1>Praktiske forhold</h1>" in page
    assert summary(page)[0][0] == field
    assert message in summary(page)[0][1] or message == "Not a valid choice."
    assert saved_answers(client_loaded) == ANSWERS_AFTER_EDUCATION


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
    assert saved_answers(client_loaded) == ANSWERS_AFTER_EDUCATION


def test_education_must_be_one_of_the_levels(client_loaded: FlaskClient) -> None:
    page = post(client_loaded, "education", {"age": 30}, education_level="doctor-ish")
    assert summary(page)[0][0] == "education_level"
    missing = post(client_loaded, "education", {"age": 30})
    assert summary(missing) == [("education_level", "Vælg din højeste uddannelse.")]


@pytest.mark.parametrize("answers", ["{not json", "[1,2]", json.dumps({"status": "<script>"}),
                                     json.dumps({"age": 1e400}), '"x"'])
def test_odd_answers_in_the_cookie_are_dropped_not_trusted(client_loaded: FlaskClient,
                                                           answers: str) -> None:
    """The site only ever writes checked answers, but what it reads back is checked again."""
    give(client_loaded, answers)
    page = post(client_loaded, "situation", KEEP, **SITUATION)
    assert "<h1>Din uddannelse</h1>" in page
    assert saved_answers(client_loaded)["age"] == 34
    assert "<script>" not in json.dumps(saved_answers(client_loaded))


@pytest.mark.parametrize("cookie", ["", "not-a-token", "gAAAAA" + "x" * 100])
def test_a_forged_or_broken_cookie_is_no_journey(client_loaded: FlaskClient,
                                                 cookie: str) -> None:
    client_loaded.set_cookie("kl_svar", cookie)
    first = client_loaded.get("/start")
    assert first.status_code == 200 and 'value="34"' not in first.get_data(as_text=True)
    assert client_loaded.get("/resultater").status_code == 303  # nothing to show yet


def test_answers_expire(app_loaded: Flask) -> None:
    client = app_loaded.test_client()
    post(client, "situation", {}, **SITUATION)
    assert saved_answers(client)["age"] == 34
    app_loaded.config["ANSWERS_MAX_AGE"] = -1  # every token is older than this
    assert saved_answers(client) == {}
    assert 'value="34"' not in client.get("/start").get_data(as_text=True)


def test_the_largest_journey_fits_in_the_cookies(client_loaded: FlaskClient) -> None:
    """Every list at its limit with the longest codes of the bundled catalogue still fits."""
    longest = {name: sorted(csv_codes(name), key=len, reverse=True)[:MAX_ITEMS]
               for name in ("occupations", "skills", "courses", "educations")}
    answers = {**ANSWERS_AFTER_EDUCATION, "postcode": "7400", "max_distance_km": 50,
               "schedule": ["day", "evening", "weekend", "online"][:3],
               "occupations": [{"code": c, "years": 6.0} for c in longest["occupations"]],
               "interests": longest["occupations"], "skills": longest["skills"],
               "completed_courses": longest["courses"], "educations": longest["educations"]}
    give(client_loaded, answers)
    assert saved_answers(client_loaded) == answers
    response = client_loaded.post("/resultater", data={
        "action": "update", "mark": [f"course:{c}" for c in longest["courses"]]})
    assert response.status_code == 303
    assert saved_answers(client_loaded) == answers
    assert len(saved(client_loaded).marked) == MAX_ITEMS


def csv_codes(name: str) -> list[str]:
    with (BUNDLED_CATALOG / f"{name}.csv").open(encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def test_filters_rerank_without_losing_the_answers(client_loaded: FlaskClient) -> None:
    walk_to_results(client_loaded)
    answers = saved_answers(client_loaded)
    response = client_loaded.post("/resultater", data={
        "action": "update", "max_distance_km": "10",
        "schedule": ["evening"], "max_course_days": "5", "only_funded": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/resultater"
    page = client_loaded.get("/resultater").get_data(as_text=True)
    updated = saved_answers(client_loaded)
    assert updated["max_distance_km"] == 10 and updated["schedule"] == ["evening"]
    assert updated["max_course_days"] == 5
    assert updated["occupations"] == answers["occupations"]
    assert "Truckcertifikat B" not in page.split('id="courses"')[1].split("Næsten")[0]
    assert 'id="only_funded" name="only_funded" value="y" checked' in page
    # A reload asks for the same page again and gets it, filters and all.
    assert client_loaded.get("/resultater").get_data(as_text=True).count(
        'name="only_funded" value="y" checked') == 1


def test_mine_muligheder_as_a_page_and_a_pdf(client_loaded: FlaskClient) -> None:
    page = walk_to_results(client_loaded)
    marks = re.findall(r'name="mark" value="([^"]*)"', page)
    assert "course:c_truck" in marks
    response = client_loaded.post("/resultater", data={"action": "print",
                                                       "mark": ["course:c_truck"]})
    assert response.status_code == 303 and response.headers["Location"] == "/mine-muligheder"
    plan = client_loaded.get("/mine-muligheder")
    text = plan.get_data(as_text=True)
    assert plan.headers["Cache-Control"] == "no-store"
    assert "<h1>Mine muligheder</h1>" in text and "Truckcertifikat B" in text
    assert "Tal med din a-kasse eller dit jobcenter" in text and "2. halvår 2026" in text
    response = client_loaded.post("/resultater", data={"action": "pdf",
                                                       "mark": ["course:c_truck"]})
    assert response.headers["Location"] == "/mine-muligheder.pdf"
    pdf = client_loaded.get("/mine-muligheder.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="mine-muligheder.pdf"'
    assert pdf.headers["Cache-Control"] == "no-store"
    # The demonstration notice comes before anything else, so page 1 never looks official.
    assert text.index('class="demo-notice"') < text.index("Tal med din a-kasse")
    # The marks are kept: back on the results page they are still ticked.
    again = client_loaded.get("/resultater").get_data(as_text=True)
    assert re.search(r'name="mark" value="course:c_truck"[^>]*checked', again)
    client_loaded.set_cookie("sprog", "en")
    english = client_loaded.get("/mine-muligheder.pdf")
    assert english.headers["Content-Disposition"] == 'attachment; filename="my-options.pdf"'


def test_the_plan_without_answers_goes_to_the_results(client_loaded: FlaskClient) -> None:
    assert client_loaded.get("/mine-muligheder").headers["Location"] == "/resultater"
    assert client_loaded.get("/mine-muligheder.pdf").headers["Location"] == "/resultater"


def test_back_from_the_results_to_the_limits(client_loaded: FlaskClient) -> None:
    walk_to_results(client_loaded)
    response = client_loaded.post("/resultater", data={"action": "back"})
    assert response.headers["Location"] == "/start/praktisk"
    page = client_loaded.get("/start/praktisk").get_data(as_text=True)
    assert "<h1>Praktiske forhold</h1>" in page and 'value="7400"' in page


def test_slet_mine_svar_forgets_and_goes_home(client_loaded: FlaskClient) -> None:
    post(client_loaded, "situation", {}, **SITUATION)
    response = client_loaded.post("/slet")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert saved_answers(client_loaded) == {}
    assert client_loaded.get_cookie("kl_svar") is None


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
    # Only the anonymous counts of what result pages showed change: codes, a day, numbers.
    counted = after.pop("result_appearance") - before.pop("result_appearance")
    assert after == before and counted > 0
    with app_loaded.app_context():
        rows = get_session().execute(select(m.ResultAppearance)).scalars().all()
    assert {r.kind for r in rows} <= {"course", "occupation"}
    assert {c.name for c in m.ResultAppearance.__table__.columns} == {"kind", "code", "day",
                                                                     "count"}
    cookies = {cookie.key: cookie.value for cookie in client._cookies.values()}
    assert set(cookies) <= {"session", "sprog", "kl_svar"}
    # The answers' own cookie is encrypted: none of them can be read from it.
    assert saved_answers(client)["postcode"] == "7400"
    for secret in ("lastbilchauffoer", "koerekort_c", "7400", "dagpenge"):
        assert secret not in cookies["kl_svar"]
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


STEP_PAGES = [("/start", "Din situation"), ("/start/uddannelse", "Din uddannelse"),
              ("/start/erfaring", "Din erfaring"), ("/start/praktisk", "Praktiske forhold"),
              ("/resultater", "Dine muligheder")]


def test_every_step_and_the_results_answer_a_reload(client_loaded: FlaskClient) -> None:
    """Reload, bookmark or the back button ask for the page again with GET: never a 405."""
    walk_to_results(client_loaded)
    for path, heading in STEP_PAGES:
        for _attempt in range(2):
            response = client_loaded.get(path)
            assert response.status_code == 200, path
            assert f"<h1>{heading}</h1>" in response.get_data(as_text=True)
            assert response.headers["Cache-Control"] == "no-store"
    assert 'value="7400"' in client_loaded.get("/start/praktisk").get_data(as_text=True)
    assert client_loaded.get("/start/nowhere").status_code == 404


def test_a_reload_shows_the_same_errors_until_the_step_is_posted_again(
        client_loaded: FlaskClient) -> None:
    page = post(client_loaded, "situation", {}, status="unemployed", age="abc")
    assert summary(page)[0][0] == "age"
    again = client_loaded.get("/start").get_data(as_text=True)
    assert summary(again) == summary(page) and 'value="abc"' in again
    # Another step's page does not show them, and a good post clears them.
    assert summary(client_loaded.get("/start/uddannelse").get_data(as_text=True)) == []
    post(client_loaded, "situation", KEEP, **SITUATION)
    assert summary(client_loaded.get("/start").get_data(as_text=True)) == []


@pytest.mark.parametrize(("path", "heading", "kept"), [
    ("/start", "Your situation", 'value="34"'),
    ("/start/uddannelse", "Your education", 'value="gymnasial" checked'),
    ("/start/erfaring", "Your experience", "Truck driver"),
    ("/start/praktisk", "Practical matters", 'value="7400"'),
    ("/resultater", "Your options", "Warehouse worker"),
])
def test_the_language_switch_keeps_every_answer(client_loaded: FlaskClient, path: str,
                                                heading: str, kept: str) -> None:
    walk_to_results(client_loaded)
    response = client_loaded.post("/sprog", data={"lang": "en", "next": path})
    assert response.headers["Location"] == path
    page = client_loaded.get(path).get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page and kept in page


def test_a_search_shows_hits_without_choosing_one(client_loaded: FlaskClient) -> None:
    give(client_loaded, ANSWERS_AFTER_EDUCATION)
    response = client_loaded.post("/start", data={"step": "experience", "action": "search:job",
                                                  "job-query": "lager"})
    assert response.headers["Location"] == "/start/erfaring#job-pick"
    page = client_loaded.get("/start/erfaring").get_data(as_text=True)
    assert 'value="lagermedarbejder"' in page
    assert not re.search(r'name="job-pick" value="[^"]*" checked', page)  # nothing pre-chosen


def test_text_typed_but_not_added_is_asked_about(client_loaded: FlaskClient) -> None:
    """Næste (or Enter) with a search left in the box: the step stays and asks."""
    page = post(client_loaded, "experience", ANSWERS_AFTER_EDUCATION, **{"job-query": "lager"})
    assert "<h1>Din erfaring</h1>" in page
    assert summary(page)[0] == ("job-query", "Du har skrevet »lager«, men ikke tilføjet det. "
                                "Vælg på listen og tryk »Tilføj«, eller tøm feltet for at gå "
                                "videre.")
    assert 'value="lagermedarbejder"' in page  # the suggestions, to pick from
    assert saved_answers(client_loaded) == ANSWERS_AFTER_EDUCATION
    nothing = post(client_loaded, "experience", KEEP, **{"skill-query": "qqqxxxzzz"})
    assert summary(nothing)[0][0] == "skill-query"
    assert "Vi fandt intet, der ligner »qqqxxxzzz«" in summary(nothing)[0][1]
    empty = post(client_loaded, "experience", KEEP, **{"job-query": "  "})
    assert "<h1>Praktiske forhold</h1>" in empty  # an empty box is no question


def test_a_name_typed_in_full_is_added_on_next(client_loaded: FlaskClient) -> None:
    """What the typeahead fills in is the exact name: Næste adds it instead of asking."""
    page = post(client_loaded, "experience", ANSWERS_AFTER_EDUCATION,
                **{"job-query": "Lagermedarbejder", "years": "2",
                   "skill-query": "mag-svejsning"})
    assert "<h1>Praktiske forhold</h1>" in page
    answers = saved_answers(client_loaded)
    assert answers["occupations"] == [{"code": "lagermedarbejder", "years": 3.0}]
    assert answers["skills"] == ["mag_svejsning"]


def test_adding_opens_the_page_where_the_person_was(client_loaded: FlaskClient) -> None:
    give(client_loaded, ANSWERS_AFTER_EDUCATION)
    response = client_loaded.post("/start", data={
        "step": "experience", "action": "add:skill", "skill-pick": "lagerstyring"})
    assert response.headers["Location"] == "/start/erfaring#skill-heading"
    response = client_loaded.post("/start", data={
        "step": "experience", "action": "remove:skill=lagerstyring"})
    assert response.headers["Location"] == "/start/erfaring#skill-heading"


def test_a_course_page_starts_the_journey_with_its_jobs_asked_about(
        client_loaded: FlaskClient) -> None:
    course = client_loaded.get("/kurser/c_truck").get_data(as_text=True)
    assert 'action="/start/kursus/c_truck"' in course
    response = client_loaded.post("/start/kursus/c_truck")
    assert response.status_code == 303 and response.headers["Location"] == "/start"
    assert saved_answers(client_loaded)["interests"] == ["lagermedarbejder"]
    client_loaded.post("/start/kursus/c_truck")  # twice: asked once
    assert saved_answers(client_loaded)["interests"] == ["lagermedarbejder"]
    page = walk_to_results(client_loaded, fresh=False)
    assert 'id="asked"' in page
    assert "Lagermedarbejder" in page.split('id="asked"')[1][:3000]


def test_an_unknown_course_starts_nothing(client_loaded: FlaskClient) -> None:
    assert client_loaded.post("/start/kursus/no_such_course").status_code == 404
    assert saved_answers(client_loaded) == {}
