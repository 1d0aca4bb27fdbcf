"""The public pages in a real browser: DKFDS renders, both languages, axe finds nothing."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import WCAG_TAGS

PAGES = [("/", "Find vej til et job med fremtid", "Find your way to a job with a future"),
         ("/om-data", "Om data", "About the data"),
         ("/tilgaengelighed", "Tilgængelighedserklæring", "Accessibility statement"),
         ("/saadan-finder-vi-dine-forslag", "Sådan finder vi dine forslag",
          "How we find your suggestions"),
         ("/privatliv", "Dine svar og cookies", "Your answers and cookies")]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def choose_english(page: Page) -> None:
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize(("path", "danish", "english"), PAGES)
def test_page_in_danish_then_english_without_axe_violations(page: Page, live_server: str,
                                                            path: str, danish: str,
                                                            english: str) -> None:
    page.goto(live_server + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(danish)
    expect(page.get_by_text("Demonstrationsdata").first).to_be_visible()
    assert "IBM Plex Sans" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert_accessible(page)

    choose_english(page)
    assert page.url == live_server + path
    expect(page.get_by_role("heading", level=1)).to_have_text(english)
    expect(page.get_by_text("Demonstration data").first).to_be_visible()
    assert_accessible(page)


def test_error_page_is_accessible(page: Page, live_server: str) -> None:
    response = page.goto(live_server + "/findes-ikke")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    assert_accessible(page)


def test_keyboard_reaches_content_and_footer_links(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til sidens indhold")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    statement = page.get_by_role("link", name="Tilgængelighedserklæring")
    for _ in range(30):
        page.keyboard.press("Tab")
        if statement.evaluate("el => el === document.activeElement"):
            break
    expect(statement).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server + "/tilgaengelighed")


def test_phone_width_shows_the_page_without_sideways_scrolling(page: Page,
                                                               live_server: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server + "/om-data")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_accessible(page)
