"""The anonymous result-page counts never make a citizen wait for a long write."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from matcher.data import migrate
from matcher.data import models as m
from matcher.data.appearances import COUNT_WAIT_MS, count_shown
from matcher.data.db import make_engine


def test_a_count_is_skipped_quickly_while_another_writer_holds_the_lock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/counts.db", request_timeout_ms=5000)
    migrate.upgrade(engine)
    day = date(2026, 12, 1)
    count_shown(engine, day, courses=["c1"], occupations=[])
    other = make_engine(f"sqlite:///{tmp_path}/counts.db")
    with other.connect() as holder:
        holder.exec_driver_sql("BEGIN IMMEDIATE")  # as an import holds SQLite's write lock
        started = time.perf_counter()
        count_shown(engine, day, courses=["c1"], occupations=["o1"])
        waited = time.perf_counter() - started
        holder.exec_driver_sql("ROLLBACK")
    assert waited < 10 * COUNT_WAIT_MS / 1000  # not the 15 s a command would wait
    count_shown(engine, day, courses=["c1"], occupations=[])
    with engine.connect() as connection:
        counts = dict(connection.execute(select(m.ResultAppearance.code,
                                                m.ResultAppearance.count)).all())
    assert counts == {"c1": 2}  # the skipped page was not counted; the others were
    engine.dispose()
    other.dispose()
