"""The administrators' import pages in Chromium: a balance file with uncertain titles,
confirmed on the confirmation screen and applied; the same file again needs no
confirmation; axe on every import page in Danish and English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import delete, update

from matcher.data import models as m
from matcher.data.db import get_session
from tests.browser.conftest import accessible, log_in, serve
from tests.conftest import mini_catalog_with_educations
from tests.web.staff_helpers import make_user

BALANCE = ("Stillingsbetegnelse;RAR-område;Periode;Kategori\n"
           "Lagermedarbejder;RAR Vestjylland;2026H2;Mangel\n"
           "Lagerarbejder ved havn;RAR Vestjylland;2026H2;Gode jobmuligheder\n"
           "Svejser og klejnsmed;RAR Vestjylland;2026H2;Mangel\n"
           "Chauffør ved lager;RAR Vestjylland;2026H2;Mangel\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A site of its own: the imports change shortages the other browser tests rely on."""
    catalog = mini_catalog_with_educations(tmp_path_factory.mktemp("catalog") / "mini")
    with serve(tmp_path_factory.mktemp("import"), catalog, "2026-12-01") as live:
        live[0].config["IMPORT_UPLOAD_FOLDER"] = str(tmp_path_factory.mktemp("uploads"))
        yield live


def choose_balance(page: Page) -> None:
    page.locator("#file-balance").set_input_files(files=[{
        "name": "balance.csv", "mimeType": "text/csv", "buffer": BALANCE.encode()}])
    page.locator("#kind-balance ~ form button[type=submit]").click()


def test_balance_with_uncertain_titles_confirmed_applied_and_remembered(
        page: Page, site: tuple[Flask, str]) -> None:
    app, base = site
    log_in(page, base, make_user(app, "chef@herning.dk", "admin"))
    page.get_by_role("link", name="Indlæs data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indlæs data")
    choose_balance(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Hvad filen ændrer")
    expect(page.get_by_role("heading", name="Bekræft jobtitler")).to_be_visible()
    titles = page.locator("fieldset[id^=title-]")
    expect(titles.first).to_be_visible()
    count = titles.count()
    assert count >= 2  # the file has three titles near an occupation without being one
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)  # nothing pre-chosen

    # Importér without choosing: the summary has the focus and names each title.
    page.get_by_role("button", name="Importér").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary li")).to_have_count(count)

    page.locator("#title-1-c1").check()  # the best suggestion for the second title
    # Another occupation for the first title: search with the keyboard (Enter).
    page.get_by_label("Et andet job: søg efter det").first.fill("lastbil")
    page.locator("#find-0").press("Enter")
    found = page.locator("#title-0-f1")
    expect(found).to_be_visible()
    expect(page.locator("label[for=title-0-f1]")).to_contain_text("Lastbilchauffør")
    expect(page.locator("#title-1-c1")).to_be_checked()  # the other answer is kept
    found.check()
    for number in range(2, count):
        page.locator(f"#title-{number}-none").check()
    page.get_by_role("button", name="Importér").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Importen er gennemført")
    expect(page.get_by_text("Dataene er gemt.")).to_be_visible()
    expect(page.get_by_role("region", name="Ændringer pr. tabel")).to_contain_text(
        "Bekræftede jobtitler")

    # The same file again: the answers are remembered, nothing to confirm or change.
    page.get_by_role("link", name="Indlæs data").click()
    choose_balance(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvad filen ændrer")
    expect(page.get_by_role("heading", name="Bekræft jobtitler")).to_have_count(0)
    expect(page.get_by_text("Filen ændrer ingenting")).to_be_visible()
    page.get_by_role("link", name="Tilbage til indlæsning").click()
    history = page.get_by_role("region", name="Tidligere indlæsninger")
    expect(history.locator("tbody tr")).to_have_count(3)
    expect(history.locator("tbody tr").first).to_contain_text("Forhåndsvist")


def running_run(app: Flask) -> int:
    """A run in progress, as another process would leave it for the page to follow."""
    with app.app_context():
        session = get_session()
        row = m.ImportRun(kind="esco", status="running", started_at=datetime.now(UTC),
                          checksum="a" * 64, files=["esco.zip"], done=40, total=160,
                          report={"dry_run": True, "progress_at": datetime.now(UTC).isoformat()})
        session.add(row)
        session.commit()
        return row.id


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_import_pages_are_accessible(page: Page, site: tuple[Flask, str],
                                         language: str) -> None:
    app, base = site
    log_in(page, base, make_user(app, f"axe-{language}@herning.dk", "admin"))
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(base + "/admin/import")
    expect(page.locator("html")).to_have_attribute("lang", language)
    accessible(page)
    # A form's own error (no file chosen).
    page.locator("#kind-rates ~ form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    accessible(page)
    # A file the importer refuses: problems with file, line and field.
    page.locator("#file-balance").set_input_files(files=[{
        "name": "b.csv", "mimeType": "text/csv",
        "buffer": "Stillingsbetegnelse;RAR-område;Periode;Kategori\nSvejser;RAR Vestjylland;"
                  "2026H2;Ukendt\n".encode()}])
    page.locator("#kind-balance ~ form button[type=submit]").click()
    expect(page.locator("#import-problems")).to_be_visible()
    accessible(page)
    # The confirmation screen, with its errors and after a search (answers from another
    # test forgotten, so that the titles are asked about again).
    with app.app_context():
        session = get_session()
        session.execute(delete(m.TitleMapping))
        session.commit()
    page.goto(base + "/admin/import")
    choose_balance(page)
    expect(page.locator("#confirm-titles")).to_be_visible()
    accessible(page)
    page.locator("button[name=action][value=apply]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    accessible(page)
    page.locator("#find-0").fill("lastbil")
    page.locator("button[name=action][value='search:0']").click()
    expect(page.locator("#title-0")).to_be_visible()
    accessible(page)
    # A run in progress (its progress bar), and the files' description.
    page.goto(f"{base}/admin/import/{running_run(app)}")
    expect(page.locator("progress")).to_have_attribute("value", "40")
    expect(page.locator("[data-progress-text]")).to_contain_text("25 %")
    accessible(page)
    with app.app_context():  # it ends: the page's script follows and shows the outcome
        session = get_session()
        session.execute(update(m.ImportRun).where(m.ImportRun.status == "running")
                        .values(status="failed"))
        session.commit()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        {"da": "Importen fejlede", "en": "The import failed"}[language], timeout=15_000)
    accessible(page)
    page.goto(base + "/admin/import/filformater")
    accessible(page)
