"""The JSON API: every real answer is checked against the OpenAPI document it serves."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flask import Flask, Request
from flask.testing import FlaskClient, FlaskCliRunner
from jsonschema import Draft202012Validator
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from matcher import create_app
from matcher.engine.fields import PROFILE_FIELDS, Field
from matcher.engine.model import BENEFITS, FUNDING_SCHEMES, SCHEDULES, STATUSES
from matcher.engine.profile import KNOWN
from matcher.web import api
from matcher.web.openapi import DOCUMENT
from matcher.web.query_params import COURSE_PARAMS, LANG, MATCH_PARAMS, SUGGEST_PARAMS
from tests.conftest import MINI_CATALOG

TODAY = "2026-12-01"
PROFILE: dict[str, Any] = {
    "status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
    "education_level": "grundskole", "postcode": "7400",
    "occupations": [{"code": "lagermedarbejder", "years": 1}]}
# Gymnasial opens the academy module, so the answer has courses, near misses and a path; with
# no job held, it is the job asked about that the answer is built around (design.md §5a.2).
NEWCOMER: dict[str, Any] = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8,
                            "age": 34, "education_level": "gymnasial", "postcode": "7400",
                            "interests": ["lagermedarbejder"]}
MARKER = "zq-private-7f3a"  # a value that must never reach a log


@pytest.fixture
def loaded(app: Flask, runner: FlaskCliRunner) -> FlaskClient:
    """A client over the mini catalogue, with "today" fixed so sessions are in the future."""
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    app.config["TODAY"] = TODAY
    return app.test_client()


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.get_json()
    return document


# --- checking answers against the document ------------------------------------------------


def _closed(node: Any) -> Any:
    """The schema with every object closed, so an undocumented key in an answer fails."""
    if isinstance(node, dict):
        closed = {key: _closed(value) for key, value in node.items()}
        if "properties" in closed and "additionalProperties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(node, list):
        return [_closed(item) for item in node]
    return node


def validator(spec: dict[str, Any], schema: dict[str, Any], *,
              strict: bool = True) -> Draft202012Validator:
    """A Draft 2020-12 validator for schema, resolving $refs inside the document."""
    components = _closed(spec["components"]) if strict else spec["components"]
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": components, **schema}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def assert_conforms(spec: dict[str, Any], method: str, url: str,
                    response: TestResponse) -> dict[str, Any]:
    """The answer's status, content type, headers and body are the ones the document declares."""
    assert response.mimetype == "application/json", response.mimetype
    assert response.headers["Cache-Control"] == "no-store"
    body: dict[str, Any] = response.get_json()
    path = url.split("?")[0].removeprefix(spec["servers"][0]["url"])
    operation = spec["paths"].get(path, {}).get(method.lower())
    if operation is None:  # unknown address or method: the Error document
        declared: dict[str, Any] = {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}}
    else:
        assert str(response.status_code) in operation["responses"], response.status_code
        declared = _resolve(spec, operation["responses"][str(response.status_code)])
    schema = declared["content"]["application/json"]["schema"]
    errors = sorted(validator(spec, schema).iter_errors(body), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    for name, header in declared.get("headers", {}).items():
        header = _resolve(spec, header)
        if header.get("required"):
            assert name in response.headers, name
        if name in response.headers:
            assert validator(spec, header["schema"]).is_valid(response.headers[name]), name
    return body


def post_match(client: FlaskClient, profile: object, query: str = "") -> TestResponse:
    return client.post("/api/v1/match" + query, json=profile)


# --- the document -------------------------------------------------------------------------


def test_the_document_is_openapi_3_1_and_its_schemas_are_valid(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    assert {(path, method) for path, item in spec["paths"].items() for method in item} == {
        ("/match", "post"), ("/suggest", "get"), ("/courses", "get"), ("/openapi.json", "get")}
    for name, schema in spec["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        assert schema.get("description"), name


def test_every_example_in_the_document_fits_its_schema(spec: dict[str, Any]) -> None:
    checked = 0
    for item in spec["paths"].values():
        for operation in item.values():
            media = [operation["requestBody"]["content"]] if "requestBody" in operation else []
            media += [_resolve(spec, r).get("content", {}) for r in operation["responses"].values()]
            for content in media:
                for declared in content.values():
                    for example in declared.get("examples", {}).values():
                        valid = validator(spec, declared["schema"], strict=False)
                        assert valid.is_valid(example["value"]), example
                        checked += 1
    assert checked >= 8


def test_the_profile_schema_lists_every_field_the_validator_knows(spec: dict[str, Any]) -> None:
    profile = spec["components"]["schemas"]["Profile"]
    assert set(profile["properties"]) == set(KNOWN)
    assert profile["additionalProperties"] is False
    assert set(profile["required"]) == {"status", "age", "education_level"}
    props = profile["properties"]
    assert props["status"]["enum"] == list(STATUSES)
    assert props["benefit"]["enum"] == [*BENEFITS, None]
    assert props["schedule"]["items"]["enum"] == list(SCHEDULES)
    assert (props["age"]["minimum"], props["age"]["maximum"]) == (15, 80)
    funding = spec["components"]["schemas"]["Funding"]["properties"]
    assert funding["scheme"]["enum"] == list(FUNDING_SCHEMES)
    assert funding["eligible"]["enum"] == [True, False, "maybe"]


def test_the_document_describes_itself(spec: dict[str, Any], client: FlaskClient) -> None:
    assert_conforms(spec, "GET", "/api/v1/openapi.json", client.get("/api/v1/openapi.json"))


# --- match --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_match_answers_the_result_contract(loaded: FlaskClient, spec: dict[str, Any],
                                           lang: str) -> None:
    url = f"/api/v1/match?lang={lang}"
    body = assert_conforms(spec, "POST", url, post_match(loaded, NEWCOMER, f"?lang={lang}"))
    assert body["today"] == TODAY and body["area"] == "VESTJ"
    assert body["occupations"] and body["courses"] and body["near_misses"] and body["paths"]
    assert [step["course"] for step in body["paths"][0]["steps"]] == ["c_truck", "c_lager"]
    eligible = {f["eligible"] for c in body["courses"] for f in c["funding"]}
    assert eligible <= {True, False, "maybe"} and True in eligible and False in eligible
    title = body["courses"][0]["title"]
    assert title == ("Forklift licence B" if lang == "en" else "Truckcertifikat B")


def test_match_equals_the_match_command(loaded: FlaskClient, runner: FlaskCliRunner,
                                        tmp_path: Path) -> None:
    profile_file = tmp_path / "profile.json"
    profile_file.write_text(json.dumps(PROFILE), encoding="utf-8")
    command = runner.invoke(args=["match", str(profile_file), "--today", TODAY, "--limit", "3"])
    assert command.exit_code == 0, command.output
    assert post_match(loaded, PROFILE, "?limit=3").get_json() == json.loads(command.output)


def test_limit_bounds_every_list(loaded: FlaskClient, spec: dict[str, Any]) -> None:
    body = assert_conforms(spec, "POST", "/api/v1/match?limit=1",
                           post_match(loaded, NEWCOMER, "?limit=1"))
    assert len(body["occupations"]) == 1 and len(body["courses"]) <= 1


def test_null_means_left_out(loaded: FlaskClient) -> None:
    nulls = {**PROFILE, "benefit": None, "skills": None, "schedule": None, "max_distance_km": None}
    without = {k: v for k, v in nulls.items() if v is not None}
    assert post_match(loaded, nulls).get_json() == post_match(loaded, without).get_json()


def test_the_documented_request_examples_are_matched(loaded: FlaskClient,
                                                    spec: dict[str, Any]) -> None:
    examples = spec["paths"]["/match"]["post"]["requestBody"]["content"]["application/json"]
    for example in examples["examples"].values():
        response = post_match(loaded, example["value"])
        assert response.status_code == 200, response.get_json()
        assert_conforms(spec, "POST", "/api/v1/match", response)


def test_a_whole_number_may_be_written_with_a_decimal_point(loaded: FlaskClient) -> None:
    """JSON has one number type: 34.0 is 34 (the document says integer, and so it is)."""
    written = json.dumps(PROFILE).replace('"age": 34', '"age": 34.0')
    assert '"age": 34.0' in written
    response = loaded.post("/api/v1/match", data=written, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json() == post_match(loaded, PROFILE).get_json()


def test_a_catalogue_is_needed(client: FlaskClient, spec: dict[str, Any]) -> None:
    for method, url, response in [
            ("POST", "/api/v1/match", post_match(client, PROFILE)),
            ("GET", "/api/v1/suggest?q=lager", client.get("/api/v1/suggest?q=lager"))]:
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "60"
        body = assert_conforms(spec, method, url, response)
        assert "kursuskatalog" in body["errors"][0]["message"]


# --- malformed requests -------------------------------------------------------------------

HUGE = "x" * 100_000
MALFORMED: list[tuple[str, str, dict[str, Any], int, list[str]]] = [
    # (id, query string, test-client arguments, status, fields with errors)
    ("not-json", "", {"data": "{not json", "content_type": "application/json"}, 400, [""]),
    ("text-plain", "", {"data": json.dumps(PROFILE), "content_type": "text/plain"}, 400, [""]),
    ("form-encoded", "", {"data": {"status": "unemployed"}}, 400, [""]),
    ("no-body", "", {}, 400, [""]),
    ("json-array", "", {"json": [PROFILE]}, 400, [""]),
    ("json-null", "", {"data": "null", "content_type": "application/json"}, 400, [""]),
    ("nan", "", {"data": '{"status": "unemployed", "age": NaN, "education_level": "eud"}',
                 "content_type": "application/json"}, 400, [""]),
    ("nested-too-deep", "", {"data": "[" * 200_000, "content_type": "application/json"}, 400,
     [""]),
    ("empty-object", "", {"json": {}}, 400, ["status", "age", "education_level"]),
    ("missing-age", "", {"json": {k: v for k, v in PROFILE.items() if k != "age"}}, 400, ["age"]),
    ("null-required", "", {"json": {**PROFILE, "status": None}}, 400, ["status"]),
    ("wrong-types", "", {"json": {**PROFILE, "age": "34", "has_eud": "yes", "skills": "truck",
                                  "max_distance_km": True}},
     400, ["age", "has_eud", "skills", "max_distance_km"]),
    ("float-age", "", {"json": {**PROFILE, "age": 34.5}}, 400, ["age"]),
    ("out-of-range", "", {"json": {**PROFILE, "age": 14, "unemployed_weeks": -1,
                                   "max_distance_km": 1000.5, "start_within_weeks": 0,
                                   "max_course_days": 2001, "kommunekode": 1000}},
     400, ["age", "unemployed_weeks", "max_distance_km", "start_within_weeks", "max_course_days",
           "kommunekode"]),
    ("unknown-fields", "", {"json": {**PROFILE, "cpr": "010203-1234", "name": "Jens"}}, 400,
     ["cpr", "name"]),
    ("unknown-codes", "", {"json": {**PROFILE, "education_level": "phd2", "skills": ["svejs"],
                                    "occupations": [{"code": "astronaut"}], "postcode": "9999",
                                    "kommunekode": 999, "interests": ["pilot"],
                                    "completed_courses": ["c_none"]}},
     400, ["education_level", "kommunekode", "postcode", "occupations[0].code", "skills[0]",
           "completed_courses[0]", "interests[0]"]),
    ("past-job-shapes", "", {"json": {**PROFILE, "occupations": [
        {"code": "svejser", "years": 61}, "svejser", {"code": "svejser", "employer": "X"}]}},
     400, ["occupations[0].years", "occupations[1]", "occupations[2]"]),
    ("schedule", "", {"json": {**PROFILE, "schedule": ["day", "night"]}}, 400, ["schedule[1]"]),
    ("empty-schedule", "", {"json": {**PROFILE, "schedule": []}}, 400, ["schedule"]),
    ("postcode-shape", "", {"json": {**PROFILE, "postcode": "74OO"}}, 400, ["postcode"]),
    ("script-injection", "", {"json": {**PROFILE, "status": "<img src=x onerror=alert(1)>",
                                       "skills": ["<script>alert(1)</script>"]}},
     400, ["status", "skills[0]"]),
    ("absurdly-long", "", {"json": {**PROFILE, "education_level": HUGE, "skills": [HUGE]}}, 400,
     ["education_level", "skills[0]"]),
    ("too-many-skills", "", {"json": {**PROFILE, "skills": ["lagerstyring"] * 201}}, 400,
     ["skills"]),
    ("limit-zero", "?limit=0", {"json": PROFILE}, 400, ["limit"]),
    ("limit-too-high", "?limit=51", {"json": PROFILE}, 400, ["limit"]),
    ("limit-not-a-number", "?limit=ten", {"json": PROFILE}, 400, ["limit"]),
    ("limit-full-width-digit", "?limit=%EF%BC%95", {"json": PROFILE}, 400, ["limit"]),
    ("lang", "?lang=de", {"json": PROFILE}, 400, ["lang"]),
    ("too-large", "", {"data": " " * (3 * 1024 * 1024), "content_type": "application/json"},
     413, [""]),
]


@pytest.mark.parametrize(("query", "request_args", "status", "fields"),
                         [pytest.param(*case[1:], id=case[0]) for case in MALFORMED])
def test_malformed_match_requests(loaded: FlaskClient, spec: dict[str, Any], query: str,
                                  request_args: dict[str, Any], status: int,
                                  fields: list[str]) -> None:
    response = loaded.post("/api/v1/match" + query, **request_args)
    assert response.status_code == status
    body = assert_conforms(spec, "POST", "/api/v1/match" + query, response)
    found = [error["field"] for error in body["errors"]]
    assert sorted(found) == sorted(fields)
    assert len(found) == len(set(found))  # one error per field
    for error in body["errors"]:
        assert error["message"] == error["message_da"] and len(error["message"]) < 300
    assert "Traceback" not in response.get_data(as_text=True)


SUGGEST_MALFORMED: list[tuple[str, str, list[str]]] = [
    ("no-q", "", ["q"]),
    ("empty-q", "?q=", ["q"]),
    ("long-q", "?q=" + "a" * 101, ["q"]),
    ("kind-course", "?q=lager&kind=course", ["kind"]),
    ("kind-empty", "?q=lager&kind=", ["kind"]),
    ("limit-26", "?q=lager&limit=26", ["limit"]),
    ("limit-negative", "?q=lager&limit=-1", ["limit"]),
    ("lang", "?q=lager&lang=sv", ["lang"]),
]


@pytest.mark.parametrize(("query", "fields"),
                         [pytest.param(*case[1:], id=case[0]) for case in SUGGEST_MALFORMED])
def test_malformed_suggest_requests(loaded: FlaskClient, spec: dict[str, Any], query: str,
                                    fields: list[str]) -> None:
    response = loaded.get("/api/v1/suggest" + query)
    assert response.status_code == 400
    body = assert_conforms(spec, "GET", "/api/v1/suggest" + query, response)
    assert [error["field"] for error in body["errors"]] == fields


def test_error_messages_follow_lang(loaded: FlaskClient) -> None:
    body = post_match(loaded, {**PROFILE, "age": 90}, "?lang=en").get_json()
    assert body["errors"] == [{"field": "age", "message": "must be between 15 and 80",
                               "message_da": "skal være mellem 15 og 80",
                               "message_en": "must be between 15 and 80"}]


def test_echoed_field_names_and_error_lists_are_bounded(loaded: FlaskClient) -> None:
    many = {**PROFILE, **{f"k{n}": 1 for n in range(500)}, "y" * 5000: 1}
    body = post_match(loaded, many).get_json()
    assert len(body["errors"]) == api.MAX_ERRORS
    body = post_match(loaded, {**PROFILE, "y" * 5000: 1}).get_json()
    assert [len(error["field"]) for error in body["errors"]] == [api.MAX_FIELD_NAME]


# --- suggest ------------------------------------------------------------------------------


def test_suggest_answers_labelled_matches(loaded: FlaskClient, spec: dict[str, Any]) -> None:
    url = "/api/v1/suggest?q=lager&limit=5"
    body = assert_conforms(spec, "GET", url, loaded.get(url))
    assert body["query"] == "lager"
    assert {(r["kind"], r["code"]) for r in body["results"]} >= {
        ("skill", "lagerstyring"), ("occupation", "lagermedarbejder")}
    assert all(r["label"] == r["label_da"] for r in body["results"])


def test_suggest_finds_educations_by_alias(app: Flask, runner: FlaskCliRunner, tmp_path: Path,
                                           spec: dict[str, Any]) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(MINI_CATALOG, folder)
    (folder / "educations.csv").write_text(
        "code,title_da,level,title_en,aliases_da\n"
        "edu_smed,Smed,eud,Smith,smedeuddannelsen|smedesvend\n", encoding="utf-8")
    assert runner.invoke(args=["catalog", "load", str(folder)]).exit_code == 0
    url = "/api/v1/suggest?q=smedeudannelsen&kind=education&limit=3"  # a letter missing
    body = assert_conforms(spec, "GET", url, app.test_client().get(url))
    assert [(r["kind"], r["code"]) for r in body["results"]] == [("education", "edu_smed")]


def test_suggest_by_kind_in_english_tolerates_typos(loaded: FlaskClient,
                                                    spec: dict[str, Any]) -> None:
    url = "/api/v1/suggest?q=svejsnig&kind=skill&lang=en&limit=1"
    body = assert_conforms(spec, "GET", url, loaded.get(url))
    assert [(r["kind"], r["code"], r["label"]) for r in body["results"]] == [
        ("skill", "mag_svejsning", "MAG welding")]


# --- errors outside the views -------------------------------------------------------------


@pytest.mark.parametrize(("method", "url", "status"), [
    ("GET", "/api/v1/nowhere", 404),
    ("POST", "/api/v1/nowhere", 404),
    ("GET", "/api/v1", 404),
    ("GET", "/api/v1/match", 405),
    ("DELETE", "/api/v1/suggest?q=x", 405),
    ("POST", "/api/v1/openapi.json", 405),
])
def test_unknown_addresses_and_methods_answer_json(client: FlaskClient, spec: dict[str, Any],
                                                   method: str, url: str, status: int) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    assert_conforms(spec, method, url, response)
    if status == 405:
        assert "Allow" in response.headers


def test_html_errors_stay_html_outside_the_api(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_unexpected_error_is_json_with_a_reference_and_no_trace(
        loaded: FlaskClient, spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(api, "match_profile", broken)
    with caplog.at_level(logging.DEBUG):
        response = post_match(loaded, {**PROFILE, "skills": ["lagerstyring"]})
    assert response.status_code == 500
    body = assert_conforms(spec, "POST", "/api/v1/match", response)
    assert body["reference"] in body["errors"][0]["message"]
    assert "engine exploded" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert body["reference"] in caplog.text  # the operator can find it


def test_database_outage_is_json_503(loaded: FlaskClient, spec: dict[str, Any],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def down() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(api, "current_index", down)
    response = post_match(loaded, PROFILE)
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "reference" in assert_conforms(spec, "POST", "/api/v1/match", response)


# --- privacy and CSRF ---------------------------------------------------------------------


def test_the_body_is_never_logged(loaded: FlaskClient, monkeypatch: pytest.MonkeyPatch,
                                  caplog: pytest.LogCaptureFixture) -> None:
    private = {**PROFILE, "skills": [MARKER]}
    with caplog.at_level(logging.DEBUG):
        assert post_match(loaded, PROFILE).status_code == 200
        assert post_match(loaded, private).status_code == 400
        assert loaded.post("/api/v1/match", data=json.dumps(private)[:-1],
                           content_type="application/json").status_code == 400

        def broken(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(api, "match_profile", broken)
        assert post_match(loaded, {**PROFILE, "benefit": "none", "age": 61}).status_code == 500
    assert caplog.records  # the 500 was logged ...
    assert MARKER not in caplog.text and "dagpenge" not in caplog.text  # ... without the body


@pytest.fixture
def csrf_app(database_url: str, app: Flask) -> Iterator[Flask]:
    """An app with CSRF protection on, as in production (the `app` fixture empties the tables)."""
    protected = create_app({"TESTING": True, "DATABASE_URL": database_url,
                            "SECRET_KEY": "test-secret", "TODAY": TODAY})
    assert protected.config["WTF_CSRF_ENABLED"] is not False
    yield protected
    protected.extensions["db_engine"].dispose()


def test_the_api_needs_no_csrf_token(csrf_app: Flask, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    client = csrf_app.test_client()
    assert client.post("/sprog", data={"lang": "en", "next": "/"}).status_code == 400  # CSRF on
    response = client.post("/api/v1/match", json=PROFILE)
    assert response.status_code == 200
    assert response.get_json()["today"] == TODAY


def test_answers_are_never_cached_nor_sniffed(loaded: FlaskClient) -> None:
    for response in (post_match(loaded, PROFILE), post_match(loaded, {}),
                     loaded.get("/api/v1/suggest?q=lager"), loaded.get("/api/v1/openapi.json"),
                     loaded.get("/api/v1/nowhere")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_served_document_is_the_module_constant(spec: dict[str, Any]) -> None:
    from matcher.web.openapi import DOCUMENT

    assert spec == json.loads(json.dumps(DOCUMENT))


# --- one declaration for the document and the validation (issue 11.4) ---------------------

DECLARED = {("/match", "post"): MATCH_PARAMS, ("/suggest", "get"): SUGGEST_PARAMS,
            ("/courses", "get"): COURSE_PARAMS, ("/openapi.json", "get"): ()}
# Parameters whose errors need another one to be valid first (the distance needs a postcode,
# the suggestions a query), and a profile every bound can be tried on.
CONTEXT = {"/courses": {"postcode": "7400"}, "/suggest": {"q": "lager"}, "/match": {}}
OPEN_PROFILE: dict[str, Any] = {"status": "employed", "age": 80, "education_level": "eud"}
_BOUNDS = {"minimum": "minimum", "maximum": "maximum", "enum": "enum", "pattern": "pattern",
           "minLength": "min_length", "maxLength": "max_length", "minItems": "min_items",
           "maxItems": "max_items", "default": "default"}


def _parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in (_resolve(DOCUMENT, p) for p in operation.get("parameters", []))}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, operation) for path, item in DOCUMENT["paths"].items()
            for method, operation in item.items()]


def _assert_declared(field: Field, schema: dict[str, Any]) -> None:
    """Every bound and choice the declaration holds, the document states, and no other."""
    assert schema["type"] in (field.type, [field.type, "null"]), field.name
    for keyword, attribute in _BOUNDS.items():
        declared = getattr(field, attribute)
        if isinstance(declared, tuple):
            declared = list(declared) or None
        stated = schema.get(keyword)
        if keyword == "enum" and isinstance(stated, list) and None in stated:
            stated = [value for value in stated if value is not None]  # "null: left out"
        assert stated == declared, (field.name, keyword)
    if field.items is not None:
        items = _resolve(DOCUMENT, schema["items"])
        _assert_declared(field.items, items)
    for key in field.fields:
        _assert_declared(key, schema["properties"][key.name])


@pytest.mark.parametrize(("path", "method"), list(DECLARED))
def test_the_document_states_every_declared_parameter_and_no_other(path: str,
                                                                    method: str) -> None:
    parameters = _parameters(DOCUMENT["paths"][path][method])
    declared = DECLARED[(path, method)]
    expected = {f.name for f in declared} | ({LANG.name} if declared else set())
    assert set(parameters) == expected
    for field in (*declared, LANG) if declared else ():
        assert parameters[field.name]["required"] is field.required, field.name
        assert parameters[field.name]["description"] == field.description
        _assert_declared(field, parameters[field.name]["schema"])


def test_the_profile_schema_states_every_declared_field() -> None:
    profile = DOCUMENT["components"]["schemas"]["Profile"]
    assert list(profile["properties"]) == [f.name for f in PROFILE_FIELDS]
    assert profile["required"] == [f.name for f in PROFILE_FIELDS if f.required]
    for field in PROFILE_FIELDS:
        _assert_declared(field, profile["properties"][field.name])


def _outside(schema: dict[str, Any]) -> list[Any]:
    """Values the schema forbids, one per bound or choice it states (typed as JSON)."""
    kind = schema["type"][0] if isinstance(schema["type"], list) else schema["type"]
    bad: list[Any] = []
    if kind in ("integer", "number"):
        bad.append("many")
        if "minimum" in schema:
            bad.append(schema["minimum"] - 1)
        if "maximum" in schema:
            bad.append(schema["maximum"] + 1)
        if "enum" in schema:
            bad.append(max(v for v in schema["enum"] if v is not None) + 1)
    elif kind == "boolean":
        bad.append("yes")
    elif kind == "string":
        bad.append(12)
        if "enum" in schema:
            bad.append("zz-not-a-choice")
        if "pattern" in schema:
            bad.append("x")
        if "maxLength" in schema:
            bad.append("a" * (schema["maxLength"] + 1))
        if schema.get("minLength", 0) > 0:
            bad.append("")
    elif kind == "array":
        bad.append("not-a-list")
        items = _resolve(DOCUMENT, schema["items"])
        bad += [[item] for item in _outside(items)[:2]]
        if "maxItems" in schema:
            bad.append([_inside(items)] * (schema["maxItems"] + 1))
        if schema.get("minItems", 0) > 0:
            bad.append([])
    elif kind == "object":
        bad += ["not-an-object", {**_inside(schema), "unknown-key": 1}]
        bad += [{**_inside(schema), name: value} for name, sub in schema["properties"].items()
                for value in _outside(sub)[1:]]
    return bad


def _inside(schema: dict[str, Any]) -> Any:
    """A value the schema allows (and the mini catalogue knows)."""
    kind = schema["type"][0] if isinstance(schema["type"], list) else schema["type"]
    if kind == "object":
        return {"code": "lagermedarbejder"}
    return {"string": "lagerstyring", "integer": 1, "number": 1}[kind]


def _query_cases() -> list[Any]:
    cases = []
    for path, method, operation in _operations():
        for name, parameter in _parameters(operation).items():
            schema = parameter["schema"]
            values = _outside(schema) if schema["type"] != "array" else [
                "zz-not-a-choice"]  # a list in a query is the parameter repeated
            for value in values:
                if not isinstance(value, str) and not isinstance(value, int):
                    continue
                if isinstance(value, int) and schema["type"] == "string":
                    continue  # every query value is text
                cases.append((path, method, name, str(value)))
    return cases


# One catalogue for all the cases of a test (loading it per case would take a minute).
def test_a_parameter_outside_its_documented_bounds_is_refused(loaded: FlaskClient) -> None:
    cases = _query_cases()
    assert len(cases) > 25
    for path, method, name, value in cases:
        url = "/api/v1" + path
        response = loaded.open(url, method=method, query_string={**CONTEXT[path], name: value},
                               **({"json": PROFILE} if method == "post" else {}))
        assert response.status_code == 400, (path, name, value)
        body = assert_conforms(DOCUMENT, method.upper(), url, response)
        assert name in {error["field"] for error in body["errors"]}, (path, name, value)


def _edge_cases() -> list[Any]:
    """Every documented choice and both ends of every documented range."""
    cases = []
    for path, method, operation in _operations():
        for name, parameter in _parameters(operation).items():
            schema = parameter["schema"]
            schema = schema.get("items", schema)
            values = [*schema.get("enum", []), *(schema[k] for k in ("minimum", "maximum")
                                                  if k in schema)]
            cases += [(path, method, name, str(value).lower()) for value in values]
    return cases


def test_every_documented_choice_and_bound_is_accepted(loaded: FlaskClient) -> None:
    cases = _edge_cases()
    assert len(cases) > 25
    for path, method, name, value in cases:
        response = loaded.open("/api/v1" + path, method=method,
                               query_string={**CONTEXT[path], name: value},
                               **({"json": PROFILE} if method == "post" else {}))
        assert response.status_code == 200, (path, name, value, response.get_json())


def _profile_cases() -> list[Any]:
    profile = DOCUMENT["components"]["schemas"]["Profile"]
    return [(name, value) for name, schema in profile["properties"].items()
            for value in _outside(schema)]


def test_a_profile_value_outside_its_documented_bounds_is_refused(loaded: FlaskClient) -> None:
    cases = _profile_cases()
    assert len(cases) > 40
    for name, value in cases:
        response = post_match(loaded, {**OPEN_PROFILE, name: value})
        assert response.status_code == 400, (name, value)
        body = assert_conforms(DOCUMENT, "POST", "/api/v1/match", response)
        fields = {error["field"] for error in body["errors"]}
        assert any(f == name or f.startswith((f"{name}[", f"{name}.")) for f in fields), (
            name, value, fields)


def _profile_edges() -> list[Any]:
    profile = DOCUMENT["components"]["schemas"]["Profile"]
    cases = []
    for name, schema in profile["properties"].items():
        if name == "kommunekode":
            continue  # a fact of the catalogue, not a bound: few codes in a range exist
        values = [schema[k] for k in ("minimum", "maximum") if k in schema]
        values += [v for v in schema.get("enum", []) if v is not None]
        items = _resolve(DOCUMENT, schema.get("items", {}))
        values += [[v] for v in items.get("enum", [])]
        if "years" in items.get("properties", {}):
            years = items["properties"]["years"]
            values += [[{"code": "lagermedarbejder", "years": years[k]}]
                       for k in ("minimum", "maximum")]
        cases += [(name, value) for value in values]
    return cases


def test_every_documented_profile_choice_and_bound_is_accepted(loaded: FlaskClient) -> None:
    cases = _profile_edges()
    assert len(cases) > 25
    for name, value in cases:
        extra = {"status": "fleksjob_unemployed"} if value == "ledighedsydelse" else {}
        response = post_match(loaded, {**OPEN_PROFILE, name: value, **extra})
        assert response.status_code == 200, (name, value, response.get_json())


class _ReadArgs(MultiDict[str, str]):
    """Query arguments that note every name a view reads."""

    read: ClassVar[set[str]] = set()

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default, type)

    def getlist(self, key: str, type: Any = None) -> Any:
        self.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)

    def lists(self) -> Any:
        self.read.update(self.keys())
        return super().lists()


class _ReadingRequest(Request):
    @property
    def args(self) -> MultiDict[str, str]:  # type: ignore[override]
        return _ReadArgs(super().args)


@pytest.mark.parametrize(("path", "method"), [key for key in DECLARED if DECLARED[key]])
def test_the_validation_reads_exactly_the_documented_parameters(
        app: Flask, loaded: FlaskClient, path: str, method: str) -> None:
    """A parameter read but not documented (or documented but never read) fails here."""
    parameters = _parameters(DOCUMENT["paths"][path][method])
    app.request_class = _ReadingRequest
    _ReadArgs.read = set()
    # Every one given a valid value, so that each is looked at (the first error ends a read).
    query = {name: _valid(name, p["schema"]) for name, p in parameters.items()}
    response = loaded.open("/api/v1" + path, method=method, query_string=query,
                           **({"json": PROFILE} if method == "post" else {}))
    assert response.status_code == 200, response.get_json()
    assert _ReadArgs.read == set(parameters)


def _valid(name: str, schema: dict[str, Any]) -> str:
    """A documented value of a parameter; free text where the catalogue decides."""
    schema = schema.get("items", schema)
    for keyword in ("enum", "default", "minimum"):
        if keyword in schema:
            value = schema[keyword][0] if keyword == "enum" else schema[keyword]
            return str(value).lower()
    return {"q": "lager", "postcode": "7400", "month": "2027-01",
            "education_level": "grundskole"}[name]


def test_every_rate_limited_operation_documents_its_429(app: Flask, loaded: FlaskClient) -> None:
    app.config.update({"API_RATE_LIMIT": "1 per minute", "SUGGEST_RATE_LIMIT": "1 per minute"})
    limited = set()
    for number, (path, method, operation) in enumerate(_operations()):
        query = {"q": "lager"} if path == "/suggest" else {}
        responses = [loaded.open("/api/v1" + path, method=method, query_string=query,
                                 environ_base={"REMOTE_ADDR": f"192.0.2.{100 + number}"},
                                 **({"json": PROFILE} if method == "post" else {}))
                     for _ in range(2)]
        assert responses[0].status_code == 200
        if responses[1].status_code == 429:
            limited.add(path)
            body = assert_conforms(DOCUMENT, method.upper(), "/api/v1" + path, responses[1])
            assert body["errors"][0]["message"].startswith("For mange forespørgsler")
        assert ("429" in operation["responses"]) == (path in limited), path
    assert limited == {"/match", "/suggest", "/courses"}
