"""The deadlines and deciders a funding answer carries (issue 13: the caseworker's view).

Seks ugers must be completed within the first 6 (under 25) or 9 months of unemployment
(domain.md §2a); a voksenlærling subsidy must be applied for within 1 month of the start
(§2d). Who decides follows §2–§4.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from matcher.engine.funding import DEADLINE_KIND, Situation, funding_for
from matcher.engine.model import DEADLINE_KINDS, DECIDERS, Deadline, Funding, PositiveListEntry
from tests.engine.builders import TODAY, make_course, make_index, make_profile

SEKS = PositiveListEntry("seks_uger", "c1")
VOKSEN = PositiveListEntry("voksenlaerling", "c1")
POOL = PositiveListEntry("regional_pulje", "c1", rar_code="VESTJ")


def answer(scheme: str, *, profile: dict[str, Any] | None = None,
           course: dict[str, Any] | None = None, start: date = date(2026, 12, 14),
           end: date = date(2026, 12, 18)) -> Funding:
    made = make_course("c1", (), **(course or {}))
    index = make_index(courses=(made,), positive_lists=(SEKS, VOKSEN, POOL))
    found = funding_for(make_profile(**(profile or {})), made,
                        Situation(TODAY, start, end, 40.0, "VESTJ"), index)
    return next(f for f in found if f.scheme == scheme)


@pytest.mark.parametrize(("age", "weeks", "deadline"), [
    (34, 8, date(2027, 7, 6)),   # unemployed since 6 Oct 2026, 9 months on
    (24, 8, date(2027, 4, 6)),   # under 25: 6 months
    (40, 30, date(2027, 2, 5)),  # since 5 May 2026, 9 months on
])
def test_seks_uger_says_when_the_course_must_be_completed(age: int, weeks: int,
                                                         deadline: date) -> None:
    result = answer("seks_uger", profile={"age": age, "unemployed_weeks": weeks})
    assert result.eligible is True
    assert result.deadline == Deadline("complete_by", deadline)


def test_a_course_ending_after_the_deadline_is_refused_and_keeps_the_deadline() -> None:
    result = answer("seks_uger", profile={"unemployed_weeks": 30},
                    start=date(2027, 2, 8), end=date(2027, 2, 12))
    assert result.eligible is False
    assert result.deadline == Deadline("complete_by", date(2027, 2, 5))


def test_no_deadline_when_the_weeks_of_unemployment_are_unknown() -> None:
    result = answer("seks_uger", profile={"unemployed_weeks": None})
    assert result.eligible == "maybe"
    assert result.deadline is None


def test_voksenlaerling_is_applied_for_within_a_month_of_the_start() -> None:
    result = answer("voksenlaerling", course={"kind": "euv", "duration_days": 700},
                    start=date(2027, 1, 31), end=date(2029, 1, 31))
    assert result.eligible is True
    assert result.deadline == Deadline("apply_by", date(2027, 2, 28))  # no 31 February


@pytest.mark.parametrize(("scheme", "profile", "course", "decider"), [
    ("seks_uger", {}, {}, "a_kasse"),
    ("seks_uger", {"status": "fleksjob_unemployed", "benefit": "ledighedsydelse"}, {},
     "jobcenter"),
    ("regional_pulje", {}, {}, "jobcenter"),
    ("befordring", {}, {}, "a_kasse"),  # goes with the seks ugers grant
    ("befordring", {"status": "employed", "benefit": "none"}, {}, "aub"),
    ("veu", {"status": "employed", "benefit": "none"}, {}, "aub"),
    ("amu_fee", {}, {}, None),  # a price: nobody decides it
    ("uddannelsesloeft", {}, {"kind": "euv", "duration_days": 700}, "jobcenter"),
    ("voksenlaerling", {}, {"kind": "euv", "duration_days": 700}, "kommune_praktiksted"),
    ("svu", {"status": "employed", "benefit": "none"}, {"kind": "akademi"}, "svu"),
])
def test_every_answer_says_who_decides(scheme: str, profile: dict[str, Any],
                                       course: dict[str, Any], decider: str | None) -> None:
    assert answer(scheme, profile=profile, course=course).decided_by == decider


def test_the_deadline_kinds_and_deciders_are_declared() -> None:
    assert set(DEADLINE_KIND.values()) <= set(DEADLINE_KINDS)
    for scheme in ("seks_uger", "regional_pulje", "veu", "befordring"):
        assert answer(scheme).decided_by in DECIDERS
