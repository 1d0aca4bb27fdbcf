"""Small builders for engine tests: a valid default with keyword overrides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from matcher.engine.index import CatalogIndex, build_index
from matcher.engine.model import (
    Course,
    Education,
    EducationLevel,
    FundingRate,
    Membership,
    Occupation,
    Place,
    PositiveListEntry,
    Profile,
    RuleVersion,
    Session,
    ShortageRating,
    Skill,
    Snapshot,
)

TODAY = date(2026, 12, 1)

LEVELS = (
    EducationLevel("grundskole", 1, "ufaglaert", "Grundskole", "Primary school"),
    EducationLevel("gymnasial", 3, "ufaglaert", "Gymnasial", "Upper secondary"),
    EducationLevel("eud", 4, "faglaert", "Erhvervsuddannelse", "Vocational"),
    EducationLevel("akademi", 5, "videregaaende", "Akademi", "Academy (adult)"),
    EducationLevel("kvu", 6, "videregaaende", "KVU", "Short-cycle"),
    EducationLevel("mvu_profbach", 7, "videregaaende", "Professionsbachelor", "Prof. bachelor"),
    EducationLevel("lvu_kandidat", 10, "videregaaende", "Kandidat", "Master's"),
)

PLACES = (
    Place("7400", "Herning", 56.1386, 8.9735),
    Place("7430", "Ikast", 56.1389, 9.1578),
    Place("7500", "Holstebro", 56.3601, 8.6161),
    Place("6700", "Esbjerg", 55.4765, 8.4594),
    Place("8000", "Aarhus C", 56.1567, 10.2108),
    Place("9000", "Aalborg", 57.0480, 9.9187),
)

MEMBERSHIPS = (Membership(657, "VESTJ"), Membership(661, "VESTJ"), Membership(751, "OESTJ"),
               Membership(851, "NORDJ"))
ADJACENCY = (("VESTJ", "OESTJ"), ("VESTJ", "NORDJ"), ("VESTJ", "SYDJ"))
RAR_NAMES = (("VESTJ", "RAR Vestjylland"), ("OESTJ", "RAR Østjylland"),
             ("NORDJ", "RAR Nordjylland"), ("SYDJ", "RAR Sydjylland"))

RATES = (
    FundingRate("veu", 2023, "dkk_week", 4555, "https://ucsyd.dk/amu/oekonomi/veu-godtgoerelse-og-befordring"),
    FundingRate("befordring", 2024, "dkk_km", 1.12, "https://www.borger.dk/"),
    FundingRate("befordring", 2024, "km_free_per_day", 24, "https://www.borger.dk/"),
    FundingRate("befordring", 2024, "km_max_per_day", 576, "https://www.borger.dk/"),
    FundingRate("seks_uger", 2023, "max_weeks", 6, "https://star.dk/"),
    FundingRate("seks_uger", 2023, "wait_weeks", 5, "https://star.dk/"),
    FundingRate("seks_uger", 2023, "deadline_months_under_25", 6, "https://star.dk/"),
    FundingRate("seks_uger", 2023, "deadline_months_25_plus", 9, "https://star.dk/"),
    FundingRate("seks_uger", 2023, "min_age_akademi", 25, "https://star.dk/"),
    FundingRate("uddannelsesloeft", 2023, "pct_dagpenge", 80, "https://www.ug.dk/"),
    FundingRate("uddannelsesloeft", 2023, "pct_dagpenge_positive_list", 110, "https://bm.dk/"),
    FundingRate("uddannelsesloeft", 2023, "min_age", 30, "https://www.ug.dk/"),
    FundingRate("voksenlaerling", 2018, "min_age", 25, "https://star.dk/"),
)


def make_profile(**overrides: Any) -> Profile:
    base = Profile(status="unemployed", age=34, education_level="grundskole", benefit="dagpenge",
                   unemployed_weeks=8, kommunekode=657, postcode="7400")
    return replace(base, **overrides)


def make_skill(code: str, **overrides: Any) -> Skill:
    return replace(Skill(code=code, label_da=code.replace("_", " "), label_en=code), **overrides)


def make_occupation(code: str, essential: tuple[str, ...], **overrides: Any) -> Occupation:
    base = Occupation(code=code, title_da=code.capitalize(), title_en=code, essential=essential,
                      min_education_level="grundskole")
    return replace(base, **overrides)


def make_course(code: str, skills: tuple[str, ...], **overrides: Any) -> Course:
    base = Course(code=code, kind="amu", title_da=f"Kursus {code}", provider="p1",
                  provider_name="Demo Kursuscenter", provider_postcode="7400", duration_days=5,
                  title_en=f"Course {code}", price_dkk=6000, fee_target_group_dkk=900,
                  delivery="presence", schedule="day", skills=skills, source="demo")
    return replace(base, **overrides)


def make_session(course: str, start: date, days: int = 4, **overrides: Any) -> Session:
    base = Session(course=course, code=f"{course}-{start.isoformat()}", start=start,
                   end=date.fromordinal(start.toordinal() + days))
    return replace(base, **overrides)


def make_snapshot(*, skills: tuple[Skill, ...] = (), occupations: tuple[Occupation, ...] = (),
                  courses: tuple[Course, ...] = (), sessions: tuple[Session, ...] = (),
                  shortages: tuple[ShortageRating, ...] = (),
                  positive_lists: tuple[PositiveListEntry, ...] = (),
                  rates: tuple[FundingRate, ...] = RATES, rules: tuple[RuleVersion, ...] = (),
                  educations: tuple[Education, ...] = ()) -> Snapshot:
    return Snapshot(education_levels=LEVELS, skills=skills, occupations=occupations,
                    shortages=shortages, courses=courses, sessions=sessions, places=PLACES,
                    positive_lists=positive_lists, funding_rates=rates, funding_rules=rules,
                    memberships=MEMBERSHIPS, adjacency=ADJACENCY, rar_names=RAR_NAMES, version=1,
                    educations=educations)


def make_index(**parts: Any) -> CatalogIndex:
    return build_index(make_snapshot(**parts))
