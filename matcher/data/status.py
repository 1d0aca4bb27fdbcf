"""Read-only facts about the loaded catalogue, for the layout and the "Om data" page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.data import models as m


@dataclass(frozen=True, slots=True)
class CatalogStatus:
    version: int
    has_demo: bool
    loaded_at: datetime | None


@dataclass(frozen=True, slots=True)
class DataOverview:
    counts: dict[str, int]
    periods: tuple[str, ...]
    shortage_sources: tuple[str, ...]
    funding_years: tuple[int, ...]
    status: CatalogStatus


EMPTY_STATUS = CatalogStatus(version=0, has_demo=False, loaded_at=None)

_COUNTED = {
    "occupations": m.Occupation,
    "skills": m.Skill,
    "providers": m.Provider,
    "courses": m.Course,
    "sessions": m.CourseSession,
    "shortages": m.Shortage,
    "municipalities": m.Municipality,
    "postcodes": m.Postcode,
}


def catalog_status(session: Session) -> CatalogStatus:
    row = session.get(m.CatalogState, 1)
    if row is None:
        return EMPTY_STATUS
    return CatalogStatus(version=row.version, has_demo=row.has_demo, loaded_at=row.loaded_at)


def data_overview(session: Session) -> DataOverview:
    counts = {name: session.scalar(select(func.count()).select_from(model)) or 0
              for name, model in _COUNTED.items()}
    periods = session.scalars(select(m.Shortage.period).distinct()
                              .order_by(m.Shortage.period.desc()))
    sources = session.scalars(select(m.Shortage.source).distinct()
                              .where(m.Shortage.source.is_not(None)).order_by(m.Shortage.source))
    years = session.scalars(select(m.FundingRate.year).distinct().order_by(m.FundingRate.year))
    return DataOverview(counts=counts, periods=tuple(periods),
                        shortage_sources=tuple(s for s in sources if s),
                        funding_years=tuple(years), status=catalog_status(session))
