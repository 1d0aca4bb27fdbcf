"""Concrete paths: dated sessions that close most of an occupation's gap (design.md §5.4)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.engine.courses import Feasibility
from matcher.engine.index import Bools, CatalogIndex, Floats, Ints
from matcher.engine.model import OccupationMatch

__all__ = ["PlannedStep", "plan_path"]

MAX_STEPS = 6
MAX_CANDIDATES = 80
HORIZON_DAYS = 548  # later steps may start up to 18 months out
WAIT_WEIGHT = 0.2  # a day of waiting costs a fifth of a day of course


@dataclass(frozen=True, slots=True)
class PlannedStep:
    course: int
    session: int


@dataclass(frozen=True, slots=True)
class _Candidate:
    course: int
    code: str
    days: float
    skills: frozenset[int]
    prerequisites: frozenset[int]
    sessions: tuple[tuple[int, int, int], ...]  # (start, end, position), by start


def plan_path(index: CatalogIndex, occupation: OccupationMatch, held: Floats,
              feas: Feasibility, usable: Bools, *, start_within_days: int,
              max_distance_km: float,
              route_courses: tuple[int, ...] = ()) -> tuple[list[PlannedStep], int]:
    """Greedy weighted set cover in time order; returns the steps and the skills closed.

    usable marks courses that pass every constraint except perhaps prerequisites, which an
    earlier step may teach. Each next step starts after the previous one ends (no overlap)
    and no earlier than the first bookable day; the step closing the most missing weight per
    day of course and waiting wins, ties by earlier end then code. A job that needs an
    education starts with its route. An assessment (IKV) teaches nothing, and a course that
    would close only general skills is filler: neither is a step here (§5a.6, §5a.10).
    """
    missing = {index.skill_pos[s] for s in occupation.missing_skills}
    if not missing:
        return [], 0
    first_day = feas.first_day
    general = set(np.flatnonzero(index.skill_transversal).tolist())
    candidates = _candidates(index, feas, index.occupation_pos[occupation.code], missing, usable,
                             route_courses, first_day,
                             max_distance_km)
    routes = set(route_courses)
    have = set(np.flatnonzero(held > 0).tolist())
    idf = index.idf.tolist()
    remaining = set(missing)
    steps: list[PlannedStep] = []
    used: set[int] = set()
    after = first_day - 1
    while remaining and len(steps) < MAX_STEPS:
        limit = first_day + (start_within_days if not steps else HORIZON_DAYS)
        best: tuple[float, int, str, int, int] | None = None
        for candidate in candidates:
            if candidate.course in used or (not steps and routes
                                             and candidate.course not in routes):
                continue
            gain = candidate.skills & remaining
            if not gain - general or not candidate.prerequisites <= have:
                continue
            session = next(((start, end, s) for start, end, s in candidate.sessions
                            if start > after), None)
            if session is None or session[0] > limit:
                continue
            wait = session[0] - max(after, first_day)
            cost = candidate.days + WAIT_WEIGHT * max(wait, 0)
            weight = sum(idf[s] for s in gain)
            key = (-weight / max(cost, 0.5), session[1], candidate.code, candidate.course,
                   session[2])
            if best is None or key < best:
                best = key
        if best is None:
            break
        chosen = next(c for c in candidates if c.course == best[3])
        steps.append(PlannedStep(course=chosen.course, session=best[4]))
        used.add(chosen.course)
        remaining -= chosen.skills
        have |= chosen.skills
        after = best[1]
    return steps, len(missing) - len(remaining)


def _candidates(index: CatalogIndex, feas: Feasibility, target: int, missing: set[int],
                usable: Bools,
                route_courses: tuple[int, ...], first_day: int,
                max_distance_km: float) -> list[_Candidate]:
    """Usable courses teaching a missing skill, the most useful per day first (bounded)."""
    weights = np.zeros(len(index.skills))
    weights[list(missing)] = index.idf[list(missing)]
    coverage = np.bincount(index.course_skills.rows, weights=weights[index.course_skills.cols],
                           minlength=len(index.courses))
    # Whole educations only on the way to the job they lead to.
    unrelated_route = index.course_route.copy()
    unrelated_route[index.course_links.rows[index.course_links.cols == target]] = False
    useful: Ints = np.flatnonzero((coverage > 0) & usable & ~unrelated_route
                                  & ~index.course_assessment)
    if useful.size > MAX_CANDIDATES:
        ratio = coverage[useful] / np.maximum(index.course_days[useful], 0.5)
        useful = useful[np.argsort(-ratio, kind="stable")[:MAX_CANDIDATES]]
    extra = [c for c in route_courses if usable[c]]
    chosen = np.unique(np.r_[useful, np.array(extra, dtype=np.int64)])
    # Every open, reachable session of the chosen courses from today on, in one pass.
    lengths = index.session_ptr[chosen + 1] - index.session_ptr[chosen]
    offsets = np.repeat(index.session_ptr[chosen] - np.cumsum(lengths) + lengths, lengths)
    positions = offsets + np.arange(int(lengths.sum()))
    keep = (index.session_open[positions] & (index.session_start[positions] >= first_day)
            & ~(feas.session_distance[positions] > max_distance_km))
    positions = positions[keep]
    by_course: dict[int, list[tuple[int, int, int]]] = {}
    for course, start, end, s in zip(index.session_course[positions].tolist(),
                                     index.session_start[positions].tolist(),
                                     index.session_end[positions].tolist(), positions.tolist(),
                                     strict=True):
        by_course.setdefault(course, []).append((start, end, s))
    return [_Candidate(course=c, code=index.courses[c].code, days=float(index.course_days[c]),
                       skills=frozenset(index.course_skills.of(c).tolist()),
                       prerequisites=frozenset(index.course_prereqs.of(c).tolist()),
                       sessions=tuple(sessions))
            for c, sessions in sorted(by_course.items())]
