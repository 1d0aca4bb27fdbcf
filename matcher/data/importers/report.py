"""What an import did or would do: counts per table and problems with file, line and field.

Problems refuse the import (nothing is written); warnings are reported and the import
goes on (for example an ESCO relation naming a skill that is not in the files).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# done, total: called now and then by a long import (the page's and the terminal's bar).
Progress = Callable[[int, int], None]

MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1 is the header line of a CSV file; None: the file as a whole
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field,
                "message": self.message}


@dataclass
class TableCount:
    table: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def changes(self) -> int:
        return self.added + self.changed + self.removed


@dataclass
class ImportReport:
    kind: str
    files: list[str] = field(default_factory=list)
    checksum: str = ""
    tables: list[TableCount] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Anything an importer needs to show besides counts (e.g. the balance's uncertain titles).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def changed(self) -> bool:
        return any(t.changes for t in self.tables)

    def table(self, name: str) -> TableCount:
        for t in self.tables:
            if t.table == name:
                return t
        count = TableCount(name)
        self.tables.append(count)
        return count

    def problem(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, column, message))

    def warn(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.warnings.append(Problem(file, line, column, message))

    def as_dict(self) -> dict[str, Any]:
        """For import_run.report (JSON): the first problems and warnings, and how many."""
        return {
            "kind": self.kind, "files": self.files, "checksum": self.checksum,
            "tables": [vars(t).copy() for t in self.tables],
            "problems": [p.as_dict() for p in self.problems[:MAX_PROBLEMS_SHOWN]],
            "problem_count": len(self.problems),
            "warnings": [p.as_dict() for p in self.warnings[:MAX_PROBLEMS_SHOWN]],
            "warning_count": len(self.warnings),
            "extra": self.extra,
        }


class ImportRefused(Exception):
    """The input is refused; report says why. Nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{report.kind} import refused: {len(report.problems)} problem(s)")
        self.report = report


def checksum(paths: Iterable[Path]) -> str:
    """SHA-256 over the files' bytes, in the order given: the same files, the same sum.

    A folder (the ESCO import takes one) counts as its files by name; a path that is no
    file counts as its name, and the importer reports it.
    """
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
        for file in files:
            if path.is_dir():
                digest.update(file.relative_to(path).as_posix().encode())
            if not file.is_file():
                digest.update(file.name.encode())
                continue
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()
