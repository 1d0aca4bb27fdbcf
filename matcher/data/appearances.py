"""Anonymous counts of what the citizens' result pages showed: a code, a day, a number.

Written once per result page with one statement; a failure to count is logged and never
costs a citizen their page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matcher.data import models as m

log = logging.getLogger(__name__)
WINDOW_DAYS = 30  # what a provider is shown: the last 30 days, today included
# A count is worth less than a citizen's wait: while a long write (an ESCO import on SQLite)
# holds the lock, the count is skipped after this long instead of the request's 5 s.
COUNT_WAIT_MS = 200


def count_shown(engine: Engine, day: date, *, courses: Iterable[str],
                occupations: Iterable[str]) -> None:
    """Add one to each course and occupation shown on a result page today (each once).

    In a transaction of its own, committed at once: the request's session only reads.
    """
    rows = ([{"kind": "course", "code": code, "day": day, "count": 1}
             for code in dict.fromkeys(courses)]
            + [{"kind": "occupation", "code": code, "day": day, "count": 1}
               for code in dict.fromkeys(occupations)])
    if not rows:
        return
    insert = (postgresql_insert if engine.dialect.name == "postgresql"
              else sqlite_insert)(m.ResultAppearance)
    statement = insert.on_conflict_do_update(
        index_elements=["kind", "code", "day"],
        set_={"count": m.ResultAppearance.count + 1})
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {COUNT_WAIT_MS}")
            else:
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{COUNT_WAIT_MS}ms'")
            connection.execute(statement, rows)
    except SQLAlchemyError:
        log.warning("result page counts not written", exc_info=True)


def shown_count(session: Session, kind: str, code: str, today: date) -> int:
    """Result pages that showed this code in the last WINDOW_DAYS days."""
    since = today - timedelta(days=WINDOW_DAYS - 1)
    total = session.scalar(select(func.coalesce(func.sum(m.ResultAppearance.count), 0)).where(
        m.ResultAppearance.kind == kind, m.ResultAppearance.code == code,
        m.ResultAppearance.day >= since, m.ResultAppearance.day <= today))
    return int(total or 0)
