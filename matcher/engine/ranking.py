"""Held skills, the person's labour-market area and the ranking of occupations (design.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matcher.engine.index import CatalogIndex, Floats
from matcher.engine.model import OccupationMatch, Profile, Reason, ShortageRating

__all__ = ["DEMAND", "Area", "area_of", "held_skills", "job_weight", "rank_occupations"]

# Demand by shortage category: ordered as the balance orders them; unknown is low, not zero.
DEMAND = {"omfattende_mangel": 1.0, "mangel": 0.85, "paradoks": 0.65, "gode": 0.45,
          "mindre_gode": 0.15, None: 0.25}
OPTIONAL_WEIGHT = 0.2  # optional skills count a little
BASE_REACH = 0.2  # a job with nothing yet held still counts a little if employers need people
ROUTE_FACTOR = 0.6  # a job behind a whole education is further away than one behind courses

CATEGORY_DA = {"omfattende_mangel": "omfattende mangel på arbejdskraft",
               "mangel": "mangel på arbejdskraft", "paradoks": "paradoksproblemer",
               "gode": "gode jobmuligheder", "mindre_gode": "mindre gode jobmuligheder"}
CATEGORY_EN = {"omfattende_mangel": "a widespread labour shortage",
               "mangel": "a labour shortage", "paradoks": "recruitment problems despite unemployment",
               "gode": "good job prospects", "mindre_gode": "poorer job prospects"}


def job_weight(years: float) -> float:
    """A few months in a job count less than years of it: 0.5 at the start, 1.0 from 2 years."""
    return min(1.0, 0.5 + 0.25 * years)


def held_skills(profile: Profile, index: CatalogIndex) -> Floats:
    """How surely the person holds each skill, 0..1: stated, from past jobs, from courses."""
    held = np.zeros(len(index.skills))
    for code in profile.skills:
        held[index.skill_pos[code]] = 1.0
    for code in profile.completed_courses:
        held[index.course_skills.of(index.course_pos[code])] = 1.0
    for job in profile.occupations:
        row = index.essential[index.occupation_pos[job.occupation]]
        held = np.maximum(held, row * job_weight(job.years))
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
    weighted = index.idf * held
    numerator = index.essential @ weighted + OPTIONAL_WEIGHT * (index.optional @ weighted)
    denominator = index.essential @ index.idf + OPTIONAL_WEIGHT * (index.optional @ index.idf)
    result: Floats = np.divide(numerator, denominator, out=np.zeros_like(numerator),
                               where=denominator > 0)
    return result


def rank_occupations(profile: Profile, index: CatalogIndex, area: Area, held: Floats,
                     route_courses: dict[int, tuple[int, ...]], *,
                     explain: int | None = None) -> list[OccupationMatch]:
    """Every occupation worth suggesting, best first (ties by code).

    route_courses maps an occupation position to feasible courses that lead to its
    education; an occupation needing an education the person lacks is suggested only then.
    Reasons are written for the best `explain` (all if None) and for the person's interests.
    """
    proximity = proximities(index, held)
    held_jobs = {job.occupation for job in profile.occupations}
    interests = set(profile.interests)
    scored: list[tuple[float, str, int, bool]] = []
    for i, occupation in enumerate(index.occupations):
        rating = area.ratings[i]
        category = rating.category if rating else None
        if category == "mindre_gode" and occupation.code not in interests:
            continue  # guard-rail: do not steer people towards a labour surplus
        needs_route = (int(index.occupation_min_rank[i]) >= index.eud_rank
                       and occupation.code not in held_jobs)
        if needs_route and not route_courses.get(i):
            continue  # guard-rail: never as if a short course were enough
        reach = BASE_REACH + (1 - BASE_REACH) * float(proximity[i])
        score = 100.0 * DEMAND[category] * reach * (ROUTE_FACTOR if needs_route else 1.0)
        scored.append((-score, occupation.code, i, needs_route))
    all_missing = _all_missing(index, held)
    # Equal scores: the job with fewer skills missing first, then by code.
    scored.sort(key=lambda item: (item[0], len(all_missing[item[2]]), item[1]))
    found = []
    for number, (negative, code, i, needs_route) in enumerate(scored):
        rating = area.ratings[i]
        missing = all_missing[i]
        wanted = explain is None or number < explain or code in interests
        reasons = _reasons(index, rating, area, float(proximity[i]), missing, needs_route,
                           route_courses.get(i, ()), code in held_jobs, code in interests,
                           int(index.occupation_min_rank[i])) if wanted else ()
        occupation = index.occupations[i]
        found.append(OccupationMatch(
            code=code, title_da=occupation.title_da, title_en=occupation.title_en,
            shortage=rating.category if rating else None,
            period=rating.period if rating else area.period,
            proximity=round(float(proximity[i]), 4), score=-negative, missing_skills=missing,
            needs_route=needs_route, reasons=reasons))
    return found


def _all_missing(index: CatalogIndex, held: Floats) -> list[tuple[str, ...]]:
    """Per occupation the essential skills not held: most taught first, then rarer, then code."""
    rows, cols = np.nonzero((index.essential > 0) & (held <= 0))
    order = np.lexsort((index.skill_order[cols], rows))
    rows, cols = rows[order], cols[order]
    bounds = np.searchsorted(rows, np.arange(len(index.occupations) + 1)).tolist()
    codes = [s.code for s in index.skills]
    names = [codes[c] for c in cols.tolist()]
    return [tuple(names[bounds[i]:bounds[i + 1]]) for i in range(len(index.occupations))]


def _reasons(index: CatalogIndex, rating: ShortageRating | None, area: Area, proximity: float,
             missing: tuple[str, ...], needs_route: bool, routes: tuple[int, ...],
             held_before: bool, asked: bool, required_rank: int) -> tuple[Reason, ...]:
    area_name = index.rar_names.get(area.rar_code or "", area.rar_code or "")
    reasons = []
    if rating:
        reasons.append(Reason(
            "shortage",
            f"{area_name} har {CATEGORY_DA[rating.category]} ({rating.period}).",
            f"{area_name} has {CATEGORY_EN[rating.category]} ({rating.period}).",
            source=rating.source_url or rating.source, period=rating.period))
    else:
        reasons.append(Reason("shortage", f"Ingen vurdering for {area_name} i balancen.",
                              f"No rating for {area_name} in the labour-market balance.",
                              period=area.period))
    percent = round(proximity * 100)
    reasons.append(Reason("proximity",
                          f"Du har allerede {percent} % af det, jobbet kræver.",
                          f"You already have {percent} % of what the job requires."))
    if held_before:
        reasons.append(Reason("experience", "Du har erfaring fra jobbet.",
                              "You have experience from this job."))
    if missing:
        labels_da = ", ".join(index.skills[index.skill_pos[s]].label_da for s in missing[:3])
        labels_en = ", ".join(index.skills[index.skill_pos[s]].label_en
                              or index.skills[index.skill_pos[s]].label_da for s in missing[:3])
        more = len(missing) - 3
        reasons.append(Reason(
            "missing",
            f"Du mangler {len(missing)}: {labels_da}" + (f" og {more} mere." if more > 0 else "."),
            f"You lack {len(missing)}: {labels_en}" + (f" and {more} more." if more > 0 else ".")))
    if needs_route:
        faglaert = required_rank == index.eud_rank
        route_courses = [index.courses[c] for c in routes[:2]]
        reasons.append(Reason(
            "route",
            ("Jobbet kræver en erhvervsuddannelse. " if faglaert
             else "Jobbet kræver en videregående uddannelse. ")
            + "Vej dertil: " + ", ".join(c.title_da for c in route_courses) + ".",
            ("The job requires a vocational education. " if faglaert
             else "The job requires a higher education. ")
            + "Route: " + ", ".join(c.title_en or c.title_da for c in route_courses) + "."))
    if asked:
        reasons.append(Reason("interest", "Du har selv valgt jobbet.",
                              "You chose this job yourself."))
    return tuple(reasons)
