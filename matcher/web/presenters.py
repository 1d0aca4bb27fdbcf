"""Labels for what the journey shows: codes from the engine turned into words to read."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from matcher.data import reasons
from matcher.engine.index import CatalogIndex
from matcher.engine.model import CERTIFICATE, Skill


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
                   if c in index.skill_pos and not is_certificate(index, c)],
        "courses": [(c, course_label(index, c)) for c in answers.get("completed_courses", [])
                    if c in index.course_pos],
        "interests": [(c, occupation_label(index, c)) for c in answers.get("interests", [])
                      if c in index.occupation_pos],
        "educations": [(c, education_label(index, c)) for c in answers.get("educations", [])
                       if c in {e.code for e in index.snapshot.educations}],
    }


def education_label(index: CatalogIndex, code: str) -> str:
    """A specific education's title, or the code when the catalogue does not know it."""
    for education in index.snapshot.educations:
        if education.code == code:
            return (education.title_en or education.title_da) if english() else education.title_da
    return code


def level_label(index: CatalogIndex, code: str | None) -> str:
    """An education level's name in the reader's language ("" when unknown or not given)."""
    for level in index.snapshot.education_levels:
        if level.code == code:
            return level.name_en if english() else level.name_da
    return ""


def long_date(day: date | None) -> str:
    """A date as people write it, the same way as in the reasons' texts."""
    return reasons.long_date(day, str(get_locale())) if day else ""


def date_range(start: date, end: date) -> str:
    """From-to in the reader's language ("4.–7. december 2026")."""
    return reasons.date_range(start, end, str(get_locale()))


def is_certificate(index: CatalogIndex, code: str) -> bool:
    position = index.skill_pos.get(code)
    return position is not None and index.skills[position].kind == CERTIFICATE


def certificates(index: CatalogIndex) -> list[Skill]:
    """Licences and certificates: skills a person declares, never inferred (design.md §5a.7)."""
    return [skill for skill in index.skills if skill.kind == CERTIFICATE]


# Words in a certificate's code that place it in a group of the checklist, first match wins:
# driving licences first, as most people have one and look for it first.
CERTIFICATE_GROUPS = (
    ("driving", ("koerekort", "kompetencebevis", "adr_")),
    ("machines", ("truck", "kran", "teleskop", "personloefter", "motorsav", "sproejte", "lift")),
    ("other", ("",)),
)
CERTIFICATE_GROUP_NAMES = {
    "driving": _l("Kørekort og beviser til transport"),
    "machines": _l("Truck, kran og maskiner"),
    "other": _l("Andre certifikater og beviser"),
}


def certificate_groups(index: CatalogIndex) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The certificate checklist as (group, heading, [(code, label)]), labels sorted."""
    grouped: dict[str, list[tuple[str, str]]] = {group: [] for group, _ in CERTIFICATE_GROUPS}
    for skill in certificates(index):
        group = next(g for g, words in CERTIFICATE_GROUPS if any(w in skill.code for w in words))
        grouped[group].append((skill.code, skill_label(index, skill.code)))
    return [(group, str(CERTIFICATE_GROUP_NAMES[group]), sorted(items, key=lambda i: i[1]))
            for group, items in grouped.items() if items]
