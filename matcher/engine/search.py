"""Free-text course search for everyone: typo-tolerant words, filters, bookable sessions.

Every word typed must be found in a course's title, description, the skills it teaches or
the occupations it leads to. Short words must match exactly (or begin or end a word, as
Danish compounds do: "smed" finds "klejnsmed"); longer words may have a typo or two. A
score cut-off keeps weak matches (a typo found only in a description) out of the list.

A word found in the title the reader sees outranks one found only in the other language's
title, which outranks one found only in the skills, jobs or description, however good that
match: searching "truck" put "Betjening af el-stabler og palleløfter" (found by its English
title, "... pallet trucks", and its skills) level with "Truckcertifikat B", and ahead of it
by start date.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from matcher.engine.fields import PROFILE_FIELDS
from matcher.engine.funding import (
    MAYBE,
    SCHEMES_BY_KIND,
    WHOLE_EDUCATION,
    Situation,
    funding_for,
    is_whole_education,
)
from matcher.engine.index import SCHEDULE_CODES, CatalogIndex, distances_from
from matcher.engine.lookup import normalize
from matcher.engine.model import Course, Profile
from matcher.engine.profile import validate_profile

__all__ = ["CourseFilters", "CourseHit", "SearchIndex", "build_search", "may_be_paid",
           "month_bounds", "quick_profile", "schemes_for", "search_courses"]

SCORE_CUTOFF = 60.0  # below this a course is noise, not a hit
EXACT, PREFIX, SUFFIX = 100.0, 95.0, 90.0
TYPO, HEAD_TYPO = 85.0, 80.0  # one edit; each further edit costs 10
WORST = HEAD_TYPO - 10.0  # two edits, the most forgiven (_allowed_edits)
LANGUAGES = ("da", "en")
# Where in a course a word is found, best first. A word's score there is its match (WORST to
# EXACT) mapped into the place's band: the title bands lie above every other place's best
# score, so a title match always outranks the rest; the other places keep a weight, so the
# noise cut-off keeps its meaning.
OWN_TITLE, OTHER_TITLE, SKILL, OCCUPATION, DESCRIPTION = range(5)
PLACE_BANDS = ((95.5, 100.0), (91.0, 95.0), (0.9 * WORST, 90.0), (0.85 * WORST, 85.0),
               (0.75 * WORST, 75.0))
_SLOPES = np.array([(high - low) / (EXACT - WORST) for low, high in PLACE_BANDS])
_OFFSETS = np.array([low - slope * WORST for (low, _), slope in zip(PLACE_BANDS, _SLOPES,
                                                                     strict=True)])
# Words that say nothing about which course is meant; left out of the query.
STOP_WORDS = frozenset({
    "og", "i", "til", "for", "med", "af", "paa", "en", "et", "at", "som", "om", "det", "der",
    "the", "and", "of", "in", "to", "a", "an", "on", "kursus", "kurser", "kurset", "course",
    "courses"})


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Every normalised word of the courses' texts, and per word the courses that use it."""

    words: tuple[str, ...]  # sorted, unique
    reversed_words: tuple[tuple[str, int], ...]  # (word spelt backwards, position), sorted
    # Per word: the courses that use it and, per reader's language, the best place it is in
    # (OWN_TITLE ...), as arrays so a word found in thousands of courses is scored in one step.
    posting_courses: tuple[npt.NDArray[np.int64], ...]
    posting_places: Mapping[str, tuple[npt.NDArray[np.int8], ...]]
    course_kind: npt.NDArray[np.str_]  # per course position, for the kind filter
    heads: dict[int, tuple[str, ...]]  # words cut to n letters, filled as typed lengths come
    descriptions: dict[str, str]  # course code -> Danish description


@dataclass(frozen=True, slots=True)
class CourseFilters:
    """What a search may be narrowed to; the defaults narrow nothing."""

    kind: str | None = None
    postcode: str | None = None  # distances are measured from here
    max_distance_km: float | None = None  # needs postcode
    month: tuple[int, int] | None = None  # (year, month) the session starts in
    schedules: tuple[str, ...] = ()  # any of these (empty: all)
    online_only: bool = False


@dataclass(frozen=True, slots=True)
class CourseHit:
    """A course found, with its first session that passes the filters."""

    code: str
    score: float  # 0-100; 100 for every course when nothing was typed
    session: str  # session code
    start: date
    end: date
    postcode: str | None  # None online
    distance_km: float | None  # None online, or without a postcode to measure from
    may_pay: tuple[str, ...] | None = None  # schemes that may pay (None: nobody asked)


def _texts(course: Course, index: CatalogIndex) -> list[tuple[tuple[int, int], str]]:
    """((place for a Danish reader, for an English one), text) of everything a course can be
    found by, in Danish and English.

    A reader's own title is the one a page in their language shows: the Danish one when the
    course has no English title.
    """
    texts = [((OWN_TITLE, OTHER_TITLE if course.title_en else OWN_TITLE), course.title_da),
             ((OTHER_TITLE, OWN_TITLE), course.title_en or "")]
    for code in course.skills:
        position = index.skill_pos.get(code)
        if position is not None:
            skill = index.skills[position]
            texts += [((SKILL, SKILL), t) for t in (skill.label_da, skill.label_en or "",
                                                    *skill.aliases_da, *skill.aliases_en)]
    for code in course.occupations:
        position = index.occupation_pos.get(code)
        if position is not None:
            job = index.occupations[position]
            texts += [((OCCUPATION, OCCUPATION), t) for t in (
                job.title_da, job.title_en or "", *job.aliases_da, *job.aliases_en)]
    return texts


def build_search(index: CatalogIndex, descriptions: Mapping[str, str]) -> SearchIndex:
    """The word index of every course in index; descriptions by course code (may lack some)."""
    best: dict[str, dict[int, tuple[int, int]]] = {}  # word -> course -> best place (da, en)
    for position, course in enumerate(index.courses):
        texts = [*_texts(course, index),
                 ((DESCRIPTION, DESCRIPTION), descriptions.get(course.code, ""))]
        for (da, en), text in texts:
            for word in normalize(text).split():
                postings = best.setdefault(word, {})
                found = postings.get(position)
                postings[position] = (da, en) if found is None else (min(found[0], da),
                                                                     min(found[1], en))
    # Joined and split again, the words lie side by side in memory: the typo search scans
    # every one of them at each query, measurably faster so than scattered (normalize() never
    # leaves a newline in a word).
    words = tuple("\n".join(sorted(best)).split("\n")) if best else ()
    courses = [sorted(best[w]) for w in words]
    return SearchIndex(
        words=words,
        reversed_words=tuple(sorted((w[::-1], i) for i, w in enumerate(words))),
        posting_courses=tuple(np.array(c, dtype=np.int64) for c in courses),
        posting_places={lang: tuple(np.array([best[w][c][lang_pos] for c in cs], dtype=np.int8)
                                    for w, cs in zip(words, courses, strict=True))
                        for lang_pos, lang in enumerate(LANGUAGES)},
        course_kind=np.array([c.kind for c in index.courses], dtype=np.str_),
        heads={},
        descriptions={code: text for code, text in descriptions.items() if text})


def _allowed_edits(typed: int) -> int:
    """Typos forgiven in a word of typed letters: none in short words, where one edit makes
    another word ("smed" and "med"; "læger" and "lager", as æ is folded to "ae")."""
    return 0 if typed < 6 else 1 if typed < 10 else 2


def _query_words(query: str) -> list[tuple[str, int]]:
    """Each word typed, normalised, with how many letters it was typed with."""
    words: dict[str, int] = {}
    for token in re.split(r"[\W_]+", unicodedata.normalize("NFC", query)):
        for word in normalize(token).split():  # letters such as "ß" fold to a space
            if word not in STOP_WORDS:
                words.setdefault(word, len(token))
    return list(words.items())


def _word_matches(search: SearchIndex, word: str, typed: int) -> dict[int, float]:
    """Vocabulary position -> how well it matches one typed word (0-100)."""
    found: dict[int, float] = {}

    def add(position: int, score: float) -> None:
        found[position] = max(found.get(position, 0.0), score)

    start = bisect_left(search.words, word)
    if len(word) < 3:  # "b" in "Truckcertifikat B": the word itself only
        if start < len(search.words) and search.words[start] == word:
            add(start, EXACT)
        return found
    for position in range(start, len(search.words)):
        if not search.words[position].startswith(word):
            break
        add(position, EXACT if search.words[position] == word else PREFIX)
    if len(word) >= 4:  # Danish compounds end in their main word: "klejnsmed"
        backwards = word[::-1]
        at = bisect_left(search.reversed_words, (backwards, -1))
        for text, position in search.reversed_words[at:]:
            if not text.startswith(backwards):
                break
            add(position, EXACT if text == backwards else SUFFIX)
    edits = _allowed_edits(typed)
    if edits:
        for _, distance, position in process.extract(
                word, search.words, scorer=Levenshtein.distance, score_cutoff=edits,
                limit=None):
            if distance:
                add(position, TYPO - 10.0 * (distance - 1))
        heads = search.heads.get(len(word))
        if heads is None:
            heads = search.heads[len(word)] = tuple(w[:len(word)] for w in search.words)
        for _, distance, position in process.extract(
                word, heads, scorer=Levenshtein.distance, score_cutoff=edits, limit=None):
            if distance and len(search.words[position]) > len(word):
                add(position, HEAD_TYPO - 10.0 * (distance - 1))
    return found


def _text_scores(search: SearchIndex, query: str, n_courses: int,
                 lang: str) -> np.ndarray | None:
    """Per course the mean over typed words of its best match; None when nothing was typed."""
    words = _query_words(query)
    if not words:
        return None
    places = search.posting_places[lang]
    total = np.zeros(n_courses, dtype=np.float64)
    for word, typed in words:
        best = np.zeros(n_courses, dtype=np.float64)
        for position, score in _word_matches(search, word, typed).items():
            in_place = _OFFSETS + _SLOPES * score  # this match's score in each place
            np.maximum.at(best, search.posting_courses[position], in_place[places[position]])
        total = np.where(best > 0, total + best, -math.inf)  # every word must be found
    scores: np.ndarray = total / len(words)
    return scores


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def _session_mask(index: CatalogIndex, search: SearchIndex, filters: CourseFilters,
                  first_day: date, km: np.ndarray) -> np.ndarray:
    """Sessions that can be booked and pass every filter."""
    n_courses = len(index.courses)
    course_ok = np.ones(n_courses, dtype=np.bool_)
    if filters.kind:
        course_ok &= search.course_kind == filters.kind
    if filters.schedules:
        allowed = np.zeros(len(SCHEDULE_CODES), dtype=np.bool_)
        for name in filters.schedules:
            allowed[SCHEDULE_CODES[name]] = True
        course_ok &= allowed[index.course_schedule]
    if filters.online_only:
        course_ok &= index.course_online
    mask: np.ndarray = (course_ok[index.session_course] & index.session_open
                        & (index.session_start >= first_day.toordinal()))
    if filters.month:
        start, end = month_bounds(*filters.month)
        mask &= ((index.session_start >= start.toordinal())
                 & (index.session_start <= end.toordinal()))
    if filters.max_distance_km is not None:
        mask &= ~(km > filters.max_distance_km)  # unknown (online) distance never excludes
    return mask


def search_courses(index: CatalogIndex, search: SearchIndex, query: str, *,
                   first_day: date, filters: CourseFilters = CourseFilters(),
                   lang: str = "da", score_cutoff: float = SCORE_CUTOFF) -> list[CourseHit]:
    """Courses matching query with a session from first_day passing filters, best first.

    lang is the reader's, whose title counts most. Ties (and every course, when nothing was
    typed) go by first start, title, then code.
    """
    n_courses = len(index.courses)
    if filters.postcode:
        km = distances_from(index, filters.postcode)[index.session_place]
        km[(index.session_place < 0) | index.session_online] = math.nan
    else:
        km = np.full(len(index.session_start), math.nan)
    mask = _session_mask(index, search, filters, first_day, km)
    scores = _text_scores(search, query, n_courses, lang)
    if scores is not None:
        mask &= scores[index.session_course] >= score_cutoff
    hits: list[CourseHit] = []
    seen: set[int] = set()
    for s in np.flatnonzero(mask).tolist():  # sessions are stored by course, then start
        c = int(index.session_course[s])
        if c in seen:
            continue
        seen.add(c)
        distance = float(km[s])
        hits.append(CourseHit(
            code=index.courses[c].code,
            score=round(float(scores[c]), 1) if scores is not None else 100.0,
            session=index.session_codes[s],
            start=date.fromordinal(int(index.session_start[s])),
            end=date.fromordinal(int(index.session_end[s])),
            postcode=None if index.session_online[s] else index.session_postcodes[s],
            distance_km=None if math.isnan(distance) else round(distance, 1)))
    titles = {hit.code: index.courses[index.course_pos[hit.code]].title_da for hit in hits}
    return sorted(hits, key=lambda h: (-h.score, h.start, titles[h.code], h.code))


def schemes_for(course: Course, index: CatalogIndex) -> tuple[str, ...]:
    """The funding schemes that may apply to this kind of course, for anyone.

    The same choice as funding.funding_for; the positive-list schemes only when the
    course is on such a list at all. Who qualifies is a personal answer (the journey's).
    """
    schemes = (WHOLE_EDUCATION if course.kind == "eud" and is_whole_education(course)
               else SCHEMES_BY_KIND.get(course.kind, ()))
    listed = {entry.list for entry in index.positive.get(course.code, ())}
    return tuple(s for s in schemes
                 if s not in ("seks_uger", "regional_pulje") or s in listed)


# --- "may be paid for me": a few quick answers instead of the whole journey (issue 11.4) ------

# Every age limit in the funding rules is a lower one (domain.md §2-§5), so the oldest age a
# profile may have keeps every scheme some age could get: age is not asked, so it must not
# exclude anyone.
_OLDEST = next(int(f.maximum or 0) for f in PROFILE_FIELDS if f.name == "age")


def quick_profile(index: CatalogIndex, status: str, *, benefit: str | None = None,
                  education_level: str | None = None) -> Profile:
    """The profile the course search's quick answers describe, checked like any profile.

    What is not asked is taken in the person's favour, so that the funding answer is at
    worst "maybe": the oldest age, and without an education the catalogue's lowest level
    (the rules only ever refuse people for having more education). Raises ProfileInvalid on
    impossible combinations (ledighedsydelse without fleksjob), naming the field.
    """
    lowest = min(index.education_rank, key=lambda code: (index.education_rank[code], code),
                 default="")
    return validate_profile({"status": status, "benefit": benefit, "age": _OLDEST,
                             "education_level": education_level or lowest}, index.vocabulary)


def may_be_paid(index: CatalogIndex, hits: list[CourseHit], profile: Profile, *, today: date,
                rar_code: str | None) -> list[CourseHit]:
    """The hits some scheme may pay (or pay towards) for profile, each naming those schemes.

    funding.funding_for answers for the hit's session and distance, as in the matching;
    a scheme counts when it answers yes or "maybe". The order of hits is kept.
    """
    kept = []
    for hit in hits:
        course = index.courses[index.course_pos[hit.code]]
        situation = Situation(today, hit.start, hit.end, hit.distance_km, rar_code)
        schemes = tuple(answer.scheme for answer in funding_for(profile, course, situation, index)
                        if answer.eligible is True or answer.eligible == MAYBE)
        if schemes:  # a new hit, not dataclasses.replace: this runs for every hit
            kept.append(CourseHit(hit.code, hit.score, hit.session, hit.start, hit.end,
                                  hit.postcode, hit.distance_km, may_pay=schemes))
    return kept
