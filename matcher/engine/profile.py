"""Checking a profile (design.md §6) field by field, with messages in Danish and English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.engine.model import BENEFITS, SCHEDULES, STATUSES, PastJob, Profile

__all__ = ["ProfileError", "ProfileInvalid", "Vocabulary", "validate_profile"]

MAX_LIST = 200


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The codes a profile may refer to, taken from the loaded catalogue."""

    education_levels: frozenset[str]
    occupations: frozenset[str]
    skills: frozenset[str]
    courses: frozenset[str]
    postcodes: frozenset[str]
    municipalities: frozenset[int]
    educations: Mapping[str, str] = field(default_factory=dict)  # code -> education level
    level_ranks: Mapping[str, int] = field(default_factory=dict)
    education_titles: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # (da, en)


@dataclass(frozen=True, slots=True)
class ProfileError:
    field: str
    da: str
    en: str

    def __str__(self) -> str:
        return f"{self.field}: {self.en}" if self.field else self.en


class ProfileInvalid(ValueError):
    def __init__(self, errors: list[ProfileError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = tuple(errors)


KNOWN = ("status", "benefit", "unemployed_weeks", "age", "education_level", "education_outdated",
         "has_eud", "kommunekode", "postcode", "occupations", "skills", "completed_courses",
         "interests", "max_distance_km", "schedule", "max_course_days", "start_within_weeks",
         "educations")
ADULT_BENEFITS = ("dagpenge", "kontanthjaelp", "uddannelseshjaelp", "ledighedsydelse")
ADULT_AGE = 18  # none of these benefits is paid before 18 (domain.md §2, §5)


class _Checker:
    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.errors: list[ProfileError] = []

    def fail(self, name: str, da: str, en: str) -> None:
        self.errors.append(ProfileError(name, da, en))

    def present(self, name: str, *, required: bool = False) -> bool:
        if name in self.raw and self.raw[name] is not None:
            return True
        if required:
            self.fail(name, "skal udfyldes", "is required")
        return False

    def integer(self, name: str, low: int, high: int, *, required: bool = False) -> int | None:
        if not self.present(name, required=required):
            return None
        value = self.raw[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, "skal være et helt tal", "must be a whole number")
            return None
        if not low <= value <= high:
            self.fail(name, f"skal være mellem {low} og {high}", f"must be between {low} and {high}")
            return None
        return value

    def number(self, name: str, low: float, high: float) -> float | None:
        if not self.present(name):
            return None
        value = self.raw[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            self.fail(name, "skal være et tal", "must be a number")
            return None
        if not low <= value <= high:
            self.fail(name, f"skal være mellem {low:g} og {high:g}",
                      f"must be between {low:g} and {high:g}")
            return None
        return float(value)

    def boolean(self, name: str) -> bool:
        if not self.present(name):
            return False
        value = self.raw[name]
        if not isinstance(value, bool):
            self.fail(name, "skal være true eller false", "must be true or false")
            return False
        return value

    def choice(self, name: str, allowed: tuple[str, ...] | frozenset[str], *,
               required: bool = False) -> str | None:
        if not self.present(name, required=required):
            return None
        value = self.raw[name]
        if not isinstance(value, str) or value not in allowed:
            shown = ", ".join(sorted(allowed)) if len(allowed) <= 12 else "se kataloget"
            shown_en = shown if len(allowed) <= 12 else "see the catalogue"
            self.fail(name, f"{_show(value)} er ikke en gyldig værdi ({shown})",
                      f"{_show(value)} is not a valid value ({shown_en})")
            return None
        return value

    def codes(self, name: str, known: frozenset[str], what_da: str, what_en: str) -> tuple[str, ...]:
        if not self.present(name):
            return ()
        value = self.raw[name]
        if not isinstance(value, list):
            self.fail(name, "skal være en liste", "must be a list")
            return ()
        if len(value) > MAX_LIST:
            self.fail(name, f"må højst have {MAX_LIST} elementer", f"may have at most {MAX_LIST} items")
            return ()
        found: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or item not in known:
                self.fail(f"{name}[{index}]", f"{_show(item)} er ikke en kendt {what_da}",
                          f"{_show(item)} is not a known {what_en}")
            elif item not in found:
                found.append(item)
        return tuple(found)


def validate_profile(raw: object, vocabulary: Vocabulary) -> Profile:
    """The profile in raw, or ProfileInvalid listing every problem by field."""
    if not isinstance(raw, Mapping):
        raise ProfileInvalid([ProfileError("", "Profilen skal være et JSON-objekt",
                                           "The profile must be a JSON object")])
    check = _Checker(raw)
    for name in raw:
        if name not in KNOWN:
            check.fail(str(name), "er ikke et kendt felt", "is not a known field")
    status = check.choice("status", STATUSES, required=True)
    age = check.integer("age", 15, 80, required=True)
    education = check.choice("education_level", vocabulary.education_levels, required=True)
    benefit = check.choice("benefit", BENEFITS)
    weeks = check.integer("unemployed_weeks", 0, 1040)
    kommunekode = check.integer("kommunekode", 101, 999)
    if kommunekode is not None and kommunekode not in vocabulary.municipalities:
        check.fail("kommunekode", f"{kommunekode} er ikke en kendt kommunekode",
                   f"{kommunekode} is not a known municipality code")
    postcode = _postcode(check, vocabulary)
    jobs = _past_jobs(check, vocabulary)
    schedule = _schedule(check)
    distance = check.number("max_distance_km", 0, 1000)
    profile = Profile(
        status=status or "", age=age or 0, education_level=education or "", benefit=benefit,
        unemployed_weeks=weeks, education_outdated=check.boolean("education_outdated"),
        has_eud=check.boolean("has_eud"), kommunekode=kommunekode, postcode=postcode,
        occupations=jobs,
        skills=check.codes("skills", vocabulary.skills, "kompetence", "skill"),
        completed_courses=check.codes("completed_courses", vocabulary.courses, "kursuskode",
                                      "course code"),
        interests=check.codes("interests", vocabulary.occupations, "stillingsbetegnelse",
                              "occupation"),
        max_distance_km=50.0 if distance is None else distance,
        schedule=schedule,
        max_course_days=check.integer("max_course_days", 1, 2000),
        start_within_weeks=check.integer("start_within_weeks", 1, 104) or 26,
        educations=check.codes("educations", frozenset(vocabulary.educations), "uddannelse",
                               "education"),
    )
    _plausible(check, profile, vocabulary)
    if check.errors:
        raise ProfileInvalid(check.errors)
    return profile


def _plausible(check: _Checker, profile: Profile, vocabulary: Vocabulary) -> None:
    """Refuse combinations no real person can have (design.md §5a.9), on the field to fix."""
    if not profile.age:
        return
    if profile.benefit in ADULT_BENEFITS and profile.age < ADULT_AGE:
        check.fail("benefit", f"Man kan ikke få {BENEFIT_DA[profile.benefit]}, før man er fyldt "
                              f"{ADULT_AGE} år. Tjek din alder eller din ydelse.",
                   f"{BENEFIT_EN[profile.benefit]} is not paid before the age of {ADULT_AGE}. "
                   "Check your age or your benefit.")
    if profile.benefit == "ledighedsydelse" and profile.status != "fleksjob_unemployed":
        check.fail("benefit", "Ledighedsydelse får kun den, der er visiteret til fleksjob og "
                              "ledig. Vælg 'Ledig og visiteret til fleksjob' eller en anden ydelse.",
                   "Only people approved for a flexjob who are out of work get ledighedsydelse. "
                   "Choose 'Unemployed, approved for a flexjob' or another benefit.")
    if profile.unemployed_weeks is not None and profile.unemployed_weeks > 52 * (profile.age - 15):
        check.fail("unemployed_weeks", f"{profile.unemployed_weeks} uger er længere end muligt "
                                       f"for en på {profile.age} år.",
                   f"{profile.unemployed_weeks} weeks is longer than possible at "
                   f"{profile.age}.")
    own_rank = vocabulary.level_ranks.get(profile.education_level)
    if own_rank is None:
        return
    for position, code in enumerate(profile.educations):
        level = vocabulary.educations[code]
        if vocabulary.level_ranks.get(level, 0) > own_rank:
            da, en = vocabulary.education_titles.get(code, (code, code))
            check.fail(f"educations[{position}]",
                       f"{da} er på et højere niveau end den højeste uddannelse, du har valgt. "
                       "Ret din højeste uddannelse eller fjern denne.",
                       f"{en} is at a higher level than the highest education you chose. "
                       "Correct your highest education or remove this one.")


BENEFIT_DA = {"dagpenge": "dagpenge", "kontanthjaelp": "kontanthjælp",
              "uddannelseshjaelp": "uddannelseshjælp", "ledighedsydelse": "ledighedsydelse"}
BENEFIT_EN = {"dagpenge": "Unemployment benefit (dagpenge)",
              "kontanthjaelp": "Social assistance (kontanthjælp)",
              "uddannelseshjaelp": "Education assistance (uddannelseshjælp)",
              "ledighedsydelse": "Flexjob unemployment benefit (ledighedsydelse)"}


def _postcode(check: _Checker, vocabulary: Vocabulary) -> str | None:
    if not check.present("postcode"):
        return None
    value = check.raw["postcode"]
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}", value):
        check.fail("postcode", "skal være et postnummer med 4 cifre",
                   "must be a postcode of 4 digits")
        return None
    if value not in vocabulary.postcodes:
        check.fail("postcode", f"{value} er ikke et dansk postnummer",
                   f"{value} is not a Danish postcode")
        return None
    return value


def _past_jobs(check: _Checker, vocabulary: Vocabulary) -> tuple[PastJob, ...]:
    if not check.present("occupations"):
        return ()
    value = check.raw["occupations"]
    if not isinstance(value, list):
        check.fail("occupations", "skal være en liste", "must be a list")
        return ()
    if len(value) > 30:
        check.fail("occupations", "må højst have 30 job", "may have at most 30 jobs")
        return ()
    jobs: dict[str, float] = {}
    for index, item in enumerate(value):
        name = f"occupations[{index}]"
        if not isinstance(item, Mapping) or set(item) - {"code", "years"}:
            check.fail(name, 'skal være {"code": ..., "years": ...}',
                       'must be {"code": ..., "years": ...}')
            continue
        code, years = item.get("code"), item.get("years", 1)
        if not isinstance(code, str) or code not in vocabulary.occupations:
            check.fail(f"{name}.code", f"{_show(code)} er ikke en kendt stillingsbetegnelse",
                       f"{_show(code)} is not a known occupation")
            continue
        if isinstance(years, bool) or not isinstance(years, int | float) or not 0 <= years <= 60:
            check.fail(f"{name}.years", "skal være et tal mellem 0 og 60",
                       "must be a number between 0 and 60")
            continue
        jobs[code] = jobs.get(code, 0.0) + float(years)
    return tuple(PastJob(code, min(years, 60.0)) for code, years in jobs.items())


def _schedule(check: _Checker) -> tuple[str, ...]:
    if not check.present("schedule"):
        return SCHEDULES
    value = check.raw["schedule"]
    if not isinstance(value, list) or not value:
        check.fail("schedule", "skal være en liste med mindst én af: " + ", ".join(SCHEDULES),
                   "must be a list with at least one of: " + ", ".join(SCHEDULES))
        return SCHEDULES
    chosen = []
    for index, item in enumerate(value):
        if item not in SCHEDULES:
            check.fail(f"schedule[{index}]", f"{_show(item)} er ikke en af: {', '.join(SCHEDULES)}",
                       f"{_show(item)} is not one of: {', '.join(SCHEDULES)}")
        elif item not in chosen:
            chosen.append(item)
    return tuple(chosen) or SCHEDULES


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
