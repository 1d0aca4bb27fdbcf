#!/usr/bin/env python3
"""Generate the demonstration part of the bundled catalogue (every row marked source=demo).

Reads the taxonomy (skills.csv, occupations.csv, occupation_skills.csv and, when present,
postcodes.csv and educations.csv) from the catalogue folder and the hand-curated inputs in
scripts/demo_data/,
then writes providers.csv, courses.csv, course_skills.csv, course_prerequisites.csv,
course_occupations.csv, sessions.csv, positive_lists.csv and shortages.csv into that folder.

Nothing here is official data: provider names are fictional, official course codes are left
blank, and the shortage ratings are a plausible model of the labour-market balance
(domain.md section 1 and 8), not STAR's figures. Every choice is derived from a SHA-256 hash
of a fixed seed and the item's own key, so a re-run gives byte-identical files and editing
one template does not reshuffle the rest.

Usage: python scripts/make_demo_catalog.py [--catalog course_catalog]
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SEED = "kompetenceloeft-demo-2026"
SOURCE = "demo"

RAR_CODES = ("NORDJ", "OESTJ", "VESTJ", "SYDJ", "FYN", "SJAEL", "HOVED", "BORNH")
HOME_RAR = "VESTJ"
ADJACENT_RARS = ("OESTJ", "SYDJ", "NORDJ")
PERIODS = ("2026H1", "2026H2")
LATEST_PERIOD = PERIODS[-1]
# No "voksenlaerling" kind: a voksenlærling is an employer's training agreement on an EUD or
# EUV, not a course of its own, so the engine shows it as a funding scheme on those routes.
COURSE_KINDS = ("amu", "akademi", "diplom", "eud", "euv", "ikv", "other")
PROVIDER_KINDS = ("erhvervsskole", "amu_center", "erhvervsakademi", "professionshoejskole", "privat")
DELIVERIES = ("presence", "online", "blended")
SCHEDULES = ("day", "evening", "weekend", "self_paced")
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
EDUCATION_RANK = {code: rank for rank, code in enumerate(EDUCATION_ORDER)}
SHORTAGE = ("mangel", "omfattende_mangel")

# Allowed duration_days per course kind (design brief; AMU typically 1-5 days, domain.md §3,
# up to the 8 weeks of the drivers' grundlæggende kvalifikationsuddannelse).
DURATION_RANGE = {
    "amu": (1, 40),
    "ikv": (1, 5),
    "akademi": (5, 15),
    "diplom": (5, 15),
    "other": (1, 10),
    "eud": (5, 1300),
    "euv": (150, 700),
}
HOURS_PER_DAY = 7.4
EVENING_HOURS = HOURS_PER_DAY / 2
# Courses longer than this many days are whole education routes, not single courses.
ROUTE_MIN_DAYS = 100
# Schools offering each EUD/EUV route: an education is taught at several erhvervsskoler.
ROUTE_PROVIDERS = 2

SESSION_FIRST = date(2026, 12, 1)
SESSION_LAST = date(2027, 11, 30)
SEKS_UGER_VALID = (date(2026, 3, 1), date(2027, 2, 28))
REGIONAL_VALID = (date(2026, 10, 1), date(2027, 3, 31))
VOKSENLAERLING_VALID = (date(2026, 10, 1), date(2027, 3, 31))
UDDANNELSESLOEFT_VALID = (date(2026, 7, 1), date(2027, 6, 30))
# Seks ugers jobrettet uddannelse pays for at most six weeks (domain.md §2a).
SEKS_UGER_MAX_DAYS = 30

# Shortage model thresholds on the sector score (see _category).
MANGEL_AT = 1.0
GODE_AT = 0.4
MINDRE_GODE_BELOW = -0.8

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


class DemoDataError(Exception):
    """A curated input or the taxonomy is inconsistent; the message names file and row."""


# --------------------------------------------------------------------------- hashing


def _unit(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) for the given key."""
    text = "\x1f".join([SEED, *map(str, parts)])
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _between(low: int, high: int, *parts: object, step: int = 1) -> int:
    """A stable integer in [low, high] on a grid of `step` for the given key."""
    slots = (high - low) // step + 1
    return low + step * min(slots - 1, int(_unit(*parts) * slots))


def _ranked(items: Iterable[str], *parts: object) -> list[str]:
    """Items in a stable pseudo-random order for the given key."""
    return sorted(items, key=lambda item: (_unit(item, *parts), item))


# --------------------------------------------------------------------------- reading


def _read_csv(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise DemoDataError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise DemoDataError(f"{path}: missing column(s) {', '.join(missing)}")
        return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


@dataclass(frozen=True)
class Occupation:
    code: str
    title_da: str
    title_en: str
    isco08: str
    min_education_level: str


@dataclass
class Taxonomy:
    skills: dict[str, dict[str, str]]
    occupations: dict[str, Occupation]
    essential: dict[str, list[str]]  # occupation -> essential skills, file order
    postcodes: set[str] | None
    educations: dict[str, str] | None = None  # education code -> level, from educations.csv
    # education code -> (title_da, title_en), from educations.csv: what a route course is called
    education_titles: dict[str, tuple[str, str]] = field(default_factory=dict)

    def skill_frequency(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for skills in self.essential.values():
            for skill in skills:
                counts[skill] += 1
        return counts


def load_taxonomy(catalog: Path) -> Taxonomy:
    skills = {
        row["code"]: row for row in _read_csv(catalog / "skills.csv", ("code", "label_da")) if row["code"]
    }
    occupations: dict[str, Occupation] = {}
    for row in _read_csv(catalog / "occupations.csv", ("code", "title_da")):
        if row["code"]:
            occupations[row["code"]] = Occupation(
                code=row["code"],
                title_da=row["title_da"],
                title_en=row.get("title_en", ""),
                isco08=row.get("isco08", ""),
                min_education_level=row.get("min_education_level", ""),
            )
    essential: dict[str, list[str]] = defaultdict(list)
    for row in _read_csv(catalog / "occupation_skills.csv", ("occupation_code", "skill_code", "relation")):
        if (
            row["relation"] == "essential"
            and row["occupation_code"] in occupations
            and row["skill_code"] in skills
            and row["skill_code"] not in essential[row["occupation_code"]]
        ):
            essential[row["occupation_code"]].append(row["skill_code"])
    postcodes = None
    if (catalog / "postcodes.csv").is_file():
        postcodes = {row["postcode"] for row in _read_csv(catalog / "postcodes.csv", ("postcode",))}
    educations = None
    titles: dict[str, tuple[str, str]] = {}
    if (catalog / "educations.csv").is_file():
        rows = _read_csv(catalog / "educations.csv", ("code", "level", "title_da"))
        educations = {row["code"]: row["level"] for row in rows}
        titles = {row["code"]: (row["title_da"], row.get("title_en") or row["title_da"]) for row in rows}
    return Taxonomy(skills, occupations, dict(essential), postcodes, educations, titles)


@dataclass(frozen=True)
class Sector:
    code: str
    erhvervsgruppe: str
    fee_week: int
    price_day: int
    base: float
    paradox: float
    modifier: dict[str, float]


@dataclass(frozen=True)
class Provider:
    code: str
    name: str
    postcode: str
    kind: str
    website: str
    email: str
    course_kinds: frozenset[str]
    areas: frozenset[str]
    online_only: bool
    outreach: tuple[str, ...]


@dataclass(frozen=True)
class Template:
    key: str
    kind: str
    area: str
    title_da: str
    title_en: str
    days: int
    skills: tuple[str, ...]
    prereqs: tuple[str, ...]
    occupations: tuple[str, ...]
    offers: int
    delivery: tuple[str, ...]
    schedule: tuple[str, ...]
    language: str
    price_dkk: int | None
    description_da: str
    providers: tuple[str, ...]
    hours: float | None = None  # the official number of hours, where the course has one


@dataclass(frozen=True)
class Route:
    occupation_code: str
    education_da: str
    education_en: str
    kinds: frozenset[str]
    area: str
    provider: str = ""


@dataclass
class Curated:
    sectors: dict[str, Sector]
    sector_rules: list[tuple[str, str, str]]
    outlook_adjust: dict[str, float]  # occupation code -> shift of its shortage score
    providers: dict[str, Provider]
    templates: list[Template]
    routes: dict[str, Route]
    # Route education name (the X of "EUV: X") -> the educations.csv code it leads to.
    route_educations: dict[str, str] = field(default_factory=dict)


def load_curated(data_dir: Path) -> Curated:
    sectors: dict[str, Sector] = {}
    for row in _read_csv(data_dir / "sectors.csv", ("sector", "erhvervsgruppe", "base", *RAR_CODES)):
        sectors[row["sector"]] = Sector(
            code=row["sector"],
            erhvervsgruppe=row["erhvervsgruppe"],
            fee_week=int(row["fee_week"]),
            price_day=int(row["price_day"]),
            base=float(row["base"]),
            paradox=float(row["paradox"]),
            modifier={rar: float(row[rar]) for rar in RAR_CODES},
        )
    rules = []
    adjust: dict[str, float] = {}
    for number, row in enumerate(
        _read_csv(data_dir / "sector_rules.csv", ("match", "pattern", "sector")), start=2
    ):
        if row["match"] not in ("code", "title", "isco"):
            raise DemoDataError(f"sector_rules.csv line {number}: match must be code, title or isco")
        if row["sector"] not in sectors:
            raise DemoDataError(f"sector_rules.csv line {number}: unknown sector {row['sector']}")
        rules.append((row["match"], row["pattern"], row["sector"]))
        if row.get("adjust"):
            if row["match"] != "code":
                raise DemoDataError(f"sector_rules.csv line {number}: adjust only on code rules")
            adjust[row["pattern"]] = float(row["adjust"])

    providers: dict[str, Provider] = {}
    for number, row in enumerate(
        _read_csv(data_dir / "providers.csv", ("code", "name", "postcode", "kind", "course_kinds", "areas")),
        start=2,
    ):
        where = f"providers.csv line {number}"
        if row["kind"] not in PROVIDER_KINDS:
            raise DemoDataError(f"{where}: unknown kind {row['kind']}")
        kinds = frozenset(_split(row["course_kinds"]))
        if not kinds <= set(COURSE_KINDS):
            raise DemoDataError(f"{where}: unknown course kind in {row['course_kinds']}")
        areas = frozenset(_split(row["areas"]))
        if not areas <= set(sectors):
            raise DemoDataError(f"{where}: unknown area in {row['areas']}")
        if row["code"] in providers:
            raise DemoDataError(f"{where}: duplicate code {row['code']}")
        providers[row["code"]] = Provider(
            code=row["code"],
            name=row["name"],
            postcode=row["postcode"],
            kind=row["kind"],
            website=row.get("website", ""),
            email=row.get("email", ""),
            course_kinds=kinds,
            areas=areas,
            online_only=row.get("delivery", "") == "online",
            outreach=tuple(_split(row.get("outreach", ""))),
        )

    templates: list[Template] = []
    seen_keys: set[str] = set()
    for number, row in enumerate(
        _read_csv(
            data_dir / "course_templates.csv",
            ("key", "kind", "area", "title_da", "title_en", "days", "skills"),
        ),
        start=2,
    ):
        where = f"course_templates.csv line {number} ({row['key']})"
        if row["key"] in seen_keys:
            raise DemoDataError(f"{where}: duplicate key")
        seen_keys.add(row["key"])
        if row["kind"] not in COURSE_KINDS:
            raise DemoDataError(f"{where}: unknown kind {row['kind']}")
        if row["area"] not in sectors:
            raise DemoDataError(f"{where}: unknown area {row['area']}")
        delivery = tuple(_split(row.get("delivery", ""))) or ("presence",)
        schedule = tuple(_split(row.get("schedule", ""))) or ("day",)
        if not set(delivery) <= set(DELIVERIES) or not set(schedule) <= set(SCHEDULES):
            raise DemoDataError(f"{where}: bad delivery or schedule")
        days = int(row["days"])
        low, high = DURATION_RANGE[row["kind"]]
        if not low <= days <= high:
            raise DemoDataError(f"{where}: {days} days outside {low}-{high} for {row['kind']}")
        templates.append(
            Template(
                key=row["key"],
                kind=row["kind"],
                area=row["area"],
                title_da=row["title_da"],
                title_en=row["title_en"],
                days=days,
                skills=tuple(_split(row["skills"])),
                prereqs=tuple(_split(row.get("prereqs", ""))),
                occupations=tuple(_split(row.get("occupations", ""))),
                offers=int(row.get("offers") or 1),
                delivery=delivery,
                schedule=schedule,
                language=row.get("language") or "da",
                price_dkk=int(row["price_dkk"]) if row.get("price_dkk") else None,
                description_da=row.get("description_da", ""),
                providers=tuple(_split(row.get("providers", ""))),
                hours=float(row["hours"]) if row.get("hours") else None,
            )
        )

    routes: dict[str, Route] = {}
    for number, row in enumerate(
        _read_csv(
            data_dir / "routes.csv", ("occupation_code", "education_da", "education_en", "kinds", "area")
        ),
        start=2,
    ):
        kinds = frozenset(_split(row["kinds"]))
        if not kinds <= {"eud", "euv", "none"}:
            raise DemoDataError(f"routes.csv line {number}: kinds must be eud, euv or none")
        if row["area"] and row["area"] not in sectors:
            raise DemoDataError(f"routes.csv line {number}: unknown area {row['area']}")
        if row.get("provider") and row["provider"] not in providers:
            raise DemoDataError(f"routes.csv line {number}: unknown provider {row['provider']}")
        routes[row["occupation_code"]] = Route(
            row["occupation_code"],
            row["education_da"],
            row["education_en"],
            kinds,
            row["area"],
            row.get("provider", ""),
        )
    route_educations: dict[str, str] = {}
    for number, row in enumerate(
        _read_csv(data_dir / "route_educations.csv", ("education_da", "education_code")), start=2
    ):
        if row["education_da"] in route_educations:
            raise DemoDataError(f"route_educations.csv line {number}: duplicate {row['education_da']}")
        route_educations[row["education_da"]] = row["education_code"]
    return Curated(sectors, rules, adjust, providers, templates, routes, route_educations)


# --------------------------------------------------------------------------- shortages


def classify(occupation: Occupation, rules: list[tuple[str, str, str]]) -> str:
    """The sector of an occupation: an exact code rule, else a title keyword, else ISCO prefix."""
    for match, pattern, sector in rules:
        if match == "code" and pattern == occupation.code:
            return sector
    title = occupation.title_da.casefold()
    for match, pattern, sector in rules:
        if match == "title" and pattern.casefold() in title:
            return sector
    best = ("", "oevrige")
    for match, pattern, sector in rules:
        if match == "isco" and occupation.isco08.startswith(pattern) and len(pattern) > len(best[0]):
            best = (pattern, sector)
    return best[1]


def _category(score: float, paradox_share: float, *key: object) -> str:
    if score >= MANGEL_AT:
        return "mangel"
    if score >= GODE_AT:
        return "paradoks" if _unit("paradoks", *key) < paradox_share else "gode"
    if score >= MINDRE_GODE_BELOW:
        return "gode"
    return "mindre_gode"


def make_shortages(
    taxonomy: Taxonomy, curated: Curated, sector_of: dict[str, str]
) -> dict[tuple[str, str, str], str]:
    """Category per (occupation, rar, period): sector base + regional modifier + noise.

    Then the national overlay of domain.md §1: an occupation that needs eud or higher and is
    mangel in at least 4 RAR areas (Bornholm excluded) in both periods is omfattende_mangel
    wherever it is mangel.
    """
    result: dict[tuple[str, str, str], str] = {}
    for code in taxonomy.occupations:
        sector = curated.sectors[sector_of[code]]
        own = (_unit("occupation-tilt", code) - 0.5) * 0.6 + curated.outlook_adjust.get(code, 0.0)
        for rar in RAR_CODES:
            noise = (_unit("noise", code, rar) - 0.5) * 0.9
            base = sector.base + sector.modifier[rar] + own + noise
            for index, period in enumerate(PERIODS):
                drift = (_unit("drift", code, rar, period) - 0.5) * 0.5 * index
                result[code, rar, period] = _category(base + drift, sector.paradox, code, rar)
    for code, occupation in taxonomy.occupations.items():
        level = EDUCATION_RANK.get(occupation.min_education_level, -1)
        if level < EDUCATION_RANK["eud"]:
            continue
        widespread = all(
            sum(result[code, rar, period] == "mangel" for rar in RAR_CODES if rar != "BORNH") >= 4
            for period in PERIODS
        )
        if widespread:
            for rar in RAR_CODES:
                for period in PERIODS:
                    if result[code, rar, period] == "mangel":
                        result[code, rar, period] = "omfattende_mangel"
    return result


# --------------------------------------------------------------------------- courses


@dataclass
class Course:
    code: str
    kind: str
    area: str
    title_da: str
    title_en: str
    provider: Provider
    days: int
    skills: list[str]
    prereqs: list[str]
    occupations: list[str]
    delivery: str
    schedule: str
    language: str
    price_dkk: int | None
    fee_dkk: int | None
    min_education_level: str
    description_da: str
    origin: str  # template key or route education, for messages
    education_code: str = ""  # route courses: the education (educations.csv) they lead to
    official_hours: float | None = None  # the template's hours, where the course has official ones
    sessions: list[tuple[str, date, date, str, int, str]] = field(default_factory=list)

    @property
    def is_route(self) -> bool:
        return self.days >= ROUTE_MIN_DAYS

    def hours(self) -> str:
        if self.is_route:
            return ""
        if self.official_hours is not None:
            return f"{self.official_hours:.1f}"
        per_day = EVENING_HOURS if self.schedule == "evening" else HOURS_PER_DAY
        return f"{self.days * per_day:.1f}"


def _pick_providers(template: Template, providers: dict[str, Provider]) -> list[Provider]:
    if template.providers:
        unknown = [code for code in template.providers if code not in providers]
        if unknown:
            raise DemoDataError(f"template {template.key}: unknown provider {unknown}")
        return [providers[code] for code in template.providers]
    wants_online = template.delivery == ("online",)
    eligible = [
        code
        for code, provider in providers.items()
        if template.kind in provider.course_kinds
        and template.area in provider.areas
        and (provider.online_only == wants_online or not provider.online_only)
    ]
    if not eligible:
        eligible = [c for c, p in providers.items() if template.kind in p.course_kinds]
    if not eligible:
        raise DemoDataError(f"template {template.key}: no provider offers kind {template.kind}")
    return [providers[code] for code in _ranked(eligible, "offer", template.key)[: template.offers]]


def _label(code: str, taxonomy: Taxonomy) -> str:
    """A skill label for use mid-sentence: lower-case unless it starts with an acronym."""
    return _lower(taxonomy.skills[code]["label_da"])


_LEADS = {
    "amu": "Arbejdsmarkedsuddannelse (AMU) på {days} {dage}.",
    "akademi": "Modul på akademiniveau med {days} undervisningsgange.",
    "diplom": "Modul på diplomniveau med {days} undervisningsdage.",
    "eud": "Enkeltfag fra en erhvervsuddannelse på {days} {dage}.",
    "ikv": "Individuel kompetencevurdering (IKV): dine kompetencer vurderes i forhold til AMU-målene.",
    "other": "Kursus på {days} {dage}.",
}


def _description(
    kind: str, days: int, skills: Sequence[str], taxonomy: Taxonomy, schedule: str, hours: float | None
) -> str:
    singular, plural = ("aften", "aftener") if schedule == "evening" else ("dag", "dage")
    lead = _LEADS.get(kind, _LEADS["other"]).format(days=days, dage=singular if days == 1 else plural)
    if hours is not None:
        lead = f"{lead[:-1]} ({hours:g} timer)."
    return f"{lead} Indhold: {', '.join(_label(code, taxonomy) for code in skills)}."


def _offer_days(template: Template, schedule: str) -> int:
    """A template's length; an evening offer of a course with official hours needs more evenings."""
    if template.hours is not None and schedule == "evening":
        return max(template.days, math.ceil(template.hours / EVENING_HOURS))
    return template.days


def _min_education(kind: str) -> str:
    return {"akademi": "gymnasial", "diplom": "kvu"}.get(kind, "")


def _prices(
    kind: str, days: int, area: Sector, override: int | None, key: str
) -> tuple[int | None, int | None]:
    """Full price and (AMU only) the participant fee of domain.md §3."""
    if kind == "euv" or (kind == "eud" and days >= ROUTE_MIN_DAYS):
        return 0, None  # the education is free for the learner
    if override is not None:
        price = override
    elif kind == "akademi":
        price = _between(9000, 14500, "price", key, step=250)
    elif kind == "diplom":
        price = _between(11000, 18500, "price", key, step=250)
    else:
        price = int(round(area.price_day * days * (0.9 + 0.2 * _unit("price", key)), -1))
    fee = None
    if kind == "amu":
        fee = round(area.fee_week * days / 5)
    elif kind == "ikv":
        fee = 0
    return price, fee


def build_courses(taxonomy: Taxonomy, curated: Curated, sector_of: dict[str, str]) -> list[Course]:
    numbers: dict[str, int] = defaultdict(int)
    courses: list[Course] = []

    def next_code(kind: str) -> str:
        numbers[kind] += 1
        return f"demo_{kind}_{numbers[kind]:04d}"

    for template in curated.templates:
        where = f"course_templates.csv {template.key}"
        for code in (*template.skills, *template.prereqs):
            if code not in taxonomy.skills:
                raise DemoDataError(f"{where}: unknown skill {code}")
        for code in template.occupations:
            if code not in taxonomy.occupations:
                raise DemoDataError(f"{where}: unknown occupation {code}")
        if not 1 <= len(template.skills) <= 6:
            raise DemoDataError(f"{where}: a course teaches 1-6 skills")
        if set(template.skills) & set(template.prereqs):
            raise DemoDataError(f"{where}: requires a skill it teaches")
        for offer, provider in enumerate(_pick_providers(template, curated.providers)):
            delivery = template.delivery[offer % len(template.delivery)]
            schedule = template.schedule[offer % len(template.schedule)]
            if provider.online_only:
                delivery, schedule = "online", "self_paced"
            days = _offer_days(template, schedule)
            price, fee = _prices(
                template.kind,
                days,
                curated.sectors[template.area],
                template.price_dkk,
                f"{template.key}/{provider.code}",
            )
            courses.append(
                Course(
                    code=next_code(template.kind),
                    kind=template.kind,
                    area=template.area,
                    title_da=template.title_da,
                    title_en=template.title_en,
                    provider=provider,
                    days=days,
                    skills=list(template.skills),
                    prereqs=list(template.prereqs),
                    occupations=list(template.occupations),
                    delivery=delivery,
                    schedule=schedule,
                    language=template.language,
                    price_dkk=price,
                    fee_dkk=fee,
                    min_education_level=_min_education(template.kind),
                    description_da=template.description_da
                    or _description(template.kind, days, template.skills, taxonomy, schedule, template.hours),
                    origin=template.key,
                    official_hours=template.hours,
                )
            )
    courses.extend(_route_courses(taxonomy, curated, sector_of, next_code))
    return courses


def _route_courses(
    taxonomy: Taxonomy,
    curated: Curated,
    sector_of: dict[str, str],
    next_code: Callable[[str], str],
) -> list[Course]:
    """EUV and EUD routes: one course per education, kind and school.

    Every occupation that needs an eud is reached by an EUV to the education that
    route_educations.csv names for it; routes.csv names that education where it differs from
    the job title, adds full EUD routes, pins a route to one school, and marks occupations
    with no route of their own. A school teaches an education, not a job title, so the
    occupations that lead to the same education share its courses: per kind, the education
    is offered by up to ROUTE_PROVIDERS schools, titled after the education in
    educations.csv, aimed at every occupation any route to it leads to and teaching the
    skills of all of them. Its length is the longest that any of those occupations' own
    route would have had.
    A voksenlærling is an employer's training agreement on one of these routes (domain.md
    §2d), so it is a positive list on the routes (make_positive_lists), not a course.
    """
    frequency = taxonomy.skill_frequency()
    # (kind, education code) -> the occupations whose route it is, in code order
    members: dict[tuple[str, str], list[tuple[str, Route]]] = defaultdict(list)
    for code in sorted(taxonomy.occupations):
        occupation = taxonomy.occupations[code]
        route = curated.routes.get(code)
        if occupation.min_education_level != "eud" and route is None:
            continue
        if not taxonomy.essential.get(code):
            continue
        if route is None:
            route = Route(
                code, occupation.title_da, occupation.title_en or occupation.title_da, frozenset(), ""
            )
        if "none" in route.kinds:
            continue  # the occupation is reached through another education, not its own
        education_code = _route_education(route, taxonomy, curated)
        for kind in sorted(set(route.kinds) | {"euv"}):
            members[kind, education_code].append((code, route))
    # What an education leads to and teaches is the same however it is taken (EUD or EUV).
    targets: dict[str, set[str]] = defaultdict(set)
    for (_, education_code), group in members.items():
        targets[education_code].update(code for code, _ in group)
    skills_of = {
        education_code: sorted(
            {
                skill
                for code in occupations
                for skill in sorted(taxonomy.essential[code], key=lambda s: (frequency[s], s))[:6]
            }
        )
        for education_code, occupations in targets.items()
    }
    titles = {
        "euv": (
            "EUV: {}",
            "Adult vocational education (EUV): {}",
            "Erhvervsuddannelse for voksne (EUV): {}. Fører til arbejde som {}. Forløbet "
            "tilrettelægges efter en kompetencevurdering af din erfaring.",
        ),
        "eud": (
            "EUD: {}",
            "Vocational education (EUD): {}",
            "Erhvervsuddannelse (EUD): {}. Fører til arbejde som {}. Grundforløb, skoleperioder og praktik.",
        ),
    }
    ranges = {"euv": (180, 700), "eud": (750, 1100)}
    courses: list[Course] = []
    for (kind, education_code), group in sorted(members.items()):
        area = _route_area(group, sector_of)
        eligible = [
            p.code for p in curated.providers.values() if kind in p.course_kinds and area in p.areas
        ] or [p.code for p in curated.providers.values() if kind in p.course_kinds]
        pinned = sorted(
            {
                route.provider
                for _, route in group
                if route.provider and kind in curated.providers[route.provider].course_kinds
            }
        )
        if pinned:
            eligible = pinned
        low, high = ranges[kind]
        days = max(_between(low, high, "route-days", kind, code, step=10) for code, _ in group)
        education_da, education_en = taxonomy.education_titles.get(
            education_code, (group[0][1].education_da, group[0][1].education_en)
        )
        occupations = sorted(targets[education_code])
        jobs = _either([_lower(taxonomy.occupations[code].title_da) for code in occupations])
        title_da, title_en, text = titles[kind]
        for provider_code in _route_schools(eligible, kind, education_code, group):
            courses.append(
                Course(
                    code=next_code(kind),
                    kind=kind,
                    area=area,
                    title_da=title_da.format(education_da),
                    title_en=title_en.format(education_en),
                    provider=curated.providers[provider_code],
                    days=days,
                    skills=list(skills_of[education_code]),
                    prereqs=[],
                    occupations=occupations,
                    delivery="presence",
                    schedule="day",
                    language="da",
                    price_dkk=0,
                    fee_dkk=None,
                    min_education_level="",
                    description_da=text.format(education_da, jobs),
                    origin=f"route {kind} {education_code}",
                    education_code=education_code,
                )
            )
    return courses


def _route_schools(
    eligible: Sequence[str], kind: str, education_code: str, group: Sequence[tuple[str, Route]]
) -> list[str]:
    """Up to ROUTE_PROVIDERS schools for an education. Each occupation it leads to draws an
    order of the eligible schools (keyed on the occupation, so an education with a single
    occupation keeps the schools its route always had); a school's place is its best place
    in any of those draws, a tie broken by a draw keyed on the education."""
    best: dict[str, int] = {}
    for code, _ in group:
        for place, provider in enumerate(_ranked(eligible, "route", kind, code)):
            best[provider] = min(place, best.get(provider, place))
    ordered = sorted(eligible, key=lambda p: (best[p], _unit("route", kind, education_code, p), p))
    return ordered[:ROUTE_PROVIDERS]


def _route_area(group: Sequence[tuple[str, Route]], sector_of: dict[str, str]) -> str:
    """The subject area of an education: the commonest among its occupations' routes (the
    alphabetically first on a tie). It decides which schools may offer it."""
    counts: dict[str, int] = defaultdict(int)
    for code, route in group:
        counts[route.area or sector_of[code]] += 1
    return min(counts, key=lambda area: (-counts[area], area))


def _lower(title: str) -> str:
    """A title or label for use mid-sentence: lower-case unless it starts with an acronym."""
    return title[0].lower() + title[1:] if title[1:2].islower() else title


def _either(items: Sequence[str]) -> str:
    """'a', 'a eller b', 'a, b eller c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} eller {items[-1]}"


def _route_education(route: Route, taxonomy: Taxonomy, curated: Curated) -> str:
    """The educations.csv code of a route, from scripts/demo_data/route_educations.csv."""
    code = curated.route_educations.get(route.education_da)
    if not code:
        raise DemoDataError(
            f"route_educations.csv: no education_code for the route '{route.education_da}' "
            f"(occupation {route.occupation_code})"
        )
    if taxonomy.educations is not None:
        if code not in taxonomy.educations:
            raise DemoDataError(f"route_educations.csv: {code} is not a code in educations.csv")
        if taxonomy.educations[code] != "eud":
            raise DemoDataError(f"route_educations.csv: {code} is not an education at level eud")
    return code


def check_prerequisite_cycles(courses: list[Course]) -> None:
    """Course A needs a skill that course B teaches: A -> B. That graph must be acyclic."""
    teachers: dict[str, list[str]] = defaultdict(list)
    for course in courses:
        for skill in course.skills:
            teachers[skill].append(course.code)
    edges = {c.code: sorted({t for s in c.prereqs for t in teachers.get(s, [])}) for c in courses}
    state: dict[str, int] = {}
    for start in sorted(edges):
        if state.get(start):
            continue
        stack = [(start, iter(edges[start]))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                raise DemoDataError(f"prerequisite cycle through {node} and {child}")
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(edges[child])))


# --------------------------------------------------------------------------- sessions


def _easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    golden = year % 19
    century, rest = divmod(year, 100)
    leap_c, leap_r = divmod(century, 4)
    correction = (century + 8) // 25
    moon = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_c - moon + 15) % 30
    leap_y, leap_yr = divmod(rest, 4)
    weekday = (32 + 2 * leap_r + 2 * leap_y - epact - leap_yr) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


@functools.cache
def public_holidays(year: int) -> frozenset[date]:
    """Danish public holidays (helligdage) of a year.

    Nytårsdag, skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi himmelfartsdag,
    pinsedag, 2. pinsedag, juledag and 2. juledag; store bededag until 2023 (abolished from
    2024 by lov nr. 139 of 28 February 2023). Grundlovsdag, juleaften and nytårsaften are not
    public holidays.
    """
    easter = _easter_sunday(year)
    # skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi himmelfart, pinsedag, 2. pinsedag
    offsets = [-3, -2, 0, 1, 39, 49, 50]
    if year < 2024:
        offsets.append(26)  # store bededag, the fourth Friday after Easter
    days = {easter + timedelta(days=offset) for offset in offsets}
    days |= {date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)}
    return frozenset(days)


def is_holiday(day: date) -> bool:
    return day in public_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday: what a course's duration_days counts."""
    return day.weekday() < 5 and not is_holiday(day)


def in_christmas_closure(day: date) -> bool:
    """24 December to 1 January: schools are closed, so no session starts or runs then.

    Only 25/26 December and 1 January are public holidays; treating the whole week as closed
    is the demo data's own choice (course_catalog/README.md).
    """
    return (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)


def _start_day_weights() -> list[tuple[date, float]]:
    """Working days of the session window; July and the Christmas fortnight are quiet."""
    days = []
    day = SESSION_FIRST
    while day <= SESSION_LAST:
        weight = 1.0 if is_working_day(day) and not in_christmas_closure(day) else 0.0
        if day.month == 7:
            weight *= 0.3
        if (day.month == 12 and day.day >= 19) or (day.month == 1 and day.day <= 3):
            weight *= 0.05
        days.append((day, weight))
        day += timedelta(days=1)
    return days


_DAYS = _start_day_weights()
_CUMULATIVE: list[float] = []
_total = 0.0
for _day, _weight in _DAYS:
    _total += _weight
    _CUMULATIVE.append(_total)


def _quantile_day(fraction: float) -> date:
    target = fraction * _CUMULATIVE[-1]
    low, high = 0, len(_CUMULATIVE) - 1
    while low < high:
        middle = (low + high) // 2
        if _CUMULATIVE[middle] < target:
            low = middle + 1
        else:
            high = middle
    while _DAYS[low][1] == 0 and low > 0:
        low -= 1
    return _DAYS[low][0]


def _can_start(day: date, allowed: Sequence[int]) -> bool:
    return day.weekday() in allowed and not is_holiday(day) and not in_christmas_closure(day)


def _snap(start: date, allowed: Sequence[int]) -> date:
    """Move to the nearest allowed weekday inside the window that is neither a public holiday
    nor in the Christmas closure (forward first)."""
    for step in range(21):
        forward = start + timedelta(days=step)
        if _can_start(forward, allowed) and forward <= SESSION_LAST:
            return forward
        backward = start - timedelta(days=step)
        if _can_start(backward, allowed) and backward >= SESSION_FIRST:
            return backward
    raise AssertionError(start)


def _nth_day(start: date, count: int, counts: Callable[[date], bool], *, step: int = 1) -> date:
    """The count-th day, counting start, on which `counts` holds, walking `step` days at a time."""
    day = start
    remaining = count - 1 if counts(start) else count
    while remaining > 0:
        day += timedelta(days=step)
        if counts(day):
            remaining -= 1
    return day


def _last_working_day_until(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _span(start_hint: date, days: int, schedule: str) -> tuple[date, date]:
    if schedule == "weekend":
        start = _snap(start_hint, (5,))
        end = _nth_day(start, days, lambda d: d.weekday() >= 5 and not is_holiday(d))
    elif schedule == "evening":
        start = _snap(start_hint, (0, 1, 2, 3))
        end = _nth_day(start, days, lambda d: not is_holiday(d), step=7)
    elif schedule == "self_paced":
        start = _snap(start_hint, (0,))
        end = _last_working_day_until(start + timedelta(days=max(6, days * 7 // 2)))
    else:
        start = _snap(start_hint, (0,)) if days >= 5 else _snap(start_hint, (0, 1, 2, 3, 4))
        end = _nth_day(start, days, is_working_day)
    return start, end


def session_span(start_hint: date, days: int, schedule: str) -> tuple[date, date]:
    """Start and end of a session.

    Day courses: duration_days working days (public holidays skipped), the end being the
    duration_days-th working day counting the start. Evening courses: one evening a week on
    the start's weekday, a holiday evening skipped. Weekend courses: Saturdays and Sundays,
    holidays skipped. Self-paced online courses: a window ending on a working day. No session
    starts on a public holiday or in the Christmas closure, and a course shorter than a whole
    education does not run across the closure: it starts after New Year instead, or, when
    that is past the window, early enough to end before Christmas.
    """
    start, end = _span(start_hint, days, schedule)
    if days >= ROUTE_MIN_DAYS or not _crosses_closure(start, end):
        return start, end
    closure = next(day for day in _dates(start, end) if in_christmas_closure(day))
    after = date(closure.year + (closure.month == 12), 1, 2)
    if after <= SESSION_LAST:
        return _span(after, days, schedule)
    hint = start
    while _crosses_closure(start, end):
        hint -= timedelta(days=7)
        start, end = _span(hint, days, schedule)
    return start, end


def _dates(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _crosses_closure(start: date, end: date) -> bool:
    return any(in_christmas_closure(day) for day in _dates(start, end))


SESSIONS_PER_KIND = {
    "amu": (2, 4),
    "ikv": (3, 4),
    "akademi": (2, 3),
    "diplom": (1, 2),
    "other": (2, 4),
    "eud": (1, 2),
    "euv": (2, 3),
}
SEATS_PER_KIND = {
    "amu": (12, 20),
    "ikv": (8, 12),
    "akademi": (16, 24),
    "diplom": (16, 24),
    "other": (10, 20),
    "eud": (16, 24),
    "euv": (8, 16),
}


GOLDEN = (math.sqrt(5) - 1) / 2


def add_sessions(courses: list[Course]) -> None:
    """Sessions spread over the window: each course's starts are evenly spaced through the
    year from a phase that walks the golden ratio across courses, so months fill evenly."""
    for number, course in enumerate(courses):
        low, high = SESSIONS_PER_KIND[course.kind]
        count = _between(low, high, "sessions", course.code)
        phase = (number * GOLDEN + 0.05 * _unit("phase", course.code)) % 1.0
        for index in range(count):
            hint = _quantile_day((index + phase) / count)
            start, end = session_span(hint, course.days, course.schedule)
            # Blank means the provider's own postcode; some sessions are held out in the area.
            postcode = ""
            outreach = course.provider.outreach
            if course.delivery != "online" and outreach and _unit("outreach", course.code, index) < 0.12:
                postcode = outreach[_between(0, len(outreach) - 1, "where", course.code, index)]
            seats = _between(*SEATS_PER_KIND[course.kind], "seats", course.code, index)
            status = "open"
            if start < date(2027, 3, 1) and _unit("full", course.code, index) < 0.08:
                status = "full"
            course.sessions.append((f"{course.code}-{index + 1:02d}", start, end, postcode, seats, status))
    # Two cancelled sessions, each in a course that keeps at least two open ones.
    candidates = sorted(
        (
            (_unit("cancel", course.code, session[0]), course.code, position)
            for course in courses
            if len(course.sessions) >= 3
            for position, session in enumerate(course.sessions)
            if position > 0
        )
    )
    by_code = {course.code: course for course in courses}
    cancelled_courses: set[str] = set()
    for _, code, position in candidates:
        if len(cancelled_courses) == 2:
            break
        if code in cancelled_courses:
            continue
        session = by_code[code].sessions[position]
        by_code[code].sessions[position] = (*session[:5], "cancelled")
        cancelled_courses.add(code)


# --------------------------------------------------------------------------- positive lists


def make_positive_lists(
    courses: list[Course], curated: Curated, shortages: dict[tuple[str, str, str], str]
) -> list[list[str]]:
    """Rows of the four positive lists. A list names a course (an AMU number, an education),
    not one school's offer of it, so every draw is keyed on the course's template and every
    whole education on the education it leads to: all providers' offers are listed alike."""
    rows: list[list[str]] = []

    def add(
        list_name: str, course: Course, rar: str, group: str, valid: tuple[date, date], day_one: bool
    ) -> None:
        rows.append(
            [
                list_name,
                course.code,
                rar,
                group,
                valid[0].isoformat(),
                valid[1].isoformat(),
                "true" if day_one else "false",
                SOURCE,
            ]
        )

    def in_shortage(occupations: Iterable[str], rar: str) -> bool:
        return any(shortages[occ, rar, LATEST_PERIOD] in SHORTAGE for occ in occupations)

    # The occupations each education leads to, over every route to it.
    routes = [course for course in courses if course.is_route]
    education_targets: dict[str, set[str]] = defaultdict(set)
    for course in routes:
        education_targets[course.education_code].update(course.occupations)

    for course in courses:
        if course.is_route:
            continue
        key = course.origin  # the template: the same course whichever provider offers it
        group = curated.sectors[course.area].erhvervsgruppe
        single_subject = course.kind == "eud"
        # Seks ugers jobrettet uddannelse: AMU, selected academy modules, EUD single subjects,
        # and only courses that fit in the six weeks.
        share = {"amu": 0.88, "akademi": 0.7}.get(course.kind, 1.0 if single_subject else 0.0)
        if course.days <= SEKS_UGER_MAX_DAYS and _unit("seks-uger", key) < share:
            add("seks_uger", course, "", group, SEKS_UGER_VALID, _unit("day-one", key) < 0.1)
        # Regional uddannelsespulje: courses aimed at occupations in shortage in the area.
        if course.kind in ("amu", "akademi", "diplom", "other", "ikv") or single_subject:
            if in_shortage(course.occupations, HOME_RAR):
                add("regional_pulje", course, HOME_RAR, "", REGIONAL_VALID, True)
            for rar in ADJACENT_RARS:
                if in_shortage(course.occupations, rar) and _unit("regional", key, rar) < 0.35:
                    add("regional_pulje", course, rar, "", REGIONAL_VALID, True)
    for course in routes:
        targets = education_targets[course.education_code]
        # Voksenlærling (domain.md §2d): educations towards occupations in shortage in
        # Vestjylland; the agreement is made on the EUD or EUV that leads there.
        if in_shortage(targets, HOME_RAR):
            add("voksenlaerling", course, HOME_RAR, "", VOKSENLAERLING_VALID, False)
        # Uddannelsesløft: educations towards occupations in shortage in several areas.
        widespread = sum(
            shortages[occ, rar, LATEST_PERIOD] in SHORTAGE for occ in sorted(targets) for rar in RAR_CODES
        )
        if widespread >= 3:
            add("uddannelsesloeft", course, "", "", UDDANNELSESLOEFT_VALID, False)
    return rows


# --------------------------------------------------------------------------- writing


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    body = sorted(
        ([("" if value is None else str(value)) for value in row] for row in rows),
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
    return len(body)


def write_catalog(
    catalog: Path,
    curated: Curated,
    courses: list[Course],
    shortages: dict[tuple[str, str, str], str],
    positive_rows: list[list[str]],
) -> dict[str, int]:
    counts = {}
    used_providers = sorted({course.provider.code for course in courses} | set(curated.providers))
    counts["providers.csv"] = _write(
        catalog / "providers.csv",
        ("code", "name", "postcode", "kind", "address", "website", "email", "phone", "source"),
        (
            (p.code, p.name, p.postcode, p.kind, "", p.website, p.email, "", SOURCE)
            for p in (curated.providers[code] for code in used_providers)
        ),
    )
    counts["courses.csv"] = _write(
        catalog / "courses.csv",
        (
            "code",
            "kind",
            "title_da",
            "provider_code",
            "duration_days",
            "official_code",
            "title_en",
            "description_da",
            "hours",
            "price_dkk",
            "fee_target_group_dkk",
            "min_education_level",
            "language",
            "delivery",
            "schedule",
            "url",
            "source",
            "education_code",
        ),
        (
            (
                c.code,
                c.kind,
                c.title_da,
                c.provider.code,
                c.days,
                "",
                c.title_en,
                c.description_da,
                c.hours(),
                c.price_dkk,
                c.fee_dkk,
                c.min_education_level,
                c.language,
                c.delivery,
                c.schedule,
                "",
                SOURCE,
                c.education_code,
            )
            for c in courses
        ),
    )
    counts["course_skills.csv"] = _write(
        catalog / "course_skills.csv",
        ("course_code", "skill_code"),
        ((c.code, s) for c in courses for s in sorted(set(c.skills))),
    )
    counts["course_prerequisites.csv"] = _write(
        catalog / "course_prerequisites.csv",
        ("course_code", "skill_code"),
        ((c.code, s) for c in courses for s in sorted(set(c.prereqs))),
    )
    counts["course_occupations.csv"] = _write(
        catalog / "course_occupations.csv",
        ("course_code", "occupation_code"),
        ((c.code, o) for c in courses for o in sorted(set(c.occupations))),
    )
    counts["sessions.csv"] = _write(
        catalog / "sessions.csv",
        ("course_code", "session_code", "start_date", "end_date", "postcode", "seats", "status"),
        (
            (c.code, code, start.isoformat(), end.isoformat(), postcode, seats, status)
            for c in courses
            for code, start, end, postcode, seats, status in c.sessions
        ),
    )
    counts["positive_lists.csv"] = _write(
        catalog / "positive_lists.csv",
        (
            "list",
            "course_code",
            "rar_code",
            "erhvervsgruppe",
            "valid_from",
            "valid_to",
            "from_day_one",
            "source",
        ),
        positive_rows,
    )
    counts["shortages.csv"] = _write(
        catalog / "shortages.csv",
        ("occupation_code", "rar_code", "period", "category", "source", "source_url"),
        ((occ, rar, period, category, SOURCE, "") for (occ, rar, period), category in shortages.items()),
    )
    return counts


def _validate_postcodes(curated: Curated, taxonomy: Taxonomy) -> None:
    if taxonomy.postcodes is None:
        return
    for provider in curated.providers.values():
        for postcode in (provider.postcode, *provider.outreach):
            if postcode not in taxonomy.postcodes:
                raise DemoDataError(
                    f"providers.csv {provider.code}: postcode {postcode} not in postcodes.csv"
                )


def generate(catalog: Path, data_dir: Path) -> dict[str, int]:
    taxonomy = load_taxonomy(catalog)
    curated = load_curated(data_dir)
    _validate_postcodes(curated, taxonomy)
    sector_of = {code: classify(occ, curated.sector_rules) for code, occ in taxonomy.occupations.items()}
    shortages = make_shortages(taxonomy, curated, sector_of)
    courses = build_courses(taxonomy, curated, sector_of)
    check_prerequisite_cycles(courses)
    add_sessions(courses)
    positive_rows = make_positive_lists(courses, curated, shortages)
    return write_catalog(catalog, curated, courses, shortages, positive_rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--catalog",
        type=Path,
        default=REPO / "course_catalog",
        help="catalogue folder holding the taxonomy (default: course_catalog)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=HERE / "demo_data",
        help="folder of curated inputs (default: scripts/demo_data)",
    )
    args = parser.parse_args(argv)
    try:
        counts = generate(args.catalog, args.data)
    except DemoDataError as error:
        print(f"make_demo_catalog: {error}", file=sys.stderr)
        return 1
    for name, count in counts.items():
        print(f"{name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
