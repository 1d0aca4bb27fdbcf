"""The public pages: content in both languages, the demo notice, errors without traces."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient, FlaskCliRunner

from matcher import create_app
from tests.conftest import MINI_CATALOG

PAGES = ["/", "/om-data", "/tilgaengelighed", "/saadan-finder-vi-dine-forslag", "/privatliv"]


def html(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_page_is_danish_by_default_with_footer_links(client: FlaskClient, path: str) -> None:
    page = html(client, path)
    assert '<html lang="da">' in page
    assert "Tilgængelighedserklæring</a>" in page
    assert "Om data</a>" in page
    assert "Herning Kommune" in page
    assert "portal-info" not in page  # no borger.dk logo strip: this is the municipality's site


@pytest.mark.parametrize("path", PAGES)
def test_english_after_choosing_it(client: FlaskClient, path: str) -> None:
    response = client.post("/sprog", data={"lang": "en", "next": path})
    assert response.status_code == 303
    assert response.headers["Location"] == path
    page = html(client, path)
    assert '<html lang="en">' in page
    assert "Accessibility statement</a>" in page
    assert "Tilgængelighedserklæring" not in page


def test_home_explains_the_service_in_plain_danish(client: FlaskClient) -> None:
    page = html(client, "/")
    assert "Find vej til et job med fremtid" in page
    assert "Sådan virker det" in page
    assert "a-kasse" in page


def test_language_switch_refuses_foreign_redirects(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post("/sprog", data={"lang": "en", "next": target})
        assert response.headers["Location"] == "/"


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    client.post("/sprog", data={"lang": "xx", "next": "/"})
    assert '<html lang="da">' in html(client, "/")


def test_language_switch_needs_post(client: FlaskClient) -> None:
    assert client.get("/sprog?lang=en").status_code == 405


def test_was_short_address_leads_to_the_statement(client: FlaskClient) -> None:
    response = client.get("/was")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/tilgaengelighed")


def test_no_demo_notice_without_demo_data(client: FlaskClient) -> None:
    assert "Demonstrationsdata" not in html(client, "/")


@pytest.mark.parametrize("path", PAGES)
def test_demo_notice_on_every_page_when_demo_data_is_loaded(
        client: FlaskClient, runner: FlaskCliRunner, path: str) -> None:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    page = html(client, path)
    assert "Demonstrationsdata" in page
    assert "opdigtede eksempler" in page


def test_about_data_shows_counts_periods_and_sources(client: FlaskClient,
                                                     runner: FlaskCliRunner) -> None:
    runner.invoke(args=["catalog", "load", str(MINI_CATALOG)])
    page = html(client, "/om-data")
    assert "2. halvår 2026" in page and "2026H2" not in page
    assert "Paradoksproblemer" in page and "selv om mange i faget er ledige" in page
    assert "star.dk" in page
    assert "Open Database License" in page
    assert "<th scope=\"row\">Kurser og uddannelser</th><td class=\"align-text-right\">3</td>" in page


def test_numbers_follow_the_language(app: Flask) -> None:
    with app.test_request_context():
        assert render_template_string("{{ 2008|numberformat }}") == "2.008"
    with app.test_request_context(headers={"Cookie": "sprog=en"}):
        assert render_template_string("{{ 2008|numberformat }}") == "2,008"


def test_404_page_is_friendly(client: FlaskClient) -> None:
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)


def test_500_page_shows_a_reference_and_no_trace(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Der skete en fejl" in page and "reference" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite"})
    response = app.test_client().get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "midlertidigt utilgængelig" in page
    assert response.headers["Retry-After"] == "60"
    assert "sqlite" not in page.lower()


def test_missing_assets_give_a_page_that_says_how_to_install_them(database_url: str,
                                                                  tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url,
                      "VENDOR_DIR": str(tmp_path)})
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "make assets" in response.get_data(as_text=True)
    app.extensions["db_engine"].dispose()


def test_icon_sprite_holds_the_icons_in_use_only(client: FlaskClient) -> None:
    page = html(client, "/")
    assert '<symbol id="check"' in page  # the step indicator's tick
    assert '<symbol id="arrow-forward"' not in page  # not used by any template


def test_vendor_css_references_only_files_that_exist() -> None:
    import re

    root = Path(__file__).resolve().parents[2] / "static" / "vendor" / "dkfds"
    css = (root / "css" / "dkfds-borgerdk.min.css").read_text(encoding="utf-8")
    refs = {r.strip("'\" ").split("?")[0].split("#")[0] for r in re.findall(r"url\(([^)]+)\)", css)}
    missing = [r for r in refs if r.startswith("../") and not (root / "css" / r).resolve().is_file()]
    assert not missing
    for licence in ("LICENSE.md", "OFL-license.txt"):
        assert (root / licence).is_file()


def test_how_we_find_suggestions_comes_from_docs_scoring(client: FlaskClient) -> None:
    danish = html(client, "/saadan-finder-vi-dine-forslag")
    assert "<h1>Sådan finder vi dine forslag</h1>" in danish
    assert "<h2>Job du er tæt på</h2>" in danish and "Omfattende mangel" in danish
    assert "Jobs you are close to" not in danish
    client.post("/sprog", data={"lang": "en", "next": "/"})
    english = html(client, "/saadan-finder-vi-dine-forslag")
    assert "<h1>How we find your suggestions</h1>" in english
    assert "<strong>Jobs you are close to.</strong>" in english
    assert "Job du er tæt på" not in english


def test_the_privacy_page_says_what_the_answers_cookie_holds_and_for_how_long(
        client: FlaskClient, app: Flask) -> None:
    page = client.get("/privatliv").get_data(as_text=True)
    assert "kl_svar" in page and "Tre timer efter dit sidste svar" in page
    assert app.config["ANSWERS_MAX_AGE"] == 3 * 3600  # the page's "tre timer"
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privatliv"' in home
