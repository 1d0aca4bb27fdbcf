"""Schemathesis over /api/v1/openapi.json, in process against the WSGI app and mini catalogue.

Each operation's schemathesis strategy (schema[path][method].as_strategy(), the documented
Python API) feeds a bounded Hypothesis run, in positive and negative mode. We do not use
`schemathesis.pytest.from_fixture`: in schemathesis 4.32.5 it reads `Item._nodeid`, which
pytest 9 no longer has. FUZZ_EXAMPLES sets the examples per run (as for the citizen forms).
"""

from __future__ import annotations

import csv
import os
from typing import Any, cast

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskCliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks
from schemathesis.specs.openapi.definitions import OPENAPI_31

from tests.conftest import MINI_CATALOG

# A schema-valid profile may still name codes the catalogue lacks (400 by design), so
# positive_data_acceptance is left out; every other answer must be exactly as declared,
# and anything the document forbids must be refused.
CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])
RUNS = [  # the document has no parameters, so it has no negative cases
    ("/match", "POST", GenerationMode.POSITIVE),
    ("/match", "POST", GenerationMode.NEGATIVE),
    ("/suggest", "GET", GenerationMode.POSITIVE),
    ("/suggest", "GET", GenerationMode.NEGATIVE),
    ("/courses", "GET", GenerationMode.POSITIVE),
    ("/courses", "GET", GenerationMode.NEGATIVE),
    ("/openapi.json", "GET", GenerationMode.POSITIVE),
]


@pytest.fixture
def api_schema(app: Flask, runner: FlaskCliRunner) -> schemathesis.BaseSchema:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    app.config["TODAY"] = "2026-12-01"
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize(("path", "method", "mode"), RUNS,
                         ids=[f"{method} {path} {mode.value}" for path, method, mode in RUNS])
def test_api_conforms_to_its_document(api_schema: schemathesis.BaseSchema, path: str,
                                      method: str, mode: GenerationMode) -> None:
    calls = []

    @SETTINGS
    @given(case=api_schema[path][method].as_strategy(generation_mode=mode))
    def exchange(case: schemathesis.Case) -> None:
        calls.append(case.call_and_validate(checks=CHECKS).status_code)

    exchange()
    assert calls  # the run really sent requests
    assert set(calls) <= {200, 400}


def _column(file: str, name: str) -> list[str]:
    with (MINI_CATALOG / file).open(encoding="utf-8") as handle:
        return sorted({row[name] for row in csv.DictReader(handle)})


def test_every_schema_valid_profile_with_known_codes_is_matched(
        api_schema: schemathesis.BaseSchema) -> None:
    """Codes drawn from the catalogue turn generated profiles valid: all must answer 200."""
    known: dict[str, list[Any]] = {
        "education_level": _column("education_levels.csv", "code"),
        "kommunekode": [int(code) for code in _column("municipalities.csv", "kommunekode")],
        "postcode": _column("postcodes.csv", "postcode"),
        "occupations": _column("occupations.csv", "code"),
        "skills": _column("skills.csv", "code"),
        "completed_courses": _column("courses.csv", "code"),
        "interests": _column("occupations.csv", "code"),
    }
    statuses = []

    @SETTINGS
    @given(case=api_schema["/match"]["POST"].as_strategy(), data=st.data())
    def exchange(case: schemathesis.Case, data: st.DataObject) -> None:
        assert isinstance(case.body, dict)
        profile = cast(dict[str, Any], case.body)

        def pick(key: str) -> Any:
            return data.draw(st.sampled_from(known[key]))

        profile["education_level"] = pick("education_level")
        for key in ("kommunekode", "postcode"):
            if profile.get(key) is not None:
                profile[key] = pick(key)
        for key in ("skills", "completed_courses", "interests"):
            if profile.get(key) is not None:
                profile[key] = [pick(key) for _ in profile[key]]
        for job in profile.get("occupations") or ():
            job["code"] = pick("occupations")
        # Rules a JSON schema cannot state: no more weeks out of work than weeks since 15, and
        # no named education (the mini catalogue has none).
        if profile.get("unemployed_weeks") is not None:
            profile["unemployed_weeks"] = min(profile["unemployed_weeks"],
                                              52 * (profile["age"] - 15))
        if profile.get("educations") is not None:
            profile["educations"] = []
        response = case.call_and_validate(checks=[*CHECKS, checks.positive_data_acceptance])
        statuses.append(response.status_code)

    exchange()
    assert set(statuses) == {200}


def test_the_document_is_valid_openapi_3_1(app: Flask) -> None:
    document: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").get_json()
    errors = [error.message for error in Draft202012Validator(OPENAPI_31).iter_errors(document)]
    assert not errors
