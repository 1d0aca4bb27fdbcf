"""Browser tests: Debian's Chromium driven by Playwright against a live server on loopback.

Without Chromium the tests are skipped, unless REQUIRE_BROWSER=1 (as in .ci/run), where a
missing browser is a failure: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from matcher import create_app
from matcher.data import migrate
from matcher.data.catalog import load_catalog
from matcher.data.db import get_session, make_engine
from tests.conftest import UNLIMITED, mini_catalog_with_educations
from tests.web.staff_helpers import PASSWORD, StaffUser, current_code

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).is_file():
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "da-DK", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def live_server(live_app: tuple[Flask, str]) -> str:
    return live_app[1]


ROLE_HOMES = {"admin": "Brugere", "caseworker": "Dine klienter", "provider": "Dine kurser"}


def accessible(page: Page) -> None:
    """axe finds no WCAG 2.1 A or AA violation on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, page.url + "\n" + results.generate_report()


def log_in(page: Page, base: str, user: StaffUser, heading: str | None = None) -> None:
    """Log in through the real forms, the second factor's current code included, and land
    on heading (by default the home page of the user's role)."""
    page.goto(base + "/log-ind")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_label("Kode", exact=False).first.fill(current_code(user))
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading or ROLE_HOMES[user.role])


@contextmanager
def serve(folder: Path, catalog: Path, today: str) -> Iterator[tuple[Flask, str]]:
    """The site on a free loopback port with a database in folder and catalog loaded."""
    url = "sqlite:///" + str(folder / "live.db")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "browser-tests",
                      "TODAY": today, **UNLIMITED})
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, catalog)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """The site with the mini catalogue and educations loaded."""
    catalog = mini_catalog_with_educations(tmp_path_factory.mktemp("catalog") / "mini")
    with serve(tmp_path_factory.mktemp("live"), catalog, "2026-12-01") as live:
        yield live
