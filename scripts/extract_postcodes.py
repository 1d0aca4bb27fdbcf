"""Build course_catalog/postcodes.csv from the ODbL postcode package plus our corrections.

The source is the PyPI package ``countrystatecity-postal-codes==2.0.1`` (ODbL 1.0, see
course_catalog/POSTCODES-LICENSE.txt). It is a build-time tool only and must never become
a runtime dependency of the app, so install it into a throwaway virtualenv:

    python3 -m venv /tmp/pcvenv
    /tmp/pcvenv/bin/pip install countrystatecity-postal-codes==2.0.1
    /tmp/pcvenv/bin/python scripts/extract_postcodes.py

Options: ``--corrections PATH`` (default scripts/postcode_corrections.csv) and
``--out PATH`` (default course_catalog/postcodes.csv). The script exits non-zero and writes
nothing if the package data or the correction table is not what it expects.

Why corrections: the package's points are centroids of postal polygons that include sea
areas, so coastal and island codes fall offshore (reference/frontend.md section 4). The
table scripts/postcode_corrections.csv moves such points to the town centre and adds the
kommunekode for every postcode whose town lies in RAR Vestjylland. Rows whose reason is
"kommunekode only" keep the package coordinates.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from countrystatecity_postal_codes import get_postcodes_of_country

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_COUNT = 1089
HEADER = ["postcode", "name", "lat", "lon", "kommunekode"]
CORRECTION_HEADER = ["postcode", "name", "lat", "lon", "kommunekode", "reason"]
REASONS = {"town centre", "kommunekode only"}


@dataclass(frozen=True, slots=True)
class Postcode:
    postcode: str
    name: str
    lat: float
    lon: float
    kommunekode: str = ""


def _load_package() -> dict[str, Postcode]:
    """All Danish postcodes from the package, keyed by the 4-digit code."""
    rows = {
        x.code: Postcode(x.code, x.localityName, float(x.latitude), float(x.longitude))
        for x in get_postcodes_of_country("DK")
    }
    if len(rows) != EXPECTED_COUNT:
        raise ValueError(f"package has {len(rows)} DK postcodes, expected {EXPECTED_COUNT}")
    return rows


def _load_corrections(path: Path, known: dict[str, Postcode]) -> list[dict[str, str]]:
    """The correction rows, checked against the package before anything is written."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != CORRECTION_HEADER:
            raise ValueError(f"{path}: header must be {','.join(CORRECTION_HEADER)}")
        rows = list(reader)
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        code = row["postcode"]
        if code not in known:
            raise ValueError(f"{path}:{line}: postcode {code!r} is not in the package")
        if code in seen:
            raise ValueError(f"{path}:{line}: postcode {code} corrected twice")
        seen.add(code)
        if row["reason"] not in REASONS:
            raise ValueError(f"{path}:{line}: reason must be one of {sorted(REASONS)}")
        has_point = bool(row["lat"]) and bool(row["lon"])
        if bool(row["lat"]) != bool(row["lon"]):
            raise ValueError(f"{path}:{line}: give both lat and lon or neither")
        if has_point != (row["reason"] == "town centre"):
            raise ValueError(f"{path}:{line}: 'town centre' rows need lat/lon, others none")
        if row["kommunekode"] and not (row["kommunekode"].isdigit() and len(row["kommunekode"]) == 3):
            raise ValueError(f"{path}:{line}: kommunekode must be 3 digits")
    return rows


def _apply(known: dict[str, Postcode], corrections: list[dict[str, str]]) -> list[Postcode]:
    """Package rows with corrections applied, sorted by postcode."""
    merged = dict(known)
    for row in corrections:
        old = merged[row["postcode"]]
        merged[row["postcode"]] = Postcode(
            postcode=old.postcode,
            name=row["name"] or old.name,
            lat=float(row["lat"]) if row["lat"] else old.lat,
            lon=float(row["lon"]) if row["lon"] else old.lon,
            kommunekode=row["kommunekode"],
        )
    return [merged[code] for code in sorted(merged)]


def _write(path: Path, rows: list[Postcode]) -> None:
    """Write the CSV with 5-decimal coordinates and \\n line endings."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        for r in rows:
            writer.writerow([r.postcode, r.name, f"{r.lat:.5f}", f"{r.lon:.5f}", r.kommunekode])


def main(argv: list[str] | None = None) -> int:
    """Extract, correct and write the postcode table; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corrections", type=Path, default=ROOT / "scripts" / "postcode_corrections.csv")
    parser.add_argument("--out", type=Path, default=ROOT / "course_catalog" / "postcodes.csv")
    args = parser.parse_args(argv)
    try:
        known = _load_package()
        corrections = _load_corrections(args.corrections, known)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = _apply(known, corrections)
    _write(args.out, rows)
    print(f"wrote {len(rows)} postcodes ({len(corrections)} corrected) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
