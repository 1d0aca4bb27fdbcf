"""The providers' area in Chromium: create a course with a session, edit, archive, a
conflict between two browsers, and axe on every provider page in Danish and English."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import accessible, log_in, serve
from tests.conftest import mini_catalog_with_educations
from tests.web.staff_helpers import make_user


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A site of its own: these tests change listings the other browser tests rely on."""
    catalog = mini_catalog_with_educations(tmp_path_factory.mktemp("catalog") / "mini")
    with serve(tmp_path_factory.mktemp("provider"), catalog, "2026-12-01") as live:
        yield live


def test_create_a_course_with_a_session_edit_and_archive_it(page: Page,
                                                           site: tuple[Flask, str]) -> None:
    app, base = site
    log_in(page, base, make_user(app, "opret@example.dk", "provider", provider="p_herning"))
    accessible(page)
    page.get_by_role("link", name="Opret kursus").click()
    accessible(page)
    page.get_by_label("Titel på dansk").fill("Svejsning for begyndere")
    page.get_by_label("Varighed i dage").fill("5")
    page.get_by_label("Pris i kroner").fill("<b>")
    page.get_by_role("button", name="Gem kurset").click()
    # An error: the summary has the focus, the field says what is wrong; axe with errors.
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#price_dkk")).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.get_by_label("Pris i kroner").fill("4500")
    # Search and pick a skill with the combobox (JavaScript on).
    page.get_by_label("Søg efter en kompetence").fill("svejs")
    page.get_by_role("option", name=re.compile("MAG")).first.click()
    expect(page.locator("input[type=hidden][name=skills]")).to_have_count(1)
    # And a job without the combobox: "Søg", tick, "Tilføj".
    page.get_by_label("Søg efter et job").fill("svejser")
    page.locator("button[value='search:occupations']").click()
    page.get_by_role("checkbox", name="Svejser").check()
    page.get_by_role("button", name="Tilføj job").click()
    accessible(page)
    page.get_by_role("button", name="Gem kurset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Svejsning for begyndere")
    expect(page.get_by_text("Kurset er gemt")).to_be_visible()
    accessible(page)

    page.get_by_role("link", name="Tilføj hold").click()
    accessible(page)
    page.get_by_label("Startdato").fill("2027-02-01")
    page.get_by_label("Slutdato").fill("2027-01-01")
    page.get_by_role("button", name="Gem holdet").click()
    expect(page.get_by_text("Slutdatoen må ikke ligge før startdatoen.").first).to_be_visible()
    accessible(page)
    page.get_by_label("Slutdato").fill("2027-02-05")
    page.get_by_label("Antal pladser").fill("12")
    page.get_by_role("button", name="Gem holdet").click()
    expect(page.get_by_text("Holdet er gemt")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("2027-02-01"))).to_be_visible()

    page.get_by_role("link", name="Ret kurset").click()
    accessible(page)
    page.get_by_label("Pris i kroner").fill("3900")
    page.get_by_role("button", name="Gem kurset").click()
    expect(page.get_by_text("3900 kr.")).to_be_visible()

    page.get_by_role("button", name="Arkivér kurset").click()
    expect(page.get_by_text("Kurset er arkiveret", exact=True)).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Dine kurser").click()
    expect(page.get_by_role("heading", name="Arkiverede kurser")).to_be_visible()


def test_two_browsers_editing_the_same_session(browser: Browser,
                                               site: tuple[Flask, str]) -> None:
    app, base = site
    pages = []
    for email in ("hold1@example.dk", "hold2@example.dk"):
        context = browser.new_context(locale="da-DK")
        page = context.new_page()
        log_in(page, base, make_user(app, email, "provider", provider="p_herning"))
        pages.append(page)
    first, second = pages
    first.goto(base + "/udbyder/kurser/c_svejs")
    first.get_by_role("link", name=re.compile("Ret holdet fra")).first.click()
    second.goto(first.url)  # both now hold the same version of the session
    first.get_by_label("Antal pladser").fill("7")
    first.get_by_role("button", name="Gem holdet").click()
    expect(first.get_by_text("Holdet er gemt")).to_be_visible()

    second.get_by_label("Antal pladser").fill("9")
    second.get_by_role("button", name="Gem holdet").click()
    expect(second.get_by_role("heading", level=1)).to_have_text(
        "Ændret af en anden i mellemtiden")
    expect(second.get_by_label("Antal pladser")).to_have_value("9")  # what was typed stays
    expect(second.get_by_role("row", name=re.compile("Pladser"))).to_contain_text("7")
    accessible(second)
    second.get_by_role("button", name="Gem mine ændringer alligevel").click()
    expect(second.get_by_text("Holdet er gemt")).to_be_visible()
    for page in pages:
        page.context.close()


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_provider_page_is_accessible(page: Page, site: tuple[Flask, str],
                                           language: str) -> None:
    app, base = site
    log_in(page, base, make_user(app, f"axe-{language}@example.dk", "provider",
                                 provider="p_herning"))
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(base + "/udbyder/kurser/c_truck")
    session_link = page.locator("a[href*='/udbyder/kurser/c_truck/hold/']").first
    session_url = base + (session_link.get_attribute("href") or "")
    for path in ("/udbyder/", "/udbyder/kurser/c_truck", "/udbyder/kurser/nyt",
                 "/udbyder/kurser/c_truck/rediger", "/udbyder/kurser/c_truck/hold/nyt"):
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        accessible(page)
    page.goto(session_url)
    accessible(page)
    # With errors shown, and with suggestions to pick from.
    page.goto(base + "/udbyder/kurser/nyt")
    page.locator("button[value='search:skills']").click()
    accessible(page)
    page.locator("#skills-query").fill("truck")
    page.locator("button[value='search:skills']").click()
    accessible(page)
    page.goto(base + "/udbyder/kurser/c_truck/hold/nyt")
    page.locator("button[type=submit].button-primary").click()
    accessible(page)
