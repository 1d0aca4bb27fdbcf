"""The hand-off in Chromium: a citizen answers, consents and gets a code; a caseworker logs in
with a second factor, imports it into a new client, adjusts the profile, builds a plan of two
steps and downloads it as PDF; axe on the consent, code and import pages in Danish and English,
with and without errors shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from matcher.data import models as m
from matcher.data.db import get_session
from tests.browser.conftest import accessible, log_in, serve
from tests.conftest import mini_catalog_with_educations
from tests.web.staff_helpers import make_user

CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$")


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A site of its own: client records and codes stay out of the other browser tests."""
    catalog = mini_catalog_with_educations(tmp_path_factory.mktemp("catalog") / "mini")
    with serve(tmp_path_factory.mktemp("handoff"), catalog, "2026-12-01") as live:
        yield live


def answer_in_danish(page: Page, base: str) -> None:
    """A warehouse worker's short journey to the results page."""
    page.goto(base + "/start")
    page.get_by_label("Ledig", exact=True).check()
    page.get_by_label("Dagpenge").check()
    page.get_by_label("Hvor mange uger har du været ledig?").fill("8")
    page.get_by_label("Hvor gammel er du?").fill("34")
    page.get_by_role("button", name="Næste").click()
    heading(page, "Din uddannelse")
    page.get_by_label("Grundskole", exact=True).check()
    page.get_by_role("button", name="Næste").click()
    heading(page, "Din erfaring")
    page.get_by_label("Søg efter et job").fill("lager")
    page.locator("button[value='search:job']").click()
    page.get_by_label("Lagermedarbejder").check()
    page.get_by_label("Hvor længe?").select_option("5")
    page.get_by_role("button", name="Tilføj job").click()
    page.get_by_role("button", name="Næste").click()
    heading(page, "Praktiske forhold")
    page.get_by_label("Dit postnummer").fill("7400")
    page.get_by_role("button", name="Vis mine muligheder").click()
    heading(page, "Dine muligheder")


def share(page: Page, *, english: bool = False) -> str:
    """From the results page: consent refused once (the error shown), then a code."""
    page.get_by_role("link", name="Share with my caseworker" if english
                     else "Del med min sagsbehandler").click()
    heading(page, "Share your answers with your caseworker" if english
            else "Del dine svar med din sagsbehandler")
    accessible(page)
    make = page.get_by_role("button", name="Make a code" if english else "Lav en kode")
    make.click()
    summary = page.locator("[data-module=error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Tick the box" if english else "Sæt kryds")
    expect(page.locator("#consent")).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.locator("#consent").check()
    page.get_by_role("button", name="Make a code" if english else "Lav en kode").click()
    heading(page, "Your code for the caseworker" if english else "Din kode til sagsbehandleren")
    expect(page).to_have_url(re.compile(r"/del-med-sagsbehandler/kode$"))
    expect(page.get_by_role("button", name="Print" if english else "Udskriv")).to_be_visible()
    accessible(page)
    code = page.locator(".handoff-code [aria-hidden=true]").inner_text().strip()
    assert CODE.match(code), code
    assert code not in page.url
    return code


def client_ids(app: Flask) -> list[int]:
    with app.app_context():
        return list(get_session().scalars(select(m.Client.id).order_by(m.Client.id)))


def profile_of(app: Flask, client_id: int) -> dict[str, object]:
    with app.app_context():
        row = get_session().get(m.Client, client_id)
        assert row is not None
        return dict(row.profile)


def test_a_citizen_shares_and_the_caseworker_imports_in_danish(
        browser: Browser, site: tuple[Flask, str]) -> None:
    app, base = site
    citizen = browser.new_context(locale="da-DK").new_page()
    answer_in_danish(citizen, base)
    code = share(citizen)

    worker = browser.new_context(locale="da-DK").new_page()
    log_in(worker, base, make_user(app, "sag@herning.dk", "caseworker"))
    worker.goto(base + "/sagsbehandler/hent-svar")
    heading(worker, "Hent en borgers svar")
    accessible(worker)
    worker.get_by_role("button", name="Hent svarene").click()  # nothing typed
    summary = worker.locator("[data-module=error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv koden, som borgeren har givet dig.")
    expect(summary).to_contain_text("Skriv et navn eller initialer")
    accessible(worker)
    worker.get_by_label("Borgerens kode").fill("ABCD-EFGH-JK")
    worker.get_by_label("Navn eller initialer på den nye klient").fill("Anna H.")
    worker.get_by_role("button", name="Hent svarene").click()
    expect(summary).to_contain_text("Koden findes ikke")
    accessible(worker)
    # As a caseworker types what they were told: lower case, spaces, no dashes.
    worker.get_by_label("Borgerens kode").fill(" ".join(code.replace("-", "").lower()))
    worker.get_by_role("button", name="Hent svarene").click()
    expect(worker.get_by_text("Borgerens svar er hentet ind i klientsagen.")).to_be_visible()
    expect(worker.get_by_role("heading", level=1)).to_contain_text("Anna H.")
    accessible(worker)
    (client_id,) = client_ids(app)
    profile = profile_of(app, client_id)
    assert profile["postcode"] == "7400" and profile["age"] == 34
    assert [job["code"] for job in profile["occupations"]] == ["lagermedarbejder"]  # type: ignore[attr-defined]

    # The same code a second time says it is used.
    worker.goto(base + "/sagsbehandler/hent-svar")
    worker.get_by_label("Borgerens kode").fill(code)
    worker.get_by_label("Navn eller initialer på den nye klient").fill("Igen")
    worker.get_by_role("button", name="Hent svarene").click()
    expect(worker.locator("[data-module=error-summary]")).to_contain_text(
        "Koden er allerede brugt")
    assert client_ids(app) == [client_id]

    # The rest of the story on the client's record: adjust the profile, build a plan of two
    # steps, download the citizen's copy as PDF (the plan pages: matcher.web.plans).
    worker.goto(f"{base}/sagsbehandler/klienter/{client_id}")
    worker.get_by_role("link", name="Find forslag til klienten").click()
    heading(worker, "Resultater for Anna H.")
    worker.get_by_role("link", name="Ret profil").first.click()
    expect(worker.get_by_label("Hvor gammel er du?")).to_have_value("34")
    worker.get_by_label("Hvor gammel er du?").fill("24")
    worker.get_by_role("button", name="Gem og luk").click()
    heading(worker, "Anna H.")
    assert profile_of(app, client_id)["age"] == 24
    worker.get_by_role("link", name="Find forslag til klienten").click()
    for session_code in ("c_truck|c_truck-01", "c_truck|c_truck-02"):
        worker.locator("#add-c_truck-session").select_option(session_code)
        worker.get_by_role("button", name="Føj til plan").first.click()
        expect(worker.get_by_text("Truckcertifikat B er føjet til planen.")).to_be_visible()
    worker.get_by_role("link", name="Se planen").first.click()
    heading(worker, "Plan for Anna H.")
    expect(worker.locator(".plan-step")).to_have_count(2)
    accessible(worker)
    with worker.expect_download() as download:
        worker.get_by_role("link", name="Borgerens kopi på dansk (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    for page in (citizen, worker):
        page.context.close()


def test_in_english_into_an_existing_client_after_confirming(
        browser: Browser, site: tuple[Flask, str]) -> None:
    app, base = site
    citizen = browser.new_context(locale="en-GB").new_page()
    answer_in_danish(citizen, base)
    citizen.get_by_role("button", name="English").click()
    heading(citizen, "Your options")
    code = share(citizen, english=True)

    user = make_user(app, "case@herning.dk", "caseworker")
    with app.app_context():
        session = get_session()
        row = m.Client(owner_id=user.id, label="Bo K.", profile={"age": 60},
                       notes="Ringer tirsdag", retain_until=date.today())
        session.add(row)
        session.commit()
        existing = row.id
    worker = browser.new_context(locale="en-GB").new_page()
    log_in(worker, base, user)
    worker.get_by_role("button", name="English").click()
    worker.goto(base + "/sagsbehandler/hent-svar")
    heading(worker, "Fetch a citizen's answers")
    accessible(worker)
    worker.get_by_label("The citizen's code").fill(code.lower())
    worker.get_by_label("One of my clients").check()
    worker.get_by_role("button", name="Fetch the answers").click()  # no client chosen
    summary = worker.locator("[data-module=error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose one of your clients from the list.")
    accessible(worker)
    worker.get_by_label("Which client?").select_option(str(existing))
    worker.get_by_role("button", name="Fetch the answers").click()
    heading(worker, "Replace the client's profile?")
    expect(worker.get_by_text("Bo K.")).to_be_visible()
    accessible(worker)
    assert profile_of(app, existing) == {"age": 60}  # nothing changed yet
    worker.get_by_role("button", name="Yes, replace the profile").click()
    expect(worker.get_by_text("The citizen's answers are now in the client record.")) \
        .to_be_visible()
    accessible(worker)
    assert profile_of(app, existing)["postcode"] == "7400"
    for page in (citizen, worker):
        page.context.close()
