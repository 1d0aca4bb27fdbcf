"""The course search engine: words with typos, the noise cut-off, filters, bookable sessions."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.engine.index import CatalogIndex
from matcher.engine.search import CourseFilters, build_search, month_bounds, search_courses
from tests.engine.builders import make_course, make_index, make_occupation, make_session, make_skill

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
