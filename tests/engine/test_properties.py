"""The properties of design.md §5, checked with hypothesis over random catalogues."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.data.reasons import render
from matcher.engine.courses import LEAD_DAYS
from matcher.engine.index import build_index
from matcher.engine.match import match
from matcher.engine.model import SHORTAGE_ORDER, Course, Session, ShortageRating
from matcher.engine.output import result_to_json
from matcher.engine.ranking import area_of, held_skills, proximities
from tests.engine.builders import PLACES, TODAY
from tests.engine.oracle import _km
from tests.engine.random_catalog import random_profile, random_snapshot

seeds = st.integers(min_value=0, max_value=10_000)
SETTINGS = settings(max_examples=40, deadline=None)


@SETTINGS
@given(seeds)
def test_same_input_same_output(seed: int) -> None:
    snapshot = random_snapshot(seed)
    profile = random_profile(seed, snapshot)
    first = result_to_json(match(profile, build_index(snapshot), today=TODAY), render=render)
    second = result_to_json(match(profile, build_index(snapshot), today=TODAY), render=render)
    assert first == second


@SETTINGS
@given(seeds, st.data())
def test_raising_a_shortage_never_lowers_the_job_or_its_courses(seed: int,
                                                                 data: st.DataObject) -> None:
    snapshot = random_snapshot(seed)
    profile = random_profile(seed, snapshot)
    before = match(profile, build_index(snapshot), today=TODAY, limit=100)
    if not before.occupations:
        return
    target = data.draw(st.sampled_from([o.code for o in before.occupations]))
    old = next(r for r in snapshot.shortages if r.occupation == target and r.rar_code == "VESTJ")
    better = SHORTAGE_ORDER[:SHORTAGE_ORDER.index(old.category)]
    if not better:
        return
    category = data.draw(st.sampled_from(better))
    raised = replace(snapshot, shortages=tuple(
        replace(r, category=category) if r == old else r for r in snapshot.shortages))
    after = match(profile, build_index(raised), today=TODAY, limit=100)
    score_before = next(o.score for o in before.occupations if o.code == target)
    score_after = next(o.score for o in after.occupations if o.code == target)
    assert score_after >= score_before
    courses_after = {c.code: c.score for c in after.courses}
    for course in before.courses:
        if target in course.targets and course.code in courses_after:
            assert courses_after[course.code] >= course.score


@SETTINGS
@given(seeds, st.data())
def test_adding_a_held_skill_never_lowers_any_proximity(seed: int, data: st.DataObject) -> None:
    snapshot = random_snapshot(seed)
    profile = random_profile(seed, snapshot)
    index = build_index(snapshot)
    extra = data.draw(st.sampled_from([s.code for s in snapshot.skills]))
    before = proximities(index, held_skills(profile, index))
    richer = replace(profile, skills=tuple(dict.fromkeys((*profile.skills, extra))))
    after = proximities(index, held_skills(richer, index))
    assert all(a >= b - 1e-12 for a, b in zip(after, before, strict=True))


@SETTINGS
@given(seeds, st.sampled_from([p.postcode for p in PLACES]),
       st.sampled_from([p.postcode for p in PLACES]))
def test_a_farther_twin_never_outranks_the_nearer_course(seed: int, near: str, far: str) -> None:
    snapshot = random_snapshot(seed, courses=30)
    profile = replace(random_profile(seed, snapshot), postcode="7400", max_distance_km=500.0,
                      schedule=("day", "evening", "weekend", "self_paced"), max_course_days=None,
                      start_within_weeks=52, completed_courses=())
    places = {p.postcode: (p.lat, p.lon) for p in PLACES}
    home = places["7400"]
    if _km(home, places[near]) >= _km(home, places[far]):
        near, far = far, near
    if _km(home, places[near]) == _km(home, places[far]):
        return
    teaches = tuple(sorted({s for o in snapshot.occupations for s in o.essential})[:2])
    start = TODAY + timedelta(days=14)
    twins = tuple(Course(code=code, kind="amu", title_da="Tvilling", provider="p",
                         provider_name="Demo", provider_postcode=postcode, duration_days=3.0,
                         skills=teaches, schedule="day", delivery="presence")
                  for code, postcode in (("zz_a", far), ("zz_b", near)))
    sessions = tuple(Session(c.code, f"{c.code}-1", start, start + timedelta(days=2))
                     for c in twins)
    snapshot = replace(snapshot, courses=snapshot.courses + twins,
                       sessions=snapshot.sessions + sessions)
    result = match(replace(profile, skills=()), build_index(snapshot), today=TODAY, limit=100)
    order = [c.code for c in result.courses]
    if "zz_a" in order and "zz_b" in order:
        assert order.index("zz_b") < order.index("zz_a")
    else:
        assert "zz_a" not in order or "zz_b" in order


@SETTINGS
@given(seeds)
def test_listed_courses_and_path_steps_satisfy_every_constraint(seed: int) -> None:
    snapshot = random_snapshot(seed)
    profile = random_profile(seed, snapshot)
    index = build_index(snapshot)
    result = match(profile, index, today=TODAY, limit=50)
    held = held_skills(profile, index)
    have = {index.skills[i].code for i, value in enumerate(held) if value > 0}
    courses = {c.code: c for c in snapshot.courses}
    first_day = TODAY + timedelta(days=LEAD_DAYS)  # bookable: design.md §5a.8
    window_end = first_day + timedelta(weeks=profile.start_within_weeks)
    for listed in result.courses:
        course = courses[listed.code]
        assert listed.session is not None
        assert first_day <= listed.session.start <= window_end
        assert (course.schedule or "day") in profile.schedule
        assert profile.max_course_days is None or course.duration_days <= profile.max_course_days
        assert set(course.prerequisites) <= have
        if course.delivery == "online":
            assert listed.distance_km is None
        elif listed.distance_km is not None:
            assert listed.distance_km <= profile.max_distance_km
    for path in result.paths:
        learned = set(have)
        previous_end: date | None = None
        for number, step in enumerate(path.steps):
            course = courses[step.course]
            assert set(course.prerequisites) <= learned
            assert (course.schedule or "day") in profile.schedule
            assert profile.max_course_days is None or course.duration_days <= profile.max_course_days
            if number == 0:
                assert first_day <= step.start <= window_end
            if previous_end is not None:
                assert step.start > previous_end  # in time order, without overlap
            previous_end = step.end
            learned |= set(course.skills)
        assert 0 < path.covered_share <= 1
        assert path.total_days == round(sum(s.days for s in path.steps), 1)


@SETTINGS
@given(seeds)
def test_nothing_beyond_the_travel_distance_unless_online(seed: int) -> None:
    snapshot = random_snapshot(seed)
    profile = replace(random_profile(seed, snapshot), postcode="7400", max_distance_km=30.0)
    index = build_index(snapshot)
    places = {p.postcode: (p.lat, p.lon) for p in PLACES}
    sessions = {(s.course, s.code): s for s in snapshot.sessions}
    courses = {c.code: c for c in snapshot.courses}
    for listed in match(profile, index, today=TODAY, limit=50).courses:
        course = courses[listed.code]
        assert listed.session is not None
        session = sessions[(listed.code, listed.session.code)]
        km = _km(places["7400"], places[session.postcode or course.provider_postcode])
        assert course.delivery == "online" or km <= 30.0 + 1e-9


def test_area_follows_dated_membership() -> None:
    snapshot = random_snapshot(1)
    newer = ShortageRating("o00", "VESTJ", "2027H1", "mangel")
    index = build_index(replace(snapshot, shortages=(*snapshot.shortages, newer)))
    assert area_of(index, 657, TODAY).period == "2026H2"  # 2027H1 has not started yet
    assert area_of(index, 657, date(2027, 2, 1)).period == "2027H1"
    assert math.isclose(len(area_of(index, 657, TODAY).ratings), len(index.occupations))
