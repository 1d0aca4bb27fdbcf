"""The caseworker's advice of design.md §5a, as properties over random catalogues and as
small worked examples."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.data.reasons import render
from matcher.engine.courses import CONSTRAINTS, LEAD_DAYS, feasibility
from matcher.engine.education import standing
from matcher.engine.index import CatalogIndex, build_index
from matcher.engine.match import match
from matcher.engine.model import (
    ASKED_STATUSES,
    ROUTE_KINDS,
    Education,
    MatchResult,
    PastJob,
    Profile,
    ShortageRating,
    Snapshot,
)
from matcher.engine.ranking import FIT_FLOOR, held_skills, proximities
from tests.engine.builders import (
    LEVELS,
    PLACES,
    TODAY,
    make_course,
    make_occupation,
    make_profile,
    make_session,
    make_skill,
    make_snapshot,
)
from tests.engine.random_catalog import random_profile, random_snapshot

seeds = st.integers(min_value=0, max_value=10_000)
SETTINGS = settings(max_examples=30, deadline=None)

RANK = {level.code: level.rank for level in LEVELS}
STATUS = {level.code: level.skill_status for level in LEVELS}


def with_kinds(snapshot: Snapshot, seed: int) -> Snapshot:
    """The random catalogue with a few skills made certificates and a few general skills."""
    rng = random.Random(seed * 31 + 7)
    codes = [s.code for s in snapshot.skills]
    certificates = set(rng.sample(codes, 4))
    general = set(rng.sample([c for c in codes if c not in certificates], 4))
    return replace(snapshot, skills=tuple(
        replace(s, kind="certificate" if s.code in certificates
                else "transversal" if s.code in general else "skill")
        for s in snapshot.skills))


def kinds_of(snapshot: Snapshot, kind: str) -> list[str]:
    return [s.code for s in snapshot.skills if s.kind == kind]


def unskilled_unasked_in_top5(result: MatchResult, snapshot: Snapshot, profile: Profile) -> int:
    """Occupations in the first five needing only an unskilled level (or none), never held
    and not asked about."""
    level_of = {o.code: o.min_education_level for o in snapshot.occupations}
    held = {job.occupation for job in profile.occupations}
    return sum(1 for o in result.occupations[:5]
               if STATUS.get(level_of[o.code] or "", "ufaglaert") == "ufaglaert"
               and o.code not in held and o.code not in profile.interests)


# --- §5a.1: a higher education never gets more low-level suggestions ---------------------------


@SETTINGS
@given(seeds, st.data())
def test_a_higher_education_never_adds_unskilled_work_to_the_top_five(seed: int,
                                                                      data: st.DataObject) -> None:
    snapshot = random_snapshot(seed)
    profile = replace(random_profile(seed, snapshot),
                      education_outdated=data.draw(st.booleans(), label="outdated"))
    higher = [lv.code for lv in LEVELS if lv.rank > RANK[profile.education_level]]
    raised = replace(profile, education_level=data.draw(st.sampled_from(higher), label="level"))
    index = build_index(snapshot)
    before = unskilled_unasked_in_top5(match(profile, index, today=TODAY), snapshot, profile)
    after = unskilled_unasked_in_top5(match(raised, index, today=TODAY), snapshot, raised)
    assert after <= before, (profile.education_level, raised.education_level)


def test_a_graduate_is_not_offered_unskilled_work_they_never_did() -> None:
    """The property above is not vacuous: the same person, unskilled, is offered it."""
    skills = (make_skill("pakning"), make_skill("lager"), make_skill("truck"))
    snapshot = make_snapshot(
        skills=skills,
        occupations=(make_occupation("lagerarbejder", ("pakning", "lager", "truck")),),
        shortages=(ShortageRating("lagerarbejder", "VESTJ", "2026H2", "mangel"),))
    index = build_index(snapshot)
    person = make_profile(skills=("pakning", "lager"))
    assert [o.code for o in match(person, index, today=TODAY).occupations] == ["lagerarbejder"]
    graduate = replace(person, education_level="mvu_profbach")
    assert match(graduate, index, today=TODAY).occupations == ()
    done_it = replace(graduate, occupations=(PastJob("lagerarbejder", 3.0),))
    assert [o.code for o in match(done_it, index, today=TODAY).occupations] == ["lagerarbejder"]
    asked = replace(graduate, interests=("lagerarbejder",))
    assert [o.code for o in match(asked, index, today=TODAY).occupations] == ["lagerarbejder"]


# --- §5a.2: every interest answered, in its order ----------------------------------------------


@SETTINGS
@given(seeds, st.data())
def test_adding_an_interest_always_adds_its_answer_in_order(seed: int,
                                                            data: st.DataObject) -> None:
    snapshot = random_snapshot(seed)
    profile = random_profile(seed, snapshot)
    index = build_index(snapshot)
    codes = [o.code for o in snapshot.occupations]
    extra = data.draw(st.sampled_from([c for c in codes if c not in profile.interests]))
    more = replace(profile, interests=(*profile.interests, extra))
    before = match(profile, index, today=TODAY, limit=3)
    after = match(more, index, today=TODAY, limit=3)
    assert [a.code for a in before.asked] == list(profile.interests)
    assert [a.code for a in after.asked] == [*profile.interests, extra]
    assert all(a.status in ASKED_STATUSES for a in after.asked)
    answer = after.asked[-1]
    assert answer.reasons
    if answer.status == "needs_route" and answer.route is not None:
        assert answer.route.target == extra and answer.route.kind in ROUTE_KINDS


# --- §5a.7: certificates are declared, never inferred ------------------------------------------


@SETTINGS
@given(seeds, st.data())
def test_declaring_a_certificate_never_removes_a_feasible_course(seed: int,
                                                                 data: st.DataObject) -> None:
    """Compared on the set of feasible courses, not on the listed cards.

    The listed cards are not monotone in what the person holds, by design, even with a
    large limit: a course listed for teaching the certificate (and little else) is worth
    nothing once the certificate is declared, and the merged cards shift with the scores
    (hypothesis finds such cases at once). What declaring a certificate must
    never do is make a course unbookable; it can only meet a prerequisite.
    """
    base = random_snapshot(seed)
    required = sorted({p for c in base.courses for p in c.prerequisites})
    certificate = data.draw(st.sampled_from(required), label="certificate")
    # A skill some course requires becomes a certificate, beside a few others.
    snapshot = with_kinds(base, seed)
    snapshot = replace(snapshot, skills=tuple(replace(s, kind="certificate")
                                              if s.code == certificate else s
                                              for s in snapshot.skills))
    certificates = kinds_of(snapshot, "certificate")
    drawn = random_profile(seed, snapshot)
    profile = replace(drawn, skills=tuple(s for s in drawn.skills if s not in certificates))
    declared = replace(profile, skills=(*profile.skills, certificate))
    index = build_index(snapshot)

    def feasible(person: Profile) -> tuple[set[str], set[str]]:
        """The feasible courses, and the near misses for a prerequisite only."""
        rank = standing(person, index).rank
        feas = feasibility(person, index, held_skills(person, index), TODAY, person_rank=rank)
        prerequisite = CONSTRAINTS.index("prerequisites")
        return ({index.courses[c].code for c in np.flatnonzero(feas.feasible).tolist()},
                {index.courses[c].code
                 for c in np.flatnonzero(feas.near_miss == prerequisite).tolist()})

    (before, near), (after, _) = feasible(profile), feasible(declared)
    assert before <= after
    # A course needing the certificate is bookable only once it is declared, and then it is
    # when the certificate was all it lacked.
    needing = {c.code for c in snapshot.courses if c.prerequisites == (certificate,)}
    assert not {c.code for c in snapshot.courses if certificate in c.prerequisites} & before
    assert needing & near <= after


def test_a_course_needing_an_undeclared_certificate_is_a_near_miss_naming_it() -> None:
    skills = (make_skill("kran", kind="certificate", label_da="Kranførercertifikat",
                         label_en="Crane operator certificate"),
              make_skill("anhugning"), make_skill("rigning"))
    jobs = (make_occupation("kranfoerer", ("kran", "anhugning", "rigning")),
            make_occupation("stilladsmontoer", ("kran", "anhugning")))
    course = make_course("rig", ("rigning",), prerequisites=("kran",))
    snapshot = make_snapshot(skills=skills, occupations=jobs, courses=(course,),
                             sessions=(make_session("rig", TODAY + timedelta(days=30)),),
                             shortages=(ShortageRating("kranfoerer", "VESTJ", "2026H2", "mangel"),))
    index = build_index(snapshot)
    # Years in a job that needs the certificate do not make it held: it must be declared.
    person = make_profile(occupations=(PastJob("stilladsmontoer", 6.0),),
                          interests=("kranfoerer",))
    result = match(person, index, today=TODAY)
    assert "kran" in result.asked[0].missing_skills
    assert [c.code for c in result.courses] == []
    assert [(n.code, n.constraint) for n in result.near_misses] == [("rig", "prerequisites")]
    said = render(result.near_misses[0].reasons[0], "en")
    assert "Crane operator certificate" in said and "not said you hold" in said
    declared = match(replace(person, skills=("kran",)), index, today=TODAY)
    assert [c.code for c in declared.courses] == ["rig"]
    assert declared.near_misses == ()


@SETTINGS
@given(seeds)
def test_certificates_are_never_inferred_from_a_job(seed: int) -> None:
    base = random_snapshot(seed)
    profile = random_profile(seed, base)
    if not profile.occupations:
        profile = replace(profile, occupations=(PastJob(base.occupations[seed % 12].code, 5.0),))
    jobs = {o.code: o for o in base.occupations}
    first = jobs[profile.occupations[0].occupation]
    certificate = first.essential[seed % len(first.essential)]
    snapshot = replace(base, skills=tuple(replace(s, kind="certificate") if s.code == certificate
                                          else s for s in base.skills))
    index = build_index(snapshot)
    position = index.skill_pos[certificate]
    silent = replace(profile, skills=tuple(s for s in profile.skills if s != certificate),
                     completed_courses=(), interests=(first.code,))
    assert held_skills(silent, index)[position] == 0.0
    assert certificate in match(silent, index, today=TODAY).asked[0].missing_skills
    # The other essential skills of the job are inferred from it.
    others = [s for s in first.essential if s != certificate]
    assert all(held_skills(silent, index)[index.skill_pos[s]] > 0 for s in others)
    stated = replace(silent, skills=(*silent.skills, certificate))
    assert held_skills(stated, index)[position] == 1.0
    assert certificate not in match(stated, index, today=TODAY).asked[0].missing_skills


# --- §5a.8: bookable ---------------------------------------------------------------------------


def session_starts(result: MatchResult) -> list[tuple[str, date]]:
    """Every session start the result offers: courses, other places, paths and routes."""
    starts: list[tuple[str, date]] = []
    for course in result.courses:
        assert course.session is not None
        starts.append((f"course {course.code}", course.session.start))
        starts += [(f"other place {o.course}", o.session.start) for o in course.other_places]
    paths = list(result.paths) + [a.path for a in result.asked if a.path is not None]
    starts += [(f"path step {s.course}", s.start) for p in paths for s in p.steps]
    routes = list(result.routes) + [a.route for a in result.asked if a.route is not None]
    starts += [(f"route {r.course}", r.session.start) for r in routes if r.session is not None]
    return starts


@SETTINGS
@given(seeds, st.sampled_from([None, 30]))
def test_no_session_starts_inside_the_lead_time(seed: int, lead_days: int | None) -> None:
    snapshot = random_snapshot(seed)
    # Sessions starting around the lead time, so that the boundary is exercised.
    rng = random.Random(seed)
    near = tuple(replace(s, start=TODAY + timedelta(days=rng.randint(0, 40)),
                         end=TODAY + timedelta(days=45))
                 for s in snapshot.sessions[::3])
    snapshot = replace(snapshot, sessions=snapshot.sessions + tuple(
        replace(s, code=f"{s.code}-soon") for s in near))
    profile = random_profile(seed, snapshot)
    index = build_index(snapshot)
    if lead_days is None:
        result, first = match(profile, index, today=TODAY, limit=20), LEAD_DAYS
    else:
        result, first = match(profile, index, today=TODAY, limit=20, lead_days=lead_days), lead_days
    for what, start in session_starts(result):
        assert start >= TODAY + timedelta(days=first), f"{what} starts {start}"


# --- §5a.6 and §5a.10: assessments and general skills are not teaching -----------------------


@SETTINGS
@given(seeds)
def test_no_assessment_or_filler_as_a_path_step(seed: int) -> None:
    snapshot = with_kinds(random_snapshot(seed, courses=120), seed)
    profile = random_profile(seed, snapshot)
    index = build_index(snapshot)
    result = match(profile, index, today=TODAY, limit=12, path_count=6)
    kinds = {c.code: c.kind for c in snapshot.courses}
    taught = {c.code: set(c.skills) for c in snapshot.courses}
    general = set(kinds_of(snapshot, "transversal"))
    held = held_skills(profile, index)
    have = {index.skills[i].code for i in np.flatnonzero(held > 0).tolist()}
    for path in list(result.paths) + [a.path for a in result.asked if a.path is not None]:
        learned = set(have)
        for number, step in enumerate(path.steps):
            if kinds[step.course] == "ikv":
                following = path.steps[number + 1] if number + 1 < len(path.steps) else None
                assert following is not None and kinds[following.course] in ROUTE_KINDS, \
                    f"assessment {step.course} is a step of its own towards {path.target}"
            elif kinds[step.course] not in ROUTE_KINDS:
                new = taught[step.course] - learned
                assert new - general, f"{step.course} adds only general skills {sorted(new)}"
            learned |= taught[step.course]


@SETTINGS
@given(seeds)
def test_general_skills_come_with_years_of_work(seed: int) -> None:
    snapshot = with_kinds(random_snapshot(seed), seed)
    profile = random_profile(seed, snapshot)
    index = build_index(snapshot)
    held = held_skills(profile, index)
    jobs = {o.code: o for o in snapshot.occupations}
    for job in profile.occupations:
        occupation = jobs[job.occupation]
        for code in set(occupation.essential + occupation.optional) & set(
                kinds_of(snapshot, "transversal")):
            assert held[index.skill_pos[code]] == 1.0


# --- worked examples ---------------------------------------------------------------------------


START = TODAY + timedelta(days=30)


def education_snapshot(*, with_route: bool = True) -> Snapshot:
    """An authorised electrician (regulated, faglært), a hairdresser (faglært), and a smith."""
    skills = (make_skill("el_install"), make_skill("el_sikkerhed"), make_skill("klipning"),
              make_skill("farvning"), make_skill("svejsning"))
    occupations = (
        make_occupation("elektriker", ("el_install", "el_sikkerhed"), min_education_level="eud",
                        regulated=True),
        make_occupation("frisoer", ("klipning", "farvning"), min_education_level="eud"),
        make_occupation("smed", ("svejsning",), min_education_level="eud"),
    )
    educations = (
        Education("edu_elektriker", "Elektriker", "eud", title_en="Electrician",
                  qualifies=("elektriker",)),
        Education("edu_frisoer", "Frisør", "eud", title_en="Hairdresser", qualifies=("frisoer",)),
        Education("edu_smed", "Smed", "eud", title_en="Smith", qualifies=("smed",)),
    )
    routes = (make_course("euv_el", ("el_install", "el_sikkerhed"), kind="euv",
                          title_da="EUV Elektriker", duration_days=400, education="edu_elektriker",
                          occupations=("elektriker",)),
              make_course("euv_frisoer", ("klipning", "farvning"), kind="euv",
                          title_da="EUV Frisør", duration_days=400, education="edu_frisoer",
                          occupations=("frisoer",))) if with_route else ()
    snapshot = make_snapshot(
        skills=skills, occupations=occupations, courses=routes,
        sessions=tuple(make_session(c.code, START) for c in routes),
        shortages=tuple(ShortageRating(o.code, "VESTJ", "2026H2", "mangel") for o in occupations))
    return replace(snapshot, educations=educations)


def answer(profile: Profile, index: CatalogIndex, code: str) -> str:
    result = match(replace(profile, interests=(code,)), index, today=TODAY)
    assert [a.code for a in result.asked] == [code]
    return result.asked[0].status


def test_a_regulated_occupation_is_open_only_with_its_qualifying_education() -> None:
    index = build_index(education_snapshot())
    electrician = make_profile(education_level="eud", has_eud=True,
                               educations=("edu_elektriker",))
    smith = make_profile(education_level="eud", has_eud=True, educations=("edu_smed",))
    assert answer(electrician, index, "elektriker") == "open"
    assert answer(smith, index, "elektriker") == "needs_route"
    result = match(replace(smith, interests=("elektriker",)), index, today=TODAY)
    assert result.asked[0].route is not None and result.asked[0].route.course == "euv_el"
    assert answer(smith, index, "smed") == "open"  # the level alone opens an unregulated job
    # No route in the catalogue: out of reach, and said so plainly.
    bare = build_index(education_snapshot(with_route=False))
    assert answer(smith, bare, "elektriker") == "out_of_reach"
    assert answer(electrician, bare, "elektriker") == "open"


def test_a_higher_education_does_not_make_anyone_a_skilled_worker() -> None:
    index = build_index(education_snapshot())
    bachelor = make_profile(education_level="mvu_profbach")
    assert answer(bachelor, index, "frisoer") == "needs_route"
    assert answer(replace(bachelor, has_eud=True), index, "frisoer") == "open"
    assert answer(replace(bachelor, educations=("edu_frisoer",)), index, "frisoer") == "open"
    assert answer(make_profile(education_level="eud"), index, "frisoer") == "open"


def test_below_the_fit_floor_only_when_asked() -> None:
    skills = tuple(make_skill(f"k{i}") for i in range(10))
    codes = tuple(s.code for s in skills)
    snapshot = make_snapshot(
        skills=skills,
        occupations=(make_occupation("fjern", codes), make_occupation("naer", codes[:4])),
        shortages=(ShortageRating("fjern", "VESTJ", "2026H2", "omfattende_mangel"),
                   ShortageRating("naer", "VESTJ", "2026H2", "gode")))
    index = build_index(snapshot)
    person = make_profile(skills=("k0",))
    far, near = proximities(index, held_skills(person, index)).tolist()
    assert 0 < far < FIT_FLOOR <= near
    assert [o.code for o in match(person, index, today=TODAY).occupations] == ["naer"]
    asked = match(replace(person, interests=("fjern",)), index, today=TODAY)
    assert "fjern" in [o.code for o in asked.occupations]
    assert [(a.code, a.status) for a in asked.asked] == [("fjern", "open")]


def test_too_little_information_says_what_to_add() -> None:
    snapshot = make_snapshot(
        skills=(make_skill("lager"), make_skill("truck")),
        occupations=(make_occupation("lagerarbejder", ("lager", "truck")),),
        shortages=(ShortageRating("lagerarbejder", "VESTJ", "2026H2", "omfattende_mangel"),))
    index = build_index(snapshot)
    empty = match(make_profile(), index, today=TODAY)
    notice = next(n for n in empty.notices if n.kind == "too_little_information")
    said = render(notice, "en")
    assert "jobs you have had" in said and "jobs you are curious about" in said
    assert empty.occupations == ()  # not random shortage jobs instead
    told = match(make_profile(occupations=(PastJob("lagerarbejder", 4.0),)), index, today=TODAY)
    assert "too_little_information" not in [n.kind for n in told.notices]


def test_a_postcode_outside_the_home_area_gets_a_notice() -> None:
    places = tuple(replace(p, kommunekode={"7400": 657, "7500": 661, "8000": 751}.get(p.postcode))
                   for p in PLACES)
    index = build_index(replace(make_snapshot(), places=places))

    def kinds(postcode: str) -> list[str]:
        person = make_profile(kommunekode=None, postcode=postcode, skills=())
        return [n.kind for n in match(person, index, today=TODAY).notices]

    assert "outside_home_area" not in kinds("7400")
    assert "outside_home_area" not in kinds("7500")  # another municipality of the same area
    assert "outside_home_area" in kinds("8000")  # a municipality of another area
    assert "outside_home_area" in kinds("6700")  # no kommunekode: not in the home area
    person = make_profile(kommunekode=None, postcode="6700")
    notice = next(n for n in match(person, index, today=TODAY).notices
                  if n.kind == "outside_home_area")
    said = render(notice, "en")
    assert "6700 Esbjerg" in said and "RAR Vestjylland" in said


def test_the_same_course_at_two_places_is_one_card() -> None:
    skills = (make_skill("truck"), make_skill("lager"))
    courses = (make_course("truck_herning", ("truck",), title_da="Truckcertifikat B"),
               make_course("truck_holstebro", ("truck",), title_da="Truckcertifikat B",
                           provider="p2", provider_name="Demo Holstebro",
                           provider_postcode="7500"))
    snapshot = make_snapshot(
        skills=skills, occupations=(make_occupation("lagerarbejder", ("truck", "lager")),),
        courses=courses,
        sessions=(make_session("truck_herning", TODAY + timedelta(days=60)),
                  make_session("truck_holstebro", TODAY + timedelta(days=20))),
        shortages=(ShortageRating("lagerarbejder", "VESTJ", "2026H2", "mangel"),))
    result = match(make_profile(skills=("lager",)), build_index(snapshot), today=TODAY)
    assert [c.code for c in result.courses] == ["truck_herning"]  # the nearer one
    card = result.courses[0]
    assert [(o.course, o.provider) for o in card.other_places] == [
        ("truck_holstebro", "Demo Holstebro")]
    assert card.other_places[0].session.start == TODAY + timedelta(days=20)


def test_the_expected_euv_track_follows_experience_and_education() -> None:
    """domain.md §5: euv1 with 2+ years' relevant experience; euv3 with no experience at all."""
    index = build_index(education_snapshot())

    def track(profile: Profile) -> str | None:
        result = match(replace(profile, interests=("frisoer",)), index, today=TODAY)
        route = result.asked[0].route
        assert route is not None and route.kind == "euv"
        return route.track

    nothing = make_profile(education_level="grundskole")
    assert track(nothing) == "euv3"
    assert track(replace(nothing, occupations=(PastJob("frisoer", 3.0),))) == "euv1"
    assert track(replace(nothing, occupations=(PastJob("frisoer", 1.0),))) == "euv2"
    # Years in another trade: the taxonomy cannot see all they taught, so not "none".
    assert track(replace(nothing, occupations=(PastJob("smed", 10.0),))) == "euv2"
    assert track(make_profile(education_level="gymnasial")) == "euv2"


@SETTINGS
@given(seeds)
def test_whole_educations_are_routes_never_courses(seed: int) -> None:
    """The routes block holds the educations; the course list holds what can be taken next."""
    snapshot = random_snapshot(seed)
    profile = random_profile(seed, snapshot)
    result = match(profile, build_index(snapshot), today=TODAY, limit=50)
    assert not [c.code for c in result.courses if c.kind in ROUTE_KINDS]
    assert all(r.kind in ROUTE_KINDS for r in result.routes)


def test_a_route_says_what_a_voksenlaerling_lives_on() -> None:
    """Voksenlærling is a way to take the EUV: without uddannelsesløft (kontanthjælp), the
    route says the apprentice is paid by the employer (domain.md §2d)."""
    index = build_index(education_snapshot())
    profile = make_profile(benefit="kontanthjaelp", unemployed_weeks=20, interests=("frisoer",))
    route = match(profile, index, today=TODAY).asked[0].route
    assert route is not None and route.kind == "euv"
    answers = {f.scheme: f.eligible for f in route.funding}
    assert answers == {"uddannelsesloeft": False, "voksenlaerling": True}
    assert "pay.apprentice_option" in [r.message for r in route.reasons]
