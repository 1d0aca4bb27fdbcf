"""Typo-tolerant lookup of occupations, skills, courses and educations by their words.

Three cheap passes instead of one expensive scorer, so 30,000 labels answer in a few ms:
prefixes by binary search (typeahead), then an edit-distance ratio on the labels with their
words sorted (word order), then the same ratio on label beginnings (typos while typing).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matcher.engine.model import Course, Education, Occupation, Skill

__all__ = ["LookupIndex", "Suggestion", "build_lookup", "normalize", "suggest"]

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe",
                       "ä": "ae"})
FULL_CUTOFF = 70.0
HEAD_CUTOFF = 75.0
HEAD_LENGTHS = range(3, 16)
# Once the query is found as a word or a label's beginning (a score of 95 or more), fuzzy
# neighbours far below it are noise ("smed" offering Læge through "medical"); without such
# a hit the person has made a typo, and every fuzzy candidate stays.
CERTAIN = 95.0
NOISE_MARGIN = 12.0
KINDS = ("occupation", "skill", "course", "education")


def normalize(text: str) -> str:
    """Lower case, Danish letters spelt out (æ=ae, ø=oe, å=aa), punctuation as spaces."""
    folded = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str  # one of KINDS
    code: str
    label_da: str
    label_en: str | None
    matched: str  # the title, label or alias that matched
    score: float


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    label_da: str
    label_en: str | None
    text: str


@dataclass(frozen=True, slots=True)
class _KindIndex:
    entries: tuple[_Entry, ...]
    sorted_keys: tuple[str, ...]  # each label with its words sorted
    heads: dict[int, tuple[str, ...]]  # length -> each label's first characters
    prefixes: tuple[tuple[str, int, bool], ...]  # (whole label or a word, entry, whole?)


@dataclass(frozen=True, slots=True)
class LookupIndex:
    kinds: dict[str, _KindIndex]


def _kind_index(entries: list[_Entry]) -> _KindIndex:
    keys = [normalize(e.text) for e in entries]
    prefixes = sorted({(key, i, True) for i, key in enumerate(keys)}
                      | {(word, i, False) for i, key in enumerate(keys) for word in key.split()})
    return _KindIndex(entries=tuple(entries), sorted_keys=tuple(_sorted_words(k) for k in keys),
                      heads={n: tuple(k[:n] for k in keys) for n in HEAD_LENGTHS},
                      prefixes=tuple(prefixes))


def build_lookup(occupations: tuple[Occupation, ...], skills: tuple[Skill, ...],
                 courses: tuple[Course, ...] = (),
                 educations: tuple[Education, ...] = ()) -> LookupIndex:
    """Occupations, skills and educations by every label and alias; courses once per title."""
    occupation_entries = [_Entry(o.code, o.title_da, o.title_en, text) for o in occupations
                          for text in (o.title_da, o.title_en, *o.aliases_da, *o.aliases_en)
                          if text]
    education_entries = [_Entry(e.code, e.title_da, e.title_en, text) for e in educations
                         for text in (e.title_da, e.title_en, *e.aliases_da, *e.aliases_en)
                         if text]
    skill_entries = [_Entry(s.code, s.label_da, s.label_en, text) for s in skills
                     for text in (s.label_da, s.label_en, *s.aliases_da, *s.aliases_en) if text]
    first_of_title: dict[str, Course] = {}
    for course in sorted(courses, key=lambda c: c.code):
        first_of_title.setdefault(course.title_da, course)
    course_entries = [_Entry(c.code, c.title_da, c.title_en, text)
                      for c in first_of_title.values() for text in (c.title_da, c.title_en)
                      if text]
    return LookupIndex(kinds={"occupation": _kind_index(occupation_entries),
                              "skill": _kind_index(skill_entries),
                              "course": _kind_index(course_entries),
                              "education": _kind_index(education_entries)})


def _matches(index: _KindIndex, query: str, wanted: int) -> dict[int, float]:
    """Entry -> score for one kind."""
    found: dict[int, float] = {}
    start = bisect_left(index.prefixes, (query, -1, False))
    for text, entry, whole in index.prefixes[start:start + 4 * wanted]:
        if not text.startswith(query):
            break
        # The whole label typed out, then labels it begins, then labels with such a word.
        score = 100.0 if whole and text == query else 98.0 if whole else 95.0
        found[entry] = max(found.get(entry, 0.0), score)
    for _, score, entry in process.extract(_sorted_words(query), index.sorted_keys,
                                           scorer=fuzz.ratio, limit=wanted,
                                           score_cutoff=FULL_CUTOFF):
        found[entry] = max(found.get(entry, 0.0), float(score))
    # A typo while typing: compare with label beginnings as long as the query and one longer.
    for length in (len(query), len(query) + 1):
        heads = index.heads.get(length)
        if not heads:
            continue
        for _, score, entry in process.extract(query, heads, scorer=fuzz.ratio, limit=wanted,
                                               score_cutoff=HEAD_CUTOFF):
            found[entry] = max(found.get(entry, 0.0), 0.95 * float(score))
    return found


def suggest(index: LookupIndex, query: str, *, kind: str | None = None,
            limit: int = 10) -> list[Suggestion]:
    """The best matches for query, one per code, best first (ties by kind, then code)."""
    wanted = normalize(query)
    if not wanted:
        return []
    best: dict[tuple[str, str], Suggestion] = {}
    for k in ([kind] if kind else ("occupation", "skill")):
        kind_index = index.kinds[k]
        for entry_position, score in _matches(kind_index, wanted, limit * 8).items():
            entry = kind_index.entries[entry_position]
            current = best.get((k, entry.code))
            if current is None or score > current.score:
                best[(k, entry.code)] = Suggestion(k, entry.code, entry.label_da, entry.label_en,
                                                   entry.text, score)
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.kind, s.code))
    if ranked and ranked[0].score >= CERTAIN:
        ranked = [s for s in ranked if s.score >= ranked[0].score - NOISE_MARGIN]
    return ranked[:limit]
