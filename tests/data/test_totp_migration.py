"""Migration 0005 encrypts the TOTP secrets already stored, and its downgrade decrypts them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, text

from matcher.data import accounts, migrate
from matcher.data.db import make_engine

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def scratch_engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the same kind as the test database."""
    if not database_url.startswith("postgresql"):
        engine = make_engine(f"sqlite:///{tmp_path}/totp.db")
        yield engine
        engine.dispose()
        return
    admin = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS kl_totp_scratch"))
        connection.execute(text("CREATE DATABASE kl_totp_scratch"))
    engine = make_engine(database_url.rsplit("/", 1)[0] + "/kl_totp_scratch")
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE kl_totp_scratch"))
    admin.dispose()


def stored_secret(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT totp_secret FROM user_account")).scalar_one())


def test_upgrade_encrypts_stored_secrets_and_downgrade_restores_them(
        app: Flask, scratch_engine: Engine) -> None:
    migrate.upgrade(scratch_engine, "0004")
    with scratch_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO user_account (email, password_hash, role, is_active, "
            "must_change_password, totp_secret, totp_enabled, failed_logins, session_version, "
            "created_at) VALUES ('sag@herning.dk', 'x', 'caseworker', true, false, :secret, "
            "true, 0, 1, :now)"), {"secret": SECRET, "now": datetime.now(UTC)})
    with app.app_context():  # as `flask db upgrade` runs it: with the app's key
        migrate.upgrade(scratch_engine, "0005")
    encrypted = stored_secret(scratch_engine)
    assert SECRET not in encrypted
    assert accounts.totp_cipher(app.config).decrypt(encrypted.encode()).decode() == SECRET
    with app.app_context():
        migrate.downgrade(scratch_engine, "0004")
    assert stored_secret(scratch_engine) == SECRET
