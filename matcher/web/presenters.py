"""Labels for what the journey shows: codes from the engine turned into words to read."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import get_locale

from matcher.engine.index import CatalogIndex


def english() -> bool:
    """Whether this request is in English; asked often, so answered once per request."""
    if "english" not in g:
        g.english = str(get_locale()) == "en"
    return bool(g.english)


def skill_label(index: CatalogIndex, code: str) -> str:
    skill = index.skills[index.skill_pos[code]]
    return (skill.label_en or skill.label_da) if english() else skill.label_da


def occupation_label(index: CatalogIndex, code: str) -> str:
    occupation = index.occupations[index.occupation_pos[code]]
    return (occupation.title_en or occupation.title_da) if english() else occupation.title_da


def course_label(index: CatalogIndex, code: str) -> str:
    course = index.courses[index.course_pos[code]]
    return (course.title_en or course.title_da) if english() else course.title_da


def chosen(index: CatalogIndex, answers: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The items picked so far, as (code, label), skipping codes the catalogue lost."""
    return {
        "jobs": [(j["code"], occupation_label(index, j["code"]))
                 for j in answers.get("occupations", []) if j["code"] in index.occupation_pos],
        "skills": [(c, skill_label(index, c)) for c in answers.get("skills", [])
                   if c in index.skill_pos],
        "courses": [(c, course_label(index, c)) for c in answers.get("completed_courses", [])
                    if c in index.course_pos],
        "interests": [(c, occupation_label(index, c)) for c in answers.get("interests", [])
                      if c in index.occupation_pos],
    }
