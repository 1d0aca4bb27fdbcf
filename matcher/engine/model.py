"""The engine's vocabulary: the catalogue snapshot it is given and the answers it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SHORTAGE_ORDER = ("omfattende_mangel", "mangel", "paradoks", "gode", "mindre_gode")
STATUSES = ("employed", "self_employed", "unemployed", "fleksjob_unemployed", "student", "other")
BENEFITS = ("dagpenge", "kontanthjaelp", "uddannelseshjaelp", "ledighedsydelse", "none")
SCHEDULES = ("day", "evening", "weekend", "self_paced")
FUNDING_SCHEMES = ("seks_uger", "regional_pulje", "veu", "befordring", "amu_fee",
                   "uddannelsesloeft", "voksenlaerling", "svu")
ROUTE_KINDS = ("euv", "voksenlaerling", "eud")
ASSESSMENT_KINDS = ("ikv",)  # opens or shortens an education; teaches nothing by itself
ASKED_STATUSES = ("open", "needs_route", "out_of_reach")
TRANSVERSAL = "transversal"  # skill kind: general skills that years of any work confer
CERTIFICATE = "certificate"  # skill kind: declared by the person, never inferred


@dataclass(frozen=True, slots=True)
class Label:
    """A catalogue text that exists in Danish and maybe English: a title, a label, a name."""

    da: str
    en: str | None = None


@dataclass(frozen=True, slots=True)
class Phrase:
    """A message inside a reason's message: a clause, or an item of a list."""

    message: str
    values: tuple[tuple[str, ReasonValue], ...] = ()


# What a message's placeholders are filled with; the data layer formats each per language.
ReasonValue = str | int | float | date | Label | Phrase | tuple[Phrase, ...]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an item is listed: a kind, a message key with its values, and its source.

    The engine writes no sentences: matcher.data.reasons renders the message in a language.
    """

    kind: str
    message: str
    values: tuple[tuple[str, ReasonValue], ...] = ()
    source: str | None = None
    period: str | None = None


def why(kind: str, message: str | None = None, /, *, source: str | None = None,
        period: str | None = None, **values: ReasonValue) -> Reason:
    """A reason of kind; its message key is kind unless given."""
    return Reason(kind, message or kind, tuple(values.items()), source=source, period=period)


def phrase(message: str, /, **values: ReasonValue) -> Phrase:
    return Phrase(message, tuple(values.items()))


# --- the catalogue snapshot -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EducationLevel:
    code: str
    rank: int
    skill_status: str
    name_da: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Skill:
    code: str
    label_da: str
    label_en: str | None = None
    aliases_da: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    kind: str | None = None  # skill, knowledge, certificate, transversal


@dataclass(frozen=True, slots=True)
class Education:
    """A specific education (e.g. EUD Smed) at a level, and the occupations it qualifies for."""

    code: str
    title_da: str
    level: str  # an education level code
    title_en: str | None = None
    aliases_da: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    qualifies: tuple[str, ...] = ()  # occupation codes


@dataclass(frozen=True, slots=True)
class Occupation:
    code: str
    title_da: str
    title_en: str | None = None
    aliases_da: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    min_education_level: str | None = None
    essential: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    regulated: bool = False  # only a qualifying education opens it (e.g. an authorisation)


@dataclass(frozen=True, slots=True)
class ShortageRating:
    occupation: str
    rar_code: str
    period: str
    category: str
    source: str | None = None
    source_url: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A postcode with its coordinates (approximate: see the catalogue README)."""

    postcode: str
    name: str
    lat: float
    lon: float
    kommunekode: int | None = None


@dataclass(frozen=True, slots=True)
class Course:
    code: str
    kind: str
    title_da: str
    provider: str
    provider_name: str
    provider_postcode: str
    duration_days: float
    title_en: str | None = None
    hours: float | None = None
    price_dkk: int | None = None
    fee_target_group_dkk: int | None = None
    min_education_level: str | None = None
    language: str | None = None
    delivery: str | None = None
    schedule: str | None = None
    skills: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    source: str | None = None
    education: str | None = None  # the education a route course leads to
    official_code: str | None = None  # AMU målnummer or education code, when known


@dataclass(frozen=True, slots=True)
class Session:
    course: str
    code: str
    start: date
    end: date
    postcode: str | None = None  # None: the provider's
    seats: int | None = None
    status: str = "open"


@dataclass(frozen=True, slots=True)
class PositiveListEntry:
    """A listed course: one catalogue course, or (official_code) every provider's course."""

    list: str
    course: str | None
    rar_code: str | None = None  # None: the national list
    erhvervsgruppe: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    from_day_one: bool = False
    official_code: str | None = None


@dataclass(frozen=True, slots=True)
class FundingRate:
    """A rate or threshold; valid from 1 January of year (or valid_from) to valid_to."""

    scheme: str
    year: int
    unit: str
    amount: float
    source_url: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None  # None: until a newer row

    @property
    def starts(self) -> date:
        return self.valid_from or date(self.year, 1, 1)


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """One published version of a scheme's rules (None valid_to: no end announced)."""

    scheme: str
    valid_from: date
    valid_to: date | None = None
    decided_by: str | None = None
    law: str | None = None
    source_url: str | None = None


@dataclass(frozen=True, slots=True)
class Membership:
    """A municipality's RAR area over a period (None: open-ended)."""

    kommunekode: int
    rar_code: str
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the engine needs from the catalogue, as plain values."""

    education_levels: tuple[EducationLevel, ...]
    skills: tuple[Skill, ...]
    occupations: tuple[Occupation, ...]
    shortages: tuple[ShortageRating, ...]
    courses: tuple[Course, ...]
    sessions: tuple[Session, ...]
    places: tuple[Place, ...]
    positive_lists: tuple[PositiveListEntry, ...] = ()
    funding_rates: tuple[FundingRate, ...] = ()
    funding_rules: tuple[RuleVersion, ...] = ()
    memberships: tuple[Membership, ...] = ()
    adjacency: tuple[tuple[str, str], ...] = ()
    rar_names: tuple[tuple[str, str], ...] = ()
    version: int = 0
    educations: tuple[Education, ...] = ()


# --- the person -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PastJob:
    occupation: str
    years: float


@dataclass(frozen=True, slots=True)
class Profile:
    """A validated profile (design.md §6); see profile.validate_profile."""

    status: str
    age: int
    education_level: str
    benefit: str | None = None
    unemployed_weeks: int | None = None
    education_outdated: bool = False
    has_eud: bool = False
    kommunekode: int | None = None
    postcode: str | None = None
    occupations: tuple[PastJob, ...] = ()
    skills: tuple[str, ...] = ()
    completed_courses: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    max_distance_km: float = 50.0
    schedule: tuple[str, ...] = SCHEDULES
    max_course_days: int | None = None
    start_within_weeks: int = 26
    educations: tuple[str, ...] = ()  # specific completed educations (Education codes)


# --- the answers ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OccupationMatch:
    code: str
    title_da: str
    title_en: str | None
    shortage: str | None
    period: str | None
    proximity: float
    score: float
    missing_skills: tuple[str, ...]
    needs_route: bool
    reasons: tuple[Reason, ...]
    level: str | None = None  # the education level the occupation needs


DEADLINE_KINDS = ("complete_by", "apply_by")
DECIDERS = ("a_kasse", "jobcenter", "aub", "kommune_praktiksted", "svu")


@dataclass(frozen=True, slots=True)
class Deadline:
    """A date a scheme's rule sets: the course must end by it, or the application be in."""

    kind: str  # one of DEADLINE_KINDS
    on: date


@dataclass(frozen=True, slots=True)
class Funding:
    scheme: str
    eligible: bool | str  # True, False or "maybe"
    reasons: tuple[Reason, ...]
    amount_dkk: float | None = None
    deadline: Deadline | None = None  # where the rule sets one and the profile tells it
    decided_by: str | None = None  # one of DECIDERS; None where nobody decides (a fee)


@dataclass(frozen=True, slots=True)
class SessionChoice:
    code: str
    start: date
    end: date
    postcode: str | None
    distance_km: float | None


@dataclass(frozen=True, slots=True)
class CourseMatch:
    code: str
    title_da: str
    title_en: str | None
    provider: str
    kind: str
    score: float
    distance_km: float | None
    session: SessionChoice | None
    targets: tuple[str, ...]
    skills: tuple[str, ...]
    funding: tuple[Funding, ...]
    cost_dkk: float
    reasons: tuple[Reason, ...]
    other_places: tuple[OtherPlace, ...] = ()  # the same course elsewhere or earlier


@dataclass(frozen=True, slots=True)
class OtherPlace:
    """The same course (same kind and title) offered by another provider or course code."""

    course: str
    provider: str
    session: SessionChoice


@dataclass(frozen=True, slots=True)
class NearMiss:
    code: str
    title_da: str
    title_en: str | None
    constraint: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class PathStep:
    course: str
    title_da: str
    title_en: str | None
    session: str
    start: date
    end: date
    days: float
    cost_dkk: float
    funding: tuple[Funding, ...]


@dataclass(frozen=True, slots=True)
class Path:
    target: str
    steps: tuple[PathStep, ...]
    total_days: float
    covered_share: float
    completion_date: date | None
    cost_dkk: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Route:
    """An education that makes the person skilled or qualified for target (design.md §5a.3)."""

    target: str
    target_title_da: str
    target_title_en: str | None
    course: str
    title_da: str
    title_en: str | None
    kind: str
    provider: str
    education: str | None
    duration_days: float
    track: str | None  # euv1 / euv2 / euv3 for EUV: decided by the competence assessment
    session: SessionChoice | None
    assessment: str | None  # an IKV course to take first, when one fits before the start
    funding: tuple[Funding, ...]
    cost_dkk: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Asked:
    """The answer to one interest: open now, behind a route, or out of reach, and why."""

    code: str
    title_da: str
    title_en: str | None
    status: str  # one of ASKED_STATUSES
    shortage: str | None
    period: str | None
    proximity: float
    level: str | None
    missing_skills: tuple[str, ...]
    route: Route | None
    path: Path | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    today: date
    area: str | None
    period: str | None
    occupations: tuple[OccupationMatch, ...]
    courses: tuple[CourseMatch, ...]
    near_misses: tuple[NearMiss, ...]
    paths: tuple[Path, ...]
    asked: tuple[Asked, ...] = ()
    routes: tuple[Route, ...] = ()
    notices: tuple[Reason, ...] = field(default=())
