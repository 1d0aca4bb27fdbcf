"""A folder load and the providers' own edits: provider-owned rows are kept and reported."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import listings
from matcher.data import models as m
from matcher.data.catalog import CatalogInvalid, load_catalog
from matcher.data.db import get_session
from tests.conftest import MINI_CATALOG
from tests.web.staff_helpers import make_user


@pytest.fixture
def db(app: Flask, runner: FlaskCliRunner) -> Iterator[Session]:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    make_user(app, "a@example.dk", "provider", provider="p_herning", second_factor=False)
    with app.app_context():
        yield get_session()


def actor(db: Session) -> listings.Actor:
    user = db.scalar(select(m.UserAccount))
    assert user is not None
    return listings.Actor(user)


def edit_truck(db: Session) -> None:
    listings.update_course(db, "p_herning", "c_truck", listings.CourseInput(
        title_da="Truckcertifikat B, udbyderens titel", kind="amu", duration_days=Decimal(5),
        price_dkk=5000, skills=("truckcertifikat_b", "lagerstyring")), actor(db), based_on=1)
    db.commit()


def changed_folder(tmp_path: Path) -> Path:
    """The mini catalogue with c_truck retitled, c_svejs dropped, and c_truck's session too."""
    folder = tmp_path / "catalog"
    shutil.copytree(MINI_CATALOG, folder)
    courses = (folder / "courses.csv").read_text(encoding="utf-8")
    courses = courses.replace("c_truck,amu,Truckcertifikat B,", "c_truck,amu,Truck fra mappen,")
    (folder / "courses.csv").write_text(courses, encoding="utf-8")
    return folder


def test_a_folder_load_keeps_a_provider_edited_course_and_says_so(
        db: Session, runner: FlaskCliRunner, tmp_path: Path) -> None:
    edit_truck(db)
    result = runner.invoke(args=["catalog", "load", str(changed_folder(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "provider-owned" in result.output and "c_truck" in result.output
    db.expire_all()
    row = db.get(m.Course, "c_truck")
    assert row is not None and row.title_da == "Truckcertifikat B, udbyderens titel"
    assert set(db.scalars(select(m.CourseSkill.skill_code)
                          .where(m.CourseSkill.course_code == "c_truck"))) == {
        "truckcertifikat_b", "lagerstyring"}  # the folder's list would have had one
    # Rows nobody edited still follow the folder.
    svejs = db.get(m.Course, "c_svejs")
    assert svejs is not None and not svejs.provider_owned


def test_a_course_the_folder_drops_is_kept_when_a_provider_owns_it(
        db: Session, tmp_path: Path) -> None:
    code = listings.create_course(db, "p_herning", listings.CourseInput(
        title_da="Nyt kursus", kind="other", duration_days=Decimal(1)), actor(db))
    session_id = listings.create_session(db, "p_herning", "c_svejs", listings.SessionInput(
        date(2027, 5, 3), date(2027, 5, 7)), actor(db))
    db.commit()
    report = load_catalog(db, MINI_CATALOG)  # has neither the course nor the session
    db.commit()
    assert db.get(m.Course, code) is not None
    assert db.get(m.CourseSession, session_id) is not None
    assert report.kept_courses == (code,)
    kept = {t.table: t.kept for t in report.tables}
    assert kept["course"] == 1 and kept["course_session"] == 1
    assert not report.changed  # keeping is not a change: the catalogue version stays


def test_a_folder_that_drops_what_an_owned_course_uses_is_refused(
        db: Session, tmp_path: Path) -> None:
    edit_truck(db)  # now uses lagerstyring
    folder = changed_folder(tmp_path)
    for name, drop in (("skills.csv", "lagerstyring,"), ("occupation_skills.csv", "lagerstyring"),
                       ("course_skills.csv", "lagerstyring")):
        lines = (folder / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (folder / name).write_text("".join(line for line in lines if drop not in line),
                                   encoding="utf-8")
    with pytest.raises(CatalogInvalid) as refused:
        load_catalog(db, folder)
    db.rollback()
    assert "'lagerstyring' is missing from the folder, but the provider-owned course " \
           "'c_truck' uses it" in str(refused.value.problems[0])
    assert db.get(m.Skill, "lagerstyring") is not None


def test_a_folder_change_moves_the_version_so_an_open_form_meets_a_conflict(
        db: Session, tmp_path: Path) -> None:
    load_catalog(db, changed_folder(tmp_path))
    db.commit()
    db.expire_all()
    with pytest.raises(listings.ListingConflict):
        listings.update_course(db, "p_herning", "c_truck", listings.CourseInput(
            title_da="x", kind="amu", duration_days=Decimal(1)), actor(db), based_on=1)
