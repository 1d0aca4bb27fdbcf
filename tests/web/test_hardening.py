"""Configuration and request hardening from the attack-and-fault review (issue 10).

Each test here failed before its fix: the signing key outside production, TRUSTED_HOSTS,
oversized chunked bodies, Retry-After on 429 and query strings kept out of logs.
"""

from __future__ import annotations

import contextlib
import io
import logging
import runpy
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface
from flask.testing import EnvironBuilder
from gunicorn.config import Config
from gunicorn.glogging import Logger
from werkzeug.serving import make_server
from werkzeug.wrappers import Request as BaseRequest

from matcher import create_app
from matcher.config import DEV_SECRET_KEY, deployment_problems, from_environment
from matcher.web.access import public
from tests.conftest import ROOT
from tests.web.test_app import SAFE

HOST = "kompetenceloeft.herning.dk"


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key, environment, host list or debug flag from the shell running the tests."""
    for name in ("SECRET_KEY", "APP_ENV", "TRUSTED_HOSTS", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"FLASK_{name}", raising=False)


def _dispose(app: Flask) -> None:
    app.extensions["db_engine"].dispose()


# 1. The signing key -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Production", "PRODUCTION", " production "])
def test_app_env_is_read_case_insensitively(clean_environment: None, name: str) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"APP_ENV": name, "SECRET_KEY": DEV_SECRET_KEY})


@pytest.mark.parametrize("name", ["prod", "staging", "live"])
def test_an_unknown_app_env_refuses_to_start(clean_environment: None, name: str) -> None:
    with pytest.raises(RuntimeError, match=r"APP_ENV=.*development, testing, production"):
        create_app({"APP_ENV": name, "SECRET_KEY": DEV_SECRET_KEY})


@pytest.mark.parametrize("config", [
    {}, {"APP_ENV": "development"}, {"APP_ENV": "Testing"},
    {"SECRET_KEY": DEV_SECRET_KEY},  # the key from the source, set on purpose
])
def test_the_development_key_never_signs_outside_debug_or_testing(
        clean_environment: None, database_url: str, caplog: pytest.LogCaptureFixture,
        config: dict[str, str]) -> None:
    """A session forged with the key from the source is not accepted (the review's attack)."""
    forger = create_app({"TESTING": True, "DATABASE_URL": database_url})
    assert forger.secret_key == DEV_SECRET_KEY
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    assert serializer is not None
    forged = serializer.dumps({"_user_id": "1", "sv": 0})
    _dispose(forger)

    app = create_app({"DATABASE_URL": database_url, **config})
    assert app.secret_key != DEV_SECRET_KEY and len(str(app.secret_key)) >= 32
    assert "random key for this process" in caplog.text
    with app.test_request_context("/", headers={"Cookie": f"session={forged}"}):
        assert "_user_id" not in session
    _dispose(app)


def test_each_process_without_a_key_gets_its_own(clean_environment: None,
                                                 database_url: str) -> None:
    first = create_app({"DATABASE_URL": database_url})
    second = create_app({"DATABASE_URL": database_url})
    assert first.secret_key != second.secret_key
    _dispose(first)
    _dispose(second)


def test_production_refuses_to_start_without_a_key(clean_environment: None) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({**SAFE, "APP_ENV": "production", "SECRET_KEY": None})


@pytest.mark.parametrize(("key", "reason"), [
    ("k" * 40, "distinct"),  # forty identical characters passed the old check
    ("abcabcabcabcabcabcabcabcabcabcabcabc", "distinct"),
    ("0123456789abcdef0123456789abcde", "shorter than 32"),
    (DEV_SECRET_KEY, "development key"),
])
def test_a_weak_key_is_refused_in_production(clean_environment: None, key: str,
                                             reason: str) -> None:
    assert any(reason in problem for problem in deployment_problems({**SAFE, "SECRET_KEY": key}))
    with pytest.raises(RuntimeError, match=reason):
        create_app({**SAFE, "APP_ENV": "production", "SECRET_KEY": key})


# 2. TRUSTED_HOSTS ---------------------------------------------------------------------

def test_trusted_hosts_come_from_the_environment() -> None:
    found = from_environment({"TRUSTED_HOSTS": f"{HOST}, .herning.dk ,"})
    assert found == {"TRUSTED_HOSTS": [HOST, ".herning.dk"]}


def test_production_requires_trusted_hosts(clean_environment: None) -> None:
    assert any("TRUSTED_HOSTS" in p for p in deployment_problems({**SAFE, "TRUSTED_HOSTS": None}))
    with pytest.raises(RuntimeError, match="TRUSTED_HOSTS"):
        create_app({**SAFE, "APP_ENV": "production", "TRUSTED_HOSTS": []})


def test_an_untrusted_host_gets_400_and_is_never_reflected(
        clean_environment: None, monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("TRUSTED_HOSTS", HOST)
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    client = app.test_client()
    assert client.get("/admin/", base_url=f"http://{HOST}").status_code == 302
    for path in ("/admin/", "/", "/log-ind"):
        response = client.get(path, base_url="http://evil.example")
        assert response.status_code == 400, path
        assert "Location" not in response.headers
        assert "evil.example" not in response.get_data(as_text=True)
        assert response.headers["X-Frame-Options"] == "DENY"  # still the full header set
    _dispose(app)


# 3. Chunked bodies --------------------------------------------------------------------

class Chunks(io.RawIOBase):
    """A request body that arrives in pieces and has no length (Transfer-Encoding: chunked)."""

    def __init__(self, body: bytes, size: int = 64 * 1024) -> None:
        self.parts = [body[i:i + size] for i in range(0, len(body), size)]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if not self.parts:
            return 0
        part = self.parts.pop(0)
        if len(part) > len(buffer):
            part, rest = part[:len(buffer)], part[len(buffer):]
            self.parts.insert(0, rest)
        buffer[:len(part)] = part
        return len(part)


def _post_chunked(app: Flask, path: str, body: bytes, content_type: str) -> tuple[int, str]:
    environ = EnvironBuilder(app, path, method="POST", content_type=content_type,
                             headers={"Transfer-Encoding": "chunked"}).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = Chunks(body)
    environ["wsgi.input_terminated"] = True  # as gunicorn and the werkzeug server set it
    response = app.test_client().open(BaseRequest(environ))  # the environ as it is
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(("path", "content_type", "body"), [
    ("/start", "application/x-www-form-urlencoded", b"answers=" + b"x" * (3 * 1024 * 1024)),
    ("/api/v1/match", "application/json", b'{"x": "' + b"x" * (3 * 1024 * 1024) + b'"}'),
])
def test_a_3_mb_chunked_body_is_refused_not_cut(app: Flask, path: str, content_type: str,
                                                body: bytes) -> None:
    status, text = _post_chunked(app, path, body, content_type)
    assert status == 413
    assert "Traceback" not in text


def test_a_small_chunked_body_is_still_read_whole(app: Flask) -> None:
    @app.post("/echo-length")
    @public
    def echo_length() -> str:
        return str(len(request.form["answers"]))

    size = 2 * 1024 * 1024 - 100  # just under MAX_CONTENT_LENGTH
    status, text = _post_chunked(app, "/echo-length", b"answers=" + b"y" * size,
                                 "application/x-www-form-urlencoded")
    assert (status, text) == (200, str(size))


# 4. Retry-After on 429 ----------------------------------------------------------------

def test_a_429_says_when_to_try_again(app: Flask) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    responses = [client.post("/log-ind", data={"email": "x@y.dk", "password": "guess"},
                             environ_base={"REMOTE_ADDR": "10.9.9.8"}) for _ in range(3)]
    assert [r.status_code for r in responses] == [400, 400, 429]
    retry_after = responses[-1].headers.get("Retry-After")
    assert retry_after is not None and 0 <= int(retry_after) <= 60


# 5. Typeahead text stays out of logs --------------------------------------------------

TYPED = "hemmeligtekstborger"


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on the development server (`flask run`), which writes an access log."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_our_access_log_never_holds_what_was_typed(served: str,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    for url in (f"{served}/api/v1/suggest?kind=skill&q={TYPED}",
                f"{served}/findes-ikke?q={TYPED}"):
        with contextlib.suppress(urllib.error.HTTPError):  # a 404 or 503 is logged too
            urllib.request.urlopen(url, timeout=10).read()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET /api/v1/suggest HTTP/1.1" in logged
    assert TYPED not in logged


def test_the_gunicorn_access_log_format_drops_query_strings() -> None:
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log_format = settings["access_log_format"]
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/api/v1/suggest?q={TYPED}",
               "PATH_INFO": "/api/v1/suggest", "QUERY_STRING": f"q={TYPED}",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": f"https://{HOST}/start?q={TYPED}", "HTTP_USER_AGENT": "test"}
    response = SimpleNamespace(status="200 OK", headers=[], sent=42)
    request = SimpleNamespace(headers=[])
    atoms = Logger(Config()).atoms(response, request, environ, timedelta(milliseconds=5))
    line = log_format % atoms
    assert '"GET /api/v1/suggest HTTP/1.1" 200' in line
    assert TYPED not in line


def test_two_gunicorn_instances_on_one_host_do_not_share_a_control_socket(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """gunicorn 25+ puts every instance's control socket at one path; stopping one would
    remove the other's. It is off unless an instance is given a path of its own."""
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["control_socket_disable"] is True
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "/run/kl/a.ctl")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["control_socket_disable"] is False
    assert settings["control_socket"] == "/run/kl/a.ctl"
