"""The citizen journey's state: the answers, and the request that changes them.

The answers travel in an encrypted cookie in the person's browser (answer_cookie.py); each
step checks what was posted, merges it, and the browser is sent on to the next page. They
are read back as carefully as any posted text. Nothing is written to the database or the
logs, and "Slet mine svar" deletes the cookie (issue 4, privacy).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from matcher.engine.model import BENEFITS, SCHEDULES, STATUSES

STEPS = ("situation", "education", "experience", "limits")
MAX_ANSWERS = 20_000  # characters of JSON: far more than any honest journey needs
MAX_ITEMS = 30

Answers = dict[str, Any]


def read_answers(text: str | None) -> Answers:
    """The answers as JSON text (from the cookie), keeping only well-formed known values.

    The cookie is encrypted by the site, but a leaked key would let anyone write it, so
    every value is checked again: Python's json reads NaN, Infinity and 1e400 (an infinite
    float), which are not JSON and no answer, and "\\ud800" (a lone surrogate) or "\\u0000", which no page can
    show; such values are dropped here, and the profile check then asks for what is missing.
    """
    if not text or len(text) > MAX_ANSWERS:
        return {}
    try:
        raw = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        return {}
    if not isinstance(raw, dict):
        return {}
    answers: Answers = {}
    for key in ("status", "benefit", "education_level", "postcode"):
        if _text(raw.get(key), 40):
            answers[key] = raw[key]
    for key in ("age", "unemployed_weeks", "max_course_days", "start_within_weeks"):
        if isinstance(raw.get(key), int) and not isinstance(raw[key], bool):
            answers[key] = raw[key]
    if _number(raw.get("max_distance_km")):
        answers["max_distance_km"] = raw["max_distance_km"]
    for key in ("has_eud", "education_outdated"):
        if isinstance(raw.get(key), bool):
            answers[key] = raw[key]
    for key in ("skills", "completed_courses", "interests", "schedule", "educations"):
        items = raw.get(key)
        if isinstance(items, list):
            answers[key] = [i for i in items if _text(i, 80)][:MAX_ITEMS]
    jobs = raw.get("occupations")
    if isinstance(jobs, list):
        answers["occupations"] = [
            {"code": j["code"], "years": j["years"]} for j in jobs[:MAX_ITEMS]
            if isinstance(j, dict) and _text(j.get("code"), 80) and _number(j.get("years"))]
    if answers.get("status") not in STATUSES:
        answers.pop("status", None)
    if answers.get("benefit") not in BENEFITS:
        answers.pop("benefit", None)
    if "schedule" in answers:
        answers["schedule"] = [s for s in answers["schedule"] if s in SCHEDULES]
    return answers


def _no_constant(name: str) -> None:
    """NaN, Infinity and -Infinity read as "no answer" (None), which every check drops."""
    return None


def _finite(text: str) -> float | None:
    """A JSON number with a fraction or exponent; 1e400 overflows to infinity: no answer."""
    value = float(text)
    return value if math.isfinite(value) else None


def _number(value: object) -> bool:
    """A finite number (a whole number of any size is finite; math.isfinite overflows on it)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object, longest: int) -> bool:
    """A string a page can show: not too long, no NUL byte, no lone surrogate."""
    if not isinstance(value, str) or len(value) > longest or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def write_answers(answers: Answers) -> str:
    return json.dumps(answers, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class Step:
    """Where the journey is and what the person asked for on this request."""

    name: str
    answers: Answers
    action: str = ""
    argument: str = ""
    form: MultiDict[str, str] = field(default_factory=MultiDict)

    @property
    def number(self) -> int:
        return STEPS.index(self.name) + 1 if self.name in STEPS else len(STEPS) + 1

    @classmethod
    def from_form(cls, form: MultiDict[str, str], answers: Answers) -> Step:
        name = form.get("step", STEPS[0])
        if name not in STEPS:
            name = STEPS[0]
        action, _, argument = form.get("action", "next").partition(":")
        return cls(name=name, answers=answers, action=action,
                   argument=argument[:80], form=form)


def add_unique(items: list[str], code: str) -> list[str]:
    return items if code in items or len(items) >= MAX_ITEMS else [*items, code]
