"""Who may pay for a course, and what the person gets meanwhile: guidance, not decisions.

Each rule cites domain.md (§2–§5) and its sources; rates come from the catalogue's funding
rates for the newest year not after today. Where the profile lacks what a rule needs, the
answer is "maybe" and the reason says what is missing. Reasons are message keys with values
(matcher/data/reasons.py holds the texts); amounts are whole kroner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from matcher.engine.index import CatalogIndex
from matcher.engine.model import (
    Course,
    Funding,
    FundingRate,
    PositiveListEntry,
    Profile,
    Reason,
    ReasonValue,
    phrase,
    why,
)

__all__ = ["Situation", "cost_to_person", "funding_for"]

MAYBE = "maybe"
STAR_SEKS = ("https://star.dk/indsatser-og-ordninger/jobrettet-voksen-og-efteruddannelse-veu/"
             "uddannelser-for-ledige/ordninger-jobrettet-veu/6-ugers/")
STAR_PULJE = ("https://star.dk/da/indsatser-og-ordninger/jobrettet-voksen-og-efteruddannelse-veu/"
              "uddannelser-for-ledige/ordninger-jobrettet-veu/den-regionale-uddannelsespulje/")
UG_VEU = "https://www.ug.dk/uddannelser/artikleromuddannelser/oekonomi/veu-godtgoerelse"
BORGER_BEFORDRING = ("https://www.borger.dk/oekonomi-skat-su/Tilskud-og-stoetteordninger/"
                     "Befordringstilskud-til-arbejdsmarkedsuddannelser")
UVM_AMU = "https://www.uvm.dk/arbejdsmarkedsuddannelser/adgang-og-tilmelding/maalgruppe-og-adgangskrav"
UG_LOEFT = "https://www.ug.dk/efteruddannelse/erhvervsuddannelse-paa-dagpenge"
STAR_VOKSEN = "https://star.dk/da/indsatser-og-ordninger/virksomhedsrettede-redskaber/voksenlaerling/"

SCHEMES_BY_KIND = {
    "amu": ("seks_uger", "regional_pulje", "veu", "befordring", "amu_fee"),
    "ikv": ("veu", "befordring", "amu_fee"),
    "akademi": ("seks_uger", "regional_pulje"),
    "diplom": ("regional_pulje",),
    "eud": ("seks_uger", "regional_pulje", "veu", "uddannelsesloeft", "voksenlaerling"),
    "euv": ("uddannelsesloeft", "voksenlaerling"),
    "voksenlaerling": ("voksenlaerling",),
    "other": ("seks_uger", "regional_pulje"),
}
UNEMPLOYED = ("unemployed", "fleksjob_unemployed")


@dataclass(frozen=True, slots=True)
class Situation:
    """What the rules need besides the profile and the course."""

    today: date
    start: date
    end: date
    distance_km: float | None  # one way; None when online or unknown
    rar_code: str | None


def funding_for(profile: Profile, course: Course, situation: Situation,
                index: CatalogIndex) -> tuple[Funding, ...]:
    rules = {"seks_uger": _seks_uger, "regional_pulje": _regional_pulje, "veu": _veu,
             "befordring": _befordring, "amu_fee": _amu_fee,
             "uddannelsesloeft": _uddannelsesloeft, "voksenlaerling": _voksenlaerling}
    results: list[Funding] = []
    for scheme in SCHEMES_BY_KIND.get(course.kind, ()):
        results.append(rules[scheme](profile, course, situation, index, results))
    return tuple(results)


def cost_to_person(profile: Profile, course: Course, funding: tuple[Funding, ...]) -> float:
    """What the person pays: nothing when the job centre pays, else fee or price."""
    eligible = {f.scheme for f in funding if f.eligible is True}
    if profile.status in UNEMPLOYED and eligible & {"seks_uger", "regional_pulje"}:
        return 0.0
    if course.kind in ("ikv", "eud", "euv", "voksenlaerling"):
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


def _unpublished(index: CatalogIndex, name: str, on: date, scheme: str,
                 source: str) -> Funding | None:
    """ "maybe" when the date lies beyond every published version of the list (§6 notices)."""
    horizon = index.list_horizon.get(name)
    if horizon is None or on <= horizon:
        return None
    return Funding(scheme, MAYBE, (why("rules_not_published", "rules_not_published.list",
                                       source=source, horizon=horizon),))


def _rate(index: CatalogIndex, scheme: str, unit: str, today: date) -> FundingRate | None:
    """The newest rate not after today's year (older years stand until updated)."""
    found = [r for r in index.rates.get((scheme, unit), ()) if r.year <= today.year]
    return found[-1] if found else None


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
    min_age = _rate(index, "seks_uger", "min_age_akademi", s.today)
    age = min_age.amount if min_age else 25
    if course.kind == "akademi" and profile.age < age:
        return no("seks_uger.academy_age", age=age)
    max_weeks = _rate(index, "seks_uger", "max_weeks", s.today)
    limit = (max_weeks.amount if max_weeks else 6) * 5
    if course.duration_days > limit:
        return no("seks_uger.too_long", weeks=limit / 5)
    if profile.unemployed_weeks is None:
        return _missing("seks_uger", "seks_uger.weeks_unknown", STAR_SEKS)
    unemployed_since = s.today - timedelta(weeks=profile.unemployed_weeks)
    wait = _rate(index, "seks_uger", "wait_weeks", s.today)
    wait_weeks = wait.amount if wait else 5
    weeks_at_start = (s.start - unemployed_since).days / 7
    if not entry.from_day_one and weeks_at_start < wait_weeks:
        return no("seks_uger.too_early", weeks=wait_weeks)
    months_rate = _rate(index, "seks_uger", "deadline_months_under_25" if profile.age < 25
                        else "deadline_months_25_plus", s.today)
    months = int(months_rate.amount) if months_rate else (6 if profile.age < 25 else 9)
    deadline = _add_months(unemployed_since, months)
    if s.end > deadline:
        return no("seks_uger.too_late", months=months, deadline=deadline, end=s.end)
    # Who decides: the job centre for flexjob holders, else the a-kasse (domain.md §2a).
    if entry.erhvervsgruppe:
        granted = why("seks_uger", "seks_uger.granted_job_centre_group" if fleksjob
                      else "seks_uger.granted_a_kasse_group", source=STAR_SEKS,
                      group=entry.erhvervsgruppe, deadline=deadline)
    else:
        granted = why("seks_uger", "seks_uger.granted_job_centre" if fleksjob
                      else "seks_uger.granted_a_kasse", source=STAR_SEKS, deadline=deadline)
    return Funding("seks_uger", True, (granted,))


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
    """domain.md §4: VEU-godtgørelse for employed people up to EUD level."""
    no = partial(_refusal, "veu", UG_VEU)

    if profile.status not in ("employed", "self_employed"):
        return no("veu.not_working")
    if index.education_rank.get(profile.education_level, 0) > index.eud_rank \
            and not profile.education_outdated:
        return no("veu.higher_education")
    if course.delivery == "online":
        return no("veu.distance_learning")
    rate = _rate(index, "veu", "dkk_week", s.today)
    amount = rate.amount * _weeks(course) if rate else None
    terms = (phrase("veu.granted_rate", year=str(rate.year), rate=_kr(rate.amount),
                    amount=_kr(amount)) if rate and amount is not None
             else phrase("veu.granted"))
    source = rate.source_url if rate and rate.source_url else UG_VEU
    if course.kind == "eud":
        reason = why("veu", "veu.fkb_only", source=source, terms=terms)
    else:
        reason = Reason("veu", terms.message, terms.values, source)
    return Funding("veu", MAYBE if course.kind == "eud" else True, (reason,), amount_dkk=amount)


def _befordring(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                done: list[Funding]) -> Funding:
    """domain.md §4: transport subsidy beyond 24 km a day, for those with VEU."""
    veu = next((f for f in done if f.scheme == "veu"), None)
    if veu is None or veu.eligible is False:
        return _refusal("befordring", BORGER_BEFORDRING, "befordring.needs_veu")
    if s.distance_km is None:
        return _missing("befordring", "befordring.postcode_unknown", BORGER_BEFORDRING)
    free = _rate(index, "befordring", "km_free_per_day", s.today)
    cap = _rate(index, "befordring", "km_max_per_day", s.today)
    per_km = _rate(index, "befordring", "dkk_km", s.today)
    daily = min(2 * s.distance_km, cap.amount if cap else 576.0)
    paid_km = daily - (free.amount if free else 24.0)
    if paid_km <= 0:
        return _refusal("befordring", BORGER_BEFORDRING, "befordring.too_close")
    amount = paid_km * per_km.amount * course.duration_days if per_km else None
    if per_km and amount is not None:
        reason = why("befordring", "befordring.granted_rate",
                     source=per_km.source_url or BORGER_BEFORDRING, km=round(paid_km),
                     year=str(per_km.year), rate=per_km.amount, amount=_kr(amount))
    else:
        reason = why("befordring", "befordring.granted", source=BORGER_BEFORDRING,
                     km=round(paid_km))
    return Funding("befordring", veu.eligible, (reason,), amount_dkk=amount)


def _amu_fee(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
             _done: list[Funding]) -> Funding:
    """domain.md §3: the AMU participant fee for the target group, full price above it."""
    amount: float | None
    if course.kind == "ikv":
        eligible, terms, amount = True, phrase("amu_fee.ikv_free"), 0.0
    elif index.education_rank.get(profile.education_level, 0) > index.eud_rank:
        price = course.price_dkk
        eligible, amount = False, float(price) if price is not None else None
        terms = (phrase("amu_fee.full_price", price=price) if price
                 else phrase("amu_fee.full_price_unknown"))
    else:
        fee = course.fee_target_group_dkk
        eligible, amount = True, float(fee) if fee is not None else None
        if fee is None:
            terms = phrase("amu_fee.usual_fee")
        elif fee == 0:
            terms = phrase("amu_fee.no_fee")
        else:
            terms = phrase("amu_fee.fee", fee=fee)
    if profile.status in UNEMPLOYED:  # uvm.dk: the unemployed are signed up by the job centre
        reason = why("amu_fee", "amu_fee.via_job_centre", source=UVM_AMU, terms=terms)
    else:
        reason = Reason("amu_fee", terms.message, terms.values, UVM_AMU)
    return Funding("amu_fee", eligible, (reason,), amount_dkk=amount)


def _uddannelsesloeft(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                      _done: list[Funding]) -> Funding:
    """domain.md §2c: a vocational education on 80 % or 110 % of dagpenge, from age 30."""
    no = partial(_refusal, "uddannelsesloeft", UG_LOEFT)

    min_age = _rate(index, "uddannelsesloeft", "min_age", s.today)
    age = min_age.amount if min_age else 30
    if profile.age < age:
        return no("uddannelsesloeft.too_young", age=age)
    if profile.status != "unemployed":
        return no("uddannelsesloeft.not_unemployed")
    if profile.benefit is None:
        return _missing("uddannelsesloeft", "uddannelsesloeft.benefit_unknown", UG_LOEFT)
    lacks_skills = _skill_status(profile, index) == "ufaglaert" or profile.education_outdated
    if profile.benefit == "kontanthjaelp" and lacks_skills and course.kind == "eud":
        # Job-ready kontanthjælp recipients of 30+ may take an EUD grundforløb via the pool.
        return Funding("uddannelsesloeft", MAYBE, (why(
            "uddannelsesloeft", "uddannelsesloeft.kontanthjaelp",
            source="https://www.rk.dk/jobcenter/borger/uddannelse/uddannelsesloeft-dagpengemodtagere/"),))
    if profile.benefit != "dagpenge":
        return no("uddannelsesloeft.wrong_benefit")
    if not lacks_skills:
        return no("uddannelsesloeft.skilled")
    listed = _listed(index, course, "uddannelsesloeft", s.start, None) is not None
    unknown = None if listed else _unpublished(index, "uddannelsesloeft", s.start,
                                               "uddannelsesloeft", UG_LOEFT)
    if unknown is not None:
        return unknown
    unit = "pct_dagpenge_positive_list" if listed else "pct_dagpenge"
    rate = _rate(index, "uddannelsesloeft", unit, s.today)
    percent = rate.amount if rate else (110 if listed else 80)
    return Funding("uddannelsesloeft", True, (why(
        "uddannelsesloeft", "uddannelsesloeft.granted_listed" if listed
        else "uddannelsesloeft.granted", source=rate.source_url if rate and rate.source_url
        else UG_LOEFT, percent=percent),))


def _voksenlaerling(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                    _done: list[Funding]) -> Funding:
    """domain.md §2d: the employer's wage subsidy for an adult apprentice (25+)."""
    no = partial(_refusal, "voksenlaerling", STAR_VOKSEN)

    min_age = _rate(index, "voksenlaerling", "min_age", s.today)
    age = min_age.amount if min_age else 25
    if profile.age < age:
        return no("voksenlaerling.too_young", age=age)
    own_area = frozenset({s.rar_code}) if s.rar_code else frozenset()
    listed = (_listed(index, course, "voksenlaerling", s.start, None) is not None
              or _listed(index, course, "voksenlaerling", s.start, own_area) is not None)
    unskilled = _skill_status(profile, index) == "ufaglaert"
    weeks = profile.unemployed_weeks
    unknown = None if listed else _unpublished(index, "voksenlaerling", s.start,
                                               "voksenlaerling", STAR_VOKSEN)
    granted = Funding("voksenlaerling", True, (why("voksenlaerling", "voksenlaerling.granted",
                                                   source=STAR_VOKSEN),))
    if profile.status in ("employed", "self_employed"):
        if unskilled and listed:
            return granted
        if unskilled and unknown is not None:
            return unknown
        return no("voksenlaerling.employed_rule")
    if profile.status == "unemployed" and profile.benefit is None:
        return _missing("voksenlaerling", "voksenlaerling.benefit_unknown", STAR_VOKSEN)
    if profile.status != "unemployed" or profile.benefit in ("ledighedsydelse", "none"):
        return no("voksenlaerling.not_target_group")
    if weeks is None:
        return _missing("voksenlaerling", "voksenlaerling.weeks_unknown", STAR_VOKSEN)
    if unskilled:
        qualifies = weeks > 8  # more than 2 months of unemployment
        rule = "voksenlaerling.rule_unskilled"
    elif profile.education_outdated:
        qualifies, rule = True, "voksenlaerling.rule_outdated"
    else:
        if 26 < weeks <= 52 and unknown is not None:
            return unknown
        qualifies = weeks > 52 or (weeks > 26 and listed)  # more than 12 / 6 months
        rule = "voksenlaerling.rule_skilled"
    if not qualifies:
        return no(rule)
    return granted
