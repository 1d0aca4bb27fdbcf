"""The rates importer: malformed files refused with file, line and field and nothing written;
rates and rule periods added or updated by key, other rows kept; the catalogue's two
layouts and the combined one; overlapping periods refused; the command."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.importers.report import ImportRefused, ImportReport
from matcher.data.importers.run import run_import
from tests.conftest import MINI_CATALOG

SAMPLES = Path(__file__).resolve().parent / "import_samples"
HEADER = "kind,scheme,year,unit,amount,valid_from,valid_to,decided_by,law,source_url,checked\n"
URL = "https://bm.dk/satser/"
RATE = f"rate,veu,2027,dkk_week,5200,,2027-12-31,,,{URL},2026-12-01\n"
RULE = f"rule,seks_uger,,,,2027-01-01,,a-kassen,LAB,{URL},2026-12-01\n"


@pytest.fixture
def db(app: Flask, runner: FlaskCliRunner) -> Iterator[Session]:
    """The mini catalogue: veu 2023 dkk_week and befordring 2024 dkk_km, both open-ended."""
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    with app.app_context():
        yield get_session()


def write(tmp_path: Path, text: str | bytes, name: str = "satser.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(db: Session, *paths: Path, dry_run: bool = False) -> ImportReport:
    return run_import(db, "rates", list(paths), dry_run=dry_run)


def stored(db: Session) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    db.expire_all()
    rates = sorted((r.scheme, r.year, r.unit, r.amount, r.source_url, r.valid_from, r.valid_to,
                    r.checked) for r in db.scalars(select(m.FundingRate)))
    rules = sorted((r.scheme, r.valid_from, r.valid_to, r.decided_by, r.law, r.source_url,
                    r.checked) for r in db.scalars(select(m.FundingRule)))
    return rates, rules


MALFORMED: list[tuple[str, str | bytes, int | None, str | None, str]] = [
    ("an unknown scheme", HEADER + RATE.replace(",veu,", ",dagpenge,"), 2, "scheme",
     "'dagpenge' is not a funding scheme"),
    ("a unit the scheme does not have", HEADER + RATE.replace("dkk_week", "dkk_weak"), 2, "unit",
     "'dkk_weak' is not a unit of veu"),
    ("amount 0", HEADER + RATE.replace(",5200,", ",0,"), 2, "amount", "must be greater than 0"),
    ("a negative amount", HEADER + RATE.replace(",5200,", ",-5200,"), 2, "amount",
     "must be greater than 0"),
    ("thousands separators", HEADER + RATE.replace(",5200,", ',"5.200,00",'), 2, "amount",
     "without thousands separators"),
    ("three decimals", HEADER + RATE.replace(",5200,", ",5.200,"), 2, "amount",
     "more than 2 decimal"),
    ("not a number", HEADER + RATE.replace(",5200,", ",fem tusind,"), 2, "amount",
     "must be a number"),
    ("half an age", HEADER + f"rate,svu,2027,min_age,25.5,,,,,{URL},\n", 2, "amount",
     "min_age is a whole number"),
    ("a year before 1990", HEADER + RATE.replace(",2027,", ",1980,"), 2, "year",
     "must be at least 1990"),
    ("no source", HEADER + RATE.replace(URL, ""), 2, "source_url", "is required but empty"),
    ("a source without http", HEADER + RATE.replace(URL, "bm.dk/satser"), 2, "source_url",
     "must be an http(s) address"),
    ("no source column", "scheme,year,amount,unit\nveu,2027,5200,dkk_week\n", 1, "source_url",
     "missing column"),
    ("ends before it starts", HEADER + RATE.replace(",,2027-12-31,", ",,2026-12-31,"), 2,
     "valid_to", "2026-12-31 is before the start 2027-01-01"),
    ("30 February", HEADER + RATE.replace(",,2027-12-31,", ",2027-02-30,2027-12-31,"), 2,
     "valid_from", "is not a real date"),
    ("valid_from in another year", HEADER + RATE.replace(",,2027-12-31,", ",2026-07-01,,"), 2,
     "valid_from", "2026-07-01 is not in the rate's year 2027"),
    ("a kind that is neither", HEADER + RATE.replace("rate,", "beløb,", 1), 2, "kind",
     "'beløb' is neither rate nor rule"),
    ("a rule row with an amount", HEADER + RULE.replace(",,,,2027", ",,,100,2027"), 2, "amount",
     "belongs to a rate row"),
    ("a rate row with a law", HEADER + RATE.replace(",,,https", ",,LAB,https"), 2, "law",
     "belongs to a rule row"),
    ("a rule without valid_from", HEADER + RULE.replace("2027-01-01", ""), 2, "valid_from",
     "is required but empty"),
    ("the same rate twice", HEADER + RATE + RATE.replace("5200", "5300"), 3, "scheme",
     "the same rate (veu dkk_week 2027) is given twice; first at satser.csv line 2"),
    ("two rates of one unit overlapping", HEADER + RATE.replace("2027-12-31", "2028-06-30")
     + f"rate,veu,2028,dkk_week,5300,,,,,{URL},\n", 3, "valid_from",
     "veu dkk_week 2028 overlaps satser.csv line 2 (2027-01-01 to 2028-06-30)"),
    ("overlapping a stored rate", HEADER + f"rate,befordring,2023,dkk_km,1.10,,2024-06-30,,,{URL},\n",
     2, "valid_from", "befordring dkk_km 2023 overlaps the stored rate befordring dkk_km 2024"),
    ("two rule periods overlapping", HEADER + RULE.replace(",,a-kassen", ",2027-12-31,a-kassen")
     + RULE.replace("2027-01-01", "2027-07-01"), 3, "valid_from",
     "seks_uger from 2027-07-01 overlaps satser.csv line 2 (2027-01-01 to 2027-12-31)"),
    ("a header of neither layout", f"scheme,source_url\nveu,{URL}\n", 1, "kind",
     "the header fits neither layout"),
    ("a rates file without unit", f"scheme,year,amount,source_url\nveu,2027,5200,{URL}\n", 1,
     "unit", "missing column"),
    ("UTF-16 from another program", (HEADER + RATE).encode("utf-16"), None, None, "binary data"),
]


@pytest.mark.parametrize(("content", "line", "field", "message"),
                         [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_file_is_refused_and_writes_nothing(
        db: Session, tmp_path: Path, content: str | bytes, line: int | None, field: str | None,
        message: str) -> None:
    before = stored(db)
    with pytest.raises(ImportRefused) as refused:
        run(db, write(tmp_path, content))
    found = [(p.file, p.line, p.field) for p in refused.value.report.problems
             if message in p.message]
    assert found == [("satser.csv", line, field)], refused.value.report.problems
    assert stored(db) == before


def test_rates_and_rule_periods_are_added_then_unchanged(db: Session, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + RATE + RULE)
    report = run(db, path)
    assert [(t.table, t.added, t.changed, t.unchanged) for t in report.tables] == [
        ("funding_rate", 1, 0, 0), ("funding_rule", 1, 0, 0)]
    rates, rules = stored(db)
    assert ("veu", 2027, "dkk_week", Decimal("5200.00"), URL, None, date(2027, 12, 31),
            date(2026, 12, 1)) in rates and len(rates) == 3  # the mini catalogue's two kept
    assert rules == [("seks_uger", date(2027, 1, 1), None, "a-kassen", "LAB", URL,
                      date(2026, 12, 1))]
    again = run(db, path)
    assert not again.changed


def test_a_changed_amount_is_updated(db: Session, tmp_path: Path) -> None:
    run(db, write(tmp_path, HEADER + RATE))
    report = run(db, write(tmp_path, HEADER + RATE.replace("5200", "5250.50"), "ny.csv"))
    assert report.table("funding_rate").changed == 1
    assert ("veu", 2027, "dkk_week", Decimal("5250.50")) in {r[:4] for r in stored(db)[0]}


def test_a_newer_row_ends_an_open_ended_one(db: Session, tmp_path: Path) -> None:
    """The mini catalogue's befordring 2024 rate has no end: the 2025 rate follows it."""
    report = run(db, write(tmp_path, HEADER + f"rate,befordring,2025,dkk_km,1.15,,,,,{URL},\n"))
    assert report.table("funding_rate").added == 1


def test_the_catalogue_layouts_and_danish_spreadsheets(db: Session, tmp_path: Path) -> None:
    """funding_rates.csv as in the catalogue, and a rules file in Danish Excel's own way."""
    same = run(db, MINI_CATALOG / "funding_rates.csv")
    assert not same.changed and same.table("funding_rate").unchanged == 2
    rules = write(tmp_path, "\ufeffOrdning;Gyldig fra;Gyldig til;Besluttes af;Lov;Kilde\n"
                            f"VEU-godtgørelse;01-01-2018;;AUB;VEU-loven;{URL}\n", "regler.csv")
    danish_rates = write(tmp_path, "\ufeffOrdning;År;Enhed;Beløb;Kilde\n"
                                   f"Befordringstilskud;2025;dkk_km;1,15;{URL}\n", "satser.csv")
    report = run(db, danish_rates, rules)
    assert [(t.table, t.added) for t in report.tables] == [("funding_rate", 1),
                                                           ("funding_rule", 1)]
    rates, rule_rows = stored(db)
    assert ("befordring", 2025, "dkk_km", Decimal("1.15")) in {r[:4] for r in rates}
    assert rule_rows[0][:4] == ("veu", date(2018, 1, 1), None, "AUB")


def test_two_files_cannot_give_the_same_rate(db: Session, tmp_path: Path) -> None:
    first = write(tmp_path, HEADER + RATE, "a.csv")
    second = write(tmp_path, HEADER + RATE, "b.csv")
    with pytest.raises(ImportRefused) as refused:
        run(db, first, second)
    assert [(p.file, p.line) for p in refused.value.report.problems] == [("b.csv", 2)]


def test_a_dry_run_writes_nothing(db: Session, tmp_path: Path) -> None:
    before = stored(db)
    report = run(db, write(tmp_path, HEADER + RATE + RULE), dry_run=True)
    assert report.changed and stored(db) == before


def test_the_sample_file_is_valid(db: Session) -> None:
    report = run(db, SAMPLES / "rates.csv", dry_run=True)
    count = report.table("funding_rate")  # the mini catalogue has two of them, open-ended
    assert not report.problems and (count.added, count.changed) == (2, 2)


def test_the_command_exits_1_on_refusal_and_0_on_success(db: Session, runner: FlaskCliRunner,
                                                         tmp_path: Path) -> None:
    before = stored(db)
    bad = write(tmp_path, HEADER + RATE.replace(URL, ""), "bad.csv")
    result = runner.invoke(args=["import", "rates", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv:2: source_url: is required but empty" in result.output
    assert "Refused: 1 problem(s); nothing was written." in result.output
    assert stored(db) == before
    good = write(tmp_path, HEADER + RATE, "good.csv")
    rules = write(tmp_path, "scheme,valid_from,source_url\n"
                            f"veu,2018-01-01,{URL}\n", "rules.csv")
    result = runner.invoke(args=["import", "rates", str(good), str(rules)])
    assert result.exit_code == 0, result.output
    assert "Imported good.csv, rules.csv" in result.output
    rates, rule_rows = stored(db)
    assert len(rates) == 3 and len(rule_rows) == 1
