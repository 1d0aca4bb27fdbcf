"""One SQLAlchemy engine and sessionmaker per app, one Session per request.

A database that is down, frozen or slow must end a web request within seconds (as the 503
page), never hold a worker until gunicorn kills it: connections give up after
CONNECT_TIMEOUT_S, and each statement of a request after DB_STATEMENT_TIMEOUT_MS
(PostgreSQL's statement_timeout; on SQLite the wait for the write lock). Commands (catalogue
loads, migrations) run outside a request and may wait as long as they need.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

CONNECT_TIMEOUT_S = 3  # psycopg waits 130 s for a server that accepts and never answers
COMMAND_BUSY_TIMEOUT_MS = 15_000  # SQLite: how long a command waits for the write lock


def make_engine(url: str, *, request_timeout_ms: int | None = None) -> Engine:
    """An engine for url; SQLite gets foreign keys and WAL, as the design requires.

    request_timeout_ms (None or 0: no limit) bounds each statement run inside a web
    request; PostgreSQL connections always give up after CONNECT_TIMEOUT_S unless the URL
    sets its own connect_timeout.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": COMMAND_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        if request_timeout_ms:
            event.listen(engine, "checkout", partial(_sqlite_busy_timeout, request_timeout_ms))
        return engine
    postgresql = parsed.get_backend_name() == "postgresql"
    engine = create_engine(parsed, pool_pre_ping=True, connect_args=(
        _postgresql_timeouts(parsed, request_timeout_ms) if postgresql else {}))
    if postgresql and request_timeout_ms:
        event.listen(engine, "begin", _commands_wait)
    return engine


def _postgresql_timeouts(url: URL, statement_timeout_ms: int | None) -> dict[str, Any]:
    """libpq parameters: connect_timeout, and statement_timeout sent with the connection.

    Set at connect time, the statement timeout costs no round trip per request; options
    already in the URL are kept (connect_args would replace them).
    """
    found: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        found["connect_timeout"] = CONNECT_TIMEOUT_S
    if statement_timeout_ms:
        given = url.query.get("options", "")
        given = " ".join(given) if isinstance(given, tuple) else given
        found["options"] = f"{given} -c statement_timeout={int(statement_timeout_ms)}".strip()
    return found


def _commands_wait(connection: Connection) -> None:
    """Outside a web request (a load, a migration) a transaction's statements may take long."""
    if not has_request_context():
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")


def _sqlite_busy_timeout(request_timeout_ms: int, dbapi_connection: Any, _record: Any,
                         _proxy: Any) -> None:
    """A request waits request_timeout_ms for SQLite's write lock, a command longer.

    PRAGMA busy_timeout is an in-process setting, so setting it at every checkout is free.
    """
    waits = request_timeout_ms if has_request_context() else COMMAND_BUSY_TIMEOUT_MS
    dbapi_connection.execute(f"PRAGMA busy_timeout = {int(waits)}")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"],
                         request_timeout_ms=app.config["DB_STATEMENT_TIMEOUT_MS"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    session: Session = g.db_session
    return session


def get_engine() -> Engine:
    engine: Engine = current_app.extensions["db_engine"]
    return engine


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
