"""`flask match PROFILE.json`: the JSON contract, one-line errors, a fresh index on change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from matcher.data.catalog import load_catalog
from matcher.data.db import get_session
from matcher.data.matching import current_index
from tests.conftest import MINI_CATALOG

PROFILE = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
           "education_level": "grundskole", "postcode": "7400",
           "occupations": [{"code": "lagermedarbejder", "years": 1}]}


@pytest.fixture
def loaded(runner: FlaskCliRunner) -> FlaskCliRunner:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    return runner


def write(tmp_path: Path, content: object, name: str = "profile.json") -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    return str(path)


def test_match_prints_the_result_contract(loaded: FlaskCliRunner, tmp_path: Path) -> None:
    newcomer = {**{k: v for k, v in PROFILE.items() if k != "occupations"},
                "education_level": "gymnasial",  # the academy module asks for gymnasial
                "interests": ["lagermedarbejder"]}  # with no job held, what they ask about
    result = loaded.invoke(args=["match", write(tmp_path, newcomer), "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert {"today", "area", "period", "occupations", "courses", "paths", "asked", "routes",
            "notices"} <= set(body)
    assert [(a["code"], a["status"]) for a in body["asked"]] == [("lagermedarbejder", "open")]
    assert body["today"] == "2026-12-01" and body["area"] == "VESTJ"
    occupation = body["occupations"][0]
    assert {"code", "title", "shortage", "proximity", "score", "missing_skills",
            "reasons"} <= set(occupation)
    assert 0 <= occupation["score"] <= 100 and 0 <= occupation["proximity"] <= 1
    assert {"kind", "text"} <= set(occupation["reasons"][0])
    course = body["courses"][0]
    assert {"code", "title", "provider", "score", "distance_km", "session", "targets", "skills",
            "funding", "reasons"} <= set(course)
    assert {"code", "start", "end", "postcode"} <= set(course["session"])
    assert {f["scheme"] for f in course["funding"]} <= {
        "seks_uger", "regional_pulje", "veu", "befordring", "amu_fee", "uddannelsesloeft",
        "voksenlaerling"}
    assert all(f["eligible"] in (True, False, "maybe") for f in course["funding"])
    path = body["paths"][0]
    assert {"target", "total_days", "covered_share", "completion_date", "steps",
            "reasons"} <= set(path)
    assert {"course", "session", "start", "end"} <= set(path["steps"][0])
    # Truck licence first: the warehouse-management module requires it (a prerequisite).
    assert [step["course"] for step in path["steps"]] == ["c_truck", "c_lager"]
    assert path["covered_share"] == 1.0 and path["completion_date"] == "2027-04-06"


def test_limit_and_english(loaded: FlaskCliRunner, tmp_path: Path) -> None:
    result = loaded.invoke(args=["match", write(tmp_path, PROFILE), "--today", "2026-12-01",
                                 "--limit", "1", "--lang", "en"])
    body = json.loads(result.output)
    assert len(body["occupations"]) == 1
    assert body["occupations"][0]["title"] == "Warehouse worker"


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not valid JSON (line 1, column 2"),
    ([1, 2], "invalid profile: The profile must be a JSON object"),
    ({"status": "unemployed", "age": 34}, "education_level: is required"),
    ({**PROFILE, "age": "34"}, "age: must be a whole number"),
    ({**PROFILE, "postcode": "9999"}, "postcode: 9999 is not a Danish postcode"),
    ({**PROFILE, "skills": ["<script>"]}, "skills[0]: '<script>' is not a known skill"),
])
def test_bad_profile_gives_one_line_and_no_traceback(loaded: FlaskCliRunner, tmp_path: Path,
                                                     content: object, message: str) -> None:
    result = loaded.invoke(args=["match", write(tmp_path, content)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_file_and_bad_date(loaded: FlaskCliRunner, tmp_path: Path) -> None:
    missing = loaded.invoke(args=["match", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "profile file not found" in missing.output
    bad_date = loaded.invoke(args=["match", write(tmp_path, PROFILE), "--today", "1/12/2026"])
    assert bad_date.exit_code == 2 and "--today must be a date" in bad_date.output


def test_empty_database_says_to_load_a_catalogue(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["match", write(tmp_path, PROFILE)])
    assert result.exit_code == 2 and "no catalogue is loaded" in result.output


def test_a_catalogue_change_is_seen_without_a_restart(app: Flask, tmp_path: Path) -> None:
    """Each request checks the version once; the next request after a load sees the change."""
    folder = tmp_path / "catalog"
    shutil.copytree(MINI_CATALOG, folder)
    with app.app_context():
        session = get_session()
        load_catalog(session, folder)
        session.commit()
    with app.app_context():
        first = current_index()
        assert current_index() is first  # one index per request
        assert "c_svejs" in first.course_pos
    with app.app_context():
        assert current_index() is first  # cached across requests while nothing changed
    courses = (folder / "courses.csv").read_text(encoding="utf-8").splitlines()
    (folder / "courses.csv").write_text(
        "\n".join(line for line in courses if not line.startswith("c_svejs")) + "\n",
        encoding="utf-8")
    for name in ("course_skills.csv", "course_occupations.csv", "sessions.csv",
                 "positive_lists.csv"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if "c_svejs" not in line]
        (folder / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    with app.app_context():
        session = get_session()
        load_catalog(session, folder)
        session.commit()
    with app.app_context():
        second = current_index()
        assert second is not first
        assert "c_svejs" not in second.course_pos
