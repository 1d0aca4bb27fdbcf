"""Check the four geography files in course_catalog/ and exit non-zero on any problem.

Stdlib only, so CI and tests can run it without extra packages:

    python3 scripts/check_geography.py [CATALOG_DIR]

CATALOG_DIR defaults to course_catalog/ next to this script's folder. Every problem is
printed as "file:line: message"; the exit code is 1 if there was at least one.
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RAR_AREAS = {
    "NORDJ": "RAR Nordjylland",
    "OESTJ": "RAR Østjylland",
    "VESTJ": "RAR Vestjylland",
    "SYDJ": "RAR Sydjylland",
    "FYN": "RAR Fyn",
    "SJAEL": "RAR Sjælland",
    "HOVED": "RAR Hovedstaden",
    "BORNH": "RAR Bornholm",
}
HEADERS = {
    "rar_areas.csv": ["code", "name", "valid_from", "valid_to", "source_url"],
    "rar_adjacency.csv": ["rar_code", "adjacent_rar_code"],
    "municipalities.csv": ["kommunekode", "name", "rar_code", "valid_from", "valid_to"],
    "postcodes.csv": ["postcode", "name", "lat", "lon", "kommunekode"],
}
MUNICIPALITY_COUNT = 98
POSTCODE_COUNT = 1089
VIBORG = "791"
CHRISTIANSOE = "411"  # administered by the state, not a municipality
VESTJ_CURRENT = {"657", "661", "665", "671", "756", "760", "779"}  # domain.md section 1
LAT_RANGE = (54.5, 57.8)
LON_RANGE = (8.0, 15.2)
OPEN_START, OPEN_END = date.min, date.max


class Problems:
    """Collects problems so one run reports all of them, not just the first."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _read(folder: Path, name: str, problems: Problems) -> list[tuple[int, dict[str, str]]]:
    """Rows of one file with their line numbers, or [] if the file or header is wrong."""
    path = folder / name
    if not path.is_file():
        problems.add(name, "file is missing")
        return []
    raw = path.read_bytes()
    if b"\r" in raw:
        problems.add(name, "line endings must be \\n only")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != HEADERS[name]:
            problems.add(f"{name}:1", f"header must be {','.join(HEADERS[name])}")
            return []
        return [(i, row) for i, row in enumerate(reader, start=2)]


def _date(value: str, default: date, where: str, problems: Problems) -> date:
    """A YYYY-MM-DD cell as a date; blank means open-ended."""
    if not value:
        return default
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        problems.add(where, f"date {value!r} is not YYYY-MM-DD")
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.add(where, f"date {value!r} does not exist")
        return default


def check_areas(folder: Path, problems: Problems) -> set[str]:
    """The 8 RAR areas with their exact codes and names; returns the codes found."""
    rows = _read(folder, "rar_areas.csv", problems)
    found = {row["code"]: row["name"] for _, row in rows}
    if len(rows) != len(RAR_AREAS) or found != RAR_AREAS:
        problems.add("rar_areas.csv", f"must hold exactly the 8 areas {sorted(RAR_AREAS)}")
    return set(found)


def check_adjacency(folder: Path, codes: set[str], problems: Problems) -> None:
    """Known codes, no self-loops or duplicates, and every pair listed both ways."""
    pairs: set[tuple[str, str]] = set()
    for line, row in _read(folder, "rar_adjacency.csv", problems):
        pair = (row["rar_code"], row["adjacent_rar_code"])
        where = f"rar_adjacency.csv:{line}"
        for code in pair:
            if code not in codes:
                problems.add(where, f"unknown rar_code {code!r}")
        if pair[0] == pair[1]:
            problems.add(where, "an area cannot be adjacent to itself")
        if pair in pairs:
            problems.add(where, f"duplicate pair {pair}")
        pairs.add(pair)
    for a, b in sorted(pairs):
        if (b, a) not in pairs:
            problems.add("rar_adjacency.csv", f"{a}->{b} is listed but {b}->{a} is not")


def check_municipalities(folder: Path, codes: set[str], problems: Problems) -> dict[str, str]:
    """98 municipalities, valid RAR codes and non-overlapping history; returns current RAR."""
    ranges: dict[str, list[tuple[date, date, str, str]]] = defaultdict(list)
    for line, row in _read(folder, "municipalities.csv", problems):
        where = f"municipalities.csv:{line}"
        code = row["kommunekode"]
        if not re.fullmatch(r"[1-9]\d{2}", code):
            problems.add(where, f"kommunekode {code!r} must be a 3-digit number")
        if code == CHRISTIANSOE:
            problems.add(where, "Christiansø (411) is not a municipality")
        if not row["name"].strip():
            problems.add(where, "name is blank")
        if row["rar_code"] not in codes:
            problems.add(where, f"unknown rar_code {row['rar_code']!r}")
        start = _date(row["valid_from"], OPEN_START, where, problems)
        end = _date(row["valid_to"], OPEN_END, where, problems)
        if start > end:
            problems.add(where, "valid_from is after valid_to")
        ranges[code].append((start, end, row["rar_code"], where))

    if len(ranges) != MUNICIPALITY_COUNT:
        problems.add("municipalities.csv", f"{len(ranges)} kommunekoder, expected 98")
    current: dict[str, str] = {}
    for code, spans in ranges.items():
        expected_rows = 2 if code == VIBORG else 1
        if len(spans) != expected_rows:
            problems.add(spans[0][3], f"kommunekode {code} has {len(spans)} rows, expected {expected_rows}")
        spans.sort()
        for (_, end1, _, _), (start2, _, _, where2) in itertools.pairwise(spans):
            if start2 <= end1:
                problems.add(where2, f"kommunekode {code} date ranges overlap")
        open_ended = [rar for _, end, rar, _ in spans if end == OPEN_END]
        if len(open_ended) != 1:
            problems.add(spans[0][3], f"kommunekode {code} needs exactly one current row")
        else:
            current[code] = open_ended[0]
    vestj = {code for code, rar in current.items() if rar == "VESTJ"}
    if vestj != VESTJ_CURRENT:
        problems.add(
            "municipalities.csv",
            f"current VESTJ members are {sorted(vestj)}, expected {sorted(VESTJ_CURRENT)}",
        )
    return current


def check_postcodes(folder: Path, current: dict[str, str], problems: Problems) -> None:
    """1,089 unique 4-digit postcodes inside Denmark, each VESTJ municipality covered."""
    rows = _read(folder, "postcodes.csv", problems)
    if len(rows) != POSTCODE_COUNT:
        problems.add("postcodes.csv", f"{len(rows)} rows, expected {POSTCODE_COUNT}")
    seen: set[str] = set()
    previous = ""
    covered: set[str] = set()
    for line, row in rows:
        where = f"postcodes.csv:{line}"
        code = row["postcode"]
        if not re.fullmatch(r"\d{4}", code):
            problems.add(where, f"postcode {code!r} is not 4 digits")
        if code in seen:
            problems.add(where, f"duplicate postcode {code}")
        if code <= previous:
            problems.add(where, "rows are not sorted by postcode")
        seen.add(code)
        previous = code
        if not row["name"].strip():
            problems.add(where, "name is blank")
        for field, (low, high) in (("lat", LAT_RANGE), ("lon", LON_RANGE)):
            try:
                value = float(row[field])
            except ValueError:
                problems.add(where, f"{field} {row[field]!r} is not a number")
                continue
            if not low <= value <= high:
                problems.add(where, f"{field} {value} outside {low}..{high}")
        kommunekode = row["kommunekode"]
        if kommunekode:
            if kommunekode not in current:
                problems.add(where, f"kommunekode {kommunekode!r} is not in municipalities.csv")
            covered.add(kommunekode)
    for code in sorted(VESTJ_CURRENT - covered):
        problems.add("postcodes.csv", f"no postcode carries VESTJ kommunekode {code}")


def main(argv: list[str] | None = None) -> int:
    """Run every check and return the process exit code."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else ROOT / "course_catalog"
    problems = Problems()
    codes = check_areas(folder, problems)
    check_adjacency(folder, codes, problems)
    current = check_municipalities(folder, codes, problems)
    check_postcodes(folder, current, problems)
    for item in problems.items:
        print(item, file=sys.stderr)
    if problems.items:
        print(f"{len(problems.items)} problem(s) in {folder}", file=sys.stderr)
        return 1
    print(f"geography OK: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
