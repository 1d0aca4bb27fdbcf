"""The query parameters of /api/v1 and /kurser, declared once (issue 11.4).

The readers (api.py, course_query.py) take every value through parse() against these
declarations, and matcher.web.openapi writes the same declarations into the document, so a
parameter, bound or choice is in both or in neither. The readers add only what a schema
cannot say: their messages, and facts such as a postcode the catalogue knows.
"""

from __future__ import annotations

import re

from matcher.data.models import COURSE_KINDS
from matcher.engine.fields import CODE_LENGTH, Field
from matcher.engine.model import BENEFITS, SCHEDULES, STATUSES

QUERY_MAX_LENGTH = 100
DISTANCES = (10, 25, 50, 100, 200)
MONTHS_AHEAD = 24  # months offered from the first bookable one
PER_PAGE = 20
MAX_PAGE = 9999
WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")  # ASCII digits: int() would also take " 5", "+5", "５"

LANG = Field("lang", "string", "Language of titles, labels, reasons and error messages.",
             enum=("da", "en"), default="da")

MATCH_PARAMS = (
    Field("limit", "integer", "At most this many occupations, courses and paths.",
          minimum=1, maximum=50, default=10),
)

SUGGEST_PARAMS = (
    Field("q", "string", "What the person typed (Danish or English, aliases included).",
          required=True, min_length=1, max_length=QUERY_MAX_LENGTH),
    Field("kind", "string", "Only this kind (default: both).",
          enum=("occupation", "skill", "education")),
    Field("limit", "integer", "At most this many results.", minimum=1, maximum=25, default=10),
)

COURSE_PARAMS = (
    Field("q", "string", "Words to find (Danish or English); empty or left out: every course.",
          max_length=QUERY_MAX_LENGTH),
    Field("kind", "string", "Only this kind of course.", enum=COURSE_KINDS),
    Field("postcode", "string", "A Danish postcode the catalogue knows: distances are measured "
          "from it.", pattern="^[0-9]{4}$"),
    Field("max_distance_km", "integer", "At most this far from postcode (needs postcode). "
          "Online courses have no distance and are kept.", enum=DISTANCES),
    Field("month", "string", f"YYYY-MM: a session starts in this month, one of the "
          f"{MONTHS_AHEAD} months from the month of first_bookable_day.",
          pattern="^[0-9]{4}-(0[1-9]|1[0-2])$"),
    Field("schedule", "array", "Any of these times (repeat the parameter; a repeated value "
          "counts once).", items=Field("time", "string", enum=SCHEDULES)),
    Field("online", "boolean", "Only courses taught online.", default=False),
    # "May be paid for me": three quick answers with the journey's choices, and the switch.
    Field("status", "string", "The person's situation: a quick answer for paid.",
          enum=STATUSES),
    Field("benefit", "string", "The benefit the person receives: a quick answer for paid.",
          enum=BENEFITS),
    Field("education_level", "string", "The person's highest education, a code from "
          "education_levels.csv: a quick answer for paid.", min_length=1,
          max_length=CODE_LENGTH),
    Field("paid", "boolean", "Only courses that a funding scheme may pay for, or towards, for a "
          "person with the quick answers (status is needed); each hit then names the schemes "
          "in may_pay. Guidance only: what is not asked (age, weeks out of work) is assumed "
          "not to stand in the way, and the a-kasse or job centre decides.", default=False),
    Field("page", "integer", "Which page of results.", minimum=1, maximum=MAX_PAGE, default=1),
    # The page shows PER_PAGE; only the API reads limit.
    Field("limit", "integer", "Courses per page.", minimum=1, maximum=50, default=PER_PAGE),
)


def parse(spec: Field, text: str) -> str | int | bool | None:
    """The value of one query parameter as declared, or None when it breaks the declaration."""
    value: str | int | bool
    if spec.type == "integer":
        if not WHOLE_NUMBER.fullmatch(text):
            return None
        value = int(text)
        if ((spec.minimum is not None and value < spec.minimum)
                or (spec.maximum is not None and value > spec.maximum)):
            return None
    elif spec.type == "boolean":
        if text not in ("true", "false"):
            return None
        value = text == "true"
    elif spec.type == "string":
        if ((spec.min_length is not None and len(text) < spec.min_length)
                or (spec.max_length is not None and len(text) > spec.max_length)
                or (spec.pattern is not None and not re.fullmatch(spec.pattern, text))):
            return None
        value = text
    else:
        raise ValueError(f"{spec.name}: a query parameter of type {spec.type} is read per item")
    if spec.enum and value not in spec.enum:
        return None
    return value


__all__ = ["COURSE_PARAMS", "DISTANCES", "LANG", "MATCH_PARAMS", "MAX_PAGE", "MONTHS_AHEAD",
           "PER_PAGE", "QUERY_MAX_LENGTH", "SUGGEST_PARAMS", "parse"]
