"""The municipal view in Chromium: an administrator opens it from the admin area, edits the
vocational-choice indicator, and axe finds nothing on any of it, in Danish and English;
the charts are there without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from matcher.data import models as m
from matcher.data.db import get_session
from tests.browser.conftest import accessible, log_in, serve
from tests.conftest import mini_catalog_with_educations
from tests.web.staff_helpers import make_user

HEADINGS = {"da": "Indsigt: mangel og kursusudbud", "en": "Insight: shortages and course supply"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A site of its own, with a previous balance period and some counted result pages,
    so that every table and chart of the page has rows."""
    catalog = mini_catalog_with_educations(tmp_path_factory.mktemp("catalog") / "mini")
    with serve(tmp_path_factory.mktemp("insight"), catalog, "2026-12-01") as (app, base):
        with app.app_context():
            session = get_session()
            session.add_all([
                m.Shortage(occupation_code="svejser", rar_code="VESTJ", period="2026H1",
                           category="mangel", source="demo"),
                m.Shortage(occupation_code="lastbilchauffoer", rar_code="VESTJ",
                           period="2026H1", category="gode", source="demo"),
                m.ResultAppearance(kind="occupation", code="svejser", day=date(2026, 11, 30),
                                   count=12),
                m.ResultAppearance(kind="occupation", code="lagermedarbejder",
                                   day=date(2026, 11, 2), count=5),
                m.ResultAppearance(kind="course", code="c_truck", day=date(2026, 11, 30),
                                   count=7)])
            session.commit()
        yield app, base


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_admin_opens_the_view_and_edits_the_indicator(page: Page, site: tuple[Flask, str],
                                                          language: str) -> None:
    app, base = site
    log_in(page, base, make_user(app, f"indsigt-{language}@herning.dk", "admin"))
    if language == "en":
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    accessible(page)  # the admin area's front page, with the link to the view
    page.get_by_role("link", name=HEADINGS[language]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language])
    for chart in ("chart-supply", "chart-demand-jobs", "chart-demand-courses", "chart-eud"):
        expect(page.locator(f"svg#{chart}")).to_be_visible()
    accessible(page)

    page.goto(base + "/admin/indsigt/erhvervsuddannelse")
    accessible(page)
    page.locator("button[type=submit].button-primary").click()  # an empty form
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#year")).to_have_attribute("aria-invalid", "true")
    accessible(page)
    year = "2022" if language == "da" else "2023"
    page.locator("#year").fill(year)
    page.locator("#share").fill("24,1" if language == "da" else "24.1")
    page.locator("#source").fill("UVM Datavarehus")
    page.locator("button[type=submit].button-primary").click()
    expect(page.get_by_role("status")).to_contain_text(year)
    expect(page.get_by_role("row").filter(has_text=year)).to_contain_text("24")
    accessible(page)
    page.goto(base + f"/admin/indsigt/erhvervsuddannelse?aar={year}")
    expect(page.locator("#share")).to_have_value("24,1")
    accessible(page)


def test_the_charts_and_tables_need_no_javascript(browser: Browser,
                                                  site: tuple[Flask, str]) -> None:
    app, base = site
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    try:
        log_in(page, base, make_user(app, "uden-js@herning.dk", "admin"))
        page.goto(base + "/admin/indsigt/")
        expect(page.locator("svg#chart-supply")).to_be_visible()
        expect(page.get_by_role("table", name="Mangeljob og kursusudbud")).to_be_visible()
        expect(page.get_by_role("img", name="Kurser inden for rækkevidde pr. mangeljob")
               ).to_be_visible()
    finally:
        context.close()
