"""The positive-list importer: malformed files refused with file, line and field and nothing
written; entries by official number reach every provider's course with that number; the
entries of the lists, areas and periods a file covers replaced, others kept; the command."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.importers.report import ImportRefused, ImportReport
from matcher.data.importers.run import run_import
from matcher.data.snapshot import load_snapshot
from matcher.engine.index import build_index
from tests.conftest import MINI_CATALOG

SAMPLES = Path(__file__).resolve().parent / "import_samples"
HEADER = "Liste,Målnummer,Erhvervsgruppe,RAR-område,Gyldig fra,Gyldig til,Fra dag 1,Kilde\n"
ROW = "Seks ugers jobrettet uddannelse,X9001,Metal og industri,,2027-03-01,2028-02-29,nej,demo\n"

Entry = tuple[str, str | None, str | None, str | None, str | None, date | None, date | None,
              bool, str | None]


@pytest.fixture
def db(app: Flask, runner: FlaskCliRunner) -> Iterator[Session]:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    with app.app_context():
        yield get_session()


def write(tmp_path: Path, text: str | bytes, name: str = "positivliste.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(db: Session, path: Path, *, dry_run: bool = False) -> ImportReport:
    return run_import(db, "positive_lists", [path], dry_run=dry_run)


def entries(db: Session) -> list[Entry]:
    db.expire_all()
    return sorted(((r.list, r.course_code, r.official_code, r.rar_code, r.erhvervsgruppe,
                    r.valid_from, r.valid_to, r.from_day_one, r.source)
                   for r in db.scalars(select(m.PositiveListEntry))),
                  key=repr)


MINI_ENTRIES = 3  # the mini catalogue's: two on the national six-week list, one regional

MALFORMED: list[tuple[str, str | bytes, int | None, str | None, str]] = [
    ("no list column", "Målnummer,Gyldig fra\nX9001,2027-03-01\n", 1, "list", "missing column"),
    ("no number column", "Liste,Gyldig fra\nSeks ugers jobrettet uddannelse,2027-03-01\n",
     1, "official_code", "missing column; name it 'Målnummer'"),
    ("no valid_from column", "Liste,Målnummer\nSeks ugers jobrettet uddannelse,X9001\n",
     1, "valid_from", "missing column"),
    ("an unknown list", HEADER + ROW.replace("Seks ugers jobrettet uddannelse", "Syv uger"),
     2, "Liste", "'Syv uger' is not one of the four positive lists"),
    ("a blank number", HEADER + ROW.replace("X9001", ""), 2, "Målnummer",
     "give the course's official number"),
    ("a number with a space and !", HEADER + ROW.replace("X9001", "40 125!"), 2, "Målnummer",
     "must be a code of letters and digits"),
    ("an unknown area", HEADER + ROW.replace(",,2027", ",RAR Mars,2027"), 2, "RAR-område",
     "'RAR Mars' is not a RAR area of the catalogue"),
    ("the regional pool without an area",
     HEADER + ROW.replace("Seks ugers jobrettet uddannelse", "Den regionale uddannelsespulje"),
     2, "RAR-område", "the regional pool has one list per RAR area"),
    ("30 February", HEADER + ROW.replace("2027-03-01", "30-02-2027"), 2, "Gyldig fra",
     "is not a real date"),
    ("a date with slashes the wrong way", HEADER + ROW.replace("2027-03-01", "2027/03/01"),
     2, "Gyldig fra", "must be a date written YYYY-MM-DD or DD-MM-YYYY"),
    ("blank valid_from", HEADER + ROW.replace("2027-03-01", ""), 2, "Gyldig fra",
     "is required but empty"),
    ("ends before it starts", HEADER + ROW.replace("2028-02-29", "2027-02-28"), 2, "Gyldig til",
     "2027-02-28 is before valid_from 2027-03-01"),
    ("from day one: maybe", HEADER + ROW.replace(",nej,", ",måske,"), 2, "Fra dag 1",
     "must be true or false"),
    ("listed twice", HEADER + ROW + ROW.replace("Metal og industri", "Metal"), 3, "Målnummer",
     "'X9001' is listed twice on the same list, area and valid_from; first at line 2"),
    ("an unknown catalogue course", "list,course_code,valid_from\nseks_uger,c_nothing,2027-03-01\n",
     2, "course_code", "'c_nothing' is not a course of the catalogue"),
    ("erhvervsgruppe too long", HEADER + ROW.replace("Metal og industri", "m" * 201), 2,
     "Erhvervsgruppe", "at most 200"),
    ("source too long", HEADER + ROW.replace(",demo", "," + "s" * 101), 2, "Kilde", "at most 100"),
    ("a row too long", HEADER + ROW.replace(",demo", ",demo,ekstra"), 2, None,
     "has 9 fields but the header has 8"),
    ("Windows-1252, not UTF-8", (HEADER + ROW).encode("cp1252"), 1, None, "not valid UTF-8"),
    ("header only", HEADER, None, None, "the file has a header but no rows"),
]


@pytest.mark.parametrize(("content", "line", "field", "message"),
                         [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_file_is_refused_and_writes_nothing(
        db: Session, tmp_path: Path, content: str | bytes, line: int | None, field: str | None,
        message: str) -> None:
    before = entries(db)
    with pytest.raises(ImportRefused) as refused:
        run(db, write(tmp_path, content))
    found = [(p.file, p.line, p.field) for p in refused.value.report.problems
             if message in p.message]
    assert found == [("positivliste.csv", line, field)], refused.value.report.problems
    assert entries(db) == before and len(before) == MINI_ENTRIES


def test_a_listed_number_reaches_every_providers_course_with_it(db: Session,
                                                                tmp_path: Path) -> None:
    for code in ("c_truck", "c_lager"):  # two providers: p_herning and p_aarhus
        course = db.get(m.Course, code)
        assert course is not None
        course.official_code = "X9001"
    db.commit()
    report = run(db, write(tmp_path, HEADER + ROW))
    assert not report.warnings and report.extra["courses_reached"] == 2
    index = build_index(load_snapshot(db))
    for code in ("c_truck", "c_lager"):
        assert [(e.list, e.official_code) for e in index.positive[code]
                if e.official_code] == [("seks_uger", "X9001")]
    assert not any(e.official_code for e in index.positive.get("c_svejs", ()))


def test_a_number_no_course_has_is_stored_with_a_warning(db: Session, tmp_path: Path) -> None:
    report = run(db, write(tmp_path, HEADER + ROW + ROW.replace("2027-03-01", "2028-03-01")
                           .replace("2028-02-29", "2029-02-28")))
    assert [(w.line, w.field) for w in report.warnings] == [(2, "Målnummer")]
    assert "no course in the catalogue has the official number 'X9001'" in \
        report.warnings[0].message and "(2 row(s))" in report.warnings[0].message
    assert report.extra["unknown_official_codes"] == 1 and report.table(
        "positive_list_entry").added == 2
    assert len(entries(db)) == MINI_ENTRIES + 2


def test_the_entries_of_an_overlapping_period_are_replaced_and_others_kept(
        db: Session, tmp_path: Path) -> None:
    """The national six-week list of 2026-03-01..2027-02-28 is replaced; the regional kept."""
    path = write(tmp_path, HEADER + "Seks ugers jobrettet uddannelse,X9001,Metal,,01-03-2026,"
                                    "28-02-2027,x,\n")
    report = run(db, path)
    count = report.table("positive_list_entry")
    assert (count.added, count.changed, count.removed, count.unchanged) == (1, 0, 2, 0)
    assert entries(db) == sorted([
        ("regional_pulje", "c_truck", None, "VESTJ", None, date(2026, 10, 1),
         date(2027, 3, 31), False, "demo"),
        ("seks_uger", None, "X9001", None, "Metal", date(2026, 3, 1), date(2027, 2, 28), True,
         "STAR")], key=repr)
    again = run(db, path)
    assert not again.changed and again.table("positive_list_entry").unchanged == 1


def test_a_later_list_is_added_beside_the_current_one(db: Session, tmp_path: Path) -> None:
    report = run(db, write(tmp_path, HEADER + ROW))
    assert report.table("positive_list_entry").removed == 0
    assert len(entries(db)) == MINI_ENTRIES + 1


def test_a_changed_field_counts_as_changed(db: Session, tmp_path: Path) -> None:
    run(db, write(tmp_path, HEADER + ROW))
    report = run(db, write(tmp_path, HEADER + ROW.replace(",nej,", ",ja,"), "v2.csv"))
    count = report.table("positive_list_entry")
    assert (count.added, count.changed, count.removed) == (0, 1, 0)


def test_the_catalogue_layout_with_course_codes_is_accepted(db: Session, tmp_path: Path) -> None:
    """The mini catalogue's own positive_lists.csv imports as no change."""
    report = run(db, MINI_CATALOG / "positive_lists.csv")
    assert not report.changed and report.table("positive_list_entry").unchanged == MINI_ENTRIES


def test_a_dry_run_writes_nothing(db: Session, tmp_path: Path) -> None:
    before = entries(db)
    report = run(db, write(tmp_path, HEADER + ROW), dry_run=True)
    assert report.table("positive_list_entry").added == 1
    assert entries(db) == before


def test_the_sample_file_is_valid(db: Session) -> None:
    report = run(db, SAMPLES / "positive_lists.csv", dry_run=True)
    assert not report.problems and report.table("positive_list_entry").added == 8
    assert report.extra["unknown_official_codes"] == 6  # demo numbers: no course has them


def test_the_command_exits_1_on_refusal_and_0_on_success(db: Session, runner: FlaskCliRunner,
                                                         tmp_path: Path) -> None:
    bad = write(tmp_path, HEADER + ROW.replace("X9001", ""), "bad.csv")
    result = runner.invoke(args=["import", "positive-lists", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv:2: Målnummer: give the course's official number" in result.output
    assert "Refused: 1 problem(s); nothing was written." in result.output
    good = write(tmp_path, HEADER + ROW, "good.csv")
    result = runner.invoke(args=["import", "positive-lists", str(good)])
    assert result.exit_code == 0, result.output
    assert "positive_list_entry" in result.output and "Imported good.csv" in result.output
    assert len(entries(db)) == MINI_ENTRIES + 1
