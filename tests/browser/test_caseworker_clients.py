"""The caseworkers' client records in Chromium: create a client, fill in the profile with
the journey's steps, edit the notes, share it; axe on every client page in Danish and
English, and on the administrators' client pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import accessible, log_in, serve
from tests.conftest import mini_catalog_with_educations
from tests.web.staff_helpers import make_client, make_user


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A site of its own: these tests write client records."""
    catalog = mini_catalog_with_educations(tmp_path_factory.mktemp("catalog") / "mini")
    with serve(tmp_path_factory.mktemp("clients"), catalog, "2026-12-01") as live:
        yield live


def test_create_a_client_fill_in_the_profile_and_notes(page: Page,
                                                       site: tuple[Flask, str]) -> None:
    app, base = site
    make_user(app, "kollega@herning.dk", "caseworker")
    log_in(page, base, make_user(app, "opret@herning.dk", "caseworker"), "Dine klienter")
    accessible(page)
    page.get_by_role("link", name="Opret klient").click()
    # A CPR number in the label: refused, the summary has the focus, nothing is created.
    page.get_by_label("Navn eller initialer").fill("010203-1234")
    page.get_by_role("button", name="Opret klient").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#label")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Navnet ligner et CPR-nummer").first).to_be_visible()
    accessible(page)
    page.get_by_label("Navn eller initialer").fill("Bent K.")
    page.get_by_label("Noter").fill("Første samtale")
    page.get_by_role("button", name="Opret klient").click()
    # On to the profile: the citizen journey's questions.
    expect(page.get_by_role("heading", level=1)).to_have_text("Situation")
    page.get_by_role("radio", name="Ledig", exact=True).check()
    page.get_by_label("Hvor gammel er du?").fill("48")
    page.get_by_role("button", name="Gem og gå videre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uddannelse")
    accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Gem og luk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bent K.")
    expect(page.get_by_text("Profilen er gemt.")).to_be_visible()
    expect(page.get_by_text("48", exact=True)).to_be_visible()
    accessible(page)
    # Notes.
    page.get_by_role("link", name="Ret navn og noter").click()
    page.get_by_label("Noter").fill("Ringer mandag om truckkursus")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Ringer mandag om truckkursus")).to_be_visible()
    # Share it with a colleague.
    page.get_by_role("link", name="Deling").click()
    page.get_by_label("Kollega").select_option(label="kollega@herning.dk")
    page.get_by_role("button", name="Del klienten").click()
    expect(page.get_by_text("Klienten er delt med kollega@herning.dk.")).to_be_visible()
    accessible(page)


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_caseworker_client_page_is_accessible(page: Page, site: tuple[Flask, str],
                                                    language: str) -> None:
    app, base = site
    user = make_user(app, f"axe-{language}@herning.dk", "caseworker")
    colleague = make_user(app, f"axe-kollega-{language}@herning.dk", "caseworker")
    client_id = make_client(app, user.id, label="Axe Klient", notes="Note",
                            profile={"status": "unemployed", "age": 40, "postcode": "7400",
                                     "schedule": ["day"], "max_distance_km": 50,
                                     "start_within_weeks": 26},
                            shared_with=colleague.id)
    log_in(page, base, user, "Dine klienter")
    if language == "en":
        page.get_by_role("button", name="English").click()
    root = f"/sagsbehandler/klienter/{client_id}"
    for path in ("/sagsbehandler/", "/sagsbehandler/klienter/ny", root, root + "/ret",
                 root + "/profil/situation", root + "/profil/uddannelse",
                 root + "/profil/erfaring", root + "/profil/praktisk", root + "/del",
                 root + "/slet"):
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        accessible(page)
    # With errors shown, and with suggestions to pick from.
    page.goto(base + root + "/ret")
    page.locator("#notes").fill("0102031234")
    page.locator("form button[type=submit].button-primary").click()
    expect(page.locator("#error-summary")).to_be_focused()
    accessible(page)
    page.goto(base + root + "/profil/erfaring")
    page.locator("#job-query").fill("lager")
    page.locator("button[value='search:job']").click()
    expect(page.locator("#job-pick")).to_be_visible()
    accessible(page)
    page.goto(base + root + "/slet")
    page.locator("form button[type=submit].button-primary").click()
    expect(page.locator("#error-summary")).to_be_focused()
    accessible(page)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_administrators_client_pages_are_accessible(page: Page, site: tuple[Flask, str],
                                                        language: str) -> None:
    app, base = site
    owner = make_user(app, f"ejer-{language}@herning.dk", "caseworker")
    client_id = make_client(app, owner.id, label="Admin Axe")
    log_in(page, base, make_user(app, f"chef-{language}@herning.dk", "admin"), "Brugere")
    if language == "en":
        page.get_by_role("button", name="English").click()
    for path in ("/admin/klienter", f"/admin/klienter/{client_id}", "/admin/logbog/klienter"):
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        accessible(page)
    page.goto(base + f"/admin/klienter/{client_id}")
    page.locator("form button[type=submit].button-primary").click()
    expect(page.locator("#error-summary")).to_be_focused()
    accessible(page)
