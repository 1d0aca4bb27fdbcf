"""No citizen input causes a server error (issue 10): fixed findings, then a hypothesis fuzz.

Every citizen form (the four steps with their search boxes and picks, the results page's
filters, marks and actions) and the carried answers (the encrypted cookie that travels with
every step: the site only writes checked answers into it, but reads it back as carefully as a
form, should its key ever leak) are posted with hostile values: NaN, Infinity and 1e400 in the answers, digits
that str.isdigit() accepts but int() does not ("²"), lone surrogates and NUL bytes, nested
JSON. Every answer must be below 500 and be either a step (with its error summary when
something was refused), the results page or "Mine muligheder", after the redirect.

Bodies are encoded here, not by the test client: a lone surrogate cannot be sent as UTF-8,
so it goes as the bytes a browser-less client would send (b"\\xed\\xa0\\x80"), and inside
the answers as the JSON escape "\\ud800", which Python's json reads back as a surrogate.

FUZZ_EXAMPLES sets the number of examples per form (CI runs 500; the default keeps a local
run short).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import DataError
from werkzeug.test import TestResponse

from tests.web.journey_cookie import give, saved_answers
from tests.web.test_journey import summary

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

# A whole journey's answers on the mini catalogue (what the limits step carries to results).
GOOD = {"age": 34, "benefit": "dagpenge", "education_level": "gymnasial",
        "education_outdated": False, "has_eud": False, "status": "unemployed",
        "unemployed_weeks": 8, "occupations": [{"code": "lastbilchauffoer", "years": 6.0}],
        "skills": ["koerekort_c", "lagerstyring"], "postcode": "7400", "max_distance_km": 50,
        "schedule": ["day", "evening"], "start_within_weeks": 26}
ANSWER_KEYS = ("status", "benefit", "unemployed_weeks", "age", "education_level", "has_eud",
               "education_outdated", "educations", "occupations", "skills", "completed_courses",
               "interests", "postcode", "max_distance_km", "schedule", "max_course_days",
               "start_within_weeks")
STEP_HEADINGS = ("<h1>Din situation</h1>", "<h1>Din uddannelse</h1>", "<h1>Din erfaring</h1>",
                 "<h1>Praktiske forhold</h1>")
ODD_DIGITS = ("²", "٣", "５", "𝟑", "Ⅳ", "½", "٣٤", "3²")
NASTY = (*ODD_DIGITS, "\ud800", "\udfff", "a\ud800b", "\x00", "34\x00", "\x00\x00", "",
         " ", "-1", "-0", "+5", "1e400", "NaN", "Infinity", "9" * 40, "0x1F", " 34 ", "34.0",
         "<script>alert(1)</script>", "' OR 1=1 --", "%00", "\r\n", "ø" * 120, "a" * 300)
NUMBER_TOKENS = ("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "1" + "0" * 400,
                 "-0", "0.5", "34", "1e308", "-1e308", "123456789012345678901234567890")


# Strategies are built once: building them per draw costs more than the request itself.
WITH_SURROGATES = st.text(st.characters(exclude_categories=()), max_size=12)
TEXT_VALUES = st.one_of(  # anything a hostile client can type into a field
    st.sampled_from(NASTY), st.text(max_size=30), WITH_SURROGATES,
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.sampled_from(NASTY),
              WITH_SURROGATES),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(
        st.one_of(st.sampled_from(("code", "years")), st.text(max_size=5)), inner, max_size=4)),
    max_leaves=12)


def field(*valid: str) -> st.SearchStrategy[str]:
    """A field's honest values, mixed with hostile ones."""
    return st.one_of(st.sampled_from(valid), TEXT_VALUES) if valid else TEXT_VALUES


def many(*valid: str) -> st.SearchStrategy[list[str]]:
    return st.lists(field(*valid), max_size=4)


RAW_TEXT = field('{"age":', "[]", "null", '"x"', "{" * 600, "[" * 3000)


@st.composite
def answers_text(draw: st.DrawFn) -> str:
    """The hidden answers field: honest answers with some values replaced, or anything."""
    kind = draw(st.sampled_from(("tampered", "tampered", "raw_number", "anything", "text")))
    if kind == "text":
        return draw(RAW_TEXT)
    if kind == "anything":
        return json.dumps(draw(JSON_VALUES))
    answers: dict[str, Any] = dict(GOOD) if draw(st.booleans()) else {}
    for key in draw(st.lists(st.sampled_from(ANSWER_KEYS), max_size=4)):
        answers[key] = draw(JSON_VALUES)
    if draw(st.booleans()):
        answers[draw(st.text(max_size=8))] = draw(JSON_VALUES)
    text = json.dumps(answers)  # NaN and Infinity come out as NaN and Infinity
    if kind == "raw_number":  # a number no json.dumps writes: 1e400, 400 digits, ...
        key = draw(st.sampled_from(ANSWER_KEYS))
        token = draw(st.sampled_from(NUMBER_TOKENS))
        value = (f'[{{"code":"lastbilchauffoer","years":{token}}}]' if key == "occupations"
                 else f"[{token}]" if key in ("skills", "schedule") else token)
        text = text[:-1] + ("," if len(text) > 2 else "") + f'"{key}":{value}}}'
    return text


def send(client: FlaskClient, path: str, fields: dict[str, Any]) -> TestResponse:
    """POST fields form-encoded as bytes; a lone surrogate goes as its raw (invalid) bytes."""
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(quote(name.encode("utf-8", "surrogatepass"))
                         + "=" + quote(str(item).encode("utf-8", "surrogatepass")))
    return client.post(path, data="&".join(pairs),
                       content_type="application/x-www-form-urlencoded")


def carried(client: FlaskClient) -> dict[str, Any]:
    """The answers the browser carries, which must be strict JSON: no NaN, no Infinity."""
    answers = saved_answers(client)
    json.dumps(answers, allow_nan=False)
    return answers


def post(client: FlaskClient, path: str, fields: dict[str, Any]) -> TestResponse:
    """Send the form with the "answers" entry, if any, as the cookie; follow the redirect."""
    fields = dict(fields)
    if "answers" in fields:
        give(client, fields.pop("answers"))
    response = send(client, path, fields)
    assert response.status_code < 500, response.status_code
    for _hop in range(3):  # the results without answers lead on to the first step
        if response.status_code != 303:
            break
        response = client.get(response.headers["Location"].partition("#")[0])
    return response


def check(response: TestResponse) -> str:
    """Below 500, and a step (with its summary if refused), the results or the plan."""
    assert response.status_code < 500, response.status_code
    if response.status_code != 200:
        assert response.status_code in (400, 413), response.status_code
        return ""
    if response.mimetype == "application/pdf":
        return ""
    page = response.get_data(as_text=True)
    if "<h1>Mine muligheder</h1>" in page:
        return page
    assert any(h in page for h in STEP_HEADINGS) or "<h1>Dine muligheder</h1>" in page, page[:300]
    return page


def fuzz(client: FlaskClient, path: str, strategy: st.SearchStrategy[dict[str, Any]]) -> None:
    @SETTINGS
    @given(strategy)
    def run(fields: dict[str, Any]) -> None:
        check(post(client, path, fields))
        carried(client)

    run()


def step_form(step: str, actions: tuple[str, ...], **fields: st.SearchStrategy[Any]
              ) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"step": field(step), "answers": answers_text(),
                                  "action": field(*actions)}, optional=fields)


def picks(what: str, *codes: str) -> tuple[tuple[str, ...], dict[str, st.SearchStrategy[Any]]]:
    actions = (f"search:{what}", f"add:{what}", *(f"remove:{what}={c}" for c in codes))
    fields = {f"{what}-query": field("lager", "chauffør", "svejs", "truck"),
              f"{what}-pick": many(*codes)}
    return actions, fields


FORMS: dict[str, Callable[[], st.SearchStrategy[dict[str, Any]]]] = {}


def form(name: str) -> Callable[[Callable[[], st.SearchStrategy[dict[str, Any]]]],
                                Callable[[], st.SearchStrategy[dict[str, Any]]]]:
    def register(strategy: Callable[[], st.SearchStrategy[dict[str, Any]]]
                 ) -> Callable[[], st.SearchStrategy[dict[str, Any]]]:
        FORMS[name] = strategy
        return strategy
    return register


@form("situation")
def situation() -> st.SearchStrategy[dict[str, Any]]:
    return step_form("situation", ("next", "back"),
                     status=field("unemployed", "employed", "fleksjob_unemployed"),
                     benefit=field("dagpenge", "none", "ledighedsydelse"),
                     unemployed_weeks=field("0", "8", "1040", "1041"),
                     age=field("15", "34", "80", "81"))


@form("education")
def education() -> st.SearchStrategy[dict[str, Any]]:
    actions, fields = picks("education", "eud_smed", "eud_lager")
    return step_form("education", ("next", "back", *actions),
                     education_level=field("grundskole", "gymnasial", "eud"),
                     has_eud=field("y"), education_outdated=field("y"),
                     certificates=many("koerekort_c", "koerekort_b"), **fields)


@form("experience")
def experience() -> st.SearchStrategy[dict[str, Any]]:
    actions: tuple[str, ...] = ("next", "back")
    fields: dict[str, st.SearchStrategy[Any]] = {"years": field("0.5", "1", "2", "5")}
    for what, codes in (("job", ("lastbilchauffoer", "svejser")),
                        ("skill", ("lagerstyring", "svejsning")),
                        ("course", ("c_truck", "c_svejs"))):
        more_actions, more_fields = picks(what, *codes)
        actions, fields = (*actions, *more_actions), {**fields, **more_fields}
    return step_form("experience", actions, **fields)


@form("limits")
def limits() -> st.SearchStrategy[dict[str, Any]]:
    actions, fields = picks("interest", "lagermedarbejder", "svejser")
    return step_form("limits", ("next", "back", *actions),
                     postcode=field("7400", "8000", "0000"),
                     max_distance_km=field("10", "50", "200"),
                     schedule=many("day", "evening", "weekend", "self_paced"),
                     max_course_days=field("", "5", "90"),
                     start_within_weeks=field("4", "26", "52"), **fields)


@form("results")
def results() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"answers": answers_text()}, optional={
        "action": field("update", "back", "print", "pdf"),
        "max_distance_km": field("10", "50", "200"),
        "schedule": many("day", "evening", "weekend", "self_paced"),
        "max_course_days": field("", "5", "90"), "only_funded": field("y"),
        "mark": many("course:c_truck", "path:lagermedarbejder",
                     "route:lagermedarbejder:c_truck")})


@pytest.mark.parametrize("name", list(FORMS))
def test_no_citizen_form_input_is_a_server_error(client_loaded: FlaskClient, name: str) -> None:
    path = "/resultater" if name == "results" else "/start"
    fuzz(client_loaded, path, FORMS[name]())


@pytest.mark.parametrize("path", ["/start", "/resultater"])
def test_no_carried_answers_are_a_server_error(client_loaded: FlaskClient, path: str) -> None:
    """The answers alone, on every step with every action, and on the results page."""
    fuzz(client_loaded, path, st.fixed_dictionaries({
        "answers": answers_text(),
        "step": st.sampled_from(("situation", "education", "experience", "limits")),
        "action": st.sampled_from(("next", "back", "update", "print"))}))


# --- the findings of the review, one by one --------------------------------------------------

def _merged(extra: str) -> str:
    """GOOD with one more key written as raw JSON text (json.dumps cannot write 1e400)."""
    return json.dumps(GOOD)[:-1] + ", " + extra + "}"


@pytest.mark.parametrize("raw", [
    '"max_distance_km": NaN', '"max_distance_km": Infinity', '"max_distance_km": -Infinity',
    '"max_distance_km": 1e400', '"age": NaN', '"age": 1e400',
    '"occupations": [{"code": "lastbilchauffoer", "years": NaN}]',
    '"occupations": [{"code": "lastbilchauffoer", "years": 1e400}]'])
def test_nan_and_infinity_in_the_answers_are_dropped(client_loaded: FlaskClient, raw: str) -> None:
    name = raw.split('"')[1]
    for where in ("situation", "experience", "limits", "results"):
        path = "/resultater" if where == "results" else "/start"
        response = post(client_loaded, path, {"step": where, "answers": _merged(raw)})
        assert response.status_code == 200, where
        check(response)
        answers = carried(client_loaded)
        if name == "occupations":
            assert answers.get("occupations", []) == [], where
        elif name == "age":  # required: the journey asks for it again, on its own field
            assert "age" not in answers, where
        else:
            assert answers.get(name, 50) == 50, where  # the default distance


def test_a_results_page_with_infinite_distance_uses_the_default(client_loaded: FlaskClient
                                                                 ) -> None:
    response = post(client_loaded, "/resultater",
                    {"answers": _merged('"max_distance_km": 1e400'), "action": "update"})
    page = check(response)
    assert "<h1>Dine muligheder</h1>" in page
    assert "max_distance_km" not in carried(client_loaded)


@pytest.mark.parametrize("raw", ['"postcode": "\\ud800"', '"skills": ["\\ud800", "lagerstyring"]',
                                 '"status": "unemployed\\udfff"', '"postcode": "74\\u0000"',
                                 '"occupations": [{"code": "\\ud800x", "years": 1}]'])
def test_lone_surrogates_and_nul_in_the_answers_are_dropped(client_loaded: FlaskClient,
                                                            raw: str) -> None:
    for path in ("/start", "/resultater"):
        response = post(client_loaded, path, {"step": "limits", "answers": _merged(raw)})
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert "\\ud800" not in page and "\ud800" not in page and "\x00" not in page, path
        answers = carried(client_loaded)
        assert answers.get("skills", ["lagerstyring"])[-1] == "lagerstyring", path
        assert "\\ud800" not in json.dumps(answers), path


@pytest.mark.parametrize("name", ["age", "unemployed_weeks"])
def test_digits_int_refuses_or_misreads_get_the_fields_message(client_loaded: FlaskClient,
                                                                name: str) -> None:
    for digit in ODD_DIGITS:
        fields = {"step": "situation", "status": "unemployed", "age": "34",
                  "unemployed_weeks": "8", name: digit}
        response = post(client_loaded, "/start", fields)
        assert response.status_code == 200, digit
        assert (name, "Skriv et helt tal, fx 34.") in summary(response.get_data(as_text=True)), \
            digit


@pytest.mark.parametrize("name", ["max_distance_km", "max_course_days", "start_within_weeks"])
def test_odd_digits_in_the_limits_and_filters_are_refused(client_loaded: FlaskClient,
                                                          name: str) -> None:
    for digit in ODD_DIGITS:
        limits = {"step": "limits", "answers": json.dumps(GOOD), "postcode": "7400",
                  "schedule": "day", "max_distance_km": "50", "start_within_weeks": "26",
                  name: digit}
        page = check(post(client_loaded, "/start", limits))
        assert "<h1>Praktiske forhold</h1>" in page and summary(page)[0][0] == name, digit
        filtered = check(post(client_loaded, "/resultater", {"answers": json.dumps(GOOD),
                                                             name: digit}))
        assert "<h1>Dine muligheder</h1>" in filtered, digit
        assert carried(client_loaded).get(name) == GOOD.get(name), digit  # filter ignored


def test_a_value_the_database_refuses_is_a_400_not_database_unavailable(
        app_loaded: Flask, client_loaded: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL refuses text with a NUL byte (psycopg DataError): bad input, not an outage."""
    from matcher.web import citizen

    def refuse(*args: object, **kwargs: object) -> None:
        raise DataError("SELECT ...", {}, ValueError("text cannot contain NUL (0x00) bytes"))

    monkeypatch.setattr(citizen, "data_overview", refuse)
    response = client_loaded.get("/om-data")
    assert response.status_code == 400
    assert "Retry-After" not in response.headers


def test_a_nul_byte_in_the_login_email_is_refused_not_a_503(client_loaded: FlaskClient) -> None:
    """On PostgreSQL (CI) the e-mail reaches a query; on SQLite the login simply fails."""
    response = send(client_loaded, "/log-ind", {"email": "a\x00@example.dk",
                                                "password": "not the password"})
    assert response.status_code in (200, 400)
