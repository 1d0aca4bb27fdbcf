"""Read-only facts about the loaded catalogue, for the layout and the "Om data" page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from matcher.data import models as m

ESCO_CODE_PREFIX = "esco_"  # codes of rows the ESCO import added (docs/import-esco.md)


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


_IN_MATCHING: dict[str, tuple[Any, ...]] = {}


def catalog_status(session: Session) -> CatalogStatus:
    row = session.get(m.CatalogState, 1)
    if row is None:
        return EMPTY_STATUS
    return CatalogStatus(version=row.version, has_demo=row.has_demo, loaded_at=row.loaded_at)


def data_overview(session: Session) -> DataOverview:
    # Occupations and skills as matching sees them: ESCO's reference rows are not counted.
    counts = {name: session.scalar(select(func.count()).select_from(model).where(
                  *_IN_MATCHING.get(name, ()))) or 0
              for name, model in _COUNTED.items()}
    periods = session.scalars(select(m.Shortage.period).distinct()
                              .order_by(m.Shortage.period.desc()))
    sources = session.scalars(select(m.Shortage.source).distinct()
                              .where(m.Shortage.source.is_not(None)).order_by(m.Shortage.source))
    years = session.scalars(select(m.FundingRate.year).distinct().order_by(m.FundingRate.year))
    return DataOverview(counts=counts, periods=tuple(periods),
                        shortage_sources=tuple(s for s in sources if s),
                        funding_years=tuple(years), status=catalog_status(session))


# ESCO-imported rows (issue 14) are reference data: an occupation or skill of ESCO's reaches
# matching and the typeahead only once the catalogue uses it and it has a Danish label, so
# 3,000 unrated occupations never crowd the curated ones and no English label is shown as
# Danish (docs/import-esco.md). The catalogue's own rows always do.


def occupation_in_matching() -> Any:
    used = or_(m.Occupation.code.in_(select(m.CourseOccupation.occupation_code)),
               m.Occupation.code.in_(select(m.Shortage.occupation_code)),
               m.Occupation.code.in_(select(m.EducationOccupation.occupation_code)))
    return or_(~m.Occupation.code.startswith(ESCO_CODE_PREFIX, autoescape=True),
               and_(m.Occupation.title_da != "", used))


def skill_in_matching() -> Any:
    of_used_occupations = (select(m.OccupationSkill.skill_code).join(m.Occupation)
                           .where(m.Occupation.code.startswith(ESCO_CODE_PREFIX, autoescape=True),
                                  occupation_in_matching()))
    used = or_(m.Skill.code.in_(select(m.CourseSkill.skill_code)),
               m.Skill.code.in_(select(m.CoursePrerequisite.skill_code)),
               m.Skill.code.in_(of_used_occupations))
    return or_(~m.Skill.code.startswith(ESCO_CODE_PREFIX, autoescape=True),
               and_(m.Skill.label_da != "", used))


_IN_MATCHING.update(occupations=(occupation_in_matching(),), skills=(skill_in_matching(),))
