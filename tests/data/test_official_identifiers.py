"""The ESCO URIs and DISCO-08 codes in occupations.csv exist in the official files they came from.

The files are the unmodified downloads in ../shared/data next to the repository (ESCO v1.1.0
from the European Commission, DISCO-08 from Danmarks Statistik); without them these tests
are skipped. scripts/match_esco.py writes the identifiers from scripts/esco_matches.csv.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from matcher.data.catalog import read_catalog
from tests.conftest import BUNDLED_CATALOG, ROOT

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
ESCO_ZIP = SHARED_DATA / "esco-v1.1.0" / "esco-v1.1.0-classification-en-csv.zip"
DISCO_CSV = SHARED_DATA / "disco08" / "disco08_dst.csv"

pytestmark = pytest.mark.skipif(
    not SHARED_DATA.is_dir(),
    reason=f"official ESCO and DISCO-08 files not found at {SHARED_DATA} (see scripts/match_esco.py)")

Occupation = dict[str, object]


@pytest.fixture(scope="module")
def occupations() -> list[Occupation]:
    # Through the catalogue reader, so the loader's own field checks run on the file too.
    return read_catalog(BUNDLED_CATALOG).rows["occupations.csv"]


@pytest.fixture(scope="module")
def esco_groups() -> dict[str, str]:
    """ESCO occupation URI -> ISCO-08 unit group."""
    with zipfile.ZipFile(ESCO_ZIP) as archive, archive.open("occupations_en.csv") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        return {row["conceptUri"]: row["iscoGroup"] for row in reader}


@pytest.fixture(scope="module")
def disco_levels() -> dict[str, str]:
    """DISCO-08 code -> level (5 is the 6-digit job code)."""
    with DISCO_CSV.open(encoding="utf-8-sig", newline="") as f:
        return {row["KODE"]: row["NIVEAU"] for row in csv.DictReader(f, delimiter=";")}


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


def test_occupations_csv_is_what_the_reviewed_mapping_gives() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "match_esco.py"), "--check", "--data-dir", str(SHARED_DATA)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
