"""Dependencies that fail: the database down, frozen or slow, and the rate-limit Redis down.

Issue 10: every outage is answered within seconds by the friendly 503 page (JSON under
/api) with the security headers and Retry-After; a login is never let through without its
rate limit; production refuses to start without the limit storage. Each finding's tests
failed before its fix (a bare 500, a 31 s hang, a 500 at every login); the few that passed
(the staff variants of an OperationalError raised by a view, production starting when Redis
answers) guard the other side.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from limits.errors import StorageError
from limits.storage import RedisStorage
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import sessionmaker
from werkzeug.test import TestResponse

from matcher import create_app
from matcher.config import DEFAULTS
from matcher.data import index_cache
from matcher.data import models as m
from matcher.data.db import CONNECT_TIMEOUT_S, get_session, make_engine
from matcher.web.security import HEADERS
from tests.conftest import empty_tables
from tests.web.staff_helpers import StaffUser, login, make_user
from tests.web.test_app import STRONG_KEY

CLOSED_PORT = "postgresql+psycopg://kl@127.0.0.1:1/kl"  # nothing listens: refused at once
REDIS_CLOSED_PORT = "redis://127.0.0.1:1/0"
QUICK = 2.5  # seconds: "within a few seconds", with room for a slow CI machine
FRIENDLY = "Tjenesten er midlertidigt utilgængelig"


def assert_friendly_503(response: TestResponse, *, api: bool = False) -> None:
    """The 503 of an outage: headers as on every page, Retry-After, never cached, no trace."""
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, name
    # 60, or what is left of the rate-limit window when Flask-Limiter rewrites it (59).
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    for leak in ("Traceback", "sqlalchemy", "psycopg", "redis", "OperationalError"):
        assert leak not in body, leak
    if api:
        assert response.is_json and response.get_json()["reference"]
        assert FRIENDLY in response.get_json()["errors"][0]["message_da"]
    else:
        assert response.mimetype == "text/html" and FRIENDLY in body and "Reference:" in body


def timed(call: Callable[[], TestResponse], *, limit: float,
          release: Callable[[], None] = lambda: None) -> tuple[TestResponse, float]:
    """call() and how long it took; fails (rather than hangs) when it takes over limit s.

    Without the timeouts these requests hang for minutes or for ever; release() ends what
    holds them, so the thread finishes after the failure.
    """
    found: dict[str, Any] = {}

    def run() -> None:
        try:
            found["response"] = call()
        except BaseException as error:  # re-raised below, in the test's thread
            found["error"] = error

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit)
    elapsed = time.monotonic() - started
    if worker.is_alive():
        release()
        worker.join(30)
        pytest.fail(f"still waiting after {limit} s")
    if "error" in found:
        raise found["error"]
    return found["response"], elapsed


@contextlib.contextmanager
def silent_server() -> Iterator[socket.socket]:
    """A server that accepts connections and never answers: a frozen database or Redis.

    Closing it resets the waiting connections (the release for timed()).
    """
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)  # the kernel completes the handshakes; nobody reads or writes
        yield server


@contextlib.contextmanager
def database_down(app: Flask) -> Iterator[None]:
    """The app's database stops answering (connection refused), then comes back."""
    healthy = app.extensions["db_engine"], app.extensions["db_sessionmaker"]
    down = make_engine(CLOSED_PORT, request_timeout_ms=app.config["DB_STATEMENT_TIMEOUT_MS"])
    app.extensions["db_engine"] = down
    app.extensions["db_sessionmaker"] = sessionmaker(down, expire_on_commit=False)
    try:
        yield
    finally:
        down.dispose()
        app.extensions["db_engine"], app.extensions["db_sessionmaker"] = healthy


@pytest.fixture
def quick_app(database_url: str) -> Iterator[Flask]:
    """The test app with a 300 ms request timeout (the default is 5 s)."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "WTF_CSRF_ENABLED": False, "DB_STATEMENT_TIMEOUT_MS": 300})
    yield app
    engine = app.extensions["db_engine"]
    empty_tables(engine)
    engine.dispose()
    index_cache.clear()


def dialect(app: Flask) -> str:
    name: str = app.extensions["db_engine"].dialect.name
    return name


def audit_events(app: Flask) -> int:
    with app.app_context():
        return int(get_session().scalar(select(func.count()).select_from(m.AuditEvent)) or 0)


# 1. A database outage on every kind of page ---------------------------------------------

@pytest.fixture
def caseworker(app: Flask) -> StaffUser:
    return make_user(app, "sag@herning.dk", "caseworker")


@pytest.mark.parametrize(("path", "staff", "api"), [
    ("/", False, False),
    ("/start", False, False),
    ("/healthz", False, False),  # the load balancer sees the outage too
    ("/api/v1/suggest?q=svejser", False, True),
    ("/", True, False),
    ("/sagsbehandler/", True, False),  # the review's case: a bare 500 without headers
    ("/konto", True, False),
    ("/api/v1/suggest?q=svejser", True, True),  # the cookie rides along to the API too
    ("/static/css/site.css", True, False),  # first database use: loading the account
])
def test_a_database_outage_is_a_friendly_503_on_every_page(
        app: Flask, caseworker: StaffUser, path: str, staff: bool, api: bool) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the handlers answer
    client = app.test_client()
    if staff:
        login(client, caseworker)
    with database_down(app):
        response, elapsed = timed(lambda: client.get(path), limit=10)
    assert_friendly_503(response, api=api)
    assert elapsed < QUICK


def test_staff_stay_logged_in_through_an_outage(app: Flask, caseworker: StaffUser) -> None:
    client = app.test_client()
    login(client, caseworker)
    with database_down(app):
        assert client.get("/sagsbehandler/").status_code == 503
    response = client.get("/sagsbehandler/")
    assert response.status_code == 200  # not sent to the login page
    assert caseworker.email in response.get_data(as_text=True)


@pytest.mark.parametrize("outage", [
    OperationalError("SELECT 1", {}, Exception("connection refused")),
    InterfaceError("SELECT 1", {}, Exception("connection already closed")),
    PoolTimeout("QueuePool limit of size 5 overflow 10 reached"),
], ids=["operational", "interface", "pool-timeout"])
@pytest.mark.parametrize("staff", [False, True], ids=["citizen", "staff"])
def test_every_kind_of_outage_is_503(app: Flask, caseworker: StaffUser, outage: Exception,
                                     staff: bool) -> None:
    @app.get("/udfald")
    def fails() -> str:
        raise outage

    client = app.test_client()
    if staff:
        login(client, caseworker)
    assert_friendly_503(client.get("/udfald"))


def test_a_500_page_during_an_outage_is_still_drawn(app: Flask, caseworker: StaffUser) -> None:
    """A bug, and the database goes down before the 500 page loads the account for its header."""
    healthy = app.extensions["db_engine"], app.extensions["db_sessionmaker"]
    down = make_engine(CLOSED_PORT)

    @app.get("/fejl")
    def fails() -> str:
        g.pop("db_session").close()
        app.extensions["db_sessionmaker"] = sessionmaker(down)
        raise RuntimeError("a bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    login(client, caseworker)
    try:
        response = client.get("/fejl")
    finally:
        app.extensions["db_engine"], app.extensions["db_sessionmaker"] = healthy
        down.dispose()
    assert response.status_code == 500
    assert "Der skete en fejl" in response.get_data(as_text=True)
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, name


# 2. A frozen or slow database ends within seconds ---------------------------------------

def test_a_closed_database_port_is_503_at_once() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": CLOSED_PORT})
    response, elapsed = timed(lambda: app.test_client().get("/"), limit=10)
    assert_friendly_503(response)
    assert elapsed < QUICK


def test_a_database_that_never_answers_is_503_within_the_connect_timeout() -> None:
    """A frozen server accepts the connection and says nothing; psycopg waits 130 s."""
    with silent_server() as server:
        port = server.getsockname()[1]
        app = create_app({"TESTING": True, "SECRET_KEY": "x",
                          "DATABASE_URL": f"postgresql+psycopg://kl@127.0.0.1:{port}/kl"})
        response, elapsed = timed(lambda: app.test_client().get("/"), limit=CONNECT_TIMEOUT_S + 7,
                                  release=server.close)
    assert_friendly_503(response)
    assert elapsed < CONNECT_TIMEOUT_S + 2


def connect_parameters(url: str) -> dict[str, Any]:
    """What make_engine hands psycopg.connect for url (the connection itself is refused)."""
    engine = make_engine(url, request_timeout_ms=300)
    seen: dict[str, Any] = {}
    event.listen(engine, "do_connect", lambda _d, _r, _a, params: seen.update(params))
    with pytest.raises(OperationalError):
        engine.connect()
    engine.dispose()
    return seen


def test_postgresql_connections_carry_both_timeouts() -> None:
    found = connect_parameters(CLOSED_PORT)
    assert found["connect_timeout"] == CONNECT_TIMEOUT_S
    assert found["options"] == "-c statement_timeout=300"


def test_timeouts_and_options_in_the_database_url_are_kept() -> None:
    found = connect_parameters(CLOSED_PORT + "?connect_timeout=10&options=-c%20search_path%3Dkl")
    assert found["connect_timeout"] == "10"
    assert found["options"] == "-c search_path=kl -c statement_timeout=300"


@contextlib.contextmanager
def write_lock_held(app: Flask, database_url: str) -> Iterator[Callable[[], None]]:
    """Another process holds the write lock (SQLite) or locks the audit table (PostgreSQL)."""
    if dialect(app) == "sqlite":
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0,
                                 isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        release = holder.rollback
    else:
        engine = make_engine(database_url)
        connection = engine.connect()
        connection.exec_driver_sql("LOCK TABLE audit_event IN EXCLUSIVE MODE")  # reads go on
        release = connection.rollback
    try:
        yield release
    finally:
        release()
        if dialect(app) == "sqlite":
            holder.close()
        else:
            connection.close()
            engine.dispose()


def test_a_locked_database_is_503_within_the_request_timeout(quick_app: Flask,
                                                             database_url: str) -> None:
    """A login (it records the failure) waits 300 ms for the lock, not 15 s or for ever."""
    client = quick_app.test_client()
    client.get("/log-ind")
    with write_lock_held(quick_app, database_url) as release:
        response, elapsed = timed(
            lambda: client.post("/log-ind", data={"email": "x@herning.dk", "password": "forkert1"}),
            limit=10, release=release)
    assert_friendly_503(response)
    assert elapsed < QUICK
    assert client.get("/").status_code == 200  # and the site goes on once the lock is gone


def test_a_slow_statement_is_cancelled_by_the_statement_timeout(quick_app: Flask) -> None:
    if dialect(quick_app) != "postgresql":
        pytest.skip("PostgreSQL's statement_timeout (CI sets TEST_DATABASE_URL)")

    @quick_app.get("/langsom")
    def slow() -> str:
        get_session().execute(text("SELECT pg_sleep(10)"))
        return "done"

    response, elapsed = timed(lambda: quick_app.test_client().get("/langsom"), limit=15)
    assert_friendly_503(response)
    assert elapsed < QUICK


def test_commands_are_not_cut_off_by_the_request_timeout(quick_app: Flask) -> None:
    """A catalogue load or a migration runs outside a request and may take its time."""
    if dialect(quick_app) != "postgresql":
        pytest.skip("PostgreSQL's statement_timeout (CI sets TEST_DATABASE_URL)")
    with quick_app.app_context():
        session = get_session()
        with session.begin():
            session.execute(text("SELECT pg_sleep(0.6)"))  # twice the request timeout
            assert session.scalar(text("SHOW statement_timeout")) == "0"
    with quick_app.test_request_context("/"):
        assert get_session().scalar(text("SHOW statement_timeout")) == "300ms"


# 3. Redis (the rate-limit storage) down -------------------------------------------------

def redis_app(database_url: str, uri: str) -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "x",
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": uri})


@pytest.mark.parametrize("path", ["/log-ind", "/log-ind/kode"])
def test_a_login_while_redis_is_down_is_503_never_unlimited(app: Flask, database_url: str,
                                                            path: str) -> None:
    down = redis_app(database_url, REDIS_CLOSED_PORT)
    client = down.test_client()
    response, elapsed = timed(lambda: client.post(path, data={
        "email": "x@herning.dk", "password": "forkert1", "code": "123456"}), limit=10)
    assert_friendly_503(response)
    assert elapsed < QUICK
    assert audit_events(app) == 0  # the password was never tried
    assert client.get("/log-ind").status_code == 200  # the form itself has no limit
    assert client.get("/").status_code == 200  # citizens never meet the limiter
    down.extensions["db_engine"].dispose()


def test_a_frozen_redis_fails_a_login_within_seconds(database_url: str) -> None:
    with silent_server() as server:
        frozen = redis_app(database_url, f"redis://127.0.0.1:{server.getsockname()[1]}/0")
        response, elapsed = timed(lambda: frozen.test_client().post(
            "/log-ind", data={"email": "x@herning.dk", "password": "forkert1"}), limit=10,
            release=server.close)
    assert_friendly_503(response)
    assert elapsed < 2 + QUICK  # socket_timeout 2 s
    frozen.extensions["db_engine"].dispose()


def test_limit_storage_errors_are_one_kind() -> None:
    """errors.py answers StorageError; the default options make Redis raise it."""
    storage = RedisStorage(REDIS_CLOSED_PORT, **DEFAULTS["RATELIMIT_STORAGE_OPTIONS"])
    with pytest.raises(StorageError):
        storage.incr("key", 60)


@pytest.fixture
def production_environment(monkeypatch: pytest.MonkeyPatch, database_url: str,
                           tmp_path: Path) -> None:
    """A production configuration, from the environment as wsgi.py reads it."""
    for name, value in {"APP_ENV": "production", "SECRET_KEY": STRONG_KEY,
                        "TRUSTED_HOSTS": "kompetenceloeft.herning.dk",
                        "DATABASE_URL": database_url,
                        "RATELIMIT_STORAGE_URI": "redis://:hemmeligt-kodeord@127.0.0.1:1/0"}.items():
        monkeypatch.setenv(name, value)
        monkeypatch.delenv(f"FLASK_{name}", raising=False)
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


def test_production_refuses_to_start_when_redis_does_not_answer(
        production_environment: None) -> None:
    with pytest.raises(RuntimeError, match=r"RATELIMIT_STORAGE_URI \(redis://127.0.0.1:1/0\) "
                                           r"does not answer.*Refusing to start") as refused:
        create_app()
    assert "hemmeligt" not in str(refused.value)  # the password is not printed


def test_production_starts_when_redis_answers(production_environment: None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RedisStorage, "check", lambda self: True)
    app = create_app()
    assert app.config["APP_ENV"] == "production"
    app.extensions["db_engine"].dispose()
