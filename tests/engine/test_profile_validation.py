"""Malformed profiles (design.md §6) each fail on a named field with a message in Danish and
English; valid profiles pass and get the documented defaults."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from matcher.engine.index import build_index
from matcher.engine.model import SCHEDULES, Education, PastJob
from matcher.engine.profile import ProfileError, ProfileInvalid, Vocabulary, validate_profile
from tests.engine.builders import make_course, make_occupation, make_skill, make_snapshot

# Specific educations (design.md §6 `educations`) at three levels: faglært, KVU, kandidat.
EDUCATIONS = (
    Education("edu_smed", "Smed", "eud", title_en="Smith", qualifies=("svejser",)),
    Education("edu_logistik", "Logistikøkonom", "kvu", title_en="Logistics economist"),
    Education("edu_ingenioer", "Civilingeniør", "lvu_kandidat", title_en="MSc in Engineering"),
)
VOCABULARY: Vocabulary = build_index(replace(make_snapshot(
    skills=(make_skill("svejsning"), make_skill("truckkoersel"), make_skill("lager")),
    occupations=(make_occupation("svejser", ("svejsning",)),
                 make_occupation("lagerarbejder", ("truckkoersel", "lager"))),
    courses=(make_course("amu_truck", ("truckkoersel",)),),
), educations=EDUCATIONS)).vocabulary

# The smallest valid profile: the three required keys.
BASE: dict[str, Any] = {"status": "unemployed", "age": 34, "education_level": "grundskole"}
SCRIPT = "<script>alert(1)</script>"


def without(key: str) -> dict[str, Any]:
    return {name: value for name, value in BASE.items() if name != key}


def with_(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


@dataclass(frozen=True)
class Bad:
    id: str
    raw: object
    field: str  # "" for the profile as a whole
    message: str  # a substring of the English message
    rule: str


BAD: list[Bad] = [
    Bad("not_an_object_list", [BASE], "", "JSON object", "design.md §6: the profile is a JSON object"),
    Bad("not_an_object_string", '{"status": "employed"}', "", "JSON object",
        "design.md §6: a JSON string is not a profile object"),
    Bad("not_an_object_none", None, "", "JSON object", "design.md §6: null is not a profile"),
    Bad("missing_status", without("status"), "status", "required", "design.md §6: status* is required"),
    Bad("missing_age", without("age"), "age", "required", "design.md §6: age* is required"),
    Bad("missing_education_level", without("education_level"), "education_level", "required",
        "design.md §6: education_level* is required"),
    Bad("age_string", with_(age="34"), "age", "whole number", "design.md §6: age is an integer"),
    Bad("age_bool", with_(age=True), "age", "whole number",
        "design.md §6: age is an integer, and a JSON true is not one"),
    Bad("age_float", with_(age=34.5), "age", "whole number", "design.md §6: age is an integer"),
    Bad("age_14", with_(age=14), "age", "between 15 and 80", "design.md §6: age is 15..80"),
    Bad("age_81", with_(age=81), "age", "between 15 and 80", "design.md §6: age is 15..80"),
    Bad("status_unknown", with_(status="retired"), "status", "'retired'",
        "design.md §6: status is one of employed, self_employed, unemployed, ..."),
    Bad("benefit_unknown", with_(benefit="su"), "benefit", "'su'",
        "design.md §6: benefit is dagpenge, kontanthjaelp, uddannelseshjaelp, ledighedsydelse or none"),
    Bad("education_level_unknown", with_(education_level="phd"), "education_level", "'phd'",
        "design.md §6: education_level is a code from education_levels.csv"),
    Bad("unemployed_weeks_negative", with_(unemployed_weeks=-1), "unemployed_weeks", "between 0",
        "design.md §6: unemployed_weeks is an integer >= 0"),
    Bad("unemployed_weeks_string", with_(unemployed_weeks="8"), "unemployed_weeks", "whole number",
        "design.md §6: unemployed_weeks is an integer"),
    Bad("postcode_3_digits", with_(postcode="740"), "postcode", "4 digits",
        "design.md §6: postcode has 4 digits"),
    Bad("postcode_letters", with_(postcode="74OO"), "postcode", "4 digits",
        "design.md §6: postcode has 4 digits, not letters"),
    Bad("postcode_number", with_(postcode=7400), "postcode", "4 digits",
        "design.md §6: postcode is a 4-digit string (a leading 0 must survive)"),
    Bad("postcode_unknown", with_(postcode="1234"), "postcode", "1234",
        "design.md §6: postcode is for distance, so it must be a known place"),
    Bad("kommunekode_unknown", with_(kommunekode=999), "kommunekode", "999",
        "design.md §6: kommunekode is a municipality of the catalogue"),
    Bad("kommunekode_string", with_(kommunekode="657"), "kommunekode", "whole number",
        "design.md §4: kommunekode is a number"),
    Bad("education_outdated_string", with_(education_outdated="yes"), "education_outdated",
        "true or false", "design.md §6: education_outdated is a boolean"),
    Bad("occupations_not_a_list", with_(occupations="svejser"), "occupations", "list",
        "design.md §6: occupations is a list of objects"),
    Bad("occupation_entry_not_an_object", with_(occupations=["svejser"]), "occupations[0]", "code",
        'design.md §6: each occupation is {"code", "years"}'),
    Bad("occupation_without_code", with_(occupations=[{"years": 3}]), "occupations[0].code",
        "not a known occupation", "design.md §6: each occupation entry has a code"),
    Bad("occupation_code_unknown", with_(occupations=[{"code": "astronaut", "years": 2}]),
        "occupations[0].code", "'astronaut'", "design.md §6: the code is an occupation code"),
    Bad("occupation_years_negative", with_(occupations=[{"code": "svejser", "years": -1}]),
        "occupations[0].years", "between 0 and 60", "design.md §6: years is a number of years"),
    Bad("occupation_years_over_60", with_(occupations=[{"code": "svejser", "years": 61}]),
        "occupations[0].years", "between 0 and 60", "design.md §6: nobody has worked 61 years"),
    Bad("occupation_years_string", with_(occupations=[{"code": "svejser", "years": "3"}]),
        "occupations[0].years", "number", "design.md §6: years is a number"),
    Bad("skill_unknown", with_(skills=["svejsning", "tryllekunst"]), "skills[1]", "not a known skill",
        "design.md §6: skills are skill codes of the catalogue"),
    Bad("skills_not_a_list", with_(skills="svejsning"), "skills", "list",
        "design.md §6: skills is a list"),
    Bad("skills_201", with_(skills=["svejsning"] * 201), "skills", "at most 200",
        "design.md §9: bad input is refused; an absurdly long list is bounded"),
    Bad("completed_course_unknown", with_(completed_courses=["amu_fly"]), "completed_courses[0]",
        "'amu_fly'", "design.md §6: completed_courses are course codes"),
    Bad("interest_unknown", with_(interests=["astronaut"]), "interests[0]", "not a known occupation",
        "design.md §6: interests are occupation codes"),
    Bad("schedule_empty", with_(schedule=[]), "schedule", "at least one",
        "design.md §6: schedule lists at least one of day, evening, weekend, self_paced"),
    Bad("schedule_unknown_value", with_(schedule=["day", "night"]), "schedule[1]", "'night'",
        "design.md §6: schedule values are day, evening, weekend, self_paced"),
    Bad("schedule_string", with_(schedule="day"), "schedule", "list",
        "design.md §6: schedule is a list"),
    Bad("max_distance_negative", with_(max_distance_km=-5), "max_distance_km", "between 0",
        "design.md §6: max_distance_km is a distance, not negative"),
    Bad("max_distance_string", with_(max_distance_km="50"), "max_distance_km", "must be a number",
        "design.md §6: max_distance_km is a number"),
    Bad("max_distance_nan", with_(max_distance_km=float("nan")), "max_distance_km", "must be a number",
        "design.md §6: NaN is not a distance"),
    Bad("start_within_weeks_0", with_(start_within_weeks=0), "start_within_weeks", "between 1",
        "design.md §6: start_within_weeks is a positive number of weeks"),
    Bad("max_course_days_0", with_(max_course_days=0), "max_course_days", "between 1",
        "design.md §6: max_course_days is a positive integer"),
    Bad("unknown_top_level_field", with_(cpr="0101901234"), "cpr", "not a known field",
        "design.md §6/§9: only the documented keys; no CPR numbers anywhere"),
    Bad("script_as_status", with_(status=SCRIPT), "status", "not a valid value",
        "design.md §9: injected markup is refused as an unknown value"),
    Bad("script_as_skill", with_(skills=[SCRIPT]), "skills[0]", "not a known skill",
        "design.md §9: injected markup is refused as an unknown code"),
    Bad("script_as_occupation", with_(occupations=[{"code": SCRIPT, "years": 1}]),
        "occupations[0].code", "not a known occupation",
        "design.md §9: injected markup is refused as an unknown code"),
    # Specific educations (design.md §6) and plausible combinations (design.md §5a.9).
    Bad("educations_not_a_list", with_(education_level="eud", educations="edu_smed"), "educations",
        "must be a list", "design.md §6: educations is a list of education codes"),
    Bad("education_unknown", with_(education_level="eud", educations=["edu_smed", "edu_frisoer"]),
        "educations[1]", "'edu_frisoer' is not a known education",
        "design.md §6: educations are codes of the catalogue's educations"),
    Bad("education_not_a_string", with_(education_level="eud", educations=[7]), "educations[0]",
        "not a known education", "design.md §6: an education is a code, not a number"),
    Bad("education_above_level", with_(education_level="eud",
                                       educations=["edu_smed", "edu_ingenioer"]),
        "educations[1]", "MSc in Engineering is at a higher level than the highest education",
        "design.md §5a.9: a named education cannot rank above education_level"),
    Bad("education_above_basic_school", with_(educations=["edu_smed"]), "educations[0]",
        "Smith is at a higher level", "design.md §5a.9: grundskole and a vocational education "
                                      "cannot both be the highest"),
    Bad("dagpenge_at_17", with_(age=17, benefit="dagpenge"), "benefit",
        "is not paid before the age of 18", "design.md §5a.9: no dagpenge under 18"),
    Bad("kontanthjaelp_at_16", with_(age=16, benefit="kontanthjaelp"), "benefit",
        "is not paid before the age of 18", "domain.md: no kontanthjælp under 18"),
    Bad("uddannelseshjaelp_at_15", with_(age=15, benefit="uddannelseshjaelp"), "benefit",
        "is not paid before the age of 18", "domain.md: no uddannelseshjælp under 18"),
    Bad("ledighedsydelse_without_fleksjob", with_(benefit="ledighedsydelse"), "benefit",
        "approved for a flexjob", "domain.md: ledighedsydelse only for fleksjob_unemployed"),
    Bad("ledighedsydelse_employed", with_(status="employed", benefit="ledighedsydelse"), "benefit",
        "approved for a flexjob", "domain.md: ledighedsydelse only for fleksjob_unemployed"),
    Bad("unemployed_longer_than_adult_life", with_(age=20, unemployed_weeks=261),
        "unemployed_weeks", "261 weeks is longer than possible at 20",
        "design.md §5a.9: at most 52 weeks a year since the age of 15"),
    Bad("unemployed_weeks_at_15", with_(age=15, unemployed_weeks=1), "unemployed_weeks",
        "longer than possible at 15", "design.md §5a.9: nobody of 15 has been unemployed for weeks"),
]


def errors_of(raw: object) -> tuple[ProfileError, ...]:
    with pytest.raises(ProfileInvalid) as caught:
        validate_profile(raw, VOCABULARY)
    return caught.value.errors


def test_the_table_is_big_enough_and_unique() -> None:
    assert len(BAD) >= 24
    assert len({case.id for case in BAD}) == len(BAD)


@pytest.mark.parametrize("case", BAD, ids=lambda case: case.id)
def test_malformed_profile_names_the_field(case: Bad) -> None:
    errors = errors_of(case.raw)
    matching = [error for error in errors if error.field == case.field]
    assert matching, f"{case.rule}: no error for field {case.field!r}; got {[str(e) for e in errors]}"
    assert any(case.message in error.en for error in matching), (
        f"{case.rule}: {case.message!r} not in {[error.en for error in matching]}")
    for error in errors:
        assert error.da.strip(), f"no Danish message for {error.field!r}"
        assert error.en.strip(), f"no English message for {error.field!r}"


@pytest.mark.parametrize("case", [c for c in BAD if c.id.startswith("script_")],
                         ids=lambda case: case.id)
def test_injected_markup_is_echoed_only_in_short_form(case: Bad) -> None:
    for error in errors_of(case.raw):
        assert len(error.en) < 200 and len(error.da) < 200


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_of({"status": "retired", "age": 14, "education_level": "phd", "postcode": "740"})
    assert {error.field for error in errors} >= {"status", "age", "education_level", "postcode"}


def test_the_error_says_which_field() -> None:
    with pytest.raises(ProfileInvalid, match="age"):
        validate_profile(with_(age=200), VOCABULARY)


def test_minimal_profile_gets_the_defaults() -> None:
    profile = validate_profile(dict(BASE), VOCABULARY)
    assert (profile.status, profile.age, profile.education_level) == ("unemployed", 34, "grundskole")
    assert profile.max_distance_km == 50.0
    assert profile.start_within_weeks == 26
    assert set(profile.schedule) == {"day", "evening", "weekend", "self_paced"}
    assert tuple(profile.schedule) == SCHEDULES
    assert profile.benefit is None and profile.unemployed_weeks is None
    assert profile.postcode is None and profile.kommunekode is None
    assert profile.occupations == () and profile.skills == () and profile.interests == ()
    assert profile.education_outdated is False and profile.has_eud is False
    assert profile.max_course_days is None


def test_full_profile_keeps_every_value() -> None:
    raw: dict[str, Any] = {
        "status": "employed", "benefit": "none", "unemployed_weeks": 0, "age": 52,
        "education_level": "eud", "education_outdated": True, "has_eud": True,
        "kommunekode": 657, "postcode": "7400",
        "occupations": [{"code": "svejser", "years": 12.5}, {"code": "lagerarbejder", "years": 0.5}],
        "skills": ["svejsning", "lager"], "completed_courses": ["amu_truck"],
        "interests": ["lagerarbejder"], "max_distance_km": 35.5, "schedule": ["evening", "weekend"],
        "max_course_days": 20, "start_within_weeks": 8,
    }
    profile = validate_profile(raw, VOCABULARY)
    assert profile.status == "employed" and profile.benefit == "none"
    assert profile.unemployed_weeks == 0 and profile.age == 52
    assert profile.education_level == "eud" and profile.education_outdated and profile.has_eud
    assert profile.kommunekode == 657 and profile.postcode == "7400"
    assert set(profile.occupations) == {PastJob("svejser", 12.5), PastJob("lagerarbejder", 0.5)}
    assert set(profile.skills) == {"svejsning", "lager"}
    assert profile.completed_courses == ("amu_truck",)
    assert profile.interests == ("lagerarbejder",)
    assert profile.max_distance_km == 35.5
    assert set(profile.schedule) == {"evening", "weekend"}
    assert profile.max_course_days == 20 and profile.start_within_weeks == 8


@pytest.mark.parametrize(("changes", "attribute", "expected"), [
    ({"age": 15}, "age", 15),
    ({"age": 80}, "age", 80),
    ({"status": "fleksjob_unemployed", "benefit": "ledighedsydelse"}, "benefit", "ledighedsydelse"),
    ({"max_distance_km": 0}, "max_distance_km", 0.0),
    ({"max_distance_km": 120}, "max_distance_km", 120.0),
    ({"unemployed_weeks": 0}, "unemployed_weeks", 0),
    ({"postcode": "7430"}, "postcode", "7430"),
    ({"skills": ["svejsning"] * 200}, "skills", ("svejsning",)),
], ids=["age_15", "age_80", "fleksjob", "distance_0", "distance_int", "weeks_0", "postcode",
        "200_skills_deduplicated"])
def test_valid_edge_values_pass(changes: dict[str, Any], attribute: str, expected: object) -> None:
    profile = validate_profile(with_(**changes), VOCABULARY)
    assert getattr(profile, attribute) == expected


@pytest.mark.parametrize(("changes", "attribute", "expected"), [
    ({"education_level": "eud", "educations": ["edu_smed"]}, "educations", ("edu_smed",)),
    ({"education_level": "kvu", "educations": ["edu_smed", "edu_logistik"]}, "educations",
     ("edu_smed", "edu_logistik")),
    ({"education_level": "lvu_kandidat", "educations": ["edu_ingenioer", "edu_smed"]},
     "educations", ("edu_ingenioer", "edu_smed")),
    ({"education_level": "eud", "educations": ["edu_smed", "edu_smed"]}, "educations",
     ("edu_smed",)),
    ({"education_level": "eud", "educations": []}, "educations", ()),
    ({"age": 18, "benefit": "dagpenge"}, "benefit", "dagpenge"),
    ({"age": 17, "benefit": "none"}, "benefit", "none"),
    ({"age": 16, "status": "student"}, "benefit", None),
    ({"age": 20, "unemployed_weeks": 260}, "unemployed_weeks", 260),
    ({"age": 15, "unemployed_weeks": 0}, "unemployed_weeks", 0),
], ids=["education_at_level", "educations_below_level", "educations_any_order",
        "education_deduplicated", "educations_empty", "dagpenge_at_18", "no_benefit_at_17",
        "student_at_16", "unemployed_52_weeks_a_year", "unemployed_0_weeks_at_15"])
def test_plausible_combinations_pass(changes: dict[str, Any], attribute: str,
                                     expected: object) -> None:
    profile = validate_profile(with_(**changes), VOCABULARY)
    assert getattr(profile, attribute) == expected


def test_an_education_above_the_level_is_named_in_both_languages() -> None:
    errors = errors_of(with_(education_level="gymnasial", educations=["edu_logistik"]))
    assert [error.field for error in errors] == ["educations[0]"]
    assert "Logistikøkonom" in errors[0].da and "Logistics economist" in errors[0].en
