"""Matching with a client, and the plan agreed with them (issue 13, parts 2 and 3).

The match page shows what the citizen would see for the client's profile, plus the
caseworker's view of every funding answer: who decides, the deadline, the rule's source.
Courses and occupations can be pinned (shown first) or excluded (hidden, listed to undo).
The plan copies what it shows from the catalogue and flags what has changed since.

Every route answers 404 for a client the caseworker may not see, and every request that
reaches a client is an audit event (matcher.data.clients.audit), refused changes included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import Form, HiddenField, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from matcher.data import clients, plans
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.matching import check_profile, current_index, today_from
from matcher.engine.funding import DEADLINE_KIND, Situation, funding_for
from matcher.engine.index import CatalogIndex
from matcher.engine.model import Funding, MatchResult, RuleVersion, SessionChoice
from matcher.web import clients as client_records
from matcher.web.access import staff
from matcher.web.citizen import private
from matcher.web.forms import form_errors
from matcher.web.pdf import plan_pdf
from matcher.web.presenters import course_label, date_range, long_date, occupation_label
from matcher.web.provider_forms import DateInputField, TrimmedField
from matcher.web.results import (
    SCHEME_NAMES,
    Filters,
    Page,
    matched,
    page_context,
    summary,
)
from matcher.web.steps import Outcome

bp = Blueprint("plans", __name__, url_prefix="/sagsbehandler/klienter")

STATUS_NAMES = {"planned": _l("Planlagt"), "applied": _l("Søgt"), "enrolled": _l("Optaget"),
                "completed": _l("Gennemført"), "dropped": _l("Afbrudt")}
DECIDER_NAMES = {"a_kasse": _l("A-kassen"), "jobcenter": _l("Jobcentret"),
                 "aub": _l("AUB (Arbejdsgivernes Uddannelsesbidrag)"),
                 "kommune_praktiksted": _l("Kommunen, hvor arbejdspladsen ligger"),
                 "svu": _l("Styrelsen for Undervisning og Kvalitet (SVU)")}
DEADLINE_NAMES = {"complete_by": _l("Skal være afsluttet senest"),
                  "apply_by": _l("Skal søges senest")}
FLAG_TEXTS = {
    "session_cancelled": _l("Holdet er aflyst. Trinnet er bevaret, så I kan finde et andet "
                            "hold."),
    "session_removed": _l("Holdet findes ikke længere i kataloget. Trinnet er bevaret med de "
                          "datoer, det blev planlagt med."),
    "course_archived": _l("Udbyderen har arkiveret kurset. Det vises ikke længere i "
                          "resultaterne."),
    "course_removed": _l("Kurset findes ikke længere i kataloget. Trinnet er bevaret."),
}
# The schemes a step can name: those that pay for the course or the person's time. The
# participant fee is a price and transport goes along with a grant; both stay on the panel.
NOT_A_STEP_SCHEME = ("amu_fee", "befordring")
# How far from today a date may lie (a typo such as 2207 is caught, a real plan is not).
PAST_YEARS, FUTURE_YEARS = 5, 5
CONTACT_FUTURE_YEARS = 2
LANGUAGES = ("da", "en")
COPIES = ("borger", "sagsbehandler")
CODE = re.compile(r"[A-Za-z0-9_.\-]{1,80}")  # a catalogue code (matcher.data.catalog.values)


# --- forms: the shape of what is posted ---------------------------------------------------

class _OneOf:
    """The value is one of values (read when validating, so a form can set them)."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Form, field: Any) -> None:
        if (field.data or "") not in [c[0] if isinstance(c, tuple) else c.value
                                      for c in field.choices]:
            raise ValidationError(str(self.message))


class MarkForm(Form):
    item = HiddenField()
    action = HiddenField()

    def validate_item(self, field: Any) -> None:
        if plans.split_mark(field.data or "") is None:
            raise ValidationError(_("Vælg et kursus eller et job på siden."))

    def validate_action(self, field: Any) -> None:
        if field.data not in plans.MARK_ACTIONS:
            raise ValidationError(_("Vælg at fastgøre eller fravælge."))


class AddStepForm(Form):
    course = HiddenField()
    session = SelectField(_l("Hold"), validate_choice=False, validators=[
        _OneOf(_l("Vælg et af holdene på listen."))])
    scheme = SelectField(_l("Ordning"), validate_choice=False, validators=[
        _OneOf(_l("Vælg en af ordningerne på listen."))])


class GoalForm(Form):
    target = HiddenField()
    route = HiddenField()


class StepForm(Form):
    status = SelectField(_l("Status"), validate_choice=False, choices=[
        SelectChoice(code, name) for code, name in STATUS_NAMES.items()],
        validators=[_OneOf(_l("Vælg en status på listen."))])
    status_date = DateInputField(_l("Dato for status"), message=_l(
        "Skriv datoen som en dato, fx 2027-03-01."))
    deadline = DateInputField(_l("Frist"), message=_l(
        "Skriv fristen som en dato, fx 2027-03-01."))
    deadline_note = TrimmedField(_l("Note til fristen"), validators=[
        Optional(), Length(max=plans.NOTE_LENGTH, message=_l(
            "Noten må højst have 300 tegn."))])

    def check_dates(self, today: date) -> bool:
        return (_in_range(self.status_date, today, PAST_YEARS, FUTURE_YEARS)
                & _in_range(self.deadline, today, PAST_YEARS, FUTURE_YEARS))


class ContactForm(Form):
    next_contact = DateInputField(_l("Næste kontakt"), message=_l(
        "Skriv datoen for næste kontakt som en dato, fx 2027-01-15."))
    next_contact_note = TrimmedField(_l("Hvad skal I tale om?"), validators=[
        Optional(), Length(max=plans.NOTE_LENGTH, message=_l(
            "Noten må højst have 300 tegn."))])

    def check_dates(self, today: date) -> bool:
        field = self.next_contact
        if field.data is not None and field.data < today:
            field.errors = [*field.errors, _("Næste kontakt kan ikke ligge før i dag.")]
            return False
        return _in_range(field, today, 0, CONTACT_FUTURE_YEARS)


def _in_range(field: Any, today: date, past_years: int, future_years: int) -> bool:
    value = field.data
    if value is None:
        return True
    if value < today - timedelta(days=365 * past_years) \
            or value > today + timedelta(days=365 * future_years):
        field.errors = [*field.errors, _(
            "Datoen skal ligge mellem %(first)s og %(last)s.",
            first=long_date(today - timedelta(days=365 * past_years)),
            last=long_date(today + timedelta(days=365 * future_years)))]
        return False
    return True


# --- helpers --------------------------------------------------------------------------------

def _client(client_id: int) -> m.Client:
    """The client if this caseworker may see it; otherwise 404 (audited), saying nothing of it."""
    return client_records.client_or_404(client_id)


def _who() -> dict[str, Any]:
    return {"actor": current_user.row, "ip": request.remote_addr}


def _today() -> date:
    return today_from(None)


def _refused(client: m.Client, form: str, errors: list[tuple[str, str]]) -> None:
    """A change that was not made is audited too: which form, and which fields failed."""
    clients.audit(get_session(), client.id, "plan_change_refused", form=form,
                  fields=sorted({field for field, _message in errors}), **_who())


def _profile_url(client_id: int) -> str:
    """The client record's profile editor, at its first step (matcher.web.clients)."""
    return url_for("caseworker.profile", client_id=client_id,
                   path=client_records.STEP_PATHS["situation"])


def _record_url(client_id: int) -> str:
    return url_for("caseworker.client", client_id=client_id)


def _back_to_match(client: m.Client, anchor: str = "") -> ResponseReturnValue:
    target = url_for("plans.match", client_id=client.id)
    return redirect(f"{target}#{anchor}" if anchor else target, code=303)


def _back_to_plan(client: m.Client, anchor: str = "") -> ResponseReturnValue:
    target = url_for("plans.plan", client_id=client.id)
    return redirect(f"{target}#{anchor}" if anchor else target, code=303)


# --- the match page -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Offer:
    """A course and session the match page offers to add to the plan, as shown there."""

    course: str
    title: str
    provider: str
    session: SessionChoice
    funding: tuple[Funding, ...]  # the answer for the card's first session


def _offers(index: CatalogIndex, result: MatchResult) -> dict[tuple[str, str], Offer]:
    """Every (course, session) the page offers: the course cards' sessions and other places,
    the other open sessions of those courses that start in time to apply, and the routes."""
    found: dict[tuple[str, str], Offer] = {}
    first = result.today + timedelta(days=current_app.config["LEAD_TIME_DAYS"])

    def add(course: str, provider: str, session: SessionChoice | None,
            funding: tuple[Funding, ...]) -> None:
        if session is not None:
            found.setdefault((course, session.code), Offer(
                course, course_label(index, course) if course in index.course_pos else course,
                provider, session, funding))

    for c in result.courses:
        add(c.code, c.provider, c.session, c.funding)
        for other in c.other_places:
            add(other.course, other.provider, other.session, c.funding)
        for later in _open_sessions(index, c.code, first, c.session):
            add(c.code, c.provider, later, c.funding)
    for r in (*result.routes, *(a.route for a in result.asked if a.route)):
        add(r.course, r.provider, r.session, r.funding)
    return found


def _open_sessions(index: CatalogIndex, code: str, first: date,
                   shown: SessionChoice | None) -> list[SessionChoice]:
    """The course's open sessions from first on; the distance is known only at the place of
    the session the engine chose (transport support is never a step's scheme)."""
    c = index.course_pos[code]
    sessions = []
    for s in range(int(index.session_ptr[c]), int(index.session_ptr[c + 1])):
        start = date.fromordinal(int(index.session_start[s]))
        if not index.session_open[s] or start < first:
            continue
        postcode = index.session_postcodes[s]
        same_place = shown is not None and shown.postcode == postcode
        sessions.append(SessionChoice(index.session_codes[s], start,
                                      date.fromordinal(int(index.session_end[s])), postcode,
                                      shown.distance_km if shown and same_place else None))
    return sessions


def _session_funding(client: m.Client, offer: Offer, result: MatchResult) -> tuple[Funding, ...]:
    """The funding answer for exactly this session (another place may have other dates)."""
    index = current_index()
    profile = check_profile(client.profile or {})
    course = index.courses[index.course_pos[offer.course]]
    s = offer.session
    return funding_for(profile, course, Situation(result.today, s.start, s.end, s.distance_km,
                                                  result.area), index)


def _choosable(funding: tuple[Funding, ...]) -> list[Funding]:
    return [f for f in funding if f.eligible is not False and f.scheme not in NOT_A_STEP_SCHEME]


def _rule(index: CatalogIndex, scheme: str, on: date | None) -> RuleVersion | None:
    """The published rule version in force on a date (the newest when the date is unknown)."""
    versions = index.rules.get(scheme, ())
    for version in reversed(versions):
        if on is None or (version.valid_from <= on
                          and (version.valid_to is None or on <= version.valid_to)):
            return version
    return None


def _panel(index: CatalogIndex, funding: list[dict[str, Any]], start: date | None
           ) -> list[dict[str, Any]]:
    """The caseworker's view of each funding answer: decider, deadline and rule."""
    rows = []
    for f in funding:
        rule = _rule(index, f["scheme"], start)
        deadline = f["deadline"]
        rows.append({**f, "decider": str(DECIDER_NAMES[f["decided_by"]])
                     if f["decided_by"] in DECIDER_NAMES else "",
                     "deadline_name": str(DEADLINE_NAMES[deadline.kind]) if deadline else "",
                     "deadline_text": long_date(deadline.on) if deadline else "",
                     "law": rule.law if rule else None,
                     "rule_source": rule.source_url if rule else None})
    return rows


def _step_choices(funding: list[dict[str, Any]]) -> list[SelectChoice]:
    choices = [SelectChoice(f["scheme"], f"{f['name']} ({f['answer']})") for f in funding
               if f["eligible"] is not False and f["scheme"] not in NOT_A_STEP_SCHEME]
    return [*choices, SelectChoice("", _("Ingen ordning valgt endnu"))]


def _mark_titles(index: CatalogIndex, keys: list[str]) -> list[dict[str, str]]:
    rows = []
    for key in keys:
        parsed = plans.split_mark(key)
        if parsed is None:
            continue
        kind, code = parsed
        if kind == "course":
            title = course_label(index, code) if code in index.course_pos else code
        else:
            title = occupation_label(index, code) if code in index.occupation_pos else code
        rows.append({"key": key, "kind": kind, "code": code, "title": title})
    return rows


def _offer_option(index: CatalogIndex, offer: Offer) -> dict[str, str]:
    s = offer.session
    place = (f"{s.postcode} {index.place_names.get(s.postcode, '')}".strip() if s.postcode
             else str(_("Online")))
    return {"course": offer.course, "code": s.code,
            "text": f"{date_range(s.start, s.end)}: {offer.provider}, {place}"}


def _match_context(client: m.Client, result: MatchResult) -> dict[str, Any]:
    """The citizen's page context, with the caseworker's pins, exclusions and panels."""
    index = current_index()
    context = page_context(Page(answers=client.profile or {}, result=result, filters=Filters()))
    pinned, excluded = set(client.pinned or []), set(client.excluded or [])
    goal = client.plan.target_code if client.plan else None
    no_course = {code for kind, code in map(plans.split_mark, excluded) if kind == "course"}
    no_job = {code for kind, code in map(plans.split_mark, excluded) if kind == "occupation"}

    def first(kind: str, code: str) -> bool:
        return plans.mark_key(kind, code) not in pinned  # False sorts first: pinned on top

    courses = sorted((c for c in context["courses"] if c["code"] not in no_course),
                     key=lambda c: first("course", c["code"]))
    occupations = sorted((o for o in context["occupations"] if o["code"] not in no_job),
                         key=lambda o: first("occupation", o["code"]))
    routes = [r for r in context["routes"]
              if r["target"] not in no_job and r["course"] not in no_course]
    paths = [p for p in context["paths"] if p["target"] not in no_job
             and not any(s["code"] in no_course for s in p["steps"])]
    offers = _offers(index, result)
    for c in courses:
        on_card = {c["code"], *(s["course"] for s in c["sessions"])}
        c["plan_sessions"] = [_offer_option(index, o) for o in sorted(
            (o for o in offers.values() if o.course in on_card),
            key=lambda o: (o.session.start, o.course, o.session.code))]
        c["panel"] = _panel(index, c["funding"], c["start"])
        c["schemes"] = _step_choices(c["funding"])
        c["pinned"] = plans.mark_key("course", c["code"]) in pinned
    for r in [*routes, *(a["route"] for a in context["asked"] if a["route"])]:
        r["panel"] = _panel(index, r["funding"], None)
        r["schemes"] = _step_choices(r["funding"])
    for o in occupations:
        o["pinned"] = plans.mark_key("occupation", o["code"]) in pinned
    shown = {plans.mark_key("course", c["code"]) for c in courses}
    shown |= {plans.mark_key("occupation", o["code"]) for o in occupations}
    hidden = len(context["courses"]) - len(courses) + len(context["occupations"]) \
        - len(occupations) + len(context["routes"]) - len(routes) \
        + len(context["paths"]) - len(paths)
    context.update(
        courses=courses, occupations=occupations, routes=routes, paths=paths,
        summary=summary(context["asked"], routes, occupations, courses, paths),
        excluded=_mark_titles(index, list(client.excluded or [])),
        pinned_missing=_mark_titles(index, [k for k in client.pinned or [] if k not in shown]),
        hidden_count=hidden,
        goal=goal, goal_title=(occupation_label(index, goal) if goal in index.occupation_pos
                               else goal) if goal else "",
        route_goal=client.plan.route_code if client.plan else None)
    return context


def _render_match(client: m.Client, *, errors: list[tuple[str, str]] | None = None,
                  status: int = 200) -> ResponseReturnValue:
    outcome = matched(client.profile or {})
    context: dict[str, Any]
    if isinstance(outcome, Outcome):
        context = {"profile_errors": [message for _field, message in outcome.errors]
                   or [_("Profilen mangler svar.")]}
    else:
        context = _match_context(client, outcome)
    html = render_template("caseworker/match.html", client=client, errors=errors or [],
                           profile_url=_profile_url(client.id),
                           record_url=_record_url(client.id), **context)
    return private(make_response(html, status))


@bp.get("/<int:client_id>/match")
@staff("caseworker")
def match(client_id: int) -> ResponseReturnValue:
    """The client's results with the caseworker's panel; a reload re-runs the match."""
    client = _client(client_id)
    clients.audit(get_session(), client.id, "client_matched", **_who())
    get_session().commit()
    return _render_match(client)


@bp.post("/<int:client_id>/match/marker")
@staff("caseworker")
def mark(client_id: int) -> ResponseReturnValue:
    """Pin, unpin, exclude or include a course or an occupation."""
    client = _client(client_id)
    form = MarkForm(request.form)
    if not form.validate():
        errors = [("main-content", message) for _field, message in form_errors(form)]
        _refused(client, "mark", errors)
        get_session().commit()
        return _render_match(client, errors=errors, status=400)
    kind, code = plans.split_mark(form.item.data)  # type: ignore[misc]
    try:
        plans.set_mark(get_session(), client, kind, code, form.action.data, **_who())
    except plans.PlanRefused:
        errors = [("main-content", _("Der er for mange fastgjorte og fravalgte. Fortryd "
                                     "nogle af dem først."))]
        get_session().rollback()
        _refused(client, "mark", errors)
        get_session().commit()
        return _render_match(client, errors=errors, status=400)
    get_session().commit()
    return _back_to_match(client, "excluded" if form.action.data == "exclude" else "")


@bp.post("/<int:client_id>/plan/maal")
@staff("caseworker")
def set_goal(client_id: int) -> ResponseReturnValue:
    """The occupation the plan aims at, and the route there (blank target: cleared)."""
    client = _client(client_id)
    form = GoalForm(request.form)
    index = current_index()
    target, route = (form.target.data or "").strip(), (form.route.data or "").strip()
    errors = []
    if target and target not in index.occupation_pos:
        errors.append(("goal", _("Vælg et job fra resultaterne som mål.")))
    if route and (not target or route not in index.course_pos):
        errors.append(("goal", _("Vælg en uddannelse fra resultaterne som vej.")))
    if "target" not in request.form:
        errors.append(("goal", _("Vælg et job fra resultaterne som mål.")))
    if errors:
        _refused(client, "goal", errors)
        get_session().commit()
        return _render_plan(client, errors=errors[:1], status=400)
    plans.set_goal(get_session(), client, target=target or None, route=route or None, **_who())
    get_session().commit()
    flash(_("Målet for planen er gemt.") if target else _("Målet er fjernet fra planen."),
          "success")
    return _back_to_plan(client)


@bp.post("/<int:client_id>/plan/trin")
@staff("caseworker")
def add_step(client_id: int) -> ResponseReturnValue:
    """ "Føj til plan": a course and session from the match page, with its scheme."""
    client = _client(client_id)
    outcome = matched(client.profile or {})
    if isinstance(outcome, Outcome):
        errors = [("main-content", _("Profilen er ikke udfyldt nok til at finde kurser. "
                                     "Ret profilen først."))]
        _refused(client, "add_step", errors)
        get_session().commit()
        return _render_match(client, errors=errors, status=400)
    offers = _offers(current_index(), outcome)
    card = request.form.get("course", "")
    anchor = f"add-{card}-session" if CODE.fullmatch(card) else "main-content"
    form = AddStepForm(request.form)
    form.session.choices = [(f"{course}|{code}", "") for course, code in offers]
    course, _bar, code = (form.session.data or "").partition("|")
    offer = offers.get((course, code))
    funding = _session_funding(client, offer, outcome) if offer else ()
    form.scheme.choices = [(f.scheme, "") for f in _choosable(funding)] + [("", "")]
    if not form.validate() or offer is None:
        named = [(name, message) for name, message in _named_errors(form)
                 if offer is not None or name == "session"]  # no scheme without a session
        errors = [(anchor if name == "session" else anchor.replace("-session", "-scheme"),
                   message) for name, message in named]
        _refused(client, "add_step", errors)
        get_session().commit()
        return _render_match(client, errors=errors, status=400)
    scheme = form.scheme.data or None
    chosen = next((f for f in funding if f.scheme == scheme), None)
    new = plans.NewStep(course_code=offer.course, course_title=offer.title,
                        provider_name=offer.provider, session_code=offer.session.code,
                        start=offer.session.start, end=offer.session.end, scheme=scheme,
                        deadline=chosen.deadline.on if chosen and chosen.deadline else None)
    try:
        plans.add_step(get_session(), client, new, **_who())
    except plans.PlanRefused as refused:
        get_session().rollback()
        message = (_("Holdet er allerede i planen.") if refused.message == "already_planned"
                   else _("Planen kan højst have %(count)s trin.", count=plans.MAX_STEPS))
        errors = [(anchor, message)]
        _refused(client, "add_step", errors)
        get_session().commit()
        return _render_match(client, errors=errors, status=400)
    get_session().commit()
    flash(_("%(course)s er føjet til planen.", course=offer.title), "success")
    return _back_to_match(client, anchor)


def _named_errors(form: Form) -> list[tuple[str, str]]:
    """(field name, first message) for each field with a problem."""
    return [(name, messages[0]) for name, messages in form.errors.items() if messages]


def _step(client: m.Client, step_id: int) -> m.PlanStep:
    found = plans.find_step(client, step_id)
    if found is None:
        abort(404)
    return found


@bp.post("/<int:client_id>/plan/trin/<int:step_id>")
@staff("caseworker")
def update_step(client_id: int, step_id: int) -> ResponseReturnValue:
    """A step's status and its date, and the deadline (filled from the rule, editable)."""
    client = _client(client_id)
    step = _step(client, step_id)
    form = StepForm(request.form, prefix=f"step-{step.id}")
    ok = form.validate()
    ok = form.check_dates(_today()) and ok
    if not ok:
        errors = form_errors(form)
        _refused(client, "step", errors)
        get_session().commit()
        return _render_plan(client, errors=errors, forms={step.id: form}, status=400)
    plans.update_step(get_session(), client, step, status=form.status.data,
                      status_date=form.status_date.data, deadline=form.deadline.data,
                      deadline_note=form.deadline_note.data or "", **_who())
    get_session().commit()
    flash(_("Trinnet er gemt."), "success")
    return _back_to_plan(client, f"step-{step.id}")


@bp.post("/<int:client_id>/plan/trin/<int:step_id>/flyt")
@staff("caseworker")
def move_step(client_id: int, step_id: int) -> ResponseReturnValue:
    client = _client(client_id)
    step = _step(client, step_id)
    direction = request.form.get("retning", "")
    if direction not in ("op", "ned"):
        errors = [(f"step-{step.id}", _("Vælg at flytte trinnet op eller ned."))]
        _refused(client, "move", errors)
        get_session().commit()
        return _render_plan(client, errors=errors, status=400)
    plans.move_step(get_session(), client, step, -1 if direction == "op" else 1, **_who())
    get_session().commit()
    return _back_to_plan(client, f"step-{step.id}")


@bp.post("/<int:client_id>/plan/trin/<int:step_id>/slet")
@staff("caseworker")
def remove_step(client_id: int, step_id: int) -> ResponseReturnValue:
    client = _client(client_id)
    step = _step(client, step_id)
    title = step.course_title
    plans.remove_step(get_session(), client, step, **_who())
    get_session().commit()
    flash(_("%(course)s er fjernet fra planen.", course=title), "success")
    return _back_to_plan(client)


@bp.post("/<int:client_id>/plan/kontakt")
@staff("caseworker")
def set_contact(client_id: int) -> ResponseReturnValue:
    client = _client(client_id)
    form = ContactForm(request.form)
    ok = form.validate()
    ok = form.check_dates(_today()) and ok
    if not ok:
        errors = form_errors(form)
        _refused(client, "contact", errors)
        get_session().commit()
        return _render_plan(client, errors=errors, contact_form=form, status=400)
    plans.set_contact(get_session(), client, on=form.next_contact.data,
                      note=form.next_contact_note.data or "", **_who())
    get_session().commit()
    flash(_("Næste kontakt er gemt."), "success")
    return _back_to_plan(client, "contact")


# --- the plan page and its PDF ------------------------------------------------------------

def _step_view(index: CatalogIndex, step: m.PlanStep, flag: plans.StepFlag | None
               ) -> dict[str, Any]:
    kind = DEADLINE_KIND.get(step.scheme or "")
    flag_text = ""
    if flag is not None:
        flag_text = (_("Holdets datoer er ændret i kataloget: nu %(dates)s.",
                       dates=date_range(flag.start, flag.end))
                     if flag.kind == "dates_changed" and flag.start and flag.end
                     else str(FLAG_TEXTS[flag.kind]))
    return {
        "id": step.id, "position": step.position, "course": step.course_code,
        "title": (course_label(index, step.course_code) if step.course_code in index.course_pos
                  else step.course_title),
        "provider": step.provider_name or "", "session": step.session_code,
        "dates_text": date_range(step.start, step.end) if step.start and step.end else "",
        "start": step.start, "end": step.end,
        "scheme": step.scheme, "scheme_name": str(SCHEME_NAMES.get(step.scheme or "", "")),
        "deadline": step.deadline, "deadline_text": long_date(step.deadline),
        "deadline_kind": kind,
        "deadline_name": str(DEADLINE_NAMES[kind]) if kind else str(_("Frist")),
        "deadline_note": step.deadline_note,
        "status": step.status, "status_name": str(STATUS_NAMES[step.status]),
        "status_date": step.status_date, "status_date_text": long_date(step.status_date),
        "flag": flag.kind if flag else None, "flag_text": flag_text,
    }


def _plan_context(client: m.Client) -> dict[str, Any]:
    index = current_index()
    steps = list(client.steps)
    flags = plans.step_flags(get_session(), steps)
    plan = client.plan
    target = plan.target_code if plan else None
    route = plan.route_code if plan else None
    return {
        "client": client, "plan": plan,
        "target_title": (occupation_label(index, target) if target in index.occupation_pos
                         else target) if target else "",
        "route_title": (course_label(index, route) if route in index.course_pos else route)
        if route else "",
        "steps": [_step_view(index, step, flags.get(step.id)) for step in steps],
        "next_contact_text": long_date(plan.next_contact) if plan else "",
        "next_contact_note": plan.next_contact_note if plan else "",
        "today_text": long_date(_today()),
    }


def _render_plan(client: m.Client, *, errors: list[tuple[str, str]] | None = None,
                 forms: dict[int, StepForm] | None = None,
                 contact_form: ContactForm | None = None, status: int = 200
                 ) -> ResponseReturnValue:
    context = _plan_context(client)
    step_forms = {}
    for view, step in zip(context["steps"], client.steps, strict=True):
        step_forms[view["id"]] = (forms or {}).get(view["id"]) or StepForm(
            prefix=f"step-{step.id}", data={"status": step.status,
                                            "status_date": step.status_date,
                                            "deadline": step.deadline,
                                            "deadline_note": step.deadline_note or None})
    plan = client.plan
    contact = contact_form or ContactForm(data={
        "next_contact": plan.next_contact if plan else None,
        "next_contact_note": (plan.next_contact_note or None) if plan else None})
    html = render_template("caseworker/plan.html", errors=errors or [], step_forms=step_forms,
                           contact_form=contact, record_url=_record_url(client.id), **context)
    return private(make_response(html, status))


@bp.get("/<int:client_id>/plan")
@staff("caseworker")
def plan(client_id: int) -> ResponseReturnValue:
    client = _client(client_id)
    clients.audit(get_session(), client.id, "plan_viewed", **_who())
    get_session().commit()
    return _render_plan(client)


@bp.get("/<int:client_id>/plan.pdf")
@staff("caseworker")
def plan_download(client_id: int) -> ResponseReturnValue:
    """The plan as a PDF: ?sprog=da|en, ?kopi=borger (plain words) or sagsbehandler."""
    client = _client(client_id)
    language = request.args.get("sprog", "da")
    copy = request.args.get("kopi", "borger")
    if language not in LANGUAGES or copy not in COPIES:
        clients.audit(get_session(), client.id, "plan_change_refused", form="pdf",
                      fields=["sprog" if language not in LANGUAGES else "kopi"], **_who())
        get_session().commit()
        abort(400)
    clients.audit(get_session(), client.id, "plan_pdf", language=language, copy=copy, **_who())
    get_session().commit()
    with force_locale(language):
        context = _plan_context(client)
        names = {"borger": _("min-plan"), "sagsbehandler": _("plan-sagsbehandler")}
        response = plan_pdf({**context, "citizen_copy": copy == "borger"},
                            template="caseworker/plan_pdf.html", name=names[copy])
    return private(response)
