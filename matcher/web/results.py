"""The results page and "Mine muligheder": the match, filtered, in words a citizen reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matcher.data.appearances import count_shown
from matcher.data.db import get_engine
from matcher.data.matching import check_profile, current_index, match_profile, today_from
from matcher.data.reasons import render
from matcher.engine.index import CatalogIndex
from matcher.engine.model import (
    Asked,
    CourseMatch,
    Funding,
    MatchResult,
    OccupationMatch,
    Path,
    Reason,
    Route,
    SessionChoice,
)
from matcher.engine.profile import ProfileError, ProfileInvalid
from matcher.web.forms import SCHEDULE_CHOICES
from matcher.web.i18n import money
from matcher.web.journey import STEPS, Answers
from matcher.web.presenters import (
    chosen,
    course_label,
    date_range,
    education_label,
    english,
    is_certificate,
    level_label,
    long_date,
    occupation_label,
    skill_label,
)
from matcher.web.steps import Outcome, render_step, show

SCHEME_NAMES = {
    "seks_uger": _l("Seks ugers jobrettet uddannelse"),
    "regional_pulje": _l("Regional uddannelsespulje"),
    "veu": _l("VEU-godtgørelse"),
    "befordring": _l("Befordringstilskud"),
    "amu_fee": _l("AMU-deltagerbetaling"),
    "uddannelsesloeft": _l("Uddannelsesløft"),
    "voksenlaerling": _l("Voksenlærling"),
    "svu": _l("SVU (Statens Voksenuddannelsesstøtte)"),
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
ASKED_STATUS_NAMES = {
    "open": _l("Åbent for dig nu"),
    "needs_route": _l("Kræver en uddannelse"),
    "out_of_reach": _l("Ikke muligt via kataloget"),
}
ASKED_BADGES = {"open": "badge-success", "needs_route": "badge-warning",
                "out_of_reach": "badge-error"}
TRACK_NAMES = {"euv1": _l("EUV1: for dig med mindst 2 års relevant erhvervserfaring (kortest)"),
               "euv2": _l("EUV2: for dig med under 2 års relevant erfaring eller en relevant "
                          "uddannelse"),
               "euv3": _l("EUV3: for dig uden relevant erfaring (længst)")}
# Where a profile field is answered in the journey: (step, id of the field on that step).
FIELD_PLACES = {
    "status": ("situation", "status"), "benefit": ("situation", "benefit"),
    "unemployed_weeks": ("situation", "unemployed_weeks"), "age": ("situation", "age"),
    "education_level": ("education", "education_level"),
    "has_eud": ("education", "has_eud"), "education_outdated": ("education", "education_outdated"),
    "educations": ("education", "education-query"),
    "occupations": ("experience", "job-query"), "skills": ("experience", "skill-query"),
    "completed_courses": ("experience", "course-query"),
    "postcode": ("limits", "postcode"), "kommunekode": ("limits", "postcode"),
    "max_distance_km": ("limits", "max_distance_km"), "schedule": ("limits", "schedule"),
    "max_course_days": ("limits", "max_course_days"),
    "start_within_weeks": ("limits", "start_within_weeks"),
    "interests": ("limits", "interest-query"),
}
LIST_NAMES = {
    "educations": _l("Uddannelser du har taget"), "occupations": _l("Job du har haft"),
    "skills": _l("Det du kan"), "completed_courses": _l("Kurser du har taget"),
    "interests": _l("Job du er nysgerrig på"),
}
# Schemes that pay for the course or the person's time, as opposed to a reduced fee.
PAYING = ("seks_uger", "regional_pulje", "veu", "uddannelsesloeft", "voksenlaerling")


# Course cards shown in full on the results page; the rest are folded behind one click, so a
# phone is not scrolled through twenty cards (the summary's three best are always in full).
COURSES_IN_FULL = 6

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
    """Every reason on a page is written here, through the reasons' translation catalogue."""
    return render(reason, str(get_locale()))


def cost_line(cost: float, funding: tuple[Funding, ...], words: dict[str, str]) -> str:
    """What the course costs this person and who pays, said once on the card (issue 9).

    The funding details below the card explain why; this line never contradicts them.
    """
    answers = {f.scheme: f.eligible for f in funding}
    granted = next((s for s in ("seks_uger", "regional_pulje") if answers.get(s) is True), None)
    if granted:
        return _("0 kr. Jobcentret betaler kurset (%(scheme)s).", scheme=words[granted])
    if cost == 0:
        return _("0 kr. Det koster ikke noget for dig.")
    amount = format_decimal(round(cost))
    if answers.get("amu_fee") is True:
        line = _("%(amount)s kr. i deltagerbetaling, som du eller din arbejdsgiver betaler.",
                 amount=amount)
    elif answers.get("amu_fee") is False:
        line = _("%(amount)s kr. Du er uden for AMU-målgruppen og betaler fuld pris.",
                 amount=amount)
    else:
        line = _("%(amount)s kr., som du eller din arbejdsgiver betaler.", amount=amount)
    maybe = next((s for s in ("seks_uger", "regional_pulje") if answers.get(s) == "maybe"), None)
    if maybe:
        line += " " + _("Bevilger jobcentret kurset (%(scheme)s), betaler jobcentret.",
                        scheme=words[maybe])
    return str(line)


def price_short(cost: float, funding: tuple[Funding, ...]) -> str:
    """The cost line in a few words, for the summary; it says what cost_line says."""
    answers = {f.scheme: f.eligible for f in funding}
    if any(answers.get(s) is True for s in ("seks_uger", "regional_pulje")):
        return str(_("jobcentret betaler"))
    if cost == 0:
        return str(_("gratis for dig"))
    if any(answers.get(s) == "maybe" for s in ("seks_uger", "regional_pulje")):
        return str(_("%(amount)s for dig, måske betaler jobcentret", amount=money(cost)))
    return str(_("%(amount)s for dig", amount=money(cost)))


def funded(funding: tuple[Funding, ...], cost: float) -> bool:
    return cost == 0 or any(f.scheme in PAYING and f.eligible is True for f in funding)


def place_of(error: ProfileError, answers: Answers) -> tuple[str, str]:
    """The step and field where the person gives the answer an error is about."""
    name = error.field.split("[")[0].split(".")[0]
    if name == "skills":  # a certificate is ticked on the education step, a skill searched
        position = error.field[len("skills["):].split("]")[0]
        items = answers.get("skills", [])
        if position.isdigit() and int(position) < len(items) \
                and is_certificate(current_index(), items[int(position)]):
            return "education", "certificates-1"
    return FIELD_PLACES.get(name, (STEPS[0], "main-content"))


def _message(error: ProfileError, label: str) -> str:
    """The check's message as a sentence: a bare phrase ("skal udfyldes") gets its field."""
    message = error.en if english() else error.da
    if message[:1].isupper():
        return message
    if label.endswith("?"):  # "Hvor gammel er du? Skal udfyldes"
        return f"{label} {message[:1].upper()}{message[1:]}"
    return f"{label}: {message}"


def _with_field_errors(invalid: ProfileInvalid, answers: Answers) -> Outcome:
    """The first step with a problem, each message on its own field (issue item 3)."""
    places = [(error, *place_of(error, answers)) for error in invalid.errors]
    step = places[0][1] if places else STEPS[0]
    outcome = show(step, answers)
    main = outcome.forms.get("main")
    for error, error_step, field_id in places:
        if error_step != step:
            continue
        name = error.field.split("[")[0].split(".")[0]
        field = main[name] if main is not None and name in main else None
        if field_id == "certificates-1" and main is not None:
            field = main["certificates"]
        label = str(field.label.text) if field is not None else str(LIST_NAMES.get(name, name))
        message = _message(error, label)
        if field is not None:
            field.errors = [*field.errors, message]
        outcome.errors.append((field_id, message))
    return outcome


def matched(answers: Answers) -> MatchResult | Outcome:
    """The match for these answers, or the step to fix when they do not make a profile."""
    try:
        profile = check_profile(answers)
    except ProfileInvalid as invalid:
        return _with_field_errors(invalid, answers)
    return match_profile(profile, today=today_from(None), limit=10)


def page_context(page: Page) -> dict[str, Any]:
    index = current_index()
    result = page.result
    courses = [c for c in result.courses
               if not page.filters.only_funded or funded(c.funding, c.cost_dkk)]
    paths = [p for p in result.paths
             if not page.filters.only_funded or all(funded(s.funding, s.cost_dkk) for s in p.steps)]
    words = _words()
    asked = [_asked(index, a, words) for a in result.asked]
    routes = [_route(index, r, words) for r in result.routes]
    occupations = [_occupation(index, o, words) for o in result.occupations]
    course_cards = [_course(index, c, words) for c in courses]
    path_cards = [_path(index, p, words) for p in paths]
    return {
        "page": page, "result": result,
        "today_text": long_date(result.today),
        "notices": [{"kind": n.kind, "text": text(n)} for n in result.notices],
        "asked": asked, "routes": routes, "occupations": occupations,
        "courses": course_cards, "courses_in_full": COURSES_IN_FULL,
        "near_misses": [{"code": n.code, "title": course_label(index, n.code),
                         "reason": text(n.reasons[0])} for n in result.near_misses],
        "paths": path_cards,
        "summary": summary(asked, routes, occupations, course_cards, path_cards),
        "chosen": chosen(index, page.answers),
        "schedule_choices": SCHEDULE_CHOICES,
        "area_name": index.rar_names.get(result.area or "", result.area or ""),
    }


# How many of the best jobs and courses the summary names (issue 11 item 3).
SUMMARY_TOP = 3


def summary(asked: list[dict[str, Any]], routes: list[dict[str, Any]],
            occupations: list[dict[str, Any]], courses: list[dict[str, Any]],
            paths: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's answer in a few lines, each with the id of its full card (anchor).

    Cards are numbered in page order ("course-1" ...), so the summary's items, being the
    first of each list, point at the right card; empty parts stay empty and are left out.
    """
    route = ({**routes[0], "anchor": "route-1"} if routes else
             next(({**a["route"], "anchor": f"asked-{i}"}
                   for i, a in enumerate(asked, 1) if a["route"]), None))
    return {
        "asked": [{**a, "anchor": f"asked-{i}"} for i, a in enumerate(asked, 1)],
        "route": route,
        "jobs": [{**o, "anchor": f"job-{i}"} for i, o in enumerate(occupations[:SUMMARY_TOP], 1)],
        "courses": [{**c, "anchor": f"course-{i}", "more": _more_sessions(c)}
                    for i, c in enumerate(courses[:SUMMARY_TOP], 1)],
        "path": {**paths[0], "anchor": "path-1"} if paths else None,
        "empty": not (asked or route or occupations or courses or paths),
    }


def _more_sessions(course: dict[str, Any]) -> str:
    others = len(course["sessions"]) - 1
    return str(ngettext("og %(num)d hold mere", "og %(num)d hold mere", others)) if others else ""


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, str | None]]:
    return [{"text": text(r), "source": r.source, "period": r.period} for r in reasons]


def _answer(eligible: bool | str) -> str:
    return str(_("ja") if eligible is True else _("nej") if eligible is False else _("måske"))


def _funding(funding: tuple[Funding, ...], words: dict[str, str]) -> list[dict[str, Any]]:
    return [{"scheme": f.scheme, "name": words[f.scheme], "eligible": f.eligible,
             "answer": words[repr(f.eligible)], "reasons": _reasons(f.reasons),
             "amount": f.amount_dkk, "deadline": f.deadline, "decided_by": f.decided_by}
            for f in funding]


def _words() -> dict[str, str]:
    """The labels a page repeats, translated once per page (gettext is not free)."""
    words = {key: str(value) for table in (SCHEME_NAMES, KIND_NAMES, SHORTAGE_NAMES)
             for key, value in table.items()}
    words.update({"True": _answer(True), "False": _answer(False), "'maybe'": _answer("maybe")})
    for choice in SCHEDULE_CHOICES:
        words["schedule:" + choice.value] = str(choice.label)
    for key, value in ASKED_STATUS_NAMES.items():
        words["asked:" + key] = str(value)
    for key, value in TRACK_NAMES.items():
        words["track:" + key] = str(value)
    return words


def _occupation(index: CatalogIndex, o: OccupationMatch, words: dict[str, str]) -> dict[str, Any]:
    return {"code": o.code, "title": occupation_label(index, o.code),
            "shortage": o.shortage, "shortage_name": words.get(o.shortage or "", ""),
            "period": o.period, "percent": round(o.proximity * 100), "score": round(o.score),
            "missing": [skill_label(index, s) for s in o.missing_skills],
            "needs_education": o.needs_route, "level": level_label(index, o.level),
            "reasons": _reasons(o.reasons)}


def _title(title_da: str, title_en: str | None, fallback: str) -> str:
    """The engine's own title in the reader's language, else the catalogue's label."""
    if title_da:
        return (title_en or title_da) if english() else title_da
    return fallback


def _occupation_title(index: CatalogIndex, code: str) -> str:
    return occupation_label(index, code) if code in index.occupation_pos else code


def _course_title(index: CatalogIndex, code: str) -> str:
    return course_label(index, code) if code in index.course_pos else code


def _asked(index: CatalogIndex, a: Asked, words: dict[str, str]) -> dict[str, Any]:
    """One interest answered: open, behind a route, or out of reach, and what it takes."""
    return {"code": a.code, "title": _title(a.title_da, a.title_en,
                                            _occupation_title(index, a.code)),
            "status": a.status, "status_name": words["asked:" + a.status],
            "badge": ASKED_BADGES.get(a.status, "badge-info"),
            "shortage": a.shortage, "shortage_name": words.get(a.shortage or "", ""),
            "period": a.period, "percent": round(a.proximity * 100),
            "level": level_label(index, a.level),
            "missing": [skill_label(index, s) if s in index.skill_pos else s
                        for s in a.missing_skills],
            "route": _route(index, a.route, words) if a.route else None,
            "path": _path(index, a.path, words) if a.path else None,
            "reasons": _reasons(a.reasons)}


def _route(index: CatalogIndex, r: Route, words: dict[str, str]) -> dict[str, Any]:
    """An education that makes the person skilled: kind, length, pay, money and next start."""
    session = r.session
    pay = [reason for reason in r.reasons if reason.kind == "pay"]
    return {"target": r.target, "course": r.course,
            "target_title": _title(r.target_title_da, r.target_title_en,
                                   _occupation_title(index, r.target)),
            "title": _title(r.title_da, r.title_en, _course_title(index, r.course)),
            "kind": r.kind, "kind_name": words.get(r.kind, r.kind), "provider": r.provider,
            "session_code": session.code if session else None,
            "education": education_label(index, r.education) if r.education else "",
            "days": r.duration_days, "track": r.track,
            "track_name": words.get("track:" + (r.track or ""), r.track or ""),
            "start": long_date(session.start) if session else "",
            "end": long_date(session.end) if session else "",
            "place": _place(index, session.postcode) if session else "",
            "distance": session.distance_km if session else None,
            "assessment": _course_title(index, r.assessment) if r.assessment else "",
            "funding": _funding(r.funding, words), "cost": r.cost_dkk,
            "pay": [text(reason) for reason in pay],
            "reasons": _reasons(tuple(reason for reason in r.reasons if reason.kind != "pay"))}


def _place(index: CatalogIndex, postcode: str | None) -> str:
    if not postcode:
        return str(_("Online"))
    name = index.place_names.get(postcode)
    return f"{postcode} {name}" if name else postcode


def _sessions(index: CatalogIndex, c: CourseMatch) -> list[dict[str, Any]]:
    """Every session on the card, the next first (design.md §5a.8: one card per course).

    The engine merges the same course at other places into one match (other_places); the
    card lists them all by start, then distance, so the nearest is never hidden.
    """
    found: list[tuple[str, SessionChoice, str]] = ([(c.provider, c.session, c.code)]
                                                   if c.session else [])
    found += [(o.provider, o.session, o.course) for o in c.other_places]
    found.sort(key=lambda seen: (seen[1].start, seen[1].distance_km or 0.0))
    return [{"provider": provider, "place": _place(index, s.postcode), "start": s.start,
             "end": s.end, "dates_text": date_range(s.start, s.end),
             "start_text": long_date(s.start), "distance": s.distance_km, "course": course}
            for provider, s, course in found]


def _course(index: CatalogIndex, c: CourseMatch, words: dict[str, str]) -> dict[str, Any]:
    course = index.courses[index.course_pos[c.code]]
    schedule = words["schedule:" + (course.schedule or "day")]
    sessions = _sessions(index, c)
    first = sessions[0] if sessions else None
    return {"code": c.code, "title": course_label(index, c.code), "provider": c.provider,
            "providers": sorted({s["provider"] for s in sessions}),
            "kind": words.get(c.kind, c.kind), "score": round(c.score),
            "start": first["start"] if first else None,
            "end": first["end"] if first else None,
            "dates_text": first["dates_text"] if first else "",
            "place": first["place"] if first else _place(index, None),
            "distance": first["distance"] if first else None,
            "sessions": sessions, "schedule": str(schedule), "days": course.duration_days,
            "cost": c.cost_dkk, "cost_line": cost_line(c.cost_dkk, c.funding, words),
            "price_short": price_short(c.cost_dkk, c.funding),
            "funding": _funding(c.funding, words),
            "targets": [occupation_label(index, t) for t in c.targets[:3]],
            "reasons": _reasons(c.reasons), "demo": course.source == "demo"}


def _path(index: CatalogIndex, p: Path, words: dict[str, str]) -> dict[str, Any]:
    return {"target": p.target, "title": _occupation_title(index, p.target),
            "completion_text": long_date(p.completion_date),
            "total_days": p.total_days, "percent": round(p.covered_share * 100),
            "completion": p.completion_date, "cost": p.cost_dkk,
            "steps": [{"code": s.course,
                       "title": _title(s.title_da, s.title_en, _course_title(index, s.course)),
                       "start": s.start,
                       "end": s.end, "dates_text": date_range(s.start, s.end),
                       "days": s.days, "cost": s.cost_dkk,
                       "funding": _funding(s.funding, words)} for s in p.steps],
            "reasons": _reasons(p.reasons)}


DISTANCES = (10, 25, 50, 100, 200)
LENGTHS = ("5", "10", "30", "90")


def apply_filters(answers: Answers, form: Any) -> Answers:
    """The results page's filters change the answers they stand for (and nothing else)."""
    changed = dict(answers)
    distance = form.get("max_distance_km", "")
    # Compared as text: "²".isdigit() is true but int("²") fails, and int() reads "５" as 5.
    if distance in {str(d) for d in DISTANCES}:
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
    """The marked options for "Mine muligheder", or the page's summary when none is marked.

    None only when the answers do not make a profile. A mark that no longer matches (the
    catalogue or the filters changed) counts as nothing marked, so printing never fails.
    """
    outcome = matched(answers)
    if isinstance(outcome, Outcome):
        return None
    context = page_context(Page(answers=answers, result=outcome, filters=Filters(),
                                marked=marked))
    chosen = {
        "occupations": [o for o in context["occupations"] if f"job:{o['code']}" in marked],
        "courses": [c for c in context["courses"] if f"course:{c['code']}" in marked],
        "paths": [p for p in context["paths"] if f"path:{p['target']}" in marked],
        "routes": [r for r in context["routes"]
                   if f"route:{r['target']}:{r['course']}" in marked],
    }
    context.update(chosen)
    context["summary_only"] = not any(chosen.values())
    return context


def render_results(answers: Answers, filters: Filters | None = None,
                   marked: set[str] | None = None,
                   errors: list[tuple[str, str]] | None = None) -> str:
    outcome = matched(answers)
    if isinstance(outcome, Outcome):
        return render_step(outcome)
    page = Page(answers=answers, result=outcome, filters=filters or Filters(),
                marked=marked or set(), errors=errors or [])
    context = page_context(page)
    shown = [c["code"] for c in context["courses"]]
    shown += [s["code"] for p in context["paths"] for s in p["steps"]]
    count_shown(get_engine(), outcome.today, courses=shown,
                occupations=[o["code"] for o in context["occupations"]])
    return render_template("citizen/results.html", **context)
