"""Per-address limits on the citizen's posts and the API (ASVS 2.4.1).

Each route is limited per client address: one address that goes over gets 429 with
Retry-After (a Danish page, or the API's JSON error), while another address is still
served. The limits are settings, readable from the environment, and a Redis outage never
refuses a citizen (the limits then count per process) while it still refuses a login.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from limits import parse

from matcher import create_app
from matcher.config import DEFAULTS, from_environment
from tests.conftest import UNLIMITED

PROFILE = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
           "education_level": "grundskole", "postcode": "7400",
           "occupations": [{"code": "lagermedarbejder", "years": 1}]}
# (setting, method, path, request arguments, address of its own: TEST-NET-1)
ROUTES = [
    ("CITIZEN_RATE_LIMIT", "POST", "/start", {"data": {"step": "situation"}}, "192.0.2.11"),
    ("CITIZEN_RATE_LIMIT", "POST", "/resultater", {"data": {"action": "update"}}, "192.0.2.12"),
    ("CITIZEN_RATE_LIMIT", "GET", "/resultater", {}, "192.0.2.18"),
    ("API_RATE_LIMIT", "POST", "/api/v1/match", {"json": PROFILE}, "192.0.2.13"),
    ("SUGGEST_RATE_LIMIT", "GET", "/api/v1/suggest", {"query_string": {"q": "lager"}},
     "192.0.2.14"),
    ("CITIZEN_RATE_LIMIT", "GET", "/kurser", {"query_string": {"q": "truck"}}, "192.0.2.15"),
    ("CITIZEN_RATE_LIMIT", "GET", "/kurser/c_truck", {}, "192.0.2.16"),
    ("API_RATE_LIMIT", "GET", "/api/v1/courses", {"query_string": {"q": "truck"}},
     "192.0.2.17"),
]


@pytest.mark.parametrize(("setting", "method", "path", "arguments", "address"), ROUTES,
                         ids=[f"{method} {path}" for _, method, path, _, _ in ROUTES])
def test_one_address_over_the_limit_gets_429_while_another_is_served(
        app_loaded: Flask, setting: str, method: str, path: str, arguments: dict[str, Any],
        address: str) -> None:
    app_loaded.config[setting] = "3 per minute"
    client = app_loaded.test_client()

    def send(from_address: str) -> Any:
        return client.open(path, method=method, environ_base={"REMOTE_ADDR": from_address},
                           **arguments)

    responses = [send(address) for _ in range(4)]
    served = (200, 303)  # a page, or a post answered by the page to go to
    assert [r.status_code in served for r in responses] == [True, True, True, False]
    assert responses[-1].status_code == 429
    refused = responses[-1]
    retry_after = refused.headers.get("Retry-After")
    assert retry_after is not None and 0 <= int(retry_after) <= 60
    if path.startswith("/api/"):
        (error,) = refused.get_json()["errors"]
        assert error["message"].startswith("For mange forespørgsler fra din adresse")
    else:
        page = refused.get_data(as_text=True)
        assert "<h1>For mange forespørgsler</h1>" in page and "Vent lidt, og prøv igen." in page
    assert send(address.replace("192.0.2.", "198.51.100.")).status_code in served


def test_the_limits_are_settings_read_from_the_environment() -> None:
    """The deployment (and its load test) sets them in the environment, as docs/deploy.md does."""
    environ = {"CITIZEN_RATE_LIMIT": "5 per second", "FLASK_API_RATE_LIMIT": "7 per minute",
               "SUGGEST_RATE_LIMIT": "9 per minute", "UPLOAD_RATE_LIMIT": "3 per minute"}
    assert from_environment(environ) == {"CITIZEN_RATE_LIMIT": "5 per second",
                                         "API_RATE_LIMIT": "7 per minute",
                                         "SUGGEST_RATE_LIMIT": "9 per minute",
                                         "UPLOAD_RATE_LIMIT": "3 per minute"}
    for setting in UNLIMITED:  # the defaults are limits the limiter can read, above a person
        assert parse(DEFAULTS[setting]).amount >= (20 if setting == "UPLOAD_RATE_LIMIT" else 60)


def test_a_redis_outage_never_refuses_a_citizen_but_still_refuses_a_login(
        database_url: str) -> None:
    down = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "x",
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
                       "CITIZEN_RATE_LIMIT": "2 per minute"})
    try:
        client = down.test_client()
        address = {"REMOTE_ADDR": "192.0.2.21"}
        statuses = [client.post("/start", data={"step": "situation"}, environ_base=address
                                ).status_code for _ in range(3)]
        assert statuses == [303, 303, 429]  # counted in this process meanwhile
        login = client.post("/log-ind", data={"email": "x@herning.dk", "password": "forkert1"})
        assert login.status_code == 503
    finally:
        down.extensions["db_engine"].dispose()
