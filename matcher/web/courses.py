"""Course search for everyone: /kurser finds courses, /kurser/<code> shows one (issue 11.4).

No login and nothing personal: the search is a GET so its address can be shared, and it
works without JavaScript. Funding is described in general terms; a personal answer is the
journey's job.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from matcher.data.course_search import current_search, find_courses, first_bookable_day
from matcher.data.matching import current_index, today_from
from matcher.data.reasons import half_year
from matcher.engine.index import CatalogIndex
from matcher.engine.model import Course
from matcher.engine.ranking import area_of
from matcher.engine.search import CourseHit, schemes_for
from matcher.web.access import public
from matcher.web.course_query import (
    DISTANCES,
    FIELDS,
    month_key,
    months_from,
    read_course_query,
)
from matcher.web.forms import (
    BENEFIT_CHOICES,
    SCHEDULE_CHOICES,
    STATUS_CHOICES,
    MultiCheckboxField,
)
from matcher.web.presenters import (
    course_label,
    english,
    level_label,
    long_date,
    occupation_label,
    skill_label,
)
from matcher.web.rate_limits import per_address
from matcher.web.results import KIND_NAMES, SCHEME_NAMES, SHORTAGE_NAMES

bp = Blueprint("courses", __name__)

# What each scheme is, said to anyone: who it is for, never whether this person gets it.
SCHEME_TEXTS = {
    "seks_uger": _l("For ledige på dagpenge. Jobcentret kan bevilge og betale kurset, fordi "
                    "det står på positivlisten."),
    "regional_pulje": _l("For ledige på dagpenge. Jobcentret kan bevilge og betale kurset, når "
                         "det står på den regionale positivliste for dit område."),
    "veu": _l("For beskæftigede og ledige uden en videregående uddannelse: en godtgørelse, "
              "mens du er på kurset."),
    "befordring": _l("Tilskud til transport, når der er langt til kurset."),
    "amu_fee": _l("Er du i AMU-målgruppen, betaler du en lavere deltagerbetaling end fuld pris."),
    "uddannelsesloeft": _l("For ledige ufaglærte og faglærte med en forældet uddannelse: en "
                           "erhvervsuddannelse med 110 % af dagpengene."),
    "voksenlaerling": _l("For voksne over 25 år i uddannelse hos en arbejdsgiver, som kan få "
                         "løntilskud."),
    "svu": _l("For voksne, der går ned i arbejdstid eller holder fri for at tage uddannelsen."),
}
STATUS_NAMES = {"open": _l("Ledige pladser"), "full": _l("Fuldt booket"),
                "cancelled": _l("Aflyst"), "soon": _l("Starter snart: spørg udbyderen")}
FIELD_IDS = {"online": "online-1", "paid": "paid-1",
             "page": "results"}  # parameters that are not form fields
STATUS_BADGES = {"open": "badge-success", "full": "badge-error", "cancelled": "badge-error",
                 "soon": "badge-warning"}


class CourseSearchForm(Form):
    """The search form's fields, for drawing them; course_query checks the values."""

    q = StringField(_l("Søg efter kursus, job eller kompetence"))
    kind = SelectField(_l("Type"), validate_choice=False)
    postcode = StringField(_l("Postnummer"),
                           description=_l("Så viser vi afstanden. Fx 7400."))
    max_distance_km = SelectField(_l("Afstand"), validate_choice=False)
    month = SelectField(_l("Start i"), validate_choice=False)
    schedule = MultiCheckboxField(_l("Tidspunkt"), choices=SCHEDULE_CHOICES,
                                  validate_choice=False)
    # "May be paid for me": the journey's answers, a few of them, all optional.
    status = SelectField(_l("Din situation"), validate_choice=False)
    benefit = SelectField(_l("Din ydelse"), validate_choice=False)
    education_level = SelectField(_l("Din højeste fuldførte uddannelse"), validate_choice=False)


def _form(args: MultiDict[str, str], first_day: date, index: CatalogIndex) -> CourseSearchForm:
    form = CourseSearchForm(args)
    form.kind.choices = [SelectChoice("", _("Alle typer"))] + [
        SelectChoice(code, str(name)) for code, name in KIND_NAMES.items()]
    form.max_distance_km.choices = [SelectChoice("", _("Ingen grænse"))] + [
        SelectChoice(str(d), _("Op til %(km)s km", km=d)) for d in DISTANCES]
    form.month.choices = [SelectChoice("", _("Når som helst"))] + [
        SelectChoice(month_key(y, m), format_date(date(y, m, 1), "MMMM y"))
        for y, m in months_from(first_day)]
    form.status.choices = [SelectChoice("", _("Vælg")), *STATUS_CHOICES]
    form.benefit.choices = [SelectChoice("", _("Ikke oplyst")), *BENEFIT_CHOICES]
    form.education_level.choices = [SelectChoice("", _("Ikke oplyst"))] + [
        SelectChoice(level.code, level.name_en if english() else level.name_da)
        for level in sorted(index.snapshot.education_levels, key=lambda lv: (lv.rank, lv.code))]
    return form


@bp.get("/kurser")
@public
@per_address("CITIZEN_RATE_LIMIT")
def search() -> ResponseReturnValue:
    """Search the catalogue: every parameter checked; a bad one is said on its field."""
    index = current_index()
    first_day = first_bookable_day()
    query, problems = read_course_query(request.args, index=index, first_day=first_day)
    form = _form(request.args, first_day, index)
    errors = []
    switch_errors: dict[str, str] = {}  # the checkboxes that are not form fields
    for problem in problems:
        message = problem.en if english() else problem.da
        if problem.field in form:
            form[problem.field].errors = [message]
        if problem.field in ("online", "paid"):
            switch_errors[problem.field] = message
        errors.append((form[problem.field].id if problem.field in form
                       else FIELD_IDS.get(problem.field, "main-content"), message))
    searched = not errors
    hits = find_courses(query.text, query.filters, lang="en" if english() else "da",
                        payer=query.payer) if searched else []
    pages = max(1, math.ceil(len(hits) / query.per_page))
    if searched and query.page > pages:
        errors.append(("results", _("Siden findes ikke. Der er %(pages)s sider med resultater.",
                                    pages=pages)))
        searched = False
    shown = hits[(query.page - 1) * query.per_page:query.page * query.per_page]
    return render_template(
        "courses/search.html", form=form, errors=errors, searched=searched, total=len(hits),
        cards=[_card(index, hit) for hit in shown] if searched else [],
        page=query.page, pages=pages, links=_page_links(query.page, pages),
        online=request.args.get("online") == "true", online_error=switch_errors.get("online"),
        paid=request.args.get("paid") == "true", paid_error=switch_errors.get("paid"),
        quick_open=bool({"status", "benefit", "education_level", "paid"} & (
            {key for key, value in request.args.items() if value} | {p.field for p in problems})),
        text=query.text, first_day_text=long_date(first_day))


def _page_links(page: int, pages: int) -> dict[str, Any]:
    """Addresses of the neighbouring and numbered pages, with every filter kept."""
    kept = {key: values for key, values in request.args.lists() if key in FIELDS
            and key != "page"}

    def to(number: int) -> str:
        return url_for("courses.search", **kept, page=number)

    return {"previous": to(page - 1) if page > 1 else None,
            "next": to(page + 1) if page < pages else None,
            "numbers": [(n, to(n)) for n in range(max(1, page - 3), min(pages, page + 3) + 1)]}


def _place(index: CatalogIndex, postcode: str | None) -> str:
    if not postcode:
        return str(_("Online"))
    name = index.place_names.get(postcode)
    return f"{postcode} {name}" if name else postcode


def _card(index: CatalogIndex, hit: CourseHit) -> dict[str, Any]:
    course = index.courses[index.course_pos[hit.code]]
    return {"code": hit.code, "title": course_label(index, hit.code),
            "kind": str(KIND_NAMES.get(course.kind, course.kind)),
            "provider": course.provider_name, "start": long_date(hit.start),
            "place": _place(index, hit.postcode), "distance": hit.distance_km,
            "price": course.price_dkk, "fee": course.fee_target_group_dkk,
            "demo": course.source == "demo",
            "may_pay": ", ".join(str(SCHEME_NAMES[s]) for s in hit.may_pay or ())}


@bp.get("/kurser/<code>")
@public
@per_address("CITIZEN_RATE_LIMIT")
def course(code: str) -> ResponseReturnValue:
    """One course: sessions, teaching, jobs and their shortage at home, price, funding."""
    index = current_index()
    position = index.course_pos.get(code)
    if position is None:
        abort(404)
    found = index.courses[position]
    return render_template("courses/course.html", **_course_page(index, found))


def _course_page(index: CatalogIndex, course: Course) -> dict[str, Any]:
    today = today_from(None)
    first_day = first_bookable_day()
    area = area_of(index, current_app.config["HOME_MUNICIPALITY"], today)
    online = course.delivery == "online"
    sessions = []
    for s in sorted((s for s in index.snapshot.sessions if s.course == course.code),
                    key=lambda s: (s.start, s.code)):
        if s.start < today:
            continue
        status = "soon" if s.status == "open" and s.start < first_day else s.status
        sessions.append({"start": long_date(s.start), "end": long_date(s.end),
                         "place": _place(index, None if online
                                         else s.postcode or course.provider_postcode),
                         "seats": s.seats if status == "open" else None,
                         "status": str(STATUS_NAMES.get(status, status)),
                         "badge": STATUS_BADGES.get(status, "badge-info")})
    jobs = []
    for code in course.occupations:
        position = index.occupation_pos.get(code)
        if position is None:
            continue
        rating = area.ratings[position]
        jobs.append({"title": occupation_label(index, code),
                     "shortage": rating.category if rating else None,
                     "shortage_name": str(SHORTAGE_NAMES.get(rating.category, ""))
                     if rating else "",
                     "period": half_year(rating.period, "en" if english() else "da")
                     if rating else ""})
    schedule = next((str(c.label) for c in SCHEDULE_CHOICES if c.value == course.schedule), "")
    return {
        "course": course, "title": course_label(index, course.code),
        "kind": str(KIND_NAMES.get(course.kind, course.kind)),
        "description": current_search().descriptions.get(course.code, ""),
        "sessions": sessions, "schedule": schedule, "online": online,
        "provider_place": _place(index, course.provider_postcode),
        "skills": [skill_label(index, s) for s in course.skills if s in index.skill_pos],
        "prerequisites": [skill_label(index, s) for s in course.prerequisites
                          if s in index.skill_pos],
        "level": level_label(index, course.min_education_level),
        "jobs": jobs, "area_name": index.rar_names.get(area.rar_code or "", ""),
        "schemes": [{"name": str(SCHEME_NAMES[s]), "text": str(SCHEME_TEXTS[s])}
                    for s in schemes_for(course, index)],
        "demo": course.source == "demo",
    }


def search_json(index: CatalogIndex, hits: list[CourseHit], *, page: int, per_page: int,
                first_day: date, lang: str) -> dict[str, Any]:
    """The API's answer: one page of hits, as openapi.COURSE_SEARCH_RESULT describes."""
    shown = hits[(page - 1) * per_page:page * per_page]
    results = []
    for hit in shown:
        course = index.courses[index.course_pos[hit.code]]
        results.append({
            "code": hit.code,
            "title": (course.title_en or course.title_da) if lang == "en" else course.title_da,
            "title_da": course.title_da, "title_en": course.title_en, "kind": course.kind,
            "provider": course.provider, "provider_name": course.provider_name,
            "schedule": course.schedule, "delivery": course.delivery,
            "price_dkk": course.price_dkk, "fee_target_group_dkk": course.fee_target_group_dkk,
            "demo": course.source == "demo", "score": hit.score,
            "url": url_for("courses.course", code=hit.code),
            "session": {"code": hit.session, "start": hit.start.isoformat(),
                        "end": hit.end.isoformat(), "postcode": hit.postcode,
                        "place": index.place_names.get(hit.postcode or ""),
                        "distance_km": hit.distance_km},
            "may_pay": None if hit.may_pay is None else list(hit.may_pay)})
    return {"total": len(hits), "page": page, "per_page": per_page,
            "pages": max(1, math.ceil(len(hits) / per_page)),
            "first_bookable_day": first_day.isoformat(), "results": results}
