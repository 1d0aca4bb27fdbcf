"""Shared fixtures: one migrated database per test run, emptied after each test.

TEST_DATABASE_URL picks the database (CI sets a PostgreSQL URL); without it the tests
use a SQLite file in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, delete, insert, text

from matcher import create_app
from matcher.data import index_cache, migrate
from matcher.data.db import make_engine
from matcher.data.models import AuditEvent, AuditPurge, Base

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CATALOG = ROOT / "course_catalog"
MINI_CATALOG = Path(__file__).resolve().parent / "data" / "mini_catalog"
# Specific educations for the mini catalogue (which itself has none, to show they are optional).
MINI_EDUCATIONS = (
    "code,title_da,level,title_en,aliases_da\n"
    "eud_smed,Smed (erhvervsuddannelse),eud,Smith (vocational),klejnsmed|industrismed\n"
    "eud_lager,Lager- og terminaluddannelsen,eud,Warehouse and terminal programme,"
    "lagerlogistik\n")
MINI_EDUCATION_OCCUPATIONS = "education_code,occupation_code\neud_smed,svejser\n"
# The public per-address limits, raised for test apps: the fuzz and browser tests post far
# faster than a person from one address. Tests of the limits set them low themselves.
UNLIMITED = {"CITIZEN_RATE_LIMIT": "100000 per minute", "API_RATE_LIMIT": "100000 per minute",
             "SUGGEST_RATE_LIMIT": "100000 per minute", "UPLOAD_RATE_LIMIT": "100000 per minute"}


def mini_catalog_with_educations(folder: Path) -> Path:
    """A copy of the mini catalogue in folder, with educations.csv and its links."""
    shutil.copytree(MINI_CATALOG, folder)
    (folder / "educations.csv").write_text(MINI_EDUCATIONS, encoding="utf-8")
    (folder / "education_occupations.csv").write_text(MINI_EDUCATION_OCCUPATIONS,
                                                      encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL") or (
        "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db"))
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    yield url


def empty_tables(engine: Engine) -> None:
    """Every table emptied; audit events through the purge's gate, as only the purge may."""
    with engine.begin() as connection:
        connection.execute(insert(AuditPurge).values(cutoff=datetime(9999, 1, 1, tzinfo=UTC)))
        connection.execute(delete(AuditEvent))
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False, **UNLIMITED})
    yield app
    engine = app.extensions["db_engine"]
    empty_tables(engine)
    engine.dispose()
    index_cache.clear()  # the next test's catalogue starts again at version 1


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
