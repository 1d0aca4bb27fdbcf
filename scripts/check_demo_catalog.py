#!/usr/bin/env python3
"""Check the demonstration catalogue written by make_demo_catalog.py.

Verifies the invariants the demo data promises (every reference resolves, no provider name
resembles a real school, every course teaches a skill, no prerequisite cycles, sessions agree
with duration and schedule and never start or end on a weekend day (weekend courses apart) or
a Danish public holiday, the omfattende_mangel overlay of domain.md §1, shortage occupations
in Vestjylland are covered by courses, every education route names the education it leads to
in educations.csv, is titled after it and leads to an occupation that education qualifies
for, a school offers an education once per kind and at most ROUTE_PROVIDERS schools offer
it, identical courses are listed alike on the positive lists) and the minimum counts, then
regenerates the files in a temporary folder and checks that the result is byte-identical.
Prints a summary; exits 1 on any error.

Usage: python scripts/check_demo_catalog.py [--catalog course_catalog] [--no-regenerate]
"""

from __future__ import annotations

import argparse
import csv
import functools
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

RAR_CODES = ("NORDJ", "OESTJ", "VESTJ", "SYDJ", "FYN", "SJAEL", "HOVED", "BORNH")
PERIODS = ("2026H1", "2026H2")
CATEGORIES = ("omfattende_mangel", "mangel", "paradoks", "gode", "mindre_gode")
SHORTAGE = ("mangel", "omfattende_mangel")
# A voksenlærling is a training agreement on an EUD/EUV, not a course: no course has that kind.
COURSE_KINDS = ("amu", "akademi", "diplom", "eud", "euv", "ikv", "other")
PROVIDER_KINDS = ("erhvervsskole", "amu_center", "erhvervsakademi", "professionshoejskole", "privat")
LISTS = ("seks_uger", "regional_pulje", "uddannelsesloeft", "voksenlaerling")
EDUCATION_ORDER = (
    "grundskole",
    "10kl",
    "gymnasial",
    "eud",
    "akademi",
    "kvu",
    "mvu_profbach",
    "bachelor",
    "diplom",
    "lvu_kandidat",
    "master",
    "phd",
)
DURATION_RANGE = {
    "amu": (1, 40),
    "ikv": (1, 5),
    "akademi": (5, 15),
    "diplom": (5, 15),
    "other": (1, 10),
    "eud": (5, 1300),
    "euv": (150, 700),
}
ROUTE_MIN_DAYS = 100
ROUTE_PROVIDERS = 2  # schools offering each education per kind (EUD, EUV)
SKILLS_PER_COURSE = 6  # and per occupation a whole education leads to
SEKS_UGER_MAX_DAYS = 30  # six weeks of working days (domain.md §2a)
SESSION_FIRST, SESSION_LAST = date(2026, 12, 1), date(2027, 11, 30)
MINIMUM = {"providers": 22, "courses": 420, "sessions": 1100}
# Names of real schools and course providers, in and around Vestjylland and the best known
# elsewhere, that a fictional provider must not use or resemble.
REAL_SCHOOL_WORDS = (
    "herningsholm",
    "midtvest",
    "eaaa",
    "erhvervsakademi aarhus",
    "erhvervsakademi sydvest",
    "easv",
    "erhvervsakademi dania",
    "dania",
    "erhvervsakademi kolding",
    "iba",
    "kea",
    "cphbusiness",
    "zealand",
    "via",
    "ucl",
    "ucn",
    "uc syd",
    "absalon",
    "københavns professionshøjskole",
    "euc",
    "eucsyd",
    "amu",
    "amu-center",
    "sosu",
    "hansenberg",
    "tec",
    "next",
    "selandia",
    "zbc",
    "kold college",
    "campus vejle",
    "business college syd",
    "syddansk erhvervsskole",
    "viden djurs",
    "tech college",
    "ucrs",
    "uddannelsescenter ringkøbing skjern",
    "bygholm",
    "asmildkloster",
    "kjærgård",
    "vuc",
    "eamv",
    "erhvervsakademi midtvest",
    "via university",
    "via uc",
    "sosu herning",
    "social & sundhedsskolen",
    "social- og sundhedsskolen",
    "uddannelsescenter holstebro",
    "uch",
    "mercantec",
    "tradium",
    "learnmark",
    "rybners",
    "skive college",
    "aarhus tech",
    "business academy",
    "dalum",
    "jordbrugets uddannelsescenter",
    "ucsyd",
    "celf",
    "eucnord",
    "amu vest",
    "amu-vest",
    "ikast-brande gymnasium",
    "ringkøbing-skjern uddannelsescenter",
)
# Real schools are mostly named after their town, landscape or region ("EUC Vest", "SOSU
# Nord", "Erhvervsakademi MidtVest"); fictional names avoid all three.
REGION_PREFIXES = ("vest", "nord", "syd", "øst", "midt")
LANDSCAPE_WORDS = (
    "storå",
    "venø",
    "vesterhav",
    "salling",
    "hald",
    "gudenå",
    "vadehav",
    "limfjord",
    "fjordland",
    "skjern å",
    "vejle å",
    "hedeslette",
    "hedeland",
)
GENERATED = (
    "providers.csv",
    "courses.csv",
    "course_skills.csv",
    "course_prerequisites.csv",
    "course_occupations.csv",
    "sessions.csv",
    "positive_lists.csv",
    "shortages.csv",
)
TAXONOMY = (
    "skills.csv",
    "occupations.csv",
    "occupation_skills.csv",
    "postcodes.csv",
    "education_levels.csv",
    "educations.csv",
    "education_occupations.csv",
)
ROUTE_TITLE_PREFIXES = {"eud": "EUD: ", "euv": "EUV: "}
# Danish public holidays in the session window, from the calendar: the computed ones must match.
KNOWN_HOLIDAYS = {
    2026: ("01-01", "04-02", "04-03", "04-05", "04-06", "05-14", "05-24", "05-25", "12-25", "12-26"),
    2027: ("01-01", "03-25", "03-26", "03-28", "03-29", "05-06", "05-16", "05-17", "12-25", "12-26"),
}
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def require(self, condition: bool, message: str) -> None:
        if not condition:
            self.error(message)


def read(catalog: Path, name: str) -> list[dict[str, str]]:
    with (catalog / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _easter(year: int) -> date:
    """Easter Sunday by Gauss's algorithm with the Gregorian corrections (Lichtenberg)."""
    k = year // 100
    m = 15 + (3 * k + 3) // 4 - (8 * k + 13) // 25
    s = 2 - (3 * k + 3) // 4
    a = year % 19
    d = (19 * a + m) % 30
    r = (d + a // 11) // 29
    og = 21 + d - r
    sz = 7 - (year + year // 4 + s) % 7
    oe = 7 - (og - sz) % 7
    return date(year, 3, 1) + timedelta(days=og + oe - 1)


@functools.cache
def holidays(year: int) -> frozenset[date]:
    """Danish public holidays: nytårsdag, skærtorsdag, langfredag, påskedag, 2. påskedag,
    Kristi himmelfartsdag, pinsedag, 2. pinsedag, juledag, 2. juledag (store bededag only
    before 2024)."""
    easter = _easter(year)
    offsets = [-3, -2, 0, 1, 39, 49, 50] + ([26] if year < 2024 else [])
    fixed = {date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)}
    return frozenset({easter + timedelta(days=offset) for offset in offsets} | fixed)


def _holiday(day: date) -> bool:
    return day in holidays(day.year)


def _working(day: date) -> bool:
    return day.weekday() < 5 and not _holiday(day)


def _closed(day: date) -> bool:
    """The Christmas closure (24 December to 1 January) of the demo data."""
    return (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)


def _count(start: date, end: date, counts: Callable[[date], bool], step: int = 1) -> int:
    """How many days from start to end, walking `step` days at a time, `counts` holds on."""
    total, day = 0, start
    while day <= end:
        total += counts(day)
        day += timedelta(days=step)
    return total


def check(catalog: Path, report: Report) -> dict[str, object]:
    skills = {row["code"] for row in read(catalog, "skills.csv")}
    occupations = {row["code"]: row for row in read(catalog, "occupations.csv")}
    essential: dict[str, set[str]] = defaultdict(set)
    for row in read(catalog, "occupation_skills.csv"):
        if row["relation"] == "essential":
            essential[row["occupation_code"]].add(row["skill_code"])
    postcode_rows = read(catalog, "postcodes.csv")
    postcodes = {row["postcode"] for row in postcode_rows}
    towns = {row["name"].casefold() for row in postcode_rows}
    levels = {row["code"] for row in read(catalog, "education_levels.csv")}
    for year, known in KNOWN_HOLIDAYS.items():
        expected = {date.fromisoformat(f"{year}-{day}") for day in known}
        report.require(holidays(year) == expected, f"holiday calendar {year} is wrong")

    # providers
    providers = {}
    for row in read(catalog, "providers.csv"):
        where = f"providers.csv {row['code']}"
        report.require(row["code"] not in providers, f"{where}: duplicate code")
        providers[row["code"]] = row
        report.require(bool(SNAKE.match(row["code"])), f"{where}: code is not snake_case")
        report.require(row["kind"] in PROVIDER_KINDS, f"{where}: bad kind {row['kind']}")
        report.require(row["postcode"] in postcodes, f"{where}: unknown postcode {row['postcode']}")
        report.require(row["address"] == "" and row["phone"] == "", f"{where}: address/phone must be blank")
        report.require(
            row["website"] in ("",) or row["website"].startswith("https://example.dk/"),
            f"{where}: website must be blank or example.dk",
        )
        report.require(
            row["email"] == "" or row["email"].endswith("@example.dk"),
            f"{where}: email must be blank or @example.dk",
        )
        report.require(row["source"] == "demo", f"{where}: source must be demo")
        lowered = row["name"].casefold()
        for word in REAL_SCHOOL_WORDS:
            report.require(
                not re.search(rf"\b{re.escape(word)}\b", lowered),
                f"{where}: name resembles the real school '{word}'",
            )
        for word in sorted(towns) + list(LANDSCAPE_WORDS):
            report.require(
                not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered),
                f"{where}: name uses the real place name '{word}'",
            )
        for token in re.findall(r"\w+", lowered):
            report.require(
                not token.startswith(REGION_PREFIXES), f"{where}: name uses the region word '{token}'"
            )

    # courses
    courses = {}
    for row in read(catalog, "courses.csv"):
        where = f"courses.csv {row['code']}"
        report.require(row["code"] not in courses, f"{where}: duplicate code")
        courses[row["code"]] = row
        report.require(bool(SNAKE.match(row["code"])), f"{where}: code is not snake_case")
        report.require(row["kind"] in COURSE_KINDS, f"{where}: bad kind {row['kind']}")
        report.require(row["provider_code"] in providers, f"{where}: unknown provider")
        report.require(row["official_code"] == "", f"{where}: official_code must be blank")
        report.require(row["url"] == "", f"{where}: url must be blank")
        report.require(row["source"] == "demo", f"{where}: source must be demo")
        report.require(bool(row["title_da"]) and bool(row["title_en"]), f"{where}: titles required")
        report.require(row["language"] in ("da", "en"), f"{where}: bad language")
        report.require(row["delivery"] in ("presence", "online", "blended"), f"{where}: bad delivery")
        report.require(
            row["schedule"] in ("day", "evening", "weekend", "self_paced"), f"{where}: bad schedule"
        )
        days = int(row["duration_days"])
        low, high = DURATION_RANGE.get(row["kind"], (1, 10_000))
        report.require(low <= days <= high, f"{where}: {days} days outside {low}-{high}")
        if row["min_education_level"]:
            report.require(row["min_education_level"] in levels, f"{where}: unknown education level")
        if row["kind"] == "akademi":
            report.require(
                row["min_education_level"] in ("gymnasial", "eud"), f"{where}: akademi needs gymnasial/eud"
            )
        if row["kind"] == "diplom":
            report.require(row["min_education_level"] == "kvu", f"{where}: diplom needs kvu")
        if row["kind"] == "amu":
            fee = int(row["fee_target_group_dkk"])
            weekly = fee * 5 / days
            report.require(fee == 0 or 600 <= weekly <= 1100, f"{where}: AMU fee {fee} implausible")
        if row["kind"] == "ikv":
            report.require(row["fee_target_group_dkk"] == "0", f"{where}: IKV is free")
        if row["price_dkk"]:
            report.require(int(row["price_dkk"]) >= 0, f"{where}: negative price")

    # course links
    taught: dict[str, set[str]] = defaultdict(set)
    for row in read(catalog, "course_skills.csv"):
        report.require(
            row["course_code"] in courses, f"course_skills.csv: unknown course {row['course_code']}"
        )
        report.require(row["skill_code"] in skills, f"course_skills.csv: unknown skill {row['skill_code']}")
        taught[row["course_code"]].add(row["skill_code"])
    for code, row in courses.items():
        if not _is_route(row):  # a whole education: checked with its occupations below
            report.require(
                1 <= len(taught[code]) <= SKILLS_PER_COURSE,
                f"{code}: teaches {len(taught[code])} skills (1-{SKILLS_PER_COURSE})",
            )
    required: dict[str, set[str]] = defaultdict(set)
    for row in read(catalog, "course_prerequisites.csv"):
        report.require(
            row["course_code"] in courses, f"course_prerequisites.csv: unknown course {row['course_code']}"
        )
        report.require(
            row["skill_code"] in skills, f"course_prerequisites.csv: unknown skill {row['skill_code']}"
        )
        report.require(
            row["skill_code"] not in taught[row["course_code"]],
            f"{row['course_code']}: requires the skill {row['skill_code']} it teaches",
        )
        required[row["course_code"]].add(row["skill_code"])
    teachers: dict[str, set[str]] = defaultdict(set)
    for code, taught_skills in taught.items():
        for skill in taught_skills:
            teachers[skill].add(code)
    graph = {code: {t for s in required[code] for t in teachers[s]} for code in courses}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for child in sorted(graph[node]):
            if state.get(child) == 1:
                report.error(f"prerequisite cycle: {' -> '.join([*path, node, child])}")
            elif not state.get(child):
                visit(child, [*path, node])
        state[node] = 2

    for code in sorted(courses):
        if not state.get(code):
            visit(code, [])
    for skill in {s for needs in required.values() for s in needs}:
        if not teachers[skill]:
            report.warn(f"prerequisite skill {skill} is taught by no course")

    targets: dict[str, set[str]] = defaultdict(set)
    for row in read(catalog, "course_occupations.csv"):
        report.require(
            row["course_code"] in courses, f"course_occupations.csv: unknown course {row['course_code']}"
        )
        report.require(
            row["occupation_code"] in occupations,
            f"course_occupations.csv: unknown occupation {row['occupation_code']}",
        )
        targets[row["course_code"]].add(row["occupation_code"])
    for code, row in courses.items():
        if _is_route(row):
            report.require(len(targets[code]) >= 1, f"{code}: an education route must target its occupation")
            # An education teaches what each of the occupations it leads to needs.
            most = SKILLS_PER_COURSE * max(1, len(targets[code]))
            report.require(
                1 <= len(taught[code]) <= most,
                f"{code}: a route to {len(targets[code])} occupation(s) teaches {len(taught[code])} "
                f"skills (1-{most})",
            )
    check_route_educations(catalog, courses, targets, report)
    amu = [code for code, row in courses.items() if row["kind"] == "amu"]
    amu_targeted = sum(1 <= len(targets[code]) <= 4 for code in amu)

    # sessions
    sessions_by_course: dict[str, list[dict[str, str]]] = defaultdict(list)
    months: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for row in read(catalog, "sessions.csv"):
        code = row["course_code"]
        where = f"sessions.csv {row['session_code']}"
        if code not in courses:
            report.error(f"{where}: unknown course")
            continue
        course = courses[code]
        sessions_by_course[code].append(row)
        start, end = _day(row["start_date"]), _day(row["end_date"])
        months[row["start_date"][:7]] += 1
        statuses[row["status"]] += 1
        report.require(SESSION_FIRST <= start <= SESSION_LAST, f"{where}: start outside the window")
        report.require(end >= start, f"{where}: ends before it starts")
        report.require(row["status"] in ("open", "full", "cancelled"), f"{where}: bad status")
        report.require(8 <= int(row["seats"]) <= 24, f"{where}: seats outside 8-24")
        if course["delivery"] == "online":
            report.require(row["postcode"] == "", f"{where}: online sessions have no postcode")
        elif row["postcode"]:
            report.require(row["postcode"] in postcodes, f"{where}: unknown postcode")
        days, schedule = int(course["duration_days"]), course["schedule"]
        for label, day in (("starts", start), ("ends", end)):
            report.require(not _holiday(day), f"{where}: {label} on the public holiday {day}")
        report.require(not _closed(start), f"{where}: starts in the Christmas closure (24 Dec-1 Jan)")
        if not _is_route(course):
            report.require(
                _count(start, end, _closed) == 0, f"{where}: a short course runs across the Christmas closure"
            )
        if schedule == "weekend":
            report.require(
                start.weekday() == 5 and end.weekday() in (5, 6), f"{where}: weekend course off weekend"
            )
            weekend_days = _count(start, end, lambda d: d.weekday() >= 5 and not _holiday(d))
            report.require(weekend_days == days, f"{where}: {weekend_days} weekend days, not {days}")
        else:
            report.require(
                start.weekday() < 5 and end.weekday() < 5,
                f"{where}: {schedule} course starts or ends on a weekend",
            )
        if schedule == "day":
            # duration_days counts working days: the end is the duration_days-th one from the start.
            working = _count(start, end, _working)
            report.require(working == days, f"{where}: {working} working days, not {days}")
        elif schedule == "evening":
            evenings = _count(start, end, lambda d: not _holiday(d), step=7)
            report.require(
                evenings == days and (end - start).days % 7 == 0,
                f"{where}: {evenings} weekly evenings, not {days}",
            )
        elif schedule == "self_paced":
            report.require((end - start).days >= days, f"{where}: self-paced window shorter than the course")
    for code in courses:
        found = sessions_by_course.get(code, [])
        report.require(bool(found), f"{code}: no session")
        codes = [row["session_code"] for row in found]
        report.require(len(codes) == len(set(codes)), f"{code}: duplicate session codes")
        report.require(
            any(row["status"] != "cancelled" for row in found) or not found,
            f"{code}: every session cancelled",
        )
    month_counts = [months[month] for month in sorted(months)]
    if month_counts:
        average = sum(month_counts) / len(month_counts)
        for month in sorted(months):
            if month not in ("2027-07", "2026-12"):
                report.require(months[month] >= 0.6 * average, f"sessions: {month} is thin ({months[month]})")
        report.require(months["2027-07"] < average, "sessions: July should be quieter")

    # shortages
    shortages: dict[tuple[str, str, str], str] = {}
    for row in read(catalog, "shortages.csv"):
        key = (row["occupation_code"], row["rar_code"], row["period"])
        report.require(key not in shortages, f"shortages.csv: duplicate {key}")
        report.require(row["category"] in CATEGORIES, f"shortages.csv {key}: bad category")
        report.require(row["source"] == "demo", f"shortages.csv {key}: source must be demo")
        report.require(key[0] in occupations, f"shortages.csv: unknown occupation {key[0]}")
        shortages[key] = row["category"]
    for occupation in occupations:
        for rar in RAR_CODES:
            for period in PERIODS:
                report.require(
                    (occupation, rar, period) in shortages,
                    f"shortages.csv: missing {occupation} {rar} {period}",
                )
    for code, row in occupations.items():
        level = row.get("min_education_level", "")
        eligible = level in EDUCATION_ORDER and EDUCATION_ORDER.index(level) >= EDUCATION_ORDER.index("eud")
        widespread = all(
            sum(shortages.get((code, rar, period)) in SHORTAGE for rar in RAR_CODES if rar != "BORNH") >= 4
            for period in PERIODS
        )
        cells = [shortages.get((code, rar, period)) for rar in RAR_CODES for period in PERIODS]
        if eligible and widespread:
            report.require("mangel" not in cells, f"{code}: should be omfattende_mangel where mangel")
        else:
            report.require(
                "omfattende_mangel" not in cells, f"{code}: omfattende_mangel without meeting the rule"
            )

    # coverage of shortage occupations in Vestjylland
    all_taught = set().union(*taught.values()) if taught else set()
    uncovered = []
    for code in sorted(occupations):
        if any(shortages.get((code, "VESTJ", period)) in SHORTAGE for period in PERIODS):
            need = essential.get(code, set())
            covered = len(need & all_taught)
            if need and covered * 2 < len(need):
                uncovered.append(f"{code} ({covered}/{len(need)})")
    report.require(
        not uncovered, f"VESTJ shortage occupations with < half their essential skills taught: {uncovered}"
    )
    untouched = [
        code for code in sorted(occupations) if essential.get(code) and not essential[code] & all_taught
    ]
    if untouched:
        report.warn(f"{len(untouched)} occupations have no course teaching an essential skill: {untouched}")

    # positive lists
    list_rows = read(catalog, "positive_lists.csv")
    seen = set()
    for row in list_rows:
        key = (row["list"], row["course_code"], row["rar_code"])
        where = f"positive_lists.csv {key}"
        report.require(key not in seen, f"{where}: duplicate")
        seen.add(key)
        report.require(row["list"] in LISTS, f"{where}: bad list")
        report.require(row["course_code"] in courses, f"{where}: unknown course")
        report.require(row["source"] == "demo", f"{where}: source must be demo")
        report.require(row["from_day_one"] in ("true", "false"), f"{where}: from_day_one must be true/false")
        report.require(_day(row["valid_from"]) <= _day(row["valid_to"]), f"{where}: bad validity")
        kind = courses.get(row["course_code"], {}).get("kind")
        if row["list"] in ("seks_uger", "uddannelsesloeft"):
            report.require(row["rar_code"] == "", f"{where}: a national list has no rar_code")
        else:
            report.require(row["rar_code"] in RAR_CODES, f"{where}: bad rar_code")
        listed = courses.get(row["course_code"])
        route = listed is not None and _is_route(listed)
        if row["list"] == "seks_uger":
            report.require(
                kind in ("amu", "akademi", "eud") and not route, f"{where}: {kind} not on seks_uger"
            )
            report.require(bool(row["erhvervsgruppe"]), f"{where}: erhvervsgruppe required")
            report.require(
                listed is None or int(listed["duration_days"]) <= SEKS_UGER_MAX_DAYS,
                f"{where}: longer than the six weeks of seks_uger",
            )
        if row["list"] == "voksenlaerling":
            report.require(route, f"{where}: {kind} is not an EUD/EUV a voksenlærling agreement is made on")
        if row["list"] == "uddannelsesloeft":
            report.require(route, f"{where}: {kind} not an EUD/EUV")
        if row["list"] == "regional_pulje":
            report.require(
                any(
                    shortages.get((occ, row["rar_code"], PERIODS[-1])) in SHORTAGE
                    for occ in targets[row["course_code"]]
                ),
                f"{where}: regional course targets no shortage occupation in {row['rar_code']}",
            )
    check_listed_alike(courses, list_rows, report)
    lists = Counter((row["list"], row["rar_code"]) for row in list_rows)
    for needed in (
        ("seks_uger", ""),
        ("regional_pulje", "VESTJ"),
        ("voksenlaerling", "VESTJ"),
        ("uddannelsesloeft", ""),
        ("regional_pulje", "OESTJ"),
        ("regional_pulje", "SYDJ"),
        ("regional_pulje", "NORDJ"),
    ):
        report.require(lists[needed] > 0, f"positive_lists.csv: no {needed} rows")
    day_one = [row for row in list_rows if row["list"] == "seks_uger"]
    share_day_one = sum(row["from_day_one"] == "true" for row in day_one) / max(1, len(day_one))

    # counts
    kinds = Counter(row["kind"] for row in courses.values())
    for kind in COURSE_KINDS:
        report.require(kinds[kind] > 0, f"courses.csv: no course of kind {kind}")
    report.require(len(providers) >= MINIMUM["providers"], f"only {len(providers)} providers")
    report.require(len(courses) >= MINIMUM["courses"], f"only {len(courses)} courses")
    total_sessions = sum(len(v) for v in sessions_by_course.values())
    report.require(total_sessions >= MINIMUM["sessions"], f"only {total_sessions} sessions")
    online = sum(row["delivery"] == "online" for row in courses.values()) / max(1, len(courses))
    report.require(online >= 0.10, f"only {online:.0%} of courses are online")

    vestj = Counter(
        shortages[(code, "VESTJ", "2026H2")] for code in occupations if (code, "VESTJ", "2026H2") in shortages
    )
    return {
        "providers": len(providers),
        "courses": len(courses),
        "sessions": total_sessions,
        "kinds": dict(sorted(kinds.items())),
        "amu_share": round(kinds["amu"] / max(1, len(courses)), 3),
        "amu_with_1_to_4_targets": f"{amu_targeted}/{len(amu)}",
        "online_share": round(online, 3),
        "delivery": dict(Counter(r["delivery"] for r in courses.values())),
        "schedule": dict(Counter(r["schedule"] for r in courses.values())),
        "sessions_per_month": dict(sorted(months.items())),
        "session_status": dict(statuses),
        "positive_lists": {f"{k[0]}:{k[1] or 'national'}": v for k, v in sorted(lists.items())},
        "seks_uger_from_day_one_share": round(share_day_one, 3),
        "shortage_rows": len(shortages),
        "vestj_2026H2": {c: vestj[c] for c in CATEGORIES},
        "occupations_without_any_course": len(untouched),
    }


def check_listed_alike(
    courses: dict[str, dict[str, str]], list_rows: list[dict[str, str]], report: Report
) -> None:
    """A positive list names a course, not one provider's offer of it: every offer of the same
    course (same kind and title) and every route to the same education is listed alike."""
    entries: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for row in list_rows:
        entries[row["course_code"]].add(
            tuple(
                row[column]
                for column in ("list", "rar_code", "erhvervsgruppe", "valid_from", "valid_to", "from_day_one")
            )
        )
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, row in courses.items():
        identity = ("education", row["education_code"]) if _is_route(row) else (row["kind"], row["title_da"])
        groups[identity].append(code)
    for identity, codes in sorted(groups.items()):
        first = entries.get(codes[0], set())
        for code in codes[1:]:
            report.require(
                entries.get(code, set()) == first,
                f"positive_lists.csv: {code} and {codes[0]} ({identity[1]}) are not listed alike",
            )


def _is_route(row: dict[str, str]) -> bool:
    return row["kind"] == "euv" or (row["kind"] == "eud" and int(row["duration_days"]) >= ROUTE_MIN_DAYS)


def check_route_educations(
    catalog: Path, courses: dict[str, dict[str, str]], targets: dict[str, set[str]], report: Report
) -> None:
    """Every whole education (EUD/EUV route) names its education and is titled after it;
    nothing else names one. A school teaches an education, not a job title: it offers each
    education at most once per kind, and at most ROUTE_PROVIDERS schools offer it."""
    if courses and "education_code" not in next(iter(courses.values())):
        report.error("courses.csv: no education_code column")
        return
    educations: dict[str, str] = {}
    titles: dict[str, dict[str, str]] = {}
    qualifies: dict[str, set[str]] = defaultdict(set)
    if (catalog / "educations.csv").exists():
        titles = {row["code"]: row for row in read(catalog, "educations.csv")}
        educations = {code: row["level"] for code, row in titles.items()}
        for row in read(catalog, "education_occupations.csv"):
            qualifies[row["education_code"]].add(row["occupation_code"])
    else:
        report.error("educations.csv missing: route courses' education_code cannot be checked")
    for code, row in courses.items():
        education = row["education_code"]
        where = f"courses.csv {code} ({row['title_da']})"
        if not _is_route(row):
            report.require(education == "", f"{where}: only a whole education has an education_code")
            continue
        prefix = ROUTE_TITLE_PREFIXES[row["kind"]]
        report.require(row["title_da"].startswith(prefix), f"{where}: a route's title starts with {prefix!r}")
        if not education:
            report.error(f"{where}: an education route needs an education_code")
            continue
        if educations:
            if education not in educations:
                report.error(f"{where}: '{education}' is not a code in educations.csv")
                continue
            report.require(educations[education] == "eud", f"{where}: {education} is not at level eud")
            named = titles[education]
            report.require(
                row["title_da"] == prefix + named["title_da"],
                f"{where}: the title must name the education: {prefix + named['title_da']!r}",
            )
            report.require(
                not named.get("title_en") or row["title_en"].endswith(f": {named['title_en']}"),
                f"{where}: the English title does not name the education {named.get('title_en')!r}",
            )
            report.require(
                bool(targets[code] & qualifies[education]),
                f"{where}: {education} qualifies for none of its occupations {sorted(targets[code])}",
            )
    offers: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for code, row in courses.items():
        if _is_route(row) and row["education_code"]:
            offers[row["kind"], row["education_code"]].append((row["provider_code"], code))
    for (kind, education), found in sorted(offers.items()):
        schools = Counter(provider for provider, _ in found)
        for provider, times in sorted(schools.items()):
            codes = ", ".join(sorted(code for p, code in found if p == provider))
            report.require(
                times == 1,
                f"courses.csv: {provider} offers {kind} {education} {times} times ({codes}); "
                "a school offers an education once",
            )
        report.require(
            len(schools) <= ROUTE_PROVIDERS,
            f"courses.csv: {kind} {education} at {len(schools)} schools (at most {ROUTE_PROVIDERS})",
        )


def check_deterministic(catalog: Path, report: Report) -> None:
    """Regenerate from the same taxonomy into a temporary folder: the bytes must match."""
    with tempfile.TemporaryDirectory() as scratch:
        for name in TAXONOMY:
            if (catalog / name).exists():
                shutil.copy(catalog / name, Path(scratch) / name)
        result = subprocess.run(
            [sys.executable, str(HERE / "make_demo_catalog.py"), "--catalog", scratch],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            report.error(f"regeneration failed: {result.stderr.strip()}")
            return
        for name in GENERATED:
            if (catalog / name).read_bytes() != (Path(scratch) / name).read_bytes():
                report.error(f"{name}: differs from a fresh run of make_demo_catalog.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=REPO / "course_catalog")
    parser.add_argument("--no-regenerate", action="store_true", help="skip the byte-identity check")
    args = parser.parse_args()
    report = Report()
    summary = check(args.catalog, report)
    if not args.no_regenerate:
        check_deterministic(args.catalog, report)
    for key, value in summary.items():
        print(f"{key}: {value}")
    for message in report.warnings:
        print(f"WARNING: {message}")
    for message in report.errors:
        print(f"ERROR: {message}")
    print("OK" if not report.errors else f"{len(report.errors)} error(s)")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
