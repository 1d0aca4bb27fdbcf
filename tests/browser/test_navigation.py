"""Back, forward, reload, the language switch and left-behind search text, in Chromium.

Every step is a GET page after a post (Post/Redirect/Get), so the browser's own buttons never
send a form again: the tests record every request and fail on a POST that the person did not
make, on a 405, and on a lost answer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.browser.conftest import accessible
from tests.browser.test_journey import heading

PHONE = {"width": 390, "height": 844}


class Posts:
    """The POST requests a page sends, to check that navigation sends none."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("request", self._record)

    def _record(self, request: Request) -> None:
        if request.method == "POST":
            self.seen.append(request.url)

    def none_during(self, action: object) -> None:
        before = len(self.seen)
        assert callable(action)
        action()
        assert self.seen[before:] == [], f"the browser sent a form again: {self.seen[before:]}"


def next_step(page: Page) -> None:
    page.locator("button[name=action][value=next]:not(.default-submit)").click()


def back_forward_reload(page: Page, posts: Posts, here: str, before: str) -> None:
    """The browser's back, forward and reload on this step: the right page, nothing resent."""
    posts.none_during(page.go_back)
    heading(page, before)
    posts.none_during(page.go_forward)
    heading(page, here)
    posts.none_during(page.reload)
    heading(page, here)


def test_phone_journey_with_back_forward_and_reload_at_every_step(page: Page,
                                                                  live_server: str) -> None:
    page.set_viewport_size(PHONE)
    posts = Posts(page)
    page.goto(live_server + "/start")
    heading(page, "Din situation")
    posts.none_during(page.reload)
    page.get_by_label("Ledig", exact=True).check()
    page.get_by_label("Dagpenge").check()
    page.get_by_label("Hvor gammel er du?").fill("34")
    next_step(page)

    heading(page, "Din uddannelse")
    back_forward_reload(page, posts, "Din uddannelse", "Din situation")
    page.go_back()
    expect(page.get_by_label("Hvor gammel er du?")).to_have_value("34")  # kept, not resent
    page.go_forward()
    page.get_by_label("Grundskole", exact=True).check()
    next_step(page)

    heading(page, "Din erfaring")
    back_forward_reload(page, posts, "Din erfaring", "Din uddannelse")
    page.go_back()
    expect(page.get_by_label("Grundskole", exact=True)).to_be_checked()
    page.go_forward()
    page.get_by_label("Søg efter et job").fill("lager")
    page.locator("button[value='search:job']").click()
    page.locator("input[name=job-pick][value=lagermedarbejder]").check()
    page.get_by_role("button", name="Tilføj job").click()
    expect(page.locator(".chosen-list").first).to_contain_text("Lagermedarbejder")
    posts.none_during(page.reload)
    expect(page.locator(".chosen-list").first).to_contain_text("Lagermedarbejder")
    next_step(page)

    heading(page, "Praktiske forhold")
    back_forward_reload(page, posts, "Praktiske forhold", "Din erfaring")
    page.get_by_label("Dit postnummer").fill("7400")
    page.get_by_role("button", name="Vis mine muligheder").click()

    heading(page, "Dine muligheder")
    assert page.url.endswith("/resultater")
    back_forward_reload(page, posts, "Dine muligheder", "Praktiske forhold")
    page.go_back()
    expect(page.get_by_label("Dit postnummer")).to_have_value("7400")
    page.go_forward()
    heading(page, "Dine muligheder")
    # A bookmark of the results, opened again in a new tab of the same browser.
    other = page.context.new_page()
    other.goto(live_server + "/resultater")
    expect(other.get_by_role("heading", level=1)).to_have_text("Dine muligheder")
    other.close()

    page.locator("input[value='course:c_truck']").check()
    page.get_by_role("button", name="Vis Mine muligheder").click()
    heading(page, "Mine muligheder")
    back_forward_reload(page, posts, "Mine muligheder", "Dine muligheder")
    page.go_back()
    expect(page.locator("input[value='course:c_truck']")).to_be_checked()  # the mark is kept
    accessible(page)


def test_an_error_page_answers_reload_and_back(page: Page, live_server: str) -> None:
    posts = Posts(page)
    page.goto(live_server + "/start")
    page.get_by_label("Hvor gammel er du?").fill("abc")
    next_step(page)
    summary = page.locator("[data-module=error-summary]")
    expect(summary).to_contain_text("Vælg din situation.")
    posts.none_during(page.reload)
    expect(summary).to_contain_text("Skriv et helt tal, fx 34.")  # the same errors again
    page.get_by_label("Ledig", exact=True).check()
    page.get_by_label("Hvor gammel er du?").fill("34")
    next_step(page)
    heading(page, "Din uddannelse")
    posts.none_during(page.go_back)
    heading(page, "Din situation")
    expect(page.get_by_label("Hvor gammel er du?")).to_have_value("34")
    expect(summary).to_have_count(0)  # the errors were answered


@pytest.mark.parametrize(("step", "danish", "english"), [
    ("/start", "Din situation", "Your situation"),
    ("/start/uddannelse", "Din uddannelse", "Your education"),
    ("/start/erfaring", "Din erfaring", "Your experience"),
    ("/start/praktisk", "Praktiske forhold", "Practical matters"),
    ("/resultater", "Dine muligheder", "Your options"),
])
def test_the_language_switch_mid_journey_keeps_the_answers(
        page: Page, live_server: str, step: str, danish: str, english: str) -> None:
    walk(page, live_server)
    page.goto(live_server + step)
    heading(page, danish)
    page.get_by_role("button", name="English").click()
    heading(page, english)
    assert page.url.endswith(step)
    if step == "/start":
        expect(page.get_by_label("How old are you?")).to_have_value("34")
    elif step == "/start/erfaring":
        expect(page.locator(".chosen-list").first).to_contain_text("Warehouse worker")
    elif step == "/start/praktisk":
        expect(page.get_by_label("Your postcode")).to_have_value("7400")
    accessible(page)
    page.get_by_role("button", name="Dansk").click()
    heading(page, danish)


def walk(page: Page, live_server: str) -> None:
    """A short journey: unemployed, 34, grundskole, a warehouse job, postcode 7400."""
    page.goto(live_server + "/start")
    page.get_by_label("Ledig", exact=True).check()
    page.get_by_label("Hvor gammel er du?").fill("34")
    next_step(page)
    page.get_by_label("Grundskole", exact=True).check()
    next_step(page)
    page.get_by_label("Søg efter et job").fill("Lagermedarbejder")  # the exact name: added
    next_step(page)
    page.get_by_label("Dit postnummer").fill("7400")
    next_step(page)
    heading(page, "Dine muligheder")


def test_a_job_typed_but_not_added_is_asked_about_not_lost(page: Page,
                                                          live_server: str) -> None:
    walk(page, live_server)
    page.goto(live_server + "/start/erfaring")
    page.get_by_label("Søg efter en kompetence").fill("lagr")
    next_step(page)
    heading(page, "Din erfaring")  # the step stays
    summary = page.locator("[data-module=error-summary]")
    expect(summary).to_contain_text("Du har skrevet »lagr«, men ikke tilføjet det.")
    expect(page.locator("input[name=skill-pick]:checked")).to_have_count(0)
    page.locator("input[name=skill-pick][value=lagerstyring]").check()
    page.locator("button[value='add:skill']").click()
    expect(page.locator(".chosen-list").nth(1)).to_contain_text("Lagerstyring")
    next_step(page)
    heading(page, "Praktiske forhold")
    accessible(page)


@pytest.fixture
def no_script_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, locale="da-DK",
                                  viewport=PHONE)
    yield context.new_page()
    context.close()


def test_without_javascript_enter_in_a_search_box_never_skips_the_step(
        no_script_page: Page, live_server: str) -> None:
    page = no_script_page
    page.goto(live_server + "/start")
    page.get_by_label("Ledig", exact=True).check()
    page.get_by_label("Hvor gammel er du?").fill("34")
    page.get_by_label("Hvor gammel er du?").press("Enter")  # Enter in a field: next
    heading(page, "Din uddannelse")
    page.get_by_label("Grundskole", exact=True).check()
    next_step(page)
    heading(page, "Din erfaring")
    page.get_by_label("Søg efter et job").fill("lager")
    page.get_by_label("Søg efter et job").press("Enter")
    heading(page, "Din erfaring")  # asked, with the suggestions, instead of moving on
    expect(page.locator("[data-module=error-summary]")).to_contain_text("»lager«")
    page.locator("input[name=job-pick][value=lagermedarbejder]").check()
    page.get_by_role("button", name="Tilføj job").click()
    expect(page.locator(".chosen-list").first).to_contain_text("Lagermedarbejder")
    page.go_back()  # without JavaScript too: a GET page, no resubmission
    heading(page, "Din erfaring")
    page.reload()
    heading(page, "Din erfaring")
