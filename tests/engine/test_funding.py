"""Funding eligibility, case by case, against the rules in domain.md §2–§5.

Every row names the rule it checks (section and fact). The expectations come from domain.md,
not from the engine: a failing row is a disagreement between the engine and the rules.
The reference day is builders.TODAY (2026-12-01); `unemployed_weeks` counts back from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pytest

from matcher.data.reasons import render
from matcher.engine.funding import Situation, cost_to_person, funding_for
from matcher.engine.model import (
    FUNDING_SCHEMES,
    Education,
    Funding,
    FundingRate,
    PositiveListEntry,
    RuleVersion,
)
from tests.engine.builders import RATES, TODAY, make_course, make_index, make_profile

MAYBE = "maybe"
CODE = "c1"

# The default session starts two weeks after TODAY and lasts a week (5 course days).
START = date(2026, 12, 14)
END = date(2026, 12, 18)

# Positive-list entries for the course under test.
SEKS = PositiveListEntry("seks_uger", CODE, erhvervsgruppe="Transport")
SEKS_DAY_ONE = replace(SEKS, from_day_one=True)
SEKS_EXPIRED = replace(SEKS, valid_from=date(2025, 3, 1), valid_to=date(2026, 2, 28))
# The list itself goes on (another course's entry is current): only this entry has lapsed.
SEKS_CURRENT_ELSEWHERE = replace(SEKS, course="other_course", valid_from=date(2026, 3, 1))
SEKS_ENDS = replace(SEKS, valid_from=date(2026, 3, 1), valid_to=date(2026, 11, 30))
LOEFT = PositiveListEntry("uddannelsesloeft", CODE)
VOKSEN = PositiveListEntry("voksenlaerling", CODE)


def pool(rar_code: str) -> PositiveListEntry:
    return PositiveListEntry("regional_pulje", CODE, rar_code=rar_code)


# Profile shapes used by many rows (make_profile's default: unemployed on dagpenge, 34 years,
# grundskole, 8 weeks unemployed, Herning 7400).
EMPLOYED: dict[str, Any] = {"status": "employed", "benefit": "none", "unemployed_weeks": None}
FLEKSJOB: dict[str, Any] = {"status": "fleksjob_unemployed", "benefit": "ledighedsydelse"}
SKILLED: dict[str, Any] = {"education_level": "eud", "has_eud": True}
# A whole vocational education, and a single EUD subject (ug.dk VEU: they are funded apart).
WHOLE_EUD: dict[str, Any] = {"kind": "eud", "duration_days": 700}
SOSU_EUD: dict[str, Any] = {**WHOLE_EUD, "education": "eud_sosu_assistent"}
SOSU = Education("eud_sosu_assistent", "Social- og sundhedsassistent", "eud")

# Sources of the rows added by issue 9 (each checked 2026-12-01; course_catalog/README.md).
RK_SEKS = "https://www.rk.dk/jobcenter/borger/uddannelse/6-ugers-uddannelse-dagpengemodtagere/"
ASE = "https://www.ase.dk/selvstaendig/faa-svar/kurser-og-efteruddannelse/befordring-til-efteruddannelse"
HERNING = "https://jobcenter.herning.dk/borger/muligheder-for-jobsoegere/voksenlaerling/"
JOBNET = "https://info.jobnet.dk/arbejdsgiver/fakta-om-jobcentrenes-tilbud/tilskud-til-voksenlaerlinge/"
STAR_VOKSEN = "https://star.dk/da/indsatser-og-ordninger/virksomhedsrettede-redskaber/voksenlaerling/"
IU = "https://iu.dk/uddannelser/efteruddannelse/amu-kurser/priser/"
L66 = "https://www.lovguiden.dk/ (L 66 2025-26, lov nr. 1750 af 29/12/2025)"
SVU = "https://www.ug.dk/uddannelser/artikleromuddannelser/oekonomi/statens-voksenuddannelsesstoette-svu"

# Dated rows: a VEU rate valid only in 2026 and a rule version that ends 2026-12-31.
VEU_2026 = FundingRate("veu", 2026, "dkk_week", 5086, "https://bm.dk/", valid_to=date(2026, 12, 31))
DATED_RATES = (*(r for r in RATES if (r.scheme, r.unit) != ("veu", "dkk_week")), VEU_2026)
SEKS_RULES = (RuleVersion("seks_uger", date(2026, 2, 1), date(2026, 12, 31),
                          source_url="https://star.dk/da/implementering/beskaeftigelsesreform/proces"),)
POOL_80 = FundingRate("uddannelsesloeft", 2023, "pct_dagpenge", 80, "https://www.lovguiden.dk/",
                      valid_to=date(2026, 6, 30))
POOL_ENDED = (*(r for r in RATES if (r.scheme, r.unit) != ("uddannelsesloeft", "pct_dagpenge")),
              POOL_80)
HERNING_RATES = (*RATES,
                 FundingRate("voksenlaerling", 2023, "dkk_hour_unemployed", 45, HERNING),
                 FundingRate("voksenlaerling", 2023, "dkk_hour_employed", 30, HERNING))


@dataclass(frozen=True)
class Case:
    id: str
    scheme: str
    expected: bool | str
    rule: str
    profile: dict[str, Any] = field(default_factory=dict)
    course: dict[str, Any] = field(default_factory=dict)
    lists: tuple[PositiveListEntry, ...] = ()
    start: date = START
    end: date = END
    distance_km: float | None = 10.0
    rar_code: str | None = "VESTJ"
    reason: str | None = None  # a substring of the Danish reason text
    amount: float | None = None
    rates: tuple[FundingRate, ...] = RATES
    rules: tuple[RuleVersion, ...] = ()


CASES: list[Case] = [
    # --- seks ugers jobrettet uddannelse (domain.md §2a) ---------------------------------
    Case("seks_uger/unskilled_dagpenge_8_weeks", "seks_uger", True,
         "domain.md §2a: an unskilled dagpenge recipient past the 5-week wait may take a listed course",
         lists=(SEKS,)),
    Case("seks_uger/a_kasse_decides_for_dagpenge", "seks_uger", True,
         "domain.md §2a: the a-kasse decides the right for dagpenge recipients",
         lists=(SEKS,), reason="a-kasse"),
    Case("seks_uger/erhvervsgruppe_named", "seks_uger", True,
         "domain.md §2a: eligibility is scoped to the erhvervsgruppe of the approved course",
         lists=(SEKS,), reason="Transport"),
    Case("seks_uger/week_4_session_today", "seks_uger", False,
         "domain.md §2a: the right starts after 5 weeks' unemployment (4 weeks is too early)",
         profile={"unemployed_weeks": 4}, lists=(SEKS,), start=TODAY, end=date(2026, 12, 4),
         reason="5 uge"),
    Case("seks_uger/week_5_session_today", "seks_uger", True,
         "domain.md §2a: the right starts after 5 weeks' unemployment (5 weeks is enough)",
         profile={"unemployed_weeks": 5}, lists=(SEKS,), start=TODAY, end=date(2026, 12, 4)),
    Case("seks_uger/week_4_session_starts_after_wait", "seks_uger", True,
         "domain.md §2a: the 5-week wait is over when a session starting in 13 days begins",
         profile={"unemployed_weeks": 4}, lists=(SEKS,)),
    Case("seks_uger/week_4_from_day_one", "seks_uger", True,
         "domain.md §2a: starred courses can be taken from day 1, overriding the 5-week wait",
         profile={"unemployed_weeks": 4}, lists=(SEKS_DAY_ONE,), start=TODAY,
         end=date(2026, 12, 4)),
    Case("seks_uger/week_0_from_day_one", "seks_uger", True,
         "domain.md §2a: starred courses can be taken from the first day of unemployment",
         profile={"unemployed_weeks": 0}, lists=(SEKS_DAY_ONE,), start=TODAY,
         end=date(2026, 12, 4)),
    Case("seks_uger/from_day_one_keeps_9_month_deadline", "seks_uger", False,
         "domain.md §2a: a starred course skips the wait, not the 9-month completion limit "
         "(45 weeks unemployed is already past 9 months)",
         profile={"unemployed_weeks": 45}, lists=(SEKS_DAY_ONE,)),
    Case("seks_uger/under_25_within_6_months", "seks_uger", True,
         "domain.md §2a: under 25 the course must be finished within 6 months; it ends at ~10 weeks",
         profile={"age": 22}, lists=(SEKS,)),
    Case("seks_uger/age_24_ends_after_6_months", "seks_uger", False,
         "domain.md §2a: under 25 the course must be completed within the first 6 months "
         "(unemployed since 2026-06-30, deadline 2026-12-30, session ends 2027-01-15)",
         profile={"age": 24, "unemployed_weeks": 22}, lists=(SEKS,),
         start=date(2027, 1, 11), end=date(2027, 1, 15), reason="6 måneder"),
    Case("seks_uger/age_25_same_session_within_9_months", "seks_uger", True,
         "domain.md §2a: from 25 the limit is 9 months (deadline 2027-03-30, session ends 2027-01-15)",
         profile={"age": 25, "unemployed_weeks": 22}, lists=(SEKS,),
         start=date(2027, 1, 11), end=date(2027, 1, 15)),
    Case("seks_uger/age_40_ends_before_9_months", "seks_uger", True,
         "domain.md §2a: 25+ must finish within 9 months (since 2026-05-05, deadline 2027-02-05; "
         "session ends 2027-01-22)",
         profile={"age": 40, "unemployed_weeks": 30}, lists=(SEKS,),
         start=date(2027, 1, 18), end=date(2027, 1, 22)),
    Case("seks_uger/age_40_ends_after_9_months", "seks_uger", False,
         "domain.md §2a: 25+ must finish within 9 months (deadline 2027-02-05; session ends "
         "2027-02-19)",
         profile={"age": 40, "unemployed_weeks": 30}, lists=(SEKS,),
         start=date(2027, 2, 15), end=date(2027, 2, 19), reason="9 måneder"),
    Case("seks_uger/kontanthjaelp", "seks_uger", False,
         "domain.md §2a and §5: kontanthjælp recipients do not have the 6-week right",
         profile={"benefit": "kontanthjaelp"}, lists=(SEKS,)),
    Case("seks_uger/uddannelseshjaelp", "seks_uger", False,
         "domain.md §2a and §5: uddannelseshjælp recipients do not have the 6-week right",
         profile={"benefit": "uddannelseshjaelp", "age": 22}, lists=(SEKS,)),
    Case("seks_uger/unemployed_without_benefit", "seks_uger", False,
         "domain.md §2a: the person must be a dagpengemodtager or an unemployed fleksjob holder",
         profile={"benefit": "none"}, lists=(SEKS,)),
    Case("seks_uger/fleksjob_unemployed", "seks_uger", True,
         "domain.md §2a: 'godkendt til fleksjob og ledig' is eligible; the job centre decides",
         profile=FLEKSJOB, lists=(SEKS,), reason="jobcentret"),
    Case("seks_uger/ledighedsydelse_benefit", "seks_uger", True,
         "domain.md §2a: ledighedsydelse recipients (approved for fleksjob, unemployed) are "
         "eligible and the job centre decides",
         profile={"benefit": "ledighedsydelse"}, lists=(SEKS,), reason="jobcentret"),
    Case("seks_uger/employed", "seks_uger", False,
         "domain.md §2a: the right is for the unemployed (dagpenge or ledig fleksjobber)",
         profile=EMPLOYED, lists=(SEKS,)),
    Case("seks_uger/gymnasial_counts_as_unskilled", "seks_uger", True,
         "domain.md §2a and §6: a gymnasium graduate is ufaglært and eligible",
         profile={"education_level": "gymnasial"}, lists=(SEKS,)),
    Case("seks_uger/eud_holder", "seks_uger", True,
         "domain.md §2a: holders of an EUD are eligible",
         profile=SKILLED, lists=(SEKS,)),
    Case("seks_uger/erhvervsakademi_with_eud", "seks_uger", True,
         "domain.md §2a: holders of both an erhvervsakademi education and an EUD are eligible",
         profile={"education_level": "kvu", "has_eud": True}, lists=(SEKS,)),
    Case("seks_uger/erhvervsakademi_without_eud", "seks_uger", False,
         "domain.md §2a: an erhvervsakademi education without an EUD is a higher education only",
         profile={"education_level": "kvu"}, lists=(SEKS,)),
    Case("seks_uger/akademiuddannelse_with_eud", "seks_uger", True,
         "domain.md §2a and §6: an akademiuddannelse is erhvervsakademi level (5); with an EUD "
         "the person is eligible",
         profile={"education_level": "akademi", "has_eud": True}, lists=(SEKS,)),
    Case("seks_uger/profbach_with_eud", "seks_uger", False,
         "domain.md §2a: only erhvervsakademi level plus EUD is allowed, not a professionsbachelor",
         profile={"education_level": "mvu_profbach", "has_eud": True}, lists=(SEKS,)),
    Case("seks_uger/higher_education_only", "seks_uger", False,
         "domain.md §2a: people with only a higher education are not eligible",
         profile={"education_level": "lvu_kandidat"}, lists=(SEKS,)),
    Case("seks_uger/not_on_list", "seks_uger", False,
         "domain.md §2a: only courses on the national positive list qualify"),
    Case("seks_uger/only_on_regional_list", "seks_uger", False,
         "domain.md §2: the regional pool list is a different list from the six-week list",
         lists=(pool("VESTJ"),)),
    Case("seks_uger/list_entry_expired", "seks_uger", False,
         "domain.md §2a: the list is valid from 1 March each year; last year's entry has lapsed",
         lists=(SEKS_EXPIRED, SEKS_CURRENT_ELSEWHERE)),
    Case("seks_uger/next_list_not_published", "seks_uger", MAYBE,
         "design.md §6: a session after the last day any published list covers gets 'maybe' "
         "(rules_not_published), not an old answer",
         lists=(SEKS_ENDS,), reason="offentliggjort"),
    Case("seks_uger/longer_than_6_weeks", "seks_uger", False,
         "domain.md §2a: courses can total up to 6 weeks; a 7-week course does not fit",
         course={"duration_days": 35}, lists=(SEKS,)),
    Case("seks_uger/exactly_6_weeks", "seks_uger", True,
         "domain.md §2a: courses can total up to 6 weeks (30 course days)",
         course={"duration_days": 30}, lists=(SEKS,)),
    Case("seks_uger/akademi_age_24", "seks_uger", False,
         "domain.md §2a: selected academy modules require age ≥ 25",
         profile={"age": 24}, course={"kind": "akademi"}, lists=(SEKS,)),
    Case("seks_uger/akademi_age_25", "seks_uger", True,
         "domain.md §2a: selected academy modules are open from age 25",
         profile={"age": 25}, course={"kind": "akademi"}, lists=(SEKS,)),
    Case("seks_uger/amu_age_24", "seks_uger", True,
         "domain.md §2a: the age-25 condition is for academy modules only, not AMU courses",
         profile={"age": 24}, lists=(SEKS,)),
    Case("seks_uger/benefit_missing", "seks_uger", MAYBE,
         "domain.md §2a + design.md §6: the right depends on the benefit; unknown gives maybe",
         profile={"benefit": None}, lists=(SEKS,), reason="ydelse"),
    Case("seks_uger/unemployed_weeks_missing", "seks_uger", MAYBE,
         "domain.md §2a + design.md §6: the wait and deadline depend on the unemployment length",
         profile={"unemployed_weeks": None}, lists=(SEKS,), reason="ledig"),
    # --- den regionale uddannelsespulje (domain.md §2b) ----------------------------------
    Case("regional_pulje/own_area_list", "regional_pulje", True,
         "domain.md §2b: a course on the own RAR area's list can be granted",
         lists=(pool("VESTJ"),), reason="RAR Vestjylland"),
    Case("regional_pulje/adjacent_oestjylland", "regional_pulje", True,
         "domain.md §2b: a course on an adjacent RAR area's list (Østjylland) can be granted",
         lists=(pool("OESTJ"),), reason="RAR Østjylland"),
    Case("regional_pulje/adjacent_nordjylland", "regional_pulje", True,
         "domain.md §1/§2b: Nordjylland neighbours Vestjylland; its list may be used",
         lists=(pool("NORDJ"),)),
    Case("regional_pulje/adjacent_sydjylland", "regional_pulje", True,
         "domain.md §1/§2b: Sydjylland neighbours Vestjylland; its list may be used",
         lists=(pool("SYDJ"),)),
    Case("regional_pulje/adjacency_is_mutual", "regional_pulje", True,
         "domain.md §1/§2b: Vestjylland is adjacent to Østjylland, so an Østjylland resident may "
         "use the Vestjylland list",
         lists=(pool("VESTJ"),), rar_code="OESTJ"),
    Case("regional_pulje/non_adjacent_sjaelland", "regional_pulje", False,
         "domain.md §2b: only the own or an adjacent area's list counts, not Sjælland's",
         lists=(pool("SJAEL"),), reason="arbejdsgiver"),
    Case("regional_pulje/from_day_one", "regional_pulje", True,
         "domain.md §2b: a listed course can be granted from the first day of unemployment",
         profile={"unemployed_weeks": 0}, lists=(pool("VESTJ"),), start=TODAY,
         end=date(2026, 12, 4)),
    Case("regional_pulje/kontanthjaelp", "regional_pulje", True,
         "domain.md §2b and §5: kontanthjælp recipients can use the regional pool",
         profile={"benefit": "kontanthjaelp"}, lists=(pool("VESTJ"),)),
    Case("regional_pulje/uddannelseshjaelp", "regional_pulje", True,
         "domain.md §2b and §5: uddannelseshjælp recipients can use the regional pool",
         profile={"benefit": "uddannelseshjaelp", "age": 22}, lists=(pool("VESTJ"),)),
    Case("regional_pulje/higher_education", "regional_pulje", True,
         "domain.md §2b: all LAB § 6 target groups except fleksjobbere; education does not matter",
         profile={"education_level": "lvu_kandidat"}, lists=(pool("VESTJ"),)),
    Case("regional_pulje/fleksjob_unemployed", "regional_pulje", False,
         "domain.md §2b: since 2021 the pool is for all target groups except fleksjobbere",
         profile=FLEKSJOB, lists=(pool("VESTJ"),), reason="fleksjob"),
    Case("regional_pulje/ledighedsydelse", "regional_pulje", False,
         "domain.md §2b: ledighedsydelse recipients are fleksjobbere, excluded from the pool",
         profile={"benefit": "ledighedsydelse"}, lists=(pool("VESTJ"),)),
    Case("regional_pulje/employed", "regional_pulje", False,
         "domain.md §2b: the pool is one of the schemes for the unemployed",
         profile=EMPLOYED, lists=(pool("VESTJ"),)),
    Case("regional_pulje/not_listed", "regional_pulje", False,
         "domain.md §2b: without a list entry only an employer declaration opens the pool",
         reason="arbejdsgiver"),
    Case("regional_pulje/only_national_six_week_list", "regional_pulje", False,
         "domain.md §2: the six-week national list is not a regional pool list",
         lists=(SEKS,)),
    Case("regional_pulje/list_entry_expired", "regional_pulje", False,
         "domain.md §2b: the lists are republished twice a year; an entry that ended is not valid",
         lists=(replace(pool("VESTJ"), valid_to=date(2026, 9, 30)),
                replace(pool("VESTJ"), course="other_course", valid_from=date(2026, 10, 1)))),
    Case("regional_pulje/next_list_not_published", "regional_pulje", MAYBE,
         "design.md §6: every published pool list ended before the session: 'maybe'",
         lists=(replace(pool("VESTJ"), valid_to=date(2026, 9, 30)),), reason="offentliggjort"),
    Case("regional_pulje/rar_area_unknown", "regional_pulje", MAYBE,
         "domain.md §2b + design.md §6: the list depends on the RAR area; unknown gives maybe",
         lists=(pool("VESTJ"),), rar_code=None, reason="kommune"),
    # --- VEU-godtgørelse (domain.md §4) --------------------------------------------------
    Case("veu/employed_with_eud", "veu", True,
         "domain.md §4: employed wage earners with education up to EUD level get VEU; "
         "2023 rate 4,555 kr/week for a 5-day course",
         profile={**EMPLOYED, **SKILLED}, amount=4555.0),
    Case("veu/employed_unskilled_two_weeks", "veu", True,
         "domain.md §4: VEU is 100 % of the maximum dagpenge rate per week (2 weeks: 9,110 kr)",
         profile=EMPLOYED, course={"duration_days": 10}, amount=9110.0),
    Case("veu/self_employed", "veu", True,
         "domain.md §4: self-employed people are eligible for VEU",
         profile={**EMPLOYED, "status": "self_employed"}),
    Case("veu/higher_education_used_recently", "veu", False,
         "domain.md §4: education no higher than EUD level, unless not used for 5 years",
         profile={**EMPLOYED, "education_level": "lvu_kandidat"}),
    Case("veu/erhvervsakademi_used_recently", "veu", False,
         "domain.md §4: an erhvervsakademi education is above EUD level",
         profile={**EMPLOYED, "education_level": "kvu"}),
    Case("veu/higher_education_outdated", "veu", True,
         "domain.md §4: a higher education not used for 5 years does not block VEU",
         profile={**EMPLOYED, "education_level": "lvu_kandidat", "education_outdated": True}),
    Case("veu/unemployed", "veu", False,
         "domain.md §4: VEU is for people in work at the time of application",
         profile={}),
    Case("veu/distance_learning", "veu", MAYBE,
         "https://viden.stil.dk/pages/viewpage.action?pageId=121967316 : STIL's guide blocks only "
         "transport for distance learning, ug.dk says no VEU: sources disagree, AUB decides",
         profile=EMPLOYED, course={"delivery": "online"}, distance_km=None,
         reason="fjernundervisning"),
    Case("veu/rate_of_the_session_year", "veu", True,
         "design.md §5: rates are dated; a 2026 session uses the 2026 rate (5,086 kr/week)",
         profile=EMPLOYED, rates=DATED_RATES, amount=5086.0),
    Case("veu/rate_last_valid_day", "veu", True,
         "design.md §6: a session starting on the rate's last valid day uses it",
         profile=EMPLOYED, rates=DATED_RATES, start=date(2026, 12, 31), end=date(2027, 1, 6),
         amount=5086.0),
    Case("veu/rate_not_published", "veu", MAYBE,
         "design.md §6: the day after the newest rate ends, the answer is maybe, not an old rate",
         profile=EMPLOYED, rates=DATED_RATES, start=date(2027, 1, 1), end=date(2027, 1, 7),
         reason="ikke offentliggjort"),
    Case("veu/ikv", "veu", True,
         "domain.md §4: IKV is a qualifying course for VEU",
         profile=EMPLOYED, course={"kind": "ikv", "duration_days": 2}),
    Case("veu/eud_subject_unknown_fkb", "veu", MAYBE,
         "domain.md §4: EUD single subjects qualify only if FKB-listed; the catalogue does not say",
         profile=EMPLOYED, course={"kind": "eud"}, reason="FKB"),
    # --- befordringstilskud (domain.md §4) -----------------------------------------------
    Case("befordring/22_km_return", "befordring", False,
         "domain.md §4: only km beyond 24 km a day (return) are paid; 11 km one way is 22",
         profile=EMPLOYED, distance_km=11.0),
    Case("befordring/exactly_24_km_return", "befordring", False,
         "domain.md §4: only km beyond 24 km a day are paid; 12 km one way leaves nothing",
         profile=EMPLOYED, distance_km=12.0),
    Case("befordring/26_km_return", "befordring", True,
         "domain.md §4: 13 km one way is 26 km a day, 2 km beyond 24; 1.12 kr/km (2024) x 5 days",
         profile=EMPLOYED, distance_km=13.0, amount=2 * 1.12 * 5),
    Case("befordring/80_km_return", "befordring", True,
         "domain.md §4: 40 km one way is 80 km a day, 56 km paid at 1.12 kr/km (2024) x 5 days",
         profile=EMPLOYED, distance_km=40.0, amount=56 * 1.12 * 5),
    Case("befordring/daily_cap_576_km", "befordring", True,
         "domain.md §4: at most 576 km a day counts (400 km one way is capped), minus 24 km",
         profile=EMPLOYED, distance_km=400.0, amount=(576 - 24) * 1.12 * 5),
    Case("befordring/distance_learning", "befordring", False,
         "domain.md §4: no transport support for distance learning (borger.dk)",
         profile=EMPLOYED, course={"delivery": "online"}, distance_km=None,
         reason="fjernundervisning"),
    Case("befordring/unemployed_nothing_granted", "befordring", False,
         RK_SEKS + " : the unemployed get transport support on a course the a-kasse or job "
         "centre grants; nothing is granted here", distance_km=40.0, reason="bevilger"),
    Case("befordring/unemployed_seks_uger", "befordring", True,
         RK_SEKS + " : on seks ugers jobrettet uddannelse, transport beyond the first 24 km "
         "(40 km one way: 56 km a day at 1.12 kr/km x 5 days)",
         lists=(SEKS,), distance_km=40.0, amount=56 * 1.12 * 5, reason="A-kassen"),
    Case("befordring/unemployed_regional_pool", "befordring", True,
         ASE + " : a course the job centre grants from the regional pool also qualifies",
         profile={"benefit": "kontanthjaelp"}, lists=(pool("VESTJ"),), distance_km=40.0),
    Case("befordring/unemployed_seks_uger_close", "befordring", False,
         RK_SEKS + " : only the km beyond 24 a day count (11 km one way)",
         lists=(SEKS,), distance_km=11.0),
    Case("befordring/unemployed_online", "befordring", False,
         "https://www.borger.dk/oekonomi-skat-su/Tilskud-og-stoetteordninger/"
         "Befordringstilskud-til-arbejdsmarkedsuddannelser : no transport for distance learning",
         lists=(SEKS,), course={"delivery": "online"}, distance_km=None),
    Case("befordring/higher_education_no_veu", "befordring", False,
         "domain.md §4: no VEU with a recently used higher education, so no befordring",
         profile={**EMPLOYED, "education_level": "mvu_profbach"}, distance_km=40.0),
    Case("befordring/distance_unknown", "befordring", MAYBE,
         "domain.md §4 + design.md §6: the subsidy depends on the distance; no postcode gives maybe",
         profile={**EMPLOYED, "postcode": None}, distance_km=None, reason="postnummer"),
    # --- AMU participant fee (domain.md §3) ----------------------------------------------
    Case("amu_fee/unskilled_target_group", "amu_fee", True,
         "domain.md §3: ufaglærte are in the AMU target group and pay the participant fee",
         profile=EMPLOYED, amount=900.0),
    Case("amu_fee/eud_target_group", "amu_fee", True,
         "domain.md §3: the target group goes up to and including EUD level",
         profile={**EMPLOYED, **SKILLED}, amount=900.0),
    Case("amu_fee/higher_education_full_price", "amu_fee", False,
         "domain.md §3: people with a higher education may attend but pay full price",
         profile={**EMPLOYED, "education_level": "mvu_profbach"}, amount=6000.0,
         reason="fuld pris"),
    Case("amu_fee/akademi_level_full_price", "amu_fee", False,
         "domain.md §3: an academy education (level 5) is above EUD level: full price",
         profile={**EMPLOYED, "education_level": "akademi"}, amount=6000.0),
    Case("amu_fee/ikv_free", "amu_fee", True,
         "domain.md §3: there is no participant fee for IKV",
         profile=EMPLOYED, course={"kind": "ikv", "duration_days": 2}, amount=0.0),
    Case("amu_fee/area_without_fee", "amu_fee", True,
         "domain.md §3: no fee in e.g. the pedagogical and social-and-health areas (fee 0)",
         profile=EMPLOYED, course={"fee_target_group_dkk": 0}, amount=0.0),
    Case("amu_fee/unemployed_through_job_centre", "amu_fee", True,
         "domain.md §3: unemployed people cannot self-enrol; they go through the job centre",
         reason="jobcentret"),
    Case("amu_fee/job_centre_pays_no_fee", "amu_fee", True,
         RK_SEKS + " : the job centre pays a granted course, so the card never also says "
         "'you pay the fee'", lists=(SEKS,), amount=0.0, reason="ingen deltagerbetaling"),
    Case("amu_fee/unused_higher_education", "amu_fee", True,
         IU + " : a higher education not used for 5 years pays the target-group fee",
         profile={**EMPLOYED, "education_level": "lvu_kandidat", "education_outdated": True},
         amount=900.0),
    # --- uddannelsesløft (domain.md §2c) -------------------------------------------------
    Case("uddannelsesloeft/age_29", "uddannelsesloeft", False,
         "domain.md §2c: uddannelsesløft requires age ≥ 30",
         profile={"age": 29}, course=WHOLE_EUD),
    Case("uddannelsesloeft/age_30", "uddannelsesloeft", True,
         "domain.md §2c: from age 30 an unskilled dagpenge recipient qualifies",
         profile={"age": 30}, course=WHOLE_EUD),
    Case("uddannelsesloeft/80_pct_not_on_list", "uddannelsesloeft", True,
         "domain.md §2c: normally 80 % of the dagpenge rate",
         course=WHOLE_EUD, reason="80 %"),
    Case("uddannelsesloeft/110_pct_on_list", "uddannelsesloeft", True,
         "domain.md §2c: 110 % if the EUD is on the uddannelsesløft positive list",
         course=WHOLE_EUD, lists=(LOEFT,), reason="110 %"),
    Case("uddannelsesloeft/euv_on_list", "uddannelsesloeft", True,
         "domain.md §2c: the EUD may be taken as EUV after an RKV; 110 % when listed",
         course={"kind": "euv"}, lists=(LOEFT,), reason="110 %"),
    Case("uddannelsesloeft/gymnasial_unskilled", "uddannelsesloeft", True,
         "domain.md §2c and §6: a gymnasium graduate counts as ufaglært",
         profile={"education_level": "gymnasial"}, course=WHOLE_EUD),
    Case("uddannelsesloeft/skilled_current", "uddannelsesloeft", False,
         "domain.md §2c: a faglært person qualifies only with an outdated education",
         profile=SKILLED, course=WHOLE_EUD),
    Case("uddannelsesloeft/skilled_outdated", "uddannelsesloeft", True,
         "domain.md §2c: faglært with an education not used in the last 5 years qualifies",
         profile={**SKILLED, "education_outdated": True}, course=WHOLE_EUD),
    Case("uddannelsesloeft/employed", "uddannelsesloeft", False,
         "domain.md §2c: uddannelsesløft is an EUD while on dagpenge, for the unemployed",
         profile=EMPLOYED, course=WHOLE_EUD),
    Case("uddannelsesloeft/kontanthjaelp_30_plus", "uddannelsesloeft", False,
         L66 + " : the kontanthjælp route went through puljen til uddannelsesløft, abolished; "
         "the 110 % right (LAB § 97 a) is for dagpenge recipients",
         profile={"benefit": "kontanthjaelp"}, course=WHOLE_EUD),
    Case("uddannelsesloeft/pool_last_day", "uddannelsesloeft", True,
         L66 + " : a session on the pool's last day still gets 80 %",
         course=WHOLE_EUD, rates=POOL_ENDED, start=date(2026, 6, 30), end=date(2026, 7, 6),
         reason="80 %"),
    Case("uddannelsesloeft/pool_ended", "uddannelsesloeft", False,
         L66 + " : the day after the pool ends, 80 % is gone; only listed educations (110 %)",
         course=WHOLE_EUD, rates=POOL_ENDED, start=date(2026, 7, 1), end=date(2026, 7, 7),
         reason="afskaffet"),
    Case("uddannelsesloeft/pool_ended_listed_110", "uddannelsesloeft", True,
         L66 + " : the 110 % right for listed educations goes on after the pool",
         course=WHOLE_EUD, rates=POOL_ENDED, lists=(LOEFT,), reason="110 %"),
    Case("uddannelsesloeft/benefit_missing", "uddannelsesloeft", MAYBE,
         "domain.md §2c + design.md §6: the rate is a share of dagpenge; unknown benefit gives maybe",
         profile={"benefit": None}, course=WHOLE_EUD, reason="ydelse"),
    # --- voksenlærling (domain.md §2d) ---------------------------------------------------
    Case("voksenlaerling/age_24", "voksenlaerling", False,
         "domain.md §2d: the apprentice must be ≥ 25 when the training agreement starts",
         profile={"age": 24, "unemployed_weeks": 12}, course={"kind": "voksenlaerling"}),
    Case("voksenlaerling/age_25", "voksenlaerling", True,
         "domain.md §2d: from 25 an unskilled person unemployed more than 2 months qualifies",
         profile={"age": 25, "unemployed_weeks": 12}, course={"kind": "voksenlaerling"}),
    Case("voksenlaerling/unskilled_2_weeks", "voksenlaerling", True,
         HERNING + " : no prior unemployment is required of an unemployed ufaglært (45 kr/h)",
         profile={"unemployed_weeks": 2}, course=WHOLE_EUD, start=TODAY,
         rates=HERNING_RATES, reason="45 kr. i timen i tilskud i hele praktiktiden"),
    Case("voksenlaerling/employed_unskilled_30_kr", "voksenlaerling", True,
         HERNING + " : employed ufaglærte on a listed education: 30 kr/h for up to 2 years",
         profile=EMPLOYED, course=WHOLE_EUD, lists=(VOKSEN,), rates=HERNING_RATES,
         reason="30 kr. i timen i tilskud i op til 2 år"),
    Case("voksenlaerling/sosu_voksenelevloen", "voksenlaerling", False,
         STAR_VOKSEN + " : no subsidy for SOSU and PAU apprentices with voksenelevløn",
         profile={"unemployed_weeks": 12}, course=SOSU_EUD, reason="voksenelevløn"),
    Case("voksenlaerling/on_an_euv", "voksenlaerling", True,
         "design.md §5a: voksenlærling is a way to take a whole education, here as EUV",
         profile={"unemployed_weeks": 12}, course={"kind": "euv"}),
    Case("voksenlaerling/unskilled_kontanthjaelp", "voksenlaerling", True,
         "domain.md §2d and §5: kontanthjælp recipients are in the voksenlærling target group",
         profile={"benefit": "kontanthjaelp", "unemployed_weeks": 12}, course=WHOLE_EUD),
    Case("voksenlaerling/unemployed_without_benefit", "voksenlaerling", False,
         "domain.md §2d: the unemployed target groups are dagpenge, kontanthjælp, "
         "uddannelseshjælp or integrationsydelse recipients",
         profile={"benefit": "none", "unemployed_weeks": 12}, course=WHOLE_EUD),
    Case("voksenlaerling/fleksjob_ledighedsydelse", "voksenlaerling", False,
         "domain.md §2d: ledighedsydelse is not one of the unemployed target groups' benefits",
         profile={**FLEKSJOB, "unemployed_weeks": 12}, course=WHOLE_EUD),
    Case("voksenlaerling/skilled_outdated", "voksenlaerling", True,
         "domain.md §2d: faglært with an outdated education is in the target group",
         profile={**SKILLED, "education_outdated": True, "unemployed_weeks": 4},
         course=WHOLE_EUD),
    Case("voksenlaerling/skilled_26_weeks_listed", "voksenlaerling", False,
         JOBNET + " : faglært needs MORE than 6 months' unemployment; 26 weeks is not more",
         profile={**SKILLED, "unemployed_weeks": 26}, course=WHOLE_EUD, lists=(VOKSEN,),
         start=TODAY),
    Case("voksenlaerling/skilled_6_months_listed", "voksenlaerling", True,
         JOBNET + " : faglært with more than 6 months' unemployment (28 weeks)",
         profile={**SKILLED, "unemployed_weeks": 28}, course=WHOLE_EUD, lists=(VOKSEN,),
         start=TODAY),
    Case("voksenlaerling/skilled_6_months_not_listed", "voksenlaerling", True,
         JOBNET + " : the normal rule is more than 6 months' unemployment, list or not",
         profile={**SKILLED, "unemployed_weeks": 28}, course=WHOLE_EUD, start=TODAY),
    Case("voksenlaerling/skilled_52_weeks_not_listed", "voksenlaerling", True,
         JOBNET + " : more than 6 months' unemployment (52 weeks), list or not",
         profile={**SKILLED, "unemployed_weeks": 52}, course=WHOLE_EUD, start=TODAY),
    Case("voksenlaerling/skilled_12_months", "voksenlaerling", True,
         "domain.md §2d: faglært with more than 12 months' unemployment, list or not (54 weeks)",
         profile={**SKILLED, "unemployed_weeks": 54}, course=WHOLE_EUD, start=TODAY),
    Case("voksenlaerling/employed_unskilled_listed", "voksenlaerling", True,
         "domain.md §2d: employed ufaglærte qualify if the education is on the positive list",
         profile=EMPLOYED, course=WHOLE_EUD, lists=(VOKSEN,)),
    Case("voksenlaerling/employed_unskilled_not_listed", "voksenlaerling", False,
         "domain.md §2d: employed ufaglærte qualify only if the education is on the positive list",
         profile=EMPLOYED, course=WHOLE_EUD),
    Case("voksenlaerling/employed_skilled_listed", "voksenlaerling", False,
         "domain.md §2d: of the employed, only ufaglærte are in the target group",
         profile={**EMPLOYED, **SKILLED}, course=WHOLE_EUD, lists=(VOKSEN,)),
    Case("voksenlaerling/unemployed_weeks_missing", "voksenlaerling", MAYBE,
         "domain.md §2d + design.md §6: a skilled person's target group depends on the "
         "unemployment length",
         profile={**SKILLED, "unemployed_weeks": None}, course=WHOLE_EUD, reason="ledig"),
    Case("voksenlaerling/benefit_missing", "voksenlaerling", MAYBE,
         "domain.md §2d + design.md §6: unemployed target groups are dagpenge, kontanthjælp, "
         "uddannelseshjælp or integrationsydelse; an unknown benefit gives maybe",
         profile={"benefit": None, "unemployed_weeks": 12}, course=WHOLE_EUD),
    # --- SVU for akademi and diplom modules (ug.dk, svu.dk) ------------------------------
    Case("svu/employed_unskilled_akademi", "svu", MAYBE,
         SVU + " : employed adults of 25+ without a higher education; only if the module is "
         "taught full time", profile=EMPLOYED, course={"kind": "akademi"}, reason="fuld tid"),
    Case("svu/unemployed", "svu", False,
         SVU + " : SVU is for people in work", course={"kind": "akademi"}),
    Case("svu/too_young", "svu", False,
         SVU + " : SVU requires age 25", profile={**EMPLOYED, "age": 24},
         course={"kind": "diplom"}),
    Case("svu/master_degree", "svu", False,
         SVU + " : as a rule no SVU with a higher education used in the last 5 years",
         profile={**EMPLOYED, "education_level": "lvu_kandidat"}, course={"kind": "diplom"}),
    Case("svu/short_higher_education", "svu", MAYBE,
         "https://svu.dk/uddannelser-med-svu/svu-til-videregaaende-uddannelser : a KVU does not "
         "exclude SVU", profile={**EMPLOYED, "education_level": "kvu"},
         course={"kind": "diplom"}),
    # --- dated rule versions (design.md §6) ------------------------------------------------
    Case("rules/last_valid_day", "seks_uger", True,
         "design.md §6: a session starting on the last day of the published rules is answered",
         lists=(SEKS,), rules=SEKS_RULES, start=date(2026, 12, 31), end=date(2026, 12, 31)),
    Case("rules/day_after", "seks_uger", MAYBE,
         "design.md §6: the day after the newest published rules end, the answer is maybe",
         lists=(SEKS,), rules=SEKS_RULES, start=date(2027, 1, 1), end=date(2027, 1, 7),
         reason="ikke offentliggjort"),
]


def situation(case: Case) -> Situation:
    return Situation(TODAY, case.start, case.end, case.distance_km, case.rar_code)


def evaluate(case: Case) -> tuple[Funding, ...]:
    course = make_course(CODE, (), **case.course)
    index = make_index(courses=(course,), positive_lists=case.lists, rates=case.rates,
                       rules=case.rules, educations=(SOSU,))
    return funding_for(make_profile(**case.profile), course, situation(case), index)


def scheme_result(case: Case) -> Funding:
    found = [f for f in evaluate(case) if f.scheme == case.scheme]
    assert len(found) == 1, f"{case.scheme} is not evaluated for a {case.course.get('kind', 'amu')} course"
    return found[0]


def test_the_table_covers_every_scheme_and_outcome() -> None:
    assert len(CASES) >= 45
    assert len({case.id for case in CASES}) == len(CASES)
    assert {case.scheme for case in CASES} == set(FUNDING_SCHEMES)
    assert {case.expected for case in CASES} == {True, False, MAYBE}
    assert all(case.rule.startswith(("domain.md §", "design.md §", "https://"))
               for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_funding_eligibility_follows_the_rules(case: Case) -> None:
    result = scheme_result(case)
    assert result.eligible == case.expected and type(result.eligible) is type(case.expected), (
        f"{case.rule}: expected {case.expected!r}, got {result.eligible!r} "
        f"({' / '.join(render(r, 'en') for r in result.reasons)})")
    assert result.reasons, "every answer says why"
    if case.reason is not None:
        text = " ".join(render(r, "da") for r in result.reasons)
        assert case.reason in text, f"{case.rule}: {case.reason!r} not in {text!r}"
    if case.amount is not None:
        assert result.amount_dkk == pytest.approx(case.amount), case.rule


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_every_reason_has_texts_and_a_source_url(case: Case) -> None:
    for funding in evaluate(case):
        assert funding.eligible in (True, False, MAYBE)
        for reason in funding.reasons:
            assert render(reason, "da").strip() and render(reason, "en").strip(), funding.scheme
            assert reason.source is not None and reason.source.startswith("https://"), (
                f"{funding.scheme}: reason {reason.message!r} has no source URL")


@dataclass(frozen=True)
class CostCase:
    id: str
    expected: float
    rule: str
    profile: dict[str, Any] = field(default_factory=dict)
    course: dict[str, Any] = field(default_factory=dict)
    lists: tuple[PositiveListEntry, ...] = ()


COST_CASES: list[CostCase] = [
    CostCase("unemployed_seks_uger", 0.0,
             "domain.md §2a: the citizen keeps dagpenge and the job centre pays the course",
             lists=(SEKS,)),
    CostCase("fleksjob_seks_uger", 0.0,
             "domain.md §2a: for an unemployed fleksjob holder the job centre pays the course",
             profile=FLEKSJOB, lists=(SEKS,)),
    CostCase("kontanthjaelp_regional_pool", 0.0,
             "domain.md §2b: the job centre grants a pool course, paid by the municipality and pool",
             profile={"benefit": "kontanthjaelp"}, lists=(pool("VESTJ"),)),
    CostCase("higher_education_regional_pool", 0.0,
             "domain.md §2b: a pool course is paid for whatever the person's education",
             profile={"education_level": "lvu_kandidat"}, lists=(pool("OESTJ"),)),
    CostCase("unemployed_nothing_listed", 900.0,
             "domain.md §3: without a job-centre scheme the target group pays the participant fee"),
    CostCase("employed_unskilled", 900.0,
             "domain.md §3: the target group pays the participant fee (deltagerbetaling)",
             profile=EMPLOYED),
    CostCase("employed_eud", 900.0,
             "domain.md §3: faglærte are in the target group and pay the participant fee",
             profile={**EMPLOYED, **SKILLED}, lists=(SEKS,)),
    CostCase("employed_fee_free_area", 0.0,
             "domain.md §3: no fee in the pedagogical and social-and-health areas",
             profile=EMPLOYED, course={"fee_target_group_dkk": 0}),
    CostCase("employed_higher_education", 6000.0,
             "domain.md §3: people with a higher education pay full price",
             profile={**EMPLOYED, "education_level": "lvu_kandidat"}),
    CostCase("employed_ikv", 0.0,
             "domain.md §3: there is no participant fee for IKV",
             profile=EMPLOYED, course={"kind": "ikv", "duration_days": 2}),
]


@pytest.mark.parametrize("case", COST_CASES, ids=lambda case: case.id)
def test_cost_to_person(case: CostCase) -> None:
    course = make_course(CODE, (), **case.course)
    index = make_index(courses=(course,), positive_lists=case.lists)
    profile = make_profile(**case.profile)
    funding = funding_for(profile, course, Situation(TODAY, START, END, 10.0, "VESTJ"), index)
    assert cost_to_person(profile, course, funding) == pytest.approx(case.expected), case.rule


def test_a_list_entry_for_an_official_course_holds_at_every_provider() -> None:
    """STAR lists the official course (AMU målnummer), valid wherever it is taught."""
    here = make_course("here", (), official_code="40125")
    there = make_course("there", (), official_code="40125", provider="p2")
    other = make_course("other", (), official_code="99999")
    entry = PositiveListEntry("seks_uger", None, erhvervsgruppe="Transport",
                              official_code="40125")
    index = make_index(courses=(here, there, other), positive_lists=(entry,))
    situation = Situation(TODAY, START, END, 10.0, "VESTJ")
    answers = {c.code: next(f.eligible for f in funding_for(make_profile(), c, situation, index)
                            if f.scheme == "seks_uger") for c in (here, there, other)}
    assert answers == {"here": True, "there": True, "other": False}


def test_a_whole_eud_gets_education_schemes_and_a_single_subject_course_schemes() -> None:
    """ug.dk VEU: VEU covers single subjects in an FKB, never a whole EUD; uddannelsesløft
    and voksenlærling are for whole educations, never a 10-day subject."""
    situation = Situation(TODAY, START, END, 10.0, "VESTJ")
    index = make_index()
    subject = make_course("subject", (), kind="eud", duration_days=10)
    whole = make_course("whole", (), **WHOLE_EUD)
    schemes = {c.code: [f.scheme for f in funding_for(make_profile(), c, situation, index)]
               for c in (subject, whole)}
    assert schemes == {"subject": ["seks_uger", "regional_pulje", "veu", "befordring"],
                       "whole": ["uddannelsesloeft", "voksenlaerling"]}
    assert cost_to_person(make_profile(), whole, ()) == 0.0
