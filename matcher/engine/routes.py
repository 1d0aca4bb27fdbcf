"""Routes to becoming skilled (design.md §5a.3): EUV, voksenlærling and EUD, best first."""

from __future__ import annotations

from datetime import date

import numpy as np

from matcher.engine.courses import Feasibility
from matcher.engine.education import Standing
from matcher.engine.funding import Situation, cost_to_person, funding_for
from matcher.engine.index import CatalogIndex
from matcher.engine.model import ROUTE_KINDS, Funding, Label, Profile, Reason, Route, SessionChoice, why

__all__ = ["ROUTE_PREFERENCE", "build_route", "route_courses", "routes_by_target"]

# Adults (25+) with experience go furthest fastest on EUV; a voksenlærling is paid by an
# employer; the ordinary EUD is for the young: model.ROUTE_KINDS lists them best first.
ROUTE_PREFERENCE = {kind: rank for rank, kind in enumerate(ROUTE_KINDS)}
EXPERIENCE_OVERLAP = 0.5  # a job sharing half a target's essential skills counts as relevant
EUV1_YEARS = 2.0  # domain.md §5: euv1 needs at least 2 years' relevant experience
PER_TARGET = 2  # route kinds shown per target


def route_courses(index: CatalogIndex, feas: Feasibility, *, feasible_only: bool = True,
                  per_occupation: int = 20) -> dict[int, tuple[int, ...]]:
    """Per occupation position, route courses (positions) that lead to it, best first.

    A route leads to an occupation when it is linked to it or when the education it leads
    to qualifies for it. Best: the kind (ROUTE_PREFERENCE), then the earliest next start,
    then the nearest, then the course code.
    """
    links = index.route_targets
    wanted = index.course_route & feas.feasible if feasible_only else index.course_route
    keep = wanted[links.rows]
    occupations, courses = links.cols[keep], links.rows[keep]
    if occupations.size == 0:
        return {}
    sessions = feas.session[courses]
    start = np.where(sessions >= 0, index.session_start[np.maximum(sessions, 0)], np.iinfo(
        np.int64).max)
    km = np.where(sessions >= 0, np.nan_to_num(feas.distance[courses]), 0.0)
    # Course positions are in code order, so the last key breaks ties by code.
    order = np.lexsort((courses, km, start, index.route_preference[courses], occupations))
    occupations, courses = occupations[order], courses[order]
    bounds = np.flatnonzero(np.r_[True, occupations[1:] != occupations[:-1], True])
    return {int(occupations[lo]): tuple(courses[lo:min(hi, lo + per_occupation)].tolist())
            for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)}


def routes_by_target(index: CatalogIndex, targets: list[int],
                     routes: dict[int, tuple[int, ...]]) -> list[tuple[int, int]]:
    """(target, course) pairs: per target its best route of each kind, up to PER_TARGET."""
    pairs: list[tuple[int, int]] = []
    for target in targets:
        kinds: set[str] = set()
        for c in routes.get(target, ()):
            kind = index.courses[c].kind
            if kind in kinds:
                continue
            kinds.add(kind)
            pairs.append((target, c))
            if len(kinds) >= PER_TARGET:
                break
    return pairs


def build_route(profile: Profile, index: CatalogIndex, feas: Feasibility, standing: Standing,
                target: int, c: int, *, today: date, rar_code: str | None) -> Route:
    """The route with its next session, EUV track, an assessment to take first, and funding."""
    course = index.courses[c]
    occupation = index.occupations[target]
    s = int(feas.session[c])
    session = None
    funding: tuple[Funding, ...] = ()
    if s >= 0:
        start = date.fromordinal(int(index.session_start[s]))
        end = date.fromordinal(int(index.session_end[s]))
        km = None if np.isnan(feas.distance[c]) else round(float(feas.distance[c]), 1)
        session = SessionChoice(code=index.session_codes[s], start=start, end=end,
                                postcode=None if course.delivery == "online"
                                else index.session_postcodes[s], distance_km=km)
        funding = funding_for(profile, course, Situation(today, start, end, km, rar_code), index)
    track = _euv_track(profile, index, standing, target) if course.kind == "euv" else None
    assessment = _assessment(index, feas, target, session.start if session else None) \
        if course.kind == "euv" else None
    reasons = [_length_reason(course.kind, course.duration_days, track), _pay_reason(profile,
                                                                                    course.kind,
                                                                                    funding)]
    if assessment is not None:
        ikv = index.courses[assessment]
        reasons.append(why("assessment", course=Label(ikv.title_da, ikv.title_en)))
    return Route(
        target=occupation.code, target_title_da=occupation.title_da,
        target_title_en=occupation.title_en, course=course.code, title_da=course.title_da,
        title_en=course.title_en, kind=course.kind, provider=course.provider_name,
        education=course.education, duration_days=float(course.duration_days), track=track,
        session=session, assessment=index.courses[assessment].code if assessment is not None
        else None, funding=funding, cost_dkk=cost_to_person(profile, course, funding)
        if funding else 0.0, reasons=tuple(reasons))


def _euv_track(profile: Profile, index: CatalogIndex, standing: Standing, target: int) -> str:
    """euv1 with 2+ years' relevant experience; euv3 only with no work and no education after
    school at all; else euv2. Our taxonomy sees only part of what years of work teach, so
    unrelated-looking experience is not called "none": the assessment decides (domain.md §5).
    """
    essential = index.essential[target] > 0
    needed = max(int(essential.sum()), 1)
    years = 0.0
    for job in profile.occupations:
        j = index.occupation_pos[job.occupation]
        overlap = float((essential & (index.essential[j] > 0)).sum()) / needed
        if j == target or overlap >= EXPERIENCE_OVERLAP:
            years += job.years
    if years >= EUV1_YEARS:
        return "euv1"
    if profile.occupations or standing.rank > index.education_rank.get("grundskole", 1):
        return "euv2"
    return "euv3"


def _assessment(index: CatalogIndex, feas: Feasibility, target: int,
                before: date | None) -> int | None:
    """An IKV linked to the target whose session ends before the route starts."""
    best: tuple[int, str, int] | None = None
    for c in index.assessments_of.get(target, ()):
        if not feas.feasible[c]:
            continue
        s = int(feas.session[c])
        if before is not None and int(index.session_end[s]) >= before.toordinal():
            continue
        key = (int(index.session_start[s]), index.courses[c].code, c)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def _length_reason(kind: str, days: float, track: str | None) -> Reason:
    if kind == "euv" and track:
        return why("length", "length.euv_track", days=round(days), track=track.upper())
    if kind == "euv":
        return why("length", "length.euv", days=round(days))
    return why("length", days=round(days))


def _pay_reason(profile: Profile, kind: str, funding: tuple[Funding, ...]) -> Reason:
    """What the person lives on during the education, as guidance."""
    answers = {f.scheme: f.eligible for f in funding}
    if kind == "voksenlaerling":
        return why("pay", "pay.apprentice")
    if answers.get("uddannelsesloeft") in (True, "maybe"):
        return why("pay", "pay.uddannelsesloeft")
    if answers.get("voksenlaerling") in (True, "maybe"):
        return why("pay", "pay.apprentice_option")
    if profile.status == "employed":
        return why("pay", "pay.employed")
    return why("pay", "pay.other")
