"""The municipal view (issue 14): course supply for the shortage occupations of the home
area, the gaps, the change since the previous balance, anonymous demand and the strategy's
vocational-choice indicator.

Supply is read from the engine's catalogue index, so that it sees exactly what matching
and the course search see (archived courses left out, one distance formula), at no extra
query. Demand and the indicator are small grouped queries. Nothing here commits.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.data import accounts
from matcher.data import models as m
from matcher.engine.index import CatalogIndex, distances_from
from matcher.engine.model import SHORTAGE_ORDER, ShortageRating

# The categories with recruitment problems (domain.md §1: omfattende mangel, mangel and
# paradoksproblemer); gode and mindre gode jobmuligheder are not shortages.
SHORTAGE = ("omfattende_mangel", "mangel", "paradoks")
REACH_KM = 50.0
HORIZON_MONTHS = 6
FEW_COURSES = 2  # fewer courses within reach than this is a gap
DEMAND_DAYS = 90
TOP = 10

# Herning Kommune's education strategy, goal 2 (domain.md §8): 23.2 % of the 9th/10th-graders
# chose a vocational education (EUD) in 2019, against national targets of at least 25 % in
# 2020 and 30 % in 2025.
STRATEGY_SOURCE = ("Herning Kommunes uddannelsesstrategi, mål 2 (\"Vi vil sikre kvalificeret "
                   "arbejdskraft til fremtidens arbejdsmarked\")")
STRATEGY_URL = "https://politik.herning.dk/vores-strategier/strategier/uddannelsesstrategi"
EARLIEST_YEAR = 2000


@dataclass(frozen=True, slots=True)
class Target:
    year: int
    share_percent: Decimal


TARGETS = (Target(2020, Decimal(25)), Target(2025, Decimal(30)))


@dataclass(frozen=True, slots=True)
class Scope:
    """What the supply is counted for: the home area's balance, a place and a window."""

    rar_code: str | None
    rar_name: str | None
    period: str | None
    previous: str | None  # the balance period before period, if any
    origin: str | None  # the postcode distances are measured from
    origin_name: str | None
    first_day: date
    last_day: date
    km: float = REACH_KM


@dataclass(frozen=True, slots=True)
class Supply:
    """One shortage occupation and the courses that lead to it."""

    code: str
    title_da: str
    title_en: str | None
    category: str
    linked: int  # courses leading to it in the catalogue, wherever and whenever they run
    courses: int  # of those, the ones with an open session within reach in the window
    sessions: int  # those open sessions

    @property
    def gap(self) -> str | None:
        """"none" without a course within reach, "few" below FEW_COURSES, else None."""
        if self.courses == 0:
            return "none"
        return "few" if self.courses < FEW_COURSES else None


@dataclass(frozen=True, slots=True)
class Change:
    """An occupation whose balance category differs from the previous period."""

    code: str
    title_da: str
    title_en: str | None
    before: str | None  # None: not rated in the previous period
    after: str | None  # None: not rated in this period

    @property
    def direction(self) -> str:
        """"new", "removed", "up" (towards more shortage) or "down"."""
        if self.before is None:
            return "new"
        if self.after is None:
            return "removed"
        return "up" if _severity(self.after) < _severity(self.before) else "down"


@dataclass(frozen=True, slots=True)
class Demand:
    """How many citizens' result pages showed an occupation or a course."""

    kind: str
    code: str
    title_da: str | None  # None: no longer in the catalogue
    title_en: str | None
    count: int


@dataclass(frozen=True, slots=True)
class EudFigure:
    year: int
    share_percent: Decimal
    source: str
    source_url: str | None
    updated_at: datetime


def _severity(category: str) -> int:
    return SHORTAGE_ORDER.index(category) if category in SHORTAGE_ORDER else len(SHORTAGE_ORDER)


def add_months(day: date, months: int) -> date:
    """The same day months later, or the last day of that month if it is shorter."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def previous_period(index: CatalogIndex, rar_code: str | None, period: str | None) -> str | None:
    """The newest balance period of the area before period."""
    if rar_code is None or period is None:
        return None
    earlier = [p for p in index.periods if p < period and (rar_code, p) in index.shortages]
    return earlier[-1] if earlier else None


def scope(index: CatalogIndex, *, rar_code: str | None, period: str | None,
          origin: str | None, today: date) -> Scope:
    return Scope(rar_code=rar_code, rar_name=index.rar_names.get(rar_code or ""),
                 period=period, previous=previous_period(index, rar_code, period),
                 origin=origin, origin_name=index.place_names.get(origin or ""),
                 first_day=today, last_day=add_months(today, HORIZON_MONTHS))


def reachable_sessions(index: CatalogIndex, where: Scope) -> np.ndarray:
    """Open sessions starting in the window, online or at most where.km from the origin.

    The course search's distance (engine.index.distances_from); a session whose place is
    unknown, or any session when the origin is unknown, is not counted as within reach.
    """
    km = distances_from(index, where.origin)[index.session_place]
    near = ~np.isnan(km) & (km <= where.km) & (index.session_place >= 0)
    mask: np.ndarray = (index.session_open & (near | index.session_online)
                        & (index.session_start >= where.first_day.toordinal())
                        & (index.session_start <= where.last_day.toordinal()))
    return mask


def supply(index: CatalogIndex, where: Scope) -> list[Supply]:
    """Every occupation in shortage in where's area and period, most severe first, with
    the courses (course_occupation) and sessions within reach that lead to it."""
    ratings = index.shortages.get((where.rar_code or "", where.period or ""), ())
    in_shortage = {pos: rating.category for pos, rating in enumerate(ratings)
                   if rating is not None and rating.category in SHORTAGE}
    if not in_shortage:
        return []
    reachable = reachable_sessions(index, where)
    per_course = np.bincount(index.session_course[reachable], minlength=len(index.courses))
    # Per link (course -> occupation, each once: course_occupation's key) of the index.
    links, n = index.course_links, len(index.occupations)
    linked = np.bincount(links.cols, minlength=n)
    link_sessions = per_course[links.rows]
    courses = np.bincount(links.cols[link_sessions > 0], minlength=n)
    sessions = np.bincount(links.cols, weights=link_sessions, minlength=n)
    rows = [Supply(code=index.occupations[pos].code, title_da=index.occupations[pos].title_da,
                   title_en=index.occupations[pos].title_en, category=category,
                   linked=int(linked[pos]), courses=int(courses[pos]),
                   sessions=int(sessions[pos]))
            for pos, category in in_shortage.items()]
    return sorted(rows, key=lambda r: (_severity(r.category), r.title_da, r.code))


def gaps(rows: list[Supply]) -> list[Supply]:
    """The shortage occupations with no or few courses within reach, fewest first."""
    return sorted((r for r in rows if r.gap), key=lambda r: (r.courses, r.sessions,
                                                              _severity(r.category), r.title_da,
                                                              r.code))


def changes(index: CatalogIndex, where: Scope) -> list[Change]:
    """Occupations whose category changed since the previous period, where either side is a
    shortage: new in the balance, gone from it, or moved up or down, most severe first."""
    if where.previous is None:
        return []
    empty = (None,) * len(index.occupations)
    now = index.shortages.get((where.rar_code or "", where.period or ""), empty)
    before = index.shortages.get((where.rar_code or "", where.previous), empty)
    found = []
    for pos, occupation in enumerate(index.occupations):
        after_category, before_category = _category(now[pos]), _category(before[pos])
        if after_category == before_category:
            continue
        if after_category not in SHORTAGE and before_category not in SHORTAGE:
            continue
        found.append(Change(occupation.code, occupation.title_da, occupation.title_en,
                            before_category, after_category))
    return sorted(found, key=lambda c: (_severity(c.after or c.before or ""), c.title_da, c.code))


def _category(rating: ShortageRating | None) -> str | None:
    return rating.category if rating is not None else None


def demand(session: Session, kind: str, today: date, *, days: int = DEMAND_DAYS,
           limit: int | None = TOP) -> list[Demand]:
    """The occupations or courses most often shown on result pages in the last days (today
    included), from the anonymous counters; most shown first, ties by code. One query."""
    table = m.Occupation if kind == "occupation" else m.Course
    title_da = table.title_da
    title_en = table.title_en
    since = today - timedelta(days=days - 1)
    total = func.sum(m.ResultAppearance.count).label("total")
    query = (select(m.ResultAppearance.code, total, title_da, title_en)
             .outerjoin(table, table.code == m.ResultAppearance.code)
             .where(m.ResultAppearance.kind == kind, m.ResultAppearance.day >= since,
                    m.ResultAppearance.day <= today)
             .group_by(m.ResultAppearance.code, title_da, title_en)
             .having(total > 0)
             .order_by(total.desc(), m.ResultAppearance.code))
    if limit is not None:
        query = query.limit(limit)
    return [Demand(kind, row.code, row.title_da, row.title_en, int(row.total))
            for row in session.execute(query)]


def eud_series(session: Session, kommunekode: int) -> list[EudFigure]:
    """The municipality's indicator, oldest year first."""
    return [EudFigure(r.year, r.share_percent, r.source, r.source_url, r.updated_at)
            for r in session.scalars(select(m.EudChoice)
                                     .where(m.EudChoice.kommunekode == kommunekode)
                                     .order_by(m.EudChoice.year))]


def eud_figure(session: Session, kommunekode: int, year: int) -> EudFigure | None:
    row = session.get(m.EudChoice, (kommunekode, year))
    if row is None:
        return None
    return EudFigure(row.year, row.share_percent, row.source, row.source_url, row.updated_at)


class YearTaken(ValueError):
    """Another figure is already stored for the year."""


def save_eud(session: Session, kommunekode: int, year: int, share_percent: Decimal,
             source: str, source_url: str | None, *, actor: m.UserAccount, ip: str | None,
             replaces: int | None = None) -> None:
    """Add the figure for year, or change the one for replaces (which may move it to year).

    A year that already has a figure is only ever changed on purpose: adding it again, or
    moving another year onto it, raises YearTaken and changes nothing.
    """
    if replaces != year and session.get(m.EudChoice, (kommunekode, year)) is not None:
        raise YearTaken(year)
    old = session.get(m.EudChoice, (kommunekode, replaces)) if replaces is not None else None
    before = None
    if old is not None:
        before = {"year": old.year, "share_percent": str(old.share_percent),
                  "source": old.source, "source_url": old.source_url}
        session.delete(old)
        session.flush()
    session.add(m.EudChoice(kommunekode=kommunekode, year=year, share_percent=share_percent,
                            source=source, source_url=source_url,
                            updated_at=datetime.now(UTC), updated_by_id=actor.id))
    after = {"year": year, "share_percent": str(share_percent), "source": source,
             "source_url": source_url}
    accounts.audit(session, "eud_choice_changed" if old is not None else "eud_choice_added",
                   actor=actor, ip=ip, kommunekode=kommunekode, before=before, after=after)


def delete_eud(session: Session, kommunekode: int, year: int, *, actor: m.UserAccount,
               ip: str | None) -> bool:
    """Remove the figure for year; False if there was none."""
    row = session.get(m.EudChoice, (kommunekode, year))
    if row is None:
        return False
    before = {"year": row.year, "share_percent": str(row.share_percent), "source": row.source,
              "source_url": row.source_url}
    session.delete(row)
    session.flush()
    accounts.audit(session, "eud_choice_deleted", actor=actor, ip=ip, kommunekode=kommunekode,
                   before=before, after=None)
    return True
