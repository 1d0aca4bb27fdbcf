"""STAR's labour-market balance (arbejdsmarkedsbalancen, domain.md §1) as shortage ratings.

One CSV file: job title, RAR area, half-year and STAR's category in STAR's Danish words,
optionally a code (our occupation code, DISCO-08, ISCO-08 or an ESCO URI). Each title is
mapped to one of the catalogue's occupations: by the code when it names one; else by an
administrator's confirmation (this run's `mappings`, then those remembered from earlier
runs); else by fuzzy matching against the occupations' Danish titles and aliases. A
certain match is used; an uncertain one must be confirmed before the file can be applied
(report.extra["uncertain"]); a title with no plausible occupation is not one of ours and
is skipped. The ratings of the areas and half-years the file covers are replaced; other
half-years are kept. docs/import-labour-market.md describes the format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.catalog import values
from matcher.data.importers.csv_input import MAX_PROBLEMS, Cells, Column, Table, read_table
from matcher.data.importers.report import ImportReport, Progress
from matcher.data.importers.shared import (
    Areas,
    is_national,
    refresh_demo_flag,
    update_counted,
)
from matcher.data.status import ESCO_CODE_PREFIX
from matcher.engine.lookup import normalize

COLUMNS = (
    Column("title", ("Stillingsbetegnelse", "Stilling", "Jobtitel", "Job title", "Titel"),
           required=True),
    Column("area", ("RAR-område", "Område", "RAR", "Area", "RAR area", "rar_code", "Region"),
           required=True),
    Column("period", ("Periode", "Halvår", "Period", "Half-year"), required=True),
    Column("category", ("Kategori", "Jobmuligheder", "Beskæftigelsesmuligheder", "Vurdering",
                        "Category"), required=True),
    Column("code", ("Kode", "DISCO-08", "DISCO", "ISCO-08", "ISCO", "ESCO", "ESCO URI",
                    "Stillingskode", "Code", "occupation_code")),
    Column("source", ("Kilde", "Source")),
    Column("source_url", ("Kilde URL", "Kildelink", "Link", "Source URL", "URL")),
)

# STAR's category names (arbejdsmarkedsbalancen.dk/kategorier-i-balancen), short forms,
# English and our own codes -> the codes of design.md §4.
CATEGORY_WORDS: dict[str, str] = {normalize(word): code for code, words in {
    "omfattende_mangel": ("Omfattende mangel på arbejdskraft", "Omfattende mangel",
                          "Comprehensive shortage", "Comprehensive labour shortage",
                          "Widespread shortage", "omfattende_mangel"),
    "mangel": ("Mangel på arbejdskraft", "Mangel", "Shortage", "Labour shortage",
               "Shortage of labour"),
    "paradoks": ("Paradoksproblemer", "Paradoksproblem", "Paradoks", "Paradox",
                 "Paradox problems"),
    "gode": ("Gode jobmuligheder", "Gode beskæftigelsesmuligheder", "Gode",
             "Good job opportunities", "Good"),
    "mindre_gode": ("Mindre gode jobmuligheder", "Mindre gode beskæftigelsesmuligheder",
                    "Mindre gode", "Less good job opportunities", "Fewer job opportunities",
                    "mindre_gode"),
}.items() for word in words}

DEFAULT_SOURCE = "STAR"
DEFAULT_SOURCE_URL = ("https://star.dk/da/viden-og-tal/udvikling-paa-arbejdsmarkedet/"
                      "arbejdsmarkedsbalancen/")
CERTAIN = 95.0  # word-order-free similarity at or above which a title is the occupation
CANDIDATE_FLOOR = 80.0  # below this no occupation is offered: the title is not one of ours
SUBSET_WEIGHT = 0.9  # a title whose words all occur in the other's is alike, not the same
HEAD = 3  # letters a compound's beginning is compared by
OTHER_HEAD_WEIGHT = 0.85
MAX_CANDIDATES = 5
MAX_LISTED = 500  # titles listed per kind in report.extra (counts are always complete)
PROGRESS_EVERY = 250


def similarity(title: str, label: str) -> float:
    """0-100: the same words in any order, spelt alike; one's words all among the other's
    ("Svejser (MIG/MAG)" holds "Svejser") at a discount. Danish compounds that differ in
    their first letters are different jobs with a shared ending ("Bankspecialist" is no
    "Dækspecialist"), so such a pair is discounted too."""
    alike = fuzz.token_sort_ratio(title, label)
    if title[:HEAD] != label[:HEAD]:
        alike *= OTHER_HEAD_WEIGHT
    return max(alike, SUBSET_WEIGHT * fuzz.token_set_ratio(title, label))


def title_key(title: str) -> str:
    """A job title as remembered (TitleMapping.title_key): case, æøå and punctuation folded."""
    return normalize(title)[:300]


def apply(session: Session, paths: Sequence[Path], report: ImportReport,
          progress: Progress | None, *, mappings: Mapping[str, str | None] | None = None,
          confirmed_by_id: int | None = None, accept_best_above: float | None = None,
          preview: bool = False) -> None:
    """Replace the ratings of the areas and half-years in the file (run.run_import's importer).

    mappings: the administrator's answers for titles, title_key -> occupation code, or None
    for "not one of ours"; remembered as TitleMapping rows (confirmed_by_id).
    accept_best_above: confirm each uncertain title's best candidate scoring at least this.
    preview: a dry run; uncertain titles are listed instead of refusing the import.
    """
    if len(paths) != 1:
        report.problem(", ".join(report.files), None, None, "give exactly one balance file")
        return
    file = report.files[0] if report.files else paths[0].name
    table = read_table(paths[0], file, COLUMNS, report)
    if table is None or report.problems:
        return
    ratings = _parse_rows(session, table, report)
    if report.problems:
        return
    matcher = _Matcher(session)
    titles = _first_titles(ratings)
    label = table.label("title")
    confirmations = _confirmations(session, mappings or {}, titles, file, label, report)
    if report.problems:
        return
    resolved = _resolve_all(ratings, matcher, confirmations, progress)
    if accept_best_above is not None:
        for key, found in _uncertain_titles(ratings, resolved).items():
            best = found.candidates[0] if found.candidates else None
            if best and round(best.score, 1) >= accept_best_above and key not in confirmations:
                confirmations[key] = best.code
        resolved = _resolve_all(ratings, matcher, confirmations, progress)
    _remember(session, confirmations, titles, confirmed_by_id, report)
    wanted = _wanted(ratings, resolved, report, file, label)
    _replace(session, ratings, wanted, report)
    _describe(ratings, resolved, matcher, report)
    uncertain = report.extra["uncertain"]
    if uncertain and not preview:
        report.problem(file, None, label,
                       f"{len(uncertain)} job title(s) need confirming before the balance can be "
                       "imported: choose an occupation or \"not one of ours\" for each on "
                       "/admin/import, or give --map/--accept-best-above to the command")


# --- reading the rows --------------------------------------------------------------------

@dataclass(slots=True)
class _Rating:
    line: int
    title: str
    key: str
    area: str | None  # None: a whole-country row, skipped
    period: str
    category: str
    code: str | None
    source: str
    source_url: str | None


def _parse_rows(session: Session, table: Table, report: ImportReport) -> list[_Rating]:
    areas = Areas(session)
    ratings: list[_Rating] = []
    first_at: dict[tuple[str, str, str], int] = {}
    for row in table.rows:
        if len(report.problems) >= MAX_PROBLEMS:
            break  # the first ones say enough
        cells = Cells(table, row, report)
        title = cells.get("title", values.text(300), required=True)
        key = title_key(title) if title else ""
        if title and not key:
            cells.fail("title", f"{title!r} has no letters or digits")
        area = _area(cells, areas)
        period = cells.get("period", parse_period, required=True)
        category = cells.get("category", parse_category, required=True)
        code = cells.get("code", _code_form)
        source = cells.get("source", values.text(100)) or DEFAULT_SOURCE
        url = cells.get("source_url", values.web_url)
        if area and period and not areas.valid_during(area, *_half_year(period)):
            cells.fail("area", f"the area {area} is not in use in {period} (see rar_areas.csv)")
        if not cells.ok:
            continue
        if area is None:
            cells.warn("area", "a whole-country row: the balance is stored per RAR area, "
                               "so this row is skipped")
        where = (key, area or "", period)
        if where in first_at:
            cells.fail("title", f"{title!r} is rated twice for {area or 'the whole country'} "
                                f"in {period}; first at line {first_at[where]}")
            continue
        first_at[where] = row.line
        ratings.append(_Rating(row.line, title, key, area, period, category, code, source,
                               url if url else (None if source == "demo" else DEFAULT_SOURCE_URL)))
    return ratings


def _area(cells: Cells, areas: Areas) -> str | None:
    raw = cells.get("area", required=True)
    if raw is None or is_national(raw):
        return None
    code = areas.find(raw)
    if code is None:
        cells.fail("area", areas.unknown(raw))
    return code


_PERIOD_FORMS = (
    (re.compile(r"(\d{4}) ?h ?([12])"), 1, 2), (re.compile(r"h ?([12]) ?(\d{4})"), 2, 1),
    (re.compile(r"([12]) halvaar (\d{4})"), 2, 1), (re.compile(r"(\d{4}) ([12]) halvaar"), 1, 2),
    (re.compile(r"(\d{4}) ([12])"), 1, 2),
)
_HALF_WORDS = {"foerste": "1", "1st": "1", "first": "1", "andet": "2", "2nd": "2",
               "second": "2", "anden": "2"}


def parse_period(raw: str) -> str:
    """A half-year as our code: 2026H2 from "2026H2", "2. halvår 2026", "H2 2026", "2026-2"."""
    text = " ".join(_HALF_WORDS.get(word, word) for word in normalize(raw).split())
    text = text.replace(" half", " halvaar")
    for form, year_at, half_at in _PERIOD_FORMS:
        found = form.fullmatch(text)
        if found and 2000 <= int(found.group(year_at)) <= 2100:
            return f"{found.group(year_at)}H{found.group(half_at)}"
    raise ValueError(f"{raw!r} is not a half-year; write it as 2026H2 or \"2. halvår 2026\"")


def _half_year(period: str) -> tuple[date, date]:
    year, half = int(period[:4]), period[5]
    return (date(year, 1, 1), date(year, 6, 30)) if half == "1" else \
        (date(year, 7, 1), date(year, 12, 31))


def parse_category(raw: str) -> str:
    code = CATEGORY_WORDS.get(normalize(raw))
    if code is None:
        raise ValueError(f"{raw!r} is not one of STAR's categories: Omfattende mangel på "
                         "arbejdskraft, Mangel på arbejdskraft, Paradoksproblemer, Gode "
                         "jobmuligheder, Mindre gode jobmuligheder")
    return code


def _code_form(raw: str) -> str:
    """An occupation code of ours, a DISCO-08 (6 digits), ISCO-08 (4) or an ESCO URI."""
    if raw.startswith(("http://", "https://")):
        uri: str = values.esco_uri(raw)
        return uri
    compact = raw.replace(" ", "").replace(".", "")
    if compact.isdigit():
        if len(compact) not in (4, 6):
            raise ValueError(f"{raw!r} is neither a DISCO-08 code (6 digits) nor an ISCO-08 "
                             "code (4 digits)")
        return compact
    own: str = values.code(raw)
    return own


def _first_titles(ratings: list[_Rating]) -> dict[str, _Rating]:
    first: dict[str, _Rating] = {}
    for rating in ratings:
        first.setdefault(rating.key, rating)
    return first


# --- which occupation a title is ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    title: str
    score: float  # similarity() of the title and the occupation's best label, 0-100
    same: float  # word-order-free similarity; CERTAIN or more means the same title

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "score": round(self.score, 1)}


@dataclass(frozen=True, slots=True)
class _Found:
    how: str  # code | confirmed | remembered | exact | fuzzy | not_ours | uncertain | unmatched
    code: str | None = None
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 100.0


class _Matcher:
    """The catalogue's occupations, found by code, by remembered title and by words."""

    def __init__(self, session: Session) -> None:
        # An occupation without a Danish title (an ESCO one not translated) is never shown.
        occupations = list(session.scalars(select(m.Occupation).where(m.Occupation.title_da != "")
                                           .order_by(m.Occupation.code)))
        self.titles = {o.code: o.title_da for o in occupations}
        self.by_code: dict[str, list[str]] = {}
        for o in occupations:
            for value in (o.code, o.disco08, o.isco08, o.esco_uri):
                if value:
                    self.by_code.setdefault(value, []).append(o.code)
        self.labels: list[str] = []
        self.label_codes: list[str] = []
        self.labels_of: dict[str, list[str]] = {}
        for o in occupations:
            labels = sorted({normalize(t) for t in (o.title_da, *(o.aliases_da or ()))} - {""})
            self.labels_of[o.code] = labels
            self.labels += labels
            self.label_codes += [o.code] * len(labels)
        self.heads = np.array([label[:HEAD] for label in self.labels], dtype=object)
        self.remembered = {row.title_key: row.occupation_code
                           for row in session.scalars(select(m.TitleMapping))}

    def candidates(self, key: str, among: list[str] | None = None) -> list[Candidate]:
        """Occupations whose title or an alias resembles key, best first."""
        if among is None:
            # similarity() for every label at once (rapidfuzz's cdist runs in C).
            sort = process.cdist([key], self.labels, scorer=fuzz.token_sort_ratio)[0]
            sort = np.where(self.heads == key[:HEAD], sort, sort * OTHER_HEAD_WEIGHT)
            subset = process.cdist([key], self.labels, scorer=fuzz.token_set_ratio)[0]
            near = np.flatnonzero(np.maximum(sort, SUBSET_WEIGHT * subset) >= CANDIDATE_FLOOR)
            codes = {self.label_codes[index] for index in near.tolist()}
        else:
            codes = set(among)
        found = [Candidate(code, self.titles[code],
                           max((similarity(key, label) for label in self.labels_of[code]),
                               default=0.0),
                           max((fuzz.token_sort_ratio(key, label)
                                for label in self.labels_of[code]), default=0.0))
                 for code in codes]
        return sorted(found, key=lambda c: (-c.score, -c.same, _from_esco(c.code), c.code))

    def find(self, rating: _Rating, confirmations: Mapping[str, str | None]) -> _Found:
        among = self.by_code.get(rating.code or "", [])
        if len(among) == 1:
            return _Found("code", among[0])
        if among:  # a DISCO/ISCO code shared by several occupations: the title decides
            found = self._by_words(rating.key, among)
            if found.how in ("exact", "fuzzy"):
                return _Found("code", found.code, found.candidates)
        if rating.key in confirmations:
            code = confirmations[rating.key]
            return _Found("confirmed", code) if code else _Found("not_ours")
        if rating.key in self.remembered:
            code = self.remembered[rating.key]
            return _Found("remembered", code) if code else _Found("not_ours")
        if among:
            return _Found("uncertain", None, tuple(self.candidates(rating.key, among)))
        return self._by_words(rating.key, None)

    def _by_words(self, key: str, among: list[str] | None) -> _Found:
        candidates = self.candidates(key, among)
        same = [c for c in candidates if c.same >= CERTAIN]
        if len(same) > 1:  # the catalogue's own occupation before ESCO's of the same name
            same = [c for c in same if not _from_esco(c.code)] or same
        if len(same) == 1:
            return _Found("exact" if same[0].same == 100 else "fuzzy", same[0].code,
                          (same[0],))
        if not candidates:
            return _Found("unmatched")
        return _Found("uncertain", None, tuple(candidates))


def _from_esco(code: str) -> bool:
    """An occupation the ESCO import added (docs/import-esco.md), not one the catalogue keeps."""
    return code.startswith(ESCO_CODE_PREFIX)


def _resolve_all(ratings: list[_Rating], matcher: _Matcher,
                 confirmations: Mapping[str, str | None],
                 progress: Progress | None) -> dict[tuple[str, str | None], _Found]:
    resolved: dict[tuple[str, str | None], _Found] = {}
    for done, rating in enumerate(ratings, start=1):
        where = (rating.key, rating.code)
        if where not in resolved:
            resolved[where] = matcher.find(rating, confirmations)
        if progress and (done % PROGRESS_EVERY == 0 or done == len(ratings)):
            progress(done, len(ratings))
    return resolved


def _uncertain_titles(ratings: list[_Rating],
                      resolved: Mapping[tuple[str, str | None], _Found]) -> dict[str, _Found]:
    found: dict[str, _Found] = {}
    for rating in ratings:
        result = resolved[(rating.key, rating.code)]
        if result.how == "uncertain":
            found.setdefault(rating.key, result)
    return found


# --- the administrator's confirmations -------------------------------------------------------

def _confirmations(session: Session, mappings: Mapping[str, str | None],
                   titles: Mapping[str, _Rating], file: str, label: str,
                   report: ImportReport) -> dict[str, str | None]:
    confirmed: dict[str, str | None] = {}
    for given, code in mappings.items():
        key = title_key(given)
        first = titles.get(key)
        if first is None:
            report.warn(file, None, label, f"a confirmation names the title {given!r}, which "
                                             "is not in this file; it is not remembered")
            continue
        code = code or None
        if code is not None and session.get(m.Occupation, code) is None:
            report.problem(file, first.line, label,
                           f"{first.title!r} was confirmed as occupation {code!r}, which is not "
                           "in the catalogue")
            continue
        confirmed[key] = code
    return confirmed


def _remember(session: Session, confirmations: Mapping[str, str | None],
              titles: Mapping[str, _Rating], confirmed_by_id: int | None,
              report: ImportReport) -> None:
    """Confirmed titles become TitleMapping rows: the next import uses them without asking."""
    count = report.table("title_mapping")
    now = datetime.now(UTC)
    for key, code in sorted(confirmations.items()):
        row = session.get(m.TitleMapping, key)
        if row is None:
            session.add(m.TitleMapping(title_key=key, title=titles[key].title,
                                       occupation_code=code, confirmed_by_id=confirmed_by_id,
                                       confirmed_at=now))
            count.added += 1
        elif row.occupation_code != code:
            row.occupation_code, row.title = code, titles[key].title
            row.confirmed_by_id, row.confirmed_at = confirmed_by_id, now
            count.changed += 1
        else:
            count.unchanged += 1
    session.flush()


# --- the shortage rows --------------------------------------------------------------------------

_Key = tuple[str, str, str]  # occupation, area, period


def _wanted(ratings: list[_Rating], resolved: Mapping[tuple[str, str | None], _Found],
            report: ImportReport, file: str, label: str) -> dict[_Key, _Rating]:
    """The rating per occupation, area and half-year; when two titles give one occupation,
    the title that matches it best is used (the occupation's own title before an alias)."""
    wanted: dict[_Key, _Rating] = {}
    score: dict[_Key, float] = {}
    for rating in ratings:
        found = resolved[(rating.key, rating.code)]
        if rating.area is None or found.code is None:
            continue
        key = (found.code, rating.area, rating.period)
        other = wanted.get(key)
        if other is not None:
            keep, drop = (other, rating) if score[key] >= found.score else (rating, other)
            if keep.category != drop.category:
                report.warn(file, drop.line, label,
                            f"{drop.title!r} and {keep.title!r} (line {keep.line}) both rate "
                            f"{found.code} in {rating.area} {rating.period}; {keep.title!r} "
                            f"matches it better, so its category {keep.category} is used")
            if keep is other:
                continue
        wanted[key] = rating
        score[key] = found.score
    return wanted


def _replace(session: Session, ratings: list[_Rating], wanted: Mapping[_Key, _Rating],
             report: ImportReport) -> None:
    covered = {(r.area, r.period) for r in ratings if r.area is not None}
    count = report.table("shortage")
    existing = {(row.occupation_code, row.rar_code, row.period): row
                for row in session.scalars(select(m.Shortage).where(
                    m.Shortage.period.in_({p for _, p in covered}),
                    m.Shortage.rar_code.in_({a for a, _ in covered})))
                if (row.rar_code, row.period) in covered}
    for key, old in existing.items():
        if key not in wanted:
            session.delete(old)
            count.removed += 1
    session.flush()
    for key, rating in sorted(wanted.items()):
        fields = {"category": rating.category, "source": rating.source,
                  "source_url": rating.source_url}
        row = existing.get(key)
        if row is None:
            session.add(m.Shortage(occupation_code=key[0], rar_code=key[1], period=key[2],
                                   **fields))
            count.added += 1
        else:
            update_counted(row, fields, count)
    session.flush()
    if count.changes:
        refresh_demo_flag(session)


def _describe(ratings: list[_Rating], resolved: Mapping[tuple[str, str | None], _Found],
              matcher: _Matcher, report: ImportReport) -> None:
    """report.extra: how each title was mapped, for the preview page and the terminal."""
    lists: dict[str, list[dict[str, Any]]] = {
        "uncertain": [], "unmatched": [], "not_ours": [], "fuzzy": []}
    how_many: dict[str, int] = {}
    seen: set[str] = set()
    for rating in ratings:
        if rating.key in seen:
            continue
        seen.add(rating.key)
        found = resolved[(rating.key, rating.code)]
        how_many[found.how] = how_many.get(found.how, 0) + 1
        entry: dict[str, Any] = {"title": rating.title, "title_key": rating.key,
                                 "line": rating.line}
        if found.how == "uncertain":
            entry["candidates"] = [c.as_dict() for c in found.candidates[:MAX_CANDIDATES]]
            lists["uncertain"].append(entry)
        elif found.how in ("unmatched", "not_ours"):
            lists[found.how].append(entry)
        elif found.how == "fuzzy" and found.code:
            lists["fuzzy"].append({**entry, "code": found.code,
                                   "occupation": matcher.titles[found.code],
                                   "score": round(found.score, 1)})
    for name in ("unmatched", "not_ours", "fuzzy"):
        report.extra[f"{name}_count"] = len(lists[name])
        lists[name] = lists[name][:MAX_LISTED]
    report.extra.update(lists)
    report.extra["matched_by"] = dict(sorted(how_many.items()))
    report.extra["periods"] = sorted({r.period for r in ratings})
    report.extra["areas"] = sorted({r.area for r in ratings if r.area})
