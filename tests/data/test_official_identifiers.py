"""The ESCO URIs and DISCO-08 codes in occupations.csv exist in the official files they came from.

The official files are the unmodified downloads in ../shared/data next to the repository
(ESCO v1.1.0 from the European Commission, DISCO-08 from Danmarks Statistik), or wherever
KL_SHARED_DATA points. A clean clone elsewhere lacks them, so the identifiers the catalogue
uses are also kept as an excerpt, official_identifiers.csv beside this file (URI or code,
its official label and group): the catalogue is always checked against the excerpt, and
the excerpt against the official files whenever they are there.
scripts/match_esco.py writes the identifiers from scripts/esco_matches.csv.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from matcher.data.catalog import read_catalog
from tests.conftest import BUNDLED_CATALOG, ROOT

SHARED_DATA = Path(os.environ.get("KL_SHARED_DATA")
                   or Path(__file__).resolve().parents[2].parent / "shared" / "data")
ESCO_ZIP = SHARED_DATA / "esco-v1.1.0" / "esco-v1.1.0-classification-en-csv.zip"
DISCO_CSV = SHARED_DATA / "disco08" / "disco08_dst.csv"
EXCERPT = Path(__file__).with_name("official_identifiers.csv")

needs_official_files = pytest.mark.skipif(
    not SHARED_DATA.is_dir(),
    reason=f"official ESCO and DISCO-08 files not found at {SHARED_DATA} (set KL_SHARED_DATA)")

Occupation = dict[str, object]


@pytest.fixture(scope="module")
def occupations() -> list[Occupation]:
    # Through the catalogue reader, so the loader's own field checks run on the file too.
    return read_catalog(BUNDLED_CATALOG).rows["occupations.csv"]


def excerpt(source: str) -> dict[str, tuple[str, str]]:
    """identifier -> (official label, group) for one source of the excerpt."""
    with EXCERPT.open(encoding="utf-8", newline="") as f:
        return {row["identifier"]: (row["label"], row["group"])
                for row in csv.DictReader(f) if row["source"] == source}


@pytest.fixture(scope="module")
def esco_groups() -> dict[str, str]:
    """ESCO occupation URI -> ISCO-08 unit group, from the excerpt."""
    return {uri: group for uri, (_, group) in excerpt("esco-v1.1.0").items()}


@pytest.fixture(scope="module")
def disco_levels() -> dict[str, str]:
    """DISCO-08 code -> level (5 is the 6-digit job code), from the excerpt."""
    return {code: level for code, (_, level) in excerpt("disco08").items()}


def filled(occupations: list[Occupation], column: str) -> dict[str, str]:
    found = {str(o["code"]): str(o[column]) for o in occupations if o[column] is not None}
    assert found, f"no occupation has a {column}"
    return found


def test_every_esco_uri_is_an_esco_occupation(occupations: list[Occupation],
                                              esco_groups: dict[str, str]) -> None:
    unknown = {code: uri for code, uri in filled(occupations, "esco_uri").items()
               if uri not in esco_groups}
    assert unknown == {}


def test_isco08_is_escos_unit_group_for_the_uri(occupations: list[Occupation],
                                                esco_groups: dict[str, str]) -> None:
    isco = {str(o["code"]): o["isco08"] for o in occupations}
    differ = {code: (isco[code], esco_groups.get(uri))
              for code, uri in filled(occupations, "esco_uri").items()
              if isco[code] != esco_groups.get(uri)}
    assert differ == {}


def test_every_disco08_is_a_disco_job_code(occupations: list[Occupation],
                                           disco_levels: dict[str, str]) -> None:
    wrong = {code: value for code, value in filled(occupations, "disco08").items()
             if disco_levels.get(value) != "5"}
    assert wrong == {}


@needs_official_files
def test_the_excerpt_is_what_the_official_files_say() -> None:
    with zipfile.ZipFile(ESCO_ZIP) as archive, archive.open("occupations_en.csv") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        esco = {row["conceptUri"]: (row["preferredLabel"], row["iscoGroup"]) for row in reader}
    with DISCO_CSV.open(encoding="utf-8-sig", newline="") as f:
        disco = {row["KODE"]: (row["TITEL"], row["NIVEAU"])
                 for row in csv.DictReader(f, delimiter=";")}
    assert {uri: esco.get(uri) for uri in excerpt("esco-v1.1.0")} == excerpt("esco-v1.1.0")
    assert {code: disco.get(code) for code in excerpt("disco08")} == excerpt("disco08")


def test_the_excerpt_holds_only_what_the_catalogue_uses(occupations: list[Occupation]) -> None:
    used = set(filled(occupations, "esco_uri").values()) | set(filled(occupations, "disco08").values())
    assert set(excerpt("esco-v1.1.0")) | set(excerpt("disco08")) == used


@needs_official_files
def test_occupations_csv_is_what_the_reviewed_mapping_gives() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "match_esco.py"), "--check", "--data-dir", str(SHARED_DATA)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
