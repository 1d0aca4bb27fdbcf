"""The ESCO importer (issue 14): the real v1.1.0 download, malformed inputs, the catalogue's
own rows, the folder loader beside it, the command, and matching during an import."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from matcher import create_app
from matcher.data import index_cache, migrate
from matcher.data import models as m
from matcher.data.catalog import CatalogInvalid, load_catalog
from matcher.data.db import get_session, make_engine
from matcher.data.importers import esco
from matcher.data.importers.esco import esco_code
from matcher.data.importers.report import ImportRefused, ImportReport
from matcher.data.importers.run import run_import
from matcher.data.snapshot import load_snapshot
from matcher.data.status import data_overview
from matcher.engine.index import CatalogIndex, build_index
from matcher.engine.lookup import build_lookup, suggest
from matcher.engine.match import match
from matcher.engine.model import PastJob, Profile
from tests.conftest import BUNDLED_CATALOG, MINI_CATALOG
from tests.data import test_personas

REAL = Path("/work/shared/data/esco-v1.1.0")
REAL_FILES = [REAL / "esco-v1.1.0-classification-en-csv.zip",
              REAL / "esco-v1.1.0-classification-relations-csv.zip"]
OCCUPATION = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"


def uuid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


# --- synthetic ESCO files, laid out as the official download --------------------------------

OCCUPATION_HEADER = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
                     "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote",
                     "scopeNote", "definition", "inScheme", "description", "code"]
SKILL_HEADER = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel",
                "altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition",
                "inScheme", "description"]
RELATION_HEADER = ["occupationUri", "relationType", "skillType", "skillUri"]
# Later versions name both ends of a relation in the file's language.
LABELLED_RELATION_HEADER = ["occupationUri", "occupationLabel", "relationType", "skillType",
                            "skillUri", "skillLabel"]

WELDER, CRANE, BAKER = OCCUPATION + uuid(1), OCCUPATION + uuid(2), OCCUPATION + uuid(3)
MAG, LIFT, DOUGH, TEAM = SKILL + uuid(101), SKILL + uuid(102), SKILL + uuid(103), SKILL + uuid(104)
LABELS = {
    "en": {WELDER: ("welder", "fabrication welder\nwelder"), CRANE: ("crane operator",
           "crane driver\ntower crane operator"), BAKER: ("baker", "bread baker"),
           MAG: ("MAG welding", "metal active gas welding"), LIFT: ("lift loads", "hoist loads"),
           DOUGH: ("knead dough", ""), TEAM: ("work in teams", "teamwork")},
    "da": {WELDER: ("svejser", "svejsearbejder"), CRANE: ("kranfører", "kranoperatør\ntårnkranfører"),
           BAKER: ("bager", "brødbager"), MAG: ("MAG-svejsning", ""), LIFT: ("løfte byrder", ""),
           DOUGH: ("ælte dej", ""), TEAM: ("arbejde i teams", "teamarbejde")},
}
ISCO = {WELDER: "7212", CRANE: "8343", BAKER: "7512"}
KINDS = {MAG: ("skill/competence", "sector-specific"), LIFT: ("skill/competence", "cross-sector"),
         DOUGH: ("knowledge", "occupation-specific"), TEAM: ("skill/competence", "transversal")}
RELATIONS = [(WELDER, "essential", MAG), (WELDER, "optional", TEAM), (CRANE, "essential", LIFT),
             (CRANE, "optional", TEAM), (BAKER, "essential", DOUGH), (BAKER, "optional", LIFT)]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # ESCO's files end lines with CRLF
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@dataclass
class Esco:
    """The files of one synthetic ESCO download, editable before they are written."""

    lang: str = "en"
    occupations: tuple[str, ...] = (WELDER, CRANE, BAKER)
    skills: tuple[str, ...] = (MAG, LIFT, DOUGH, TEAM)
    relations: tuple[tuple[str, str, str], ...] = tuple(RELATIONS)
    labelled_relations: bool = False

    def occupation_rows(self) -> list[list[str]]:
        return [["Occupation", uri, ISCO[uri], *LABELS[self.lang][uri], "", "released",
                 "2016-07-05T13:58:41Z", "", "", "", "", f"About {uri[-3:]}.", "1.2"]
                for uri in self.occupations]

    def skill_rows(self) -> list[list[str]]:
        return [["KnowledgeSkillCompetence", uri, *KINDS[uri], *LABELS[self.lang][uri], "",
                 "released", "2016-12-20T17:43:43Z", "", "", "", ""] for uri in self.skills]

    def relation_rows(self) -> list[list[str]]:
        if self.labelled_relations:
            return [[o, LABELS[self.lang][o][0], r, "skill/competence", s, LABELS[self.lang][s][0]]
                    for o, r, s in self.relations]
        return [[o, r, "skill/competence", s] for o, r, s in self.relations]

    def files(self) -> dict[str, bytes]:
        relations = ("occupationSkillRelations_" + self.lang if self.labelled_relations
                     else "occupationSkillRelations")
        return {f"occupations_{self.lang}.csv": _csv(OCCUPATION_HEADER, self.occupation_rows()),
                f"skills_{self.lang}.csv": _csv(SKILL_HEADER, self.skill_rows()),
                f"{relations}.csv": _csv(LABELLED_RELATION_HEADER if self.labelled_relations
                                         else RELATION_HEADER, self.relation_rows())}


def write_zips(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """As the download service gives them: the classification zip and the relations zip."""
    folder.mkdir(parents=True, exist_ok=True)
    classification = folder / "esco-v9.9.9-classification-csv.zip"
    relations = folder / "esco-v9.9.9-classification-relations-csv.zip"
    for path, wanted in ((classification, False), (relations, True)):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                if name.startswith("occupationSkillRelations") == wanted:
                    archive.writestr(name, content)
    return [classification, relations]


def write_folder(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return [folder]


# --- what the database holds ----------------------------------------------------------------

TAXONOMY = (m.Occupation, m.Skill, m.OccupationSkill)


def state(session: Session) -> dict[str, Any]:
    """Every table's row count (the import history aside) and a digest of the taxonomy."""
    counts = {table.name: session.scalar(select(func.count()).select_from(table))
              for table in m.Base.metadata.sorted_tables if table.name != "import_run"}
    digest = hashlib.sha256()
    for model in TAXONOMY:
        key = list(model.__table__.primary_key.columns)
        for row in session.execute(select(model.__table__).order_by(*key)):
            digest.update(repr(tuple(row)).encode())
    version = session.scalar(select(m.CatalogState.version))
    return {"counts": counts, "taxonomy": digest.hexdigest(), "version": version}


def counts(report: ImportReport) -> dict[str, tuple[int, int, int, int]]:
    return {t.table: (t.added, t.changed, t.removed, t.unchanged) for t in report.tables}


def esco_rows(session: Session, model: type[m.Occupation] | type[m.Skill]) -> dict[str, Any]:
    return {r.esco_uri: r for r in session.scalars(select(model).where(
        model.code.startswith("esco_", autoescape=True)))}


def do_import(session: Session, paths: list[Path], **options: Any) -> ImportReport:
    return run_import(session, "esco", paths, actor_name="test", **options)


# --- the real ESCO v1.1.0 download, imported once into a file beside the bundled catalogue ---


@dataclass
class RealImport:
    url: str
    app: Flask
    first: ImportReport
    second: ImportReport
    before: Any  # the engine's snapshot before the import
    after: Any
    version_after_first: int
    version_after_second: int
    folder_load_changed: bool


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealImport]:
    if not all(path.is_file() for path in REAL_FILES):
        pytest.fail(f"the real ESCO files are missing from {REAL} (see /work/shared/data)")
    url = "sqlite:///" + str(tmp_path_factory.mktemp("esco-real") / "real.db")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, BUNDLED_CATALOG)
        before = load_snapshot(session)
        session.rollback()
        first = do_import(session, REAL_FILES, language="en")
        version_first = session.scalar(select(m.CatalogState.version))
        second = do_import(session, REAL_FILES, language="en")
        version_second = session.scalar(select(m.CatalogState.version))
        session.rollback()
        with session.begin():
            reload = load_catalog(session, BUNDLED_CATALOG)
        after = load_snapshot(session)
        session.rollback()
    yield RealImport(url, app, first, second, before, after, version_first or 0,
                     version_second or 0, reload.changed)
    app.extensions["db_engine"].dispose()
    index_cache.clear()


@pytest.mark.slow
def test_the_real_download_imports_every_concept(real: RealImport) -> None:
    # 3,008 occupations, 128 of them the catalogue's own (by ESCO URI); 13,891 skills;
    # 123,852 relations less the 6,554 of the catalogue's occupations, which keep theirs.
    assert counts(real.first) == {"occupation": (2880, 0, 0, 0), "skill": (13891, 0, 0, 0),
                                  "occupation_skill": (117298, 0, 0, 0)}
    assert real.first.extra["catalogue_rows_kept"] == {"occupations": 128, "skills": 0,
                                                       "relations_skipped": 6554}
    assert real.first.extra["esco_version"] == "v1.1.0"
    assert not real.first.problems
    # The one real fault of v1.1.0: a skill with a blank skillType.
    assert [str(w) for w in real.first.warnings] == [
        "skills_en.csv:85653: skillType: '' is neither skill/competence nor knowledge: the "
        "skill's kind is left blank"]


@pytest.mark.slow
def test_a_second_import_of_the_same_files_changes_nothing(real: RealImport) -> None:
    assert all(t.changes == 0 for t in real.second.tables)
    assert counts(real.second)["occupation_skill"] == (0, 0, 0, 117298)
    assert real.version_after_second == real.version_after_first
    # The folder loader leaves ESCO's rows alone, and loading the same folder is still a no-op.
    assert real.folder_load_changed is False


@pytest.mark.slow
def test_english_labels_go_in_english_columns_only(real: RealImport) -> None:
    with real.app.app_context():
        session = get_session()
        director = session.get(m.Occupation, "esco_00030d09-2b3a-4efd-87cc-c4ea39d27c34")
        assert director is not None
        assert director.title_en == "technical director" and director.title_da == ""
        assert "head of technical" in director.aliases_en and director.aliases_da == []
        assert "technical director" not in director.aliases_en  # the label is no alias of itself
        assert director.isco08 == "2654" and director.description_da is None
        assert director.esco_uri == OCCUPATION + "00030d09-2b3a-4efd-87cc-c4ea39d27c34"
        relations = session.scalars(select(m.OccupationSkill.relation).where(
            m.OccupationSkill.occupation_code == director.code)).all()
        assert relations == ["essential"] * 8  # as occupationSkillRelations.csv has them
        assert not session.scalar(select(func.count()).select_from(m.Skill).where(
            m.Skill.code.startswith("esco_", autoescape=True), m.Skill.label_da != ""))
        kinds = dict(session.execute(select(m.Skill.kind, func.count()).where(
            m.Skill.code.startswith("esco_", autoescape=True)).group_by(m.Skill.kind)).all())
        assert kinds == {"skill": 10459, "knowledge": 2991, "transversal": 440, None: 1}


def folder_rows(name: str) -> list[dict[str, str]]:
    with (BUNDLED_CATALOG / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_the_catalogues_own_occupations_keep_labels_code_and_relations(real: RealImport) -> None:
    folder = {row["code"]: row for row in folder_rows("occupations.csv")}
    with real.app.app_context():
        session = get_session()
        welder = session.get(m.Occupation, "svejser")
        assert welder is not None and welder.esco_uri == folder["svejser"]["esco_uri"]
        assert (welder.title_da, welder.title_en) == ("Svejser", "Welder")
        assert welder.aliases_en == folder["svejser"]["aliases_en"].split("|")
        # No second row for the same ESCO concept, and ESCO's relations did not join the
        # catalogue's own.
        assert session.scalar(select(func.count()).select_from(m.Occupation).where(
            m.Occupation.esco_uri == welder.esco_uri)) == 1
        skills = set(session.scalars(select(m.OccupationSkill.skill_code).where(
            m.OccupationSkill.occupation_code == "svejser")))
        expected = {row["skill_code"] for row in folder_rows("occupation_skills.csv")
                    if row["occupation_code"] == "svejser"}
        assert skills == expected


@pytest.mark.slow
def test_matching_and_the_typeahead_see_the_same_catalogue(real: RealImport) -> None:
    """3,000 unrated ESCO occupations with English labels only reach neither."""
    assert replace(real.after, version=0) == replace(real.before, version=0)
    lookup = build_lookup(real.after.occupations, real.after.skills)
    for query in ("technical director", "welder", "crane operator", "svejser"):
        assert not any(s.code.startswith("esco_") for s in suggest(lookup, query))


@pytest.fixture(scope="module")
def index(real: RealImport) -> CatalogIndex:
    """The personas' index (tests/data/test_personas.py), read from the imported database.

    Built and returned outside the app context: a context left pushed would make later
    tests' commands run against this database."""
    with real.app.app_context():
        return build_index(load_snapshot(get_session()))


# The persona tests once more, on the bundled catalogue with the whole of ESCO imported.
globals().update({f"{name}_after_esco_import": test for name, test
                  in vars(test_personas).items() if name.startswith("test_")})


# --- the catalogue's own rows, on the mini catalogue -----------------------------------------


def mini_with_uris(folder: Path) -> Path:
    """The mini catalogue, its welder and MAG welding tied to the synthetic ESCO URIs."""
    shutil.copytree(MINI_CATALOG, folder)
    for name, code, uri in (("occupations.csv", "svejser", WELDER),
                            ("skills.csv", "mag_svejsning", MAG)):
        path = folder / name
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        position = header.index("esco_uri")
        out = [lines[0]]
        for line in lines[1:]:
            cells = next(csv.reader([line]))
            if cells[0] == code:
                cells[position] = uri
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="").writerow(cells)
            out.append(buffer.getvalue())
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def mini(app: Flask, tmp_path: Path) -> Path:
    folder = mini_with_uris(tmp_path / "catalogue")
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, folder)
    return folder


def test_curated_rows_keep_their_text_and_new_rows_get_stable_codes(
        app: Flask, mini: Path, tmp_path: Path) -> None:
    with app.app_context():
        session = get_session()
        report = do_import(session, write_zips(tmp_path / "en", Esco().files()), language="en")
        assert counts(report) == {"occupation": (2, 0, 0, 0), "skill": (3, 0, 0, 0),
                                  "occupation_skill": (4, 0, 0, 0)}
        assert report.extra["catalogue_rows_kept"] == {"occupations": 1, "skills": 1,
                                                       "relations_skipped": 2}
        welder = session.get(m.Occupation, "svejser")
        assert welder is not None and (welder.title_da, welder.title_en) == ("Svejser", "Welder")
        crane = session.get(m.Occupation, esco_code(CRANE))
        assert crane is not None and crane.code == "esco_" + uuid(2)
        assert (crane.title_da, crane.title_en, crane.isco08) == ("", "crane operator", "8343")
        assert crane.aliases_en == ["crane driver", "tower crane operator"]
        assert session.get(m.Skill, esco_code(TEAM)).kind == "transversal"  # type: ignore[union-attr]
        # ESCO's relation of the crane operator to a skill the catalogue has goes to its code;
        # the welder's relations stay the catalogue's (no ESCO relation to "work in teams").
        assert set(session.execute(select(m.OccupationSkill.occupation_code,
                                          m.OccupationSkill.skill_code)).all()) >= {
            (esco_code(CRANE), esco_code(LIFT)), (esco_code(BAKER), esco_code(DOUGH))}
        assert session.scalars(select(m.OccupationSkill.skill_code).where(
            m.OccupationSkill.occupation_code == "svejser")).all() == ["mag_svejsning"]

        # The Danish files fill the Danish columns of the same rows, and nothing else.
        report = do_import(session, write_zips(tmp_path / "da", Esco(lang="da").files()),
                           language="da")
        assert counts(report)["occupation"] == (0, 2, 0, 0)
        assert counts(report)["occupation_skill"] == (0, 0, 0, 4)
        session.expire_all()
        crane = session.get(m.Occupation, esco_code(CRANE))
        assert crane is not None
        assert (crane.title_da, crane.title_en) == ("kranfører", "crane operator")
        assert crane.aliases_da == ["kranoperatør", "tårnkranfører"]
        assert crane.description_da == "About 002."
        welder = session.get(m.Occupation, "svejser")
        assert welder is not None and welder.title_da == "Svejser"  # never ESCO's "svejser"
        # Each language again: nothing to do.
        for lang in ("en", "da"):
            again = do_import(session, write_zips(tmp_path / f"{lang}2", Esco(lang=lang).files()),
                              language=lang)
            assert not again.changed, counts(again)


def test_a_folder_load_keeps_esco_rows_and_stays_idempotent(
        app: Flask, mini: Path, tmp_path: Path) -> None:
    esco = Esco(relations=(*RELATIONS, (CRANE, "optional", MAG)))  # to a catalogue skill
    with app.app_context():
        session = get_session()
        do_import(session, write_zips(tmp_path / "en", esco.files()), language="en")
        assert session.get(m.OccupationSkill, (esco_code(CRANE), "mag_svejsning")) is not None
        before = state(session)
        session.rollback()
        with session.begin():
            report = load_catalog(session, mini)
        assert not report.changed and state(session) == before
        session.rollback()
        # Without its curated MAG welding, the folder takes ESCO's relation to it along; the
        # next import restores it to ESCO's own skill.
        (mini / "skills.csv").write_text("\n".join(
            line for line in (mini / "skills.csv").read_text(encoding="utf-8").splitlines()
            if not line.startswith("mag_svejsning,")) + "\n", encoding="utf-8")
        for name in ("occupation_skills.csv", "course_skills.csv", "course_prerequisites.csv"):
            path = mini / name
            path.write_text("\n".join(line for line in path.read_text(
                encoding="utf-8").splitlines() if "mag_svejsning" not in line) + "\n",
                encoding="utf-8")
        with session.begin():
            removed = load_catalog(session, mini)
        assert session.get(m.Skill, "mag_svejsning") is None
        assert session.get(m.OccupationSkill, (esco_code(CRANE), "mag_svejsning")) is None
        relations = next(t for t in removed.tables if t.table == "occupation_skill")
        assert relations.removed == 2  # the welder's own, and ESCO's crane operator's
        assert session.get(m.Occupation, esco_code(CRANE)) is not None
        session.rollback()
        again = do_import(session, write_zips(tmp_path / "en2", esco.files()), language="en")
        assert counts(again)["skill"] == (1, 0, 0, 3)  # MAG welding is now ESCO's own
        assert counts(again)["occupation_skill"] == (1, 0, 0, 4)
        assert session.get(m.OccupationSkill, (esco_code(CRANE), esco_code(MAG))) is not None
        session.rollback()
        with session.begin():
            assert not load_catalog(session, mini).changed


def test_a_folder_may_not_use_the_esco_prefix(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    shutil.copytree(MINI_CATALOG, folder)
    path = folder / "skills.csv"
    path.write_text(path.read_text(encoding="utf-8") + "esco_mine,Min egen,,,,skill,\n",
                    encoding="utf-8")
    with app.app_context():
        session = get_session()
        with pytest.raises(CatalogInvalid) as invalid, session.begin():
            load_catalog(session, folder)
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert [str(p) for p in invalid.value.problems] == [
        f"skills.csv, line {line}, field code: the code 'esco_mine' begins with 'esco_', which "
        "is kept for rows of the ESCO import; choose another code"]


# --- what the engine is given ---------------------------------------------------------------


def test_an_esco_occupation_reaches_matching_once_used_and_labelled_in_danish(
        app: Flask, mini: Path, tmp_path: Path) -> None:
    with app.app_context():
        session = get_session()
        do_import(session, write_zips(tmp_path / "en", Esco().files()), language="en")
        with session.begin():
            session.execute(insert(m.CourseOccupation),
                            [{"course_code": "c_truck", "occupation_code": esco_code(CRANE)}])
        codes = {o.code for o in load_snapshot(session).occupations}
        assert esco_code(CRANE) not in codes  # used, but no Danish title: not shown
        session.rollback()
        do_import(session, write_zips(tmp_path / "da", Esco(lang="da").files()), language="da")
        snapshot = load_snapshot(session)
        crane = next(o for o in snapshot.occupations if o.code == esco_code(CRANE))
        assert crane.title_da == "kranfører"
        assert crane.essential == (esco_code(LIFT),) and crane.optional == (esco_code(TEAM),)
        assert esco_code(BAKER) not in {o.code for o in snapshot.occupations}  # unused
        assert {s.code for s in snapshot.skills if s.code.startswith("esco_")} == {
            esco_code(LIFT), esco_code(TEAM)}


# --- faults in real files: reported, and the import goes on ---------------------------------


def test_faults_that_are_warned_about_and_skipped(app: Flask, mini: Path, tmp_path: Path) -> None:
    esco = Esco(relations=(*RELATIONS, (OCCUPATION + uuid(9), "essential", MAG),
                           (OCCUPATION + uuid(9), "optional", LIFT),
                           (CRANE, "essential", SKILL + uuid(199)),
                           (BAKER, "optional", DOUGH)))
    files = esco.files()
    files["occupations_en.csv"] = files["occupations_en.csv"].replace(b",7512,baker,", b",75,,")
    with app.app_context():
        session = get_session()
        report = do_import(session, write_zips(tmp_path, files), language="en")
        shown = [str(w) for w in report.warnings]
        assert "occupations_en.csv:6: iscoGroup: '75' is not a 4-digit ISCO-08 unit group: " \
               "left blank" in shown
        assert (f"occupations_en.csv:6: preferredLabel: blank: {BAKER} is imported without a "
                "label in English") in shown
        assert (f"occupationSkillRelations.csv:8: occupationUri: {OCCUPATION + uuid(9)} is no "
                "occupation of the files: its 2 relation(s) are skipped") in shown
        assert (f"occupationSkillRelations.csv:10: skillUri: {SKILL + uuid(199)} is no skill "
                "of the files: its 1 relation(s) are skipped") in shown
        assert any(w.startswith("occupationSkillRelations.csv:11: skillUri: the relation")
                   and "essential is kept" in w for w in shown)
        assert counts(report)["occupation_skill"] == (4, 0, 0, 0)
        baker = session.get(m.Occupation, esco_code(BAKER))
        assert baker is not None and baker.title_en is None and baker.isco08 is None
        assert session.get(m.OccupationSkill, (esco_code(BAKER), esco_code(DOUGH))).relation \
            == "essential"  # type: ignore[union-attr]


def test_the_catalogue_naming_a_uri_the_files_lack_is_a_warning(
        app: Flask, mini: Path, tmp_path: Path) -> None:
    with app.app_context():
        session = get_session()
        report = do_import(session, write_zips(tmp_path, Esco(
            occupations=(CRANE, BAKER), relations=tuple(r for r in RELATIONS
                                                        if r[0] != WELDER)).files()),
            language="en")
        assert (f"occupations_en.csv: esco_uri: the catalogue's occupation svejser names "
                f"{WELDER}, which is not in the files") in [str(w) for w in report.warnings]


def test_an_occupation_dropped_by_a_newer_version_is_removed_when_unused(
        app: Flask, mini: Path, tmp_path: Path) -> None:
    with app.app_context():
        session = get_session()
        do_import(session, write_zips(tmp_path / "v1", Esco().files()), language="en")
        newer = Esco(occupations=(WELDER, CRANE), labelled_relations=True,
                     relations=tuple(r for r in RELATIONS if r[0] != BAKER))
        report = do_import(session, write_zips(tmp_path / "v2", newer.files()), language="en")
        assert counts(report) == {"occupation": (0, 0, 1, 1), "skill": (0, 0, 0, 3),
                                  "occupation_skill": (0, 0, 2, 2)}
        assert session.get(m.Occupation, esco_code(BAKER)) is None


# --- malformed input: a specific message, and nothing written --------------------------------


def _files(**changes: Any) -> Callable[[Path], list[Path]]:
    return lambda folder: write_zips(folder, Esco(**changes).files())


def _edit(name: str, old: bytes, new: bytes) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        files = Esco().files()
        assert old in files[name], f"the fixture no longer holds {old!r}"
        files[name] = files[name].replace(old, new, 1)
        return write_zips(folder, files)
    return build


def _without(name: str) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        files = Esco().files()
        del files[name]
        return write_zips(folder, files)
    return build


def _not_an_archive(folder: Path) -> list[Path]:
    folder.mkdir()
    (folder / "esco.pdf").write_bytes(b"%PDF-1.7\n")
    return [folder / "esco.pdf"]


def _twice(folder: Path) -> list[Path]:
    return [*write_folder(folder / "a", Esco().files()), *write_folder(folder / "b", Esco().files())]


def _missing_path(folder: Path) -> list[Path]:
    return [folder / "nowhere.zip"]


def _skills_as_occupations(folder: Path) -> list[Path]:
    files = Esco().files()
    files["occupations_en.csv"] = files["skills_en.csv"]
    return write_zips(folder, files)


def _empty_skills(folder: Path) -> list[Path]:
    files = Esco().files()
    files["skills_en.csv"] = b""
    return write_zips(folder, files)


LONG = ("x" * 201).encode()
MALFORMED: list[tuple[str, Callable[[Path], list[Path]], str, str]] = [
    ("unknown language", _files(), "de", "language: 'de': the catalogue keeps labels in da and en only"),
    ("English files as Danish", _files(), "da", "occupations_da.csv: not in the files given (ESCO's "
     "classification CSV download; found occupations_en.csv: import those with their own "
     "language)"),
    ("not a zip or CSV", _not_an_archive, "en", "esco.pdf: neither a zip file nor a CSV file"),
    ("no such path", _missing_path, "en", "nowhere.zip: no such file or folder"),
    ("skills file missing", _without("skills_en.csv"), "en", "skills_en.csv: not in the files given"),
    ("relations missing", _without("occupationSkillRelations.csv"), "en",
     "occupationSkillRelations.csv: not in the files given"),
    ("same file twice", _twice, "en", "found twice (a, b): give each file once"),
    ("wrong header", _skills_as_occupations, "en", "occupations_en.csv:1: the header lacks iscoGroup"),
    ("empty file", _empty_skills, "en", "skills_en.csv:1: the file is empty"),
    ("blank URI", _edit("occupations_en.csv", CRANE.encode(), b""), "en",
     "occupations_en.csv:4: conceptUri: blank: every concept needs its URI"),  # after 2 lines
    ("URI that is none", _edit("skills_en.csv", LIFT.encode(), b"lift-loads"), "en",
     "skills_en.csv:3: conceptUri: 'lift-loads' is not an ESCO URI"),
    ("duplicate URI", _edit("occupations_en.csv", BAKER.encode(), CRANE.encode()), "en",
     f"occupations_en.csv:6: conceptUri: {CRANE} is also on line 4: each concept once"),
    ("bad relationType", _edit("occupationSkillRelations.csv", b"optional", b"primary"), "en",
     "occupationSkillRelations.csv:3: relationType: 'primary' is neither essential nor optional"),
    ("label too long", _edit("skills_en.csv", b"knead dough", LONG), "en",
     "skills_en.csv:4: preferredLabel: 201 characters; at most 200"),
    ("not UTF-8", _edit("occupations_en.csv", b"crane operator", "kranfører".encode("latin-1")),
     "en", "occupations_en.csv:4: not UTF-8 text"),
    ("a field too many", _edit("occupationSkillRelations.csv", b"essential,", b"essential,,"),
     "en", "occupationSkillRelations.csv:2: 5 fields where the header has 4"),
    ("a field over the size limit", _edit("skills_en.csv", b"hoist loads", b"x" * 140_000),
     "en", "skills_en.csv:3: not a readable CSV file (field larger than field limit"),
]



@pytest.mark.parametrize(("build", "language", "message"),
                         [pytest.param(b, lang, msg, id=name) for name, b, lang, msg in MALFORMED])
def test_malformed_input_is_refused_and_nothing_is_written(
        app: Flask, mini: Path, tmp_path: Path, build: Callable[[Path], list[Path]],
        language: str, message: str) -> None:
    paths = build(tmp_path / "input")
    with app.app_context():
        session = get_session()
        do_import(session, write_zips(tmp_path / "first", Esco().files()), language="en")
        before = state(session)
        session.rollback()
        with pytest.raises(ImportRefused) as refused:
            do_import(session, paths, language=language)
        assert any(message in str(p) for p in refused.value.report.problems), \
            [str(p) for p in refused.value.report.problems]
        assert state(session) == before
        assert session.scalars(select(m.ImportRun.status).order_by(m.ImportRun.id)).all() \
            == ["applied", "refused"]


def test_removing_an_occupation_or_skill_in_use_is_refused_naming_the_users(
        app: Flask, mini: Path, tmp_path: Path) -> None:
    with app.app_context():
        session = get_session()
        do_import(session, write_zips(tmp_path / "v1", Esco().files()), language="en")
        with session.begin():
            session.execute(insert(m.CourseOccupation),
                            [{"course_code": "c_truck", "occupation_code": esco_code(BAKER)}])
            session.execute(insert(m.Shortage), [{
                "occupation_code": esco_code(BAKER), "rar_code": "VESTJ", "period": "2026H2",
                "category": "mangel"}])
            session.execute(insert(m.CourseSkill),
                            [{"course_code": "c_svejs", "skill_code": esco_code(DOUGH)}])
        before = state(session)
        session.rollback()
        newer = Esco(occupations=(WELDER, CRANE), skills=(MAG, LIFT, TEAM),
                     relations=tuple(r for r in RELATIONS if r[0] != BAKER))
        with pytest.raises(ImportRefused) as refused:
            do_import(session, write_zips(tmp_path / "v2", newer.files()), language="en")
        shown = [str(p) for p in refused.value.report.problems]
        assert shown == [
            f"occupations_en.csv: conceptUri: the ESCO occupation {esco_code(BAKER)} (baker) "
            "would be removed, as it is no longer in the files, but course c_truck, shortage "
            "(rar_code=VESTJ, period=2026H2) use it; link those to another row first",
            f"skills_en.csv: conceptUri: the ESCO skill {esco_code(DOUGH)} (knead dough) would "
            "be removed, as it is no longer in the files, but course c_svejs use it; link "
            "those to another row first"]
        assert state(session) == before


def test_a_dry_run_counts_and_writes_nothing(app: Flask, mini: Path, tmp_path: Path) -> None:
    with app.app_context():
        session = get_session()
        before = state(session)
        session.rollback()
        report = do_import(session, write_zips(tmp_path, Esco().files()), language="en",
                           dry_run=True)
        assert counts(report)["occupation"] == (2, 0, 0, 0)
        assert state(session) == before
        assert session.scalar(select(func.count()).select_from(m.ImportRun)) == 0


def test_a_folder_of_csv_files_and_progress(app: Flask, mini: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    with app.app_context():
        report = do_import(get_session(), write_folder(tmp_path / "csv", Esco().files()),
                           language="en", progress=lambda done, total: calls.append((done, total)))
    assert counts(report)["occupation_skill"] == (4, 0, 0, 0)
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(b[0] >= a[0] for a, b in pairwise(calls))


# --- the command ------------------------------------------------------------------------------


def test_command_imports_previews_and_refuses(app: Flask, mini: Path, runner: FlaskCliRunner,
                                              tmp_path: Path) -> None:
    paths = [str(p) for p in write_zips(tmp_path / "good", Esco().files())]
    dry = runner.invoke(args=["import", "esco", *paths, "--language", "en", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing was written." in dry.output
    assert "occupation_skill" in dry.output
    done = runner.invoke(args=["import", "esco", *paths, "--language", "en"])
    assert done.exit_code == 0, done.output
    assert "Imported esco-v9.9.9-classification-csv.zip" in done.output
    again = runner.invoke(args=["import", "esco", *paths, "--language", "en"])
    assert "No changes: the database already holds these data." in again.output
    # The default language is Danish: English files are refused, not taken for Danish.
    refused = runner.invoke(args=["import", "esco", *paths])
    assert refused.exit_code == 1
    assert "occupations_da.csv: not in the files given" in refused.output
    assert "Refused: 2 problem(s); nothing was written." in refused.output
    assert ("ESCO v9.9.9 in en: 1 occupation(s) and 1 skill(s) are the catalogue's own (same "
            "ESCO URI) and keep their code, labels and relations; 2 ESCO relation(s) of those "
            "occupations were not imported.") in done.output
    with app.app_context():
        assert get_session().scalars(select(m.ImportRun.status).order_by(
            m.ImportRun.id)).all() == ["applied", "applied", "refused"]


# --- matching keeps serving while an import writes ------------------------------------------


def test_matching_is_served_from_another_connection_while_the_import_writes(
        tmp_path: Path) -> None:
    """SQLite in WAL mode: the import holds the write lock with rows written and not yet
    committed; a match from another connection is answered from the catalogue as it was."""
    url = "sqlite:///" + str(tmp_path / "wal.db")
    engine: Engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    folder = mini_with_uris(tmp_path / "catalogue")
    paths = write_zips(tmp_path / "esco", Esco(lang="da").files())
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, folder)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        occupations = connection.scalar(select(func.count()).select_from(m.Occupation))
    writing, matched = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    first_total: dict[str, int] = {}

    def progress(done: int, total: int) -> None:
        # The total grows by the rows to write once they are planned: from then on rows are
        # written and the import's transaction is open, until this returns.
        if total > first_total.setdefault("total", total) and not writing.is_set():
            writing.set()
            if not matched.wait(30):
                failures.append(TimeoutError("no match while the import wrote"))

    def run() -> None:
        try:
            with app.app_context():
                do_import(get_session(), paths, language="da", progress=progress)
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert writing.wait(60), failures
        with Session(engine) as reader:
            assert reader.scalar(select(func.count()).select_from(m.Occupation)) == occupations
            result = match(Profile(status="unemployed", age=40, education_level="grundskole",
                                   occupations=(PastJob("lagermedarbejder", 5.0),)),
                           build_index(load_snapshot(reader)), today=test_personas.TODAY)
        assert [o.code for o in result.occupations][:1] == ["lagermedarbejder"]
    finally:
        matched.set()
        thread.join(60)
    assert not failures, failures
    with Session(engine) as reader:
        assert reader.scalar(select(func.count()).select_from(m.Occupation)) == occupations + 2
    app.extensions["db_engine"].dispose()
    engine.dispose()
    index_cache.clear()


def test_a_preview_that_changes_nothing_takes_no_write_lock(tmp_path: Path) -> None:
    """SQLite: with another writer holding the lock, previewing the same files again still
    answers at once (the comparison runs before the lock, which only writes need)."""
    url = "sqlite:///" + str(tmp_path / "locked.db")
    engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    paths = write_zips(tmp_path / "esco", Esco().files())
    with app.app_context():
        session = get_session()
        with session.begin():
            load_catalog(session, mini_with_uris(tmp_path / "catalogue"))
        do_import(session, paths, language="en")
    with engine.connect() as other:
        other.exec_driver_sql("BEGIN IMMEDIATE")  # another writer, mid-transaction
        with app.app_context():
            report = do_import(get_session(), paths, language="en", dry_run=True)
        other.rollback()
    assert not report.changed and counts(report)["occupation_skill"] == (0, 0, 0, 4)
    app.extensions["db_engine"].dispose()
    engine.dispose()


def test_a_catalogue_written_meanwhile_is_compared_again(
        app: Flask, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer committed between the comparison and the lock: it is made again, and
    the report holds each warning once."""
    versions = iter([1, 2])
    monkeypatch.setattr(esco, "_catalogue_version", lambda _session: next(versions))
    files = Esco().files()
    files["occupations_en.csv"] = files["occupations_en.csv"].replace(b",7512,", b",75,")
    with app.app_context():
        report = do_import(get_session(), write_zips(tmp_path, files), language="en")
    assert [w.field for w in report.warnings] == ["iscoGroup"]
    assert counts(report)["occupation"] == (2, 0, 0, 0)
    with pytest.raises(StopIteration):
        next(versions)  # read twice: before the comparison and once locked


@pytest.mark.slow
def test_the_about_data_page_counts_what_matching_uses(real: RealImport) -> None:
    """"Om data" counts occupations and skills as matching sees them, not ESCO's 16,000."""
    with real.app.app_context():
        counts = data_overview(get_session()).counts
    assert counts["occupations"] == len(real.after.occupations)
    assert counts["skills"] == len(real.after.skills)
