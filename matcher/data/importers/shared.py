"""What the labour-market importers share besides reading CSV: RAR areas named as STAR
names them, and the catalogue's "demonstration data" flag after an import."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.importers.report import TableCount
from matcher.engine.lookup import normalize

DEMO = "demo"
# Words STAR and the lists use for the whole country rather than one area.
NATIONAL_WORDS = frozenset(normalize(word) for word in (
    "hele landet", "landsplan", "landsdækkende", "national", "nationwide", "Danmark",
    "Denmark", "hele Danmark", "DK"))


class Areas:
    """The RAR areas of the catalogue, found by code or by name ("RAR Vestjylland",
    "Vestjylland", "VESTJ"), however cased or spelt with æøå."""

    def __init__(self, session: Session) -> None:
        self.rows = {row.code: row for row in session.scalars(select(m.RarArea))}
        self._keys: dict[str, str] = {}
        for row in self.rows.values():
            for text in (row.code, row.name):
                key = normalize(text)
                self._keys.setdefault(key, row.code)
                for prefix in ("rar omraade ", "rar "):
                    if key.startswith(prefix):
                        self._keys.setdefault(key[len(prefix):], row.code)

    def find(self, raw: str) -> str | None:
        key = normalize(raw)
        for prefix in ("rar omraade ", "rar "):
            if key.startswith(prefix) and key not in self._keys:
                key = key[len(prefix):]
        return self._keys.get(key)

    def unknown(self, raw: str) -> str:
        """The message for a name that is no area of the catalogue."""
        names = ", ".join(f"{row.name} ({row.code})" for row in self.rows.values())
        return f"{raw!r} is not a RAR area of the catalogue; known areas: {names}"

    def valid_during(self, code: str, start: date, end: date) -> bool:
        row = self.rows[code]
        return ((row.valid_from is None or row.valid_from <= end)
                and (row.valid_to is None or row.valid_to >= start))


def is_national(raw: str) -> bool:
    return normalize(raw) in NATIONAL_WORDS


def refresh_demo_flag(session: Session) -> None:
    """The "Demonstrationsdata" notice shows while any row says source=demo (as a folder
    load decides it), so an import that adds or replaces demo rows moves the flag too."""
    state = session.get(m.CatalogState, 1)
    if state is None:
        return
    session.flush()
    state.has_demo = any(
        session.scalar(select(exists().where(column == DEMO))) for column in (
            m.Provider.source, m.Course.source, m.Shortage.source, m.PositiveListEntry.source))


def update_counted(row: Any, fields: Mapping[str, Any], count: TableCount, *,
                   differs: Callable[[Any, Any], bool] = operator.ne) -> None:
    """A stored row takes fields; counted as changed if any value differs, else unchanged."""
    if any(differs(getattr(row, name), value) for name, value in fields.items()):
        for name, value in fields.items():
            setattr(row, name, value)
        count.changed += 1
    else:
        count.unchanged += 1
