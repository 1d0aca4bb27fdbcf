"""Typo-tolerant lookup against the bundled taxonomy: misspellings, aliases, both languages."""

from __future__ import annotations

import csv

import pytest

from matcher.engine.lookup import LookupIndex, build_lookup, normalize, suggest
from matcher.engine.model import Education, Occupation, Skill
from tests.conftest import BUNDLED_CATALOG


def _split(cell: str) -> tuple[str, ...]:
    return tuple(item for item in cell.split("|") if item)


@pytest.fixture(scope="module")
def lookup() -> LookupIndex:
    with (BUNDLED_CATALOG / "occupations.csv").open(encoding="utf-8") as handle:
        occupations = tuple(Occupation(r["code"], r["title_da"], r["title_en"],
                                       _split(r["aliases_da"]), _split(r["aliases_en"]))
                            for r in csv.DictReader(handle))
    with (BUNDLED_CATALOG / "skills.csv").open(encoding="utf-8") as handle:
        skills = tuple(Skill(r["code"], r["label_da"], r["label_en"], _split(r["aliases_da"]),
                             _split(r["aliases_en"])) for r in csv.DictReader(handle))
    return build_lookup(occupations, skills)


CASES = [
    # (query, kind, expected code within the first three)
    ("lagermedarbejder", "occupation", "lagermedarbejder"),
    ("LAGERMEDARBEJDER", "occupation", "lagermedarbejder"),
    ("lagermedarbjder", "occupation", "lagermedarbejder"),  # letter missing
    ("lastbil", "occupation", "lastbilchauffoer"),  # typeahead prefix
    ("lastbilchauffor", "occupation", "lastbilchauffoer"),  # ø typed as o
    ("lastbilchauffoer", "occupation", "lastbilchauffoer"),  # ø typed as oe
    ("chaufør", "occupation", "lastbilchauffoer"),  # alias, one f
    ("sosu", "occupation", "social_og_sundhedshjaelper"),  # what people call it
    ("hjemmehjælper", "occupation", "social_og_sundhedshjaelper"),
    ("hjemmehjaelper", "occupation", "social_og_sundhedshjaelper"),  # æ typed as ae
    ("svjser", "occupation", "svejser"),
    ("tomrer", "occupation", "toemrer"),
    ("tømre", "occupation", "toemrer"),
    ("elektrikker", "occupation", "elektriker"),
    ("sygeplejeske", "occupation", "sygeplejerske"),
    ("pædagogmedhjælper", "occupation", "paedagogmedhjaelper"),
    ("paedagog medhjaelper", "occupation", "paedagogmedhjaelper"),
    ("medhjælper pædagog", "occupation", "paedagogmedhjaelper"),  # word order
    ("carpentr", "occupation", "toemrer"),  # English, misspelt
    ("truck driver", "occupation", "lastbilchauffoer"),
    ("driver truck", "occupation", "lastbilchauffoer"),  # English word order
    ("nurse", "occupation", "sygeplejerske"),
    ("warehose worker", "occupation", "lagermedarbejder"),
    ("welder", "occupation", "svejser"),
    ("cnc", "occupation", "cnc_operatoer"),
    ("truckcertifikat", "skill", "truckcertifikat_b"),
    ("gaffeltruk", "skill", "truckcertifikat_b"),
    ("forklift", "skill", "truckcertifikat_b"),
    ("førstehjælp", "skill", "foerstehjaelp"),
    ("forstehjalp", "skill", "foerstehjaelp"),  # ø and æ typed plainly
    ("hygiejnebevis", "skill", "hygiejnebevis"),
    ("mag svejsning", "skill", "mag_svejsning"),
    ("svejsning mag", "skill", "mag_svejsning"),
    ("MAG welding", "skill", "mag_svejsning"),
    ("forflytning", "skill", "personlig_hygiejne_og_forflytning"),
]


@pytest.mark.parametrize(("query", "kind", "expected"), CASES,
                         ids=[f"{c[0]}->{c[2]}" for c in CASES])
def test_lookup_finds_it_among_the_first_three(lookup: LookupIndex, query: str, kind: str,
                                               expected: str) -> None:
    found = [s.code for s in suggest(lookup, query, kind=kind, limit=3)]
    assert expected in found, found


def test_the_exact_title_comes_first(lookup: LookupIndex) -> None:
    assert suggest(lookup, "Lagermedarbejder", kind="occupation")[0].code == "lagermedarbejder"
    assert suggest(lookup, "Nurse", kind="occupation")[0].code == "sygeplejerske"


def test_results_are_one_per_code_best_first_and_bounded(lookup: LookupIndex) -> None:
    found = suggest(lookup, "svejs", limit=7)
    assert len(found) <= 7
    assert len({(s.kind, s.code) for s in found}) == len(found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


@pytest.mark.parametrize("query", ["", "   ", "!!!", "qqqqxxxzzz"])
def test_nothing_sensible_gives_nothing(lookup: LookupIndex, query: str) -> None:
    assert suggest(lookup, query) == []


def test_matched_label_is_reported(lookup: LookupIndex) -> None:
    first = suggest(lookup, "sosu-hjælper", kind="occupation")[0]
    assert first.code == "social_og_sundhedshjaelper"
    assert first.matched.lower().startswith("sosu")


@pytest.mark.parametrize(("raw", "normalized"), [
    ("Tømrer", "toemrer"), ("Pædagog-medhjælper", "paedagog medhjaelper"),
    ("  Social- og  sundhedshjælper ", "social og sundhedshjaelper"), ("Ålborg", "aalborg")])
def test_normalize_spells_out_danish_letters(raw: str, normalized: str) -> None:
    assert normalize(raw) == normalized


@pytest.fixture(scope="module")
def education_lookup() -> LookupIndex:
    with (BUNDLED_CATALOG / "educations.csv").open(encoding="utf-8") as handle:
        educations = tuple(Education(r["code"], r["title_da"], r["level"], r["title_en"],
                                     _split(r["aliases_da"]), _split(r["aliases_en"]))
                           for r in csv.DictReader(handle))
    return build_lookup((), (), (), educations)


@pytest.mark.parametrize(("query", "expected"), [
    ("smedeuddannelsen", "eud_smed"),  # alias
    ("smedeudannelsen", "eud_smed"),  # letter missing
    ("sygeplejerske", "pb_sygeplejerske"),
    ("sygeplejske", "pb_sygeplejerske"),  # typo while typing
    ("bachelor of nursing", "pb_sygeplejerske"),  # English alias
])
def test_educations_are_found_by_title_alias_and_typo(education_lookup: LookupIndex, query: str,
                                                      expected: str) -> None:
    found = suggest(education_lookup, query, kind="education", limit=3)
    assert expected in [s.code for s in found]
    assert all(s.kind == "education" for s in found)


def test_educations_stay_out_of_the_default_kinds(education_lookup: LookupIndex) -> None:
    assert suggest(education_lookup, "smed") == []  # default search: occupations and skills


NOISE = [
    # (query, a suggestion that is only a fuzzy neighbour of a word the query really is)
    ("smed", "laege"),  # through "medical"
    ("it", "koekkenmedhjaelper"),  # through "kitchen"
    ("læge", "lagermedarbejder"),
    ("lager", "bager"),
]


@pytest.mark.parametrize(("query", "noise"), NOISE, ids=[f"{q}-/->{n}" for q, n in NOISE])
def test_noise_is_not_offered_once_the_word_is_found(lookup: LookupIndex, query: str,
                                                     noise: str) -> None:
    found = [s.code for s in suggest(lookup, query, kind="occupation", limit=8)]
    assert found and noise not in found, found


def test_a_typo_still_gets_every_fuzzy_candidate(lookup: LookupIndex) -> None:
    """Without a word-for-word hit there is no cut-off: "smde" still finds the smith."""
    assert "smed" in [s.code for s in suggest(lookup, "smde", kind="occupation", limit=8)]
