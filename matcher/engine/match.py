"""One match: a profile and the catalogue index in, ranked and explained answers out."""

from __future__ import annotations

from datetime import date

import numpy as np

from matcher.engine.courses import CONSTRAINTS, LEAD_DAYS, Feasibility, course_values, feasibility
from matcher.engine.education import Standing, standing
from matcher.engine.funding import Situation, cost_to_person, funding_for
from matcher.engine.index import CatalogIndex, Floats
from matcher.engine.model import (
    Asked,
    CourseMatch,
    Label,
    MatchResult,
    NearMiss,
    OccupationMatch,
    OtherPlace,
    Path,
    PathStep,
    Phrase,
    Profile,
    Reason,
    Route,
    SessionChoice,
    phrase,
    why,
)
from matcher.engine.paths import plan_path
from matcher.engine.ranking import (
    ROUTE_FIT_FLOOR,
    Area,
    area_of,
    describe,
    held_skills,
    proximities,
    rank_occupations,
)
from matcher.engine.routes import build_route, route_courses, routes_by_target

__all__ = ["match"]

ROUTE_TARGETS = 2  # own jobs and close jobs in the "become skilled" block, besides those asked
CANDIDATE_FACTOR = 3  # courses looked at per card shown, so that duplicates can be merged

# The message of each near-miss constraint (matcher/data/reasons.py holds the texts).
NEAR_MISS_MESSAGES = {
    "start": "near_miss.start",
    "distance": "near_miss.distance",
    "full": "near_miss.full",
    "schedule": "near_miss.schedule",
    "length": "near_miss.length",
    "prerequisites": "near_miss.prerequisites",
    "education": "near_miss.education",
    "age": "near_miss.age",
}


def match(profile: Profile, index: CatalogIndex, *, today: date, limit: int = 10,
          home_kommunekode: int = 657, path_count: int = 3,
          near_miss_limit: int = 5, lead_days: int = LEAD_DAYS) -> MatchResult:
    """Occupations, courses, near misses, paths, routes and answers to the person's interests.

    Sessions are offered from today plus lead_days, so that there is time to apply.
    """
    held = held_skills(profile, index)
    stand = standing(profile, index)
    area = area_of(index, profile.kommunekode or home_kommunekode, today)
    feas = feasibility(profile, index, held, today, person_rank=stand.rank, lead_days=lead_days)
    routes = route_courses(index, feas)
    proximity = proximities(index, held)
    ranked = rank_occupations(profile, index, area, held, stand, routes, proximity=proximity,
                              explain=limit)
    values = course_values(index, ranked, feas, profile, held, stand)

    shown = ranked[:limit] + [o for o in ranked[limit:] if o.code in profile.interests]
    route_list = _routes(profile, index, ranked, feas, stand, routes, area, today)
    # Whole educations belong in the routes block, not among the courses.
    listed = feas.feasible & (values.raw > 0) & ~index.course_route
    courses = _courses(profile, index, ranked, feas, values.score, listed, area, today,
                       limit * 2)
    near = _near_misses(index, feas, values.raw, held, near_miss_limit)
    paths = _paths(profile, index, shown, held, feas, stand, routes, area, today, path_count)
    asked = _asked(profile, index, area, held, proximity, feas, stand, routes, paths, route_list,
                   today)
    return MatchResult(today=today, area=area.rar_code, period=area.period,
                       occupations=tuple(shown), courses=tuple(courses), near_misses=tuple(near),
                       paths=tuple(paths), asked=tuple(asked), routes=tuple(route_list),
                       notices=_notices(profile, index, area, shown, today)
                       + _unpublished_notice(courses, paths, route_list))


def _top(score: Floats, mask: np.ndarray, distance: Floats, k: int) -> list[int]:
    """The k best positions by score, then nearer, then code (positions are in code order)."""
    candidates = np.flatnonzero(mask)
    if candidates.size > k:
        threshold = np.partition(-score[candidates], k - 1)[k - 1]
        candidates = candidates[-score[candidates] <= threshold]
    km = np.where(np.isnan(distance), 0.0, distance)
    ordered = sorted(candidates.tolist(), key=lambda c: (-score[c], km[c], c))
    return ordered[:k]


def _session_choice(index: CatalogIndex, feas: Feasibility, c: int) -> SessionChoice:
    s = int(feas.session[c])
    km = None if np.isnan(feas.distance[c]) else round(float(feas.distance[c]), 1)
    return SessionChoice(code=index.session_codes[s],
                         start=date.fromordinal(int(index.session_start[s])),
                         end=date.fromordinal(int(index.session_end[s])),
                         postcode=None if index.courses[c].delivery == "online"
                         else index.session_postcodes[s], distance_km=km)


def _courses(profile: Profile, index: CatalogIndex, ranked: list[OccupationMatch],
             feas: Feasibility, score: Floats, listed: np.ndarray, area: Area, today: date,
             k: int) -> list[CourseMatch]:
    """The k best courses, one card per course: the same kind and title elsewhere is merged."""
    cards: dict[tuple[str, str], list[int]] = {}
    for c in _top(score, listed, feas.distance, k * CANDIDATE_FACTOR):
        course = index.courses[c]
        group = cards.setdefault((course.kind, course.title_da.casefold()), [])
        if group or len(cards) <= k:
            group.append(c)
    result = []
    missing = [(o, frozenset(o.missing_skills)) for o in ranked]
    by_code = {o.code: o for o in ranked}
    for group in list(cards.values())[:k]:
        c = group[0]
        course = index.courses[c]
        session = _session_choice(index, feas, c)
        funding = funding_for(profile, course, Situation(today, session.start, session.end,
                                                         session.distance_km, area.rar_code),
                              index)
        teaches = frozenset(course.skills)
        links = set(course.occupations)
        whole = bool(index.course_route[c] or index.course_assessment[c])
        targets = tuple(o.code for o, gaps in missing
                        if o.code in links or (not whole and teaches & gaps))[:5]
        # Every course of a card is feasible: the other places by start, then code.
        others = sorted(group[1:], key=lambda o: (int(index.session_start[feas.session[o]]),
                                                  index.courses[o].code))
        result.append(CourseMatch(
            code=course.code, title_da=course.title_da, title_en=course.title_en,
            provider=course.provider_name, kind=course.kind, score=round(float(score[c]), 1),
            distance_km=session.distance_km, session=session,
            targets=targets, skills=course.skills, funding=funding,
            cost_dkk=cost_to_person(profile, course, funding),
            reasons=_course_reasons(by_code, teaches, targets, session.start,
                                    session.distance_km, course.delivery),
            other_places=tuple(OtherPlace(course=index.courses[o].code,
                                          provider=index.courses[o].provider_name,
                                          session=_session_choice(index, feas, o))
                               for o in others)))
    return result


def _course_reasons(by_code: dict[str, OccupationMatch], teaches: frozenset[str],
                    targets: tuple[str, ...], start: date, km: float | None,
                    delivery: str | None) -> tuple[Reason, ...]:
    reasons = []
    for code in targets[:2]:
        occupation = by_code[code]
        closed = len(teaches & set(occupation.missing_skills))
        if closed:
            reasons.append(why("closes_gap", closed=closed,
                               missing=len(occupation.missing_skills),
                               occupation=_lower(occupation.title_da, occupation.title_en)))
        else:
            reasons.append(why("linked",
                               occupation=_lower(occupation.title_da, occupation.title_en)))
    if delivery == "online":
        reasons.append(why("session", "session.online", start=start))
    elif km is not None:
        reasons.append(why("session", "session.distance", start=start, km=round(km)))
    else:
        reasons.append(why("session", "session.start", start=start))
    return tuple(reasons)


def _near_misses(index: CatalogIndex, feas: Feasibility, raw: Floats, held: Floats,
                 k: int) -> list[NearMiss]:
    """Courses that fail one constraint, once per kind and title, each with its exact reason."""
    no_distance = np.zeros(len(index.courses))
    result: list[NearMiss] = []
    seen: set[tuple[str, str]] = set()
    for c in _top(raw, (feas.near_miss >= 0) & (raw > 0), no_distance, k * CANDIDATE_FACTOR):
        course = index.courses[c]
        if (course.kind, course.title_da.casefold()) in seen:
            continue
        seen.add((course.kind, course.title_da.casefold()))
        constraint = CONSTRAINTS[int(feas.near_miss[c])]
        result.append(NearMiss(code=course.code, title_da=course.title_da,
                               title_en=course.title_en, constraint=constraint,
                               reasons=(_near_miss_reason(index, feas, held, c, constraint),)))
        if len(result) >= k:
            break
    return result


def _near_miss_reason(index: CatalogIndex, feas: Feasibility, held: Floats, c: int,
                      constraint: str) -> Reason:
    """The one failed constraint, named exactly: the skill, the date or the distance."""
    s = int(feas.near_session[c])
    if constraint == "prerequisites":
        lacking = [index.skills[p] for p in index.course_prereqs.of(c).tolist() if held[p] <= 0]
        skills = Label(", ".join(skill.label_da for skill in lacking),
                       ", ".join(skill.label_en or skill.label_da for skill in lacking))
        if any(index.skill_certificate[index.skill_pos[skill.code]] for skill in lacking):
            return why(constraint, "prerequisites.not_stated", skills=skills)
        return why(constraint, "prerequisites.not_yet", skills=skills)
    if constraint == "start" and s >= 0:
        start = date.fromordinal(int(index.session_start[s]))
        if int(index.session_start[s]) < feas.first_day:
            return why(constraint, "start.too_soon", start=start)
        return why(constraint, "start.too_late", start=start)
    if constraint == "distance" and s >= 0:
        return why(constraint, "distance.too_far", km=round(float(feas.session_distance[s])))
    return why(constraint, NEAR_MISS_MESSAGES[constraint])


def _paths(profile: Profile, index: CatalogIndex, shown: list[OccupationMatch], held: Floats,
           feas: Feasibility, stand: Standing, routes: dict[int, tuple[int, ...]], area: Area,
           today: date, count: int) -> list[Path]:
    """Paths to what the person asked about first, then to the best jobs shown.

    No path leads below the level of the work the person already does (§5a.4) unless asked.
    """
    asked = [o for code in profile.interests for o in shown if o.code == code]
    others = [o for o in shown if o.code not in profile.interests
              and int(index.occupation_min_rank[index.occupation_pos[o.code]]) >= stand.work_rank]
    result: list[Path] = []
    for number, occupation in enumerate(asked + others):
        if number >= len(asked) and len(result) >= count + len(asked):
            break
        path = _path(profile, index, occupation, held, feas, routes, area, today)
        if path is not None:
            result.append(path)
    return result


def _path(profile: Profile, index: CatalogIndex, occupation: OccupationMatch, held: Floats,
          feas: Feasibility, routes: dict[int, tuple[int, ...]], area: Area,
          today: date) -> Path | None:
    if not occupation.missing_skills:
        return None
    position = index.occupation_pos[occupation.code]
    route = routes.get(position, ()) if occupation.needs_route else ()
    steps, closed = plan_path(index, occupation, held, feas, feas.usable,
                              start_within_days=7 * profile.start_within_weeks,
                              max_distance_km=profile.max_distance_km, route_courses=route)
    if not steps:
        return None
    path_steps = []
    for step in steps:
        course = index.courses[step.course]
        start = date.fromordinal(int(index.session_start[step.session]))
        end = date.fromordinal(int(index.session_end[step.session]))
        km_value = feas.session_distance[step.session]
        km = None if np.isnan(km_value) else round(float(km_value), 1)
        funding = funding_for(profile, course, Situation(today, start, end, km, area.rar_code),
                              index)
        path_steps.append(PathStep(
            course=course.code, title_da=course.title_da, title_en=course.title_en,
            session=index.session_codes[step.session], start=start, end=end,
            days=float(course.duration_days), cost_dkk=cost_to_person(profile, course, funding),
            funding=funding))
    total = len(occupation.missing_skills)
    completion = path_steps[-1].end
    return Path(
        target=occupation.code, steps=tuple(path_steps),
        total_days=round(sum(s.days for s in path_steps), 1), covered_share=round(closed / total, 4),
        completion_date=completion, cost_dkk=sum(s.cost_dkk for s in path_steps),
        reasons=(why("path", steps=len(path_steps), closed=closed, total=total,
                     occupation=_lower(occupation.title_da, occupation.title_en),
                     completion=completion),))


def _routes(profile: Profile, index: CatalogIndex, ranked: list[OccupationMatch],
            feas: Feasibility, stand: Standing, routes: dict[int, tuple[int, ...]], area: Area,
            today: date) -> list[Route]:
    """The educations that would make the person skilled: asked about, own jobs, then close."""
    targets: list[int] = []
    floor = max(stand.work_rank, stand.rank)

    def add(i: int) -> None:
        # Up, not down: a route below the person's education or work only when asked for.
        below = int(index.occupation_min_rank[i]) < floor and not stand.asked[i]
        if i not in targets and stand.wants_route[i] and routes.get(i) and not below:
            targets.append(i)

    for code in profile.interests:
        add(index.occupation_pos[code])
    wanted = len(targets) + ROUTE_TARGETS
    for job in sorted(profile.occupations, key=lambda j: (-j.years, j.occupation)):
        add(index.occupation_pos[job.occupation])
    for occupation in ranked:
        if len(targets) >= wanted:
            break
        if occupation.proximity >= ROUTE_FIT_FLOOR:
            add(index.occupation_pos[occupation.code])
    return [build_route(profile, index, feas, stand, target, c, today=today,
                        rar_code=area.rar_code)
            for target, c in routes_by_target(index, targets[:wanted], routes)]


def _asked(profile: Profile, index: CatalogIndex, area: Area, held: Floats, proximity: Floats,
           feas: Feasibility, stand: Standing, routes: dict[int, tuple[int, ...]],
           paths: list[Path], route_list: list[Route], today: date) -> list[Asked]:
    """Every interest answered, in the order given, whatever its score (§5a.2)."""
    answers = []
    every_route: dict[int, tuple[int, ...]] | None = None  # feasible or not, found once
    for code in profile.interests:
        i = index.occupation_pos[code]
        described = describe(profile, index, area, held, proximity, stand, routes, i)
        route = next((r for r in route_list if r.target == code), None)
        path = next((p for p in paths if p.target == code), None)
        reasons = list(described.reasons)
        if stand.open[i]:
            status = "open"
            if not described.missing_skills:
                reasons.append(why("ready"))
        elif route is not None:
            status = "needs_route"
        else:
            if every_route is None:
                every_route = route_courses(index, feas, feasible_only=False)
            status, no_route = _no_route(index, feas, every_route.get(i, ()), i)
            reasons.append(no_route)
        answers.append(Asked(
            code=code, title_da=described.title_da, title_en=described.title_en, status=status,
            shortage=described.shortage, period=described.period,
            proximity=described.proximity, level=described.level,
            missing_skills=described.missing_skills, route=route, path=path,
            reasons=tuple(reasons)))
    return answers


def _no_route(index: CatalogIndex, feas: Feasibility, anywhere: tuple[int, ...],
              i: int) -> tuple[str, Reason]:
    """Why no route is offered: none that fits now (needs_route), or none at all."""
    occupation = index.occupations[i]
    level = next((lv for lv in index.snapshot.education_levels
                  if lv.code == occupation.min_education_level), None)
    needs: Label | Phrase = (_lower(level.name_da, level.name_en) if level
                             else phrase("needs.education"))
    if occupation.regulated:
        needs = phrase("needs.authorisation")
    if anywhere:
        near = [c for c in anywhere if int(feas.near_miss[c]) >= 0]
        constraint = CONSTRAINTS[int(feas.near_miss[near[0]])] if near else None
        why_not = phrase(NEAR_MISS_MESSAGES.get(constraint or "", "near_miss.none"))
        return "needs_route", why("no_route_now", needs=needs, why_not=why_not)
    return "out_of_reach", why("out_of_reach", needs=needs)


def _notices(profile: Profile, index: CatalogIndex, area: Area,
             shown: list[OccupationMatch], today: date) -> tuple[Reason, ...]:
    notices = []
    told_little = not (profile.occupations or profile.skills or profile.completed_courses
                       or profile.educations)
    if told_little or not shown:
        add = []
        if not profile.occupations:
            add.append(phrase("add.jobs"))
        if not profile.skills:
            add.append(phrase("add.skills"))
        if not profile.interests:
            add.append(phrase("add.interests"))
        notices.append(why("too_little_information", add=tuple(add or [phrase("add.more")])))
    outside = _outside_home(profile, index, area, today)
    if outside is not None:
        notices.append(outside)
    return tuple(notices)


def _outside_home(profile: Profile, index: CatalogIndex, area: Area,
                  today: date) -> Reason | None:
    """A postcode outside the area whose labour market was used (§5a.9).

    The catalogue gives the kommunekode of every postcode in the home area; a postcode
    without one, or in a municipality of another area, lies outside it.
    """
    if profile.postcode is None or profile.kommunekode is not None:
        return None
    kommune = index.place_kommune.get(profile.postcode)
    if kommune is not None and area_of(index, kommune, today).rar_code == area.rar_code:
        return None
    name = index.rar_names.get(area.rar_code or "", area.rar_code or "")
    place = f"{profile.postcode} {index.place_names.get(profile.postcode, '')}".strip()
    return why("outside_home_area", place=place, area=name)


def _unpublished_notice(courses: list[CourseMatch], paths: list[Path],
                        routes: list[Route]) -> tuple[Reason, ...]:
    """One notice when any funding answer is "maybe" because the rules are not out yet."""
    answers = [f for c in courses for f in c.funding] + [
        f for p in paths for step in p.steps for f in step.funding] + [
        f for r in routes for f in r.funding]
    if not any(reason.kind == "rules_not_published" for f in answers for reason in f.reasons):
        return ()
    return (why("rules_not_published"),)


def _lower(da: str, en: str | None) -> Label:
    """A title inside a sentence, lower-cased ("som smed", "as welder")."""
    return Label(da.lower(), en.lower() if en else None)
