"""The catalogue files of design.md §4: their columns, keys and references, declared once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from matcher.data import models as m
from matcher.data.catalog import values as v

Row = dict[str, Any]
RowCheck = Callable[[Row], tuple[str, str] | None]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    parse: v.Parser
    required: bool = False  # the column must exist and every cell must be filled
    column: bool = False  # the column must exist; its cells may be blank


@dataclass(frozen=True, slots=True)
class Ref:
    """A column whose value must be a key of another catalogue file."""

    column: str
    target: str
    target_column: str = "code"


@dataclass(frozen=True, slots=True)
class FileSpec:
    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    refs: tuple[Ref, ...] = ()
    unique: tuple[str, ...] = ()  # columns unique across the file besides the key
    checks: tuple[RowCheck, ...] = ()
    optional: bool = False  # a folder without the file loads as if it had only a header

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _req(name: str, parse: v.Parser) -> Field:
    return Field(name, parse, required=True)


def _dates_in_order(start: str, end: str) -> RowCheck:
    def check(row: Row) -> tuple[str, str] | None:
        if row.get(start) and row.get(end) and row[end] < row[start]:
            return end, f"{row[end].isoformat()} is before {start} {row[start].isoformat()}"
        return None
    return check


def _one_of(*columns: str) -> RowCheck:
    def check(row: Row) -> tuple[str, str] | None:
        if not any(row.get(column) for column in columns):
            return columns[0], f"give {' or '.join(columns)}"
        return None
    return check


def _not_self(column: str, other: str) -> RowCheck:
    def check(row: Row) -> tuple[str, str] | None:
        if row[column] == row[other]:
            return other, f"an area cannot be adjacent to itself ({row[other]!r})"
        return None
    return check


NAME = v.text(200)
SOURCE = Field("source", v.text(100))
OFFICIAL_CODE = v.pattern(r"[A-Za-z0-9\-]{1,40}", "a code of letters and digits")

FILES: tuple[FileSpec, ...] = (
    FileSpec("education_levels.csv", (
        _req("code", v.code), _req("name_da", NAME), _req("name_en", NAME),
        _req("rank", v.integer(1, 100)),
        _req("skill_status", v.choice(*m.SKILL_STATUSES)),
        Field("dk_nqf", v.integer(1, 8)),
    ), key=("code",), unique=("rank",)),
    FileSpec("rar_areas.csv", (
        _req("code", v.code), _req("name", NAME), Field("valid_from", v.iso_date),
        Field("valid_to", v.iso_date), Field("source_url", v.web_url),
    ), key=("code",), checks=(_dates_in_order("valid_from", "valid_to"),)),
    FileSpec("rar_adjacency.csv", (
        _req("rar_code", v.code), _req("adjacent_rar_code", v.code),
    ), key=("rar_code", "adjacent_rar_code"),
        refs=(Ref("rar_code", "rar_areas.csv"), Ref("adjacent_rar_code", "rar_areas.csv")),
        checks=(_not_self("rar_code", "adjacent_rar_code"),)),
    FileSpec("municipalities.csv", (
        _req("kommunekode", v.kommunekode), _req("name", NAME), _req("rar_code", v.code),
        Field("valid_from", v.iso_date), Field("valid_to", v.iso_date),
    ), key=("kommunekode", "valid_from"), refs=(Ref("rar_code", "rar_areas.csv"),),
        checks=(_dates_in_order("valid_from", "valid_to"),)),
    FileSpec("postcodes.csv", (
        _req("postcode", v.postcode), _req("name", NAME),
        _req("lat", v.number(54.4, 57.9)), _req("lon", v.number(7.9, 15.3)),
        Field("kommunekode", v.kommunekode),
    ), key=("postcode",), refs=(Ref("kommunekode", "municipalities.csv", "kommunekode"),)),
    FileSpec("skills.csv", (
        _req("code", v.code), _req("label_da", NAME), Field("label_en", NAME),
        Field("aliases_da", v.text_list), Field("aliases_en", v.text_list),
        Field("kind", v.choice(*m.SKILL_KINDS)), Field("esco_uri", v.esco_uri),
    ), key=("code",)),
    FileSpec("occupations.csv", (
        _req("code", v.code), _req("title_da", NAME), Field("title_en", NAME),
        Field("aliases_da", v.text_list), Field("aliases_en", v.text_list),
        Field("isco08", v.isco08), Field("disco08", v.disco08), Field("esco_uri", v.esco_uri),
        Field("min_education_level", v.code), Field("description_da", v.text(2000)),
        Field("regulated", v.boolean),
    ), key=("code",), refs=(Ref("min_education_level", "education_levels.csv"),)),
    FileSpec("educations.csv", (
        _req("code", v.code), _req("title_da", NAME), _req("level", v.code),
        Field("title_en", NAME), Field("aliases_da", v.text_list), Field("aliases_en", v.text_list),
        SOURCE, Field("source_url", v.web_url),
    ), key=("code",), refs=(Ref("level", "education_levels.csv"),), optional=True),
    FileSpec("education_occupations.csv", (
        _req("education_code", v.code), _req("occupation_code", v.code),
    ), key=("education_code", "occupation_code"),
        refs=(Ref("education_code", "educations.csv"), Ref("occupation_code", "occupations.csv")),
        optional=True),
    FileSpec("occupation_skills.csv", (
        _req("occupation_code", v.code), _req("skill_code", v.code),
        _req("relation", v.choice(*m.RELATIONS)),
    ), key=("occupation_code", "skill_code"),
        refs=(Ref("occupation_code", "occupations.csv"), Ref("skill_code", "skills.csv"))),
    FileSpec("shortages.csv", (
        _req("occupation_code", v.code), _req("rar_code", v.code), _req("period", v.period),
        _req("category", v.choice(*m.SHORTAGE_CATEGORIES)),
        SOURCE, Field("source_url", v.web_url),
    ), key=("occupation_code", "rar_code", "period"),
        refs=(Ref("occupation_code", "occupations.csv"), Ref("rar_code", "rar_areas.csv"))),
    FileSpec("providers.csv", (
        _req("code", v.code), _req("name", NAME), _req("postcode", v.postcode),
        Field("kind", v.choice(*m.PROVIDER_KINDS)), Field("address", v.text(300)),
        Field("website", v.web_url), Field("email", v.email), Field("phone", v.phone), SOURCE,
    ), key=("code",), refs=(Ref("postcode", "postcodes.csv", "postcode"),)),
    FileSpec("courses.csv", (
        _req("code", v.code), _req("kind", v.choice(*m.COURSE_KINDS)),
        _req("title_da", v.text(300)), _req("provider_code", v.code),
        _req("duration_days", v.decimal(places=1, positive=True, digits=7)),
        Field("official_code", OFFICIAL_CODE),
        Field("title_en", v.text(300)), Field("description_da", v.text(4000)),
        Field("hours", v.decimal(Decimal(0), 1, digits=7)), Field("price_dkk", v.integer(0, 10_000_000)),
        Field("fee_target_group_dkk", v.integer(0, 10_000_000)),
        Field("min_education_level", v.code), Field("language", v.language),
        Field("delivery", v.choice(*m.DELIVERIES)), Field("schedule", v.choice(*m.SCHEDULES)),
        Field("url", v.web_url), SOURCE, Field("education_code", v.code),
    ), key=("code",), refs=(Ref("provider_code", "providers.csv"),
                            Ref("min_education_level", "education_levels.csv"),
                            Ref("education_code", "educations.csv"))),
    FileSpec("course_skills.csv", (_req("course_code", v.code), _req("skill_code", v.code)),
             key=("course_code", "skill_code"),
             refs=(Ref("course_code", "courses.csv"), Ref("skill_code", "skills.csv"))),
    FileSpec("course_prerequisites.csv", (_req("course_code", v.code), _req("skill_code", v.code)),
             key=("course_code", "skill_code"),
             refs=(Ref("course_code", "courses.csv"), Ref("skill_code", "skills.csv"))),
    FileSpec("course_occupations.csv", (
        _req("course_code", v.code), _req("occupation_code", v.code),
    ), key=("course_code", "occupation_code"),
        refs=(Ref("course_code", "courses.csv"), Ref("occupation_code", "occupations.csv"))),
    FileSpec("sessions.csv", (
        _req("course_code", v.code), _req("session_code", v.code),
        _req("start_date", v.iso_date), _req("end_date", v.iso_date),
        Field("postcode", v.postcode), Field("seats", v.integer(0, 10_000)),
        Field("status", v.choice(*m.SESSION_STATUSES)),
    ), key=("course_code", "session_code"),
        refs=(Ref("course_code", "courses.csv"), Ref("postcode", "postcodes.csv", "postcode")),
        checks=(_dates_in_order("start_date", "end_date"),)),
    FileSpec("positive_lists.csv", (
        _req("list", v.choice(*m.POSITIVE_LISTS)), Field("course_code", v.code, column=True),
        Field("official_code", OFFICIAL_CODE),
        Field("rar_code", v.code), Field("erhvervsgruppe", v.text(200)),
        Field("valid_from", v.iso_date), Field("valid_to", v.iso_date),
        Field("from_day_one", v.boolean), SOURCE,
    ), key=("list", "course_code", "official_code", "rar_code", "valid_from"),
        refs=(Ref("course_code", "courses.csv"), Ref("rar_code", "rar_areas.csv")),
        checks=(_one_of("course_code", "official_code"),
                _dates_in_order("valid_from", "valid_to"))),
    FileSpec("funding_rates.csv", (
        _req("scheme", v.choice(*m.FUNDING_SCHEMES)), _req("year", v.integer(1990, 2100)),
        _req("amount", v.decimal(Decimal(0), 2)),
        _req("unit", v.pattern(r"[a-z][a-z0-9_]{1,29}", "a unit such as dkk_week")),
        Field("source_url", v.web_url), Field("valid_from", v.iso_date),
        Field("valid_to", v.iso_date), Field("checked", v.iso_date),
    ), key=("scheme", "year", "unit"), checks=(_dates_in_order("valid_from", "valid_to"),)),
    FileSpec("funding_rules.csv", (
        _req("scheme", v.choice(*m.FUNDING_SCHEMES)), _req("valid_from", v.iso_date),
        Field("valid_to", v.iso_date), Field("decided_by", v.text(100)),
        Field("law", v.text(300)), _req("source_url", v.web_url), Field("checked", v.iso_date),
    ), key=("scheme", "valid_from"), checks=(_dates_in_order("valid_from", "valid_to"),),
        optional=True),
)

BY_NAME = {spec.name: spec for spec in FILES}
