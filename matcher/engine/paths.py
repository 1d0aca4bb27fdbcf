"""Concrete paths: dated sessions that close most of an occupation's gap (design.md §5.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matcher.engine.courses import Feasibility
from matcher.engine.index import Bools, CatalogIndex, Floats, Ints
from matcher.engine.model import OccupationMatch

__all__ = ["PlannedStep", "plan_path"]

MAX_STEPS = 6
MAX_CANDIDATES = 300
HORIZON_DAYS = 548  # later steps may start up to 18 months out
WAIT_WEIGHT = 0.2  # a day of waiting costs a fifth of a day of course


@dataclass(frozen=True, slots=True)
class PlannedStep:
    course: int
    session: int


def plan_path(index: CatalogIndex, occupation: OccupationMatch, held: Floats,
              feas: Feasibility, usable: Bools, *, today: date, start_within_days: int,
              max_distance_km: float,
              route_courses: tuple[str, ...] = ()) -> tuple[list[PlannedStep], int]:
    """Greedy weighted set cover in time order; returns the steps and the skills closed.

    usable marks courses that pass every constraint except perhaps prerequisites, which an
    earlier step may teach. Each next step starts after the previous one ends (no overlap);
    the step closing the most missing weight per day of course and waiting wins, ties by
    earlier end then code. A job that needs an education starts with its route.
    """
    missing = {index.skill_pos[s] for s in occupation.missing_skills}
    if not missing:
        return [], 0
    have = set(np.flatnonzero(held > 0).tolist())
    candidates = _candidates(index, missing, usable, route_courses)
    steps: list[PlannedStep] = []
    after = today.toordinal() - 1
    remaining = set(missing)
    routes = {index.course_pos[c] for c in route_courses}
    while remaining and len(steps) < MAX_STEPS:
        best: tuple[float, int, str, int, int] | None = None
        for c in candidates:
            if any(step.course == c for step in steps):
                continue
            if steps == [] and routes and c not in routes:
                continue
            skills = set(index.course_skills.of(c).tolist())
            gain = skills & remaining
            if not gain or not set(index.course_prereqs.of(c).tolist()) <= have:
                continue
            limit = today.toordinal() + (start_within_days if not steps else HORIZON_DAYS)
            session = _next_session(index, feas, c, after, limit, today, max_distance_km)
            if session < 0:
                continue
            wait = int(index.session_start[session]) - max(after, today.toordinal())
            cost = float(index.course_days[c]) + WAIT_WEIGHT * max(wait, 0)
            weight = float(index.idf[list(gain)].sum())
            key = (-weight / max(cost, 0.5), int(index.session_end[session]),
                   index.courses[c].code, c, session)
            if best is None or key < best:
                best = key
        if best is None:
            break
        c, session = best[3], best[4]
        steps.append(PlannedStep(course=c, session=session))
        taught = set(index.course_skills.of(c).tolist())
        remaining -= taught
        have |= taught
        after = int(index.session_end[session])
    return steps, len(missing) - len(remaining)


def _candidates(index: CatalogIndex, missing: set[int], usable: Bools,
                route_courses: tuple[str, ...]) -> list[int]:
    """Usable courses teaching a missing skill, the most useful first (bounded for speed)."""
    mask = np.zeros(len(index.skills), dtype=np.bool_)
    mask[list(missing)] = True
    weights = np.where(mask, index.idf, 0.0)
    coverage = np.bincount(index.course_skills.rows, weights=weights[index.course_skills.cols],
                           minlength=len(index.courses))
    useful: Ints = np.flatnonzero((coverage > 0) & usable)
    if useful.size > MAX_CANDIDATES:
        ratio = coverage[useful] / np.maximum(index.course_days[useful], 0.5)
        useful = useful[np.argsort(-ratio, kind="stable")[:MAX_CANDIDATES]]
    chosen = sorted(int(c) for c in useful)
    for code in route_courses:
        position = index.course_pos[code]
        if position not in chosen and usable[position]:
            chosen.append(position)
    return chosen


def _next_session(index: CatalogIndex, feas: Feasibility, course: int, after: int,
                  limit: int, today: date, max_distance_km: float) -> int:
    """The first open session of course starting after `after`, within reach, or -1."""
    first_allowed = max(after + 1, today.toordinal())
    for s in range(int(index.session_ptr[course]), int(index.session_ptr[course + 1])):
        begins = int(index.session_start[s])
        if begins < first_allowed or begins > limit or not index.session_open[s]:
            continue
        km = feas.session_distance[s]
        if np.isnan(km) or km <= max_distance_km:
            return s
    return -1
