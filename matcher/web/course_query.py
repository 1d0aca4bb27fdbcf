"""The course search's query parameters, checked once for the page and the API alike.

Each problem is a ProfileError (field, Danish, English), as the API reports them; the
page shows the message in the reader's language on its field. Valid parts are kept, so a
page with one bad value still shows the rest of the form as the person left it.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date

from werkzeug.datastructures import MultiDict

from matcher.data.models import COURSE_KINDS
from matcher.engine.model import SCHEDULES
from matcher.engine.profile import ProfileError
from matcher.engine.search import CourseFilters

QUERY_MAX_LENGTH = 100
DISTANCES = (10, 25, 50, 100, 200)
MONTHS_AHEAD = 24  # months offered from the first bookable one
PER_PAGE = 20
LIMIT = (1, 50, PER_PAGE)  # the API's lowest, highest and default page size
MAX_PAGE = 9999
FIELDS = ("q", "kind", "postcode", "max_distance_km", "month", "schedule", "online", "page",
          "limit")


@dataclass(frozen=True)
class CourseQuery:
    text: str = ""
    filters: CourseFilters = field(default_factory=CourseFilters)
    page: int = 1
    per_page: int = PER_PAGE


def months_from(first: date, count: int = MONTHS_AHEAD) -> list[tuple[int, int]]:
    """(year, month) of the month of first and the count - 1 months after it."""
    return [(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1)
            for i in range(count)]


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _show(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _whole(value: str, low: int, high: int) -> int | None:
    # ASCII digits only: int() would also take " 5", "+5" and full-width digits.
    if re.fullmatch(r"[0-9]{1,6}", value) and low <= int(value) <= high:
        return int(value)
    return None


def read_course_query(args: MultiDict[str, str], *, postcodes: Container[str],
                      first_day: date, api: bool = False) -> tuple[CourseQuery, list[ProfileError]]:
    """The query the parameters ask for, and one error per parameter that is not valid."""
    errors: list[ProfileError] = []

    def value(name: str) -> str | None:
        """The parameter; on the page an empty field is no choice, in the API an error."""
        found = args.get(name)
        if api or found is None:
            return found
        return found.strip() or None

    text = args.get("q", "")
    if len(text) > QUERY_MAX_LENGTH:
        errors.append(ProfileError("q", f"Skriv højst {QUERY_MAX_LENGTH} tegn i søgefeltet.",
                                   f"Type at most {QUERY_MAX_LENGTH} characters in the search "
                                   "box."))
        text = ""

    kind = value("kind")
    if kind is not None and kind not in COURSE_KINDS:
        errors.append(ProfileError("kind", f"Vælg en af kursustyperne på listen ({_show(kind)} "
                                   "findes ikke).", f"Choose one of the course types in the list "
                                   f"({_show(kind)} does not exist)."))
        kind = None

    postcode = value("postcode")
    if postcode is not None and postcode not in postcodes:
        if re.fullmatch(r"[0-9]{4}", postcode):
            errors.append(ProfileError("postcode", f"Vi kender ikke postnummeret {postcode}. "
                                       "Tjek, at det er skrevet rigtigt.",
                                       f"We do not know the postcode {postcode}. Check that it "
                                       "is written correctly."))
        else:
            errors.append(ProfileError("postcode", "Skriv postnummeret med 4 cifre, fx 7400.",
                                       "Write the postcode with 4 digits, e.g. 7400."))
        postcode = None

    distance_text = value("max_distance_km")
    distance: float | None = None
    if distance_text is not None:
        if distance_text not in {str(d) for d in DISTANCES}:
            errors.append(ProfileError(
                "max_distance_km", "Vælg en af afstandene på listen.",
                "Choose one of the distances in the list."))
        elif postcode is None and "postcode" not in {e.field for e in errors}:
            errors.append(ProfileError(
                "max_distance_km", "Skriv et postnummer, så vi kan måle afstanden.",
                "Enter a postcode so that we can measure the distance."))
        else:
            distance = float(distance_text)

    month_text = value("month")
    month: tuple[int, int] | None = None
    if month_text is not None:
        offered = {month_key(*m): m for m in months_from(first_day)}
        month = offered.get(month_text)
        if month is None:
            errors.append(ProfileError(
                "month", "Vælg en af startmånederne på listen.",
                "Choose one of the start months in the list."))

    schedules = tuple(dict.fromkeys(args.getlist("schedule")))
    if any(s not in SCHEDULES for s in schedules):
        errors.append(ProfileError("schedule", "Vælg tidspunkter fra listen.",
                                   "Choose times from the list."))
        schedules = tuple(s for s in schedules if s in SCHEDULES)

    online_text = args.get("online")
    if online_text not in (None, "true", "false"):
        errors.append(ProfileError("online", "Kun online kan kun være slået til eller fra.",
                                   "Online only can only be on or off."))
    online = online_text == "true"

    page = 1
    if "page" in args:
        found = _whole(args.get("page", ""), 1, MAX_PAGE)
        if found is None:
            errors.append(ProfileError("page", f"Sidetallet skal være et helt tal mellem 1 og "
                                       f"{MAX_PAGE}.", f"The page number must be a whole number "
                                       f"between 1 and {MAX_PAGE}."))
        else:
            page = found

    per_page = PER_PAGE
    if api and "limit" in args:
        low, high, _ = LIMIT
        found = _whole(args.get("limit", ""), low, high)
        if found is None:
            errors.append(ProfileError("limit", f"skal være et helt tal mellem {low} og {high}",
                                       f"must be a whole number between {low} and {high}"))
        else:
            per_page = found

    filters = CourseFilters(kind=kind, postcode=postcode, max_distance_km=distance, month=month,
                            schedules=schedules, online_only=online)
    return CourseQuery(text=text.strip(), filters=filters, page=page, per_page=per_page), errors
