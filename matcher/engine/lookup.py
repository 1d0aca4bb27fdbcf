"""Typo-tolerant lookup of occupations and skills by their Danish and English words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matcher.engine.model import Occupation, Skill

__all__ = ["LookupIndex", "Suggestion", "build_lookup", "normalize", "suggest"]

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe",
                       "ä": "ae"})
MIN_SCORE = 60.0


def normalize(text: str) -> str:
    """Lower case, Danish letters spelt out (æ=ae, ø=oe, å=aa), punctuation as spaces."""
    folded = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    folded = re.sub(r"[^a-z0-9]+", " ", folded)
    return " ".join(folded.split())


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str  # "occupation" or "skill"
    code: str
    label_da: str
    label_en: str | None
    matched: str  # the title, label or alias that matched
    score: float


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    code: str
    label_da: str
    label_en: str | None
    text: str


@dataclass(frozen=True, slots=True)
class LookupIndex:
    keys: dict[str, tuple[str, ...]]  # kind -> normalized texts
    entries: dict[str, tuple[_Entry, ...]]


def build_lookup(occupations: tuple[Occupation, ...], skills: tuple[Skill, ...]) -> LookupIndex:
    found: dict[str, list[_Entry]] = {"occupation": [], "skill": []}
    for o in occupations:
        for text in (o.title_da, o.title_en or "", *o.aliases_da, *o.aliases_en):
            if text:
                found["occupation"].append(_Entry("occupation", o.code, o.title_da, o.title_en,
                                                  text))
    for s in skills:
        for text in (s.label_da, s.label_en or "", *s.aliases_da, *s.aliases_en):
            if text:
                found["skill"].append(_Entry("skill", s.code, s.label_da, s.label_en, text))
    return LookupIndex(keys={k: tuple(normalize(e.text) for e in v) for k, v in found.items()},
                       entries={k: tuple(v) for k, v in found.items()})


def _boost(query: str, key: str, score: float) -> float:
    """Typeahead: a label that starts with the query, or has a word that does, comes first."""
    if key.startswith(query):
        return 100.0
    if any(word.startswith(query) for word in key.split()):
        return max(score, 95.0)
    return score


def suggest(index: LookupIndex, query: str, *, kind: str | None = None,
            limit: int = 10) -> list[Suggestion]:
    """The best matches for query, one per code, best first (ties by code)."""
    wanted = normalize(query)
    if not wanted:
        return []
    best: dict[tuple[str, str], Suggestion] = {}
    for k in ([kind] if kind else ["occupation", "skill"]):
        keys = index.keys.get(k, ())
        for key, raw, position in process.extract(wanted, keys, scorer=fuzz.WRatio,
                                                  limit=limit * 8, score_cutoff=MIN_SCORE):
            entry = index.entries[k][position]
            score = _boost(wanted, key, float(raw))
            current = best.get((k, entry.code))
            if current is None or score > current.score:
                best[(k, entry.code)] = Suggestion(k, entry.code, entry.label_da, entry.label_en,
                                                   entry.text, float(score))
    ordered = sorted(best.values(), key=lambda s: (-s.score, s.kind, s.code))
    return ordered[:limit]
