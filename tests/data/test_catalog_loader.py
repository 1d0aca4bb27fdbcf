"""The catalogue loader: a valid folder loads all or nothing and a second load changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from matcher.data import models as m
from matcher.data.catalog import load_catalog
from matcher.data.db import get_session
from tests.conftest import MINI_CATALOG


def _count(app: Flask, model: type[m.Base]) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model)) or 0


def _version(app: Flask) -> int:
    with app.app_context():
        state = get_session().get(m.CatalogState, 1)
        return state.version if state else 0


def test_load_prints_counts_and_bumps_version(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["catalog", "load", str(MINI_CATALOG)])
    assert result.exit_code == 0, result.output
    assert "course_session" in result.output and "Catalogue loaded: now version 1." in result.output
    assert _count(app, m.Course) == 3
    assert _count(app, m.CourseSession) == 4
    assert _count(app, m.Municipality) == 4  # Viborg's two memberships are one municipality
    assert _count(app, m.MunicipalityRar) == 5
    assert _version(app) == 1


def test_second_load_changes_nothing_and_says_so(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["catalog", "load", str(MINI_CATALOG)])
    result = runner.invoke(args=["catalog", "load", str(MINI_CATALOG)])
    assert result.exit_code == 0
    assert "No changes" in result.output
    assert _version(app) == 1


def test_changed_row_is_updated_and_removed_row_deleted(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "cat"
    shutil.copytree(MINI_CATALOG, folder)
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, folder)
    courses = (folder / "courses.csv").read_text(encoding="utf-8")
    (folder / "courses.csv").write_text(courses.replace("MAG-svejsning,p_herning,10",
                                                        "MAG-svejsning,p_herning,12"),
                                        encoding="utf-8")
    sessions = (folder / "sessions.csv").read_text(encoding="utf-8").splitlines()
    (folder / "sessions.csv").write_text("\n".join(sessions[:-1]) + "\n", encoding="utf-8")
    with app.app_context():
        session = get_session()
        with session.begin():
            report = load_catalog(session, folder)
        changes = {t.table: t for t in report.tables}
        assert (changes["course"].changed, changes["course"].added) == (1, 0)
        assert changes["course_session"].removed == 1
        assert report.version == 2
        assert session.get(m.Course, "c_svejs").duration_days == 12


def test_national_positive_list_entries_are_idempotent(app: Flask) -> None:
    """rar_code is NULL on national lists; comparing keys must still find the stored rows."""
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, MINI_CATALOG)
        with session.begin():
            report = load_catalog(session, MINI_CATALOG)
        assert not report.changed
        national = session.scalars(select(m.PositiveListEntry)
                                   .where(m.PositiveListEntry.rar_code.is_(None))).all()
        assert len(national) == 2


def test_demo_rows_set_the_demo_flag(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, MINI_CATALOG)
        assert session.get(m.CatalogState, 1).has_demo


def test_check_reports_ok_without_writing(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["catalog", "check", str(MINI_CATALOG)])
    assert result.exit_code == 0
    assert "is a valid catalogue" in result.output
    assert _count(app, m.Course) == 0


def test_load_if_empty_loads_an_empty_database(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["catalog", "load", "--if-empty", str(MINI_CATALOG)])
    assert result.exit_code == 0, result.output
    assert "Catalogue loaded: now version 1." in result.output
    assert _count(app, m.Course) == 3


def test_load_if_empty_skips_a_loaded_database(app: Flask, runner: FlaskCliRunner,
                                               tmp_path: Path) -> None:
    runner.invoke(args=["catalog", "load", str(MINI_CATALOG)])
    result = runner.invoke(args=["catalog", "load", "--if-empty", str(tmp_path / "nowhere")])
    assert result.exit_code == 0
    assert "already loaded" in result.output


@pytest.mark.parametrize("encoding_prefix", [b"\xef\xbb\xbf"])
def test_byte_order_mark_from_spreadsheets_is_accepted(app: Flask, tmp_path: Path,
                                                      encoding_prefix: bytes) -> None:
    folder = tmp_path / "cat"
    shutil.copytree(MINI_CATALOG, folder)
    path = folder / "skills.csv"
    path.write_bytes(encoding_prefix + path.read_bytes())
    with app.app_context():
        session = get_session()
        with session.begin():
            report = load_catalog(session, folder)
        assert {t.table: t.rows for t in report.tables}["skill"] == 5


def test_a_provider_with_staff_accounts_cannot_disappear(app: Flask, runner: FlaskCliRunner,
                                                         tmp_path: Path) -> None:
    from matcher.data import accounts

    runner.invoke(args=["catalog", "load", str(MINI_CATALOG)])
    with app.app_context():
        session = get_session()
        accounts.create_user(session, "kursus@example.dk", "provider", provider_code="p_aarhus")
        session.commit()
    folder = tmp_path / "cat"
    shutil.copytree(MINI_CATALOG, folder)
    for name in ("providers.csv", "courses.csv", "course_skills.csv", "course_prerequisites.csv",
                 "sessions.csv"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if "p_aarhus" not in line and "c_lager" not in line]
        (folder / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = runner.invoke(args=["catalog", "load", str(folder)])
    assert result.exit_code == 1
    assert "provider 'p_aarhus' is missing from the folder but staff accounts are bound" \
        in result.output
    assert _count(app, m.Provider) == 2  # nothing written


def test_a_catalogue_without_the_optional_education_files_loads(app: Flask) -> None:
    """design.md §5a.1: educations.csv and education_occupations.csv are optional."""
    assert not (MINI_CATALOG / "educations.csv").exists()
    assert not (MINI_CATALOG / "education_occupations.csv").exists()
    with app.app_context():
        session = get_session()
        with session.begin():
            report = load_catalog(session, MINI_CATALOG)
        rows = {t.table: t.rows for t in report.tables}
        assert rows.get("education", 0) == 0 and rows.get("education_occupation", 0) == 0
    assert _count(app, m.Course) == 3
    assert _count(app, m.Education) == 0


def test_the_optional_education_files_are_loaded_when_present(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "cat"
    shutil.copytree(MINI_CATALOG, folder)
    (folder / "educations.csv").write_text(
        "code,title_da,level,title_en\n"
        "edu_smed,Smed,eud,Smith\n"
        "edu_lager,Lager- og terminaluddannelsen,eud,Warehouse and terminal\n", encoding="utf-8")
    (folder / "education_occupations.csv").write_text(
        "education_code,occupation_code\nedu_smed,svejser\nedu_lager,lagermedarbejder\n"
        "edu_lager,lastbilchauffoer\n", encoding="utf-8")
    lines = (folder / "courses.csv").read_text(encoding="utf-8").splitlines()
    (folder / "courses.csv").write_text(
        "\n".join([lines[0] + ",education_code"]
                  + [line + (",edu_smed" if line.startswith("c_svejs,") else ",")
                     for line in lines[1:]]) + "\n", encoding="utf-8")
    with app.app_context():
        session = get_session()
        with session.begin():
            report = load_catalog(session, folder)
        rows = {t.table: t.rows for t in report.tables}
        assert rows["education"] == 2
        assert rows["education_occupation"] == 3
        assert session.get(m.Education, "edu_smed").level == "eud"
        assert session.get(m.Course, "c_svejs").education_code == "edu_smed"
        assert session.get(m.Course, "c_truck").education_code is None
    assert _count(app, m.Education) == 2
    assert _count(app, m.EducationOccupation) == 3
