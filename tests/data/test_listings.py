"""A provider's listings in the data layer: ownership, versions, archive, health, audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import listings
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.snapshot import load_snapshot
from matcher.data.status import catalog_status
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


def course_input(**overrides: object) -> listings.CourseInput:
    values: dict[str, object] = {"title_da": "Gaffeltruck for øvede", "kind": "amu",
                                 "duration_days": Decimal(3), "price_dkk": 2500,
                                 "skills": ("truckcertifikat_b",),
                                 "occupations": ("lagermedarbejder",)}
    return listings.CourseInput(**(values | overrides))  # type: ignore[arg-type]


def test_a_new_course_is_owned_listed_matched_and_audited(db: Session) -> None:
    before = catalog_status(db).version
    code = listings.create_course(db, "p_herning", course_input(), actor(db))
    db.commit()
    assert code == "p_herning-gaffeltruck-for-oevede"
    row = db.get(m.Course, code)
    assert row is not None and row.provider_owned and row.version == 1
    assert catalog_status(db).version == before + 1
    course = next(c for c in load_snapshot(db).courses if c.code == code)
    assert course.skills == ("truckcertifikat_b",) and course.occupations == ("lagermedarbejder",)
    event = db.scalar(select(m.AuditEvent).where(m.AuditEvent.action == "course_created"))
    assert event is not None and event.subject == f"p_herning/{code}"
    assert event.detail["changes"]["title_da"] == [None, "Gaffeltruck for øvede"]  # type: ignore[index]
    # The same title again gets a code of its own.
    assert listings.create_course(db, "p_herning", course_input(), actor(db)).endswith("-2")


def test_an_edit_records_before_and_after_of_each_changed_field(db: Session) -> None:
    version = listings.update_course(db, "p_herning", "c_truck",
                                     course_input(title_da="Truckcertifikat B (ny)",
                                                  duration_days=Decimal(5), price_dkk=6000,
                                                  official_code=None, hours=Decimal(37),
                                                  fee_target_group_dkk=900, language="da",
                                                  delivery="presence", schedule="day",
                                                  title_en="Forklift licence B",
                                                  occupations=("svejser", "lagermedarbejder")),
                                     actor(db), based_on=1)
    db.commit()
    assert version == 2
    event = db.scalar(select(m.AuditEvent).where(m.AuditEvent.action == "course_changed"))
    assert event is not None
    assert event.detail["changes"] == {  # only what changed, old and new
        "title_da": ["Truckcertifikat B", "Truckcertifikat B (ny)"],
        "occupations": [["lagermedarbejder"], ["lagermedarbejder", "svejser"]],
    }
    assert event.detail["version"] == 2


def test_a_save_based_on_an_old_version_is_a_conflict_and_writes_nothing(db: Session) -> None:
    listings.update_course(db, "p_herning", "c_truck", course_input(title_da="Først"),
                           actor(db), based_on=1)
    db.commit()
    with pytest.raises(listings.ListingConflict):
        listings.update_course(db, "p_herning", "c_truck", course_input(title_da="Sidst"),
                               actor(db), based_on=1)
    db.rollback()
    row = db.get(m.Course, "c_truck")
    assert row is not None and row.title_da == "Først" and row.version == 2
    changes = listings.changes_since(db, "p_herning", "c_truck", 1)
    assert [c.changes["title_da"] for c in changes] == [["Truckcertifikat B", "Først"]]
    assert changes[0].actor == "a@example.dk"
    assert listings.changes_since(db, "p_herning", "c_truck", 2) == []


def test_two_transactions_that_read_the_same_version_cannot_both_save(app: Flask,
                                                                     db: Session) -> None:
    """The check in Python is not enough: two saves can both pass it. The ORM's
    UPDATE ... WHERE version = :seen lets only the first one through."""
    other = app.extensions["db_sessionmaker"]() if "db_sessionmaker" in app.extensions \
        else Session(app.extensions["db_engine"], expire_on_commit=False)
    try:
        other_actor = listings.Actor(other.get(m.UserAccount, actor(db).user.id))  # type: ignore[arg-type]
        assert other.get(m.Course, "c_truck") is not None  # both have read version 1
        assert db.get(m.Course, "c_truck") is not None
        db.commit()  # no transaction held open: SQLite lets the other write
        listings.update_course(other, "p_herning", "c_truck", course_input(title_da="Anden"),
                               other_actor, based_on=1)
        other.commit()
        with pytest.raises(listings.ListingConflict):
            listings.update_course(db, "p_herning", "c_truck", course_input(title_da="Første"),
                                   actor(db), based_on=1)
        db.rollback()
    finally:
        other.close()
    row = db.get(m.Course, "c_truck", populate_existing=True)
    assert row is not None and row.title_da == "Anden"


@pytest.mark.parametrize("write", [
    lambda db, a: listings.update_course(db, "p_herning", "c_lager", course_input(), a,
                                         based_on=1),
    lambda db, a: listings.set_archived(db, "p_herning", "c_lager", True, a),
    lambda db, a: listings.confirm_course(db, "p_herning", "c_lager", a),
    lambda db, a: listings.create_session(db, "p_herning", "c_lager",
                                          listings.SessionInput(TODAY, TODAY), a),
    lambda db, a: listings.course(db, "p_herning", "c_lager", today=TODAY),
    lambda db, a: listings.course(db, None, "c_truck", today=TODAY),
])
def test_another_providers_course_is_not_found(db: Session, write: object) -> None:
    with pytest.raises(listings.ListingNotFound):
        write(db, actor(db))  # type: ignore[operator]
    db.rollback()
    assert db.get(m.Course, "c_lager").version == 1  # type: ignore[union-attr]


def test_a_session_of_another_course_is_not_found_through_ones_own(db: Session) -> None:
    foreign = db.scalar(select(m.CourseSession.id).where(m.CourseSession.course_code == "c_lager"))
    assert foreign is not None
    for call in (lambda: listings.cancel_session(db, "p_herning", "c_truck", foreign, actor(db)),
                 lambda: listings.course_session(db, "p_herning", "c_truck", foreign,
                                                 today=TODAY)):
        with pytest.raises(listings.ListingNotFound):
            call()


def test_unknown_skills_and_postcodes_are_refused(db: Session) -> None:
    with pytest.raises(listings.ListingInvalid) as refused:
        listings.create_course(db, "p_herning", course_input(skills=("nope",),
                                                             occupations=("ingen",)), actor(db))
    assert refused.value.problems == [("skills", "unknown"), ("occupations", "unknown")]
    with pytest.raises(listings.ListingInvalid):
        listings.create_session(db, "p_herning", "c_truck",
                                listings.SessionInput(TODAY, TODAY, postcode="0000"), actor(db))


def test_an_archived_course_leaves_matching_and_comes_back(db: Session) -> None:
    listings.set_archived(db, "p_herning", "c_truck", True, actor(db))
    db.commit()
    snapshot = load_snapshot(db)
    assert "c_truck" not in {c.code for c in snapshot.courses}
    assert all(s.course != "c_truck" for s in snapshot.sessions)
    assert all(p.course != "c_truck" for p in snapshot.positive_lists)
    assert db.get(m.Course, "c_truck") is not None  # the row stays
    assert listings.course(db, "p_herning", "c_truck", today=TODAY).archived
    listings.set_archived(db, "p_herning", "c_truck", False, actor(db))
    db.commit()
    assert "c_truck" in {c.code for c in load_snapshot(db).courses}
    actions = db.scalars(select(m.AuditEvent.action).where(m.AuditEvent.action.like("course_%"))
                         .order_by(m.AuditEvent.id))
    assert list(actions) == ["course_archived", "course_restored"]


def test_sessions_are_added_edited_and_cancelled(db: Session) -> None:
    start = TODAY + timedelta(days=30)
    new_id = listings.create_session(db, "p_herning", "c_truck",
                                     listings.SessionInput(start, start + timedelta(days=4),
                                                           "7500", 12, "open", "evening"),
                                     actor(db))
    db.commit()
    row = db.get(m.CourseSession, new_id)
    assert row is not None and row.session_code == start.isoformat() and row.provider_owned
    version = listings.update_session(db, "p_herning", "c_truck", new_id,
                                      listings.SessionInput(start, start + timedelta(days=5),
                                                            "7500", 10, "open", "evening"),
                                      actor(db), based_on=1)
    db.commit()
    assert version == 2
    with pytest.raises(listings.ListingConflict):
        listings.update_session(db, "p_herning", "c_truck", new_id,
                                listings.SessionInput(start, start), actor(db), based_on=1)
    db.rollback()
    listings.cancel_session(db, "p_herning", "c_truck", new_id, actor(db))
    db.commit()
    snapshot = load_snapshot(db)
    assert next(s for s in snapshot.sessions if s.code == start.isoformat()).status == "cancelled"
    changed = db.scalar(select(m.AuditEvent).where(m.AuditEvent.action == "session_changed"))
    assert changed is not None
    assert changed.detail["changes"] == {"end_date": [(start + timedelta(days=4)).isoformat(),
                                                      (start + timedelta(days=5)).isoformat()],
                                         "seats": [12, 10]}


def test_listing_health_names_what_to_fix(db: Session) -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    views = {c.code: c for c in listings.courses(db, "p_herning", today=TODAY, now=now)}
    assert set(views) == {"c_truck", "c_svejs"}
    assert "unconfirmed" in views["c_truck"].health  # loaded from a folder, never confirmed
    listings.confirm_course(db, "p_herning", "c_truck", actor(db), now=now)
    code = listings.create_course(db, "p_herning", course_input(skills=(), occupations=(),
                                                                price_dkk=None), actor(db),
                                  now=now)
    db.commit()
    fresh = listings.course(db, "p_herning", code, today=TODAY, now=now)
    assert fresh.health == ("no_skills", "no_targets", "no_upcoming_session", "no_price")
    later = listings.course(db, "p_herning", code, today=TODAY, now=now + timedelta(days=91))
    assert later.health[-1] == "unconfirmed"
    assert "unconfirmed" not in listings.course(db, "p_herning", "c_truck", today=TODAY,
                                                now=now).health
    past = TODAY - timedelta(days=10)
    db.add(m.CourseSession(course_code=code, session_code="old", start_date=past, end_date=past))
    db.commit()
    assert "past_sessions" in listings.course(db, "p_herning", code, today=TODAY, now=now).health


def test_every_change_bumps_the_catalogue_version(db: Session) -> None:
    versions = [catalog_status(db).version]
    code = listings.create_course(db, "p_herning", course_input(), actor(db))
    versions.append(catalog_status(db).version)
    listings.update_course(db, "p_herning", code, course_input(price_dkk=1), actor(db),
                           based_on=1)
    versions.append(catalog_status(db).version)
    session_id = listings.create_session(db, "p_herning", code,
                                         listings.SessionInput(TODAY, TODAY), actor(db))
    versions.append(catalog_status(db).version)
    listings.cancel_session(db, "p_herning", code, session_id, actor(db))
    versions.append(catalog_status(db).version)
    listings.set_archived(db, "p_herning", code, True, actor(db))
    versions.append(catalog_status(db).version)
    db.commit()
    assert versions == list(range(versions[0], versions[0] + 6))
