"""The course search engine: words with typos, the noise cut-off, filters, bookable sessions."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.engine.funding import Situation, funding_for
from matcher.engine.index import CatalogIndex, build_index
from matcher.engine.model import BENEFITS, STATUSES, PositiveListEntry, Profile
from matcher.engine.profile import ProfileInvalid
from matcher.engine.search import (
    CourseFilters,
    CourseHit,
    build_search,
    may_be_paid,
    month_bounds,
    quick_profile,
    search_courses,
)
from tests.engine.builders import (
    TODAY,
    make_course,
    make_index,
    make_occupation,
    make_session,
    make_skill,
)
from tests.engine.random_catalog import random_snapshot

FIRST = date(2027, 1, 1)


def _index() -> CatalogIndex:
    skills = (make_skill("svejsning", label_da="MAG-svejsning", label_en="MAG welding"),
              make_skill("diagnostik", label_da="Klinisk diagnostik"))
    occupations = (make_occupation("klejnsmed", ("svejsning",), title_da="Klejnsmed"),
                   make_occupation("laege", ("diagnostik",), title_da="Læge",
                                   title_en="Medical doctor"))
    courses = (
        make_course("weld", ("svejsning",), title_da="Svejsning for begyndere",
                    occupations=("klejnsmed",)),
        make_course("doc", ("diagnostik",), title_da="Medicinsk diagnostik", kind="diplom",
                    occupations=("laege",)),
        make_course("online", (), title_da="Lagerstyring online", delivery="online",
                    schedule="evening", provider_postcode="8000"),
        make_course("far", (), title_da="Lagerstyring i Aarhus", provider_postcode="8000"),
        make_course("full", (), title_da="Lagerstyring fuldt"),
    )
    sessions = (make_session("weld", date(2027, 2, 1)), make_session("weld", date(2027, 3, 1)),
                make_session("doc", date(2027, 2, 1)), make_session("online", date(2027, 2, 8)),
                make_session("far", date(2027, 2, 1)),
                make_session("full", date(2027, 2, 1), status="full"),
                make_session("doc", date(2026, 12, 20)))  # too soon to book
    return make_index(skills=skills, occupations=occupations, courses=courses,
                      sessions=sessions)


def _codes(query: str, **filters: object) -> list[str]:
    index = _index()
    search = build_search(index, {"doc": "Et kursus med fokus på medicinske læger."})
    return [hit.code for hit in search_courses(index, search, query, first_day=FIRST,
                                               filters=CourseFilters(**filters))]  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "expected"), [
    ("svejsning", ["weld"]),
    ("svejsnig", ["weld"]),  # a typo in a long word
    ("welding", ["weld"]),  # the skill's English label
    ("smed", ["weld"]),  # the end of "klejnsmed", the job it leads to; never "med"
    ("klejnsmed", ["weld"]),
    ("læge", ["doc"]),
    ("laege", ["doc"]),
    ("svejsning læge", []),  # every word must be found
    ("xyzzy", []),
    ("kursus i svejsning", ["weld"]),  # words that say nothing are left out
])
def test_words_typos_and_noise(query: str, expected: list[str]) -> None:
    assert _codes(query) == expected


def test_nothing_typed_lists_every_bookable_course_by_first_start() -> None:
    assert _codes("") == ["far", "doc", "weld", "online"]  # ties by title; never the full one


@pytest.mark.parametrize(("filters", "expected"), [
    ({"kind": "diplom"}, ["doc"]),
    ({"online_only": True}, ["online"]),
    ({"schedules": ("evening",)}, ["online"]),
    ({"month": (2027, 3)}, ["weld"]),
    ({"postcode": "7400", "max_distance_km": 25.0}, ["doc", "weld", "online"]),
])
def test_filters(filters: dict[str, object], expected: list[str]) -> None:
    assert _codes("", **filters) == expected


def test_hit_has_the_first_matching_session_and_its_distance() -> None:
    index = _index()
    hits = search_courses(index, build_search(index, {}), "svejsning", first_day=FIRST,
                          filters=CourseFilters(postcode="8000", month=(2027, 3)))
    assert [(h.start, h.postcode) for h in hits] == [(date(2027, 3, 1), "7400")]
    assert hits[0].distance_km is not None and hits[0].distance_km > 50


def test_month_bounds_cross_the_year() -> None:
    assert month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))
    assert month_bounds(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))


# --- a word in the title outranks one found only in skills, jobs or the other title ---------


def _trucks() -> CatalogIndex:
    """The bundled catalogue's case: the stacker course starts first and is found by its
    English title and its skill; the truck licence by its Danish title."""
    skills = (make_skill("pallet", label_da="El-stabler og palleløfter",
                         label_en="Pallet truck and stacker operation",
                         aliases_en=("pallet truck",)),
              make_skill("weld", label_da="Svejsning"))
    occupations = (make_occupation("truckfoerer", ("pallet",), title_da="Truckfører"),)
    courses = (
        make_course("stabler", ("pallet",), title_da="Betjening af el-stabler og palleløfter",
                    title_en="Operating electric stackers and pallet trucks",
                    occupations=("truckfoerer",)),
        make_course("licence", (), title_da="Truckcertifikat B", title_en="Forklift licence B"),
        make_course("job", (), title_da="Lagerarbejde", title_en="Warehouse work",
                    occupations=("truckfoerer",)),
        make_course("weld_skill", ("weld",), title_da="Metalarbejde", title_en="Metalwork"),
        make_course("weld_typo", (), title_da="Svejsnig for begyndere",  # a typo in the title
                    title_en="Welding for beginners"),
    )
    sessions = (make_session("stabler", date(2027, 2, 1)), make_session("licence", date(2027, 3, 1)),
                make_session("job", date(2027, 1, 10)),
                make_session("weld_skill", date(2027, 1, 10)),
                make_session("weld_typo", date(2027, 3, 1)))
    return make_index(skills=skills, occupations=occupations, courses=courses,
                      sessions=sessions)


def _ranked(query: str, lang: str) -> list[tuple[str, float]]:
    index = _trucks()
    return [(hit.code, hit.score) for hit in search_courses(
        index, build_search(index, {}), query, first_day=FIRST, lang=lang)]


def test_the_readers_title_outranks_the_other_title_skills_and_jobs() -> None:
    ranked = _ranked("truck", "da")
    assert [code for code, _ in ranked] == ["licence", "stabler", "job"]
    assert ranked[0][1] > ranked[1][1] > ranked[2][1]  # the score says the order too


def test_in_english_the_english_title_is_the_readers() -> None:
    assert [code for code, _ in _ranked("truck", "en")] == ["stabler", "licence", "job"]
    assert [code for code, _ in _ranked("forklift", "en")] == ["licence"]


def test_a_typo_in_the_title_outranks_an_exact_word_in_the_skills() -> None:
    assert [code for code, _ in _ranked("svejsning", "da")] == ["weld_typo", "weld_skill"]


def test_the_cut_off_still_keeps_noise_out() -> None:
    """Two typos in a word found only in a description are not a hit, as before."""
    index = _trucks()
    search = build_search(index, {"job": "Om truckkørsel og lagerstyring."})
    assert [hit.code for hit in search_courses(index, search, "lagerstyrinn", first_day=FIRST)
            ] == ["job"]  # one edit in a description: kept
    assert search_courses(index, search, "lagerstyrixx", first_day=FIRST) == []



# --- "may be paid for me": the funding engine's answer for a few quick answers -------------


def _payable() -> CatalogIndex:
    courses = (
        make_course("amu_listed", (), kind="amu"),  # on the seks ugers list
        make_course("amu_plain", (), kind="amu"),
        make_course("academy", (), kind="akademi"),
        make_course("diploma", (), kind="diplom"),
        make_course("euv", (), kind="euv", duration_days=400),
        make_course("ikv", (), kind="ikv"),
    )
    sessions = tuple(make_session(c.code, date(2027, 1, 11)) for c in courses)
    return make_index(courses=courses, sessions=sessions, positive_lists=(
        PositiveListEntry("seks_uger", "amu_listed", valid_from=date(2026, 1, 1),
                          valid_to=date(2027, 12, 31)),))


def _hits(index: CatalogIndex) -> list[CourseHit]:
    return search_courses(index, build_search(index, {}), "", first_day=FIRST)


def _engine_says(index: CatalogIndex, hits: list[CourseHit],
                 profile: Profile) -> list[tuple[str, tuple[str, ...]]]:
    """The oracle: funding_for called as the matching calls it, per hit's session."""
    said = []
    for hit in hits:
        course = index.courses[index.course_pos[hit.code]]
        answers = funding_for(profile, course, Situation(TODAY, hit.start, hit.end,
                                                         hit.distance_km, "VESTJ"), index)
        schemes = tuple(f.scheme for f in answers if f.eligible in (True, "maybe"))
        if schemes:
            said.append((hit.code, schemes))
    return said


def _kept(index: CatalogIndex, profile: Profile) -> list[tuple[str, tuple[str, ...]]]:
    return [(hit.code, hit.may_pay or ()) for hit in may_be_paid(
        index, _hits(index), profile, today=TODAY, rar_code="VESTJ")]


@pytest.mark.parametrize(("answers", "expected"), [
    # Unemployed on dagpenge: the listed AMU course (the job centre), the assessment, and the
    # EUV (uddannelsesløft: age is not asked, so its age limit does not exclude).
    ({"status": "unemployed", "benefit": "dagpenge"},
     {"amu_listed": ("seks_uger", "befordring", "amu_fee"), "amu_plain": ("amu_fee",),
      "euv": ("uddannelsesloeft", "voksenlaerling"), "ikv": ("amu_fee",)}),
    # Employed without a higher education: VEU and the fee for AMU and IKV, SVU for the
    # modules; an unlisted EUV brings an employer no subsidy for someone employed.
    ({"status": "employed"},
     {"amu_listed": ("veu", "befordring", "amu_fee"),
      "amu_plain": ("veu", "befordring", "amu_fee"), "academy": ("svu",), "diploma": ("svu",),
      "ikv": ("veu", "befordring", "amu_fee")}),
    # A student with a master's degree: nobody pays any of these.
    ({"status": "student", "education_level": "lvu_kandidat"}, {"ikv": ("amu_fee",)}),
])
def test_may_be_paid_keeps_what_the_funding_engine_says_yes_or_maybe_for(
        answers: dict[str, str], expected: dict[str, tuple[str, ...]]) -> None:
    index = _payable()
    profile = quick_profile(index, **answers)
    kept = _kept(index, profile)
    assert kept == _engine_says(index, _hits(index), profile)
    assert dict(kept) == expected


@pytest.mark.parametrize("seed", range(2))
def test_may_be_paid_is_exactly_the_funding_engines_answer_on_random_catalogues(
        seed: int) -> None:
    index = build_index(random_snapshot(seed))
    hits = _hits(index)
    for status in STATUSES:
        for benefit in (None, *BENEFITS):
            for level in (None, "eud", "lvu_kandidat"):
                try:
                    profile = quick_profile(index, status, benefit=benefit,
                                            education_level=level)
                except ProfileInvalid:
                    continue  # ledighedsydelse without fleksjob
                assert _kept(index, profile) == _engine_says(index, hits, profile)


def test_what_is_not_asked_is_taken_in_the_persons_favour() -> None:
    index = _payable()
    profile = quick_profile(index, "unemployed", benefit="dagpenge")
    assert profile.age == 80  # every age limit in the rules is a lower one
    assert profile.education_level == "grundskole"  # the rules refuse only more education
    assert profile.unemployed_weeks is None  # rules that need it answer "maybe"


def test_an_impossible_combination_is_refused_on_its_field() -> None:
    with pytest.raises(ProfileInvalid) as refused:
        quick_profile(_payable(), "unemployed", benefit="ledighedsydelse")
    assert [error.field for error in refused.value.errors] == ["benefit"]
