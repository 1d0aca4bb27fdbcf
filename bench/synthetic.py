"""Seeded synthetic catalogues of any size, shaped like the bundled one, for benchmarks."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from matcher.engine.model import (
    SCHEDULES,
    Course,
    FundingRate,
    Membership,
    Occupation,
    PastJob,
    Place,
    PositiveListEntry,
    Profile,
    Session,
    ShortageRating,
    Skill,
    Snapshot,
)
from tests.engine.builders import LEVELS  # the same education levels as the engine tests

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 12, 1)
CATEGORIES = ("omfattende_mangel", "mangel", "mangel", "paradoks", "gode", "gode", "mindre_gode")
KINDS = ("amu",) * 6 + ("akademi", "eud", "euv", "voksenlaerling", "ikv", "other", "diplom")


def places() -> tuple[Place, ...]:
    with (ROOT / "course_catalog" / "postcodes.csv").open(encoding="utf-8") as handle:
        return tuple(Place(r["postcode"], r["name"], float(r["lat"]), float(r["lon"]))
                     for r in csv.DictReader(handle))


def synthetic_snapshot(courses: int, *, seed: int = 1, skills: int = 600,
                       occupations: int = 130) -> Snapshot:
    rng = random.Random(seed)
    all_places = places()
    near = [p for p in all_places if p.postcode[0] in "67"] or list(all_places)
    skill_list = tuple(Skill(f"s{i:04d}", f"Kompetence {i}", f"Skill {i}",
                             (f"alias {i}",), (f"alias en {i}",)) for i in range(skills))
    codes = [s.code for s in skill_list]
    jobs = []
    for i in range(occupations):
        chosen = rng.sample(codes, 10)
        jobs.append(Occupation(f"o{i:03d}", f"Stilling {i}", f"Occupation {i}",
                               (f"job alias {i}",), (), rng.choice(("grundskole", "eud", "eud")),
                               tuple(sorted(chosen[:7])), tuple(sorted(chosen[7:]))))
    job_codes = [o.code for o in jobs]
    course_list, sessions = [], []
    for i in range(courses):
        code = f"c{i:06d}"
        job = jobs[rng.randrange(occupations)]
        taught = tuple(sorted(set(rng.sample(job.essential, rng.randint(1, 3)))))
        course_list.append(Course(
            code=code, kind=rng.choice(KINDS), title_da=f"Kursus {i}", provider=f"p{i % 40}",
            provider_name=f"Udbyder {i % 40}", provider_postcode=rng.choice(near).postcode,
            duration_days=float(rng.choice((1, 2, 3, 5, 5, 10, 15, 300))),
            price_dkk=rng.randint(1, 30) * 500, fee_target_group_dkk=rng.choice((0, 900, 1800)),
            delivery=rng.choice(("presence",) * 8 + ("online", "blended")),
            schedule=rng.choice(SCHEDULES), skills=taught,
            prerequisites=(rng.choice(codes),) if rng.random() < 0.1 else (),
            occupations=(job.code,) if rng.random() < 0.6 else ()))
        for j in range(rng.choice((1, 2, 3, 4))):
            start = TODAY + timedelta(days=rng.randint(0, 360))
            sessions.append(Session(code, f"{code}-{j}", start, start + timedelta(days=4)))
    shortages = tuple(ShortageRating(code, area, "2026H2", rng.choice(CATEGORIES), "demo")
                      for code in job_codes for area in ("VESTJ", "OESTJ"))
    lists = tuple(PositiveListEntry("seks_uger", c.code) for c in course_list[::7])
    return Snapshot(
        education_levels=LEVELS, skills=skill_list, occupations=tuple(jobs),
        shortages=shortages, courses=tuple(course_list), sessions=tuple(sessions),
        places=all_places, positive_lists=lists,
        funding_rates=(FundingRate("veu", 2023, "dkk_week", 4555),),
        memberships=(Membership(657, "VESTJ"),), adjacency=(("VESTJ", "OESTJ"),),
        rar_names=(("VESTJ", "RAR Vestjylland"),), version=1)


def synthetic_profiles(snapshot: Snapshot, count: int, *, seed: int = 2) -> list[Profile]:
    rng = random.Random(seed)
    jobs = [o.code for o in snapshot.occupations]
    return [Profile(status=rng.choice(("unemployed", "employed")), age=rng.randint(20, 60),
                    education_level=rng.choice(("grundskole", "eud")), benefit="dagpenge",
                    unemployed_weeks=rng.randint(0, 40), kommunekode=657, postcode="7400",
                    occupations=(PastJob(rng.choice(jobs), rng.choice((1.0, 4.0))),),
                    skills=tuple(rng.sample([s.code for s in snapshot.skills], 3)))
            for _ in range(count)]
