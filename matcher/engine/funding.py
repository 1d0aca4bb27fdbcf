"""Who may pay for a course, and what the person gets meanwhile: guidance, not decisions.

Each rule cites domain.md (§2–§5) and its sources; rates come from the catalogue's funding
rates for the newest year not after today. Where the profile lacks what a rule needs, the
answer is "maybe" and the reason says what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from matcher.engine.index import CatalogIndex
from matcher.engine.model import Course, Funding, FundingRate, PositiveListEntry, Profile, Reason

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


def _reason(kind: str, da: str, en: str, source: str | None = None) -> Reason:
    return Reason(kind, da, en, source=source)


def _refusal(scheme: str, source: str, da: str, en: str) -> Funding:
    return Funding(scheme, False, (_reason(scheme, da, en, source),))


def _missing(scheme: str, da: str, en: str, source: str) -> Funding:
    """ "maybe": the profile lacks a fact the rule needs, and the reason says which."""
    return Funding(scheme, MAYBE, (_reason("missing", da, en, source),))


def _unpublished(index: CatalogIndex, name: str, on: date, scheme: str,
                 source: str) -> Funding | None:
    """ "maybe" when the date lies beyond every published version of the list (§6 notices)."""
    horizon = index.list_horizon.get(name)
    if horizon is None or on <= horizon:
        return None
    return Funding(scheme, MAYBE, (_reason(
        "rules_not_published",
        f"Positivlisten for perioden efter {horizon.isoformat()} er ikke offentliggjort endnu, "
        "så vi kan ikke sige, om kurset kommer med. Spørg jobcentret eller a-kassen.",
        f"The positive list for the period after {horizon.isoformat()} has not been published "
        "yet, so we cannot say whether the course will be on it. Ask the job centre or your "
        "a-kasse.", source),))


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


def _kr(amount: float) -> str:
    return f"{amount:,.0f}".replace(",", ".")


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
        return no("Kun for ledige på dagpenge og ledige, der er godkendt til fleksjob.",
                  "Only for unemployed people on dagpenge and unemployed people approved for flexjob.")
    fleksjob = profile.status == "fleksjob_unemployed" or profile.benefit == "ledighedsydelse"
    if not fleksjob and profile.benefit is None:
        return _missing(
            "seks_uger", "Vi ved ikke, hvilken ydelse du får. Retten gælder dagpenge og ledighedsydelse.",
            "We do not know your benefit. The right applies to dagpenge and ledighedsydelse.",
            STAR_SEKS)
    if not fleksjob and profile.benefit != "dagpenge":
        return no("Retten gælder kun for dagpengemodtagere og ledige fleksjobbere, ikke for "
                  "kontanthjælp eller uddannelseshjælp.",
                  "The right applies only to people on dagpenge and unemployed flexjob holders, "
                  "not to kontanthjælp or uddannelseshjælp.")
    status = _skill_status(profile, index)
    academy_with_eud = profile.education_level in ("kvu", "akademi") and profile.has_eud
    if status == "videregaaende" and not academy_with_eud:
        return no("Med en videregående uddannelse har du ikke ret til seks ugers jobrettet uddannelse.",
                  "With a higher education you have no right to six weeks' job-oriented training.")
    entry = _listed(index, course, "seks_uger", s.start, None)
    if entry is None:
        unknown = _unpublished(index, "seks_uger", s.start, "seks_uger", STAR_SEKS)
        if unknown is not None:
            return unknown
        return no("Kurset er ikke på positivlisten for seks ugers jobrettet uddannelse.",
                  "The course is not on the positive list for six weeks' job-oriented training.")
    min_age = _rate(index, "seks_uger", "min_age_akademi", s.today)
    if course.kind == "akademi" and profile.age < (min_age.amount if min_age else 25):
        return no("Akademimoduler på listen kræver, at du er fyldt 25 år.",
                  "Academy modules on the list require you to be 25 or older.")
    max_weeks = _rate(index, "seks_uger", "max_weeks", s.today)
    limit = (max_weeks.amount if max_weeks else 6) * 5
    if course.duration_days > limit:
        return no(f"Kurset er længere end {limit / 5:g} uger.",
                  f"The course is longer than {limit / 5:g} weeks.")
    if profile.unemployed_weeks is None:
        return _missing(
            "seks_uger", "Oplys hvor mange uger du har været ledig: retten afhænger af det.",
            "Tell us how many weeks you have been unemployed: the right depends on it.",
            STAR_SEKS)
    unemployed_since = s.today - timedelta(weeks=profile.unemployed_weeks)
    wait = _rate(index, "seks_uger", "wait_weeks", s.today)
    wait_weeks = wait.amount if wait else 5
    weeks_at_start = (s.start - unemployed_since).days / 7
    if not entry.from_day_one and weeks_at_start < wait_weeks:
        return no(f"Retten begynder efter {wait_weeks:g} ugers ledighed, og holdet starter før.",
                  f"The right starts after {wait_weeks:g} weeks of unemployment; the session "
                  "starts before that.")
    months_rate = _rate(index, "seks_uger", "deadline_months_under_25" if profile.age < 25
                        else "deadline_months_25_plus", s.today)
    months = int(months_rate.amount) if months_rate else (6 if profile.age < 25 else 9)
    deadline = _add_months(unemployed_since, months)
    if s.end > deadline:
        return no(f"Kurset skal være afsluttet inden for de første {months} måneders ledighed "
                  f"(senest {deadline.isoformat()}), men holdet slutter {s.end.isoformat()}.",
                  f"The course must be finished within the first {months} months of "
                  f"unemployment (by {deadline.isoformat()}), but the session ends "
                  f"{s.end.isoformat()}.")
    decider_da = "jobcentret" if fleksjob else "din a-kasse"
    decider_en = "the job centre" if fleksjob else "your a-kasse"
    group = f" ({entry.erhvervsgruppe})" if entry.erhvervsgruppe else ""
    return Funding("seks_uger", True, (_reason(
        "seks_uger",
        f"Kurset er på positivlisten{group}. Du beholder din ydelse, og jobcentret betaler "
        f"kurset. Det er {decider_da}, der afgør det. Afslut senest {deadline.isoformat()}.",
        f"The course is on the positive list{group}. You keep your benefit and the job centre "
        f"pays for the course. {decider_en.capitalize()} decides. Finish by "
        f"{deadline.isoformat()}.", STAR_SEKS),))


def _regional_pulje(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                    _done: list[Funding]) -> Funding:
    """domain.md §2b: den regionale uddannelsespulje (own or adjacent RAR area's list)."""
    no = partial(_refusal, "regional_pulje", STAR_PULJE)

    if profile.status == "fleksjob_unemployed" or profile.benefit == "ledighedsydelse":
        return no("Puljen gælder ikke for ledige fleksjobbere.",
                  "The pool does not apply to unemployed flexjob holders.")
    if profile.status != "unemployed":
        return no("Puljen er for ledige.", "The pool is for unemployed people.")
    if s.rar_code is None:
        return _missing(
            "regional_pulje", "Vi kender ikke dit RAR-område; oplys din kommune.",
            "We do not know your RAR area; tell us your municipality.", STAR_PULJE)
    areas = frozenset({s.rar_code} | index.adjacency.get(s.rar_code, frozenset()))
    entry = _listed(index, course, "regional_pulje", s.start, areas)
    if entry is None:
        unknown = _unpublished(index, "regional_pulje", s.start, "regional_pulje", STAR_PULJE)
        if unknown is not None:
            return unknown
        return no("Kurset er ikke på den regionale positivliste i dit eller et naboområde. "
                  "Jobcentret kan dog bevilge det, hvis en arbejdsgiver skriftligt lover dig "
                  "job i mindst 3 måneder.",
                  "The course is not on the regional positive list of your area or a "
                  "neighbouring one. The job centre can still grant it if an employer promises "
                  "you a job of at least 3 months in writing.")
    where = index.rar_names.get(entry.rar_code or "", entry.rar_code or "")
    return Funding("regional_pulje", True, (_reason(
        "regional_pulje",
        f"Kurset er på positivlisten for {where}. Jobcentret kan bevilge det fra første "
        "ledighedsdag og afgør det.",
        f"The course is on the positive list of {where}. The job centre can grant it from "
        "the first day of unemployment and decides.", STAR_PULJE),))


def _veu(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
         _done: list[Funding]) -> Funding:
    """domain.md §4: VEU-godtgørelse for employed people up to EUD level."""
    no = partial(_refusal, "veu", UG_VEU)

    if profile.status not in ("employed", "self_employed"):
        return no("VEU-godtgørelse er for lønmodtagere og selvstændige i arbejde.",
                  "The VEU allowance is for people in work, employed or self-employed.")
    if index.education_rank.get(profile.education_level, 0) > index.eud_rank \
            and not profile.education_outdated:
        return no("Med en videregående uddannelse, du har brugt de seneste 5 år, er der ikke "
                  "VEU-godtgørelse.",
                  "With a higher education used in the last 5 years there is no VEU allowance.")
    if course.delivery == "online":
        return no("Der gives ikke VEU-godtgørelse til fjernundervisning.",
                  "There is no VEU allowance for distance learning.")
    rate = _rate(index, "veu", "dkk_week", s.today)
    amount = rate.amount * _weeks(course) if rate else None
    text_da = ("AUB udbetaler VEU-godtgørelse, til din arbejdsgiver hvis du får løn under kurset. "
               "Du skal have arbejdet mindst 14 dage omkring kurset.")
    text_en = ("AUB pays the VEU allowance, to your employer if you are paid during the course. "
               "You must have worked at least 14 days around the course.")
    if rate and amount is not None:
        text_da += f" Sats {rate.year}: {_kr(rate.amount)} kr. om ugen, i alt ca. {_kr(amount)} kr."
        text_en += (f" Rate {rate.year}: DKK {_kr(rate.amount)} a week, about DKK {_kr(amount)} "
                    "in all.")
    eligible: bool | str = True
    if course.kind == "eud":
        eligible = MAYBE
        text_da = "Kun hvis faget er et enkeltfag med i en FKB. " + text_da
        text_en = "Only if the subject is a single subject listed in an FKB. " + text_en
    return Funding("veu", eligible, (_reason("veu", text_da, text_en,
                                             rate.source_url if rate else UG_VEU),),
                   amount_dkk=amount)


def _befordring(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                done: list[Funding]) -> Funding:
    """domain.md §4: transport subsidy beyond 24 km a day, for those with VEU."""
    veu = next((f for f in done if f.scheme == "veu"), None)
    if veu is None or veu.eligible is False:
        return Funding("befordring", False, (_reason(
            "befordring", "Befordringstilskud kræver ret til VEU-godtgørelse.",
            "The transport subsidy requires a right to the VEU allowance.", BORGER_BEFORDRING),))
    if s.distance_km is None:
        return _missing(
            "befordring", "Oplys dit postnummer, så vi kan regne afstanden ud.",
            "Tell us your postcode so we can work out the distance.", BORGER_BEFORDRING)
    free = _rate(index, "befordring", "km_free_per_day", s.today)
    cap = _rate(index, "befordring", "km_max_per_day", s.today)
    per_km = _rate(index, "befordring", "dkk_km", s.today)
    daily = min(2 * s.distance_km, cap.amount if cap else 576.0)
    paid_km = daily - (free.amount if free else 24.0)
    if paid_km <= 0:
        return Funding("befordring", False, (_reason(
            "befordring", "Der er højst 24 km om dagen frem og tilbage.",
            "The daily return trip is at most 24 km.", BORGER_BEFORDRING),))
    amount = paid_km * per_km.amount * course.duration_days if per_km else None
    eligible = veu.eligible
    text_da = f"Tilskud til {paid_km:.0f} km om dagen ud over de første 24 km."
    text_en = f"A subsidy for {paid_km:.0f} km a day beyond the first 24 km."
    if per_km and amount is not None:
        text_da += f" Sats {per_km.year}: {per_km.amount:.2f} kr./km, ca. {_kr(amount)} kr. i alt."
        text_en += f" Rate {per_km.year}: DKK {per_km.amount:.2f}/km, about DKK {_kr(amount)}."
    return Funding("befordring", eligible, (_reason(
        "befordring", text_da, text_en, per_km.source_url if per_km else BORGER_BEFORDRING),),
        amount_dkk=amount)


def _amu_fee(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
             _done: list[Funding]) -> Funding:
    """domain.md §3: the AMU participant fee for the target group, full price above it."""
    unemployed_da = (" Som ledig kan du ikke selv tilmelde dig: det sker gennem jobcentret."
                     if profile.status in UNEMPLOYED else "")
    unemployed_en = (" As an unemployed person you cannot sign up yourself: the job centre does it."
                     if profile.status in UNEMPLOYED else "")
    if course.kind == "ikv":
        return Funding("amu_fee", True, (_reason(
            "amu_fee", "IKV er gratis." + unemployed_da, "IKV is free of charge." + unemployed_en,
            UVM_AMU),), amount_dkk=0.0)
    if index.education_rank.get(profile.education_level, 0) > index.eud_rank:
        price = course.price_dkk
        return Funding("amu_fee", False, (_reason(
            "amu_fee",
            "Med en videregående uddannelse er du uden for AMU-målgruppen og betaler fuld pris"
            + (f" ({_kr(price)} kr.)." if price else ".") + unemployed_da,
            "With a higher education you are outside the AMU target group and pay the full price"
            + (f" (DKK {_kr(price)})." if price else ".") + unemployed_en, UVM_AMU),),
            amount_dkk=float(price) if price is not None else None)
    fee = course.fee_target_group_dkk
    if fee is None:
        text_da, text_en = "Du betaler den almindelige deltagerbetaling.", "You pay the usual fee."
    elif fee == 0:
        text_da, text_en = "Der er ingen deltagerbetaling.", "There is no participant fee."
    else:
        text_da = f"Du betaler deltagerbetaling på {_kr(fee)} kr."
        text_en = f"You pay a participant fee of DKK {_kr(fee)}."
    return Funding("amu_fee", True, (_reason("amu_fee", text_da + unemployed_da,
                                             text_en + unemployed_en, UVM_AMU),),
                   amount_dkk=float(fee) if fee is not None else None)


def _uddannelsesloeft(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                      _done: list[Funding]) -> Funding:
    """domain.md §2c: a vocational education on 80 % or 110 % of dagpenge, from age 30."""
    no = partial(_refusal, "uddannelsesloeft", UG_LOEFT)

    min_age = _rate(index, "uddannelsesloeft", "min_age", s.today)
    if profile.age < (min_age.amount if min_age else 30):
        return no("Uddannelsesløft kræver, at du er fyldt 30 år.",
                  "Uddannelsesløft requires you to be 30 or older.")
    if profile.status != "unemployed":
        return no("Uddannelsesløft er for ledige på dagpenge.",
                  "Uddannelsesløft is for unemployed people on dagpenge.")
    if profile.benefit is None:
        return _missing(
            "uddannelsesloeft", "Oplys din ydelse: uddannelsesløft kræver dagpenge.",
            "Tell us your benefit: uddannelsesløft requires dagpenge.", UG_LOEFT)
    lacks_skills = _skill_status(profile, index) == "ufaglaert" or profile.education_outdated
    if profile.benefit == "kontanthjaelp" and lacks_skills and course.kind == "eud":
        # Job-ready kontanthjælp recipients of 30+ may take an EUD grundforløb via the pool.
        return Funding("uddannelsesloeft", MAYBE, (_reason(
            "uddannelsesloeft",
            "Er du jobparat, kan du måske tage et grundforløb via uddannelsesløftpuljen. "
            "Jobcentret afgør det.",
            "If you are job-ready, you may be able to take a basic course (grundforløb) through "
            "the uddannelsesløft pool. The job centre decides.",
            "https://www.rk.dk/jobcenter/borger/uddannelse/uddannelsesloeft-dagpengemodtagere/"),))
    if profile.benefit != "dagpenge":
        return no("Uddannelsesløft kræver, at du får dagpenge.",
                  "Uddannelsesløft requires you to receive dagpenge.")
    if not lacks_skills:
        return no("Uddannelsesløft er for ufaglærte og faglærte med en forældet uddannelse.",
                  "Uddannelsesløft is for unskilled people and skilled people with an outdated "
                  "education.")
    listed = _listed(index, course, "uddannelsesloeft", s.start, None) is not None
    unknown = None if listed else _unpublished(index, "uddannelsesloeft", s.start,
                                               "uddannelsesloeft", UG_LOEFT)
    if unknown is not None:
        return unknown
    unit = "pct_dagpenge_positive_list" if listed else "pct_dagpenge"
    rate = _rate(index, "uddannelsesloeft", unit, s.today)
    percent = rate.amount if rate else (110 if listed else 80)
    return Funding("uddannelsesloeft", True, (_reason(
        "uddannelsesloeft",
        f"Du kan tage uddannelsen med {percent:g} % af din dagpengesats"
        + (" (den er på positivlisten)." if listed else ".")
        + " Jobcentret bevilger det efter en realkompetencevurdering.",
        f"You can take the education on {percent:g} % of your dagpenge rate"
        + (" (it is on the positive list)." if listed else ".")
        + " The job centre grants it after a recognition of prior learning.",
        rate.source_url if rate else UG_LOEFT),))


def _voksenlaerling(profile: Profile, course: Course, s: Situation, index: CatalogIndex,
                    _done: list[Funding]) -> Funding:
    """domain.md §2d: the employer's wage subsidy for an adult apprentice (25+)."""
    no = partial(_refusal, "voksenlaerling", STAR_VOKSEN)

    min_age = _rate(index, "voksenlaerling", "min_age", s.today)
    if profile.age < (min_age.amount if min_age else 25):
        return no("Voksenlærling kræver, at du er fyldt 25 år, når aftalen starter.",
                  "An adult apprenticeship requires you to be 25 when the agreement starts.")
    own_area = frozenset({s.rar_code}) if s.rar_code else frozenset()
    listed = (_listed(index, course, "voksenlaerling", s.start, None) is not None
              or _listed(index, course, "voksenlaerling", s.start, own_area) is not None)
    unskilled = _skill_status(profile, index) == "ufaglaert"
    weeks = profile.unemployed_weeks
    unknown = None if listed else _unpublished(index, "voksenlaerling", s.start,
                                               "voksenlaerling", STAR_VOKSEN)
    ok_da = ("Din arbejdsgiver kan få løntilskud i praktiktiden. Kommunen, hvor arbejdspladsen "
             "ligger, afgør det; der skal søges senest 1 måned efter start.")
    ok_en = ("Your employer can get a wage subsidy during the workplace periods. The "
             "municipality where the workplace is decides; apply within 1 month of the start.")
    if profile.status in ("employed", "self_employed"):
        if unskilled and listed:
            return Funding("voksenlaerling", True, (_reason("voksenlaerling", ok_da, ok_en,
                                                            STAR_VOKSEN),))
        if unskilled and unknown is not None:
            return unknown
        return no("Som beskæftiget gælder det kun ufaglærte og kun uddannelser på positivlisten.",
                  "For people in work it applies only to the unskilled and only to educations "
                  "on the positive list.")
    if profile.status == "unemployed" and profile.benefit is None:
        return _missing(
            "voksenlaerling", "Oplys din ydelse: ordningen gælder ledige på dagpenge, kontanthjælp eller "
                       "uddannelseshjælp.",
            "Tell us your benefit: the scheme applies to unemployed people on dagpenge, "
            "kontanthjælp or uddannelseshjælp.", STAR_VOKSEN)
    if profile.status != "unemployed" or profile.benefit in ("ledighedsydelse", "none"):
        return no("Ordningen er for ledige på dagpenge, kontanthjælp eller uddannelseshjælp og "
                  "for beskæftigede ufaglærte.",
                  "The scheme is for unemployed people on dagpenge, kontanthjælp or "
                  "uddannelseshjælp and for unskilled people in work.")
    if weeks is None:
        return _missing(
            "voksenlaerling", "Oplys hvor længe du har været ledig: det afgør, om du er i målgruppen.",
            "Tell us how long you have been unemployed: it decides whether you are in the "
            "target group.", STAR_VOKSEN)
    if unskilled:
        qualifies = weeks > 8  # more than 2 months of unemployment
        rule_da, rule_en = "ufaglærte efter mere end 2 måneders ledighed", \
            "unskilled people after more than 2 months of unemployment"
    elif profile.education_outdated:
        qualifies, rule_da, rule_en = True, "faglærte med en forældet uddannelse", \
            "skilled people with an outdated education"
    else:
        if 26 < weeks <= 52 and unknown is not None:
            return unknown
        qualifies = weeks > 52 or (weeks > 26 and listed)  # more than 12 / 6 months
        rule_da = "faglærte efter 12 måneders ledighed, eller 6 måneder hvor der er mangel"
        rule_en = "skilled people after 12 months of unemployment, or 6 where labour is short"
    if not qualifies:
        return no(f"Ordningen gælder {rule_da}.", f"The scheme applies to {rule_en}.")
    return Funding("voksenlaerling", True, (_reason("voksenlaerling", ok_da, ok_en,
                                                    STAR_VOKSEN),))
