"""Who a course reaches ("Hvem matcher dette kursus?"), shown to its provider.

Three answers, none about a real person: the shortage occupations the course leads to in
the home area, whether it appears in the results of a few reference people (the engine run
as for a citizen), and how many citizens' result pages showed it in the last 30 days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matcher.data import models as m
from matcher.data.appearances import WINDOW_DAYS, shown_count
from matcher.data.db import get_session
from matcher.data.matching import check_profile, current_index, match_profile
from matcher.data.reasons import half_year
from matcher.engine.model import MatchResult
from matcher.engine.profile import ProfileInvalid
from matcher.engine.ranking import area_of
from matcher.web.presenters import english, occupation_label
from matcher.web.results import SHORTAGE_NAMES

# People a caseworker in Herning meets often; each asks about the jobs the course leads to,
# as a citizen arriving from the course page does. Their situations, not real persons.
REFERENCE_PEOPLE: tuple[tuple[Any, dict[str, Any]], ...] = (
    (_l("Ledig på dagpenge, 35 år, ufaglært"),
     {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 12, "age": 35,
      "education_level": "grundskole"}),
    (_l("Ledig på kontanthjælp, 28 år, uden uddannelse"),
     {"status": "unemployed", "benefit": "kontanthjaelp", "unemployed_weeks": 40, "age": 28,
      "education_level": "grundskole"}),
    (_l("I job, 45 år, ufaglært"),
     {"status": "employed", "age": 45, "education_level": "grundskole"}),
    (_l("Ledig faglært med en forældet uddannelse, 52 år"),
     {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 20, "age": 52,
      "education_level": "eud", "has_eud": True, "education_outdated": True}),
)
MAX_ASKED = 3


def course_reach(code: str, occupations: list[str], today: date) -> dict[str, Any]:
    index = current_index()
    area = area_of(index, current_app.config["HOME_MUNICIPALITY"], today)
    language = "en" if english() else "da"
    shortages = []
    for job in occupations:
        position = index.occupation_pos.get(job)
        rating = area.ratings[position] if position is not None else None
        if rating is not None:
            shortages.append({"title": occupation_label(index, job),
                              "name": str(SHORTAGE_NAMES.get(rating.category, rating.category)),
                              "period": half_year(rating.period, language)})
    asked = [job for job in occupations if job in index.vocabulary.occupations][:MAX_ASKED]
    postcode = _home_postcode()
    people = []
    for label, situation in REFERENCE_PEOPLE:
        answers = {**situation, "postcode": postcode, "interests": asked,
                   "schedule": ["day", "evening"], "max_distance_km": 50}
        try:
            result = match_profile(check_profile(answers), today=today, limit=10)
        except ProfileInvalid:  # a catalogue without the levels or places of the table
            continue
        people.append({"label": str(label), "place": _place_of(code, result)})
    return {"shortages": shortages, "people": people, "postcode": postcode,
            "count": shown_count(get_session(), "course", code, today), "days": WINDOW_DAYS}


def _place_of(code: str, result: MatchResult) -> int | str | None:
    """Where the course stands in the result: its rank among the courses, "path" when only
    a step of a path or of an asked job's way there, None when it is not shown at all."""
    for rank, course in enumerate(result.courses, 1):
        if course.code == code:
            return rank
    steps = [s.course for p in result.paths for s in p.steps]
    steps += [s.course for a in result.asked if a.path for s in a.path.steps]
    return "path" if code in steps else None


def _home_postcode() -> str | None:
    """The home municipality's own town (7400 Herning), else its first postcode."""
    session = get_session()
    home = current_app.config["HOME_MUNICIPALITY"]
    town = session.scalar(select(m.Municipality.name).where(m.Municipality.kommunekode == home))
    rows = session.execute(select(m.Postcode.postcode, m.Postcode.name)
                           .where(m.Postcode.kommunekode == home)
                           .order_by(m.Postcode.postcode)).all()
    named = [row.postcode for row in rows if town and row.name == town]
    return (named or [row.postcode for row in rows] or [None])[0]
