"""A slow, obviously-correct reference ranking: plain loops over the snapshot dataclasses.

It restates design.md §5 without arrays so that the fast engine can be checked against it
on random catalogues. It shares only the constants (weights) with the engine.
"""

from __future__ import annotations

import math
from datetime import date

from matcher.engine.courses import (
    ASKED_ROUTE_WEIGHT,
    DISTANCE_PENALTY,
    HALF_SCORE,
    LEAD_DAYS,
    LINK_WEIGHT,
)
from matcher.engine.model import Profile, Session, Snapshot
from matcher.engine.ranking import (
    BASE_REACH,
    DEMAND,
    DOWN_FACTOR,
    FIT_FLOOR,
    OPTIONAL_WEIGHT,
    ROUTE_FACTOR,
    ROUTE_FIT_FLOOR,
    job_weight,
)

ROUTES = ("euv", "voksenlaerling", "eud")


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(h, 1.0)))


def oracle_rank(snapshot: Snapshot, profile: Profile, today: date,
                home: int = 657) -> tuple[list[str], list[str]]:
    """Occupation codes and feasible course codes, best first."""
    courses = {c.code: c for c in snapshot.courses}
    rank = {level.code: level.rank for level in snapshot.education_levels}
    status_of = {level.rank: level.skill_status for level in snapshot.education_levels}
    eud = rank["eud"]
    level_status = {level.code: level.skill_status for level in snapshot.education_levels}
    person_rank = max(rank[profile.education_level], eud if profile.has_eud else 0)
    vocational = profile.has_eud or level_status[profile.education_level] == "faglaert"
    educations = {e.code: e for e in snapshot.educations}
    qualified: set[str] = set()
    for code in profile.educations:
        person_rank = max(person_rank, rank[educations[code].level])
        vocational = vocational or level_status[educations[code].level] == "faglaert"
        qualified.update(educations[code].qualifies)
    kinds = {s.code: s.kind for s in snapshot.skills}

    held: dict[str, float] = {}
    for job in profile.occupations:
        occupation = next(o for o in snapshot.occupations if o.code == job.occupation)
        for skill in occupation.essential:
            if kinds.get(skill) != "certificate":
                held[skill] = max(held.get(skill, 0.0), job_weight(job.years))
        for skill in (*occupation.essential, *occupation.optional):
            if kinds.get(skill) == "transversal" and job.years > 0:
                held[skill] = 1.0
    for code in profile.completed_courses:
        for skill in courses[code].skills:
            held[skill] = 1.0
    for code in profile.skills:
        held[code] = 1.0

    n = len(snapshot.occupations)
    frequency: dict[str, int] = {}
    for o in snapshot.occupations:
        for skill in (*o.essential, *o.optional):
            frequency[skill] = frequency.get(skill, 0) + 1
    idf = {s.code: math.log((1 + n) / (1 + frequency.get(s.code, 0))) + 1 for s in snapshot.skills}
    fit = {code: 0.0 if kinds.get(code) == "transversal" else value for code, value in idf.items()}

    kommune = profile.kommunekode or home
    area = None
    for m in snapshot.memberships:
        if m.kommunekode == kommune and (m.valid_from is None or m.valid_from <= today) and (
                m.valid_to is None or today <= m.valid_to):
            area = m.rar_code
    current = f"{today.year}H{1 if today.month <= 6 else 2}"
    periods = sorted({r.period for r in snapshot.shortages if r.rar_code == area})
    started = [p for p in periods if p <= current]
    period = (started or periods)[-1] if periods else None
    category = {r.occupation: r.category for r in snapshot.shortages
                if r.rar_code == area and r.period == period}

    places = {p.postcode: (p.lat, p.lon) for p in snapshot.places}
    sessions_of: dict[str, list[Session]] = {}
    for session in snapshot.sessions:
        sessions_of.setdefault(session.course, []).append(session)
    origin = places.get(profile.postcode or "")
    feasible: dict[str, tuple[float, int]] = {}  # course -> (km, start ordinal)
    for course in sorted(snapshot.courses, key=lambda c: c.code):
        if course.code in profile.completed_courses:
            continue
        if (course.schedule or "day") not in profile.schedule:
            continue
        if profile.max_course_days is not None and course.duration_days > profile.max_course_days:
            continue
        if any(held.get(p, 0.0) <= 0 for p in course.prerequisites):
            continue
        if rank.get(course.min_education_level or "", 0) > person_rank:
            continue
        if course.kind in ("euv", "voksenlaerling") and profile.age < 25:
            continue
        best = None
        for session in sessions_of.get(course.code, []):
            if session.status != "open":
                continue
            days_ahead = session.start.toordinal() - today.toordinal()
            if days_ahead < LEAD_DAYS or days_ahead > LEAD_DAYS + 7 * profile.start_within_weeks:
                continue
            km = math.nan
            if course.delivery != "online" and origin is not None:
                place = places.get(session.postcode or course.provider_postcode)
                if place is not None:
                    km = _km(origin, place)
            if not math.isnan(km) and km > profile.max_distance_km:
                continue
            key = (0.0 if math.isnan(km) else km, session.start.toordinal())
            if best is None or key < best:
                best = key
        if best is not None:
            feasible[course.code] = best

    held_jobs = {j.occupation for j in profile.occupations}
    work_rank = max((rank.get(o.min_education_level or "", 0) for o in snapshot.occupations
                     if o.code in held_jobs), default=0)
    person_status = status_of.get(person_rank, "ufaglaert")
    above_unskilled = person_status == "videregaaende" or (
        person_status == "faglaert" and not profile.education_outdated)
    scored = []
    wants_route: set[str] = set()
    for o in snapshot.occupations:
        cat = category.get(o.code)
        required = rank.get(o.min_education_level or "", 0)
        vocational_job = level_status.get(o.min_education_level or "") == "faglaert"
        level_met = vocational if vocational_job else required <= person_rank
        lacks = (not level_met or o.regulated) and o.code not in qualified
        if lacks and not (o.code in held_jobs and level_met):
            wants_route.add(o.code)
        needs_route = lacks and not (o.code in held_jobs and (level_met or not o.regulated))
        has_route = any(courses[c].kind in ROUTES and (
            o.code in courses[c].occupations
            or o.code in (educations[courses[c].education].qualifies
                          if courses[c].education in educations else ()))
            for c in feasible)
        if needs_route and not has_route:
            continue
        num = sum(fit[s] * held.get(s, 0.0) for s in o.essential) + OPTIONAL_WEIGHT * sum(
            fit[s] * held.get(s, 0.0) for s in o.optional)
        den = sum(fit[s] for s in o.essential) + OPTIONAL_WEIGHT * sum(fit[s] for s in o.optional)
        proximity = num / den if den else 0.0
        if o.code not in profile.interests:
            if cat == "mindre_gode" or proximity < (ROUTE_FIT_FLOOR if needs_route else FIT_FLOOR):
                continue
            unskilled = status_of.get(required, "ufaglaert") == "ufaglaert"
            if above_unskilled and unskilled and o.code not in held_jobs:
                continue
        down = required < work_rank and o.code not in held_jobs and o.code not in profile.interests
        score = 100 * DEMAND[cat] * (BASE_REACH + (1 - BASE_REACH) * proximity) * (
            ROUTE_FACTOR if needs_route else 1.0) * (DOWN_FACTOR if down else 1.0)
        missing = [s for s in o.essential if held.get(s, 0.0) <= 0]
        scored.append((score, o.code, missing))
    scored.sort(key=lambda item: (-item[0], len(item[2]), item[1]))

    gap: dict[str, float] = {}
    link: dict[str, float] = {}
    route_link = {code: ASKED_ROUTE_WEIGHT for code in profile.interests if code in wants_route}
    for score, code, missing in scored:
        link[code] = score / 100
        if code in wants_route:
            route_link[code] = max(route_link.get(code, 0.0), score / 100)
        total = sum(idf[s] for s in missing)
        for s in missing:
            if kinds.get(s) != "transversal":
                gap[s] = max(gap.get(s, 0.0), score / 100 * idf[s] / total)
    course_scores = []
    for code, (km, _) in feasible.items():
        course = courses[code]
        whole = course.kind in (*ROUTES, "ikv")
        if not whole and not any(held.get(s, 0.0) <= 0 for s in course.skills):
            continue
        linked = max((link.get(o, 0.0) for o in course.occupations), default=0.0)
        if whole:
            # Educations and assessments count only for the jobs the person needs them for.
            raw = max((route_link.get(o, 0.0) for o in course.occupations), default=0.0)
        else:
            raw = sum(gap.get(s, 0.0) for s in course.skills) + LINK_WEIGHT * linked
        if raw <= 0:
            continue
        reach = max(profile.max_distance_km, 1.0)
        value = 100 * raw / (raw + HALF_SCORE) * (1 - DISTANCE_PENALTY * min(km, reach) / reach)
        course_scores.append((value, km, code))
    course_scores.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [code for _, code, _ in scored], [code for _, _, code in course_scores]
