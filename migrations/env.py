"""Alembic environment: runs on the connection the `flask db` commands hand over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from matcher.data.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from matcher.data.db import make_engine

    with make_engine(config.get_main_option("sqlalchemy.url") or "").connect() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run `flask db upgrade`.")
run_migrations()
