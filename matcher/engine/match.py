"""One match: a profile and the catalogue index in, ranked and explained answers out."""

from __future__ import annotations

from datetime import date

import numpy as np

from matcher.engine.courses import CONSTRAINTS, Feasibility, course_values, feasibility
from matcher.engine.funding import Situation, cost_to_person, funding_for
from matcher.engine.index import CatalogIndex, Floats
from matcher.engine.model import (
    CourseMatch,
    MatchResult,
    NearMiss,
    OccupationMatch,
    Path,
    PathStep,
    Profile,
    Reason,
    SessionChoice,
)
from matcher.engine.paths import plan_path
from matcher.engine.ranking import Area, area_of, held_skills, rank_occupations

__all__ = ["match"]

NEAR_MISS_TEXT = {
    "start": ("Næste hold starter uden for den periode, du kan starte i.",
              "The next session starts outside the period in which you can start."),
    "distance": ("Holdet ligger længere væk, end du vil rejse.",
                 "The session is further away than you want to travel."),
    "full": ("Holdet er fuldt booket.", "The session is fully booked."),
    "schedule": ("Undervisningen ligger på et tidspunkt, du ikke kan.",
                 "The teaching is at a time you cannot make."),
    "length": ("Kurset er længere, end du ønsker.", "The course is longer than you want."),
    "prerequisites": ("Kurset kræver en kompetence, du ikke har endnu.",
                      "The course requires a skill you do not have yet."),
    "education": ("Kurset kræver en højere uddannelse.", "The course requires a higher education."),
    "age": ("Kræver, at du er fyldt 25 år.", "Requires you to be 25 or older."),
}


def match(profile: Profile, index: CatalogIndex, *, today: date, limit: int = 10,
          home_kommunekode: int = 657, path_count: int = 3,
          near_miss_limit: int = 5) -> MatchResult:
    """Occupations, courses, near misses and paths for this person, best first."""
    held = held_skills(profile, index)
    area = area_of(index, profile.kommunekode or home_kommunekode, today)
    feas = feasibility(profile, index, held, today)
    routes = _routes(index, feas)
    ranked = rank_occupations(profile, index, area, held, routes, explain=limit)
    values = course_values(index, ranked, feas, profile, held)

    shown = ranked[:limit] + [o for o in ranked[limit:] if o.code in profile.interests]
    courses = _courses(profile, index, ranked, feas, values.score, values.raw, area, today,
                       limit * 2)
    near = _near_misses(index, feas, values.raw, near_miss_limit)
    paths = _paths(profile, index, ranked, held, feas, routes, area, today, path_count)
    return MatchResult(today=today, area=area.rar_code, period=area.period,
                       occupations=tuple(shown), courses=tuple(courses), near_misses=tuple(near),
                       paths=tuple(paths))


def _routes(index: CatalogIndex, feas: Feasibility, per_occupation: int = 20
            ) -> dict[int, tuple[int, ...]]:
    """Feasible EUV, voksenlærling and EUD courses (positions) linked to each occupation."""
    links = index.course_links
    selected = (feas.feasible & index.course_route)[links.rows]
    selected &= index.occupation_min_rank[links.cols] >= index.eud_rank
    occupations, courses = links.cols[selected], links.rows[selected]
    order = np.argsort(occupations, kind="stable")  # courses stay in code order
    occupations, courses = occupations[order], courses[order]
    found: dict[int, tuple[int, ...]] = {}
    if occupations.size == 0:
        return found
    bounds = np.flatnonzero(np.r_[True, occupations[1:] != occupations[:-1], True])
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        found[int(occupations[lo])] = tuple(courses[lo:min(hi, lo + per_occupation)].tolist())
    return found


def _top(score: Floats, mask: np.ndarray, distance: Floats, k: int) -> list[int]:
    """The k best positions by score, then nearer, then code (positions are in code order)."""
    candidates = np.flatnonzero(mask)
    if candidates.size > k:
        threshold = np.partition(-score[candidates], k - 1)[k - 1]
        candidates = candidates[-score[candidates] <= threshold]
    km = np.where(np.isnan(distance), 0.0, distance)
    ordered = sorted(candidates.tolist(), key=lambda c: (-score[c], km[c], c))
    return ordered[:k]


def _courses(profile: Profile, index: CatalogIndex, ranked: list[OccupationMatch],
             feas: Feasibility, score: Floats, raw: Floats, area: Area, today: date,
             k: int) -> list[CourseMatch]:
    result = []
    missing = [(o, frozenset(o.missing_skills)) for o in ranked]
    by_code = {o.code: o for o in ranked}
    for c in _top(score, feas.feasible & (raw > 0), feas.distance, k):
        course = index.courses[c]
        s = int(feas.session[c])
        start, end = date.fromordinal(int(index.session_start[s])), date.fromordinal(
            int(index.session_end[s]))
        km = None if np.isnan(feas.distance[c]) else round(float(feas.distance[c]), 1)
        funding = funding_for(profile, course, Situation(today, start, end, km, area.rar_code),
                              index)
        teaches = frozenset(course.skills)
        links = set(course.occupations)
        route = bool(index.course_route[c])
        targets = tuple(o.code for o, gaps in missing
                        if o.code in links or (not route and teaches & gaps))[:5]
        reasons = _course_reasons(by_code, teaches, targets, start, km, course.delivery)
        result.append(CourseMatch(
            code=course.code, title_da=course.title_da, title_en=course.title_en,
            provider=course.provider_name, kind=course.kind, score=round(float(score[c]), 1),
            distance_km=km,
            session=SessionChoice(code=index.session_codes[s], start=start, end=end,
                                  postcode=None if course.delivery == "online"
                                  else index.session_postcodes[s], distance_km=km),
            targets=targets, skills=course.skills, funding=funding,
            cost_dkk=cost_to_person(profile, course, funding), reasons=reasons))
    return result


def _course_reasons(by_code: dict[str, OccupationMatch], teaches: frozenset[str],
                    targets: tuple[str, ...], start: date, km: float | None,
                    delivery: str | None) -> tuple[Reason, ...]:
    reasons = []
    for code in targets[:2]:
        occupation = by_code[code]
        closed = len(teaches & set(occupation.missing_skills))
        if closed:
            reasons.append(Reason(
                "closes_gap",
                f"Giver dig {closed} af de {len(occupation.missing_skills)} kompetencer, du "
                f"mangler som {occupation.title_da.lower()}.",
                f"Gives you {closed} of the {len(occupation.missing_skills)} skills you lack as "
                f"{(occupation.title_en or occupation.title_da).lower()}."))
        else:
            reasons.append(Reason("linked", f"Målrettet {occupation.title_da.lower()}.",
                                  f"Aimed at {(occupation.title_en or occupation.title_da).lower()}."))
    if delivery == "online":
        reasons.append(Reason("session", f"Online. Næste hold starter {start.isoformat()}.",
                              f"Online. The next session starts {start.isoformat()}."))
    elif km is not None:
        reasons.append(Reason("session", f"Næste hold starter {start.isoformat()}, {km:.0f} km "
                                         "fra dig.",
                              f"The next session starts {start.isoformat()}, {km:.0f} km "
                              "from you."))
    else:
        reasons.append(Reason("session", f"Næste hold starter {start.isoformat()}.",
                              f"The next session starts {start.isoformat()}."))
    return tuple(reasons)


def _near_misses(index: CatalogIndex, feas: Feasibility, raw: Floats, k: int) -> list[NearMiss]:
    no_distance = np.zeros(len(index.courses))
    result = []
    for c in _top(raw, (feas.near_miss >= 0) & (raw > 0), no_distance, k):
        course = index.courses[c]
        constraint = CONSTRAINTS[int(feas.near_miss[c])]
        da, en = NEAR_MISS_TEXT[constraint]
        result.append(NearMiss(code=course.code, title_da=course.title_da,
                               title_en=course.title_en, constraint=constraint,
                               reasons=(Reason(constraint, da, en),)))
    return result


def _paths(profile: Profile, index: CatalogIndex, ranked: list[OccupationMatch], held: Floats,
           feas: Feasibility, routes: dict[int, tuple[int, ...]], area: Area, today: date,
           count: int) -> list[Path]:
    result: list[Path] = []
    for occupation in ranked:
        if len(result) >= count:
            break
        if not occupation.missing_skills:
            continue
        route = routes.get(index.occupation_pos[occupation.code], ()) \
            if occupation.needs_route else ()
        steps, closed = plan_path(index, occupation, held, feas, feas.usable, today=today,
                                  start_within_days=7 * profile.start_within_weeks,
                                  max_distance_km=profile.max_distance_km, route_courses=route)
        if not steps:
            continue
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
        share = closed / total
        completion = path_steps[-1].end
        result.append(Path(
            target=occupation.code, steps=tuple(path_steps),
            total_days=round(sum(s.days for s in path_steps), 1), covered_share=round(share, 4),
            completion_date=completion, cost_dkk=sum(s.cost_dkk for s in path_steps),
            reasons=(Reason(
                "path",
                f"{len(path_steps)} trin giver dig {closed} af {total} manglende kompetencer "
                f"som {occupation.title_da.lower()}. Færdig {completion.isoformat()}.",
                f"{len(path_steps)} steps give you {closed} of {total} missing skills as "
                f"{(occupation.title_en or occupation.title_da).lower()}. Done "
                f"{completion.isoformat()}."),)))
    return result
