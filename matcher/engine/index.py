"""The catalogue as arrays, built once per catalogue version and shared by every match."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matcher.engine.model import (
    ASSESSMENT_KINDS,
    CERTIFICATE,
    ROUTE_KINDS,
    TRANSVERSAL,
    Course,
    Education,
    FundingRate,
    Occupation,
    PositiveListEntry,
    RuleVersion,
    ShortageRating,
    Skill,
    Snapshot,
)
from matcher.engine.profile import Vocabulary

__all__ = ["CatalogIndex", "build_index", "distances_from"]

SCHEDULE_CODES = {"day": 0, "evening": 1, "weekend": 2, "self_paced": 3}
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Sparse:
    """Rows of column positions (CSR without values): row r holds cols[ptr[r]:ptr[r+1]]."""

    ptr: Ints
    cols: Ints
    rows: Ints  # the row of each entry, for np.bincount

    def of(self, row: int) -> Ints:
        return self.cols[self.ptr[row]:self.ptr[row + 1]]


def _sparse(lists: list[list[int]]) -> Sparse:
    lengths = np.fromiter((len(item) for item in lists), dtype=np.int64, count=len(lists))
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    cols = np.fromiter((c for item in lists for c in item), dtype=np.int64, count=int(ptr[-1]))
    rows = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    return Sparse(ptr=ptr, cols=cols, rows=rows)


@dataclass(frozen=True, slots=True)
class CatalogIndex:
    snapshot: Snapshot
    vocabulary: Vocabulary
    skills: tuple[Skill, ...]
    skill_pos: dict[str, int]
    occupations: tuple[Occupation, ...]
    occupation_pos: dict[str, int]
    courses: tuple[Course, ...]
    course_pos: dict[str, int]
    education_rank: dict[str, int]
    education_status: dict[str, str]
    education_status_by_rank: dict[int, str]
    eud_rank: int
    educations: dict[str, Education]
    skill_certificate: Bools  # declared by the person, never inferred from a job
    skill_transversal: Bools  # general skills: years of work confer them; never a path step
    occupation_regulated: Bools
    occupation_unskilled: Bools  # needs no more than an unskilled (ufaglært) level
    occupation_vocational: Bools  # needs a vocational education (faglært level)
    idf: Floats
    essential: npt.NDArray[np.float64]  # occupations x skills, 0/1
    optional: npt.NDArray[np.float64]
    occupation_min_rank: Ints
    course_skills: Sparse
    course_prereqs: Sparse
    course_links: Sparse  # course -> occupation positions
    skill_course_count: Ints
    skill_order: Ints  # rank of each skill when listing missing ones: most taught, rarer, code
    course_days: Floats
    course_schedule: Ints
    course_online: Bools
    course_min_rank: Ints
    course_adult_route: Bools  # EUV and voksenlærling need age 25 (domain.md §2d, §5)
    course_route: Bools
    course_assessment: Bools  # IKV: opens or shortens an education, closes no gap by itself
    course_whole: Bools  # a whole education or an assessment: valued only through its links
    link_whole: Bools  # per entry of course_links: does the link belong to such a course?
    assessments_of: dict[int, tuple[int, ...]]  # occupation -> IKV courses linked to it
    route_targets: Sparse  # route course -> occupations it leads to (linked, or qualified for)
    route_preference: Ints  # per course: 0 EUV, 1 voksenlærling, 2 EUD (see routes.py)
    session_ptr: Ints  # sessions sorted by (course, start): course c owns ptr[c]:ptr[c+1]
    session_course: Ints
    session_start: Ints  # proleptic ordinals
    session_end: Ints
    session_place: Ints  # position in places; -1 unknown
    session_open: Bools
    session_online: Bools  # the course is taught online: no distance applies
    multi_place: Ints  # sessions of courses taught at more than one place, by (course, start)
    session_codes: tuple[str, ...]
    session_postcodes: tuple[str | None, ...]
    place_pos: dict[str, int]
    place_names: dict[str, str]
    place_kommune: dict[str, int]  # postcode -> kommunekode, where the catalogue gives one
    place_lat: Floats
    place_lon: Floats
    shortages: dict[tuple[str, str], tuple[ShortageRating | None, ...]]  # (rar, period) -> per occupation
    periods: tuple[str, ...]
    positive: dict[str, tuple[PositiveListEntry, ...]]  # course code -> entries
    list_horizon: dict[str, date]  # list -> the last day any published entry covers
    rates: dict[tuple[str, str], tuple[FundingRate, ...]]  # (scheme, unit) -> oldest first
    rules: dict[str, tuple[RuleVersion, ...]]  # scheme -> published versions, oldest first
    memberships: dict[int, tuple[tuple[str, date | None, date | None], ...]]
    adjacency: dict[str, frozenset[str]]
    rar_names: dict[str, str]


def build_index(snapshot: Snapshot) -> CatalogIndex:
    """Arrays for the matching, from a catalogue snapshot. Pure and deterministic."""
    skills = tuple(sorted(snapshot.skills, key=lambda s: s.code))
    skill_pos = {s.code: i for i, s in enumerate(skills)}
    occupations = tuple(sorted(snapshot.occupations, key=lambda o: o.code))
    occupation_pos = {o.code: i for i, o in enumerate(occupations)}
    courses = tuple(sorted(snapshot.courses, key=lambda c: c.code))
    course_pos = {c.code: i for i, c in enumerate(courses)}
    levels = sorted(snapshot.education_levels, key=lambda level: level.rank)
    rank = {level.code: level.rank for level in levels}
    status_of = {level.code: level.skill_status for level in levels}
    educations = {ed.code: ed for ed in snapshot.educations}
    eud_rank = rank.get("eud", 4)

    n_occ, n_skill = len(occupations), len(skills)
    essential = np.zeros((n_occ, n_skill))
    optional = np.zeros((n_occ, n_skill))
    for i, occupation in enumerate(occupations):
        for code in occupation.essential:
            essential[i, skill_pos[code]] = 1.0
        for code in occupation.optional:
            optional[i, skill_pos[code]] = 1.0
    # Rarer skills say more about a job (IDF over the taxonomy, design.md §5).
    document_frequency = (essential + optional).sum(axis=0)
    idf = np.log((1.0 + n_occ) / (1.0 + document_frequency)) + 1.0

    course_skills = _sparse([[skill_pos[s] for s in c.skills if s in skill_pos] for c in courses])
    course_prereqs = _sparse([[skill_pos[s] for s in c.prerequisites if s in skill_pos]
                              for c in courses])
    course_links = _sparse([[occupation_pos[o] for o in c.occupations if o in occupation_pos]
                            for c in courses])

    course_route = np.array([c.kind in ROUTE_KINDS and (c.education is not None
                                                        or not snapshot.educations)
                             for c in courses], dtype=np.bool_)
    course_assessment = np.array([c.kind in ASSESSMENT_KINDS for c in courses], dtype=np.bool_)
    course_whole = course_route | course_assessment
    taught = np.bincount(course_skills.cols, minlength=n_skill).astype(np.int64)
    places = sorted(snapshot.places, key=lambda p: p.postcode)
    place_pos = {p.postcode: i for i, p in enumerate(places)}
    provider_place = {c.code: place_pos.get(c.provider_postcode, -1) for c in courses}

    sessions = sorted((s for s in snapshot.sessions if s.course in course_pos),
                      key=lambda s: (course_pos[s.course], s.start, s.code))
    session_place = np.array([place_pos.get(s.postcode, -1) if s.postcode
                              else provider_place[s.course] for s in sessions], dtype=np.int64)
    session_course = np.fromiter((course_pos[s.course] for s in sessions), dtype=np.int64,
                                 count=len(sessions))
    session_ptr = np.searchsorted(session_course, np.arange(len(courses) + 1)).astype(np.int64)

    shortages: dict[tuple[str, str], list[ShortageRating | None]] = {}
    for rating in snapshot.shortages:
        if rating.occupation in occupation_pos:
            row = shortages.setdefault((rating.rar_code, rating.period), [None] * n_occ)
            row[occupation_pos[rating.occupation]] = rating
    positive = _positive(snapshot.positive_lists, courses)
    rates: dict[tuple[str, str], list[FundingRate]] = defaultdict(list)
    for rate in sorted(snapshot.funding_rates, key=lambda r: (r.starts, r.year)):
        rates[(rate.scheme, rate.unit)].append(rate)
    rules: dict[str, list[RuleVersion]] = defaultdict(list)
    for version in sorted(snapshot.funding_rules, key=lambda r: r.valid_from):
        rules[version.scheme].append(version)
    memberships: dict[int, list[tuple[str, date | None, date | None]]] = defaultdict(list)
    for m in snapshot.memberships:
        memberships[m.kommunekode].append((m.rar_code, m.valid_from, m.valid_to))
    adjacency: dict[str, set[str]] = defaultdict(set)
    for a, b in snapshot.adjacency:
        adjacency[a].add(b)
        adjacency[b].add(a)

    return CatalogIndex(
        snapshot=snapshot,
        vocabulary=Vocabulary(
            education_levels=frozenset(rank), occupations=frozenset(occupation_pos),
            skills=frozenset(skill_pos), courses=frozenset(course_pos),
            postcodes=frozenset(place_pos),
            municipalities=frozenset(m.kommunekode for m in snapshot.memberships),
            educations={ed.code: ed.level for ed in snapshot.educations},
            level_ranks=rank,
            education_titles={ed.code: (ed.title_da, ed.title_en or ed.title_da)
                              for ed in snapshot.educations}),
        skills=skills, skill_pos=skill_pos, occupations=occupations,
        occupation_pos=occupation_pos, courses=courses, course_pos=course_pos,
        education_rank=rank, education_status={lv.code: lv.skill_status for lv in levels},
        education_status_by_rank={lv.rank: lv.skill_status for lv in levels},
        eud_rank=eud_rank,
        educations=educations,
        skill_certificate=np.array([s.kind == CERTIFICATE for s in skills], dtype=np.bool_),
        skill_transversal=np.array([s.kind == TRANSVERSAL for s in skills], dtype=np.bool_),
        occupation_regulated=np.array([o.regulated for o in occupations], dtype=np.bool_),
        occupation_unskilled=np.array([status_of.get(o.min_education_level or "", "ufaglaert")
                                       == "ufaglaert" for o in occupations], dtype=np.bool_),
        occupation_vocational=np.array([status_of.get(o.min_education_level or "") == "faglaert"
                                        for o in occupations], dtype=np.bool_),
        idf=idf, essential=essential, optional=optional,
        occupation_min_rank=np.array([rank.get(o.min_education_level or "", 0)
                                      for o in occupations], dtype=np.int64),
        course_skills=course_skills, course_prereqs=course_prereqs, course_links=course_links,
        skill_course_count=taught,
        skill_order=np.argsort(np.lexsort((np.arange(n_skill), -idf, -taught))).astype(np.int64),
        course_days=np.array([c.duration_days for c in courses], dtype=np.float64),
        course_schedule=np.array([SCHEDULE_CODES.get(c.schedule or "day", 0) for c in courses],
                                 dtype=np.int64),
        course_online=np.array([c.delivery == "online" for c in courses], dtype=np.bool_),
        course_min_rank=np.array([rank.get(c.min_education_level or "", 0) for c in courses],
                                 dtype=np.int64),
        course_adult_route=np.array([c.kind in ("euv", "voksenlaerling") for c in courses],
                                    dtype=np.bool_),
        # With educations in the catalogue, a route is a course that leads to one (an EUD
        # single subject is an ordinary course); without them, every EUD/EUV/voksenlærling.
        course_route=course_route,
        course_assessment=course_assessment,
        course_whole=course_whole,
        link_whole=course_whole[course_links.rows],
        assessments_of=_assessments_of(courses, course_links),
        route_targets=_sparse([sorted(set(course_links.of(c).tolist()) | {
            occupation_pos[o] for o in (educations[course.education].qualifies
                                        if course.education in educations else ())
            if o in occupation_pos}) for c, course in enumerate(courses)]),
        route_preference=np.array([ROUTE_KINDS.index(c.kind) if c.kind in ROUTE_KINDS
                                   else len(ROUTE_KINDS) for c in courses], dtype=np.int64),
        session_ptr=session_ptr, session_course=session_course,
        session_start=np.array([s.start.toordinal() for s in sessions], dtype=np.int64),
        session_end=np.array([s.end.toordinal() for s in sessions], dtype=np.int64),
        session_place=session_place,
        session_open=np.array([s.status == "open" for s in sessions], dtype=np.bool_),
        session_online=np.array([courses[course_pos[s.course]].delivery == "online"
                                 for s in sessions], dtype=np.bool_),
        multi_place=_multi_place(session_course, session_place),
        session_codes=tuple(s.code for s in sessions),
        session_postcodes=tuple(s.postcode or courses[course_pos[s.course]].provider_postcode
                                for s in sessions),
        place_pos=place_pos,
        place_names={p.postcode: p.name for p in places},
        place_kommune={p.postcode: p.kommunekode for p in places if p.kommunekode is not None},
        place_lat=np.radians(np.array([p.lat for p in places], dtype=np.float64)),
        place_lon=np.radians(np.array([p.lon for p in places], dtype=np.float64)),
        shortages={key: tuple(row) for key, row in shortages.items()},
        periods=tuple(sorted({period for _, period in shortages})),
        positive={code: tuple(entries) for code, entries in positive.items()},
        list_horizon=_list_horizons(snapshot.positive_lists),
        rates={key: tuple(values) for key, values in rates.items()},
        rules={scheme: tuple(values) for scheme, values in rules.items()},
        memberships={code: tuple(values) for code, values in memberships.items()},
        adjacency={code: frozenset(values) for code, values in adjacency.items()},
        rar_names=dict(snapshot.rar_names),
    )


def _assessments_of(courses: tuple[Course, ...], links: Sparse) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = defaultdict(list)
    for c, course in enumerate(courses):
        if course.kind in ASSESSMENT_KINDS:
            for occupation in links.of(c).tolist():
                found[occupation].append(c)
    return {occupation: tuple(found_courses) for occupation, found_courses in found.items()}


def _positive(entries: tuple[PositiveListEntry, ...],
              courses: tuple[Course, ...]) -> dict[str, list[PositiveListEntry]]:
    """Per course code its entries: its own, and those of its official course (any provider)."""
    by_official: dict[str, list[str]] = defaultdict(list)
    for course in courses:
        if course.official_code:
            by_official[course.official_code].append(course.code)
    positive: dict[str, list[PositiveListEntry]] = defaultdict(list)
    for entry in entries:
        codes = set(by_official.get(entry.official_code or "", ()))
        if entry.course:
            codes.add(entry.course)
        for code in sorted(codes):
            positive[code].append(entry)
    return positive


def _list_horizons(entries: tuple[PositiveListEntry, ...]) -> dict[str, date]:
    """Per positive list, the last day covered, when every entry of it has an end date."""
    ends: dict[str, list[date | None]] = defaultdict(list)
    for entry in entries:
        ends[entry.list].append(entry.valid_to)
    return {name: max(d for d in days if d is not None) for name, days in ends.items()
            if all(d is not None for d in days)}


def _multi_place(session_course: Ints, session_place: Ints) -> Ints:
    """Positions of the sessions whose course is taught at several places."""
    if session_course.size == 0:
        return np.zeros(0, dtype=np.int64)
    places = np.zeros((int(session_course.max()) + 1, 2), dtype=np.int64)
    places[:, 0], places[:, 1] = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    np.minimum.at(places[:, 0], session_course, session_place)
    np.maximum.at(places[:, 1], session_course, session_place)
    several = places[:, 0] != places[:, 1]
    result: Ints = np.flatnonzero(several[session_course])
    return result


EARTH_KM = 6371.0


def distances_from(index: CatalogIndex, postcode: str | None) -> Floats:
    """Great-circle km from postcode to every place; NaN where the origin is unknown."""
    pos = index.place_pos.get(postcode or "")
    if pos is None:
        return np.full(len(index.place_lat), math.nan)
    lat0, lon0 = index.place_lat[pos], index.place_lon[pos]
    a = (np.sin((index.place_lat - lat0) / 2) ** 2
         + math.cos(lat0) * np.cos(index.place_lat) * np.sin((index.place_lon - lon0) / 2) ** 2)
    result: Floats = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return result
