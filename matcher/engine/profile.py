"""Checking a profile (design.md §6) field by field, with messages in Danish and English.

Types, bounds and vocabularies come from the declared fields (matcher.engine.fields), which
the API document is written from too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.engine.fields import MAX_LIST, PAST_JOB_FIELDS, PROFILE_FIELDS, Field, by_name
from matcher.engine.model import PastJob, Profile

__all__ = ["ProfileError", "ProfileInvalid", "Vocabulary", "validate_profile"]

FIELDS = by_name(PROFILE_FIELDS)
JOB_FIELDS = by_name(PAST_JOB_FIELDS)


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


KNOWN = tuple(FIELDS)
ADULT_BENEFITS = ("dagpenge", "kontanthjaelp", "uddannelseshjaelp", "ledighedsydelse")
ADULT_AGE = 18  # none of these benefits is paid before 18 (domain.md §2, §5)


class _Checker:
    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.errors: list[ProfileError] = []

    def fail(self, name: str, da: str, en: str) -> None:
        self.errors.append(ProfileError(name, da, en))

    def present(self, spec: Field) -> bool:
        if spec.name in self.raw and self.raw[spec.name] is not None:
            return True
        if spec.required:
            self.fail(spec.name, "skal udfyldes", "is required")
        return False

    def integer(self, spec: Field) -> int | None:
        if not self.present(spec):
            return None
        name, (low, high) = spec.name, _range(spec)
        value = self.raw[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, "skal være et helt tal", "must be a whole number")
            return None
        if not low <= value <= high:
            self.fail(name, f"skal være mellem {low} og {high}", f"must be between {low} and {high}")
            return None
        return value

    def number(self, spec: Field) -> float | None:
        if not self.present(spec):
            return None
        name, (low, high) = spec.name, _range(spec)
        value = self.raw[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            self.fail(name, "skal være et tal", "must be a number")
            return None
        if not low <= value <= high:
            self.fail(name, f"skal være mellem {low:g} og {high:g}",
                      f"must be between {low:g} and {high:g}")
            return None
        return float(value)

    def boolean(self, spec: Field) -> bool:
        if not self.present(spec):
            return False
        value = self.raw[spec.name]
        if not isinstance(value, bool):
            self.fail(spec.name, "skal være true eller false", "must be true or false")
            return False
        return value

    def choice(self, spec: Field, allowed: tuple[str | int, ...] | frozenset[str] = ()
               ) -> str | None:
        """A value of the field's enum, or else of allowed (codes from the catalogue)."""
        if not self.present(spec):
            return None
        name, allowed = spec.name, spec.enum or allowed
        value = self.raw[name]
        if not isinstance(value, str) or value not in allowed or not _fits(spec, value):
            shown = ", ".join(sorted(map(str, allowed))) if len(allowed) <= 12 else "se kataloget"
            shown_en = shown if len(allowed) <= 12 else "see the catalogue"
            self.fail(name, f"{_show(value)} er ikke en gyldig værdi ({shown})",
                      f"{_show(value)} is not a valid value ({shown_en})")
            return None
        return value

    def codes(self, spec: Field, known: frozenset[str], what_da: str,
              what_en: str) -> tuple[str, ...]:
        if not self.present(spec):
            return ()
        name, most, item_spec = spec.name, spec.max_items or MAX_LIST, spec.items or spec
        value = self.raw[name]
        if not isinstance(value, list):
            self.fail(name, "skal være en liste", "must be a list")
            return ()
        if len(value) > most:
            self.fail(name, f"må højst have {most} elementer", f"may have at most {most} items")
            return ()
        found: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or item not in known or not _fits(item_spec, item):
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
        if name not in FIELDS:
            check.fail(str(name), "er ikke et kendt felt", "is not a known field")
    status = check.choice(FIELDS["status"])
    age = check.integer(FIELDS["age"])
    education = check.choice(FIELDS["education_level"], vocabulary.education_levels)
    benefit = check.choice(FIELDS["benefit"])
    weeks = check.integer(FIELDS["unemployed_weeks"])
    kommunekode = check.integer(FIELDS["kommunekode"])
    if kommunekode is not None and kommunekode not in vocabulary.municipalities:
        check.fail("kommunekode", f"{kommunekode} er ikke en kendt kommunekode",
                   f"{kommunekode} is not a known municipality code")
    postcode = _postcode(check, vocabulary)
    jobs = _past_jobs(check, vocabulary)
    schedule = _schedule(check)
    distance = check.number(FIELDS["max_distance_km"])
    profile = Profile(
        status=status or "", age=age or 0, education_level=education or "", benefit=benefit,
        unemployed_weeks=weeks, education_outdated=check.boolean(FIELDS["education_outdated"]),
        has_eud=check.boolean(FIELDS["has_eud"]), kommunekode=kommunekode, postcode=postcode,
        occupations=jobs,
        skills=check.codes(FIELDS["skills"], vocabulary.skills, "kompetence", "skill"),
        completed_courses=check.codes(FIELDS["completed_courses"], vocabulary.courses,
                                      "kursuskode", "course code"),
        interests=check.codes(FIELDS["interests"], vocabulary.occupations,
                              "stillingsbetegnelse", "occupation"),
        max_distance_km=float(_default(FIELDS["max_distance_km"]) if distance is None
                              else distance),
        schedule=schedule,
        max_course_days=check.integer(FIELDS["max_course_days"]),
        start_within_weeks=check.integer(FIELDS["start_within_weeks"])
        or int(_default(FIELDS["start_within_weeks"])),
        educations=check.codes(FIELDS["educations"], frozenset(vocabulary.educations),
                               "uddannelse", "education"),
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
    if not check.present(FIELDS["postcode"]):
        return None
    value = check.raw["postcode"]
    if not isinstance(value, str) or not _fits(FIELDS["postcode"], value):
        check.fail("postcode", "skal være et postnummer med 4 cifre",
                   "must be a postcode of 4 digits")
        return None
    if value not in vocabulary.postcodes:
        check.fail("postcode", f"{value} er ikke et dansk postnummer",
                   f"{value} is not a Danish postcode")
        return None
    return value


def _past_jobs(check: _Checker, vocabulary: Vocabulary) -> tuple[PastJob, ...]:
    spec = FIELDS["occupations"]
    if not check.present(spec):
        return ()
    value = check.raw["occupations"]
    if not isinstance(value, list):
        check.fail("occupations", "skal være en liste", "must be a list")
        return ()
    if len(value) > (most := spec.max_items or 0):
        check.fail("occupations", f"må højst have {most} job", f"may have at most {most} jobs")
        return ()
    jobs: dict[str, float] = {}
    low, high = _range(JOB_FIELDS["years"])
    for index, item in enumerate(value):
        name = f"occupations[{index}]"
        if not isinstance(item, Mapping) or set(item) - set(JOB_FIELDS):
            check.fail(name, 'skal være {"code": ..., "years": ...}',
                       'must be {"code": ..., "years": ...}')
            continue
        code, years = item.get("code"), item.get("years", _default(JOB_FIELDS["years"]))
        if not isinstance(code, str) or code not in vocabulary.occupations:
            check.fail(f"{name}.code", f"{_show(code)} er ikke en kendt stillingsbetegnelse",
                       f"{_show(code)} is not a known occupation")
            continue
        if (isinstance(years, bool) or not isinstance(years, int | float)
                or not low <= years <= high):
            check.fail(f"{name}.years", f"skal være et tal mellem {low} og {high}",
                       f"must be a number between {low} and {high}")
            continue
        jobs[code] = jobs.get(code, 0.0) + float(years)
    return tuple(PastJob(code, min(years, float(high))) for code, years in jobs.items())


def _schedule(check: _Checker) -> tuple[str, ...]:
    spec = FIELDS["schedule"]
    times = tuple(str(time) for time in spec.items.enum) if spec.items else ()
    if not check.present(spec):
        return times
    value = check.raw["schedule"]
    if not isinstance(value, list) or len(value) < (spec.min_items or 0):
        check.fail("schedule", "skal være en liste med mindst én af: " + ", ".join(times),
                   "must be a list with at least one of: " + ", ".join(times))
        return times
    chosen = []
    for index, item in enumerate(value):
        if item not in times:
            check.fail(f"schedule[{index}]", f"{_show(item)} er ikke en af: {', '.join(times)}",
                       f"{_show(item)} is not one of: {', '.join(times)}")
        elif item not in chosen:
            chosen.append(item)
    return tuple(chosen) or times


def _range(spec: Field) -> tuple[float, float]:
    """A numeric field's declared bounds (every numeric profile field declares both)."""
    if spec.minimum is None or spec.maximum is None:
        raise ValueError(f"{spec.name} declares no range")
    return spec.minimum, spec.maximum


def _default(spec: Field) -> float:
    if not isinstance(spec.default, int | float):
        raise ValueError(f"{spec.name} declares no numeric default")
    return spec.default


def _fits(spec: Field, text: str) -> bool:
    """The declared length and pattern of a string (a code longer than declared is unknown)."""
    if spec.max_length is not None and len(text) > spec.max_length:
        return False
    return spec.pattern is None or re.fullmatch(spec.pattern, text) is not None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
