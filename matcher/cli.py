"""Thin click commands over plain functions: `flask db ...`, `flask catalog ...`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from matcher.data import migrate
from matcher.data.db import get_engine

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the schema up to REVISION (default: the newest)."""
    migrate.upgrade(get_engine(), revision)
    click.echo(f"database at revision {migrate.current(get_engine())}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the schema back to REVISION ("base" removes every table)."""
    migrate.downgrade(get_engine(), revision)
    click.echo(f"database at revision {migrate.current(get_engine())}")


@db_cli.command("current")
def db_current() -> None:
    click.echo(migrate.current(get_engine()) or "no schema")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
