"""Course search in Chromium: filters, a course page, on to the journey; keyboard, no JS, axe."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import accessible
from tests.browser.test_journey import heading, tab_until


def test_search_with_filters_open_a_course_and_start_the_journey(page: Page,
                                                                 live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="Find kurser").click()
    heading(page, "Find kurser")
    accessible(page)

    page.get_by_label("Søg efter kursus, job eller kompetence").fill("trukcertifikat")
    page.get_by_label("Type").select_option("amu")
    page.get_by_label("Postnummer").fill("7500")
    page.get_by_label("Afstand").select_option("10")
    page.get_by_label("I dagtimerne").check()
    page.get_by_role("button", name="Søg").click()
    expect(page.get_by_role("heading", level=2, name="1 kursus")).to_be_visible()
    card = page.locator(".result-card")
    expect(card).to_contain_text("1. marts 2027")
    expect(card).to_contain_text("7500 Holstebro")
    assert "postcode=7500" in page.url and "kind=amu" in page.url  # a link to share
    accessible(page)

    page.get_by_role("link", name="Truckcertifikat B").click()
    heading(page, "Truckcertifikat B")
    expect(page.get_by_role("table")).to_contain_text("Ledige pladser")
    expect(page.get_by_text("2. halvår 2026").first).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Kom i gang med dette kursus i tankerne").click()
    heading(page, "Din situation")


def test_bad_values_are_said_on_their_fields(page: Page, live_server: str) -> None:
    page.goto(live_server + "/kurser?postcode=12&max_distance_km=7")
    summary = page.locator("[data-module=error-summary]")
    expect(summary).to_contain_text("Skriv postnummeret med 4 cifre, fx 7400.")
    expect(page.locator("#postcode")).to_have_attribute("aria-invalid", "true")
    accessible(page)


def test_with_the_keyboard_only(page: Page, live_server: str) -> None:
    page.goto(live_server + "/kurser")
    keyboard = page.keyboard
    tab_until(page, "#q")
    keyboard.type("lagerstyring")
    tab_until(page, "#online-1")
    keyboard.press("Space")
    keyboard.press("Enter")  # submits the form
    expect(page.get_by_role("heading", level=2, name="1 kursus")).to_be_visible()
    tab_until(page, "a[href='/kurser/c_lager']")
    keyboard.press("Enter")
    heading(page, "Akademimodul: Lagerstyring")
    tab_until(page, "form[action='/start/kursus/c_lager'] button")
    keyboard.press("Enter")
    heading(page, "Din situation")


def test_may_be_paid_for_me(page: Page, live_server: str) -> None:
    """Three quick answers and a tick: only what a scheme may pay, and which schemes."""
    page.goto(live_server + "/kurser")
    expect(page.get_by_label("Din situation")).to_be_hidden()  # folded away until asked for
    page.get_by_text("Hvem kan måske betale?").click()
    page.get_by_label("Kun kurser der måske kan betales for mig").check()
    page.get_by_role("button", name="Søg").click()
    summary = page.locator("[data-module=error-summary]")
    expect(summary).to_contain_text("Vælg din situation, så vi kan se, hvem der måske kan betale")
    expect(page.locator("#status")).to_have_attribute("aria-invalid", "true")
    accessible(page)

    page.get_by_label("Din situation").select_option("unemployed")
    page.get_by_label("Din ydelse").select_option("dagpenge")
    page.get_by_label("Din højeste fuldførte uddannelse").select_option("grundskole")
    page.get_by_role("button", name="Søg").click()
    expect(page.get_by_role("heading", level=2, name="1 kursus")).to_be_visible()
    card = page.locator(".result-card")
    expect(card).to_contain_text("Truckcertifikat B")
    expect(card).to_contain_text("Kan måske betales af")
    expect(card).to_contain_text("Seks ugers jobrettet uddannelse")
    assert "paid=true" in page.url and "status=unemployed" in page.url  # a link to share
    expect(page.get_by_label("Kun kurser der måske kan betales for mig")).to_be_checked()
    accessible(page)


def test_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    try:
        page.goto(live_server + "/kurser")
        page.get_by_label("Søg efter kursus, job eller kompetence").fill("forklift")
        page.get_by_role("button", name="Søg").click()
        expect(page.locator(".result-card")).to_have_count(1)
        page.get_by_role("link", name="Truckcertifikat B").click()
        heading(page, "Truckcertifikat B")
        page.goto(live_server + "/kurser")  # the quick answers fold open without a script
        page.get_by_text("Hvem kan måske betale?").click()
        page.get_by_label("Din situation").select_option("employed")
        page.get_by_label("Kun kurser der måske kan betales for mig").check()
        page.get_by_role("button", name="Søg").click()
        expect(page.locator(".result-card")).to_have_count(2)
        expect(page.locator(".result-card").first).to_contain_text("VEU-godtgørelse")
    finally:
        context.close()


def test_both_pages_in_english(page: Page, live_server: str) -> None:
    page.goto(live_server + "/kurser")
    page.get_by_role("button", name="English").click()
    heading(page, "Find courses")
    accessible(page)
    page.get_by_label("Search for a course, job or skill").fill("welding")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("We found no courses with a session that has places available.")
           ).to_be_visible()  # the welding course is fully booked
    accessible(page)
    page.goto(live_server + "/kurser/c_svejs")
    heading(page, "MAG welding")
    expect(page.get_by_role("table")).to_contain_text("Fully booked")
    expect(page.get_by_text("second half of 2026").first).to_be_visible()
    accessible(page)
