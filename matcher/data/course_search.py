"""Course search over the loaded catalogue: the word index, cached per catalogue version."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.matching import current_index, today_from
from matcher.engine.index import CatalogIndex
from matcher.engine.model import Profile
from matcher.engine.ranking import area_of
from matcher.engine.search import (
    CourseFilters,
    CourseHit,
    SearchIndex,
    build_search,
    may_be_paid,
    search_courses,
)

_lock = threading.Lock()
# Keyed by database, kept with the very index it was built from: a rebuilt index (a new
# catalogue version, or a test's fresh database) gets a new word index.
_cache: dict[str, tuple[CatalogIndex, SearchIndex]] = {}


def current_search() -> SearchIndex:
    """The word index for this request's catalogue, built on first use after a change."""
    index = current_index()
    key = current_app.config["DATABASE_URL"]
    cached = _cache.get(key)
    if cached is not None and cached[0] is index:
        return cached[1]
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] is not index:
            # Descriptions are read here, not in the snapshot: only the search needs them.
            descriptions = {code: text or "" for code, text in get_session().execute(
                select(m.Course.code, m.Course.description_da))}
            cached = (index, build_search(index, descriptions))
            _cache[key] = cached
    return cached[1]


def first_bookable_day() -> date:
    """The earliest start a search offers: today plus the lead time to apply."""
    return today_from(None) + timedelta(days=current_app.config["LEAD_TIME_DAYS"])


def find_courses(query: str, filters: CourseFilters, *, lang: str = "da",
                 payer: Profile | None = None) -> list[CourseHit]:
    """Courses with a bookable session matching query and filters, best first for a reader
    of lang (the title in their language counts most).

    With payer, only those some funding scheme may pay for that person, in the home
    municipality's labour market (as a profile without kommunekode is matched).
    """
    index = current_index()
    hits = search_courses(index, current_search(), query, first_day=first_bookable_day(),
                          filters=filters, lang=lang)
    if payer is None:
        return hits
    today = today_from(None)
    area = area_of(index, current_app.config["HOME_MUNICIPALITY"], today)
    return may_be_paid(index, hits, payer, today=today, rar_code=area.rar_code)
