"""Declared input: the profile's keys (design.md §6) as one table of typed, bounded fields.

validate_profile checks a profile against this table and matcher.web.openapi writes the
same table into the API document, so the document cannot promise what the validator does
not check (issue 11.4). The web layer declares its query parameters with the same Field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matcher.engine.model import BENEFITS, SCHEDULES, STATUSES

__all__ = ["CODE_LENGTH", "MAX_JOBS", "MAX_LIST", "PAST_JOB_FIELDS", "PROFILE_FIELDS", "Field",
           "by_name"]

MAX_LIST = 200  # items in a list of codes
MAX_JOBS = 30
CODE_LENGTH = 80  # no catalogue code is longer; a longer one cannot be known


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a JSON body or one query parameter, in JSON Schema terms.

    type is a JSON Schema type (string, integer, number, boolean, array, object); items
    declares an array's elements and fields an object's keys (an object admits no others).
    """

    name: str
    type: str
    description: str = ""
    required: bool = False
    enum: tuple[str | int, ...] = ()
    minimum: int | float | None = None
    maximum: int | float | None = None
    pattern: str | None = None  # anchored, ASCII only: "[0-9]", never "\d"
    min_length: int | None = None
    max_length: int | None = None
    items: Field | None = None
    min_items: int | None = None
    max_items: int | None = None
    default: int | float | str | bool | None = None
    fields: tuple[Field, ...] = ()


def by_name(fields: Iterable[Field]) -> Mapping[str, Field]:
    return {field.name: field for field in fields}


def _code(name: str, file: str, *, required: bool = False) -> Field:
    """A catalogue code from file (named without ".csv", which a message key would look like)."""
    return Field(name, "string", f"A code from {file}.csv.", required=required, min_length=1,
                 max_length=CODE_LENGTH)


PAST_JOB_FIELDS = (
    _code("code", "occupations", required=True),
    Field("years", "number", minimum=0, maximum=60, default=1),
)

PROFILE_FIELDS = (
    Field("status", "string", required=True, enum=STATUSES),
    Field("benefit", "string", enum=BENEFITS),
    Field("unemployed_weeks", "integer", minimum=0, maximum=1040),
    Field("age", "integer", required=True, minimum=15, maximum=80),
    _code("education_level", "education_levels", required=True),
    Field("education_outdated", "boolean", "Education not used for 5+ years."),
    Field("has_eud", "boolean", "Holds a vocational education (EUD)."),
    Field("kommunekode", "integer", "Home municipality (default: the deployment's).",
          minimum=101, maximum=999),
    Field("postcode", "string", "A Danish postcode, for distances.", pattern="^[0-9]{4}$"),
    Field("occupations", "array", max_items=MAX_JOBS, items=Field(
        "PastJob", "object", "An occupation held, with years of experience (default 1).",
        fields=PAST_JOB_FIELDS)),
    Field("skills", "array", max_items=MAX_LIST, items=_code("skill", "skills")),
    Field("completed_courses", "array", max_items=MAX_LIST,
          items=_code("course", "courses")),
    Field("interests", "array", max_items=MAX_LIST, items=_code("occupation", "occupations")),
    Field("educations", "array", max_items=MAX_LIST, items=Field(
        "education", "string", "A code from educations.csv: a specific completed education.",
        min_length=1, max_length=CODE_LENGTH)),
    Field("max_distance_km", "number", minimum=0, maximum=1000, default=50),
    Field("schedule", "array", "When you can study (default: all).", min_items=1,
          items=Field("time", "string", enum=SCHEDULES)),
    Field("max_course_days", "integer", minimum=1, maximum=2000),
    Field("start_within_weeks", "integer", minimum=1, maximum=104, default=26),
)
