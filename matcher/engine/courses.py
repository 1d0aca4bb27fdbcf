"""Which courses this person can take, and what each is worth for their best occupations."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from matcher.engine.education import Standing
from matcher.engine.index import SCHEDULE_CODES, Bools, CatalogIndex, Floats, Ints, distances_from
from matcher.engine.model import OccupationMatch, Profile

__all__ = ["LEAD_DAYS", "CourseValues", "Feasibility", "course_values", "feasibility"]

LINK_WEIGHT = 0.5  # an explicit course -> occupation link counts like half a closed gap
HALF_SCORE = 0.25  # the raw value at which a course scores 50
DISTANCE_PENALTY = 0.2  # at the edge of the travel distance a course keeps 80 % of its score
LEAD_DAYS = 14  # a session must start this long after today so it can be applied for (§5a.8)
ASKED_ROUTE_WEIGHT = 0.8  # a route to a job the person asked about, like a well-scored job

CONSTRAINTS = ("start", "distance", "full", "schedule", "length", "prerequisites", "education",
               "age")


@dataclass(frozen=True, slots=True)
class Feasibility:
    """Per course: feasible or not, the chosen session, and the one constraint a near miss fails."""

    feasible: Bools
    session: Ints  # chosen session position per course, -1 if none
    distance: Floats  # km to the chosen session's place; NaN online or unknown
    near_miss: Ints  # index into CONSTRAINTS of the single failed constraint, -1 otherwise
    near_session: Ints  # the session of each near miss, -1 otherwise
    session_distance: Floats  # km per session (NaN: online or unknown)
    usable: Bools  # passes every course-level constraint except prerequisites
    first_day: int  # the earliest bookable start (today plus the lead time), as an ordinal


def feasibility(profile: Profile, index: CatalogIndex, held: Floats, today: date, *,
                person_rank: int, lead_days: int = LEAD_DAYS) -> Feasibility:
    """Vectorised checks of design.md §5.3 over every course and session.

    A session is bookable from today plus lead_days, and the start window counts from there.
    """
    n_courses = len(index.courses)
    held_mask = held > 0

    allowed = np.zeros(len(SCHEDULE_CODES), dtype=np.bool_)
    for name in profile.schedule:
        allowed[SCHEDULE_CODES[name]] = True
    missing_prereqs = np.bincount(index.course_prereqs.rows,
                                  weights=~held_mask[index.course_prereqs.cols],
                                  minlength=n_courses)
    course_fail = {
        "schedule": ~allowed[index.course_schedule],
        "length": (index.course_days > profile.max_course_days
                   if profile.max_course_days is not None else np.zeros(n_courses, np.bool_)),
        "prerequisites": missing_prereqs > 0,
        "education": index.course_min_rank > person_rank,
        "age": index.course_adult_route & (profile.age < 25),
    }
    completed = np.zeros(n_courses, dtype=np.bool_)
    for code in profile.completed_courses:
        completed[index.course_pos[code]] = True

    place_km = distances_from(index, profile.postcode)
    sess_course = index.session_course
    online = index.session_online
    km = place_km[index.session_place]  # -1 (unknown place) is patched to NaN below
    km[(index.session_place < 0) | online] = math.nan
    first = today.toordinal() + lead_days
    last = first + 7 * profile.start_within_weeks
    session_fail = {
        "start": (index.session_start < first) | (index.session_start > last),
        # Unknown distance (no postcode given) does not exclude: we cannot say it is too far.
        "distance": km > profile.max_distance_km,
        "full": ~index.session_open,
    }
    course_fails = np.zeros(n_courses, dtype=np.int8)
    for flags in course_fail.values():
        course_fails += flags
    course_fails[completed] = 9
    total = course_fails[sess_course]
    for flags in session_fail.values():
        total += flags

    chosen = _best_per_course(index, total == 0, km, n_courses)
    near = _first_per_course(index, total == 1, n_courses)
    near_miss = np.full(n_courses, -1, dtype=np.int64)
    has_near = (chosen < 0) & (near >= 0)
    if has_near.any():
        # The one failed constraint of each near miss, in the order of CONSTRAINTS.
        misses = np.flatnonzero(has_near)
        sessions = near[misses]
        flags = np.stack([session_fail[name][sessions] if name in session_fail
                          else course_fail[name][misses] for name in CONSTRAINTS])
        near_miss[misses] = np.argmax(flags, axis=0)
    distance = np.where(chosen >= 0, km[np.maximum(chosen, 0)], math.nan)
    return Feasibility(feasible=chosen >= 0, session=chosen, distance=distance,
                       near_miss=near_miss, near_session=np.where(near_miss >= 0, near, -1),
                       session_distance=km,
                       usable=~(course_fail["schedule"] | course_fail["length"]
                                | course_fail["education"] | course_fail["age"] | completed),
                       first_day=first)


def _first_per_course(index: CatalogIndex, mask: Bools, n_courses: int) -> Ints:
    """Per course its earliest session passing mask (sessions are stored by course, start)."""
    result = np.full(n_courses, -1, dtype=np.int64)
    candidates = np.flatnonzero(mask)
    if candidates.size:
        courses = index.session_course[candidates]
        first = np.empty(candidates.size, dtype=np.bool_)
        first[0] = True
        np.not_equal(courses[1:], courses[:-1], out=first[1:])
        result[courses[first]] = candidates[first]
    return result


def _best_per_course(index: CatalogIndex, mask: Bools, km: Floats, n_courses: int) -> Ints:
    """Per course the nearest session passing mask, then the earliest; -1 where none.

    Most courses are taught at one place, where the earliest session is also the nearest;
    only courses taught at several places need the distance comparison.
    """
    result = _first_per_course(index, mask, n_courses)
    multi = index.multi_place[mask[index.multi_place]]
    if multi.size:
        km_multi = np.where(np.isnan(km[multi]), 0.0, km[multi])
        courses = index.session_course[multi]
        order = np.lexsort((index.session_start[multi], km_multi, courses))
        ordered_courses = courses[order]
        first = np.r_[True, ordered_courses[1:] != ordered_courses[:-1]]
        result[ordered_courses[first]] = multi[order][first]
    return result


@dataclass(frozen=True, slots=True)
class CourseValues:
    raw: Floats  # closed-gap value plus link value, per course
    score: Floats  # 0..100, distance taken into account
    gap_weight: Floats  # per skill: the best occupation's weight on closing it


def course_values(index: CatalogIndex, occupations: list[OccupationMatch], feas: Feasibility,
                  profile: Profile, held: Floats, standing: Standing) -> CourseValues:
    """What each course closes of the suggested occupations' gaps (design.md §5.3).

    A skill's gap weight is the largest, over suggested occupations, of the occupation's
    score share times the skill's share of that occupation's missing weight, so raising an
    occupation's demand never lowers the value of a course that serves it. General
    (transversal) skills weigh nothing: no course is worth taking for them alone (§5a.10).
    Whole educations and competence assessments count only for jobs the person needs an
    education for (§5a.3, §5a.6).
    """
    n_skill = len(index.skills)
    gap_weight = np.zeros(n_skill)
    link_weight = np.zeros(len(index.occupations))
    route_weight = np.where(standing.wants_route & standing.asked, ASKED_ROUTE_WEIGHT, 0.0)
    for match in occupations:
        i = index.occupation_pos[match.code]
        weight = match.score / 100.0
        link_weight[i] = weight
        if standing.wants_route[i]:
            route_weight[i] = max(route_weight[i], weight)
        if not match.missing_skills:
            continue
        missing = np.fromiter((index.skill_pos[s] for s in match.missing_skills), dtype=np.int64)
        share = index.idf[missing] / index.idf[missing].sum()
        gap_weight[missing] = np.maximum(gap_weight[missing], weight * share)
    gap_weight[index.skill_transversal] = 0.0
    n_courses = len(index.courses)
    closed = np.bincount(index.course_skills.rows, weights=gap_weight[index.course_skills.cols],
                         minlength=n_courses)
    # One pass over the links: whole educations take the route weight, other courses the job's.
    linked = _best_link(index, np.where(index.link_whole, route_weight[index.course_links.cols],
                                        link_weight[index.course_links.cols]))
    # A course that teaches nothing new to this person is worth nothing to them.
    new_skills = np.bincount(index.course_skills.rows,
                             weights=(held <= 0)[index.course_skills.cols].astype(np.float64),
                             minlength=n_courses)
    # A whole education (EUV, EUD, voksenlærling) is worth taking only for the jobs it leads
    # to, not for the general skills it also teaches on the way.
    whole = index.course_whole
    value = np.where(whole, linked, closed + LINK_WEIGHT * linked)
    raw = np.where((new_skills > 0) | whole, value, 0.0)
    km = np.where(np.isnan(feas.distance), 0.0, feas.distance)
    reach = max(profile.max_distance_km, 1.0)
    distance_factor = 1.0 - DISTANCE_PENALTY * np.minimum(km, reach) / reach
    score = 100.0 * raw / (raw + HALF_SCORE) * distance_factor
    return CourseValues(raw=raw, score=score, gap_weight=gap_weight)


def _best_link(index: CatalogIndex, entry_weight: Floats) -> Floats:
    """Per course the largest weight among its links (entry_weight: one per link entry)."""
    best = np.zeros(len(index.courses))
    links = index.course_links
    if links.cols.size:
        starts = links.ptr[:-1]
        nonempty = links.ptr[1:] > starts
        best[nonempty] = np.maximum.reduceat(entry_weight, starts[nonempty])
    return best
