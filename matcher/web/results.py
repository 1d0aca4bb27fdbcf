"""The results page and "Mine muligheder": the match, filtered, in words a citizen reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matcher.data.matching import check_profile, current_index, match_profile, today_from
from matcher.engine.index import CatalogIndex
from matcher.engine.model import CourseMatch, Funding, MatchResult, Path, Reason
from matcher.engine.profile import ProfileInvalid
from matcher.web.forms import SCHEDULE_CHOICES
from matcher.web.journey import STEPS, Answers, write_answers
from matcher.web.presenters import chosen, course_label, english, occupation_label, skill_label
from matcher.web.steps import Outcome, render_step, show

SCHEME_NAMES = {
    "seks_uger": _l("Seks ugers jobrettet uddannelse"),
    "regional_pulje": _l("Regional uddannelsespulje"),
    "veu": _l("VEU-godtgørelse"),
    "befordring": _l("Befordringstilskud"),
    "amu_fee": _l("AMU-deltagerbetaling"),
    "uddannelsesloeft": _l("Uddannelsesløft"),
    "voksenlaerling": _l("Voksenlærling"),
}
KIND_NAMES = {
    "amu": _l("AMU-kursus"), "akademi": _l("Akademimodul"), "diplom": _l("Diplommodul"),
    "eud": _l("Erhvervsuddannelse"), "euv": _l("Erhvervsuddannelse for voksne (EUV)"),
    "voksenlaerling": _l("Voksenlærling"), "ikv": _l("Kompetencevurdering (IKV)"),
    "other": _l("Kursus"),
}
SHORTAGE_NAMES = {
    "omfattende_mangel": _l("Omfattende mangel på arbejdskraft"),
    "mangel": _l("Mangel på arbejdskraft"), "paradoks": _l("Paradoksproblemer"),
    "gode": _l("Gode jobmuligheder"), "mindre_gode": _l("Mindre gode jobmuligheder"),
}
FIELD_STEP = {"status": "situation", "benefit": "situation", "unemployed_weeks": "situation",
              "age": "situation", "education_level": "education", "has_eud": "education",
              "education_outdated": "education", "occupations": "experience",
              "skills": "experience", "completed_courses": "experience"}
# Schemes that pay for the course or the person's time, as opposed to a reduced fee.
PAYING = ("seks_uger", "regional_pulje", "veu", "uddannelsesloeft", "voksenlaerling")


@dataclass
class Filters:
    only_funded: bool = False


@dataclass
class Page:
    answers: Answers
    result: MatchResult
    filters: Filters
    marked: set[str] = field(default_factory=set)
    errors: list[tuple[str, str]] = field(default_factory=list)


def text(reason: Reason) -> str:
    return reason.en if english() else reason.da


def funded(funding: tuple[Funding, ...], cost: float) -> bool:
    return cost == 0 or any(f.scheme in PAYING and f.eligible is True for f in funding)


def first_bad_step(invalid: ProfileInvalid) -> str:
    for error in invalid.errors:
        name = error.field.split("[")[0].split(".")[0]
        return FIELD_STEP.get(name, "limits")
    return STEPS[0]


def matched(answers: Answers) -> MatchResult | Outcome:
    """The match for these answers, or the step to fix when they do not make a profile."""
    try:
        profile = check_profile(answers)
    except ProfileInvalid as invalid:
        outcome = show(first_bad_step(invalid), answers)
        outcome.errors = [("main-content", e.en if english() else e.da) for e in invalid.errors]
        return outcome
    return match_profile(profile, today=today_from(None), limit=10)


def page_context(page: Page) -> dict[str, Any]:
    index = current_index()
    result = page.result
    courses = [c for c in result.courses
               if not page.filters.only_funded or funded(c.funding, c.cost_dkk)]
    paths = [p for p in result.paths
             if not page.filters.only_funded or all(funded(s.funding, s.cost_dkk) for s in p.steps)]
    words = _words()
    return {
        "page": page, "result": result, "answers_json": write_answers(page.answers),
        "occupations": [_occupation(index, o, words) for o in result.occupations],
        "courses": [_course(index, c, words) for c in courses],
        "near_misses": [{"code": n.code, "title": course_label(index, n.code),
                         "reason": text(n.reasons[0])} for n in result.near_misses],
        "paths": [_path(index, p, words) for p in paths],
        "chosen": chosen(index, page.answers),
        "schedule_choices": SCHEDULE_CHOICES,
        "area_name": index.rar_names.get(result.area or "", result.area or ""),
    }


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, str | None]]:
    return [{"text": text(r), "source": r.source, "period": r.period} for r in reasons]


def _answer(eligible: bool | str) -> str:
    return str(_("ja") if eligible is True else _("nej") if eligible is False else _("måske"))


def _funding(funding: tuple[Funding, ...], words: dict[str, str]) -> list[dict[str, Any]]:
    return [{"scheme": f.scheme, "name": words[f.scheme], "eligible": f.eligible,
             "answer": words[repr(f.eligible)], "reasons": _reasons(f.reasons),
             "amount": f.amount_dkk} for f in funding]


def _words() -> dict[str, str]:
    """The labels a page repeats, translated once per page (gettext is not free)."""
    words = {key: str(value) for table in (SCHEME_NAMES, KIND_NAMES, SHORTAGE_NAMES)
             for key, value in table.items()}
    words.update({"True": _answer(True), "False": _answer(False), "'maybe'": _answer("maybe")})
    for choice in SCHEDULE_CHOICES:
        words["schedule:" + choice.value] = str(choice.label)
    return words


def _occupation(index: CatalogIndex, o: Any, words: dict[str, str]) -> dict[str, Any]:
    return {"code": o.code, "title": occupation_label(index, o.code),
            "shortage": o.shortage, "shortage_name": words.get(o.shortage or "", ""),
            "period": o.period, "percent": round(o.proximity * 100), "score": round(o.score),
            "missing": [skill_label(index, s) for s in o.missing_skills],
            "needs_education": o.needs_route, "reasons": _reasons(o.reasons)}


def _place(index: CatalogIndex, postcode: str | None) -> str:
    if not postcode:
        return str(_("Online"))
    name = index.place_names.get(postcode)
    return f"{postcode} {name}" if name else postcode


def _course(index: CatalogIndex, c: CourseMatch, words: dict[str, str]) -> dict[str, Any]:
    course = index.courses[index.course_pos[c.code]]
    schedule = words["schedule:" + (course.schedule or "day")]
    return {"code": c.code, "title": course_label(index, c.code), "provider": c.provider,
            "kind": words.get(c.kind, c.kind), "score": round(c.score),
            "start": c.session.start if c.session else None,
            "end": c.session.end if c.session else None,
            "place": _place(index, c.session.postcode if c.session else None),
            "distance": c.distance_km, "schedule": str(schedule), "days": course.duration_days,
            "cost": c.cost_dkk, "funding": _funding(c.funding, words),
            "targets": [occupation_label(index, t) for t in c.targets[:3]],
            "reasons": _reasons(c.reasons), "demo": course.source == "demo"}


def _path(index: CatalogIndex, p: Path, words: dict[str, str]) -> dict[str, Any]:
    return {"target": p.target, "title": occupation_label(index, p.target),
            "total_days": p.total_days, "percent": round(p.covered_share * 100),
            "completion": p.completion_date, "cost": p.cost_dkk,
            "steps": [{"code": s.course, "title": course_label(index, s.course), "start": s.start,
                       "end": s.end, "days": s.days, "cost": s.cost_dkk,
                       "funding": _funding(s.funding, words)} for s in p.steps],
            "reasons": _reasons(p.reasons)}


DISTANCES = (10, 25, 50, 100, 200)
LENGTHS = ("5", "10", "30", "90")


def apply_filters(answers: Answers, form: Any) -> Answers:
    """The results page's filters change the answers they stand for (and nothing else)."""
    changed = dict(answers)
    distance = form.get("max_distance_km", "")
    if distance.isdigit() and int(distance) in DISTANCES:
        changed["max_distance_km"] = int(distance)
    schedule = [s for s in form.getlist("schedule") if s in {c.value for c in SCHEDULE_CHOICES}]
    if schedule:
        changed["schedule"] = schedule
    length = form.get("max_course_days")
    if length == "":
        changed.pop("max_course_days", None)
    elif length in LENGTHS:
        changed["max_course_days"] = int(length)
    return changed


def plan_context(answers: Answers, marked: set[str]) -> dict[str, Any] | None:
    """The marked courses and paths for "Mine muligheder", or None if nothing matches."""
    outcome = matched(answers)
    if isinstance(outcome, Outcome):
        return None
    context = page_context(Page(answers=answers, result=outcome, filters=Filters(),
                                marked=marked))
    context["courses"] = [c for c in context["courses"] if f"course:{c['code']}" in marked]
    context["paths"] = [p for p in context["paths"] if f"path:{p['target']}" in marked]
    return context


def render_results(answers: Answers, filters: Filters | None = None,
                   marked: set[str] | None = None,
                   errors: list[tuple[str, str]] | None = None) -> str:
    outcome = matched(answers)
    if isinstance(outcome, Outcome):
        return render_step(outcome)
    page = Page(answers=answers, result=outcome, filters=filters or Filters(),
                marked=marked or set(), errors=errors or [])
    return render_template("citizen/results.html", **page_context(page))
