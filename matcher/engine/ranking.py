"""Held skills, the person's labour-market area and the ranking of occupations (design.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matcher.engine.education import Standing
from matcher.engine.index import CatalogIndex, Floats
from matcher.engine.model import (
    Label,
    OccupationMatch,
    Phrase,
    Profile,
    Reason,
    ShortageRating,
    phrase,
    why,
)

__all__ = ["DEMAND", "FIT_FLOOR", "ROUTE_FIT_FLOOR", "Area", "area_of", "describe",
           "held_skills", "job_weight", "proximities", "rank_occupations"]

# Demand by shortage category: ordered as the balance orders them; unknown is low, not zero.
DEMAND = {"omfattende_mangel": 1.0, "mangel": 0.85, "paradoks": 0.65, "gode": 0.45,
          "mindre_gode": 0.15, None: 0.25}
OPTIONAL_WEIGHT = 0.2  # optional skills count a little
BASE_REACH = 0.2  # a job with nothing yet held still counts a little if employers need people
ROUTE_FACTOR = 0.6  # a job behind a whole education is further away than one behind courses
FIT_FLOOR = 0.15  # below this share of a job's skills it is not suggested unless asked about
ROUTE_FIT_FLOOR = 0.3  # a job behind a whole education needs more in common to be suggested
DOWN_FACTOR = 0.7  # a job below the level of work the person has done weighs less (§5a.4)

# The message of each shortage category (matcher/data/reasons.py holds the texts).
SHORTAGE_MESSAGES = {"omfattende_mangel": "shortage.omfattende_mangel",
                     "mangel": "shortage.mangel", "paradoks": "shortage.paradoks",
                     "gode": "shortage.gode", "mindre_gode": "shortage.mindre_gode"}


def job_weight(years: float) -> float:
    """A few months in a job count less than years of it: 0.5 at the start, 1.0 from 2 years."""
    return min(1.0, 0.5 + 0.25 * years)


def held_skills(profile: Profile, index: CatalogIndex) -> Floats:
    """How surely the person holds each skill, 0..1: stated, from past jobs, from courses.

    A job confers its essential skills by years, and its general (transversal) skills in
    full; certificates and licences count only when the person states them (§5a.7, §5a.10).
    """
    held = np.zeros(len(index.skills))
    for job in profile.occupations:
        i = index.occupation_pos[job.occupation]
        row = np.where(index.skill_certificate, 0.0, index.essential[i] * job_weight(job.years))
        general = index.skill_transversal & ((index.essential[i] + index.optional[i]) > 0)
        held = np.maximum(held, np.where(general & (job.years > 0), 1.0, row))
    for code in profile.completed_courses:
        held[index.course_skills.of(index.course_pos[code])] = 1.0
    for code in profile.skills:
        held[index.skill_pos[code]] = 1.0
    return held


@dataclass(frozen=True, slots=True)
class Area:
    rar_code: str | None
    period: str | None
    ratings: tuple[ShortageRating | None, ...]


def area_of(index: CatalogIndex, kommunekode: int, today: date) -> Area:
    """The RAR area of the municipality on today, and its newest balance period."""
    rar = None
    for code, valid_from, valid_to in index.memberships.get(kommunekode, ()):
        if (valid_from is None or valid_from <= today) and (valid_to is None or today <= valid_to):
            rar = code
    current = f"{today.year}H{1 if today.month <= 6 else 2}"
    periods = [p for p in index.periods if (rar, p) in index.shortages]
    started = [p for p in periods if p <= current]
    period = (started or periods)[-1] if periods else None
    ratings = index.shortages.get((rar or "", period or ""), (None,) * len(index.occupations))
    return Area(rar_code=rar, period=period, ratings=ratings)


def proximities(index: CatalogIndex, held: Floats) -> Floats:
    """Weighted share of each occupation's skills held; general skills say nothing of a job."""
    idf = np.where(index.skill_transversal, 0.0, index.idf)
    weighted = idf * held
    numerator = index.essential @ weighted + OPTIONAL_WEIGHT * (index.optional @ weighted)
    denominator = index.essential @ idf + OPTIONAL_WEIGHT * (index.optional @ idf)
    result: Floats = np.divide(numerator, denominator, out=np.zeros_like(numerator),
                               where=denominator > 0)
    return result


def rank_occupations(profile: Profile, index: CatalogIndex, area: Area, held: Floats,
                     standing: Standing, route_courses: dict[int, tuple[int, ...]], *,
                     proximity: Floats | None = None,
                     explain: int | None = None) -> list[OccupationMatch]:
    """Every occupation worth suggesting, best first (ties by code).

    route_courses maps an occupation position to feasible courses that lead to its
    education; an occupation needing an education the person lacks is suggested only then.
    Below the fit floor, rated `mindre_gode`, or unskilled work for a skilled person who
    never did it: only when asked about (design.md §5a.1, §5a.5).
    Reasons are written for the best `explain` (all if None) and for the person's interests.
    """
    if proximity is None:
        proximity = proximities(index, held)
    interests = set(profile.interests)
    above_unskilled = _above_unskilled(index, standing, profile)
    scored: list[tuple[float, str, int, bool]] = []
    for i, occupation in enumerate(index.occupations):
        rating = area.ratings[i]
        category = rating.category if rating else None
        needs_route = not bool(standing.open[i])
        if needs_route and not route_courses.get(i):
            continue  # guard-rail: never as if a short course were enough
        if occupation.code not in interests:
            if category == "mindre_gode":
                continue  # guard-rail: do not steer people towards a labour surplus
            if float(proximity[i]) < (ROUTE_FIT_FLOOR if needs_route else FIT_FLOOR):
                continue  # too little in common to suggest it (or a whole education for it)
            if above_unskilled and not standing.held[i] and index.occupation_unskilled[i]:
                continue  # a skilled person is not sent down to unskilled work
        down = (int(index.occupation_min_rank[i]) < standing.work_rank
                and not standing.held[i] and not standing.asked[i])
        scored.append((-_score(category, float(proximity[i]), needs_route, down),
                       occupation.code, i, needs_route))
    all_missing = _all_missing(index, held)
    # Equal scores: the job with fewer skills missing first, then by code.
    scored.sort(key=lambda item: (item[0], len(all_missing[item[2]]), item[1]))
    return [_occupation_match(profile, index, area, proximity, all_missing[i], i, needs_route,
                              route_courses.get(i, ()), -negative,
                              explain is None or number < explain or code in interests)
            for number, (negative, code, i, needs_route) in enumerate(scored)]


def describe(profile: Profile, index: CatalogIndex, area: Area, held: Floats, proximity: Floats,
             standing: Standing, route_courses: dict[int, tuple[int, ...]],
             i: int) -> OccupationMatch:
    """One occupation scored and explained as the ranking would, whatever the guard-rails."""
    rating = area.ratings[i]
    needs_route = not bool(standing.open[i])
    down = (int(index.occupation_min_rank[i]) < standing.work_rank
            and not standing.held[i] and not standing.asked[i])
    score = _score(rating.category if rating else None, float(proximity[i]), needs_route, down)
    missing = _all_missing(index, held, rows=(i,))[0]
    return _occupation_match(profile, index, area, proximity, missing, i, needs_route,
                             route_courses.get(i, ()), score, True)


def _score(category: str | None, proximity: float, needs_route: bool, down: bool) -> float:
    reach = BASE_REACH + (1 - BASE_REACH) * proximity
    return (100.0 * DEMAND[category] * reach * (ROUTE_FACTOR if needs_route else 1.0)
            * (DOWN_FACTOR if down else 1.0))


def _occupation_match(profile: Profile, index: CatalogIndex, area: Area, proximity: Floats,
                      missing: tuple[str, ...], i: int, needs_route: bool,
                      routes: tuple[int, ...], score: float, explain: bool) -> OccupationMatch:
    occupation = index.occupations[i]
    rating = area.ratings[i]
    held_before = any(job.occupation == occupation.code for job in profile.occupations)
    reasons = _reasons(index, rating, area, float(proximity[i]), missing, needs_route, routes,
                       held_before, occupation.code in profile.interests,
                       int(index.occupation_min_rank[i])) if explain else ()
    return OccupationMatch(
        code=occupation.code, title_da=occupation.title_da, title_en=occupation.title_en,
        shortage=rating.category if rating else None,
        period=rating.period if rating else area.period,
        proximity=round(float(proximity[i]), 4), score=score, missing_skills=missing,
        needs_route=needs_route, reasons=reasons, level=occupation.min_education_level)


def _above_unskilled(index: CatalogIndex, standing: Standing, profile: Profile) -> bool:
    """Skilled (not outdated) or a higher education: unskilled work only if done or asked."""
    status = index.education_status_by_rank.get(standing.rank, "ufaglaert")
    return status == "videregaaende" or (status == "faglaert" and not profile.education_outdated)


def _all_missing(index: CatalogIndex, held: Floats,
                 rows: tuple[int, ...] | None = None) -> list[tuple[str, ...]]:
    """Per occupation the essential skills not held: most taught first, then rarer, then code."""
    essential = index.essential if rows is None else index.essential[list(rows)]
    found, cols = np.nonzero((essential > 0) & (held <= 0))
    order = np.lexsort((index.skill_order[cols], found))
    found, cols = found[order], cols[order]
    bounds = np.searchsorted(found, np.arange(len(essential) + 1)).tolist()
    codes = [s.code for s in index.skills]
    names = [codes[c] for c in cols.tolist()]
    return [tuple(names[bounds[i]:bounds[i + 1]]) for i in range(len(essential))]


def _half_year(period: str) -> Phrase | str:
    """A period key ("2026H2") as a phrase the renderer words per language."""
    year, half = period[:4], period[-1:]
    if len(period) == 6 and period[4] == "H" and year.isdigit() and half in "12":
        return phrase("period.half1" if half == "1" else "period.half2", year=year)
    return period


def _reasons(index: CatalogIndex, rating: ShortageRating | None, area: Area, proximity: float,
             missing: tuple[str, ...], needs_route: bool, routes: tuple[int, ...],
             held_before: bool, asked: bool, required_rank: int) -> tuple[Reason, ...]:
    area_name = index.rar_names.get(area.rar_code or "", area.rar_code or "")
    reasons = []
    if rating:
        reasons.append(why("shortage", SHORTAGE_MESSAGES[rating.category],
                           source=rating.source_url or rating.source, period=rating.period,
                           area=area_name, rating_period=_half_year(rating.period)))
    else:
        reasons.append(why("shortage", "shortage.unrated", period=area.period, area=area_name))
    reasons.append(why("proximity", percent=round(proximity * 100)))
    if held_before:
        reasons.append(why("experience"))
    if missing:
        skills = [index.skills[index.skill_pos[s]] for s in missing[:3]]
        labels = Label(", ".join(skill.label_da for skill in skills),
                       ", ".join(skill.label_en or skill.label_da for skill in skills))
        more = len(missing) - 3
        if more > 0:
            reasons.append(why("missing", "missing.more", count=len(missing), skills=labels,
                               more=more))
        else:
            reasons.append(why("missing", count=len(missing), skills=labels))
    if needs_route:
        route_courses = [index.courses[c] for c in routes[:2]]
        titles = Label(", ".join(c.title_da for c in route_courses),
                       ", ".join(c.title_en or c.title_da for c in route_courses))
        reasons.append(why("route", "route.vocational" if required_rank == index.eud_rank
                           else "route.higher", courses=titles))
    if asked:
        reasons.append(why("interest"))
    return tuple(reasons)
