"""The citizen journey in Chromium: Danish and English personas, keyboard only, axe on all."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import accessible


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_unemployed_driver_on_a_phone_in_danish(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server + "/")
    page.get_by_role("link", name="Kom i gang").click()
    heading(page, "Din situation")
    accessible(page)

    page.get_by_role("button", name="Næste").click()  # nothing filled in
    summary = page.locator("[data-module=error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Vælg din situation.")
    expect(page.locator("#age")).to_have_attribute("aria-invalid", "true")
    accessible(page)

    page.get_by_label("Ledig", exact=True).check()
    page.get_by_label("Dagpenge").check()
    page.get_by_label("Hvor mange uger har du været ledig?").fill("8")
    page.get_by_label("Hvor gammel er du?").fill("34")
    page.get_by_role("button", name="Næste").click()
    heading(page, "Din uddannelse")
    accessible(page)
    page.get_by_label("Grundskole", exact=True).check()
    page.get_by_label("Kørekort C", exact=True).check()  # declared, never read from the job
    page.get_by_role("button", name="Næste").click()

    heading(page, "Din erfaring")
    page.get_by_label("Søg efter et job").fill("chauffor")
    page.locator("button[value='search:job']").click()
    page.get_by_label("Lastbilchauffør").check()
    page.get_by_label("Hvor længe?").select_option("5")
    page.get_by_role("button", name="Tilføj job").click()
    expect(page.locator(".chosen-list").first).to_contain_text("Lastbilchauffør")
    page.get_by_label("Søg efter en kompetence").fill("lagerstyring")
    page.locator("button[value='search:skill']").click()
    page.locator("input[name=skill-pick][value=lagerstyring]").check()
    page.locator("button[value='add:skill']").click()
    accessible(page)
    page.get_by_role("button", name="Næste").click()

    heading(page, "Praktiske forhold")
    page.get_by_label("Dit postnummer").fill("7400")
    accessible(page)
    page.get_by_role("button", name="Vis mine muligheder").click()

    heading(page, "Dine muligheder")
    expect(page.get_by_role("heading", name="Lagermedarbejder", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Truckcertifikat B", exact=True)).to_be_visible()
    expect(page.get_by_text("Demonstrationsdata").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    accessible(page)

    page.locator("input[value='course:c_truck']").check()
    page.get_by_role("button", name="Vis Mine muligheder").click()
    heading(page, "Mine muligheder")
    expect(page.get_by_text("Tal med din a-kasse eller dit jobcenter")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".journey-buttons")).to_be_hidden()  # buttons are not printed
    accessible(page)


def test_employed_welder_in_english(page: Page, live_server: str) -> None:
    page.goto(live_server + "/start")
    page.get_by_role("button", name="English").click()
    heading(page, "Your situation")
    page.get_by_label("Employed", exact=True).check()
    page.get_by_label("How old are you?").fill("45")
    page.get_by_role("button", name="Next").click()
    heading(page, "Your education")
    page.get_by_label("Vocational education and training (skilled worker)").check()
    page.get_by_role("button", name="Next").click()
    heading(page, "Your experience")
    page.get_by_label("Search for a skill").fill("welding")
    page.locator("button[value='search:skill']").click()
    page.get_by_label("MAG welding").check()
    page.get_by_role("button", name="Add selected").click()
    accessible(page)
    page.get_by_role("button", name="Next").click()
    heading(page, "Practical matters")
    page.get_by_label("Your postcode").fill("9999")
    page.get_by_role("button", name="Show my options").click()
    expect(page.locator("[data-module=error-summary]")).to_contain_text(
        "The postcode 9999 does not exist.")
    accessible(page)
    page.get_by_label("Your postcode").fill("7500")
    page.get_by_role("button", name="Show my options").click()
    heading(page, "Your options")
    expect(page.get_by_role("heading", name="Jobs you are close to")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Change my answers").click()
    heading(page, "Practical matters")
    expect(page.get_by_label("Your postcode")).to_have_value("7500")


def tab_until(page: Page, selector: str, tries: int = 80) -> None:
    """Press Tab until selector has the focus; fail if it cannot be reached."""
    target = page.locator(selector)
    for _ in range(tries):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_young_person_with_the_keyboard_only(page: Page, live_server: str) -> None:
    page.goto(live_server + "/start")
    keyboard = page.keyboard

    def tab_to(selector: str) -> None:
        tab_until(page, selector)

    tab_to("#status-1")
    keyboard.press("Space")  # "Ledig"
    tab_to("#age")
    keyboard.type("22")
    keyboard.press("Enter")
    heading(page, "Din uddannelse")
    tab_to("#education_level-1")
    keyboard.press("Space")
    keyboard.press("Enter")
    heading(page, "Din erfaring")
    tab_to("#job-query")
    keyboard.type("lagr")
    keyboard.press("Enter")  # nothing chosen in the list: searches, never leaves the step
    expect(page.locator("#job-pick")).to_be_visible()
    expect(page.locator("input[name=job-pick]:checked")).to_have_count(0)  # none pre-chosen
    tab_to("#job-query")
    keyboard.press("Control+A")
    keyboard.type("lager")
    combobox = page.get_by_role("combobox", name="Søg efter et job")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    keyboard.press("ArrowDown")
    active = page.locator("#job-query-listbox [aria-selected=true]")
    expect(active).to_contain_text("Lagermedarbejder")
    expect(combobox).to_have_attribute("aria-activedescendant", active.get_attribute("id") or "")
    accessible(page)  # with the list open
    keyboard.press("Enter")  # adds the suggestion at once
    expect(page.locator(".chosen-list").first).to_contain_text("Lagermedarbejder")
    expect(page).to_have_url(re.compile(r"/start/erfaring#job-heading$"))
    tab_to("button[value='next']:not(.default-submit)")
    keyboard.press("Enter")
    heading(page, "Praktiske forhold")
    tab_to("#postcode")
    keyboard.type("7500")
    keyboard.press("Enter")
    heading(page, "Dine muligheder")
    accessible(page)
