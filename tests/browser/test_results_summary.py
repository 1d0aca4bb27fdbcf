"""Issue 11 item 3 in Chromium: the results page leads with a short summary that fits in two
phone screens for typical citizens, its jump links move focus to the full card, and axe
finds nothing in either language. The citizens walk the real journey on the bundled
catalogue (tests/personas/: a warehouse worker with a forklift certificate, an unskilled
cleaner who wants to work in elder care, a skilled smith).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import accessible, serve
from tests.browser.test_advice_personas import Citizen, next_step, pick
from tests.browser.test_journey import heading
from tests.conftest import BUNDLED_CATALOG

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def bundled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site with the bundled catalogue, on a day its sessions can be booked from."""
    with serve(tmp_path_factory.mktemp("bundled"), BUNDLED_CATALOG, "2027-01-11") as (_, url):
        yield url


@dataclass(frozen=True)
class Persona:
    name: str
    citizen: Citizen
    certificates: tuple[str, ...] = field(default=())


PERSONAS = (
    Persona("warehouse", Citizen("unemployed", "34", "grundskole",
                                 ("lagermedarbejder", "lagermedarbejder"), (), "7400",
                                 benefit="dagpenge", weeks="8"),
            certificates=("truckcertifikat_b", "koerekort_b")),
    Persona("sosu-hopeful", Citizen("unemployed", "31", "grundskole",
                                    ("rengøringsassistent", "rengoeringsassistent"),
                                    (("social- og sundhedshjælper",
                                      "social_og_sundhedshjaelper"),), "7400",
                                    benefit="kontanthjaelp", weeks="104")),
    Persona("skilled-smith", Citizen("employed", "29", "eud", ("smed", "smed"),
                                     (("vindmølletekniker", "vindmoelletekniker"),), "7400",
                                     has_eud=True)),
)


def walk(page: Page, server: str, persona: Persona, *, english: bool = False) -> None:
    """The journey on a phone, as the persona fills it in, to the results page."""
    citizen = persona.citizen
    if english:
        page.goto(server + "/")
        page.get_by_role("button", name="English").click()
    page.set_viewport_size(PHONE)
    page.goto(server + "/start")
    page.locator(f"input[name=status][value={citizen.status}]").check()
    if citizen.benefit:
        page.locator(f"input[name=benefit][value={citizen.benefit}]").check()
    if citizen.weeks:
        page.locator("#unemployed_weeks").fill(citizen.weeks)
    page.locator("#age").fill(citizen.age)
    next_step(page)
    page.locator(f"input[name=education_level][value={citizen.education_level}]").check()
    if citizen.has_eud:
        page.locator("input[name=has_eud]").check()
    for code in persona.certificates:
        page.locator(f"input[name=certificates][value={code}]").check()
    next_step(page)
    pick(page, "job", *citizen.job)
    next_step(page)
    for words, code in citizen.interests:
        pick(page, "interest", words, code)
    page.locator("#postcode").fill(citizen.postcode)
    next_step(page)
    heading(page, "Your options" if english else "Dine muligheder")


def screens(page: Page) -> float:
    """The whole page's height in phone screens."""
    return float(page.evaluate("document.documentElement.scrollHeight")) / PHONE["height"]


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
def test_the_summary_fits_in_two_phone_screens(page: Page, bundled_server: str,
                                               persona: Persona) -> None:
    walk(page, bundled_server, persona)
    summary = page.locator("section.results-summary")
    expect(summary).to_be_visible()
    box = summary.bounding_box()
    assert box is not None
    assert box["height"] <= 2 * PHONE["height"], (persona.name, box["height"])
    # It comes before the full sections, right after the heading and the notices.
    tops = page.evaluate("""() => ['summary-heading', 'jobs', 'courses']
        .map(id => document.getElementById(id).getBoundingClientRect().top)""")
    assert tops == sorted(tops)
    if os.environ.get("SCREENS_OUT"):  # the figures for the closing note
        with open(os.environ["SCREENS_OUT"], "a", encoding="utf-8") as out:
            out.write(f"{persona.name} page={screens(page):.1f} screens, "
                      f"summary={box['height']:.0f} px\n")
    accessible(page)


def test_the_jump_links_move_focus_to_their_card(page: Page, bundled_server: str) -> None:
    walk(page, bundled_server, PERSONAS[1])  # asked, a route, jobs, courses and a path
    links = page.locator("section.results-summary a[href^='#']")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for card in ("#asked-1", "#route-1", "#job-1", "#job-3", "#course-1", "#path-1"):
        assert card in targets, card
    for target in targets:
        assert target
        page.evaluate("window.scrollTo(0, 0)")
        page.locator(f"section.results-summary a[href='{target}']").first.focus()
        page.keyboard.press("Enter")
        expect(page.locator(target)).to_be_focused()
        expect(page.locator(target)).to_be_in_viewport()
    # From the card, the keyboard goes on inside it (its "Gem" box or "Hvorfor?").
    page.locator("section.results-summary a[href='#course-1']").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#course-1') !== null")


def test_summary_in_english_and_the_plan_with_nothing_saved(page: Page,
                                                            bundled_server: str) -> None:
    walk(page, bundled_server, PERSONAS[0], english=True)
    summary = page.locator("section.results-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text("In short")
    expect(summary).to_contain_text("you have")
    accessible(page)
    page.get_by_role("button", name="Show My options").click()
    heading(page, "My options")
    expect(page.get_by_text("You have not saved any options")).to_be_visible()
    first = page.locator("main p").first
    expect(first).to_have_class("demo-notice")
    accessible(page)
