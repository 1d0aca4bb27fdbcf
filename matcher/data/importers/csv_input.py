"""Reading an official CSV file as people save it: UTF-8 with or without a byte-order mark,
comma-, semicolon- or tab-separated (Danish Excel writes semicolons), headers in Danish or
English. Every problem goes into the import report with the file's line and the column's
header as written, so the administrator can find it in the spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from matcher.data.catalog import values
from matcher.data.importers.report import ImportReport
from matcher.engine.lookup import normalize

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_PROBLEMS = 200  # reading stops after this many; the first ones say enough
DELIMITERS = (",", ";", "\t")


def header_key(text: str) -> str:
    """A header or word as compared: lower case, æøå spelt out, punctuation as spaces."""
    return normalize(text)


@dataclass(frozen=True, slots=True)
class Column:
    """A column an importer reads, under its own name and the headers that name it."""

    name: str
    headers: tuple[str, ...]  # accepted headers, Danish and English; compared normalised
    required: bool = False  # the column must be in the file (its cells may still be blank)

    def matches(self, header: str) -> bool:
        key = header_key(header)
        return key == header_key(self.name) or key in {header_key(h) for h in self.headers}


@dataclass(slots=True)
class Row:
    """One data row: its line in the file (the header is line 1) and its cells by column."""

    line: int
    cells: dict[str, str]


@dataclass(slots=True)
class Table:
    file: str
    header: dict[str, str]  # column name -> the header as written in the file
    rows: list[Row] = field(default_factory=list)
    delimiter: str = ","

    def has(self, column: str) -> bool:
        return column in self.header

    def label(self, column: str) -> str:
        """How a column is named in a problem: as the file writes it, else its own name."""
        return self.header.get(column, column)


def read_table(path: Path, file: str, columns: tuple[Column, ...],
               report: ImportReport) -> Table | None:
    """The file's rows by column, or None with the file-level problems in report."""
    if path.stat().st_size > MAX_FILE_BYTES:
        report.problem(file, None, None, f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")
        return None
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        report.problem(file, None, None, "this is not a CSV text file (it holds binary data); "
                                         "save the sheet as CSV UTF-8")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        report.problem(file, line, None, "not valid UTF-8; save the sheet as "
                                         "\"CSV UTF-8\" (Excel) and import it again")
        return None
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        report.problem(file, None, None, "the file is empty; it needs a header row")
        return None
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        raw_header = next(reader)
        while not any(cell.strip() for cell in raw_header):  # blank lines before the header
            raw_header = next(reader)
    except (csv.Error, StopIteration) as error:
        report.problem(file, reader.line_num or 1, None, f"unreadable CSV header: {error}")
        return None
    header_line = reader.line_num
    positions = _header(file, header_line, raw_header, columns, report)
    if positions is None:
        return None
    table = Table(file, {name: raw_header[i].strip() for name, i in positions.items()},
                  delimiter=delimiter)
    width = len(raw_header)
    for line, cells in _records(file, reader, report):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            cells = cells[:width]  # Excel's trailing empty cells
        if len(cells) != width:
            report.problem(file, line, None,
                           f"has {len(cells)} fields but the header has {width}")
        elif any(len(cell) > values.MAX_CELL for cell in cells):
            report.problem(file, line, None, f"a value is longer than {values.MAX_CELL} "
                                             "characters")
        else:
            table.rows.append(Row(line, {name: cells[i].strip() for name, i in positions.items()}))
        if len(table.rows) > MAX_ROWS:
            report.problem(file, line, None, f"the file has more than {MAX_ROWS} rows")
            return None
        if len(report.problems) >= MAX_PROBLEMS:
            break
    if not table.rows and not report.problems:
        report.problem(file, None, None, "the file has a header but no rows")
    return table


def _delimiter(first_line: str) -> str:
    """The separator the header uses most, outside quotes."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(file: str, line: int, raw: list[str], columns: tuple[Column, ...],
            report: ImportReport) -> dict[str, int] | None:
    before = len(report.problems)
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for i, cell in enumerate(raw):
        header = cell.strip()
        if not header:
            continue
        column = next((c for c in columns if c.matches(header)), None)
        if column is None:
            ignored.append(header)
        elif column.name in positions:
            report.problem(file, line, header,
                           f"names the same column as {raw[positions[column.name]].strip()!r}; "
                           "keep one of them")
        else:
            positions[column.name] = i
    for column in columns:
        if column.required and column.name not in positions:
            shown = ", ".join(repr(h) for h in column.headers[:3])
            report.problem(file, line, column.name,
                           f"missing column; name it {shown} or {column.name!r}")
    if ignored:
        report.warn(file, line, None, "columns not used: " + ", ".join(ignored))
    return positions if len(report.problems) == before else None


def _records(file: str, reader: Any, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as error:
            report.problem(file, reader.line_num, None, f"unreadable CSV: {error}")
            return
        if cells is None:
            return
        yield reader.line_num - sum(cell.count("\n") for cell in cells), cells


class Cells:
    """One row's values, parsed: a bad value is a problem at this row's line and column."""

    def __init__(self, table: Table, row: Row, report: ImportReport) -> None:
        self.table, self.row, self.report = table, row, report
        self.ok = True

    @property
    def line(self) -> int:
        return self.row.line

    def raw(self, column: str) -> str:
        return self.row.cells.get(column, "")

    def get(self, column: str, parse: Callable[[str], Any] | None = None, *,
            required: bool = False) -> Any:
        """The parsed value; None when blank (a problem if required) or not parseable."""
        raw = self.raw(column)
        if not raw:
            if required:
                self.fail(column, "is required but empty")
            return None
        if parse is None:
            return raw
        try:
            return parse(raw)
        except ValueError as error:
            self.fail(column, str(error))
            return None

    def fail(self, column: str | None, message: str) -> None:
        self.ok = False
        self.report.problem(self.table.file, self.row.line,
                            self.table.label(column) if column else None, message)

    def warn(self, column: str | None, message: str) -> None:
        self.report.warn(self.table.file, self.row.line,
                         self.table.label(column) if column else None, message)


# --- values as Danish spreadsheets write them -------------------------------------------

_DANISH_DATE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")


def a_date(raw: str) -> date:
    """YYYY-MM-DD, or DD-MM-YYYY / DD.MM.YYYY as Danish Excel writes dates."""
    found = _DANISH_DATE.fullmatch(raw)
    if found is None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError(f"must be a date written YYYY-MM-DD or DD-MM-YYYY, got {raw!r}")
        parsed: date = values.iso_date(raw)
        return parsed
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"is not a real date: {raw!r}") from None


def amount(*, places: int = 2, digits: int = 12) -> Callable[[str], Decimal]:
    """A number greater than 0; a decimal comma (Danish Excel) is read as a point."""
    parse = values.decimal(places=places, positive=True, digits=digits)

    def read(raw: str) -> Decimal:
        cleaned = raw.replace(" ", "").replace("\u00a0", "")
        if "," in cleaned and "." in cleaned:
            raise ValueError(f"write the number without thousands separators, got {raw!r}")
        value: Decimal = parse(cleaned.replace(",", "."))
        return value
    return read


def yes_no(raw: str) -> bool:
    """true/false, ja/nej, yes/no, 1/0, and x or * for yes (a marked cell in a list)."""
    if raw.strip().lower() in ("x", "*"):
        return True
    answer: bool = values.boolean(raw.strip())
    return answer
