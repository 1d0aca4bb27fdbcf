"""The citizen journey's state: the answers travel in the form, never in a store or cookie.

Each step posts every earlier answer back as one hidden JSON field; the server checks the
current step, merges it, and renders the next. Nothing is written to the database or the
logs, and "Slet mine svar" simply drops the form (issue 4, privacy).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from matcher.engine.model import BENEFITS, SCHEDULES, STATUSES

STEPS = ("situation", "education", "experience", "limits")
MAX_ANSWERS = 20_000  # characters of JSON: far more than any honest journey needs
MAX_ITEMS = 30

Answers = dict[str, Any]


def read_answers(text: str | None) -> Answers:
    """The answers carried in the form, keeping only well-formed known values."""
    if not text or len(text) > MAX_ANSWERS:
        return {}
    try:
        raw = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    answers: Answers = {}
    for key in ("status", "benefit", "education_level", "postcode"):
        if isinstance(raw.get(key), str) and len(raw[key]) <= 40:
            answers[key] = raw[key]
    for key in ("age", "unemployed_weeks", "max_course_days", "start_within_weeks"):
        if isinstance(raw.get(key), int) and not isinstance(raw[key], bool):
            answers[key] = raw[key]
    if isinstance(raw.get("max_distance_km"), int | float) \
            and not isinstance(raw["max_distance_km"], bool):
        answers["max_distance_km"] = raw["max_distance_km"]
    for key in ("has_eud", "education_outdated"):
        if isinstance(raw.get(key), bool):
            answers[key] = raw[key]
    for key in ("skills", "completed_courses", "interests", "schedule", "educations"):
        items = raw.get(key)
        if isinstance(items, list):
            answers[key] = [i for i in items if isinstance(i, str) and len(i) <= 80][:MAX_ITEMS]
    jobs = raw.get("occupations")
    if isinstance(jobs, list):
        answers["occupations"] = [
            {"code": j["code"], "years": j["years"]} for j in jobs[:MAX_ITEMS]
            if isinstance(j, dict) and isinstance(j.get("code"), str) and len(j["code"]) <= 80
            and isinstance(j.get("years"), int | float) and not isinstance(j["years"], bool)]
    if answers.get("status") not in STATUSES:
        answers.pop("status", None)
    if answers.get("benefit") not in BENEFITS:
        answers.pop("benefit", None)
    if "schedule" in answers:
        answers["schedule"] = [s for s in answers["schedule"] if s in SCHEDULES]
    return answers


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
    def from_form(cls, form: MultiDict[str, str]) -> Step:
        name = form.get("step", STEPS[0])
        if name not in STEPS:
            name = STEPS[0]
        action, _, argument = form.get("action", "next").partition(":")
        return cls(name=name, answers=read_answers(form.get("answers")), action=action,
                   argument=argument[:80], form=form)


def add_unique(items: list[str], code: str) -> list[str]:
    return items if code in items or len(items) >= MAX_ITEMS else [*items, code]
