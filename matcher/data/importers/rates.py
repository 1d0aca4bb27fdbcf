"""Funding rates and rule periods (domain.md §§2-4), e.g. the new year's VEU rate.

One or two CSV files. A file with a `kind` column holds both kinds of row (`rate` or
`rule`); without it, a file with an `amount` column is the catalogue's funding_rates.csv
layout and any other the funding_rules.csv layout. Every row needs its source_url. Rows
are added or updated by their key (a rate: scheme, year, unit; a rule period: scheme,
valid_from); rows not in the files are kept. Periods of one scheme (and unit) may not
overlap, counting the rows already stored; a blank valid_to lasts until the next row.
docs/import-labour-market.md describes the format.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.catalog import values
from matcher.data.importers.csv_input import MAX_PROBLEMS, Cells, Column, Table, a_date, amount, read_table
from matcher.data.importers.report import ImportReport, Progress
from matcher.data.importers.shared import update_counted
from matcher.engine.lookup import normalize

COLUMNS = (
    Column("kind", ("Type", "Art", "Rækketype")),
    Column("scheme", ("Ordning", "Scheme"), required=True),
    Column("year", ("År", "Year")),
    Column("unit", ("Enhed", "Unit")),
    Column("amount", ("Beløb", "Sats", "Værdi", "Amount")),
    Column("valid_from", ("Gyldig fra", "Fra", "Valid from")),
    Column("valid_to", ("Gyldig til", "Til", "Valid to")),
    Column("decided_by", ("Besluttes af", "Myndighed", "Decided by")),
    Column("law", ("Lov", "Hjemmel", "Regelgrundlag", "Law")),
    Column("source_url", ("Kilde", "Kilde URL", "Kildelink", "Source", "Source URL"),
           required=True),
    Column("checked", ("Kontrolleret", "Tjekket", "Checked")),
)

SCHEME_WORDS: dict[str, str] = {normalize(word): code for code, words in {
    "seks_uger": ("Seks ugers jobrettet uddannelse", "6 ugers jobrettet uddannelse"),
    "regional_pulje": ("Regional uddannelsespulje", "Den regionale uddannelsespulje"),
    "veu": ("VEU-godtgørelse", "VEU godtgørelse"),
    "befordring": ("Befordringstilskud",),
    "amu_fee": ("Deltagerbetaling", "AMU deltagerbetaling", "AMU-deltagerbetaling"),
    "uddannelsesloeft": ("Uddannelsesløft",),
    "voksenlaerling": ("Voksenlærling",),
    "svu": ("SVU",),
}.items() for word in (code, *words)}

# The units of each scheme: those the funding engine reads (matcher/engine/funding.py) and
# those the catalogue keeps for the record. A unit outside these is a typo until the
# engine learns it, so it is refused rather than stored where nothing reads it.
UNITS: dict[str, tuple[str, ...]] = {
    "seks_uger": ("max_weeks", "max_days_package", "wait_weeks", "deadline_months_under_25",
                  "deadline_months_25_plus", "min_age_akademi"),
    "regional_pulje": ("pct_operating_costs",),
    "veu": ("dkk_week", "dkk_hour", "max_hours_week"),
    "befordring": ("dkk_km", "km_free_per_day", "km_max_per_day", "km_max_per_trip_overnight"),
    "amu_fee": ("dkk_week", "dkk_week_min", "dkk_week_max", "dkk_week_supplement_max"),
    "uddannelsesloeft": ("pct_dagpenge", "pct_dagpenge_positive_list", "min_age"),
    "voksenlaerling": ("min_age", "dkk_hour_unemployed", "dkk_hour_employed"),
    "svu": ("dkk_week", "min_age"),
}
WHOLE_NUMBER_UNITS = ("min_age", "max_", "km_", "wait_", "deadline_")  # unit prefixes
KIND_WORDS = {normalize(w): "rate" for w in ("rate", "sats", "takst")} | {
    normalize(w): "rule" for w in ("rule", "regel", "regelperiode", "rule period")}
RATE_ONLY = ("year", "unit", "amount")
RULE_ONLY = ("decided_by", "law")


@dataclass(slots=True)
class _Row:
    file: str
    line: int
    kind: str  # rate | rule
    values: dict[str, Any]

    @property
    def key(self) -> tuple[Any, ...]:
        v = self.values
        return (v["scheme"], v["year"], v["unit"]) if self.kind == "rate" else \
            (v["scheme"], v["valid_from"])

    @property
    def starts(self) -> date:
        return self.values["valid_from"] or date(self.values["year"], 1, 1)

    @property
    def where(self) -> str:
        return f"{self.file} line {self.line}"


def parse_scheme(raw: str) -> str:
    code = SCHEME_WORDS.get(normalize(raw))
    if code is None:
        raise ValueError(f"{raw!r} is not a funding scheme; use one of: "
                         + ", ".join(m.FUNDING_SCHEMES))
    return code


def apply(session: Session, paths: Sequence[Path], report: ImportReport,
          progress: Progress | None) -> None:
    """Add or update the rates and rule periods of the files (run.run_import's importer)."""
    if not 1 <= len(paths) <= 2:
        report.problem(", ".join(report.files), None, None, "give one or two rate files")
        return
    rows: list[_Row] = []
    for i, path in enumerate(paths):
        file = report.files[i] if i < len(report.files) else path.name
        table = read_table(path, file, COLUMNS, report)
        if table is not None and not report.problems:
            rows += _parse_rows(table, report)
    if report.problems:
        return
    _check_duplicates(rows, report)
    if report.problems:
        return
    _check_overlaps(session, rows, report)
    if report.problems:
        return
    report.table("funding_rate")
    report.table("funding_rule")
    _upsert(session, rows, report)
    if progress:
        progress(len(rows), len(rows))


def _layout(table: Table, report: ImportReport) -> str | None:
    """'mixed' (a kind column), 'rate' or 'rule'; None when the header fits none."""
    if table.has("kind"):
        return "mixed"
    if table.has("amount") or table.has("unit") or table.has("year"):
        missing = [c for c in RATE_ONLY if not table.has(c)]
        for column in missing:
            report.problem(table.file, 1, column, "missing column: a rate file needs scheme, "
                                                  "year, amount, unit and source_url")
        return None if missing else "rate"
    if not table.has("valid_from"):
        report.problem(table.file, 1, "kind", "the header fits neither layout: give a kind "
                                              "column (rate/rule), the columns of "
                                              "funding_rates.csv, or those of funding_rules.csv")
        return None
    return "rule"


def _parse_rows(table: Table, report: ImportReport) -> list[_Row]:
    layout = _layout(table, report)
    if layout is None:
        return []
    rows: list[_Row] = []
    for row in table.rows:
        if len(report.problems) >= MAX_PROBLEMS:
            break  # the first ones say enough
        cells = Cells(table, row, report)
        kind = layout if layout != "mixed" else cells.get("kind", _kind, required=True)
        if kind is None:
            continue
        found = _rate(cells) if kind == "rate" else _rule(cells)
        if cells.ok:
            rows.append(_Row(table.file, row.line, kind, found))
    return rows


def _kind(raw: str) -> str:
    kind = KIND_WORDS.get(normalize(raw))
    if kind is None:
        raise ValueError(f"{raw!r} is neither rate nor rule")
    return kind


def _common(cells: Cells) -> dict[str, Any]:
    return {"scheme": cells.get("scheme", parse_scheme, required=True),
            "valid_from": cells.get("valid_from", a_date),
            "valid_to": cells.get("valid_to", a_date),
            "source_url": cells.get("source_url", values.web_url, required=True),
            "checked": cells.get("checked", a_date)}


def _rate(cells: Cells) -> dict[str, Any]:
    found = _common(cells)
    year = cells.get("year", values.integer(1990, 2100), required=True)
    unit = cells.get("unit", required=True)
    value = cells.get("amount", amount(), required=True)
    scheme = found["scheme"]
    if scheme and unit and unit not in UNITS[scheme]:
        cells.fail("unit", f"{unit!r} is not a unit of {scheme}; use one of: "
                           + ", ".join(UNITS[scheme]))
    elif unit and value is not None and unit.startswith(WHOLE_NUMBER_UNITS) and value % 1:
        cells.fail("amount", f"{unit} is a whole number, got {cells.raw('amount')!r}")
    if year and found["valid_from"] and found["valid_from"].year != year:
        cells.fail("valid_from", f"{found['valid_from'].isoformat()} is not in the rate's "
                                 f"year {year}")
    for column in RULE_ONLY:
        if cells.raw(column):
            cells.fail(column, "belongs to a rule row, not a rate row")
    start = found["valid_from"] or (date(year, 1, 1) if year else None)
    _dates_in_order(cells, start, found["valid_to"])
    return {**found, "year": year, "unit": unit, "amount": value}


def _rule(cells: Cells) -> dict[str, Any]:
    found = _common(cells)
    if not cells.raw("valid_from"):
        cells.fail("valid_from", "is required but empty: the date the rules hold from")
    for column in RATE_ONLY:
        if cells.raw(column):
            cells.fail(column, "belongs to a rate row, not a rule row")
    _dates_in_order(cells, found["valid_from"], found["valid_to"])
    return {**found, "decided_by": cells.get("decided_by", values.text(100)),
            "law": cells.get("law", values.text(300))}


def _dates_in_order(cells: Cells, start: date | None, end: date | None) -> None:
    if start and end and end < start:
        cells.fail("valid_to", f"{end.isoformat()} is before the start {start.isoformat()}")


def _check_duplicates(rows: list[_Row], report: ImportReport) -> None:
    first: dict[tuple[str, tuple[Any, ...]], _Row] = {}
    for row in rows:
        other = first.setdefault((row.kind, row.key), row)
        if other is not row:
            report.problem(row.file, row.line, "scheme",
                           f"the same {row.kind} ({_describe(row)}) is given twice; first at "
                           f"{other.where}")


def _describe(row: _Row) -> str:
    v = row.values
    if row.kind == "rate":
        return f"{v['scheme']} {v['unit']} {v['year']}"
    return f"{v['scheme']} from {v['valid_from'].isoformat()}"


@dataclass(frozen=True, slots=True)
class _Span:
    start: date
    end: date | None  # None: until the next one starts
    row: _Row | None  # None: a stored row the files do not change
    shown: str


def _check_overlaps(session: Session, rows: list[_Row], report: ImportReport) -> None:
    """Per scheme (and unit) one period at a time: the engine must know which row holds."""
    groups: dict[tuple[str, ...], list[_Span]] = defaultdict(list)
    given = {(row.kind, row.key) for row in rows}
    for rate in session.scalars(select(m.FundingRate)):
        if ("rate", (rate.scheme, rate.year, rate.unit)) not in given:
            groups[("rate", rate.scheme, rate.unit)].append(_Span(
                rate.valid_from or date(rate.year, 1, 1), rate.valid_to, None,
                f"the stored rate {rate.scheme} {rate.unit} {rate.year}"))
    for rule in session.scalars(select(m.FundingRule)):
        if ("rule", (rule.scheme, rule.valid_from)) not in given:
            groups[("rule", rule.scheme)].append(_Span(
                rule.valid_from, rule.valid_to, None,
                f"the stored rule period of {rule.scheme} from {rule.valid_from.isoformat()}"))
    for row in rows:
        group = ("rate", row.values["scheme"], row.values["unit"]) if row.kind == "rate" \
            else ("rule", row.values["scheme"])
        groups[group].append(_Span(row.starts, row.values["valid_to"], row, row.where))
    for spans in groups.values():
        spans.sort(key=lambda s: (s.start, s.row.line if s.row else 0))
        for earlier, later in pairwise(spans):
            if earlier.start != later.start and (earlier.end is None
                                                 or earlier.end < later.start):
                continue
            blamed, other = (later, earlier) if later.row else (earlier, later)
            if blamed.row is None:
                continue  # two stored rows: not this file's doing
            until = other.end.isoformat() if other.end else "further notice"
            report.problem(blamed.row.file, blamed.row.line, "valid_from",
                           f"{_describe(blamed.row)} overlaps {other.shown} "
                           f"({other.start.isoformat()} to {until}); one period at a time: "
                           "end the earlier one with valid_to")


def _upsert(session: Session, rows: list[_Row], report: ImportReport) -> None:
    for row in rows:
        model: Any = m.FundingRate if row.kind == "rate" else m.FundingRule
        count = report.table(model.__tablename__)
        v = row.values
        if row.kind == "rate":
            fields = {"amount": v["amount"], "source_url": v["source_url"],
                      "valid_from": v["valid_from"], "valid_to": v["valid_to"],
                      "checked": v["checked"]}
        else:
            fields = {"valid_to": v["valid_to"], "decided_by": v["decided_by"], "law": v["law"],
                      "source_url": v["source_url"], "checked": v["checked"]}
        stored = session.get(model, row.key)
        if stored is None:
            keys = dict(zip(("scheme", "year", "unit") if row.kind == "rate"
                            else ("scheme", "valid_from"), row.key, strict=True))
            session.add(model(**keys, **fields))
            count.added += 1
        else:
            update_counted(stored, fields, count, differs=_differs)
    session.flush()


def _differs(stored: Any, new: Any) -> bool:
    if isinstance(stored, Decimal) or isinstance(new, Decimal):
        return stored is None or new is None or Decimal(stored) != Decimal(new)
    return bool(stored != new)
