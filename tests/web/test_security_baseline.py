"""Headers, cookies, CSRF and size limits on every kind of response (reference/security.md §4.4)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from matcher import create_app
from matcher.web.security import CSP, HEADERS
from tests.web.staff_helpers import login, make_user
from tests.web.test_app import STRONG_KEY

EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"),
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def test_the_header_set_is_exactly_as_reviewed() -> None:
    assert HEADERS == EXPECTED
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/"), ("GET", "/om-data"), ("GET", "/start"), ("POST", "/start"),
    ("GET", "/findes-ikke"), ("GET", "/api/v1/openapi.json"), ("POST", "/api/v1/match"),
    ("GET", "/log-ind"), ("GET", "/static/css/site.css"), ("GET", "/healthz"),
])
def test_every_kind_of_response_carries_the_headers(client: FlaskClient, method: str,
                                                    path: str) -> None:
    with client.open(path, method=method) as response:
        for name, value in EXPECTED.items():
            assert response.headers.get(name) == value, (path, name)
        if response.mimetype == "text/html":
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_staff_pages_are_never_cached(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    login(client, user)
    for path in ("/sagsbehandler/", "/konto", "/"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_session_cookie_flags_in_development(app: Flask, client: FlaskClient) -> None:
    client.get("/start")  # creates the session for the CSRF token
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_cookies_in_production_are_secure_and_host_prefixed(database_url: str) -> None:
    app = create_app({"APP_ENV": "production", "SECRET_KEY": STRONG_KEY,
                      "TRUSTED_HOSTS": ["kompetenceloeft.herning.dk"],
                      "DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI":
                      "redis://127.0.0.1:6379/0"})
    client = app.test_client()
    response = client.get("/start", base_url="https://kompetenceloeft.herning.dk")
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("__Host-session="))
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session
    assert "Path=/" in session and "Domain" not in session
    app.extensions["db_engine"].dispose()


def test_language_cookie_is_httponly_and_samesite(client: FlaskClient) -> None:
    response = client.post("/sprog", data={"lang": "en", "next": "/"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("sprog="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture
def csrf_app(database_url: str) -> Flask:
    app = create_app({"TESTING": True, "SECRET_KEY": "csrf-test", "DATABASE_URL": database_url})
    yield app
    app.extensions["db_engine"].dispose()


def test_every_post_route_refuses_a_missing_csrf_token(csrf_app: Flask) -> None:
    """All state-changing HTML routes; the JSON API is exempt (it reads no cookie)."""
    client = csrf_app.test_client()
    checked = []
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in (rule.methods or set()) or rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<[^>]+>", "x", re.sub(r"<int:\w+>", "1", rule.rule))
        response = client.post(path, data={"step": "situation", "age": "30"})
        assert response.status_code == 400, path
        assert "Siden var udløbet" in response.get_data(as_text=True), path
        checked.append(path)
    assert len(checked) >= 12


def test_the_csrf_page_keeps_what_was_typed_but_not_secrets(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    page = client.post("/start", data={"step": "situation", "age": "44",
                                       "status": "employed",
                                       "password": "hemmelig"}).get_data(as_text=True)
    assert 'name="age" value="44"' in page and 'name="status" value="employed"' in page
    assert "hemmelig" not in page
    assert 'name="csrf_token" value="' in page  # a fresh token to send it again


@pytest.mark.parametrize("path", ["/admin/brugere/1/rolle", "/admin/brugere/1/deaktiver",
                                  "/log-ind"])
def test_the_csrf_page_never_sends_a_staff_action_again(csrf_app: Flask, path: str) -> None:
    """A forged staff action or login is refused and not offered again with a fresh token."""
    page = csrf_app.test_client().post(path, data={"role": "administrator",
                                                   "email": "a@example.dk"}).get_data(
        as_text=True)
    assert "Siden var udløbet" in page and "Intet er ændret" in page
    assert "<form" not in page.split("<main")[1].split("</main>")[0]
    assert "administrator" not in page and "a@example.dk" not in page


def test_requests_over_the_size_limit_are_refused(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post("/start", data={"answers": "x" * 20_000})
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)


def test_errors_never_show_internals(app: Flask) -> None:
    @app.get("/crash")
    def crash() -> str:
        raise ValueError("SELECT * FROM user_account WHERE password_hash = 'x'")

    crash.access_policy = "public"  # type: ignore[attr-defined]
    response = app.test_client().get("/crash")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "user_account" not in page and "Traceback" not in page and 'File "' not in page
