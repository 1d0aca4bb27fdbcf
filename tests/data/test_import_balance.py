"""The labour-market balance importer: malformed files refused with file, line and field
and nothing written; titles mapped by code, remembered confirmation or fuzzy match; the
ratings of the covered areas and half-years replaced, others kept; the command."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.importers import balance
from matcher.data.importers.report import ImportRefused, ImportReport
from matcher.data.importers.run import run_import
from tests.conftest import BUNDLED_CATALOG, MINI_CATALOG
from tests.web.staff_helpers import make_user

SAMPLES = Path(__file__).resolve().parent / "import_samples"
HEADER = "Stillingsbetegnelse,RAR-område,Periode,Kategori\n"
BOM = "\ufeff"


@pytest.fixture
def db(app: Flask, runner: FlaskCliRunner) -> Iterator[Session]:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    with app.app_context():
        yield get_session()


def write(tmp_path: Path, text: str | bytes, name: str = "balance.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(db: Session, path: Path, **options: Any) -> ImportReport:
    return run_import(db, "balance", [path], **options)


def shortages(db: Session) -> list[tuple[str, str, str, str, str | None, str | None]]:
    db.expire_all()
    return sorted((r.occupation_code, r.rar_code, r.period, r.category, r.source, r.source_url)
                  for r in db.scalars(select(m.Shortage)))


def mappings(db: Session) -> dict[str, str | None]:
    db.expire_all()
    return {r.title_key: r.occupation_code for r in db.scalars(select(m.TitleMapping))}


def version(db: Session) -> int:
    db.expire_all()
    state = db.get(m.CatalogState, 1)
    assert state is not None
    return state.version


# --- malformed files: each refused with its file, line, field and message ----------------

LONG = "x" * 301
MALFORMED: list[tuple[str, str | bytes, int | None, str | None, str]] = [
    ("no title column", "RAR-område,Periode,Kategori\nVESTJ,2026H2,Mangel\n",
     1, "title", "missing column"),
    ("no area column", "Stillingsbetegnelse,Periode,Kategori\nSvejser,2026H2,Mangel\n",
     1, "area", "missing column"),
    ("no category column", "Stillingsbetegnelse,RAR-område,Periode\nSvejser,VESTJ,2026H2\n",
     1, "category", "missing column"),
    ("unknown area", HEADER + "Svejser,RAR Mars,2026H2,Mangel\n",
     2, "RAR-område", "'RAR Mars' is not a RAR area of the catalogue"),
    ("third half-year", HEADER + "Svejser,VESTJ,2026H3,Mangel\n",
     2, "Periode", "'2026H3' is not a half-year"),
    ("year out of range", HEADER + "Svejser,VESTJ,1. halvår 1999,Mangel\n",
     2, "Periode", "is not a half-year"),
    ("UG's scale is not STAR's category", HEADER + "Svejser,VESTJ,2026H2,Rigtig gode jobmuligheder\n",
     2, "Kategori", "is not one of STAR's categories"),
    ("blank title", HEADER + ",VESTJ,2026H2,Mangel\n", 2, "Stillingsbetegnelse",
     "is required but empty"),
    ("blank category", HEADER + "Svejser,VESTJ,2026H2,\n", 2, "Kategori",
     "is required but empty"),
    ("blank period", HEADER + "Svejser,VESTJ,,Mangel\n", 2, "Periode", "is required but empty"),
    ("a title of punctuation", HEADER + "---,VESTJ,2026H2,Mangel\n", 2, "Stillingsbetegnelse",
     "has no letters or digits"),
    ("title too long", HEADER + f"{LONG},VESTJ,2026H2,Mangel\n", 2, "Stillingsbetegnelse",
     "at most 300"),
    ("rated twice", HEADER + "Svejser,VESTJ,2026H2,Mangel\nsvejser,RAR Vestjylland,2. halvår 2026,Gode\n",
     3, "Stillingsbetegnelse", "is rated twice for VESTJ in 2026H2; first at line 2"),
    ("five-digit code", "Stillingsbetegnelse,RAR-område,Periode,Kategori,DISCO-08\n"
     "Svejser,VESTJ,2026H2,Mangel,72120\n", 2, "DISCO-08", "neither a DISCO-08 code"),
    ("not an ESCO URI", "Stillingsbetegnelse,RAR-område,Periode,Kategori,Kode\n"
     "Svejser,VESTJ,2026H2,Mangel,http://example.com/svejser\n", 2, "Kode", "must be an ESCO URI"),
    ("source link without http", "Stillingsbetegnelse,RAR-område,Periode,Kategori,Kilde URL\n"
     "Svejser,VESTJ,2026H2,Mangel,www.star.dk\n", 2, "Kilde URL", "must be an http(s) address"),
    ("a row too short", HEADER + "Svejser,VESTJ,2026H2,Mangel\nLagermedarbejder,VESTJ,2026H2\n",
     3, None, "has 3 fields but the header has 4"),
    ("Latin-1, not UTF-8", (HEADER + "Svejser,RAR Østjylland,2026H2,Mangel\n").encode("latin-1"),
     1, None, "not valid UTF-8"),  # the header's å already
    ("empty file", "", None, None, "the file is empty"),
    ("header only", HEADER, None, None, "the file has a header but no rows"),
    ("a spreadsheet, not CSV", b"PK\x03\x04\x00\x00binary", None, None, "binary data"),
    ("two title columns", "Stillingsbetegnelse,Titel,RAR-område,Periode,Kategori\n"
     "Svejser,Svejser,VESTJ,2026H2,Mangel\n", 1, "Titel", "names the same column"),
    ("an unclosed quote", HEADER + 'Svejser,VESTJ,2026H2,"Mangel\n', 2, None, "unreadable CSV"),
]


@pytest.mark.parametrize(("content", "line", "field", "message"),
                         [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_file_is_refused_and_writes_nothing(
        db: Session, tmp_path: Path, content: str | bytes, line: int | None, field: str | None,
        message: str) -> None:
    before, before_version = shortages(db), version(db)
    with pytest.raises(ImportRefused) as refused:
        run(db, write(tmp_path, content))
    found = [(p.file, p.line, p.field) for p in refused.value.report.problems
             if message in p.message]
    assert found == [("balance.csv", line, field)], refused.value.report.problems
    assert shortages(db) == before and mappings(db) == {} and version(db) == before_version
    run_row = db.scalar(select(m.ImportRun))
    assert run_row is not None and run_row.status == "refused"


def test_an_area_not_in_use_in_the_period_is_refused(db: Session, tmp_path: Path) -> None:
    area = db.get(m.RarArea, "OESTJ")
    assert area is not None
    area.valid_to = date(2025, 12, 31)
    db.commit()
    with pytest.raises(ImportRefused) as refused:
        run(db, write(tmp_path, HEADER + "Svejser,RAR Østjylland,2026H1,Mangel\n"))
    assert [(p.line, p.field, p.message) for p in refused.value.report.problems] == [
        (2, "RAR-område", "the area OESTJ is not in use in 2026H1 (see rar_areas.csv)")]


def test_a_confirmation_naming_an_unknown_occupation_is_refused(db: Session,
                                                                tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2026H2,Mangel\n")
    with pytest.raises(ImportRefused) as refused:
        run(db, path, mappings={"Svejser (MIG/MAG)": "pilot"})
    assert [(p.line, p.field) for p in refused.value.report.problems] == [(2, "Stillingsbetegnelse")]
    assert "confirmed as occupation 'pilot', which is not in the catalogue" in \
        refused.value.report.problems[0].message
    assert mappings(db) == {}


# --- good files -------------------------------------------------------------------------------

def test_ratings_of_the_covered_areas_and_half_years_are_replaced_exactly(
        db: Session, tmp_path: Path) -> None:
    """Semicolons and a byte-order mark as Danish Excel writes; STAR's words and periods."""
    path = write(tmp_path, BOM + "Stillingsbetegnelse;RAR-område;Periode;Kategori;Kilde\n"
                 "Lagermedarbejder;RAR Vestjylland;2. halvår 2026;Gode jobmuligheder;demo\n"
                 "Svejser;Vestjylland;2026H2;Omfattende mangel på arbejdskraft;demo\n"
                 "Lagerarbejder;RAR Vestjylland;1. halvår 2027;Mangel på arbejdskraft;demo\n")
    report = run(db, path)
    assert not report.problems
    count = report.table("shortage")
    # VESTJ 2026H2: lager changed, svejser unchanged, lastbilchauffør removed; 2027H1 added.
    assert (count.added, count.changed, count.removed, count.unchanged) == (1, 1, 1, 1)
    assert shortages(db) == [
        ("lagermedarbejder", "OESTJ", "2026H2", "gode", "demo", None),  # another area: kept
        ("lagermedarbejder", "VESTJ", "2026H2", "gode", "demo", None),
        ("lagermedarbejder", "VESTJ", "2027H1", "mangel", "demo", None),
        ("svejser", "VESTJ", "2026H2", "omfattende_mangel", "demo", None)]
    assert report.extra["periods"] == ["2026H2", "2027H1"] and report.extra["areas"] == ["VESTJ"]
    assert report.extra["matched_by"] == {"exact": 3}
    after = version(db)
    again = run(db, path)  # the same file again changes nothing
    assert not again.changed and again.table("shortage").unchanged == 3
    assert version(db) == after


def test_rows_without_a_source_are_stars_with_the_balance_page(db: Session,
                                                               tmp_path: Path) -> None:
    path = write(tmp_path, "Job title,Area,Period,Category\n"
                           "Welder,OESTJ,2027H1,Shortage\nSvejser,OESTJ,H1 2027,Shortage\n")
    report = run(db, path)
    assert report.extra["matched_by"] == {"exact": 1, "unmatched": 1}
    assert ("svejser", "OESTJ", "2027H1", "mangel", "STAR", balance.DEFAULT_SOURCE_URL) in \
        shortages(db)


def test_a_dry_run_writes_nothing_and_lists_uncertain_titles(db: Session, tmp_path: Path) -> None:
    before, before_version = shortages(db), version(db)
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H1,Mangel\n"
                                    "Lagermedarbejder,VESTJ,2027H1,Gode\n")
    report = run(db, path, dry_run=True, preview=True)
    assert not report.problems and report.table("shortage").added == 1
    assert report.extra["uncertain"] == [{
        "title": "Svejser (MIG/MAG)", "title_key": "svejser mig mag", "line": 2,
        "candidates": [{"code": "svejser", "title": "Svejser", "score": 90.0}]}]
    assert shortages(db) == before and version(db) == before_version
    assert db.scalar(select(m.ImportRun)) is None  # a dry run is not history


def test_an_uncertain_title_refuses_the_import_until_confirmed(db: Session,
                                                               tmp_path: Path) -> None:
    before = shortages(db)
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H1,Mangel\n"
                                    "Lagermedarbejder,VESTJ,2027H1,Gode\n")
    with pytest.raises(ImportRefused) as refused:
        run(db, path)
    problem = refused.value.report.problems[0]
    assert (problem.file, problem.line, problem.field) == ("balance.csv", None, "Stillingsbetegnelse")
    assert problem.message.startswith("1 job title(s) need confirming")
    assert shortages(db) == before


def test_a_confirmation_is_remembered_and_used_next_time_without_asking(
        app: Flask, db: Session, tmp_path: Path) -> None:
    make_user(app, "admin@example.dk", "admin")
    admin = db.scalar(select(m.UserAccount).where(m.UserAccount.email == "admin@example.dk"))
    assert admin is not None
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H1,Mangel\n"
                                    "Tandlæge,VESTJ,2027H1,Mangel\n")
    report = run(db, path, mappings={"svejser mig mag": "svejser", "Tandlæge": None},
                 confirmed_by_id=admin.id)
    assert report.table("title_mapping").added == 2
    assert mappings(db) == {"svejser mig mag": "svejser", "tandlaege": None}
    stored = db.get(m.TitleMapping, "svejser mig mag")
    assert stored is not None and stored.confirmed_by_id == admin.id
    assert stored.title == "Svejser (MIG/MAG)"
    assert ("svejser", "VESTJ", "2027H1", "mangel", "STAR", balance.DEFAULT_SOURCE_URL) in \
        shortages(db)
    # The next edition: the same titles, no questions, the remembered answers used.
    later = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H2,Gode\n"
                                     "Tandlæge,VESTJ,2027H2,Mangel\n", "next.csv")
    report = run(db, later)
    assert report.extra["uncertain"] == [] and report.extra["matched_by"] == {
        "not_ours": 1, "remembered": 1}
    assert report.extra["not_ours"] == [{"title": "Tandlæge", "title_key": "tandlaege", "line": 3}]
    assert ("svejser", "VESTJ", "2027H2", "gode", "STAR", balance.DEFAULT_SOURCE_URL) in \
        shortages(db)
    assert not any(row[2] == "2027H2" and row[0] != "svejser" for row in shortages(db))


def test_a_certain_fuzzy_match_is_used_and_listed(db: Session, tmp_path: Path) -> None:
    report = run(db, write(tmp_path, HEADER + "Lagermedarbjder,VESTJ,2027H1,Mangel\n"))
    assert report.extra["fuzzy"] == [{"title": "Lagermedarbjder", "title_key": "lagermedarbjder",
                                      "line": 2, "code": "lagermedarbejder",
                                      "occupation": "Lagermedarbejder", "score": 96.8}]
    assert ("lagermedarbejder", "VESTJ", "2027H1") in {row[:3] for row in shortages(db)}


def test_a_code_beats_the_title(db: Session, tmp_path: Path) -> None:
    """Lagerarbejder is Lagermedarbejder's alias; the ISCO code says Svejser, and wins."""
    path = write(tmp_path, "Stillingsbetegnelse,RAR-område,Periode,Kategori,ISCO-08\n"
                           "Lagerarbejder,VESTJ,2027H1,Mangel,7212\n"
                           "Truckfører,VESTJ,2027H1,Gode,lastbilchauffoer\n")
    report = run(db, path)
    assert report.extra["matched_by"] == {"code": 2}
    assert {row[:4] for row in shortages(db) if row[2] == "2027H1"} == {
        ("svejser", "VESTJ", "2027H1", "mangel"), ("lastbilchauffoer", "VESTJ", "2027H1", "gode")}


def test_a_code_shared_by_two_occupations_lets_the_title_decide(db: Session,
                                                                tmp_path: Path) -> None:
    db.add(m.Occupation(code="tig_svejser", title_da="TIG-svejser", isco08="7212"))
    db.commit()
    path = write(tmp_path, "Stillingsbetegnelse,RAR-område,Periode,Kategori,ISCO-08\n"
                           "TIG-svejser,VESTJ,2027H1,Mangel,7212\n"
                           "Svejser,VESTJ,2027H1,Gode,7212\n"
                           "Svejsemedarbejder,VESTJ,2027H1,Gode,7212\n")
    report = run(db, path, dry_run=True, preview=True)
    assert report.extra["matched_by"] == {"code": 2, "uncertain": 1}
    assert [c["code"] for c in report.extra["uncertain"][0]["candidates"]] == [
        "svejser", "tig_svejser"]


def test_titles_resembling_no_occupation_are_not_ours_and_skipped(db: Session,
                                                                  tmp_path: Path) -> None:
    report = run(db, write(tmp_path, HEADER + "Revisor,VESTJ,2027H1,Mangel\n"
                                              "Tandlæge,VESTJ,2027H1,Mangel\n"))
    assert report.extra["unmatched"] == [
        {"title": "Revisor", "title_key": "revisor", "line": 2},
        {"title": "Tandlæge", "title_key": "tandlaege", "line": 3}]
    assert report.extra["unmatched_count"] == 2
    assert not any(row[2] == "2027H1" for row in shortages(db))


def test_accept_best_above_confirms_good_enough_candidates_only(db: Session,
                                                               tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H1,Mangel\n"
                                    "Lastbilchauffeur,VESTJ,2027H1,Mangel\n")
    preview = run(db, path, dry_run=True, preview=True)
    scores = {u["title"]: u["candidates"][0]["score"] for u in preview.extra["uncertain"]}
    assert scores["Lastbilchauffeur"] > scores["Svejser (MIG/MAG)"]
    report = run(db, path, dry_run=True, preview=True,
                 accept_best_above=scores["Lastbilchauffeur"])
    assert [u["title"] for u in report.extra["uncertain"]] == ["Svejser (MIG/MAG)"]
    assert report.table("title_mapping").added == 1
    assert report.extra["matched_by"] == {"confirmed": 1, "uncertain": 1}


def test_two_titles_of_one_occupation_the_better_match_wins(db: Session, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Lagerarbejder,VESTJ,2027H1,Gode\n"
                                    "Lagermedarbejder,VESTJ,2027H1,Mangel\n")
    report = run(db, path)
    assert ("lagermedarbejder", "VESTJ", "2027H1", "gode") in {r[:4] for r in shortages(db)}
    assert [(w.line, w.field) for w in report.warnings] == [(3, "Stillingsbetegnelse")]
    assert "matches it better" in report.warnings[0].message


def test_a_whole_country_row_is_skipped_with_a_warning(db: Session, tmp_path: Path) -> None:
    report = run(db, write(tmp_path, HEADER + "Svejser,Hele landet,2027H1,Mangel\n"
                                              "Svejser,VESTJ,2027H1,Gode\n"))
    assert [(w.line, w.field) for w in report.warnings] == [(2, "RAR-område")]
    assert {r[:4] for r in shortages(db) if r[2] == "2027H1"} == {
        ("svejser", "VESTJ", "2027H1", "gode")}


def test_progress_is_reported(db: Session, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    run(db, write(tmp_path, HEADER + "Svejser,VESTJ,2027H1,Mangel\n"), dry_run=True,
        progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (1, 1)


@pytest.mark.parametrize(("raw", "period"), [
    ("2026H2", "2026H2"), ("2026 H1", "2026H1"), ("2. halvår 2026", "2026H2"),
    ("1. halvår 2027", "2027H1"), ("H2 2026", "2026H2"), ("2026-2", "2026H2"),
    ("andet halvår 2026", "2026H2"), ("første halvår 2026", "2026H1"),
    ("2nd half 2026", "2026H2")])
def test_periods_as_star_writes_them(raw: str, period: str) -> None:
    assert balance.parse_period(raw) == period


# --- the sample file against the bundled catalogue --------------------------------------------

@pytest.mark.slow
def test_the_sample_file_maps_against_the_bundled_catalogue(app: Flask,
                                                            runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["catalog", "load", str(BUNDLED_CATALOG)]).exit_code == 0
    with app.app_context():
        report = run(get_session(), SAMPLES / "balance.csv", dry_run=True, preview=True)
    assert not report.problems
    assert {u["title"] for u in report.extra["uncertain"]} == {
        "Tømrer/snedker", "Svejser (MIG/MAG)", "Chauffør (lastbil)"}
    assert [u["title"] for u in report.extra["unmatched"]] == ["Revisor", "Tandlæge"]
    assert report.extra["matched_by"] == {"code": 2, "exact": 10, "fuzzy": 1, "uncertain": 3,
                                          "unmatched": 2}


# --- the command -------------------------------------------------------------------------------

def test_the_command_refuses_uncertain_titles_and_lists_their_candidates(
        db: Session, runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H1,Mangel\n")
    result = runner.invoke(args=["import", "balance", str(path)])
    assert result.exit_code == 1
    assert "1 job title(s) need confirming" in result.output
    assert "2: Svejser (MIG/MAG) -> svejser Svejser (90.0)" in result.output
    assert "Refused: 1 problem(s); nothing was written." in result.output
    assert not any(row[2] == "2027H1" for row in shortages(db))


def test_the_command_dry_run_lists_and_exits_0(db: Session, runner: FlaskCliRunner,
                                               tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H1,Mangel\n")
    result = runner.invoke(args=["import", "balance", "--dry-run", str(path)])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was written." in result.output
    assert "Svejser (MIG/MAG) -> svejser" in result.output


def test_the_command_with_map_applies_and_remembers(db: Session, runner: FlaskCliRunner,
                                                    tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H1,Mangel\n"
                                    "Tandlæge,VESTJ,2027H1,Mangel\n")
    result = runner.invoke(args=["import", "balance", str(path), "--map",
                                 "Svejser (MIG/MAG)=svejser", "--map", "Tandlæge="])
    assert result.exit_code == 0, result.output
    assert mappings(db) == {"svejser mig mag": "svejser", "tandlaege": None}
    assert ("svejser", "VESTJ", "2027H1") in {r[:3] for r in shortages(db)}
    again = runner.invoke(args=["import", "balance", str(path)])
    assert again.exit_code == 0 and "No changes" in again.output


def test_the_command_accept_best_above(db: Session, runner: FlaskCliRunner,
                                       tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Svejser (MIG/MAG),VESTJ,2027H1,Mangel\n")
    result = runner.invoke(args=["import", "balance", str(path), "--accept-best-above", "85"])
    assert result.exit_code == 0, result.output
    assert mappings(db) == {"svejser mig mag": "svejser"}


def test_the_command_refuses_a_malformed_map(db: Session, runner: FlaskCliRunner,
                                             tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Svejser,VESTJ,2027H1,Mangel\n")
    result = runner.invoke(args=["import", "balance", str(path), "--map", "svejser"])
    assert result.exit_code == 2 and "is not TITLE=CODE" in result.output
    assert mappings(db) == {}


def test_a_file_full_of_errors_lists_the_first_200(db: Session, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "".join(f"Svejser {i},VESTJ,2026H9,Mangel\n"
                                            for i in range(300)))
    with pytest.raises(ImportRefused) as refused:
        run(db, path)
    assert len(refused.value.report.problems) == 200
    assert refused.value.report.problems[-1].line == 201


def test_the_catalogues_own_occupation_before_an_esco_one_of_the_same_name(
        db: Session, tmp_path: Path) -> None:
    """After an ESCO import both may be called Svejser; the catalogue's own is meant."""
    db.add(m.Occupation(code="esco_svejser_x", title_da="Svejser", aliases_da=["svejsere"]))
    db.add(m.Occupation(code="esco_untranslated", title_da="", isco08="8332"))
    db.commit()
    report = run(db, write(tmp_path, HEADER + "Svejser,VESTJ,2027H1,Mangel\n"
                                              "Svejsere,VESTJ,2027H1,Gode\n"))
    assert report.extra["matched_by"] == {"exact": 2}
    rated = {r[:4] for r in shortages(db) if r[2] == "2027H1"}
    assert rated == {("svejser", "VESTJ", "2027H1", "mangel"),
                     ("esco_svejser_x", "VESTJ", "2027H1", "gode")}
    # An occupation without a Danish title takes no rating, even by its code.
    report = run(db, write(tmp_path, "Stillingsbetegnelse,RAR-område,Periode,Kategori,ISCO\n"
                                     "Lastbilchauffør,VESTJ,2027H2,Mangel,8332\n", "b.csv"))
    assert report.extra["matched_by"] == {"code": 1}
    assert ("lastbilchauffoer", "VESTJ", "2027H2") in {r[:3] for r in shortages(db)}


def test_a_remembered_title_goes_with_its_occupation(db: Session) -> None:
    """A catalogue load that drops an occupation takes its mappings along (asked again)."""
    occupation = db.scalars(select(m.Occupation.code)).first()
    assert occupation is not None
    db.add_all([m.TitleMapping(title_key="kranfoerer", title="Kranfører",
                               occupation_code=occupation),
                m.TitleMapping(title_key="ikke vores", title="Ikke vores", occupation_code=None)])
    db.flush()
    for table in (m.CourseOccupation, m.OccupationSkill, m.Shortage, m.EducationOccupation):
        db.execute(delete(table).where(table.occupation_code == occupation))
    db.execute(delete(m.Occupation).where(m.Occupation.code == occupation))
    assert mappings(db) == {"ikke vores": None}
    db.rollback()
