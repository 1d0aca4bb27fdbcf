"""A provider's change reaches every instance's next match, without a restart (issue 12).

Two app instances on one database (PostgreSQL in CI, via TEST_DATABASE_URL): one saves
through the provider pages, the other answers a citizen's match with the new session.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask

from matcher import create_app
from tests.conftest import MINI_CATALOG, UNLIMITED
from tests.web.staff_helpers import login, make_user

TODAY = "2026-12-01"
PROFILE = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 40,
           "education_level": "grundskole", "postcode": "7400",
           "occupations": [{"code": "lagermedarbejder", "years": 3}], "start_within_weeks": 52}


@pytest.fixture
def instances(app: Flask) -> Iterator[tuple[Flask, Flask]]:
    """app (the test's, emptied afterwards) and a second instance on the same database."""
    app.config["TODAY"] = TODAY
    other = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"],
                        "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                        "TODAY": TODAY, **UNLIMITED})
    assert app.test_cli_runner().invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    yield app, other
    other.extensions["db_engine"].dispose()


def sessions_of(client: object, course: str) -> list[str]:
    body = client.post("/api/v1/match", json=PROFILE).get_json()  # type: ignore[attr-defined]
    return [c["session"]["start"] for c in body["courses"]
            if c["code"] == course and c["session"]]


def courses_of(client: object) -> set[str]:
    body = client.post("/api/v1/match", json=PROFILE).get_json()  # type: ignore[attr-defined]
    return {c["code"] for c in body["courses"]}


def test_a_new_session_and_an_archive_reach_the_other_instance(
        instances: tuple[Flask, Flask]) -> None:
    writer, reader = instances
    citizen = reader.test_client()
    before = courses_of(citizen)  # the reader has built its index
    assert "c_truck" in before
    start = date.fromisoformat(TODAY) + timedelta(days=200)

    provider = writer.test_client()
    login(provider, make_user(writer, "a@example.dk", "provider", provider="p_herning"))
    page = provider.get("/udbyder/kurser/c_truck").get_data(as_text=True)
    assert re.search("Truckcertifikat B", page)
    # Cancel every existing session of c_truck, then add one far ahead.
    for session_id in re.findall(r"/udbyder/kurser/c_truck/hold/(\d+)/aflys", page):
        assert provider.post(f"/udbyder/kurser/c_truck/hold/{session_id}/aflys").status_code == 303
    assert "c_truck" not in courses_of(citizen)  # nothing bookable left: gone at once
    answer = provider.post("/udbyder/kurser/c_truck/hold/nyt", data={
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=4)).isoformat(),
        "status": "open", "seats": "10"})
    assert answer.status_code == 303
    assert sessions_of(citizen, "c_truck") == [start.isoformat()]

    assert provider.post("/udbyder/kurser/c_truck/arkiver").status_code == 303
    assert "c_truck" not in courses_of(citizen)
