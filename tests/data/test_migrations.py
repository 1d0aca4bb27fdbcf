"""Alembic owns the schema: the migrations build exactly the models, both ways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from matcher.data import migrate
from matcher.data.db import make_engine
from matcher.data.models import Base


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


@pytest.fixture
def scratch_engine(database_url: str, tmp_path: object) -> Iterator[Engine]:
    """An empty database of the same kind as the test database."""
    if database_url.startswith("postgresql"):
        admin = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS kl_migration_scratch"))
            connection.execute(text("CREATE DATABASE kl_migration_scratch"))
        engine = make_engine(database_url.rsplit("/", 1)[0] + "/kl_migration_scratch")
        yield engine
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE kl_migration_scratch"))
        admin.dispose()
    else:
        engine = make_engine(f"sqlite:///{tmp_path}/scratch.db")
        yield engine
        engine.dispose()


def test_upgrade_downgrade_upgrade(scratch_engine: Engine) -> None:
    migrate.upgrade(scratch_engine)
    assert "course_session" in inspect(scratch_engine).get_table_names()
    migrate.downgrade(scratch_engine, "base")
    assert set(inspect(scratch_engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(scratch_engine)
    assert migrate.current(scratch_engine) == "0009"


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/pragmas.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_0007_keeps_existing_courses_with_version_1_and_not_provider_owned(
        scratch_engine: Engine) -> None:
    migrate.upgrade(scratch_engine, "0006")
    with scratch_engine.begin() as connection:
        connection.execute(text("INSERT INTO postcode (postcode, name, lat, lon) "
                                "VALUES ('7400', 'Herning', 56.1, 8.9)"))
        connection.execute(text("INSERT INTO provider (code, name, postcode) "
                                "VALUES ('p', 'P', '7400')"))
        connection.execute(text("INSERT INTO course (code, kind, title_da, provider_code, "
                                "duration_days) VALUES ('c', 'amu', 'C', 'p', 2)"))
    migrate.upgrade(scratch_engine)
    with scratch_engine.connect() as connection:
        row = connection.execute(text("SELECT version, provider_owned, archived_at "
                                      "FROM course")).one()
    assert (row.version, bool(row.provider_owned), row.archived_at) == (1, False, None)
    migrate.downgrade(scratch_engine, "0006")
    assert "version" not in {c["name"] for c in inspect(scratch_engine).get_columns("course")}
    assert "subject" not in {c["name"] for c in inspect(scratch_engine).get_columns("audit_event")}
