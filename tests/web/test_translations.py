"""Every user-facing string is translated: the English catalogue covers the extracted text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "matcher" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def extracted_ids(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {str(message.id) for message in read_po(handle) if message.id}


def test_english_catalogue_translates_every_extracted_string(tmp_path: Path) -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    translated = {str(m.id) for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(extracted_ids(tmp_path) - translated)
    assert not missing, "untranslated (run `make messages`, then translate): " + "; ".join(missing[:10])


def test_no_obsolete_or_empty_entries() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    assert not catalog.obsolete
    assert not catalog.fuzzy  # a fuzzy header would make pybabel skip the whole catalogue
    assert all(m.string for m in catalog if m.id)
