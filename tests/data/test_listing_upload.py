"""A provider's upload in the data layer: the plan, all-or-nothing apply, and the export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.data import listing_upload, listings
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.listing_upload import UploadRow
from tests.conftest import MINI_CATALOG
from tests.web.staff_helpers import make_user

TODAY = date(2026, 12, 1)


@pytest.fixture
def db(app: Flask, runner: FlaskCliRunner) -> Iterator[Session]:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    make_user(app, "a@example.dk", "provider", provider="p_herning", second_factor=False)
    with app.app_context():
        yield get_session()


def actor(db: Session) -> listings.Actor:
    user = db.scalar(select(m.UserAccount).where(m.UserAccount.email == "a@example.dk"))
    assert user is not None
    return listings.Actor(user, "127.0.0.1")


def test_a_row_changed_meanwhile_rolls_back_the_whole_file(app: Flask, db: Session) -> None:
    rows = [UploadRow(2, ("c_svejs",), {"price_dkk": 11000}),
            UploadRow(3, ("c_truck",), {"price_dkk": 6500})]
    plan = listing_upload.plan_upload(db, "p_herning", "courses", rows, today=TODAY)
    assert [c.course_code for c in plan.changes] == ["c_svejs", "c_truck"]
    version = db.get(m.CatalogState, 1).version  # type: ignore[union-attr]
    db.commit()  # no transaction held open: SQLite lets the other write
    other = Session(app.extensions["db_engine"], expire_on_commit=False)
    try:
        row = other.get(m.Course, "c_truck")
        assert row is not None
        row.title_da = "Ændret samtidig"
        other.commit()
    finally:
        other.close()
    with pytest.raises(listings.ListingConflict):
        listing_upload.apply_upload(db, "p_herning", plan, actor(db), sha256="x")
    db.rollback()
    svejs = db.get(m.Course, "c_svejs", populate_existing=True)
    assert svejs is not None and svejs.price_dkk == 12000 and not svejs.provider_owned
    assert db.get(m.CatalogState, 1, populate_existing=True).version == version  # type: ignore[union-attr]
    assert db.scalar(select(func.count()).select_from(m.AuditEvent)
                     .where(m.AuditEvent.action == "course_changed")) == 0


def test_facts_about_other_providers_are_problems_not_changes(db: Session) -> None:
    rows = [UploadRow(2, ("c_lager", "c_lager-01"), {"start_date": date(2027, 3, 1),
                                                     "end_date": date(2027, 3, 2)}),
            UploadRow(3, ("c_nothing", "x"), {"start_date": date(2027, 3, 1),
                                              "end_date": date(2027, 3, 2)})]
    plan = listing_upload.plan_upload(db, "p_herning", "sessions", rows, today=TODAY)
    assert plan.changes == ()
    assert [(p.line, p.column, p.problem) for p in plan.problems] == [
        (2, "course_code", "unknown_course"), (3, "course_code", "unknown_course")]
    with pytest.raises(AssertionError):
        listing_upload.apply_upload(db, "p_herning", plan, actor(db), sha256="x")


def test_the_export_holds_only_the_providers_current_courses(db: Session) -> None:
    listings.set_archived(db, "p_herning", "c_svejs", True, actor(db))
    courses = listing_upload.export_rows(db, "p_herning", "courses")
    assert [row["code"] for row in courses] == ["c_truck"]
    sessions = listing_upload.export_rows(db, "p_herning", "sessions")
    assert {row["course_code"] for row in sessions} == {"c_truck"}
    assert listing_upload.export_rows(db, "p_herning", "course_skills") == [
        {"course_code": "c_truck", "skill_code": "truckcertifikat_b"}]
    assert listing_upload.export_rows(db, "p_nobody", "courses") == []


def test_the_plan_digest_changes_with_what_would_be_written(db: Session) -> None:
    def digest(price: int) -> str:
        rows = [UploadRow(2, ("c_truck",), {"price_dkk": price})]
        return listing_upload.plan_upload(db, "p_herning", "courses", rows,
                                          today=TODAY).digest()

    assert digest(6500) == digest(6500) != digest(6600)
