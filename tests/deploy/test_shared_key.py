"""Why every instance needs the same SECRET_KEY (docs/deploy.md, "Proven in CI: two instances").

In process and fast, so `make test` runs it; the live instances are test_two_instances.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from matcher import create_app

KEY = "shared-key-0123456789-abcdefghijklmnopqrstuvwxyz"
OTHER_KEY = "other-key-9876543210-zyxwvutsrqponmlkjihgfedcba"


@pytest.fixture
def instances(database_url: str) -> Iterator[dict[str, Flask]]:
    """Three app instances on one database, CSRF on: two share a key, one has its own."""
    apps = {name: create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": key})
            for name, key in (("a", KEY), ("b", KEY), ("own_key", OTHER_KEY))}
    yield apps
    for app in apps.values():
        app.extensions["db_engine"].dispose()


@pytest.mark.parametrize(("target", "status"), [("b", 303), ("own_key", 400)])
def test_a_form_is_accepted_only_by_instances_with_the_same_key(
        instances: dict[str, Flask], target: str, status: int) -> None:
    drawn = instances["a"].test_client()
    page = drawn.get("/start")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    cookie = drawn.get_cookie("session")
    assert page.status_code == 200 and token and cookie

    other = instances[target].test_client()
    other.set_cookie("session", cookie.value)
    answer = other.post("/start", data={"csrf_token": token.group(1), "step": "situation",
                                        "action": "next", "status": "employed"})
    assert answer.status_code == status
    refused = "<h1>Siden var udløbet</h1>" in answer.get_data(as_text=True)
    assert refused == (status == 400)
