"""The bundled Herning catalogue: valid, large enough, honest, and useful for matching."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date

import pytest
from flask.testing import FlaskCliRunner

from matcher.data import models as m
from matcher.data.catalog import Catalog, read_catalog
from tests.conftest import BUNDLED_CATALOG, ROOT

VESTJYLLAND = {"Herning", "Holstebro", "Ikast-Brande", "Lemvig", "Ringkøbing-Skjern", "Skive",
               "Struer"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return read_catalog(BUNDLED_CATALOG)


def rows(catalog: Catalog, name: str) -> list[dict[str, object]]:
    return catalog.rows[name]


def test_reference_data_is_complete(catalog: Catalog) -> None:
    assert len(rows(catalog, "rar_areas.csv")) == 8
    assert len({r["kommunekode"] for r in rows(catalog, "municipalities.csv")}) == 98
    assert len(rows(catalog, "postcodes.csv")) == 1089
    assert {r["code"] for r in rows(catalog, "education_levels.csv")} >= {
        "grundskole", "gymnasial", "eud", "kvu", "mvu_profbach", "bachelor", "lvu_kandidat", "phd"}


def test_rar_vestjylland_is_the_seven_municipalities(catalog: Catalog) -> None:
    current = {r["name"] for r in rows(catalog, "municipalities.csv")
               if r["rar_code"] == "VESTJ" and r["valid_to"] is None}
    assert current == VESTJYLLAND
    herning = [r for r in rows(catalog, "municipalities.csv") if r["kommunekode"] == 657]
    assert [r["rar_code"] for r in herning] == ["VESTJ"]


def test_adjacency_is_symmetric(catalog: Catalog) -> None:
    pairs = {(r["rar_code"], r["adjacent_rar_code"]) for r in rows(catalog, "rar_adjacency.csv")}
    assert all((b, a) in pairs for a, b in pairs)
    assert {b for a, b in pairs if a == "VESTJ"} >= {"NORDJ", "OESTJ", "SYDJ"}


def test_taxonomy_counts(catalog: Catalog) -> None:
    occupations = rows(catalog, "occupations.csv")
    skills = rows(catalog, "skills.csv")
    assert len(occupations) >= 120
    assert len(skills) >= 500
    assert all(o["title_en"] for o in occupations)
    assert all(s["label_en"] for s in skills)
    assert sum(1 for o in occupations if o["aliases_da"]) >= 100


def test_demonstration_counts(catalog: Catalog) -> None:
    assert len(rows(catalog, "providers.csv")) >= 20
    courses = rows(catalog, "courses.csv")
    assert len(courses) >= 400
    # Voksenlærling is an arrangement on an EUD or EUV (a training agreement), not a course
    # of its own: the bundled catalogue offers it as funding on those routes (issue 9).
    assert {c["kind"] for c in courses} == set(m.COURSE_KINDS) - {"voksenlaerling"}
    sessions = rows(catalog, "sessions.csv")
    assert len(sessions) >= 1000
    assert {c["schedule"] for c in courses} >= {"day", "evening", "weekend"}
    assert any(c["delivery"] == "online" for c in courses)


def test_sessions_are_spread_over_the_next_twelve_months(catalog: Catalog) -> None:
    months = Counter((s["start_date"].year, s["start_date"].month)  # type: ignore[union-attr]
                     for s in rows(catalog, "sessions.csv"))
    wanted = [(2026, 12)] + [(2027, month) for month in range(1, 12)]
    assert all(months[month] > 0 for month in wanted), months
    first = min(s["start_date"] for s in rows(catalog, "sessions.csv"))  # type: ignore[type-var]
    assert first >= date(2026, 12, 1)


def test_every_demo_row_is_marked(catalog: Catalog) -> None:
    for name in ("providers.csv", "courses.csv", "shortages.csv", "positive_lists.csv"):
        assert {r["source"] for r in rows(catalog, name)} == {"demo"}, name


def test_no_invented_official_identifiers(catalog: Catalog) -> None:
    assert all(c["official_code"] is None for c in rows(catalog, "courses.csv"))
    assert all(s["esco_uri"] is None for s in rows(catalog, "skills.csv"))
    # An occupation's ESCO URI and DISCO-08 code are exactly the reviewed decisions in
    # scripts/esco_matches.csv; test_official_identifiers.py checks them against the sources.
    with (ROOT / "scripts" / "esco_matches.csv").open(encoding="utf-8", newline="") as f:
        decided = {r["occupation_code"]: (r["esco_uri"] or None, r["disco08"] or None)
                   for r in csv.DictReader(f)}
    assert {o["code"]: (o["esco_uri"], o["disco08"]) for o in rows(catalog, "occupations.csv")} == decided


def test_shortage_ratings_cover_every_occupation_area_and_period(catalog: Catalog) -> None:
    ratings = {(r["occupation_code"], r["rar_code"], r["period"])
               for r in rows(catalog, "shortages.csv")}
    areas = {r["code"] for r in rows(catalog, "rar_areas.csv")}
    for occupation in rows(catalog, "occupations.csv"):
        for area in areas:
            for period in ("2026H1", "2026H2"):
                assert (occupation["code"], area, period) in ratings


def test_positive_lists_include_seks_uger_and_vestjylland_pool(catalog: Catalog) -> None:
    entries = rows(catalog, "positive_lists.csv")
    assert any(e["list"] == "seks_uger" and e["rar_code"] is None for e in entries)
    assert any(e["list"] == "regional_pulje" and e["rar_code"] == "VESTJ" for e in entries)


def test_every_course_teaches_a_skill(catalog: Catalog) -> None:
    taught = {r["course_code"] for r in rows(catalog, "course_skills.csv")}
    assert all(c["code"] in taught for c in rows(catalog, "courses.csv"))


def test_every_occupation_has_essential_skills(catalog: Catalog) -> None:
    essential = {r["occupation_code"] for r in rows(catalog, "occupation_skills.csv")
                 if r["relation"] == "essential"}
    assert all(o["code"] in essential for o in rows(catalog, "occupations.csv"))


def test_shortage_occupations_in_vestjylland_have_courses_for_half_their_skills(
        catalog: Catalog) -> None:
    newest = max(r["period"] for r in rows(catalog, "shortages.csv"))  # type: ignore[type-var]
    in_shortage = {r["occupation_code"] for r in rows(catalog, "shortages.csv")
                   if r["rar_code"] == "VESTJ" and r["period"] == newest
                   and r["category"] in ("omfattende_mangel", "mangel")}
    assert in_shortage
    essential: dict[object, set[object]] = defaultdict(set)
    for r in rows(catalog, "occupation_skills.csv"):
        if r["relation"] == "essential":
            essential[r["occupation_code"]].add(r["skill_code"])
    taught = {r["skill_code"] for r in rows(catalog, "course_skills.csv")}
    short = {code: len(essential[code] & taught) / len(essential[code]) for code in in_shortage}
    assert all(share >= 0.5 for share in short.values()), \
        {code: share for code, share in short.items() if share < 0.5}


@pytest.mark.slow
def test_loading_the_bundled_catalogue_twice(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["catalog", "load", str(BUNDLED_CATALOG)])
    assert first.exit_code == 0, first.output
    assert "Catalogue loaded: now version 1." in first.output
    second = runner.invoke(args=["catalog", "load", str(BUNDLED_CATALOG)])
    assert second.exit_code == 0
    assert "No changes" in second.output


def test_educations_open_every_occupation_above_grundskole(catalog: Catalog) -> None:
    ranks = {r["code"]: r["rank"] for r in rows(catalog, "education_levels.csv")}
    level = {r["code"]: r["level"] for r in rows(catalog, "educations.csv")}
    assert 80 <= len(level) <= 150
    occupations = {r["code"]: r for r in rows(catalog, "occupations.csv")}
    opened: dict[object, set[object]] = defaultdict(set)
    for link in rows(catalog, "education_occupations.csv"):
        need = occupations[link["occupation_code"]]["min_education_level"]
        assert ranks[level[link["education_code"]]] >= ranks[need], link  # type: ignore[index,operator]
        opened[link["occupation_code"]].add(link["education_code"])
    above = {code for code, o in occupations.items()
             if ranks[o["min_education_level"]] > ranks["grundskole"]}  # type: ignore[index,operator]
    assert above - set(opened) == {"brandmand"}  # firefighters: any EUD + the service's own training
    regulated = {code for code, o in occupations.items() if o["regulated"]}
    assert {"sygeplejerske", "social_og_sundhedsassistent", "elektriker", "laege"} <= regulated
    assert not regulated & {"social_og_sundhedshjaelper", "smed", "kok", "lagerassistent"}
    assert all(opened[code] for code in regulated)


def test_every_whole_education_course_names_its_education(catalog: Catalog) -> None:
    opens: dict[object, set[object]] = defaultdict(set)
    for link in rows(catalog, "education_occupations.csv"):
        opens[link["education_code"]].add(link["occupation_code"])
    targets: dict[object, set[object]] = defaultdict(set)
    for link in rows(catalog, "course_occupations.csv"):
        targets[link["course_code"]].add(link["occupation_code"])
    for course in rows(catalog, "courses.csv"):
        title = str(course["title_da"])
        if title.startswith(("EUD: ", "EUV: ", "Voksenlærling: ")):
            assert course["education_code"], course["code"]
            assert opens[course["education_code"]] & targets[course["code"]], course["code"]
        else:
            assert course["education_code"] is None, course["code"]


def test_transversal_skills_are_few_and_general(catalog: Catalog) -> None:
    transversal = {s["code"] for s in rows(catalog, "skills.csv") if s["kind"] == "transversal"}
    assert {"samarbejde_i_teams", "kulturforstaaelse_og_mangfoldighed"} <= transversal
    assert not any("dansk" in str(code) or "engelsk" in str(code) for code in transversal)
