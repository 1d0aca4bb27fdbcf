"""Who may pay for a course, and what the person gets meanwhile: guidance, not decisions.

Each rule cites domain.md (§2–§5) and its sources. Rules and rates are dated data: a
scheme's published rule versions (funding_rules.csv) and its rates (funding_rates.csv) are
read for the session's start. A start after the newest published version or rate gets
"maybe" with a rules_not_published reason, never an old rate reused. Where the profile
lacks what a rule needs, the answer is "maybe" and the reason says what is missing. Reasons
are message keys with values (matcher/data/reasons.py holds the texts); amounts are kroner.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial

from matcher.engine.index import CatalogIndex
from matcher.engine.model import (
    Course,
    Deadline,
    Funding,
    FundingRate,
    PositiveListEntry,
    Profile,
    Reason,
    ReasonValue,
    phrase,
    why,
)

__all__ = ["DEADLINE_KIND", "Situation", "cost_to_person", "funding_for",
           "is_whole_education"]

MAYBE = "maybe"
STAR_SEKS = ("https://star.dk/indsatser-og-ordninger/jobrettet-voksen-og-efteruddannelse-veu/"
             "uddannelser-for-ledige/ordninger-jobrettet-veu/6-ugers/")
STAR_PULJE = ("https://star.dk/da/indsatser-og-ordninger/jobrettet-voksen-og-efteruddannelse-veu/"
              "uddannelser-for-ledige/ordninger-jobrettet-veu/den-regionale-uddannelsespulje/")
UG_VEU = "https://www.ug.dk/uddannelser/artikleromuddannelser/oekonomi/veu-godtgoerelse"
BORGER_BEFORDRING = ("https://www.borger.dk/oekonomi-skat-su/Tilskud-og-stoetteordninger/"
                     "Befordringstilskud-til-arbejdsmarkedsuddannelser")
RK_SEKS = "https://www.rk.dk/jobcenter/borger/uddannelse/6-ugers-uddannelse-dagpengemodtagere/"
UVM_AMU = "https://www.uvm.dk/arbejdsmarkedsuddannelser/adgang-og-tilmelding/maalgruppe-og-adgangskrav"
IU_PRICES = "https://iu.dk/uddannelser/efteruddannelse/amu-kurser/priser/"
UG_LOEFT = "https://www.ug.dk/efteruddannelse/erhvervsuddannelse-paa-dagpenge"
STAR_VOKSEN = "https://star.dk/da/indsatser-og-ordninger/virksomhedsrettede-redskaber/voksenlaerling/"
UG_SVU = "https://www.ug.dk/uddannelser/artikleromuddannelser/oekonomi/svu"

SCHEMES_BY_KIND = {
    "amu": ("seks_uger", "regional_pulje", "veu", "befordring", "amu_fee"),
    "ikv": ("veu", "befordring", "amu_fee"),
    "akademi": ("seks_uger", "regional_pulje", "svu"),
    "diplom": ("regional_pulje", "svu"),
    "eud": ("seks_uger", "regional_pulje", "veu", "befordring"),  # a single subject
    "euv": ("uddannelsesloeft", "voksenlaerling"),
    "voksenlaerling": ("voksenlaerling",),
    "other": ("seks_uger", "regional_pulje"),
}
# A whole vocational education: VEU and the short-course schemes never apply (ug.dk VEU).
WHOLE_EDUCATION = ("uddannelsesloeft", "voksenlaerling")
WHOLE_EDUCATION_DAYS = 100  # without a named education, a longer EUD is a whole education
UNEMPLOYED = ("unemployed", "fleksjob_unemployed")
# Who decides each scheme (domain.md §2–§4); seks ugers and transport depend on the person.
DECIDED_BY = {"regional_pulje": "jobcenter", "veu": "aub", "uddannelsesloeft": "jobcenter",
              "voksenlaerling": "kommune_praktiksted", "svu": "svu"}
# The kind of date a scheme's deadline is (Funding.deadline): seks ugers must be completed
# within the first 6 or 9 months of unemployment (§2a); a voksenlærling subsidy must be
# applied for within 1 month of the start (§2d).
DEADLINE_KIND = {"seks_uger": "complete_by", "voksenlaerling": "apply_by"}
VOKSENLAERLING_APPLY_MONTHS = 1
# Apprentices with a right to voksenelevløn bring no wage subsidy (star.dk voksenlærling).
VOKSENELEVLOEN = ("social- og sundhedshjælper", "social- og sundhedsassistent",
                  "pædagogisk assistent")


@dataclass(frozen=True, slots=True)
class Situation:
    """What the rules need besides the profile and the course."""

    today: date
    start: date
    end: date
    distance_km: float | None  # one way; None when online or unknown
    rar_code: str | None


class _Unpublished(Exception):
    """A rule or rate the session needs is not published for its start (answered "maybe")."""

    def __init__(self, horizon: date, source: str | None) -> None:
        super().__init__(horizon)
        self.horizon = horizon
        self.source = source


def is_whole_education(course: Course) -> bool:
    return (course.kind in ("euv", "voksenlaerling") or course.education is not None
            or (course.kind == "eud" and course.duration_days >= WHOLE_EDUCATION_DAYS))


def funding_for(profile: Profile, course: Course, situation: Situation,
                index: CatalogIndex) -> tuple[Funding, ...]:
    rules = {"seks_uger": _seks_uger, "regional_pulje": _regional_pulje, "veu": _veu,
             "befordring": _befordring, "amu_fee": _amu_fee,
             "uddannelsesloeft": _uddannelsesloeft, "voksenlaerling": _voksenlaerling,
             "svu": _svu}
    schemes = (WHOLE_EDUCATION if course.kind == "eud" and is_whole_education(course)
               else SCHEMES_BY_KIND.get(course.kind, ()))
    results: list[Funding] = []
    for scheme in schemes:
        try:
            _require_published(index, scheme, situation.start)
            answer = rules[scheme](profile, course, situation, index, results)
        except _Unpublished as unpublished:
            answer = Funding(scheme, MAYBE, (why(
                "rules_not_published", "rules_not_published.rules",
                source=unpublished.source, horizon=unpublished.horizon),))
        results.append(replace(answer, decided_by=_decided_by(profile, scheme, results)))
    return tuple(results)


def _decided_by(profile: Profile, scheme: str, done: list[Funding]) -> str | None:
    """Who decides: the a-kasse for seks ugers on dagpenge, the job centre for a flexjob
    holder (domain.md §2a); transport for the unemployed goes with the course's grant."""
    fleksjob = profile.status == "fleksjob_unemployed" or profile.benefit == "ledighedsydelse"
    if scheme == "seks_uger":
        return "jobcenter" if fleksjob else "a_kasse"
    if scheme == "befordring":
        if profile.status not in UNEMPLOYED:
            return "aub"
        granted = [f for f in done if f.scheme in ("seks_uger", "regional_pulje")
                   and f.eligible is not False]
        granted.sort(key=lambda f: f.eligible is not True)
        return granted[0].decided_by if granted else "jobcenter"
    return DECIDED_BY.get(scheme)


def cost_to_person(profile: Profile, course: Course, funding: tuple[Funding, ...]) -> float:
    """What the person pays: nothing when the job centre pays, else fee or price."""
    eligible = {f.scheme for f in funding if f.eligible is True}
    if profile.status in UNEMPLOYED and eligible & {"seks_uger", "regional_pulje"}:
        return 0.0
    if course.kind in ("ikv", "euv", "voksenlaerling") or is_whole_education(course):
        return 0.0
    if course.kind == "amu" and "amu_fee" in eligible:
        return float(course.fee_target_group_dkk or 0)
    return float(course.price_dkk or 0)


# --- helpers ----------------------------------------------------------------------------


def _refusal(scheme: str, source: str, message: str, **values: ReasonValue) -> Funding:
    return Funding(scheme, False, (Reason(scheme, message, tuple(values.items()), source),))


def _missing(scheme: str, message: str, source: str) -> Funding:
    """ "maybe": the profile lacks a fact the rule needs, and the reason says which."""
    return Funding(scheme, MAYBE, (why("missing", message, source=source),))


def _require_published(index: CatalogIndex, scheme: str, on: date) -> None:
    """Raise _Unpublished when on lies after the scheme's newest published rule version.

    A scheme without dated versions, or a date before the first, is not constrained.
    """
    versions = index.rules.get(scheme, ())
    if not versions or on < versions[0].valid_from:
        return
    if any(v.valid_from <= on and (v.valid_to is None or on <= v.valid_to) for v in versions):
        return
    newest = versions[-1]
    raise _Unpublished(newest.valid_to or newest.valid_from - timedelta(days=1),
                       newest.source_url)


def _unpublished(index: CatalogIndex, name: str, on: date, scheme: str,
                 source: str) -> Funding | None:
    """ "maybe" when the date lies beyond every published version of the list (§6 notices)."""
    horizon = index.list_horizon.get(name)
    if horizon is None or on <= horizon:
        return None
    return Funding(scheme, MAYBE, (why("rules_not_published", "rules_not_published.list",
                                       source=source, horizon=horizon),))


def _rate(index: CatalogIndex, scheme: str, unit: str, on: date) -> FundingRate | None:
    """The rate valid on a date; None when the catalogue has none (the rule's default holds).

    Rows that all ended before the date mean the newer rate is not published yet.
    """
    rows = index.rates.get((scheme, unit), ())
    for row in reversed(rows):
        if row.starts <= on and (row.valid_to is None or on <= row.valid_to):
            return row
    ended = [row.valid_to for row in rows if row.valid_to is not None and row.valid_to < on]
    if ended and len(ended) == len(rows):
        raise _Unpublished(max(ended), rows[-1].source_url)
    return None


def _listed(index: CatalogIndex, course: Course, name: str, on: date,
            areas: frozenset[str] | None) -> PositiveListEntry | None:
    for entry in index.positive.get(course.code, ()):
        if entry.list != name:
            continue
        if areas is None and entry.rar_code is not None:
            continue
        if areas is not None and entry.rar_code not in areas:
            continue
        if (entry.valid_from and on < entry.valid_from) or (entry.valid_to and on > entry.valid_to):
            continue
        return entry
    return None


def _skill_status(profile: Profile, index: CatalogIndex) -> str:
    status = index.education_status.get(profile.education_level, "ufaglaert")
    if status == "ufaglaert" and profile.has_eud:
        return "faglaert"
    return status


def _above_eud(profile: Profile, index: CatalogIndex) -> bool:
    return index.education_rank.get(profile.education_level, 0) > index.eud_rank


def _weeks(course: Course) -> float:
    return max(course.duration_days, 1.0) / 5.0


def _kr(amount: float) -> int:
    """Whole kroner, as the reasons show them."""
    return round(amount)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


# --- the rules --------------------------------------------------------------------------


def _seks_uger(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
               _done: list[Funding]) -> Funding:
    """domain.md §2a: seks ugers jobrettet uddannelse."""
    no = partial(_refusal, "seks_uger", STAR_SEKS)

    if profile.status not in UNEMPLOYED:
        return no("seks_uger.not_unemployed")
    fleksjob = profile.status == "fleksjob_unemployed" or profile.benefit == "ledighedsydelse"
    if not fleksjob and profile.benefit is None:
        return _missing("seks_uger", "seks_uger.benefit_unknown", STAR_SEKS)
    if not fleksjob and profile.benefit != "dagpenge":
        return no("seks_uger.wrong_benefit")
    status = _skill_status(profile, index)
    academy_with_eud = profile.education_level in ("kvu", "akademi") and profile.has_eud
    if status == "videregaaende" and not academy_with_eud:
        return no("seks_uger.higher_education")
    entry = _listed(index, course, "seks_uger", s.start, None)
    if entry is None:
        unknown = _unpublished(index, "seks_uger", s.start, "seks_uger", STAR_SEKS)
        if unknown is not None:
            return unknown
        return no("seks_uger.not_listed")
    min_age = _rate(index, "seks_uger", "min_age_akademi", s.start)
    age = min_age.amount if min_age else 25
    if course.kind == "akademi" and profile.age < age:
        return no("seks_uger.academy_age", age=age)
    max_weeks = _rate(index, "seks_uger", "max_weeks", s.start)
    limit = (max_weeks.amount if max_weeks else 6) * 5
    if course.duration_days > limit:
        return no("seks_uger.too_long", weeks=limit / 5)
    if profile.unemployed_weeks is None:
        return _missing("seks_uger", "seks_uger.weeks_unknown", STAR_SEKS)
    unemployed_since = s.today - timedelta(weeks=profile.unemployed_weeks)
    wait = _rate(index, "seks_uger", "wait_weeks", s.start)
    wait_weeks = wait.amount if wait else 5
    weeks_at_start = (s.start - unemployed_since).days / 7
    if not entry.from_day_one and weeks_at_start < wait_weeks:
        return no("seks_uger.too_early", weeks=wait_weeks)
    months_rate = _rate(index, "seks_uger", "deadline_months_under_25" if profile.age < 25
                        else "deadline_months_25_plus", s.start)
    months = int(months_rate.amount) if months_rate else (6 if profile.age < 25 else 9)
    deadline = _add_months(unemployed_since, months)
    complete_by = Deadline("complete_by", deadline)
    if s.end > deadline:
        return replace(no("seks_uger.too_late", months=months, deadline=deadline, end=s.end),
                       deadline=complete_by)
    # Who decides: the job centre for flexjob holders, else the a-kasse (domain.md §2a).
    if entry.erhvervsgruppe:
        granted = why("seks_uger", "seks_uger.granted_job_centre_group" if fleksjob
                      else "seks_uger.granted_a_kasse_group", source=STAR_SEKS,
                      group=entry.erhvervsgruppe, deadline=deadline)
    else:
        granted = why("seks_uger", "seks_uger.granted_job_centre" if fleksjob
                      else "seks_uger.granted_a_kasse", source=STAR_SEKS, deadline=deadline)
    return Funding("seks_uger", True, (granted,), deadline=complete_by)


def _regional_pulje(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                    _done: list[Funding]) -> Funding:
    """domain.md §2b: den regionale uddannelsespulje (own or adjacent RAR area's list)."""
    no = partial(_refusal, "regional_pulje", STAR_PULJE)

    if profile.status == "fleksjob_unemployed" or profile.benefit == "ledighedsydelse":
        return no("regional_pulje.fleksjob")
    if profile.status != "unemployed":
        return no("regional_pulje.not_unemployed")
    if s.rar_code is None:
        return _missing("regional_pulje", "regional_pulje.area_unknown", STAR_PULJE)
    areas = frozenset({s.rar_code} | index.adjacency.get(s.rar_code, frozenset()))
    entry = _listed(index, course, "regional_pulje", s.start, areas)
    if entry is None:
        unknown = _unpublished(index, "regional_pulje", s.start, "regional_pulje", STAR_PULJE)
        if unknown is not None:
            return unknown
        return no("regional_pulje.not_listed")
    where = index.rar_names.get(entry.rar_code or "", entry.rar_code or "")
    return Funding("regional_pulje", True, (why("regional_pulje", "regional_pulje.granted",
                                                source=STAR_PULJE, area=where),))


def _veu(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
         _done: list[Funding]) -> Funding:
    """domain.md §4: VEU-godtgørelse for employed people up to EUD level (or an unused higher).

    Only AMU, IKV and EUD single subjects in an FKB qualify, never a whole EUD (ug.dk VEU).
    Sources disagree on distance learning (research notes in course_catalog/README.md): an
    online course is "maybe", and AUB decides.
    """
    no = partial(_refusal, "veu", UG_VEU)

    if profile.status not in ("employed", "self_employed"):
        return no("veu.not_working")
    if _above_eud(profile, index) and not profile.education_outdated:
        return no("veu.higher_education")
    rate = _rate(index, "veu", "dkk_week", s.start)
    amount = rate.amount * _weeks(course) if rate else None
    terms = (phrase("veu.granted_rate", year=str(rate.year), rate=_kr(rate.amount),
                    amount=_kr(amount)) if rate and amount is not None
             else phrase("veu.granted"))
    source = rate.source_url if rate and rate.source_url else UG_VEU
    if course.delivery == "online":
        return Funding("veu", MAYBE, (why("veu", "veu.distance_learning", source=UG_VEU,
                                          terms=terms),), amount_dkk=amount)
    if course.kind == "eud":
        reason = why("veu", "veu.fkb_only", source=source, terms=terms)
    else:
        reason = Reason("veu", terms.message, terms.values, source)
    return Funding("veu", MAYBE if course.kind == "eud" else True, (reason,), amount_dkk=amount)


def _befordring(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                done: list[Funding]) -> Funding:
    """domain.md §4 and §2a: transport support for the km beyond 24 a day.

    Employed: befordringstilskud with VEU (AUB). Unemployed: befordringsgodtgørelse on a
    course the a-kasse or job centre grants (seks ugers, the regional pool; rk.dk, ase.dk).
    Never for distance learning (borger.dk).
    """
    no = partial(_refusal, "befordring", BORGER_BEFORDRING)

    if profile.status in UNEMPLOYED:
        granted = [f for f in done if f.scheme in ("seks_uger", "regional_pulje")]
        basis: bool | str = (True if any(f.eligible is True for f in granted)
                             else MAYBE if any(f.eligible == MAYBE for f in granted) else False)
        if basis is False:
            return no("befordring.needs_grant")
        message, source = "befordring.unemployed", RK_SEKS
    else:
        veu = next((f for f in done if f.scheme == "veu"), None)
        if veu is None or veu.eligible is False:
            return no("befordring.needs_veu")
        basis, message, source = veu.eligible, "befordring.granted", BORGER_BEFORDRING
    if course.delivery == "online":
        return no("befordring.online")
    if s.distance_km is None:
        return _missing("befordring", "befordring.postcode_unknown", BORGER_BEFORDRING)
    free = _rate(index, "befordring", "km_free_per_day", s.start)
    cap = _rate(index, "befordring", "km_max_per_day", s.start)
    daily = min(2 * s.distance_km, cap.amount if cap else 576.0)
    paid_km = daily - (free.amount if free else 24.0)
    if paid_km <= 0:
        return no("befordring.too_close")
    per_km = _rate(index, "befordring", "dkk_km", s.start)
    amount = paid_km * per_km.amount * course.duration_days if per_km else None
    terms = (phrase("befordring.rate", year=str(per_km.year), rate=per_km.amount,
                    amount=_kr(amount)) if per_km and amount is not None
             else phrase("befordring.no_rate"))
    reason = why("befordring", message, source=(per_km.source_url if per_km else None) or source,
                 km=round(paid_km), terms=terms)
    return Funding("befordring", basis, (reason,), amount_dkk=amount)


def _amu_fee(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
             done: list[Funding]) -> Funding:
    """domain.md §3: the AMU participant fee for the target group, full price above it.

    Someone who has not used a higher education for 5 years pays the target-group fee
    (iu.dk prices). An unemployed person is signed up by the job centre, which pays when
    it grants the course: the fee is then not theirs to pay.
    """
    amount: float | None
    source = UVM_AMU
    if course.kind == "ikv":
        eligible, terms, amount = True, phrase("amu_fee.ikv_free"), 0.0
    elif _above_eud(profile, index) and not profile.education_outdated:
        price = course.price_dkk
        eligible, amount = False, float(price) if price is not None else None
        terms = (phrase("amu_fee.full_price", price=price) if price
                 else phrase("amu_fee.full_price_unknown"))
    else:
        fee = course.fee_target_group_dkk
        eligible, amount = True, float(fee) if fee is not None else None
        source = IU_PRICES if _above_eud(profile, index) else UVM_AMU
        if fee is None:
            terms = phrase("amu_fee.usual_fee")
        elif fee == 0:
            terms = phrase("amu_fee.no_fee")
        else:
            terms = phrase("amu_fee.fee", fee=fee)
    if profile.status in UNEMPLOYED:
        paid = {f.eligible for f in done if f.scheme in ("seks_uger", "regional_pulje")}
        if True in paid:
            return Funding("amu_fee", eligible, (why("amu_fee", "amu_fee.job_centre_pays",
                                                     source=UVM_AMU),), amount_dkk=0.0)
        reason = why("amu_fee", "amu_fee.via_job_centre", source=UVM_AMU, terms=terms)
    else:
        reason = Reason("amu_fee", terms.message, terms.values, source)
    return Funding("amu_fee", eligible, (reason,), amount_dkk=amount)


def _uddannelsesloeft(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                      _done: list[Funding]) -> Funding:
    """domain.md §2c: a whole vocational education on dagpenge, from age 30.

    110 % of the dagpenge rate is a right for an education on the positive list (LAB § 97 a,
    permanent since 2024). The 80 % route went through puljen til uddannelsesløft, which
    lov nr. 1750 af 29/12/2025 abolished: its rate row ends, and after that it is a "no".
    """
    no = partial(_refusal, "uddannelsesloeft", UG_LOEFT)

    min_age = _rate(index, "uddannelsesloeft", "min_age", s.start)
    age = min_age.amount if min_age else 30
    if profile.age < age:
        return no("uddannelsesloeft.too_young", age=age)
    if profile.status != "unemployed":
        return no("uddannelsesloeft.not_unemployed")
    if profile.benefit is None:
        return _missing("uddannelsesloeft", "uddannelsesloeft.benefit_unknown", UG_LOEFT)
    lacks_skills = _skill_status(profile, index) == "ufaglaert" or profile.education_outdated
    if profile.benefit != "dagpenge":
        return no("uddannelsesloeft.wrong_benefit")
    if not lacks_skills:
        return no("uddannelsesloeft.skilled")
    listed = _listed(index, course, "uddannelsesloeft", s.start, None) is not None
    if listed:
        rate = _rate(index, "uddannelsesloeft", "pct_dagpenge_positive_list", s.start)
        return Funding("uddannelsesloeft", True, (why(
            "uddannelsesloeft", "uddannelsesloeft.granted_listed",
            source=rate.source_url if rate and rate.source_url else UG_LOEFT,
            percent=rate.amount if rate else 110),))
    unknown = _unpublished(index, "uddannelsesloeft", s.start, "uddannelsesloeft", UG_LOEFT)
    if unknown is not None:
        return unknown
    try:
        pool = _rate(index, "uddannelsesloeft", "pct_dagpenge", s.start)
    except _Unpublished as ended:  # the pool is abolished, not merely unpublished
        return _refusal("uddannelsesloeft", ended.source or UG_LOEFT,
                        "uddannelsesloeft.pool_ended", ended=ended.horizon)
    return Funding("uddannelsesloeft", True, (why(
        "uddannelsesloeft", "uddannelsesloeft.granted",
        source=pool.source_url if pool and pool.source_url else UG_LOEFT,
        percent=pool.amount if pool else 80),))


def _voksenlaerling(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                    _done: list[Funding]) -> Funding:
    """domain.md §2d: the employer's wage subsidy for an adult apprentice (25+).

    Amounts per Jobcenter Herning's table (45 kr/hour from unemployment, 30 kr/hour for up
    to 2 years for the employed unskilled); none for SOSU and PAU apprentices, who have a
    right to voksenelevløn (star.dk).
    """
    no = partial(_refusal, "voksenlaerling", STAR_VOKSEN)

    min_age = _rate(index, "voksenlaerling", "min_age", s.start)
    age = min_age.amount if min_age else 25
    if profile.age < age:
        return no("voksenlaerling.too_young", age=age)
    education = index.educations.get(course.education or "")
    if education is not None and education.title_da.lower() in VOKSENELEVLOEN:
        return no("voksenlaerling.voksenelevloen", education=education.title_da)
    own_area = frozenset({s.rar_code}) if s.rar_code else frozenset()
    listed = (_listed(index, course, "voksenlaerling", s.start, None) is not None
              or _listed(index, course, "voksenlaerling", s.start, own_area) is not None)
    unskilled = _skill_status(profile, index) == "ufaglaert"
    weeks = profile.unemployed_weeks
    unknown = None if listed else _unpublished(index, "voksenlaerling", s.start,
                                               "voksenlaerling", STAR_VOKSEN)
    if profile.status in ("employed", "self_employed"):
        if unskilled and listed:
            return _subsidy(index, "dkk_hour_employed", s)
        if unskilled and unknown is not None:
            return unknown
        return no("voksenlaerling.employed_rule")
    if profile.status == "unemployed" and profile.benefit is None:
        return _missing("voksenlaerling", "voksenlaerling.benefit_unknown", STAR_VOKSEN)
    if profile.status != "unemployed" or profile.benefit in ("ledighedsydelse", "none"):
        return no("voksenlaerling.not_target_group")
    if unskilled or profile.education_outdated:
        # Herning's table: no prior unemployment required of the unskilled or outdated.
        return _subsidy(index, "dkk_hour_unemployed", s)
    if weeks is None:
        return _missing("voksenlaerling", "voksenlaerling.weeks_unknown", STAR_VOKSEN)
    if weeks <= 26:  # a skilled person needs more than 6 months of unemployment (jobnet.dk)
        return no("voksenlaerling.rule_skilled")
    return _subsidy(index, "dkk_hour_unemployed", s)


def _subsidy(index: CatalogIndex, unit: str, s: Situation) -> Funding:
    apply_by = Deadline("apply_by", _add_months(s.start, VOKSENLAERLING_APPLY_MONTHS))
    rate = _rate(index, "voksenlaerling", unit, s.start)
    if rate is None:
        return Funding("voksenlaerling", True, (why("voksenlaerling", "voksenlaerling.granted",
                                                    source=STAR_VOKSEN),), deadline=apply_by)
    message = ("voksenlaerling.granted_employed" if unit == "dkk_hour_employed"
               else "voksenlaerling.granted_unemployed")
    return Funding("voksenlaerling", True, (why(
        "voksenlaerling", message, source=rate.source_url or STAR_VOKSEN, rate=_kr(rate.amount),
        since=rate.starts),), deadline=apply_by)


def _svu(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
         _done: list[Funding]) -> Funding:
    """SVU for akademi and diplom modules: employed adults of 25+ without a higher education
    (a KVU or an unused one is allowed), for a module taught full time (svu.dk, ug.dk)."""
    no = partial(_refusal, "svu", UG_SVU)

    if profile.status not in ("employed", "self_employed"):
        return no("svu.not_working")
    min_age = _rate(index, "svu", "min_age", s.start)
    age = min_age.amount if min_age else 25
    if profile.age < age:
        return no("svu.too_young", age=age)
    short = profile.education_level in ("kvu", "akademi")
    if _above_eud(profile, index) and not short and not profile.education_outdated:
        return no("svu.higher_education")
    rate = _rate(index, "svu", "dkk_week", s.start)
    terms = (phrase("svu.rate", year=str(rate.year), rate=_kr(rate.amount)) if rate
             else phrase("svu.no_rate"))
    return Funding("svu", MAYBE, (why("svu", "svu.full_time_only",
                                      source=(rate.source_url if rate else None) or UG_SVU,
                                      terms=terms),))
