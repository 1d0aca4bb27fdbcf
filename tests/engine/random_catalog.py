"""Seeded random catalogues and profiles for the oracle and property tests."""

from __future__ import annotations

import random
from datetime import date, timedelta

from matcher.engine.model import (
    SCHEDULES,
    Course,
    Occupation,
    PastJob,
    Profile,
    Session,
    ShortageRating,
    Skill,
    Snapshot,
)
from tests.engine.builders import PLACES, make_snapshot

CATEGORIES = ("omfattende_mangel", "mangel", "paradoks", "gode", "mindre_gode")
KINDS = ("amu", "amu", "amu", "akademi", "eud", "euv", "voksenlaerling", "ikv", "other")


def random_snapshot(seed: int, *, courses: int = 80) -> Snapshot:
    rng = random.Random(seed)
    skills = tuple(Skill(f"s{i:03d}", f"Kompetence {i}", f"Skill {i}") for i in range(30))
    codes = [s.code for s in skills]
    occupations = []
    for i in range(12):
        chosen = rng.sample(codes, 7)
        occupations.append(Occupation(
            f"o{i:02d}", f"Job {i}", f"Job {i}", essential=tuple(sorted(chosen[:5])),
            optional=tuple(sorted(chosen[5:])),
            min_education_level=rng.choice(("grundskole", "grundskole", "eud", "mvu_profbach"))))
    catalogue = []
    sessions = []
    today = date(2026, 12, 1)
    for i in range(courses):
        taught = tuple(sorted(rng.sample(codes, rng.randint(1, 3))))
        rest = [c for c in codes if c not in taught]
        prereqs = tuple(rng.sample(rest, 1)) if rng.random() < 0.15 else ()
        code = f"c{i:04d}"
        catalogue.append(Course(
            code=code, kind=rng.choice(KINDS), title_da=f"Kursus {i}", provider="p",
            provider_name="Demo", provider_postcode=rng.choice(PLACES).postcode,
            duration_days=float(rng.choice((1, 2, 3, 5, 10, 20, 200))),
            delivery=rng.choice(("presence", "presence", "presence", "online", "blended")),
            schedule=rng.choice(SCHEDULES), skills=taught, prerequisites=prereqs,
            occupations=tuple(sorted(rng.sample([o.code for o in occupations],
                                                rng.randint(0, 2)))),
            min_education_level=rng.choice((None, None, None, "gymnasial", "kvu"))))
        for j in range(rng.randint(0, 3)):
            start = today + timedelta(days=rng.randint(-20, 300))
            sessions.append(Session(code, f"{code}-{j}", start, start + timedelta(days=4),
                                    postcode=rng.choice((None, None, rng.choice(PLACES).postcode)),
                                    status=rng.choice(("open", "open", "open", "full"))))
    shortages = tuple(ShortageRating(o.code, area, "2026H2", rng.choice(CATEGORIES), "demo")
                      for o in occupations for area in ("VESTJ", "OESTJ"))
    return make_snapshot(skills=skills, occupations=tuple(occupations), courses=tuple(catalogue),
                         sessions=tuple(sessions), shortages=shortages)


def random_profile(seed: int, snapshot: Snapshot) -> Profile:
    rng = random.Random(seed * 7919 + 1)
    occupation_codes = [o.code for o in snapshot.occupations]
    return Profile(
        status=rng.choice(("employed", "unemployed", "fleksjob_unemployed")),
        age=rng.randint(18, 64),
        education_level=rng.choice(("grundskole", "gymnasial", "eud", "kvu")),
        benefit="dagpenge", unemployed_weeks=rng.randint(0, 60), kommunekode=657,
        postcode=rng.choice([p.postcode for p in PLACES] + [None]),
        occupations=tuple(PastJob(code, rng.choice((0.3, 1.0, 5.0)))
                          for code in rng.sample(occupation_codes, rng.randint(0, 2))),
        skills=tuple(rng.sample([s.code for s in snapshot.skills], rng.randint(0, 4))),
        interests=tuple(rng.sample(occupation_codes, rng.randint(0, 1))),
        max_distance_km=rng.choice((10.0, 50.0, 150.0)),
        schedule=tuple(rng.sample(SCHEDULES, rng.randint(1, 4))),
        max_course_days=rng.choice((None, 5, 30)),
        start_within_weeks=rng.choice((4, 26, 52)),
    )
