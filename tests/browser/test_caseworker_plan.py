"""Matching with a client and the plan in Chromium (issue 13, parts 2 and 3): the caseworker
adjusts the profile and the match follows, builds a plan with two steps, sets their status,
downloads the PDF; axe on the match and plan pages in Danish and English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from matcher.data import models as m
from matcher.data.db import get_session
from tests.browser.conftest import accessible, log_in, serve
from tests.conftest import mini_catalog_with_educations
from tests.web.staff_helpers import make_client, make_user

PROFILE: dict[str, Any] = {
    "status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
    "education_level": "grundskole", "postcode": "7400",
    "occupations": [{"code": "lagermedarbejder", "years": 1}]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A site of its own: these tests write plans."""
    catalog = mini_catalog_with_educations(tmp_path_factory.mktemp("catalog") / "mini")
    with serve(tmp_path_factory.mktemp("plans"), catalog, "2026-12-01") as live:
        yield live


def test_adjust_the_profile_build_a_plan_of_two_steps_and_download_it(
        page: Page, site: tuple[Flask, str]) -> None:
    app, base = site
    user = make_user(app, "plan@herning.dk", "caseworker")
    client_id = make_client(app, user.id, label="Bent K.", profile=PROFILE)
    log_in(page, base, user)
    page.goto(f"{base}/sagsbehandler/klienter/{client_id}")
    page.get_by_role("link", name="Find forslag til klienten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultater for Bent K.")
    # 34 years old: seks ugers must be completed within 9 months of unemployment.
    expect(page.get_by_text("Skal være afsluttet senest 6. juli 2027").first).to_be_visible()
    accessible(page)

    # The profile changes (24 years old), and the match with it: 6 months now.
    page.get_by_role("link", name="Ret profil").first.click()
    page.get_by_label("Hvor gammel er du?").fill("24")
    page.get_by_role("button", name="Gem og luk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bent K.")
    page.get_by_role("link", name="Find forslag til klienten").click()
    expect(page.get_by_text("Skal være afsluttet senest 6. april 2027").first).to_be_visible()

    # Two steps: the first session with seks ugers, the later one with the regional pool.
    page.locator("#add-c_truck-session").select_option("c_truck|c_truck-01")
    page.locator("#add-c_truck-scheme").select_option("seks_uger")
    page.get_by_role("button", name="Føj til plan").first.click()
    expect(page.get_by_text("Truckcertifikat B er føjet til planen.")).to_be_visible()
    page.locator("#add-c_truck-session").select_option("c_truck|c_truck-02")
    page.locator("#add-c_truck-scheme").select_option("regional_pulje")
    page.get_by_role("button", name="Føj til plan").first.click()
    expect(page.get_by_text("Truckcertifikat B er føjet til planen.")).to_be_visible()
    accessible(page)

    page.get_by_role("link", name="Se planen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan for Bent K.")
    steps = page.locator(".plan-step")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("11.–15. januar 2027")
    expect(steps.nth(0)).to_contain_text("Skal være afsluttet senest 6. april 2027")
    expect(steps.nth(1)).to_contain_text("1.–5. marts 2027")
    accessible(page)

    # A wrong date: the summary has the focus, the field says what is wrong; axe with errors.
    steps.nth(0).get_by_text("Ret status og frist").click()
    steps.nth(0).get_by_label("Status", exact=True).select_option("applied")
    steps.nth(0).get_by_label("Dato for status").fill("2040-01-01")
    steps.nth(0).get_by_role("button", name="Gem trinnet").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_text("Datoen skal ligge mellem").first).to_be_visible()
    accessible(page)
    steps = page.locator(".plan-step")
    steps.nth(0).get_by_label("Status", exact=True).select_option("applied")
    steps.nth(0).get_by_label("Dato for status").fill("2026-12-01")
    steps.nth(0).get_by_role("button", name="Gem trinnet").click()
    expect(page.get_by_text("Trinnet er gemt.")).to_be_visible()
    steps = page.locator(".plan-step")
    expect(steps.nth(0)).to_contain_text("Søgt")
    steps.nth(1).get_by_text("Ret status og frist").click()
    steps.nth(1).get_by_label("Status", exact=True).select_option("enrolled")
    steps.nth(1).get_by_role("button", name="Gem trinnet").click()
    expect(page.locator(".plan-step").nth(1)).to_contain_text("Optaget")

    page.get_by_label("Næste kontakt", exact=True).fill("2027-01-15")
    page.get_by_label("Hvad skal I tale om?").fill("Svar fra a-kassen")
    page.get_by_role("button", name="Gem næste kontakt").click()
    expect(page.get_by_text("15. januar 2027: Svar fra a-kassen")).to_be_visible()
    accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Borgerens kopi på dansk (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert download.value.suggested_filename == "min-plan.pdf"


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_match_and_plan_pages_pass_axe_in_both_languages(
        page: Page, site: tuple[Flask, str], language: str) -> None:
    app, base = site
    user = make_user(app, f"axe-plan-{language}@herning.dk", "caseworker")
    client_id = make_client(app, user.id, label="Axe", profile=PROFILE)
    log_in(page, base, user)
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(f"{base}/sagsbehandler/klienter/{client_id}/match")
    expect(page.locator("html")).to_have_attribute("lang", language)
    accessible(page)
    page.get_by_role("button", name="Add to plan" if language == "en"
                     else "Føj til plan").first.click()
    page.goto(f"{base}/sagsbehandler/klienter/{client_id}/plan")
    expect(page.locator(".plan-step")).to_have_count(1)
    accessible(page)
    # The plan with a step whose session is gone from the catalogue: flagged, kept.
    with app.app_context():
        session = get_session()
        for step in session.scalars(select(m.PlanStep).where(m.PlanStep.client_id == client_id)):
            step.session_code = "gone"
        session.commit()
    page.reload()
    expect(page.locator(".plan-step .alert")).to_have_count(1)
    accessible(page)
