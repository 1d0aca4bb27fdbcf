"""The texts of the engine's reasons, and the one place they are rendered in a language.

The engine says why with a message key and values (matcher.engine.model.Reason); MESSAGES
holds the Danish template of every key, and the gettext domain `reasons`
(matcher/translations/<lang>/LC_MESSAGES/reasons.po, Danish msgid) translates it. Values are
formatted for the language: dates and numbers by Babel, catalogue titles from their Label.
A new language is a new reasons.po; the engine does not change (docs/translations.md).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import Translations

from matcher.engine.model import Label, Phrase, Reason, ReasonValue

__all__ = ["DOMAIN", "MESSAGES", "TRANSLATIONS", "date_range", "half_year", "long_date",
           "placeholders", "render"]

DOMAIN = "reasons"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# Babel locale used to format values: the English texts are British ("neighbouring",
# "DKK 1,234"), so dates read "4 December 2026" and lists "a, b and c".
FORMAT_LOCALES = {"en": "en_GB"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_HALF_YEAR = re.compile(r"(\d{4})H([12])")


def N_(message: str) -> str:
    """Marks a template for `pybabel extract -k N_`; it is translated when rendered."""
    return message


MESSAGES: dict[str, str] = {
    # --- funding: seks ugers jobrettet uddannelse (domain.md §2a) -----------------------
    "seks_uger.not_unemployed": N_(
        "Kun for ledige på dagpenge og ledige, der er godkendt til fleksjob."),
    "seks_uger.benefit_unknown": N_(
        "Vi ved ikke, hvilken ydelse du får. Retten gælder dagpenge og ledighedsydelse."),
    "seks_uger.wrong_benefit": N_(
        "Retten gælder kun for dagpengemodtagere og ledige fleksjobbere, ikke for kontanthjælp "
        "eller uddannelseshjælp."),
    "seks_uger.higher_education": N_(
        "Med en videregående uddannelse har du ikke ret til seks ugers jobrettet uddannelse."),
    "seks_uger.not_listed": N_(
        "Kurset er ikke på positivlisten for seks ugers jobrettet uddannelse."),
    "seks_uger.academy_age": N_("Akademimoduler på listen kræver, at du er fyldt %(age)s år."),
    "seks_uger.too_long": N_("Kurset er længere end %(weeks)s uger."),
    "seks_uger.weeks_unknown": N_(
        "Oplys hvor mange uger du har været ledig: retten afhænger af det."),
    "seks_uger.too_early": N_(
        "Retten begynder efter %(weeks)s ugers ledighed, og holdet starter før."),
    "seks_uger.too_late": N_(
        "Kurset skal være afsluttet inden for de første %(months)s måneders ledighed (senest "
        "%(deadline)s), men holdet slutter %(end)s."),
    "seks_uger.granted_a_kasse": N_(
        "Kurset er på positivlisten. Du beholder din ydelse, og jobcentret betaler kurset. Det "
        "er din a-kasse, der afgør det. Afslut senest %(deadline)s."),
    "seks_uger.granted_a_kasse_group": N_(
        "Kurset er på positivlisten (%(group)s). Du beholder din ydelse, og jobcentret betaler "
        "kurset. Det er din a-kasse, der afgør det. Afslut senest %(deadline)s."),
    "seks_uger.granted_job_centre": N_(
        "Kurset er på positivlisten. Du beholder din ydelse, og jobcentret betaler kurset. Det "
        "er jobcentret, der afgør det. Afslut senest %(deadline)s."),
    "seks_uger.granted_job_centre_group": N_(
        "Kurset er på positivlisten (%(group)s). Du beholder din ydelse, og jobcentret betaler "
        "kurset. Det er jobcentret, der afgør det. Afslut senest %(deadline)s."),
    "rules_not_published.rules": N_(
        "Reglerne eller satserne efter %(horizon)s er ikke offentliggjort endnu, så vi kan ikke "
        "sige det sikkert. Spørg jobcentret eller a-kassen."),
    "rules_not_published.list": N_(
        "Positivlisten for perioden efter %(horizon)s er ikke offentliggjort endnu, så vi kan "
        "ikke sige, om kurset kommer med. Spørg jobcentret eller a-kassen."),
    # --- funding: den regionale uddannelsespulje (§2b) ----------------------------------
    "regional_pulje.fleksjob": N_("Puljen gælder ikke for ledige fleksjobbere."),
    "regional_pulje.not_unemployed": N_("Puljen er for ledige."),
    "regional_pulje.area_unknown": N_("Vi kender ikke dit RAR-område; oplys din kommune."),
    "regional_pulje.not_listed": N_(
        "Kurset er ikke på den regionale positivliste i dit eller et naboområde. Jobcentret kan "
        "dog bevilge det, hvis en arbejdsgiver skriftligt lover dig job i mindst 3 måneder."),
    "regional_pulje.granted": N_(
        "Kurset er på positivlisten for %(area)s. Jobcentret kan bevilge det fra første "
        "ledighedsdag og afgør det."),
    # --- funding: VEU-godtgørelse and befordringstilskud (§4) ----------------------------
    "veu.not_working": N_("VEU-godtgørelse er for lønmodtagere og selvstændige i arbejde."),
    "veu.higher_education": N_(
        "Med en videregående uddannelse, du har brugt de seneste 5 år, er der ikke "
        "VEU-godtgørelse."),
    "veu.distance_learning": N_(
        "Kurset er fjernundervisning. Kilderne er uenige om VEU-godtgørelse til "
        "fjernundervisning, så AUB afgør det. %(terms)s"),
    "veu.granted": N_(
        "AUB udbetaler VEU-godtgørelse, til din arbejdsgiver hvis du får løn under kurset. Du "
        "skal have arbejdet mindst 14 dage omkring kurset."),
    "veu.granted_rate": N_(
        "AUB udbetaler VEU-godtgørelse, til din arbejdsgiver hvis du får løn under kurset. Du "
        "skal have arbejdet mindst 14 dage omkring kurset. Sats %(year)s: %(rate)s kr. om "
        "ugen, i alt ca. %(amount)s kr."),
    "veu.fkb_only": N_("Kun hvis faget er et enkeltfag med i en FKB. %(terms)s"),
    "befordring.needs_veu": N_("Befordringstilskud kræver ret til VEU-godtgørelse."),
    "befordring.needs_grant": N_(
        "Som ledig får du befordringsgodtgørelse til et kursus, som a-kassen eller jobcentret "
        "bevilger, fx 6 ugers jobrettet uddannelse eller et kursus fra den regionale pulje."),
    "befordring.online": N_("Der er ikke tilskud til transport ved fjernundervisning."),
    "befordring.postcode_unknown": N_("Oplys dit postnummer, så vi kan regne afstanden ud."),
    "befordring.too_close": N_("Der er højst 24 km om dagen frem og tilbage."),
    "befordring.granted": N_(
        "Befordringstilskud fra AUB til %(km)s km om dagen ud over de første 24 km. %(terms)s"),
    "befordring.unemployed": N_(
        "Befordringsgodtgørelse til %(km)s km om dagen ud over de første 24 km. A-kassen "
        "afgør det, hvis du får dagpenge, ellers jobcentret. %(terms)s"),
    "befordring.rate": N_("Sats %(year)s: %(rate)s kr./km, ca. %(amount)s kr. i alt."),
    "befordring.no_rate": N_("Satsen pr. km fastsættes hvert år."),
    # --- funding: AMU participant fee (§3) -----------------------------------------------
    "amu_fee.ikv_free": N_("IKV er gratis."),
    "amu_fee.full_price": N_(
        "Med en videregående uddannelse er du uden for AMU-målgruppen og betaler fuld pris "
        "(%(price)s kr.)."),
    "amu_fee.full_price_unknown": N_(
        "Med en videregående uddannelse er du uden for AMU-målgruppen og betaler fuld pris."),
    "amu_fee.usual_fee": N_("Du betaler den almindelige deltagerbetaling."),
    "amu_fee.no_fee": N_("Der er ingen deltagerbetaling."),
    "amu_fee.fee": N_("Du betaler deltagerbetaling på %(fee)s kr."),
    "amu_fee.job_centre_pays": N_(
        "Jobcentret betaler kurset, når det er bevilget, så du betaler ingen "
        "deltagerbetaling."),
    "amu_fee.via_job_centre": N_(
        "%(terms)s Som ledig kan du ikke selv tilmelde dig: det sker gennem jobcentret."),
    # --- funding: uddannelsesløft (§2c) --------------------------------------------------
    "uddannelsesloeft.too_young": N_("Uddannelsesløft kræver, at du er fyldt %(age)s år."),
    "uddannelsesloeft.not_unemployed": N_("Uddannelsesløft er for ledige på dagpenge."),
    "uddannelsesloeft.benefit_unknown": N_("Oplys din ydelse: uddannelsesløft kræver dagpenge."),
    "uddannelsesloeft.wrong_benefit": N_("Uddannelsesløft kræver, at du får dagpenge."),
    "uddannelsesloeft.skilled": N_(
        "Uddannelsesløft er for ufaglærte og faglærte med en forældet uddannelse."),
    "uddannelsesloeft.granted": N_(
        "Du kan tage uddannelsen med højst %(percent)s %% af den højeste dagpengesats "
        "(puljen til uddannelsesløft). Jobcentret bevilger det efter en "
        "realkompetencevurdering."),
    "uddannelsesloeft.pool_ended": N_(
        "Uddannelsesløft med 80 %% af dagpengene gik gennem puljen til uddannelsesløft, som "
        "er afskaffet (sidste dag %(ended)s). Nu er der kun retten til 110 %% for "
        "uddannelser på positivlisten."),
    "uddannelsesloeft.granted_listed": N_(
        "Du kan tage uddannelsen med %(percent)s %% af din dagpengesats, dog højst "
        "%(percent)s %% af den højeste sats, fordi den er på positivlisten. Jobcentret "
        "bevilger det efter en realkompetencevurdering."),
    # --- funding: voksenlærling (§2d) ----------------------------------------------------
    "voksenlaerling.too_young": N_(
        "Voksenlærling kræver, at du er fyldt %(age)s år, når aftalen starter."),
    "voksenlaerling.granted": N_(
        "Din arbejdsgiver kan få løntilskud i praktiktiden. Kommunen, hvor arbejdspladsen "
        "ligger, afgør det; der skal søges senest 1 måned efter start."),
    "voksenlaerling.granted_unemployed": N_(
        "Din arbejdsgiver kan få %(rate)s kr. i timen i tilskud i hele praktiktiden (regler "
        "fra %(since)s). Kommunen, hvor arbejdspladsen ligger, afgør det; der skal søges "
        "senest 1 måned efter start."),
    "voksenlaerling.granted_employed": N_(
        "Din arbejdsgiver kan få %(rate)s kr. i timen i tilskud i op til 2 år (regler fra "
        "%(since)s). Kommunen, hvor arbejdspladsen ligger, afgør det; der skal søges senest "
        "1 måned efter start."),
    "voksenlaerling.voksenelevloen": N_(
        "Som elev på %(education)s har du ret til voksenelevløn efter overenskomsten, og "
        "arbejdsgiveren får derfor ikke voksenlærlingetilskud."),
    "voksenlaerling.employed_rule": N_(
        "Som beskæftiget gælder det kun ufaglærte og kun uddannelser på positivlisten."),
    "voksenlaerling.benefit_unknown": N_(
        "Oplys din ydelse: ordningen gælder ledige på dagpenge, kontanthjælp eller "
        "uddannelseshjælp."),
    "voksenlaerling.not_target_group": N_(
        "Ordningen er for ledige på dagpenge, kontanthjælp eller uddannelseshjælp og for "
        "beskæftigede ufaglærte."),
    "voksenlaerling.weeks_unknown": N_(
        "Oplys hvor længe du har været ledig: det afgør, om du er i målgruppen."),
    "voksenlaerling.rule_skilled": N_(
        "Ordningen gælder faglærte efter mere end 6 måneders ledighed, og faglærte med en "
        "forældet uddannelse."),
    # --- funding: SVU (Statens Voksenuddannelsesstøtte), akademi and diplom modules -------
    "svu.not_working": N_("SVU er for voksne i arbejde, lønmodtagere og selvstændige."),
    "svu.too_young": N_("SVU kræver, at du er fyldt %(age)s år."),
    "svu.higher_education": N_(
        "SVU gives som udgangspunkt ikke, hvis du har en videregående uddannelse ud over en "
        "kort, som du har brugt de seneste 5 år."),
    "svu.full_time_only": N_(
        "Du kan måske få SVU, hvis modulet er tilrettelagt på fuld tid, og du har været "
        "ansat mindst 26 uger. %(terms)s"),
    "svu.rate": N_("Sats %(year)s: %(rate)s kr. om ugen."),
    "svu.no_rate": N_("Satsen er 60 %% af den højeste dagpengesats."),
    # --- occupations ---------------------------------------------------------------------
    "shortage.omfattende_mangel": N_(
        "%(area)s har omfattende mangel på arbejdskraft (%(rating_period)s)."),
    "shortage.mangel": N_("%(area)s har mangel på arbejdskraft (%(rating_period)s)."),
    "shortage.paradoks": N_(
        "%(area)s har paradoksproblemer (%(rating_period)s): arbejdsgiverne har svært ved at "
        "få folk, selv om mange i faget er ledige. Med de rigtige kvalifikationer er "
        "jobmulighederne rigtig gode."),
    "period.half1": N_("1. halvår %(year)s"),
    "period.half2": N_("2. halvår %(year)s"),
    "shortage.gode": N_("%(area)s har gode jobmuligheder (%(rating_period)s)."),
    "shortage.mindre_gode": N_("%(area)s har mindre gode jobmuligheder (%(rating_period)s)."),
    "shortage.unrated": N_("Ingen vurdering for %(area)s i balancen."),
    "proximity": N_("Du har allerede %(percent)s %% af det, jobbet kræver."),
    "experience": N_("Du har erfaring fra jobbet."),
    "missing": N_("Du mangler %(count)s: %(skills)s."),
    "missing.more": N_("Du mangler %(count)s: %(skills)s og %(more)s mere."),
    "route.vocational": N_("Jobbet kræver en erhvervsuddannelse. Vej dertil: %(courses)s."),
    "route.higher": N_("Jobbet kræver en videregående uddannelse. Vej dertil: %(courses)s."),
    "interest": N_("Du har selv valgt jobbet."),
    "ready": N_("Du har allerede det, jobbet kræver."),
    "needs.education": N_("en uddannelse"),
    "needs.authorisation": N_("en bestemt uddannelse (autorisation)"),
    "no_route_now": N_(
        "Jobbet kræver %(needs)s. Der findes en vej dertil, men ikke en der passer lige nu: "
        "%(why_not)s"),
    "out_of_reach": N_(
        "Jobbet kræver %(needs)s, og kataloget har ingen vej dertil. Se uddannelserne på ug.dk, "
        "eller tal med jobcentret om dine muligheder."),
    # --- courses, near misses, paths -----------------------------------------------------
    "closes_gap": N_(
        "Giver dig %(closed)s af de %(missing)s kompetencer, du mangler som %(occupation)s."),
    "linked": N_("Målrettet %(occupation)s."),
    "session.online": N_("Online. Næste hold starter %(start)s."),
    "session.distance": N_("Næste hold starter %(start)s, %(km)s km fra dig."),
    "session.start": N_("Næste hold starter %(start)s."),
    "prerequisites.not_stated": N_("Kurset kræver %(skills)s, som du ikke har oplyst, at du har."),
    "prerequisites.not_yet": N_("Kurset kræver %(skills)s, som du ikke har endnu."),
    "start.too_soon": N_("Næste hold starter %(start)s: for snart til, at du kan nå at søge."),
    "start.too_late": N_("Næste hold starter %(start)s, senere end du kan starte."),
    "distance.too_far": N_("Holdet ligger %(km)s km fra dig, længere end du vil rejse."),
    "near_miss.start": N_("Næste hold starter uden for den periode, du kan starte i."),
    "near_miss.distance": N_("Holdet ligger længere væk, end du vil rejse."),
    "near_miss.full": N_("Holdet er fuldt booket."),
    "near_miss.schedule": N_("Undervisningen ligger på et tidspunkt, du ikke kan."),
    "near_miss.length": N_("Kurset er længere, end du ønsker."),
    "near_miss.prerequisites": N_("Kurset kræver en kompetence, du ikke har endnu."),
    "near_miss.education": N_("Kurset kræver en højere uddannelse."),
    "near_miss.age": N_("Kræver, at du er fyldt 25 år."),
    "near_miss.none": N_("Ingen hold passer til dine svar lige nu."),
    "path": N_(
        "%(steps)s trin giver dig %(closed)s af %(total)s manglende kompetencer som "
        "%(occupation)s. Færdig %(completion)s."),
    # --- routes to becoming skilled ------------------------------------------------------
    "assessment": N_("Start med en kompetencevurdering: %(course)s."),
    "length": N_("Cirka %(days)s dage."),
    "length.euv": N_("Op til %(days)s dage. Længden afgøres ved en kompetencevurdering."),
    "length.euv_track": N_(
        "Op til %(days)s dage. Længden afgøres ved en kompetencevurdering (forventet "
        "%(track)s)."),
    "pay.apprentice": N_("Du er ansat som voksenlærling og får løn fra arbejdsgiveren."),
    "pay.apprentice_option": N_(
        "Som voksenlærling med en uddannelsesaftale får du løn fra arbejdsgiveren, mindst "
        "den laveste overenskomstløn for ufaglærte i faget."),
    "pay.uddannelsesloeft": N_(
        "Du kan måske beholde dine dagpenge under uddannelsen (uddannelsesløft). A-kassen og "
        "jobcentret afgør det."),
    "pay.employed": N_(
        "Med en uddannelsesaftale får du løn under uddannelsen. Tal med din arbejdsgiver."),
    "pay.other": N_(
        "Hvad du kan leve af under uddannelsen, afhænger af din situation. Spørg jobcentret "
        "eller a-kassen."),
    # --- notices ---------------------------------------------------------------------------
    "too_little_information": N_(
        "Vi ved for lidt om dig til at foreslå job, du er tæt på. Tilføj %(add)s."),
    "add.jobs": N_("de job, du har haft, og hvor mange år"),
    "add.skills": N_("hvad du kan, og dine kørekort og certifikater"),
    "add.interests": N_("de job, du er nysgerrig på"),
    "add.more": N_("flere job eller kompetencer"),
    "outside_home_area": N_(
        "%(place)s ligger uden for %(area)s. Jobforslagene bygger på arbejdsmarkedet i "
        "%(area)s, og kurserne ligger i området. Bor du et andet sted, så spørg dit eget "
        "jobcenter."),
    "rules_not_published": N_(
        "Nogle hold starter efter den periode, reglerne og positivlisterne er offentliggjort "
        "for. Her svarer vi 'måske'."),
}


def render(reason: Reason, locale: str) -> str:
    """The reason as one text in locale ("da", "en"); an unknown key raises KeyError."""
    return _text(reason.message, reason.values, locale)


@cache
def placeholders(template: str) -> frozenset[str]:
    """The value names a template uses (`%(name)s`)."""
    return frozenset(_PLACEHOLDER.findall(template))


@lru_cache(maxsize=16_384)
def _text(message: str, values: tuple[tuple[str, ReasonValue], ...], locale: str) -> str:
    """Cached: a results page renders the same few funding and rule texts for every course,
    and the values are frozen (dates, labels, numbers), so one text per message and values."""
    template = MESSAGES[message]
    given = dict(values)
    if placeholders(template) != set(given):
        raise ValueError(f"reason {message!r} takes {sorted(placeholders(template))}, "
                         f"got {sorted(given)}")
    translated = _translations(locale).gettext(template)
    return translated % {name: _value(value, locale) for name, value in given.items()}


def _value(value: ReasonValue, locale: str) -> str:
    formats = FORMAT_LOCALES.get(locale, locale)
    if isinstance(value, str):
        return value
    if isinstance(value, Label):
        return (value.en or value.da) if locale == "en" else value.da
    if isinstance(value, Phrase):
        return _text(value.message, value.values, locale)
    if isinstance(value, tuple):
        return format_list([_text(p.message, p.values, locale) for p in value], locale=formats)
    if isinstance(value, date):
        return long_date(value, locale)
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, format="#,##0.00", locale=formats)  # a rate: kr. per km
    return format_decimal(round(value), locale=formats)


def half_year(period: str, locale: str) -> str:
    """A balance period as people say it ("2. halvår 2026"), not its key ("2026H2")."""
    found = _HALF_YEAR.fullmatch(period or "")
    if found is None:
        return period
    key = "period.half1" if found.group(2) == "1" else "period.half2"
    return _text(key, (("year", found.group(1)),), locale)


def long_date(day: date, locale: str) -> str:
    """A date as people write it ("4. december 2026", "4 December 2026"), never ISO in prose."""
    return format_date(day, format="long", locale=FORMAT_LOCALES.get(locale, locale))


def date_range(start: date, end: date, locale: str) -> str:
    """From-to as people write it: "4.–7. december 2026", "28. december 2026–8. januar 2027".

    Danish joins with an unspaced dash and writes the day with a full stop; English
    ("4–7 December 2026", "28 December 2026 – 8 January 2027") spaces the dash between
    dates that hold more than a day.
    """
    last = long_date(end, locale)
    if start >= end:
        return long_date(start, locale)
    formats = FORMAT_LOCALES.get(locale, locale)
    danish = locale == "da"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}.–{last}" if danish else f"{start.day}–{last}"
    first = (format_date(start, "d. MMMM" if danish else "d MMMM", locale=formats)
             if start.year == end.year else long_date(start, locale))
    return f"{first}–{last}" if danish else f"{first} – {last}"


@cache
def _translations(locale: str) -> NullTranslations:
    """The compiled reasons catalogue of locale; without one (Danish) the templates stand."""
    return Translations.load(str(TRANSLATIONS), [locale], domain=DOMAIN)
