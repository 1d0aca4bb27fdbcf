"""STAR's positive lists (domain.md §2) as positive-list entries.

One CSV file: list, official course number (AMU målnummer or education number),
erhvervsgruppe, area (blank: national), validity, optionally "from day one" and source.
An entry names the official course, so it holds at every provider whose course has that
number (the engine's index expands it: matcher/engine/index.py `_positive`); a number no
course of the catalogue has yet is stored and warned about. The entries of each list and
area whose validity overlaps the file's are replaced; older and later lists are kept.
docs/import-labour-market.md describes the format.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.catalog import values
from matcher.data.catalog.spec import OFFICIAL_CODE
from matcher.data.importers.csv_input import MAX_PROBLEMS, Cells, Column, Table, a_date, read_table, yes_no
from matcher.data.importers.report import ImportReport, Progress
from matcher.data.importers.shared import (
    Areas,
    is_national,
    refresh_demo_flag,
    update_counted,
)
from matcher.engine.lookup import normalize

COLUMNS = (
    Column("list", ("Liste", "Positivliste", "Ordning", "List"), required=True),
    Column("official_code", ("Målnummer", "AMU-nummer", "AMU målnummer", "AMU-målnummer",
                             "Uddannelsesnummer", "Kursusnummer", "Fagkode", "Nummer",
                             "Official code")),
    Column("course_code", ("Course code",)),
    Column("title", ("Titel", "Kursustitel", "Uddannelse", "Kursus", "Title", "Course title")),
    Column("erhvervsgruppe", ("Erhvervsgruppe", "Occupational group")),
    Column("area", ("RAR-område", "Område", "RAR", "Area", "rar_code")),  # absent: national
    Column("valid_from", ("Gyldig fra", "Fra", "Startdato", "Valid from"), required=True),
    Column("valid_to", ("Gyldig til", "Til", "Slutdato", "Valid to")),
    Column("from_day_one", ("Fra dag 1", "Dag 1", "Fra første ledighedsdag", "From day one")),
    Column("source", ("Kilde", "Source")),
)

LIST_WORDS: dict[str, str] = {normalize(word): code for code, words in {
    "seks_uger": ("Seks ugers jobrettet uddannelse", "6 ugers jobrettet uddannelse",
                  "6-ugers jobrettet uddannelse", "Seks ugers", "6 ugers", "6-ugers",
                  "Seks uger", "6 uger", "Six weeks", "Six weeks' job-oriented training",
                  "seks_uger"),
    "regional_pulje": ("Den regionale uddannelsespulje", "Regional uddannelsespulje",
                       "Regionale uddannelsespulje", "Regional pulje", "Regionale pulje",
                       "Regional education pool", "regional_pulje"),
    "uddannelsesloeft": ("Uddannelsesløft", "Uddannelsesløft med 110 pct. af dagpengesatsen",
                         "Uddannelsesløft 110 pct", "Education boost", "uddannelsesloeft"),
    "voksenlaerling": ("Voksenlærling", "Voksenlærlinge", "Voksenlærlingeordningen",
                       "Adult apprentice", "voksenlaerling"),
}.items() for word in words}

DEFAULT_SOURCE = "STAR"
PROGRESS_EVERY = 500

_Key = tuple[str, str | None, str | None, str | None, date | None]  # the table's unique key


@dataclass(slots=True)
class _Entry:
    line: int
    list: str
    official_code: str | None
    course_code: str | None
    title: str | None
    erhvervsgruppe: str | None
    rar_code: str | None
    valid_from: date
    valid_to: date | None
    from_day_one: bool
    source: str

    @property
    def key(self) -> _Key:
        return (self.list, self.course_code, self.official_code, self.rar_code, self.valid_from)


def parse_list(raw: str) -> str:
    code = LIST_WORDS.get(normalize(raw))
    if code is None:
        raise ValueError(f"{raw!r} is not one of the four positive lists: Seks ugers jobrettet "
                         "uddannelse, Regional uddannelsespulje, Uddannelsesløft, Voksenlærling")
    return code


def apply(session: Session, paths: Sequence[Path], report: ImportReport,
          progress: Progress | None) -> None:
    """Replace the entries of the lists, areas and periods in the file (run.run_import's importer)."""
    if len(paths) != 1:
        report.problem(", ".join(report.files), None, None, "give exactly one positive-list file")
        return
    file = report.files[0] if report.files else paths[0].name
    table = read_table(paths[0], file, COLUMNS, report)
    if table is None or report.problems:
        return
    if not (table.has("official_code") or table.has("course_code")):
        report.problem(file, 1, "official_code", "missing column; name it 'Målnummer', "
                                                 "'AMU-nummer' or 'official_code'")
        return
    entries = _parse_rows(session, table, report, progress)
    if report.problems:
        return
    _warn_unknown_numbers(session, entries, file, table.label("official_code"), report)
    _replace(session, entries, report)


def _parse_rows(session: Session, table: Table, report: ImportReport,
                progress: Progress | None) -> list[_Entry]:
    areas = Areas(session)
    courses = set(session.scalars(select(m.Course.code)))
    entries: list[_Entry] = []
    first_at: dict[_Key, int] = {}
    for done, row in enumerate(table.rows, start=1):
        if len(report.problems) >= MAX_PROBLEMS:
            break  # the first ones say enough
        cells = Cells(table, row, report)
        name = cells.get("list", parse_list, required=True)
        official = cells.get("official_code", OFFICIAL_CODE)
        course = cells.get("course_code", values.code)
        if course and course not in courses:
            cells.fail("course_code", f"{course!r} is not a course of the catalogue")
        if not (cells.raw("official_code") or cells.raw("course_code")):
            cells.fail("official_code" if table.has("official_code") else "course_code",
                       "give the course's official number (AMU målnummer or education number)")
        area = _area(cells, areas, name)
        start = cells.get("valid_from", a_date, required=True)
        end = cells.get("valid_to", a_date)
        if start and end and end < start:
            cells.fail("valid_to", f"{end.isoformat()} is before valid_from {start.isoformat()}")
        day_one = cells.get("from_day_one", yes_no)
        entry = _Entry(row.line, name, official, course, cells.get("title", values.text(300)),
                       cells.get("erhvervsgruppe", values.text(200)), area, start, end,
                       bool(day_one), cells.get("source", values.text(100)) or DEFAULT_SOURCE)
        if not cells.ok:
            continue
        if entry.key in first_at:
            cells.fail("official_code" if official else "course_code",
                       f"{official or course!r} is listed twice on the same list, area and "
                       f"valid_from; first at line {first_at[entry.key]}")
            continue
        first_at[entry.key] = row.line
        entries.append(entry)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(table.rows))
    if progress:
        progress(len(table.rows), len(table.rows))
    return entries


def _area(cells: Cells, areas: Areas, name: str | None) -> str | None:
    raw = cells.raw("area")
    code = None
    if raw and not is_national(raw):
        code = areas.find(raw)
        if code is None:
            cells.fail("area", areas.unknown(raw))
            return None
    if name == "regional_pulje" and code is None:
        cells.fail("area", "the regional pool has one list per RAR area; give the area")
    return code


def _warn_unknown_numbers(session: Session, entries: list[_Entry], file: str, label: str,
                          report: ImportReport) -> None:
    """A number no current course has yet is kept (a provider may list it later), with a word."""
    having: dict[str, int] = defaultdict(int)
    for code in session.scalars(select(m.Course.official_code).where(
            m.Course.official_code.is_not(None), m.Course.archived_at.is_(None))):
        having[code or ""] += 1
    first: dict[str, _Entry] = {}
    rows: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.official_code:
            first.setdefault(entry.official_code, entry)
            rows[entry.official_code] += 1
    unknown = [code for code in first if code not in having]
    for code in unknown:
        entry = first[code]
        title = f" ({entry.title})" if entry.title else ""
        report.warn(file, entry.line, label,
                    f"no course in the catalogue has the official number {code!r}{title} "
                    f"({rows[code]} row(s)); stored, it applies as soon as a provider lists a "
                    "course with that number")
    report.extra["official_codes"] = len(first)
    report.extra["unknown_official_codes"] = len(unknown)
    report.extra["courses_reached"] = sum(having[code] for code in first) + len(
        {e.course_code for e in entries if e.course_code})


def _overlaps(a_from: date | None, a_to: date | None, b_from: date | None,
              b_to: date | None) -> bool:
    return (a_from is None or b_to is None or a_from <= b_to) and \
        (b_from is None or a_to is None or b_from <= a_to)


def _replace(session: Session, entries: list[_Entry], report: ImportReport) -> None:
    windows: dict[tuple[str, str | None], set[tuple[date, date | None]]] = defaultdict(set)
    for entry in entries:
        windows[(entry.list, entry.rar_code)].add((entry.valid_from, entry.valid_to))
    existing: dict[_Key, m.PositiveListEntry] = {}
    count = report.table("positive_list_entry")
    for row in session.scalars(select(m.PositiveListEntry).where(
            m.PositiveListEntry.list.in_({name for name, _ in windows}))):
        spans = windows.get((row.list, row.rar_code), set())
        if not any(_overlaps(row.valid_from, row.valid_to, start, end) for start, end in spans):
            continue  # another period or area of the list: kept
        key: _Key = (row.list, row.course_code, row.official_code, row.rar_code, row.valid_from)
        if key in existing:  # the table's NULLs let a key repeat; keep one
            session.delete(row)
            count.removed += 1
        else:
            existing[key] = row
    wanted = {entry.key: entry for entry in entries}
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
            count.removed += 1
    session.flush()
    for key, entry in wanted.items():
        fields = {"erhvervsgruppe": entry.erhvervsgruppe, "valid_to": entry.valid_to,
                  "from_day_one": entry.from_day_one, "source": entry.source}
        stored = existing.get(key)
        if stored is None:
            session.add(m.PositiveListEntry(
                list=entry.list, course_code=entry.course_code,
                official_code=entry.official_code, rar_code=entry.rar_code,
                valid_from=entry.valid_from, **fields))
            count.added += 1
        else:
            update_counted(stored, fields, count)
    session.flush()
    if count.changes:
        refresh_demo_flag(session)
