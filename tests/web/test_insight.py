"""The municipal view in the web layer: the page's numbers (the hand-counted fixture of
tests/data/test_insight.py), a CSV of every table, the indicator's editor with malformed
input, and who may see any of it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matcher.data import models as m
from matcher.data.db import get_session
from tests.data.test_insight import HERNING, build_fixture
from tests.web.staff_helpers import events, login, make_provider, make_user

PAGE = "/admin/indsigt/"
EUD = "/admin/indsigt/erhvervsuddannelse"
TABLES = ("udbud", "huller", "aendringer", "efterspoergsel-job", "efterspoergsel-kurser",
          "erhvervsuddannelse")


class Tables(HTMLParser):
    """Every table of a page by its caption: rows of cell texts (header row included)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self._name = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._name] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def csv_rows(client: FlaskClient, table: str) -> list[list[str]]:
    response = client.get(f"/admin/indsigt/{table}.csv")
    assert response.status_code == 200, table
    assert response.mimetype == "text/csv"
    assert f'filename="indsigt-{table}-2026-12-01.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def world(app: Flask) -> Iterator[Flask]:
    app.config["TODAY"] = "2026-12-01"
    with app.app_context():
        session = get_session()
        build_fixture(session)
        session.commit()
    yield app


@pytest.fixture
def admin(world: Flask) -> FlaskClient:
    client = world.test_client()
    login(client, make_user(world, "chef@herning.dk", "admin"))
    return client


def series(app: Flask) -> list[tuple[int, str, str, str | None]]:
    with app.app_context():
        return [(r.year, str(r.share_percent), r.source, r.source_url)
                for r in get_session().scalars(select(m.EudChoice)
                                               .where(m.EudChoice.kommunekode == HERNING)
                                               .order_by(m.EudChoice.year))]


def audit_count(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(m.AuditEvent)
                                    .where(m.AuditEvent.action.like("eud_%"))) or 0


# --- the page -------------------------------------------------------------------------------

def test_the_page_shows_the_hand_counted_numbers(admin: FlaskClient) -> None:
    response = admin.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "RAR Vestjylland, arbejdsmarkedsbalancen for 2. halvår 2026." in html
    assert "højst 50 km i fugleflugt fra 7400 Herning" in html
    assert "mellem 2026-12-01 og 2027-06-01 (6 måneder)" in html
    assert "færre end 2 kurser inden for rækkevidde" in html
    tables = tables_of(html)
    assert tables["Mangeljob og kursusudbud"] == [
        ["Job", "Kode", "Vurdering", "Kurser inden for rækkevidde", "Hold inden for rækkevidde",
         "Kurser i kataloget", "Hul"],
        ["Svejser", "svejser", "Omfattende mangel på arbejdskraft", "3", "4", "3", "–"],
        ["Lagermedarbejder", "lager", "Mangel på arbejdskraft", "2", "3", "3", "–"],
        ["Smed", "smed", "Mangel på arbejdskraft", "1", "1", "1", "Få kurser"],
        ["Lastbilchauffør", "chauffor", "Paradoksproblemer", "0", "0", "1", "Ingen kurser"],
    ]
    assert [row[0] for row in tables["Huller i udbuddet"][1:]] == ["Lastbilchauffør", "Smed"]
    assert tables["Ændringer siden sidste periode"][1:] == [
        ["Svejser", "svejser", "Mangel på arbejdskraft", "Omfattende mangel på arbejdskraft",
         "Mere mangel"],
        ["Maler", "maler", "Mangel på arbejdskraft", "–", "Ikke længere i balancen"],
        ["Smed", "smed", "–", "Mangel på arbejdskraft", "Ny i balancen"],
        ["Lastbilchauffør", "chauffor", "Gode jobmuligheder", "Paradoksproblemer", "Mere mangel"],
        ["Kok", "kok", "Mangel på arbejdskraft", "Gode jobmuligheder", "Mindre mangel"],
    ]
    assert "Fra 1. halvår 2026 til 2. halvår 2026" in html
    assert "<li>Mere mangel: 2</li>" in html and "<li>Ny i balancen: 1</li>" in html
    assert tables["Mest viste job"][1:] == [["Lagermedarbejder", "lager", "10"],
                                            ["Svejser", "svejser", "10"],
                                            ["nedlagt (ikke længere i kataloget)", "nedlagt", "4"]]
    assert tables["Mest viste kurser"][1:] == [["Kursus c4", "c4", "6"], ["Kursus c5", "c5", "2"],
                                               ["Kursus c1", "c1", "1"]]
    assert tables["Valg af erhvervsuddannelse"][1:] == [
        ["2019", "23,2 %", "Herning Kommunes uddannelsesstrategi, mål 2 (\"Vi vil sikre "
         "kvalificeret arbejdskraft til fremtidens arbejdsmarked\")"],
        ["2021", "21,5 %", "UVM"]]
    # The targets with their source, linked.
    assert "mindst 25 % i 2020, mindst 30 % i 2025." in html
    assert ('href="https://politik.herning.dk/vores-strategier/strategier/uddannelsesstrategi"'
            in html)


def test_the_charts_are_accessible_svg_beside_their_tables(admin: FlaskClient) -> None:
    html = admin.get(PAGE).get_data(as_text=True)
    for chart in ("chart-supply", "chart-demand-jobs", "chart-demand-courses", "chart-eud"):
        assert f'id="{chart}" role="img"' in html
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
    # Gaps are hatched and say so in words, not by colour alone.
    assert 'fill="url(#chart-supply-hatch)"' in html
    # smed's bar; chauffor's 0 draws no bar, and its text says so.
    assert html.count('fill="url(#chart-supply-hatch)"') == 1
    assert ">1 – hul</text>" in html and ">0 – hul</text>" in html and ">3</text>" in html
    # The indicator's chart: both targets as labelled lines, the figures as labelled points.
    assert ">Mål 2020: 25 %</text>" in html and ">Mål 2025: 30 %</text>" in html
    assert ">23,2 %</text>" in html and ">21,5 %</text>" in html
    assert "2019: 23,2 %, 2021: 21,5 %" in html  # the description names every value


def test_the_page_in_english(admin: FlaskClient) -> None:
    admin.post("/sprog", data={"lang": "en", "next": PAGE})
    html = admin.get(PAGE).get_data(as_text=True)
    tables = tables_of(html)
    assert tables["Shortage occupations and course supply"][1] == [
        "Svejser (en)", "svejser", "Widespread labour shortage", "3", "4", "3", "–"]
    assert "at most 50 km in a straight line from 7400 Herning" in html
    assert "Target 2020: 25%" in html
    assert tables["Choice of vocational education"][1][:2] == ["2019", "23.2%"]


def test_an_area_without_a_balance_says_so(app: Flask) -> None:
    app.config["TODAY"] = "2026-12-01"
    client = app.test_client()
    login(client, make_user(app, "chef@herning.dk", "admin"))
    html = client.get(PAGE).get_data(as_text=True)
    assert "Der er ingen arbejdsmarkedsbalance for hjemkommunens område endnu." in html
    assert "Der er ingen tidligere periode at sammenligne med." in html


# --- CSV ------------------------------------------------------------------------------------

def test_every_table_as_csv(admin: FlaskClient) -> None:
    assert csv_rows(admin, "udbud") == [
        ["Job", "Kode", "Vurdering", "Kurser inden for rækkevidde", "Hold inden for rækkevidde",
         "Kurser i kataloget", "Hul"],
        ["Svejser", "svejser", "Omfattende mangel på arbejdskraft", "3", "4", "3", ""],
        ["Lagermedarbejder", "lager", "Mangel på arbejdskraft", "2", "3", "3", ""],
        ["Smed", "smed", "Mangel på arbejdskraft", "1", "1", "1", "Få kurser"],
        ["Lastbilchauffør", "chauffor", "Paradoksproblemer", "0", "0", "1", "Ingen kurser"]]
    assert [row[1] for row in csv_rows(admin, "huller")[1:]] == ["chauffor", "smed"]
    assert [row[1:] for row in csv_rows(admin, "aendringer")[1:]] == [
        ["svejser", "Mangel på arbejdskraft", "Omfattende mangel på arbejdskraft", "Mere mangel"],
        ["maler", "Mangel på arbejdskraft", "–", "Ikke længere i balancen"],
        ["smed", "–", "Mangel på arbejdskraft", "Ny i balancen"],
        ["chauffor", "Gode jobmuligheder", "Paradoksproblemer", "Mere mangel"],
        ["kok", "Mangel på arbejdskraft", "Gode jobmuligheder", "Mindre mangel"]]
    assert csv_rows(admin, "efterspoergsel-job") == [
        ["Job", "Kode", "Vist på resultatsider"], ["Lagermedarbejder", "lager", "10"],
        ["Svejser", "svejser", "10"], ["nedlagt (ikke længere i kataloget)", "nedlagt", "4"]]
    assert csv_rows(admin, "efterspoergsel-kurser")[1:] == [
        ["Kursus c4", "c4", "6"], ["Kursus c5", "c5", "2"], ["Kursus c1", "c1", "1"]]
    assert csv_rows(admin, "erhvervsuddannelse") == [
        ["År", "Andel, der valgte EUD (%)", "Kilde", "Kildens webadresse"],
        ["2019", "23.2", "Herning Kommunes uddannelsesstrategi, mål 2 (\"Vi vil sikre "
         "kvalificeret arbejdskraft til fremtidens arbejdsmarked\")",
         "https://politik.herning.dk/vores-strategier/strategier/uddannelsesstrategi"],
        ["2021", "21.5", "UVM", ""]]


def test_the_csv_of_demand_has_every_row_the_page_shows_the_top(world: Flask,
                                                                 admin: FlaskClient) -> None:
    from datetime import date

    with world.app_context():
        session = get_session()
        session.add_all([m.ResultAppearance(kind="course", code=f"x{n:02d}",
                                            day=date(2026, 11, 1), count=100 + n)
                         for n in range(12)])
        session.commit()
    assert len(csv_rows(admin, "efterspoergsel-kurser")) == 1 + 12 + 3
    assert len(tables_of(admin.get(PAGE).get_data(as_text=True))["Mest viste kurser"]) == 1 + 10


def test_csv_cells_never_run_as_spreadsheet_formulas(world: Flask, admin: FlaskClient) -> None:
    response = admin.post(EUD, data={"year": "2022", "share": "20",
                                     "source": "=HYPERLINK(\"http://x\")",
                                     "source_url": ""})
    assert response.status_code == 303
    rows = csv_rows(admin, "erhvervsuddannelse")
    assert rows[3][:3] == ["2022", "20", "'=HYPERLINK(\"http://x\")"]
    with world.app_context():
        session = get_session()
        occupation = session.get(m.Occupation, "smed")
        assert occupation is not None
        occupation.title_da = "@SUM(A1)"
        session.commit()
    # The catalogue's title reaches the CSV through the index: a new catalogue version.
    from matcher.data import index_cache

    index_cache.clear()
    assert {row[1]: row[0] for row in csv_rows(admin, "udbud")}["smed"] == "'@SUM(A1)"


def test_an_unknown_table_is_not_found(admin: FlaskClient) -> None:
    assert admin.get("/admin/indsigt/brugere.csv").status_code == 404
    assert admin.get("/admin/indsigt/..%2Fudbud.csv").status_code == 404


# --- the indicator's editor -----------------------------------------------------------------

def test_add_change_and_delete_a_year(world: Flask, admin: FlaskClient) -> None:
    page = admin.get(EUD)
    assert page.status_code == 200
    assert "Tilføj et år" in page.get_data(as_text=True)
    response = admin.post(EUD, data={"year": "2024", "share": "24,5", "source": "UVM Datavarehus",
                                     "source_url": "https://uvm.dk/datavarehus"})
    assert response.status_code == 303 and response.headers["Location"] == EUD
    assert "Tallet for 2024 er gemt." in admin.get(EUD).get_data(as_text=True)
    assert (2024, "24.50", "UVM Datavarehus", "https://uvm.dk/datavarehus") in series(world)

    form = admin.get(EUD + "?aar=2024").get_data(as_text=True)
    assert "Ret tallet for 2024" in form and 'value="24,5"' in form
    assert 'name="original" value="2024"' in form
    response = admin.post(EUD, data={"original": "2024", "year": "2023", "share": "24,5",
                                     "source": "UVM Datavarehus", "source_url": ""})
    assert response.status_code == 303
    assert [row[0] for row in series(world)] == [2019, 2021, 2023]

    response = admin.post(EUD, data={"slet": "2023"})
    assert response.status_code == 303
    assert "Tallet for 2023 er slettet." in admin.get(EUD).get_data(as_text=True)
    assert [row[0] for row in series(world)] == [2019, 2021]
    assert [e.action for e in events(world, "eud_choice_added")] == ["eud_choice_added"]
    assert len(events(world, "eud_choice_changed")) == 1
    assert len(events(world, "eud_choice_deleted")) == 1
    # The page shows the new state at once.
    assert admin.get(PAGE).get_data(as_text=True).count("21,5 %") >= 1


VALID = {"year": "2024", "share": "24,5", "source": "UVM Datavarehus", "source_url": ""}
MALFORMED = [
    ({"year": ""}, "Skriv året, fx 2024."),
    ({"year": "1999"}, "Året skal være mellem 2000 og 2026."),
    ({"year": "2027"}, "Året skal være mellem 2000 og 2026."),
    ({"year": "20x4"}, "Skriv året som et helt tal med fire cifre, fx 2024."),
    ({"year": "2024.5"}, "Skriv året som et helt tal med fire cifre, fx 2024."),
    ({"share": ""}, "Skriv andelen i procent, fx 23,2."),
    ({"share": "100,1"}, "Andelen skal være mellem 0 og 100 procent."),
    ({"share": "-1"}, "Andelen skal være mellem 0 og 100 procent."),
    ({"share": "mange"}, "Skriv andelen som et tal med højst én decimal, fx 23,2."),
    ({"share": "23,25"}, "Skriv andelen som et tal med højst én decimal, fx 23,2."),
    ({"share": "NaN"}, "Skriv andelen som et tal med højst én decimal, fx 23,2."),
    ({"share": "1e2"}, "Skriv andelen som et tal med højst én decimal, fx 23,2."),
    ({"source": ""}, "Skriv kilden til tallet, fx UVM&#39;s Datavarehus."),
    ({"source": "   "}, "Skriv kilden til tallet, fx UVM&#39;s Datavarehus."),
    ({"source": "x" * 301}, "Kilden må højst have 300 tegn."),
    ({"source": "<script>alert(1)</script>"}, "Kilden må ikke indeholde HTML, fx &lt; og &gt;."),
    ({"source_url": "javascript:alert(1)"},
     "Skriv en webadresse, der begynder med https:// eller http://."),
    ({"source_url": "https://uvm.dk/" + "x" * 490}, "Webadressen må højst have 500 tegn."),
    ({"year": "2019"},  # a year that has its figure: change it instead
     "Der er allerede et tal for 2019. Ret det i tabellen i stedet for at tilføje det igen."),
    ({"original": "2021", "year": "2019"},  # moving 2021 onto 2019
     "Der er allerede et tal for 2019. Ret det i tabellen i stedet for at tilføje det igen."),
    ({"original": "2018"}, "Tallet for 2018 findes ikke længere. Tilføj det igen."),
    ({"original": "abc"}, "Det år, der skulle rettes, er ikke gyldigt."),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED)
def test_malformed_input_is_refused_in_danish_and_changes_nothing(
        world: Flask, admin: FlaskClient, change: dict[str, str], message: str) -> None:
    before = series(world)
    response = admin.post(EUD, data={**VALID, **change})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="error-summary"' in html and "<title>Fejl:" in html
    assert 'href="#original"' not in html  # every error links to a box on the page
    assert series(world) == before and audit_count(world) == 0


def test_an_error_in_english(admin: FlaskClient) -> None:
    admin.post("/sprog", data={"lang": "en", "next": EUD})
    response = admin.post(EUD, data={**VALID, "share": "101"})
    assert response.status_code == 400
    assert "The share must be between 0 and 100 per cent." in response.get_data(as_text=True)


@pytest.mark.parametrize("year", ["", "abc", "1999", "2018", "20199"])
def test_deleting_a_year_without_a_figure_deletes_nothing(world: Flask, admin: FlaskClient,
                                                          year: str) -> None:
    before = series(world)
    response = admin.post(EUD, data={"slet": year})
    assert response.status_code == 303
    assert "Der er intet tal for det år. Intet er slettet." in admin.get(EUD).get_data(as_text=True)
    assert series(world) == before and audit_count(world) == 0


def test_a_figure_of_another_municipality_is_neither_shown_nor_deleted(
        world: Flask, admin: FlaskClient) -> None:
    html = admin.get(EUD).get_data(as_text=True)
    assert "other" not in tables_of(html)["Valg af erhvervsuddannelse"].__str__()
    world.config["HOME_MUNICIPALITY"] = 751
    admin.post(EUD, data={"slet": "2021"})  # Herning's 2021, not Aarhus'
    world.config["HOME_MUNICIPALITY"] = HERNING
    assert [row[0] for row in series(world)] == [2019, 2021]


# --- who may ----------------------------------------------------------------------------------

ROUTES = [("GET", PAGE), ("GET", "/admin/indsigt/udbud.csv"), ("GET", EUD), ("POST", EUD)]


@pytest.mark.parametrize("role", ["caseworker", "provider"])
def test_other_staff_are_refused(world: Flask, role: str) -> None:
    if role == "provider":
        make_provider(world, "p_x")
    user = make_user(world, f"{role}@herning.dk", role,
                     provider="p_x" if role == "provider" else None)
    client = world.test_client()
    login(client, user)
    for method, url in ROUTES:
        assert client.open(url, method=method, data={**VALID, "year": "2024"}).status_code == 403
    assert series(world)[-1][0] == 2021


def test_anonymous_visitors_are_sent_to_log_in(world: Flask) -> None:
    client = world.test_client()
    for method, url in ROUTES:
        response = client.open(url, method=method, data=VALID)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/log-ind")
    assert [row[0] for row in series(world)] == [2019, 2021]


# --- cost and charts --------------------------------------------------------------------------

def test_the_page_s_queries_do_not_grow_with_its_rows(world: Flask, admin: FlaskClient) -> None:
    from datetime import date
    from decimal import Decimal

    from sqlalchemy import event

    admin.get(PAGE)  # the catalogue index is built once, then cached

    def statements() -> int:
        seen: list[str] = []

        def count(*_args: object) -> None:
            seen.append("")

        with world.app_context():
            engine = get_session().get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert admin.get(PAGE).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    few = statements()
    with world.app_context():
        session = get_session()
        session.add_all([m.ResultAppearance(kind=kind, code=f"{kind}-{n}", day=date(2026, 11, 1),
                                            count=n + 1)
                         for kind in ("course", "occupation") for n in range(40)])
        session.add_all([m.EudChoice(kommunekode=HERNING, year=2000 + n,
                                     share_percent=Decimal(20), source="UVM") for n in range(15)])
        session.commit()
    assert statements() == few <= 8


def test_chart_text_is_escaped_and_empty_charts_draw() -> None:
    from matcher.web.svg_charts import Bar, Point, bar_chart, line_chart

    svg = str(bar_chart([Bar("<script>x</script>", 3, "3 & 4")], chart_id="c", title="T <b>",
                        desc="D"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "3 &amp; 4" in svg
    assert "<title id=\"c-title\">T &lt;b&gt;</title>" in svg
    assert "<rect" in svg and 'role="img"' in svg
    empty = str(bar_chart([], chart_id="e", title="T", desc="D"))
    assert empty.startswith("<svg") and "<rect x" not in empty
    lone = str(line_chart([Point(2019, 23.2, "23,2 %")], [], chart_id="l", title="T", desc="D"))
    assert "<circle" in lone and "<path d=\"M" not in lone  # one point: no line to draw
    assert "23,2 %" in lone
    long_label = str(bar_chart([Bar("Lager- og logistikmedarbejder med truckcertifikat", 1, "1")],
                               chart_id="w", title="T", desc="D"))
    assert "…" in long_label  # the whole title is in the table beside it
