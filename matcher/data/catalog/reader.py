"""Reading a catalogue folder: every file parsed and every reference checked before any write."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from matcher.data.catalog import values
from matcher.data.catalog.spec import FILES, Field, FileSpec, Row

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PROBLEMS = 200


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field is not None:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class CatalogInvalid(Exception):
    """The folder is not a valid catalogue; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the catalogue")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Catalog:
    """Parsed rows per file name, in file order, with the line each row came from."""

    rows: dict[str, list[Row]]
    lines: dict[str, list[int]]

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def read_catalog(folder: str | Path) -> Catalog:
    """The catalogue in folder, or CatalogInvalid listing every problem found."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CatalogInvalid([Problem(str(folder), "catalogue folder not found")])
    problems: list[Problem] = []
    rows: dict[str, list[Row]] = {}
    lines: dict[str, list[int]] = {}
    for spec in FILES:
        file_rows, file_lines = _read_file(folder / spec.name, spec, problems)
        rows[spec.name], lines[spec.name] = file_rows, file_lines
    if not problems:
        _check_references(rows, lines, problems)
        _check_municipality_periods(rows, lines, problems)
    if problems:
        raise CatalogInvalid(problems[:MAX_PROBLEMS])
    return Catalog(rows=rows, lines=lines)


def _read_file(path: Path, spec: FileSpec, problems: list[Problem]) -> tuple[list[Row], list[int]]:
    name = spec.name
    if not path.is_file():
        if not spec.optional:
            problems.append(Problem(name, "file missing from the catalogue folder"))
        return [], []
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.append(Problem(name, f"file is larger than {MAX_FILE_BYTES // 2**20} MB"))
        return [], []
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        problems.append(Problem(name, "not valid UTF-8; save the file as UTF-8 CSV", line))
        return [], []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        problems.append(Problem(name, f"unreadable CSV header: {error}", line=1))
        return [], []
    if header is None or not any(cell.strip() for cell in header):
        problems.append(Problem(name, "file is empty; it needs at least a header row"))
        return [], []
    columns = [cell.strip() for cell in header]
    if not _header_ok(name, columns, spec, problems):
        return [], []
    return _read_rows(name, reader, columns, spec, problems)


def _header_ok(name: str, columns: list[str], spec: FileSpec, problems: list[Problem]) -> bool:
    before = len(problems)
    if len(columns) == 1 and ";" in columns[0]:
        problems.append(Problem(name, "the header has no commas; the file looks "
                                      "semicolon-separated: save it as comma-separated CSV", 1))
        return False
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            problems.append(Problem(name, f"column {column!r} appears twice in the header", 1))
        seen.add(column)
    for field in spec.fields:
        if (field.required or field.column) and field.name not in seen:
            problems.append(Problem(name, f"missing required column {field.name!r}", 1))
    return len(problems) == before


def _read_rows(name: str, reader: Any, columns: list[str], spec: FileSpec,
               problems: list[Problem]) -> tuple[list[Row], list[int]]:
    known = {field.name: field for field in spec.fields}
    rows: list[Row] = []
    lines: list[int] = []
    first_seen: dict[tuple[object, ...], int] = {}
    unique_seen: dict[str, dict[object, int]] = {column: {} for column in spec.unique}
    line = reader.line_num
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as error:
            problems.append(Problem(name, f"unreadable CSV: {error}", reader.line_num))
            break
        if cells is None or len(problems) >= MAX_PROBLEMS:
            break
        line = reader.line_num - sum(cell.count("\n") for cell in cells)
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problems.append(Problem(name, f"has {len(cells)} fields but the header has "
                                          f"{len(columns)}", line))
            continue
        row = _parse_row(name, line, dict(zip(columns, cells, strict=True)), known, problems)
        if row is None:
            continue
        for check in spec.checks:
            found = check(row)
            if found:
                problems.append(Problem(name, found[1], line, found[0]))
        key = tuple(row[column] for column in spec.key)
        if key in first_seen:
            shown = ", ".join(f"{c}={row[c]!s}" for c in spec.key if row[c] is not None)
            problems.append(Problem(name, f"duplicate row ({shown}); first at line "
                                          f"{first_seen[key]}", line, spec.key[-1]))
            continue
        first_seen[key] = line
        for column in spec.unique:
            if row[column] in unique_seen[column]:
                problems.append(Problem(name, f"{row[column]!r} is already used at line "
                                              f"{unique_seen[column][row[column]]}", line, column))
            unique_seen[column][row[column]] = line
        rows.append(row)
        lines.append(line)
    return rows, lines


def _parse_row(name: str, line: int, raw: dict[str, str], known: dict[str, Field],
               problems: list[Problem]) -> Row | None:
    row: Row = {}
    ok = True
    for field_name, field in known.items():
        cell = raw.get(field_name, "").strip()
        if len(cell) > values.MAX_CELL:
            problems.append(Problem(name, f"value is {len(cell)} characters long", line, field_name))
            ok = False
            continue
        if not cell:
            if field.required:
                problems.append(Problem(name, "is required but empty", line, field_name))
                ok = False
            row[field_name] = [] if field.parse is values.text_list else None
            continue
        try:
            row[field_name] = field.parse(cell)
        except ValueError as error:
            problems.append(Problem(name, str(error), line, field_name))
            ok = False
    return row if ok else None


def _check_references(rows: dict[str, list[Row]], lines: dict[str, list[int]],
                      problems: list[Problem]) -> None:
    targets: dict[tuple[str, str], set[object]] = {}
    for spec in FILES:
        for ref in spec.refs:
            wanted = (ref.target, ref.target_column)
            if wanted not in targets:
                targets[wanted] = {row[ref.target_column] for row in rows[ref.target]}
            known = targets[wanted]
            for row, line in zip(rows[spec.name], lines[spec.name], strict=True):
                value = row[ref.column]
                if value is not None and value not in known:
                    problems.append(Problem(
                        spec.name, f"{value!r} is not a {ref.target_column} in {ref.target}",
                        line, ref.column))


def _check_municipality_periods(rows: dict[str, list[Row]], lines: dict[str, list[int]],
                                problems: list[Problem]) -> None:
    """A municipality belongs to one RAR area at a time, under one name."""
    name = "municipalities.csv"
    by_code: dict[int, list[tuple[Row, int]]] = defaultdict(list)
    for row, line in zip(rows[name], lines[name], strict=True):
        by_code[row["kommunekode"]].append((row, line))
    for entries in by_code.values():
        entries.sort(key=lambda item: item[0]["valid_from"] or date.min)
        first_row = entries[0][0]
        for (earlier, _), (later, line) in pairwise(entries):
            if later["name"] != first_row["name"]:
                problems.append(Problem(name, f"{later['name']!r} differs from the name "
                                              f"{first_row['name']!r} used for kommunekode "
                                              f"{later['kommunekode']}", line, "name"))
            if earlier["valid_to"] is None or (later["valid_from"] is not None
                                               and later["valid_from"] <= earlier["valid_to"]):
                problems.append(Problem(name, f"kommunekode {later['kommunekode']} is in two RAR "
                                              "areas at once; the periods overlap", line,
                                        "valid_from"))
