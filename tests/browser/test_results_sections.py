"""Issue item 2 in Chromium: the new results sections on a phone in both languages, and the
education step's search and certificate checklist with the keyboard alone; axe on each.

The results are hand-made (tests/web/test_results_sections.py) and put in place of the
match inside the live server's process, so the page is checked whatever the engine returns.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from matcher.web import results as results_module
from tests.browser.conftest import accessible
from tests.browser.test_journey import heading, tab_until
from tests.web.test_results_sections import hand_made

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def dressed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_module, "match_profile",
                        lambda profile, **kw: hand_made(kw["today"]))


def to_results(page: Page, *, english: bool) -> None:
    """Through the four steps with the fewest answers the journey accepts."""
    page.get_by_label("Unemployed" if english else "Ledig", exact=True).check()
    page.get_by_label("How old are you?" if english else "Hvor gammel er du?").fill("34")
    page.locator("button[value='next']:not(.default-submit)").click()
    page.locator("#education_level-1").check()
    page.locator("button[value='next']:not(.default-submit)").click()
    page.locator("button[value='next']:not(.default-submit)").click()
    page.locator("#postcode").fill("7400")
    page.locator("button[value='next']:not(.default-submit)").click()


def section_headings(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("main h2").all_inner_texts()]


@pytest.mark.parametrize(("english", "expected"), [
    (False, ["Kort fortalt", "Det du spurgte om", "Bliv faglært", "Job du er tæt på",
             "Kurser der flytter dig", "Veje til job", "Tag det med dig"]),
    (True, ["In short", "What you asked about", "Become skilled", "Jobs you are close to",
            "Courses that move you on", "Paths to a job", "Take it with you"]),
])
def test_results_sections_on_a_phone(page: Page, live_server: str, dressed: None,
                                     english: bool, expected: list[str]) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/start")
    if english:
        page.get_by_role("button", name="English").click()
    to_results(page, english=english)
    heading(page, "Your options" if english else "Dine muligheder")
    shown = [h for h in section_headings(page) if h in expected]
    assert shown == expected
    notice = page.locator(".notice .alert-warning")
    expect(notice).to_contain_text("Add the jobs you have had" if english
                                   else "Tilføj de job, du har haft")
    asked = page.locator("#asked ~ ul").first
    expect(asked).to_contain_text("Open to you now" if english else "Åbent for dig nu")
    expect(asked).to_contain_text("Not possible through the catalogue" if english
                                  else "Ikke muligt via kataloget")
    expect(asked).to_contain_text("competence assessment" if english else "kompetencevurdering")
    expect(page.locator(".route-card").first).to_contain_text(
        "1 February 2027" if english else "1. februar 2027")
    # One card for the course, its sessions inside (design.md §5a.8).
    expect(page.locator(".course-card .sessions li")).to_have_count(2)
    # The summary jumps to a section, which is then on screen and has the focus.
    page.get_by_role("link", name="Become skilled" if english else "Bliv faglært").click()
    assert page.url.endswith("#routes")
    expect(page.locator("#routes")).to_be_in_viewport()
    expect(page.locator("#routes")).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    accessible(page)


def test_education_step_with_the_keyboard_only(page: Page, live_server: str,
                                               ) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/start")
    keyboard = page.keyboard

    def tab_to(selector: str) -> None:
        tab_until(page, selector)

    tab_to("#status-1")
    keyboard.press("Space")
    tab_to("#age")
    keyboard.type("34")
    keyboard.press("Enter")
    heading(page, "Din uddannelse")
    accessible(page)

    tab_to("#education_level-1")
    keyboard.press("Space")
    tab_to("#education-query")
    keyboard.type("smd")  # a typo
    keyboard.press("Enter")  # searches instead of leaving the step
    expect(page.locator("#education-pick")).to_be_visible()
    expect(page.locator("#education_level-1")).to_be_checked()  # kept while searching
    tab_to("#education-pick-1")
    keyboard.press("Space")
    tab_to("button[value='add:education']")
    keyboard.press("Enter")
    expect(page.locator(".chosen-list").first).to_contain_text("Smed (erhvervsuddannelse)")

    licence = page.get_by_label("Kørekort C")
    licence_id = licence.get_attribute("id")
    assert licence_id
    tab_to("#" + licence_id)
    keyboard.press("Space")
    expect(licence).to_be_checked()
    accessible(page)

    tab_to("button[value='next']:not(.default-submit)")
    keyboard.press("Enter")
    heading(page, "Din erfaring")
    # Both were kept: the education step shows them again.
    page.goto(live_server + "/start/uddannelse")
    expect(page.locator(".chosen-list").first).to_contain_text("Smed (erhvervsuddannelse)")
    expect(page.get_by_label("Kørekort C")).to_be_checked()


def test_certificate_tampering_shows_the_error_on_the_checklist(page: Page,
                                                                live_server: str) -> None:
    page.goto(live_server + "/start")
    page.get_by_label("Ledig", exact=True).check()
    page.get_by_label("Hvor gammel er du?").fill("34")
    page.get_by_role("button", name="Næste").click()
    page.locator("#education_level-1").check()
    page.evaluate("""() => { const box = document.querySelector("input[name=certificates]");
                              box.value = "not_a_certificate"; box.checked = true; }""")
    page.locator("button[value='next']:not(.default-submit)").click()
    summary = page.locator("[data-module=error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Vælg kun blandt kørekortene og certifikaterne på listen.")
    summary.get_by_role("link").first.click()
    expect(page.locator("#certificates-1")).to_be_focused()
    accessible(page)
