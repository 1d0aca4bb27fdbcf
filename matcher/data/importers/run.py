"""One way to run any import, for the command and the admin pages alike.

The importer writes into the session and fills the report. A refused or dry run is rolled
back, so a preview counts exactly what the import would do; an applied run bumps the
catalogue version (every process's next match rebuilds its index) and is recorded in the
import history together with its report. A refused run is recorded too, in a transaction
of its own after the rollback.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from matcher.data import models as m
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
