"""Personas on the bundled catalogue, through the database: results a caseworker would sign.

The catalogue goes through the real chain (loader, database, snapshot, index) once per
module; each persona then checks its top occupations, that every course and path step
fits its limits, and that the funding answers follow domain.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from matcher import create_app
from matcher.data import migrate
from matcher.data.catalog import load_catalog
from matcher.data.db import get_session, make_engine
from matcher.data.reasons import render
from matcher.data.snapshot import load_snapshot
from matcher.engine.courses import LEAD_DAYS
from matcher.engine.index import CatalogIndex, build_index
from matcher.engine.match import match
from matcher.engine.model import MatchResult, PastJob, Profile
from tests.conftest import BUNDLED_CATALOG

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogIndex]:
    url = "sqlite:///" + str(Path(tmp_path_factory.mktemp("personas")) / "personas.db")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, BUNDLED_CATALOG)
        yield build_index(load_snapshot(session))
    app.extensions["db_engine"].dispose()


def run(index: CatalogIndex, profile: Profile, limit: int = 10) -> MatchResult:
    return match(profile, index, today=TODAY, limit=limit)


def category(index: CatalogIndex, occupation: str, area: str = "VESTJ") -> str | None:
    rating = index.shortages[(area, "2026H2")][index.occupation_pos[occupation]]
    return rating.category if rating else None


def funding(result: MatchResult, scheme: str) -> list[object]:
    return [f.eligible for c in result.courses for f in c.funding if f.scheme == scheme]


def assert_fits(index: CatalogIndex, result: MatchResult, profile: Profile) -> None:
    """Every listed course and path step respects the person's limits (design.md §5)."""
    first_day = TODAY + timedelta(days=LEAD_DAYS)
    window = first_day + timedelta(weeks=profile.start_within_weeks)
    for listed in result.courses:
        course = index.courses[index.course_pos[listed.code]]
        assert listed.session is not None and first_day <= listed.session.start <= window
        assert (course.schedule or "day") in profile.schedule
        assert profile.max_course_days is None or course.duration_days <= profile.max_course_days
        assert course.delivery == "online" or listed.distance_km is None \
            or listed.distance_km <= profile.max_distance_km
    for occupation in result.occupations:
        assert occupation.shortage != "mindre_gode" or occupation.code in profile.interests
        if occupation.needs_route:
            assert any(r.kind == "route" for r in occupation.reasons)
    for path in result.paths:
        ends = [step.end for step in path.steps]
        starts = [step.start for step in path.steps]
        assert all(later > earlier for earlier, later in zip(ends, starts[1:], strict=False))


WAREHOUSE = Profile(status="unemployed", benefit="dagpenge", unemployed_weeks=8, age=34,
                    education_level="grundskole", postcode="7400",
                    occupations=(PastJob("lagermedarbejder", 6.0),))


def test_unskilled_warehouse_worker_on_dagpenge(index: CatalogIndex) -> None:
    """34, unemployed 8 weeks on dagpenge, six years in a warehouse, lives in Herning."""
    result = run(index, WAREHOUSE)
    codes = [o.code for o in result.occupations]
    assert codes[0] == "lagermedarbejder"  # his own trade, in shortage in Vestjylland
    assert category(index, "lagermedarbejder") in ("mangel", "omfattende_mangel")
    assert {"terminalarbejder", "truckfoerer", "pakkerimedarbejder"} & set(codes[:6])
    assert result.area == "VESTJ" and result.period == "2026H2"
    assert_fits(index, result, WAREHOUSE)
    # Week 8 is past the 5-week wait and far from the 9-month deadline (domain.md §2a).
    assert True in funding(result, "seks_uger")
    assert set(funding(result, "veu")) <= {False}  # VEU is for people in work (§4)
    assert all(c.cost_dkk == 0 for c in result.courses
               if any(f.scheme in ("seks_uger", "regional_pulje") and f.eligible is True
                      for f in c.funding))
    assert result.paths and all(0 < p.covered_share <= 1 for p in result.paths)


def test_skilled_carpenter_with_a_bad_back(index: CatalogIndex) -> None:
    """52, employed carpenter for 25 years in Holstebro; short courses only (30 days)."""
    profile = Profile(status="employed", age=52, education_level="eud", has_eud=True,
                      postcode="7500", occupations=(PastJob("toemrer", 25.0),),
                      max_course_days=30, interests=("bygningskonstruktoer",))
    result = run(index, profile)
    codes = [o.code for o in result.occupations]
    assert codes[0] == "toemrer"
    # A professional bachelor cannot be reached by short courses: not suggested without a
    # route, even when asked for (design.md §5 guard-rail).
    assert "bygningskonstruktoer" not in codes
    assert_fits(index, result, profile)
    assert all(len(n.reasons) == 1 for n in result.near_misses)  # one reason each
    # Employed with an EUD: VEU for AMU taught in a classroom (§4), never the six weeks.
    amu_in_class = [c for c in result.courses if c.kind == "amu"
                    and index.courses[index.course_pos[c.code]].delivery != "online"]
    assert amu_in_class
    # A session in 2026 gets the 2026 rate; one after the newest published rate, "maybe"
    # with the reason that the rate is not out (design.md §6), never False nor an old rate.
    for course in amu_in_class:
        veu = next(f for f in course.funding if f.scheme == "veu")
        assert course.session is not None
        if course.session.start.year <= 2026:
            assert veu.eligible is True and veu.amount_dkk
        else:
            assert veu.eligible == "maybe"
            assert [r.kind for r in veu.reasons] == ["rules_not_published"]
    assert set(funding(result, "seks_uger")) <= {False}


def test_young_adult_on_kontanthjaelp_with_only_grundskole(index: CatalogIndex) -> None:
    """27, on kontanthjælp for 30 weeks, no education beyond grundskole, lives in Ikast."""
    told_nothing = Profile(status="unemployed", benefit="kontanthjaelp", unemployed_weeks=30,
                           age=27, education_level="grundskole", postcode="7430")
    silent = run(index, told_nothing)  # no random jobs at 0 % fit: say what to add (§5a.5)
    assert not silent.occupations
    assert [n.kind for n in silent.notices] == ["too_little_information"]
    profile = replace(told_nothing, occupations=(PastJob("rengoeringsassistent", 2.0),))
    result = run(index, profile)
    assert result.occupations
    assert all(not o.needs_route or any(r.kind == "route" for r in o.reasons)
               for o in result.occupations)
    assert_fits(index, result, profile)
    assert set(funding(result, "seks_uger")) <= {False}  # not for kontanthjælp (§5)
    assert True in funding(result, "regional_pulje")  # the pool is for all target groups (§2b)
    assert set(funding(result, "uddannelsesloeft")) <= {False, "maybe"}  # under 30 (§2c)
    adult_routes = [c for c in result.courses if c.kind in ("euv", "voksenlaerling")]
    for course in adult_routes:  # 27 and unskilled after more than 2 months (§2d)
        assert next(f.eligible for f in course.funding if f.scheme == "voksenlaerling") is True


def test_nurses_aide_with_an_outdated_education(index: CatalogIndex) -> None:
    """46, SOSU-hjælper for 8 years, education not used for 5 years, 20 weeks on dagpenge."""
    profile = Profile(status="unemployed", benefit="dagpenge", unemployed_weeks=20, age=46,
                      education_level="eud", has_eud=True, education_outdated=True,
                      postcode="7400", occupations=(PastJob("social_og_sundhedshjaelper", 8.0),))
    result = run(index, profile)
    codes = [o.code for o in result.occupations]
    assert codes[0] == "social_og_sundhedshjaelper"
    assistant = next(o for o in result.occupations if o.code == "social_og_sundhedsassistent")
    assert assistant.needs_route  # the next step up is an education, offered with its route
    assert_fits(index, result, profile)
    # 30+, dagpenge, outdated education (§2c): 110 % for an education on the list; the
    # 80 % pool was abolished by lov nr. 1750 af 29/12/2025, so nothing else is promised.
    answers = [f for r in result.routes for f in r.funding if f.scheme == "uddannelsesloeft"]
    assert answers
    for answer in answers:
        assert answer.eligible is True or answer.reasons[0].message == "uddannelsesloeft.pool_ended"
    assert any(answer.eligible is True for answer in answers)
    sosu_routes = [p for p in result.paths if p.target == "social_og_sundhedsassistent"]
    for path in sosu_routes:
        assert index.courses[index.course_pos[path.steps[0].course]].kind in (
            "euv", "voksenlaerling", "eud")


def test_graduate_outside_the_amu_target_group(index: CatalogIndex) -> None:
    """29, a master's degree, one year of office work, 12 weeks on dagpenge."""
    profile = Profile(status="unemployed", benefit="dagpenge", unemployed_weeks=12, age=29,
                      education_level="lvu_kandidat", postcode="7400",
                      occupations=(PastJob("kontorassistent", 1.0),))
    result = run(index, profile)
    assert "kontorassistent" in [o.code for o in result.occupations[:3]]
    assert_fits(index, result, profile)
    assert set(funding(result, "seks_uger")) <= {False}  # higher education only (§2a)
    fees = [f for c in result.courses if c.kind == "amu" for f in c.funding
            if f.scheme == "amu_fee"]
    assert fees and all(f.eligible is False for f in fees)  # full price above EUD (§3)


def test_young_person_gets_no_adult_routes(index: CatalogIndex) -> None:
    """22, uddannelseshjælp: EUV and voksenlærling start at 25 (domain.md §2d, §5)."""
    profile = Profile(status="unemployed", benefit="uddannelseshjaelp", unemployed_weeks=10,
                      age=22, education_level="grundskole", postcode="7400")
    result = run(index, profile)
    assert all(c.kind not in ("euv", "voksenlaerling") for c in result.courses)
    assert all(index.courses[index.course_pos[s.course]].kind not in ("euv", "voksenlaerling")
               for p in result.paths for s in p.steps)
    assert_fits(index, result, profile)


def test_employed_production_worker_who_can_only_study_in_the_evening(
        index: CatalogIndex) -> None:
    """40, production worker in Holstebro, evenings only, within 25 km."""
    profile = Profile(status="employed", age=40, education_level="grundskole", postcode="7500",
                      occupations=(PastJob("produktionsmedarbejder", 10.0),),
                      schedule=("evening",), max_distance_km=25.0)
    result = run(index, profile)
    # His own job has only "gode" prospects: the list leads with a shortage job he is close
    # to, and his own job stays in view among the first three.
    assert category(index, "produktionsmedarbejder") == "gode"
    assert result.occupations[0].shortage in ("mangel", "omfattende_mangel")
    assert "produktionsmedarbejder" in [o.code for o in result.occupations[:3]]
    own = next(o for o in result.occupations if o.code == "produktionsmedarbejder")
    assert own.proximity >= max(o.proximity for o in result.occupations[:3])
    assert_fits(index, result, profile)
    assert all(index.courses[index.course_pos[c.code]].schedule == "evening"
               for c in result.courses)
    day_only = replace(profile, schedule=("day",))
    assert {c.code for c in run(index, day_only).courses}.isdisjoint(
        {c.code for c in result.courses})


def test_unemployed_flexjob_holder(index: CatalogIndex) -> None:
    """50, approved for flexjob and unemployed (ledighedsydelse), 10 weeks."""
    profile = Profile(status="fleksjob_unemployed", benefit="ledighedsydelse",
                      unemployed_weeks=10, age=50, education_level="eud", has_eud=True,
                      postcode="7400", occupations=(PastJob("kontorassistent", 12.0),))
    result = run(index, profile)
    assert_fits(index, result, profile)
    assert set(funding(result, "regional_pulje")) <= {False}  # not for fleksjob (§2b)
    six = [f for c in result.courses for f in c.funding if f.scheme == "seks_uger"]
    assert all("jobcentret" in render(f.reasons[0], "da") for f in six if f.eligible is True)


def test_a_citizen_of_aarhus_is_matched_on_east_jutland(index: CatalogIndex) -> None:
    result = run(index, replace(WAREHOUSE, kommunekode=751, postcode="8000"))
    assert result.area == "OESTJ"
    first = result.occupations[0]
    assert first.shortage == category(index, first.code, "OESTJ")


def test_without_a_postcode_distances_are_unknown_not_wrong(index: CatalogIndex) -> None:
    result = run(index, replace(WAREHOUSE, postcode=None))
    assert result.courses
    assert all(c.distance_km is None for c in result.courses)


def test_after_the_newest_published_rates_the_answer_is_maybe(index: CatalogIndex) -> None:
    """The bundled rates end with 2026: in 2027 VEU is "maybe" with the notice, no old rate."""
    profile = Profile(status="employed", age=45, education_level="eud", has_eud=True,
                      postcode="7400", occupations=(PastJob("lagermedarbejder", 10.0),))
    result = match(profile, index, today=date(2027, 1, 11), limit=10)
    veu = [f for c in result.courses for f in c.funding if f.scheme == "veu"]
    assert veu and {f.eligible for f in veu} == {"maybe"}
    assert all(f.amount_dkk is None and f.reasons[0].kind == "rules_not_published" for f in veu)
    assert "rules_not_published" in [n.kind for n in result.notices]
    texts = [render(r, "da") for c in result.courses for f in c.funding for r in f.reasons]
    assert not any("Sats 2026" in text or "Sats 2025" in text for text in texts)


def test_a_session_in_the_year_of_a_published_rate_gets_it(index: CatalogIndex) -> None:
    """December 2026 sessions still fall under the 2026 VEU rate (the last valid year)."""
    profile = Profile(status="employed", age=45, education_level="eud", has_eud=True,
                      postcode="7400", occupations=(PastJob("lagermedarbejder", 10.0),),
                      start_within_weeks=3, max_distance_km=150)
    result = match(profile, index, today=date(2026, 11, 16), limit=10)
    december = [c for c in result.courses if c.session and c.session.start.year == 2026
                and c.kind == "amu"]
    assert december, "the bundled catalogue has AMU sessions in December 2026"
    for course in december:
        veu = next(f for f in course.funding if f.scheme == "veu")
        assert veu.eligible is True and veu.amount_dkk
        assert "Sats 2026" in render(veu.reasons[0], "da")
