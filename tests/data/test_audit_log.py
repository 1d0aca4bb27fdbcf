"""The audit log is append-only (ASVS 16.4.2) and kept for a set period (ASVS 4.0.3 8.3.8).

The database itself refuses to change or delete an event (migration 0006's triggers, on
SQLite and PostgreSQL alike); the only DELETE it lets through is the retention purge's, of
events older than the cutoff the purge names in its own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from matcher.data import accounts, migrate
from matcher.data import models as m
from matcher.data.db import get_session, make_engine

REFUSED = "audit_event is append-only"


def add_event(app: Flask, action: str, *, age: timedelta = timedelta(0)) -> int:
    with app.app_context():
        session = get_session()
        event = m.AuditEvent(action=action, at=datetime.now(UTC) - age, ip="192.0.2.1",
                             detail={})
        session.add(event)
        session.commit()
        return event.id


def actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(get_session().scalars(select(m.AuditEvent.action).order_by(m.AuditEvent.id)))


def engine_of(app: Flask) -> Engine:
    engine: Engine = app.extensions["db_engine"]
    return engine


CHANGES = [
    "UPDATE audit_event SET action = 'nothing happened'",
    "UPDATE audit_event SET ip = NULL, detail = '{}' WHERE id = :id",
    "DELETE FROM audit_event",
    "DELETE FROM audit_event WHERE id = :id",
]


@pytest.mark.parametrize("statement", CHANGES)
def test_the_database_refuses_to_change_or_delete_an_event(app: Flask, statement: str) -> None:
    event = add_event(app, "login", age=timedelta(days=3650))  # older than any retention
    with pytest.raises(DBAPIError, match=REFUSED), engine_of(app).begin() as connection:
        connection.execute(text(statement), {"id": event})
    assert actions(app) == ["login"]


def test_the_orm_cannot_change_or_delete_an_event_either(app: Flask) -> None:
    event = add_event(app, "login")
    with app.app_context():
        session = get_session()
        row = session.get(m.AuditEvent, event)
        assert row is not None
        row.action = "nothing happened"
        with pytest.raises(DBAPIError, match=REFUSED):
            session.commit()
        session.rollback()
        session.delete(session.get(m.AuditEvent, event))
        with pytest.raises(DBAPIError, match=REFUSED):
            session.commit()
        session.rollback()
    assert actions(app) == ["login"]


def test_truncate_is_refused_on_postgresql(app: Flask) -> None:
    if engine_of(app).dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (its DELETE without WHERE is refused above)")
    add_event(app, "login")
    with pytest.raises(DBAPIError, match=REFUSED), engine_of(app).begin() as connection:
        connection.execute(text("TRUNCATE audit_event"))
    assert actions(app) == ["login"]


def test_the_purge_gate_lets_only_older_events_go_in_its_own_transaction(app: Flask) -> None:
    old = add_event(app, "old", age=timedelta(days=10))
    new = add_event(app, "new", age=timedelta(days=1))
    cutoff = datetime.now(UTC) - timedelta(days=5)
    with engine_of(app).begin() as connection:
        connection.execute(insert(m.AuditPurge).values(cutoff=cutoff))
        with pytest.raises(DBAPIError, match=REFUSED), connection.begin_nested():
            connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": new})
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": old})
        connection.execute(text("DELETE FROM audit_purge"))
    assert actions(app) == ["new"]
    with pytest.raises(DBAPIError, match=REFUSED), engine_of(app).begin() as connection:
        connection.execute(text("DELETE FROM audit_event"))  # the gate is gone again


def test_the_purge_deletes_what_is_older_than_the_retention_and_is_audited(
        app: Flask, runner: FlaskCliRunner) -> None:
    assert app.config["AUDIT_RETENTION_DAYS"] == 730
    add_event(app, "three years ago", age=timedelta(days=3 * 365))
    add_event(app, "731 days ago", age=timedelta(days=731))
    add_event(app, "729 days ago", age=timedelta(days=729))
    add_event(app, "today")
    result = runner.invoke(args=["audit", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 audit events older than 730 days." in result.output
    assert actions(app) == ["729 days ago", "today", "audit_purged"]
    (purge,) = [e for e in events(app) if e.action == "audit_purged"]
    assert re.fullmatch(r"cli:.+", str(purge.detail["actor"]))
    assert purge.detail["deleted"] == 2 and purge.detail["days"] == 730
    with app.app_context():  # the gate was closed before the commit
        assert get_session().scalar(select(func.count()).select_from(m.AuditPurge)) == 0
    again = runner.invoke(args=["audit", "purge"])
    assert "Deleted 0 audit events" in again.output
    assert actions(app) == ["729 days ago", "today", "audit_purged", "audit_purged"]


def test_the_retention_is_a_setting_and_never_below_a_day(app: Flask,
                                                         runner: FlaskCliRunner) -> None:
    add_event(app, "31 days ago", age=timedelta(days=31))
    add_event(app, "29 days ago", age=timedelta(days=29))
    for days in (0, -1):
        app.config["AUDIT_RETENTION_DAYS"] = days
        refused = runner.invoke(args=["audit", "purge"])
        assert refused.exit_code == 2 and "nothing was deleted" in refused.output
    assert actions(app) == ["31 days ago", "29 days ago"]
    app.config["AUDIT_RETENTION_DAYS"] = 30
    assert runner.invoke(args=["audit", "purge"]).exit_code == 0
    assert actions(app) == ["29 days ago", "audit_purged"]


def events(app: Flask) -> list[m.AuditEvent]:
    with app.app_context():
        return list(get_session().scalars(select(m.AuditEvent).order_by(m.AuditEvent.id)))


# Migration 0006 -------------------------------------------------------------------------

@pytest.fixture
def scratch_engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the same kind as the test database."""
    if not database_url.startswith("postgresql"):
        engine = make_engine(f"sqlite:///{tmp_path}/audit.db")
        yield engine
        engine.dispose()
        return
    admin = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS kl_audit_scratch"))
        connection.execute(text("CREATE DATABASE kl_audit_scratch"))
    engine = make_engine(database_url.rsplit("/", 1)[0] + "/kl_audit_scratch")
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE kl_audit_scratch"))
    admin.dispose()


def test_migration_0006_dates_pending_one_time_passwords_and_guards_the_log(
        scratch_engine: Engine) -> None:
    migrate.upgrade(scratch_engine, "0005")
    with scratch_engine.begin() as connection:
        for email, pending in (("ny@herning.dk", True), ("sag@herning.dk", False)):
            connection.execute(text(
                "INSERT INTO user_account (email, password_hash, role, is_active, "
                "must_change_password, totp_enabled, failed_logins, session_version, "
                "device_epoch, device_failures, code_failures, created_at) VALUES (:email, 'x', "
                "'caseworker', true, :pending, false, 0, 1, 0, 0, 0, :now)"),
                {"email": email, "pending": pending, "now": datetime.now(UTC)})
        connection.execute(text("INSERT INTO audit_event (at, action, detail) "
                                "VALUES (:now, 'login', '{}')"), {"now": datetime.now(UTC)})
    before = datetime.now(UTC)
    migrate.upgrade(scratch_engine, "0006")
    with scratch_engine.connect() as connection:
        expiry = dict(connection.execute(
            select(m.UserAccount.email, m.UserAccount.password_expires_at)).all())
    assert expiry["sag@herning.dk"] is None  # a password of its own never expires
    pending = accounts._aware(expiry["ny@herning.dk"])
    assert before + timedelta(hours=72) <= pending <= datetime.now(UTC) + timedelta(hours=72)
    with pytest.raises(DBAPIError, match=REFUSED), scratch_engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET action = 'x'"))
    migrate.downgrade(scratch_engine, "0005")
    with scratch_engine.begin() as connection:  # the triggers went with the downgrade
        connection.execute(text("UPDATE audit_event SET action = 'x'"))
        connection.execute(text("DELETE FROM audit_event"))
