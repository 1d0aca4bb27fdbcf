"""One way to run any import, for the command and the admin pages alike.

The importer writes into the session and fills the report. A refused or dry run is rolled
back, so a preview counts exactly what the import would do; an applied run bumps the
catalogue version (every process's next match rebuilds its index) and is recorded in the
import history together with its report. A refused run is recorded too, in a transaction
of its own after the rollback.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.db import COMMAND_BUSY_TIMEOUT_MS
from matcher.data.importers.report import ImportRefused, ImportReport, Progress, checksum
from matcher.data.listings import bump_catalog_version

MODULES = {"esco": "esco", "balance": "balance", "positive_lists": "positive_lists",
           "rates": "rates"}


class Importer(Protocol):
    def __call__(self, session: Session, paths: Sequence[Path], report: ImportReport,
                 progress: Progress | None, **options: Any) -> None: ...


def importer(kind: str) -> Importer:
    """module.apply of matcher.data.importers.<kind>: read paths, write, fill the report."""
    module = importlib.import_module(f"matcher.data.importers.{MODULES[kind]}")
    return module.apply  # type: ignore[no-any-return]


def run_import(session: Session, kind: str, paths: Sequence[Path], *, dry_run: bool = False,
               actor: m.UserAccount | None = None, actor_name: str | None = None,
               progress: Progress | None = None, names: Sequence[str] | None = None,
               **options: Any) -> ImportReport:
    """Run an import in session's transaction and commit or roll back; ImportRefused if
    the input is refused. names: the files' names as the user knows them (an upload)."""
    report = ImportReport(kind, files=list(names or [p.name for p in paths]),
                          checksum=checksum(paths))
    importer(kind)(session, paths, report, progress, **options)
    if report.refused or dry_run:
        session.rollback()
        if report.refused and not dry_run:
            record(session, report, "refused", actor=actor, actor_name=actor_name)
            session.commit()
            raise ImportRefused(report)
        return report
    if report.changed:
        bump_catalog_version(session)
    record(session, report, "applied", actor=actor, actor_name=actor_name)
    session.commit()
    return report


def record(session: Session, report: ImportReport, status: str, *,
           actor: m.UserAccount | None, actor_name: str | None) -> m.ImportRun:
    now = datetime.now(UTC)
    row = m.ImportRun(kind=report.kind, status=status, started_at=now, finished_at=now,
                      actor_id=actor.id if actor else None, actor_name=actor_name,
                      files=report.files, checksum=report.checksum, report=report.as_dict())
    session.add(row)
    session.flush()
    return row


# --- the admin pages' runs: one ImportRun row from "running" to its end ---------------------
# An import started from the web runs in a background thread with a session of its own; its
# row is written first (status "running") and then finished in place. Progress goes to the
# row in short transactions of their own on another connection, so that any process can
# read it while the import's transaction is still open.

STALE_AFTER = timedelta(minutes=30)  # a "running" row silent this long: its process died
PROGRESS_EVERY_S = 1.0
_live: dict[int, tuple[int, int, datetime]] = {}  # this process's runs: done, total, when
_live_lock = threading.Lock()


def start_run(session: Session, kind: str, *, files: Sequence[str], checksum_: str,
              actor: m.UserAccount | None, dry_run: bool,
              note: dict[str, Any] | None = None) -> m.ImportRun:
    """The row of a run about to start (status "running"); the caller commits it."""
    now = datetime.now(UTC)
    row = m.ImportRun(kind=kind, status="running", started_at=now, actor_id=actor.id if actor
                      else None, actor_name=actor.email[:100] if actor else None,
                      files=list(files),
                      checksum=checksum_, done=0, total=0,
                      report={**(note or {}), "dry_run": dry_run,
                              "progress_at": now.isoformat()})
    session.add(row)
    session.flush()
    return row


def run_recorded(session: Session, run_id: int, kind: str, paths: Sequence[Path], *,
                 dry_run: bool, names: Sequence[str] | None = None,
                 progress: Progress | None = None, **options: Any) -> ImportReport:
    """As run_import, for a run whose row already exists: the row becomes "previewed" (a
    dry run), "refused" or "applied" (in the import's own transaction, so the history never
    says applied for writes that were rolled back). Refusal raises nothing here: the row
    and the returned report say so."""
    report = ImportReport(kind, files=list(names or [p.name for p in paths]),
                          checksum=checksum(paths))
    importer(kind)(session, paths, report, progress, **options)
    if report.refused or dry_run:
        session.rollback()
        _finish(session, run_id, "refused" if report.refused else "previewed", report)
        session.commit()
        return report
    if report.changed:
        bump_catalog_version(session)
    _finish(session, run_id, "applied", report)
    session.commit()
    return report


def fail_run(session: Session, run_id: int, reference: str) -> None:
    """A run that ended in an unexpected error: nothing was written; the log has the rest
    under reference. The caller has rolled back and commits."""
    row = session.get(m.ImportRun, run_id, populate_existing=True)
    if row is not None:
        row.status = "failed"
        row.finished_at = datetime.now(UTC)
        row.report = {**_kept(row.report), "error_reference": reference}


def _kept(report: dict[str, Any] | None) -> dict[str, Any]:
    """What the starter noted in the row (dry run or not, the upload), without progress."""
    return {k: v for k, v in (report or {}).items() if k != "progress_at"}


def _finish(session: Session, run_id: int, status: str, report: ImportReport) -> None:
    row = session.get(m.ImportRun, run_id, populate_existing=True)
    if row is None:  # deleted meanwhile (tests empty tables): nothing to record into
        return
    row.status = status
    row.finished_at = datetime.now(UTC)
    row.report = {**_kept(row.report), **report.as_dict()}
    if row.total:
        row.done = row.total


class ProgressWriter:
    """The progress callback of a background run: kept in this process at every call, and
    written to the row at most once a second on a connection of its own.

    PostgreSQL: the write is its own short transaction and waits at most 200 ms for a lock.
    SQLite has one writer at a time: once the import holds the write lock, the row cannot
    be written until it commits, so the first refusal stops the writing (never a wait) and
    this process's copy (live_progress) serves the pages.
    """

    def __init__(self, engine: Engine, run_id: int) -> None:
        self.engine, self.run_id = engine, run_id
        self.sqlite = engine.dialect.name == "sqlite"
        self.writing = True
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = datetime.now(UTC)
        with _live_lock:
            _live[self.run_id] = (done, total, now)
        tick = time.monotonic()
        if not self.writing or (tick - self.last < PROGRESS_EVERY_S and done < total):
            return
        self.last = tick
        try:
            self._write(done, total, now)
        except DBAPIError:  # PostgreSQL: a lock not had in 200 ms, try at the next tick
            if self.sqlite:
                self.writing = False
        except SQLAlchemyError:  # never let the bar stop the import
            self.writing = False

    def _write(self, done: int, total: int, now: datetime) -> None:
        with self.engine.connect() as connection:
            if self.sqlite:
                connection.exec_driver_sql("PRAGMA busy_timeout = 0")
                connection.commit()
            try:
                with connection.begin():
                    if not self.sqlite:
                        connection.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
                    row = connection.execute(select(m.ImportRun.report).where(
                        m.ImportRun.id == self.run_id)).scalar_one_or_none()
                    connection.execute(update(m.ImportRun).where(
                        m.ImportRun.id == self.run_id, m.ImportRun.status == "running")
                        .values(done=done, total=total,
                                report={**(row or {}), "progress_at": now.isoformat()}))
            finally:
                if self.sqlite:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout = {COMMAND_BUSY_TIMEOUT_MS}")

    def close(self) -> None:
        with _live_lock:
            _live.pop(self.run_id, None)


def live_progress(run_id: int) -> tuple[int, int, datetime] | None:
    """done, total and when, for a run of this process that is still going."""
    with _live_lock:
        return _live.get(run_id)


def is_stale(row: m.ImportRun, *, now: datetime | None = None) -> bool:
    """A "running" row with no sign of life for STALE_AFTER: its process has died."""
    if row.status != "running":
        return False
    live = live_progress(row.id)
    if live is not None:
        return False
    last = _aware(row.started_at)
    noted = (row.report or {}).get("progress_at")
    if isinstance(noted, str):
        with contextlib.suppress(ValueError):
            last = max(last, _aware(datetime.fromisoformat(noted)))
    return (now or datetime.now(UTC)) - last > STALE_AFTER


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
