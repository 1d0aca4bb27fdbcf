"""The course search's query parameters, checked once for the page and the API alike.

Shapes, bounds and choices are the declarations in query_params.COURSE_PARAMS (which the
API document lists); this module adds the messages and what only the catalogue knows. Each
problem is a ProfileError (field, Danish, English), as the API reports them; the
page shows the message in the reader's language on its field. Valid parts are kept, so a
page with one bad value still shows the rest of the form as the person left it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from werkzeug.datastructures import MultiDict

from matcher.engine.fields import by_name
from matcher.engine.index import CatalogIndex
from matcher.engine.model import Profile
from matcher.engine.profile import ProfileError, ProfileInvalid
from matcher.engine.search import CourseFilters, quick_profile
from matcher.web.query_params import (
    COURSE_PARAMS,
    DISTANCES,
    MONTHS_AHEAD,
    PER_PAGE,
    parse,
)

PARAMS = by_name(COURSE_PARAMS)
FIELDS = tuple(PARAMS)
__all__ = ["DISTANCES", "FIELDS", "CourseQuery", "month_key", "months_from", "read_course_query"]


@dataclass(frozen=True)
class CourseQuery:
    text: str = ""
    filters: CourseFilters = field(default_factory=CourseFilters)
    page: int = 1
    per_page: int = PER_PAGE
    payer: Profile | None = None  # "may be paid for me": only courses some scheme may pay


def months_from(first: date, count: int = MONTHS_AHEAD) -> list[tuple[int, int]]:
    """(year, month) of the month of first and the count - 1 months after it."""
    return [(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1)
            for i in range(count)]


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _show(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def read_course_query(args: MultiDict[str, str], *, index: CatalogIndex, first_day: date,
                      api: bool = False) -> tuple[CourseQuery, list[ProfileError]]:
    """The query the parameters ask for, and one error per parameter that is not valid."""
    errors: list[ProfileError] = []
    postcodes = index.place_pos

    def value(name: str) -> str | None:
        """The parameter; on the page an empty field is no choice, in the API an error."""
        spec = PARAMS[name]  # a KeyError for a parameter the document does not list
        found = args.get(spec.name)
        if api or found is None:
            return found
        return found.strip() or None

    text = args.get(PARAMS["q"].name, "")
    if parse(PARAMS["q"], text) is None:
        most = PARAMS["q"].max_length
        errors.append(ProfileError("q", f"Skriv højst {most} tegn i søgefeltet.",
                                   f"Type at most {most} characters in the search box."))
        text = ""

    kind = value("kind")
    if kind is not None and parse(PARAMS["kind"], kind) is None:
        errors.append(ProfileError("kind", f"Vælg en af kursustyperne på listen ({_show(kind)} "
                                   "findes ikke).", f"Choose one of the course types in the list "
                                   f"({_show(kind)} does not exist)."))
        kind = None

    postcode = value("postcode")
    if postcode is not None and postcode not in postcodes:
        if parse(PARAMS["postcode"], postcode) is not None:
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
        found_distance = parse(PARAMS["max_distance_km"], distance_text)
        if found_distance is None:
            errors.append(ProfileError(
                "max_distance_km", "Vælg en af afstandene på listen.",
                "Choose one of the distances in the list."))
        elif postcode is None and "postcode" not in {e.field for e in errors}:
            errors.append(ProfileError(
                "max_distance_km", "Skriv et postnummer, så vi kan måle afstanden.",
                "Enter a postcode so that we can measure the distance."))
        else:
            distance = float(found_distance)

    month_text = value("month")
    month: tuple[int, int] | None = None
    if month_text is not None:
        offered = {month_key(*m): m for m in months_from(first_day)}
        month = offered.get(month_text) if parse(PARAMS["month"], month_text) else None
        if month is None:
            errors.append(ProfileError(
                "month", "Vælg en af startmånederne på listen.",
                "Choose one of the start months in the list."))

    time = PARAMS["schedule"].items or PARAMS["schedule"]
    schedules = tuple(dict.fromkeys(args.getlist(PARAMS["schedule"].name)))
    if any(parse(time, s) is None for s in schedules):
        errors.append(ProfileError("schedule", "Vælg tidspunkter fra listen.",
                                   "Choose times from the list."))
        schedules = tuple(s for s in schedules if parse(time, s) is not None)

    online_text = args.get(PARAMS["online"].name)
    if online_text is not None and parse(PARAMS["online"], online_text) is None:
        errors.append(ProfileError("online", "Kun online kan kun være slået til eller fra.",
                                   "Online only can only be on or off."))
    online = online_text == "true"

    payer = _payer(args, index, errors, value)

    page = _whole(args, "page", errors, da="Sidetallet skal være et helt tal mellem {low} og "
                  "{high}.", en="The page number must be a whole number between {low} and "
                  "{high}.")
    per_page = PER_PAGE
    if api:
        per_page = _whole(args, "limit", errors, da="skal være et helt tal mellem {low} og "
                          "{high}", en="must be a whole number between {low} and {high}")

    filters = CourseFilters(kind=kind, postcode=postcode, max_distance_km=distance, month=month,
                            schedules=schedules, online_only=online)
    return CourseQuery(text=text.strip(), filters=filters, page=page, per_page=per_page,
                       payer=payer), errors


def _payer(args: MultiDict[str, str], index: CatalogIndex, errors: list[ProfileError],
           value: Callable[[str], str | None]) -> Profile | None:
    """The quick answers' profile when "may be paid for me" is on; their problems in errors."""
    answers: dict[str, str | None] = {}
    for name, da, en in (
            ("status", "Vælg en situation fra listen.", "Choose a situation from the list."),
            ("benefit", "Vælg en ydelse fra listen.", "Choose a benefit from the list."),
            ("education_level", "Vælg en uddannelse fra listen.",
             "Choose an education from the list.")):
        answer = value(name)
        if answer is not None and (parse(PARAMS[name], answer) is None or (
                name == "education_level" and answer not in index.education_rank)):
            errors.append(ProfileError(name, da, en))
            answer = None
        answers[name] = answer
    paid_text = args.get(PARAMS["paid"].name)
    if paid_text is not None and parse(PARAMS["paid"], paid_text) is None:
        errors.append(ProfileError("paid", "»Kun kurser der måske kan betales for mig« kan kun "
                                   "være slået til eller fra.", "»Only courses that may be paid "
                                   "for me« can only be on or off."))
    wrong = {e.field for e in errors} & set(answers)
    if paid_text != "true" or wrong:
        return None
    status = answers["status"]
    if status is None:
        errors.append(ProfileError("status", "Vælg din situation, så vi kan se, hvem der måske "
                                   "kan betale for kurserne.", "Choose your situation so that "
                                   "we can see who may pay for the courses."))
        return None
    try:
        return quick_profile(index, status, benefit=answers["benefit"],
                             education_level=answers["education_level"])
    except ProfileInvalid as invalid:  # an impossible combination, said on its field
        errors.extend(invalid.errors)
        return None


def _whole(args: MultiDict[str, str], name: str, errors: list[ProfileError], *, da: str,
           en: str) -> int:
    """A declared whole-number parameter, its default when left out or not valid."""
    spec = PARAMS[name]
    default = int(spec.default or 0)
    text = args.get(spec.name)
    if text is None:
        return default
    found = parse(spec, text)
    if not isinstance(found, int):
        bounds = {"low": spec.minimum, "high": spec.maximum}
        errors.append(ProfileError(name, da.format(**bounds), en.format(**bounds)))
        return default
    return found
