"""A provider's bulk upload in Chromium: a file with an error, the fixed file's preview,
confirm, the course in the list; axe on the upload and preview pages in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import accessible, log_in, serve
from tests.conftest import mini_catalog_with_educations
from tests.web.staff_helpers import make_user

HEADER = "code,kind,title_da,provider_code,duration_days,price_dkk\n"
GOOD = HEADER + "c_upload,amu,Lagerlogistik fra fil,p_herning,3,2500\n"
BAD = HEADER + "c_upload,amu,Lagerlogistik fra fil,p_aarhus,3,-5\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A site of its own: the upload adds a course the other browser tests do not expect."""
    catalog = mini_catalog_with_educations(tmp_path_factory.mktemp("catalog") / "mini")
    with serve(tmp_path_factory.mktemp("upload"), catalog, "2026-12-01") as live:
        yield live


def choose(page: Page, name: str, content: str) -> None:
    page.locator("#file").set_input_files(files=[{"name": name, "mimeType": "text/csv",
                                                  "buffer": content.encode()}])


def test_upload_preview_confirm_and_see_the_course(page: Page, site: tuple[Flask, str]) -> None:
    app, base = site
    log_in(page, base, make_user(app, "fil@example.dk", "provider", provider="p_herning"))
    page.get_by_role("link", name="Upload eller hent som CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload og hent kurser som CSV")
    page.get_by_label("Kurser (courses.csv)").check()
    choose(page, "kurser.csv", BAD)
    page.get_by_role("button", name="Vis, hvad filen ændrer").click()
    expect(page.locator("#error-summary")).to_be_focused()
    errors = page.get_by_role("region", name="Fejl i filen")
    expect(errors).to_contain_text("Udbyderkoden skal være tom eller jeres egen")
    expect(errors).to_contain_text("Prisen skal være mellem 0 og 1.000.000 kr.")

    page.get_by_label("Kurser (courses.csv)").check()
    choose(page, "kurser.csv", GOOD)
    page.get_by_role("button", name="Vis, hvad filen ændrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvad filen ændrer")
    expect(page.get_by_text("1 tilføjes, 0 ændres, 0 arkiveres.")).to_be_visible()
    page.get_by_role("button", name="Gem ændringerne").click()
    expect(page.get_by_text(re.compile("Filen er gemt: 1 tilføjet"))).to_be_visible()
    expect(page.get_by_role("link", name="Lagerlogistik fra fil")).to_be_visible()


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_upload_pages_are_accessible(page: Page, site: tuple[Flask, str],
                                         language: str) -> None:
    app, base = site
    log_in(page, base, make_user(app, f"fil-axe-{language}@example.dk", "provider",
                                 provider="p_herning"))
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(base + "/udbyder/indlaes")
    expect(page.locator("html")).to_have_attribute("lang", language)
    accessible(page)
    # With the form's own errors, then with a file's row errors.
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    accessible(page)
    page.locator("input[name=kind][value=courses]").check()
    choose(page, "kurser.csv", BAD)
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#upload-errors")).to_be_visible()
    accessible(page)
    # A preview with changes, and one of a file that changes nothing.
    page.locator("input[name=kind][value=courses]").check()
    choose(page, "kurser.csv", HEADER + "c_truck,amu,Truckcertifikat B,,5,6100\n")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("input[name=token]")).to_have_count(1)
    accessible(page)
    page.goto(base + "/udbyder/indlaes")
    page.locator("input[name=kind][value=sessions]").check()
    choose(page, "hold.csv", "course_code,session_code,start_date,end_date\n"
                             "c_truck,c_truck-01,2027-01-11,2027-01-15\n")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("input[name=token]")).to_have_count(0)
    accessible(page)
