"""A table of malformed catalogues: each gives its specific message and changes nothing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from matcher.data import models as m
from matcher.data.catalog import CatalogInvalid, read_catalog
from matcher.data.db import get_session
from tests.conftest import MINI_CATALOG

Mutation = Callable[[Path], None]


def replace(file: str, old: str, new: str) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / file
        content = path.read_text(encoding="utf-8")
        assert old in content, f"fixture no longer contains {old!r}"
        path.write_text(content.replace(old, new, 1), encoding="utf-8")
    return mutate


def append(file: str, line: str) -> Mutation:
    def mutate(folder: Path) -> None:
        with (folder / file).open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return mutate


def write(file: str, content: bytes) -> Mutation:
    def mutate(folder: Path) -> None:
        (folder / file).write_bytes(content)
    return mutate


def remove(file: str) -> Mutation:
    def mutate(folder: Path) -> None:
        (folder / file).unlink()
    return mutate


def add_column(file: str, column: str, cells: dict[int, str]) -> Mutation:
    """Append a column to every line of file; cells gives the values by line number (2 = first row)."""
    def mutate(folder: Path) -> None:
        path = folder / file
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([f"{lines[0]},{column}"] + [
            f"{line},{cells.get(number, '')}" for number, line in enumerate(lines[1:], start=2)])
            + "\n", encoding="utf-8")
    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(folder: Path) -> None:
        for mutation in mutations:
            mutation(folder)
    return mutate


# The optional files of design.md §5a.1 (the mini catalogue has neither): two valid rows each.
EDUCATIONS = (b"code,title_da,level,title_en\n"
              b"edu_smed,Smed,eud,Smith\n"
              b"edu_lager,Lager- og terminaluddannelsen,eud,Warehouse and terminal\n")
EDUCATION_OCCUPATIONS = (b"education_code,occupation_code\n"
                         b"edu_smed,svejser\n"
                         b"edu_lager,lagermedarbejder\n")


def drop_column(file: str, column: str) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / file
        lines = path.read_text(encoding="utf-8").splitlines()
        index = lines[0].split(",").index(column)
        path.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != index)
                                  for line in lines) + "\n", encoding="utf-8")
    return mutate


CASES: list[tuple[str, Mutation, str]] = [
    ("missing file", remove("providers.csv"),
     "providers.csv: file missing from the catalogue folder"),
    ("missing required column", drop_column("courses.csv", "provider_code"),
     "courses.csv, line 1: missing required column 'provider_code'"),
    ("empty file", write("skills.csv", b""),
     "skills.csv: file is empty; it needs at least a header row"),
    ("semicolon-separated", write("rar_areas.csv", b"code;name\nVESTJ;RAR Vestjylland\n"),
     "rar_areas.csv, line 1: the header has no commas; the file looks semicolon-separated"),
    ("column twice", replace("rar_areas.csv", "code,name", "code,name,name"),
     "rar_areas.csv, line 1: column 'name' appears twice in the header"),
    ("not UTF-8", write("rar_areas.csv", "code,name\nVESTJ,RAR Østjylland\n".encode("latin-1")),
     "rar_areas.csv, line 2: not valid UTF-8; save the file as UTF-8 CSV"),
    ("extra field", append("rar_areas.csv", "NORDJ,RAR Nordjylland,extra"),
     "rar_areas.csv, line 4: has 3 fields but the header has 2"),
    ("required value empty", replace("courses.csv", "Truckcertifikat B,p_herning", ",p_herning"),
     "courses.csv, line 2, field title_da: is required but empty"),
    ("duration not a number", replace("courses.csv", "p_herning,5,", "p_herning,fem,"),
     "courses.csv, line 2, field duration_days: must be a number (with . as decimal point), "
     "got 'fem'"),
    ("duration zero", replace("courses.csv", "p_herning,5,", "p_herning,0,"),
     "courses.csv, line 2, field duration_days: must be greater than 0, got '0'"),
    ("duration too precise", replace("courses.csv", "p_herning,5,", "p_herning,2.55,"),
     "courses.csv, line 2, field duration_days: has more than 1 decimal(s): '2.55'"),
    ("course kind outside vocabulary", replace("courses.csv", "c_truck,amu,", "c_truck,kursus,"),
     "courses.csv, line 2, field kind: 'kursus' is not one of: amu, akademi, diplom, eud, euv, "
     "voksenlaerling, ikv, other"),
    ("impossible date", replace("sessions.csv", "2027-01-11,2027-01-15", "2027-02-30,2027-03-02"),
     "sessions.csv, line 2, field start_date: is not a real date: '2027-02-30'"),
    ("Danish date format", replace("sessions.csv", "2027-01-11", "11-01-2027"),
     "sessions.csv, line 2, field start_date: must be a date written YYYY-MM-DD, got '11-01-2027'"),
    ("session ends before it starts", replace("sessions.csv", "2027-01-15", "2027-01-01"),
     "sessions.csv, line 2, field end_date: 2027-01-01 is before start_date 2027-01-11"),
    ("unknown provider", replace("courses.csv", "B,p_herning", "B,p_nowhere"),
     "courses.csv, line 2, field provider_code: 'p_nowhere' is not a code in providers.csv"),
    ("unknown skill", append("occupation_skills.csv", "svejser,tig_svejsning,optional"),
     "occupation_skills.csv, line 7, field skill_code: 'tig_svejsning' is not a code in "
     "skills.csv"),
    ("unknown session postcode", replace("sessions.csv", "2027-03-05,7500", "2027-03-05,9999"),
     "sessions.csv, line 3, field postcode: '9999' is not a postcode in postcodes.csv"),
    ("postcode with letters", replace("providers.csv", "Herning,7400", "Herning,74OO"),
     "providers.csv, line 2, field postcode: must be a Danish postcode of 4 digits, got '74OO'"),
    ("duplicate skill code", append("skills.csv", "mag_svejsning,MAG-svejsning igen,,,,,"),
     "skills.csv, line 7, field code: duplicate row (code=mag_svejsning); first at line 4"),
    ("two education levels with one rank", replace("education_levels.csv", "10kl,10. klasse,Tenth grade,2",
                                                   "10kl,10. klasse,Tenth grade,1"),
     "education_levels.csv, line 3, field rank: 1 is already used at line 2"),
    ("period in another format", replace("shortages.csv", "VESTJ,2026H2,mangel", "VESTJ,2026-H2,mangel"),
     "shortages.csv, line 2, field period: must be a half-year such as 2026H2, got '2026-H2'"),
    ("shortage category outside vocabulary", replace("shortages.csv", "mangel,demo", "stor_mangel,demo"),
     "shortages.csv, line 2, field category: 'stor_mangel' is not one of: omfattende_mangel, mangel, "
     "paradoks, gode, mindre_gode"),
    ("latitude outside Denmark", replace("postcodes.csv", "56.1386", "60.1386"),
     "postcodes.csv, line 2, field lat: must be between 54.4 and 57.9, got '60.1386'"),
    ("area adjacent to itself", append("rar_adjacency.csv", "VESTJ,VESTJ"),
     "rar_adjacency.csv, line 4, field adjacent_rar_code: an area cannot be adjacent to itself"),
    ("overlapping RAR membership", replace("municipalities.csv", "OESTJ,2023-01-01", "OESTJ,2022-06-01"),
     "municipalities.csv, line 5, field valid_from: kommunekode 791 is in two RAR areas at once"),
    ("four-digit kommunekode", replace("municipalities.csv", "657,Herning", "6570,Herning"),
     "municipalities.csv, line 2, field kommunekode: must be a 3-digit kommunekode such as 657, "
     "got '6570'"),
    ("boolean outside vocabulary", replace("positive_lists.csv", "2027-02-28,false", "2027-02-28,maybe"),
     "positive_lists.csv, line 2, field from_day_one: must be true or false, got 'maybe'"),
    ("relation outside vocabulary", replace("occupation_skills.csv", "truckcertifikat_b,essential",
                                            "truckcertifikat_b,required"),
     "occupation_skills.csv, line 2, field relation: 'required' is not one of: essential, optional"),
    ("invented ESCO identifier", replace("skills.csv", "certificate,\n", "certificate,esco:123\n"),
     "skills.csv, line 2, field esco_uri: must be an ESCO URI, got 'esco:123'"),
    ("unterminated quote", append("rar_areas.csv", 'NORDJ,"RAR Nordjylland'),
     "rar_areas.csv, line 4: unreadable CSV"),
    ("title too long", replace("courses.csv", "Truckcertifikat B,p_herning", "T" * 301 + ",p_herning"),
     "courses.csv, line 2, field title_da: is 301 characters long; at most 300 are allowed"),
    ("unknown RAR area", replace("shortages.csv", "lagermedarbejder,OESTJ", "lagermedarbejder,NORDJ"),
     "shortages.csv, line 5, field rar_code: 'NORDJ' is not a code in rar_areas.csv"),
    ("negative price", replace("courses.csv", ",6000,", ",-6000,"),
     "courses.csv, line 2, field price_dkk: must be at least 0, got -6000"),
    ("code with a space", replace("course_skills.csv", "c_truck,truckcertifikat_b",
                                  "c truck,truckcertifikat_b"),
     "course_skills.csv, line 2, field course_code: 'c truck' is not a valid code"),
    ("e-mail without a domain", replace("providers.csv", "kursus@example.dk", "kursus@example"),
     "providers.csv, line 3, field email: must be an e-mail address, got 'kursus@example'"),
    ("unknown funding scheme", append("funding_rates.csv", "flexjob,2024,100,dkk_week,"),
     "funding_rates.csv, line 4, field scheme: 'flexjob' is not one of: seks_uger"),
    ("rate too large for the database", append("funding_rates.csv", "veu,2027,10000000000,dkk_week,"),
     "funding_rates.csv, line 4, field amount: must be less than 10000000000, got '10000000000'"),
    ("course length too large for the database",
     replace("courses.csv", "Truckcertifikat B,p_herning,5,", "Truckcertifikat B,p_herning,1000000,"),
     "courses.csv, line 2, field duration_days: must be less than 1000000, got '1000000'"),
    ("rate ending before it starts",
     add_column("funding_rates.csv", "valid_from,valid_to", {2: "2023-01-01,2022-12-31"}),
     "funding_rates.csv, line 2, field valid_to: 2022-12-31 is before valid_from 2023-01-01"),
    ("rule version without a source",
     write("funding_rules.csv", b"scheme,valid_from,valid_to,decided_by,law,source_url,checked\n"
                                b"veu,2018-01-01,,AUB,VEU-loven,,\n"),
     "funding_rules.csv, line 2, field source_url: is required but empty"),
    ("rule version of an unknown scheme",
     write("funding_rules.csv", b"scheme,valid_from,source_url\n"
                                b"jobrotation,2018-01-01,https://star.dk/\n"),
     "funding_rules.csv, line 2, field scheme: 'jobrotation' is not one of: seks_uger"),
    ("rule version twice",
     write("funding_rules.csv", b"scheme,valid_from,source_url\n"
                                b"veu,2018-01-01,https://star.dk/\nveu,2018-01-01,https://uvm.dk/\n"),
     "funding_rules.csv, line 3, field valid_from: duplicate row"),
    ("positive list entry naming no course",
     replace("positive_lists.csv", "seks_uger,c_truck,", "seks_uger,,"),
     "positive_lists.csv, line 2, field course_code: give course_code or official_code"),
    ("positive list without the course_code column",
     write("positive_lists.csv", b"list,official_code\nseks_uger,40125\n"),
     "positive_lists.csv, line 1: missing required column 'course_code'"),
    ("unknown education level", replace("occupations.csv", "grundskole,Plukker", "folkeskole,Plukker"),
     "occupations.csv, line 2, field min_education_level: 'folkeskole' is not a code in "
     "education_levels.csv"),
    ("education at an unknown level",
     both(write("educations.csv", EDUCATIONS.replace(b"Smed,eud", b"Smed,svend")),
          write("education_occupations.csv", EDUCATION_OCCUPATIONS)),
     "educations.csv, line 2, field level: 'svend' is not a code in education_levels.csv"),
    ("education_occupations with an unknown education",
     both(write("educations.csv", EDUCATIONS),
          write("education_occupations.csv",
                EDUCATION_OCCUPATIONS.replace(b"edu_lager,", b"edu_tjener,"))),
     "education_occupations.csv, line 3, field education_code: 'edu_tjener' is not a code in "
     "educations.csv"),
    ("education_occupations with an unknown occupation",
     both(write("educations.csv", EDUCATIONS),
          write("education_occupations.csv",
                EDUCATION_OCCUPATIONS.replace(b",svejser", b",smed"))),
     "education_occupations.csv, line 2, field occupation_code: 'smed' is not a code in "
     "occupations.csv"),
    ("education_occupations without educations.csv",
     write("education_occupations.csv", EDUCATION_OCCUPATIONS),
     "education_occupations.csv, line 2, field education_code: 'edu_smed' is not a code in "
     "educations.csv"),
    ("course leading to an unknown education",
     both(write("educations.csv", EDUCATIONS),
          add_column("courses.csv", "education_code", {2: "edu_frisoer"})),
     "courses.csv, line 2, field education_code: 'edu_frisoer' is not a code in educations.csv"),
    ("regulated neither true nor false",
     add_column("occupations.csv", "regulated", {2: "false", 3: "maybe"}),
     "occupations.csv, line 3, field regulated: must be true or false, got 'maybe'"),
    ("skill kind outside vocabulary", replace("skills.csv", "lager,,skill,", "lager,,general,"),
     "skills.csv, line 3, field kind: 'general' is not one of: skill, knowledge, certificate, "
     "transversal"),
]


@pytest.fixture
def loaded(app: Flask, runner: FlaskCliRunner) -> Flask:
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    return app


def _snapshot(app: Flask) -> dict[str, int]:
    with app.app_context():
        session = get_session()
        counts = {table.name: session.scalar(select(func.count()).select_from(table)) or 0
                  for table in m.Base.metadata.sorted_tables}
        state = session.get(m.CatalogState, 1)
        counts["version"] = state.version if state else 0
        return counts


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize(("mutation", "message"), [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_malformed_catalogue_is_refused(loaded: Flask, runner: FlaskCliRunner, tmp_path: Path,
                                        mutation: Mutation, message: str) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(MINI_CATALOG, folder)
    mutation(folder)
    before = _snapshot(loaded)

    with pytest.raises(CatalogInvalid) as raised:
        read_catalog(folder)
    assert any(str(problem).startswith(message) for problem in raised.value.problems), \
        [str(p) for p in raised.value.problems]

    result = runner.invoke(args=["catalog", "load", str(folder)])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert _snapshot(loaded) == before


def test_missing_folder_is_reported(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["catalog", "check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "catalogue folder not found" in result.output


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(MINI_CATALOG, folder)
    replace("courses.csv", "p_herning,5,", "p_herning,fem,")(folder)
    replace("shortages.csv", "mangel,demo", "stor_mangel,demo")(folder)
    with pytest.raises(CatalogInvalid) as raised:
        read_catalog(folder)
    files = {problem.file for problem in raised.value.problems}
    assert files == {"courses.csv", "shortages.csv"}
