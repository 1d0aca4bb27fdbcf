"""Two catalogue loads at the same time leave one folder's catalogue, never a mix (issue 10).

The second load waits for the first (an advisory lock on PostgreSQL, the write lock taken
before the first read on SQLite), then plans against what the first wrote: both succeed,
and the catalogue afterwards equals one of the two folders exactly.
"""

from __future__ import annotations

import csv
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from matcher.data.catalog import load_catalog
from matcher.data.db import make_engine
from tests.conftest import MINI_CATALOG, empty_tables


def other_folder(tmp_path: Path) -> Path:
    """The mini catalogue with every course renamed and a provider's postcode moved."""
    folder = tmp_path / "other"
    shutil.copytree(MINI_CATALOG, folder)
    for name in ("courses.csv", "providers.csv"):
        path = folder / name
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            if name == "courses.csv":
                row["title_da"] = "Ændret: " + row["title_da"]
            else:
                row["postcode"] = "7500"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


def holds(engine_url: str, folder: Path) -> bool:
    """Whether the database equals folder: loading it would change nothing (rolled back)."""
    engine = make_engine(engine_url)
    try:
        with Session(engine) as session:
            with session.begin():
                changed = load_catalog(session, folder).changed
                session.rollback()
            return not changed
    finally:
        engine.dispose()


@pytest.mark.parametrize("attempt", range(3))
def test_two_loads_at_once_never_mix(database_url: str, tmp_path: Path, attempt: int) -> None:
    folders = [MINI_CATALOG, other_folder(tmp_path)]
    engine = make_engine(database_url)
    empty_tables(engine)
    barrier = threading.Barrier(2)
    failed: list[BaseException] = []

    def load(folder: Path) -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                with session.begin():
                    load_catalog(session, folder)
            except Exception as error:  # reported by the test, not lost in the thread
                failed.append(error)

    threads = [threading.Thread(target=load, args=(folder,)) for folder in folders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert not failed  # serialised: both loads succeed, one after the other
        assert holds(database_url, folders[0]) or holds(database_url, folders[1])
    finally:
        empty_tables(engine)
        engine.dispose()
