#!/usr/bin/env python3
"""Write the reviewed ESCO and DISCO-08 identifiers into course_catalog/occupations.csv.

The decisions live in scripts/esco_matches.csv (occupation_code, esco_uri, disco08, note),
one row per occupation, reviewed by hand: an ESCO occupation is filled only where one of
its labels names the same job as ours, and a DISCO-08 code only where its title is that
job. This script never chooses an identifier itself. It checks every decision against the
official files and then writes three columns of occupations.csv:

- `esco_uri` and `disco08` from the mapping (blank where the mapping is blank);
- `isco08` from ESCO's iscoGroup when an ESCO URI is filled, because ESCO is the official
  ISCO-08 link; where no URI is filled the hand-written value is kept.

Nothing else in the file changes: rows, order, quoting and line endings stay as they are.

Sources (unmodified official downloads, see ../shared/data/README.md):
- ESCO v1.1.0 classification, English CSV zip (European Commission), occupations_en.csv;
- DISCO-08 from Danmarks Statistik, disco08_dst.csv (semicolon-separated, UTF-8 with BOM).

Usage:
    python3 scripts/match_esco.py               # check the mapping and write occupations.csv
    python3 scripts/match_esco.py --check       # exit 1 if occupations.csv is not up to date
    python3 scripts/match_esco.py --suggest     # candidates for rows the mapping leaves blank
    python3 scripts/match_esco.py --suggest svejser smed   # candidates for these rows
Options: --data-dir (default ../shared/data next to the repository), --catalog.
Exits non-zero, writing nothing, if a decision does not hold. Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
ESCO_ZIP = Path("esco-v1.1.0") / "esco-v1.1.0-classification-en-csv.zip"
DISCO_CSV = Path("disco08") / "disco08_dst.csv"
MATCHES = ROOT / "scripts" / "esco_matches.csv"
# The identifiers used, with their official label and group, for tests run without the files.
EXCERPT = ROOT / "tests" / "data" / "official_identifiers.csv"
MATCH_HEADER = ["occupation_code", "esco_uri", "disco08", "note"]
URI_RE = re.compile(r"http://data\.europa\.eu/esco/occupation/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")
DISCO_JOB_LEVEL = "5"  # the 6-digit job codes; levels 1-4 are groups that follow ISCO-08


@dataclass(frozen=True, slots=True)
class EscoOccupation:
    uri: str
    isco_group: str
    label: str
    alt_labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    line: int
    code: str
    esco_uri: str
    disco08: str
    note: str


def read_esco(zip_path: Path) -> dict[str, EscoOccupation]:
    """ESCO occupations by concept URI, from the official classification zip."""
    with zipfile.ZipFile(zip_path) as archive, archive.open("occupations_en.csv") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        return {row["conceptUri"]: EscoOccupation(
            uri=row["conceptUri"], isco_group=row["iscoGroup"], label=row["preferredLabel"],
            alt_labels=tuple(a for a in row["altLabels"].split("\n") if a))  # multi-values: one a line
            for row in reader}


def read_disco(path: Path) -> dict[str, tuple[str, str]]:
    """DISCO-08 code -> (level, Danish title), from Statistics Denmark's export."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["KODE"]: (row["NIVEAU"], row["TITEL"]) for row in csv.DictReader(f, delimiter=";")}


def read_matches(path: Path) -> list[Match]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != MATCH_HEADER:
            raise SystemExit(f"{path.name}: header {header} != {MATCH_HEADER}")
        matches = []
        for line, row in enumerate(reader, start=2):
            if len(row) != len(MATCH_HEADER):
                raise SystemExit(f"{path.name}:{line}: {len(row)} fields, expected {len(MATCH_HEADER)}")
            matches.append(Match(line, *(cell.strip() for cell in row)))
        return matches


def check_matches(matches: list[Match], codes: list[str], esco: dict[str, EscoOccupation],
                  disco: dict[str, tuple[str, str]]) -> list[str]:
    """Every reason the mapping cannot be applied as it stands (empty when it can)."""
    problems = []
    seen: set[str] = set()
    for m in matches:
        where = f"{MATCHES.name}:{m.line}"
        if m.code not in codes:
            problems.append(f"{where}: {m.code!r} is not an occupation in occupations.csv")
        if m.code in seen:
            problems.append(f"{where}: {m.code} is listed twice")
        seen.add(m.code)
        if m.esco_uri and not URI_RE.fullmatch(m.esco_uri):
            problems.append(f"{where}: {m.esco_uri!r} is not an ESCO occupation URI")
        elif m.esco_uri and m.esco_uri not in esco:
            problems.append(f"{where}: {m.esco_uri} is not an occupation in ESCO v1.1.0")
        if m.disco08 and disco.get(m.disco08, ("", ""))[0] != DISCO_JOB_LEVEL:
            problems.append(f"{where}: {m.disco08!r} is not a 6-digit job code in DISCO-08")
        if not m.note:
            problems.append(f"{where}: say why in the note (the match, or why it stays blank)")
    problems += [f"{MATCHES.name}: no decision for {code}" for code in codes if code not in seen]
    return problems


def apply_matches(rows: list[list[str]], matches: list[Match],
                  esco: dict[str, EscoOccupation]) -> tuple[list[list[str]], list[str]]:
    """The occupation rows with the three identifier columns set, and the isco08 values changed."""
    header, body = rows[0], rows[1:]
    col = {name: header.index(name) for name in ("code", "isco08", "disco08", "esco_uri")}
    by_code = {m.code: m for m in matches}
    changed = []
    out = [list(header)]
    for row in body:
        row = list(row)
        m = by_code[row[col["code"]]]
        row[col["esco_uri"]] = m.esco_uri
        row[col["disco08"]] = m.disco08
        if m.esco_uri:
            group = esco[m.esco_uri].isco_group
            if row[col["isco08"]] not in ("", group):
                changed.append(f"{m.code}: isco08 {row[col['isco08']]} -> {group} "
                               f"(ESCO '{esco[m.esco_uri].label}')")
            row[col["isco08"]] = group
        out.append(row)
    return out, changed


def _line_ending(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _write_csv(rows: list[list[str]], line_ending: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_ending).writerows(rows)
    return buffer.getvalue()


def _tokens(label: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", re.sub(r"\(.*?\)", " ", label.casefold())))


def suggest(rows: list[list[str]], wanted: set[str], esco: dict[str, EscoOccupation],
            disco: dict[str, tuple[str, str]], *, limit: int = 6) -> None:
    """Print ESCO candidates by label overlap and the DISCO job codes of the ISCO groups involved."""
    index: dict[str, set[str]] = defaultdict(set)
    for occ in esco.values():
        for label in (occ.label, *occ.alt_labels):
            for token in _tokens(label):
                index[token].add(occ.uri)
    header = rows[0]
    for row in rows[1:]:
        r = dict(zip(header, row, strict=True))
        if r["code"] not in wanted:
            continue
        ours = [_tokens(x) for x in [r["title_en"], *r["aliases_en"].split("|")] if x.strip()]
        scores: dict[str, tuple[float, str]] = {}
        for uri in set().union(*(index[t] for q in ours for t in q)):
            occ = esco[uri]
            for label in (occ.label, *occ.alt_labels):
                theirs = _tokens(label)
                best = max(len(q & theirs) / len(q | theirs) for q in ours)
                if best > scores.get(uri, (0.0, ""))[0]:
                    scores[uri] = (best, label)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], esco[kv[0]].label))[:limit]
        print(f"\n{r['code']}: {r['title_en']} | {r['aliases_en']} | isco08 {r['isco08'] or '-'}")
        print(f"  {r['description_da']}")
        for uri, (score, label) in ranked:
            occ = esco[uri]
            print(f"  {score:.2f} [{occ.isco_group}] {occ.label}  (label: {label})  {uri}")
        groups = {r["isco08"]} | {esco[uri].isco_group for uri, _ in ranked}
        for code, (level, title) in sorted(disco.items()):
            if level == DISCO_JOB_LEVEL and code[:4] in groups:
                print(f"  DISCO {code} {title}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--catalog", type=Path, default=ROOT / "course_catalog")
    parser.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    parser.add_argument("--suggest", nargs="*", metavar="CODE",
                        help="print candidates for these occupations (default: those left blank)")
    args = parser.parse_args(argv)

    esco = read_esco(args.data_dir / ESCO_ZIP)
    disco = read_disco(args.data_dir / DISCO_CSV)
    target = args.catalog / "occupations.csv"
    with target.open(encoding="utf-8", newline="") as f:  # keep \r\n as it is
        text = f.read()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    line_ending = _line_ending(text)
    if _write_csv(rows, line_ending) != text:
        # Rewriting would change more than the three columns; refuse rather than reformat.
        print(f"{target}: not in the csv module's minimal-quoting layout; not touching it")
        return 1
    codes = [row[0] for row in rows[1:]]
    matches = read_matches(MATCHES)

    if args.suggest is not None:
        blank = {m.code for m in matches if not m.esco_uri}
        suggest(rows, set(args.suggest) or blank or set(codes), esco, disco)
        return 0

    problems = check_matches(matches, codes, esco, disco)
    if problems:
        print("\n".join(problems))
        return 1
    new_rows, changed = apply_matches(rows, matches, esco)
    new_text = _write_csv(new_rows, line_ending)
    filled = sum(1 for m in matches if m.esco_uri), sum(1 for m in matches if m.disco08)
    print(f"{len(codes)} occupations: esco_uri {filled[0]}, disco08 {filled[1]}")
    for line in changed:
        print("  " + line)
    excerpt = _excerpt(matches, esco, disco)
    current = EXCERPT.read_text(encoding="utf-8") if EXCERPT.exists() else ""
    if args.check:
        stale = [str(path) for path, new, old in ((target, new_text, text), (EXCERPT, excerpt, current))
                 if new != old]
        print(f"not up to date: {', '.join(stale)}; run scripts/match_esco.py" if stale else "up to date")
        return 1 if stale else 0
    for path, new, old in ((target, new_text, text), (EXCERPT, excerpt, current)):
        if new != old:
            with path.open("w", encoding="utf-8", newline="") as f:
                f.write(new)
            print(f"wrote {path}")
    return 0


def _excerpt(matches: list[Match], esco: dict[str, EscoOccupation],
             disco: dict[str, tuple[str, str]]) -> str:
    """source,identifier,label,group for every URI and DISCO-08 code the catalogue uses."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "identifier", "label", "group"])
    for uri in sorted({m.esco_uri for m in matches if m.esco_uri}):
        writer.writerow(["esco-v1.1.0", uri, esco[uri].label, esco[uri].isco_group])
    for code in sorted({m.disco08 for m in matches if m.disco08}):
        level, title = disco[code]
        writer.writerow(["disco08", code, title, level])
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
