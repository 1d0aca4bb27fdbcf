"""What each step of the citizen journey does with a request: check, merge, move on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from wtforms import Form
from wtforms.fields.choices import SelectChoice

from matcher.data.matching import current_index, suggest_labels
from matcher.engine.lookup import Suggestion
from matcher.web.forms import (
    EducationForm,
    JobForm,
    LimitsForm,
    SearchForm,
    SituationForm,
    form_errors,
)
from matcher.web.journey import MAX_ITEMS, STEPS, Answers, Step, add_unique
from matcher.web.presenters import certificate_groups, certificates, chosen, english

RESULTS = "results"


@dataclass
class Outcome:
    """The step to show next, the answers so far, and what the page needs to show it."""

    step: str
    answers: Answers
    forms: dict[str, Form] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)
    found: dict[str, list[Suggestion]] = field(default_factory=dict)


def handle(step: Step) -> Outcome:
    """Apply the posted action to the posted step."""
    handlers = {"situation": _situation, "education": _education,
                "experience": _experience, "limits": _limits}
    return handlers[step.name](step)


def render_step(outcome: Outcome) -> str:
    """The page of a step, filled in from the answers so far."""
    return render_template(
        "citizen/journey.html", outcome=outcome,
        step_number=STEPS.index(outcome.step) + 1, chosen=chosen(current_index(), outcome.answers),
        certificate_groups=certificate_groups(current_index()) if outcome.step == "education"
        else [])


def shown_again(step: Step) -> Outcome:
    """A step posted a moment ago that stayed put (an error, a search), shown as it was.

    Checking the same fields against the same answers gives the same errors and suggestions,
    so nothing but the posted fields needs to be kept between the post and the page.
    """
    outcome = handle(step)
    return outcome if outcome.step == step.name else show(step.name, step.answers)


def show(name: str, answers: Answers) -> Outcome:
    """A step filled in from the answers so far (arriving at it, forwards or back)."""
    return Outcome(step=name, answers=answers, forms=_forms(name, answers, None))


def _forms(name: str, answers: Answers, formdata: Any) -> dict[str, Form]:
    if name == "situation":
        return {"main": SituationForm(formdata, data=answers)}
    if name == "education":
        index = current_index()
        held = [code for code in answers.get("skills", []) if code in _certificate_codes()]
        form = EducationForm(formdata, data={**answers, "certificates": held})
        form.education_level.choices = [
            SelectChoice(level.code, level.name_en if english() else level.name_da)
            for level in sorted(index.snapshot.education_levels, key=lambda lv: lv.rank)]
        form.certificates.choices = [SelectChoice(s.code, s.label_da)
                                     for s in certificates(index)]
        return {"main": form, "education": SearchForm(formdata, prefix="education")}
    if name == "experience":
        return {"job": SearchForm(formdata, prefix="job"), "years": JobForm(formdata),
                "skill": SearchForm(formdata, prefix="skill"),
                "course": SearchForm(formdata, prefix="course")}
    data = {**answers, "max_distance_km": str(int(answers.get("max_distance_km", 50))),
            "max_course_days": str(answers.get("max_course_days") or ""),
            "start_within_weeks": str(answers.get("start_within_weeks", 26))}
    if "schedule" not in answers:
        data.pop("schedule", None)
    return {"main": LimitsForm(formdata, data=data), "interest": SearchForm(formdata,
                                                                          prefix="interest")}


def _move(step: Step, answers: Answers) -> Outcome:
    answers, unadded = _typed_not_added(step, answers)
    if unadded is not None:
        return unadded
    position = STEPS.index(step.name)
    if step.action == "back":
        return show(STEPS[max(position - 1, 0)], answers)
    if position + 1 < len(STEPS):
        return show(STEPS[position + 1], answers)
    return Outcome(step=RESULTS, answers=answers)


def _typed_not_added(step: Step, answers: Answers) -> tuple[Answers, Outcome | None]:
    """Text left in a search box is never lost when the person moves on (or presses Enter).

    If it is exactly the name of one thing on the list (picked from the typeahead, say), it is
    added; otherwise the step stays, with the suggestions for it and a question.
    """
    for what in STEP_SEARCHES.get(step.name, ()):
        query = (step.form.get(f"{what}-query") or "").strip()
        if not query:
            continue
        found = _suggestions(what, query)
        exact = [s for s in found if query.casefold() in
                 (s.label_da.casefold(), (s.label_en or "").casefold())]
        if len(exact) == 1:
            answers = _added(step, answers, what, [exact[0].code])
            continue
        forms = _forms(step.name, answers, step.form)
        message = (_("Du har skrevet »%(text)s«, men ikke tilføjet det. Vælg på listen og "
                     "tryk »Tilføj«, eller tøm feltet for at gå videre.", text=query[:80])
                   if found else
                   _("Vi fandt intet, der ligner »%(text)s«. Prøv et andet ord, eller tøm "
                     "feltet for at gå videre.", text=query[:80]))
        return answers, Outcome(step=step.name, answers=answers, forms=forms,
                                errors=[(forms[what].query.id, message)], found={what: found})
    return answers, None


def _situation(step: Step) -> Outcome:
    form = SituationForm(step.form)
    if not form.validate():
        return Outcome(step=step.name, answers=step.answers, forms={"main": form},
                       errors=form_errors(form))
    answers = {**step.answers, "status": form.status.data, "age": form.age.data}
    for name in ("benefit", "unemployed_weeks"):
        value = getattr(form, name).data
        if value is None or value == "None":
            answers.pop(name, None)
        else:
            answers[name] = value
    return _move(step, answers)


def _education(step: Step) -> Outcome:
    forms = _forms("education", step.answers, step.form)
    form = forms["main"]
    handled = _search_and_pick(step, forms)
    if handled is not None:
        # Searching must not undo what is ticked on the page but not yet sent with "Næste".
        handled.forms["main"] = form
        return handled
    if step.action == "back" and not step.form.get("education_level"):
        return _move(step, step.answers)
    valid = form.validate()
    errors = form_errors(form)
    known = _certificate_codes()
    picked = [code for code in form.certificates.data or [] if code]
    if any(code not in known for code in picked):
        message = _("Vælg kun blandt kørekortene og certifikaterne på listen.")
        form.certificates.errors = [message]
        errors.append((CERTIFICATES_ID, message))
        valid = False
    if not valid:
        return Outcome(step=step.name, answers=step.answers, forms=forms, errors=errors)
    others = [code for code in step.answers.get("skills", []) if code not in known]
    answers = {**step.answers, "education_level": form.education_level.data,
               "has_eud": bool(form.has_eud.data),
               "education_outdated": bool(form.education_outdated.data),
               "skills": [*others, *dict.fromkeys(picked)][:MAX_ITEMS]}
    if not answers["skills"]:
        answers.pop("skills")
    return _move(step, answers)


CERTIFICATES_ID = "certificates-1"  # the first box: where the error summary's link lands


def _certificate_codes() -> frozenset[str]:
    return frozenset(skill.code for skill in certificates(current_index()))


def _suggestions(what: str, query: str) -> list[Suggestion]:
    if what == "skill":  # certificates are ticked in the checklist of the education step
        declared = _certificate_codes()
        return [s for s in suggest_labels(query, kind="skill", limit=16)
                if s.code not in declared][:8]
    return suggest_labels(query, kind=SEARCHES[what], limit=8)


def _known(what: str) -> frozenset[str]:
    index = current_index()
    if what == "education":
        return frozenset(e.code for e in index.snapshot.educations)
    if what == "skill":
        return index.vocabulary.skills - _certificate_codes()
    return {"job": index.vocabulary.occupations, "interest": index.vocabulary.occupations,
            "course": index.vocabulary.courses}[what]


SEARCHES = {"job": "occupation", "skill": "skill", "course": "course", "interest": "occupation",
            "education": "education"}
LISTS = {"job": "occupations", "skill": "skills", "course": "completed_courses",
         "interest": "interests", "education": "educations"}
STEP_SEARCHES = {"education": ("education",), "experience": ("job", "skill", "course"),
                 "limits": ("interest",)}


def _search_and_pick(step: Step, forms: dict[str, Form]) -> Outcome | None:
    """The search, add and remove actions shared by the education, experience and limits steps."""
    action, what = step.action, step.argument
    answers = dict(step.answers)
    if action == "remove" and what:
        kind, _sep, code = what.partition("=")
        key = LISTS.get(kind) if kind in STEP_SEARCHES[step.name] else None
        if key == "occupations":
            answers[key] = [j for j in answers.get(key, []) if j["code"] != code]
        elif key:
            answers[key] = [c for c in answers.get(key, []) if c != code]
        return Outcome(step=step.name, answers=answers, forms=_kept_forms(step, answers))
    if action not in ("search", "add") or what not in STEP_SEARCHES[step.name]:
        return None
    search = forms[what]
    outcome = Outcome(step=step.name, answers=answers, forms=forms)
    if not search.validate():
        outcome.errors = form_errors(search)
        return outcome
    query = search.query.data or ""
    if action == "search":
        if not query.strip():
            outcome.errors = [(search.query.id, _("Skriv et ord at søge efter."))]
            return outcome
        outcome.found[what] = _suggestions(what, query)
        if not outcome.found[what]:
            outcome.errors = [(search.query.id, _("Vi fandt intet, der ligner. Prøv et andet ord."))]
        return outcome
    picked = [code for code in step.form.getlist(f"{what}-pick") if code]
    known = _known(what)
    if not picked or any(code not in known for code in picked):
        outcome.found[what] = _suggestions(what, query) if query else []
        outcome.errors = [(f"{what}-pick", _("Vælg et af forslagene på listen."))]
        return outcome
    answers = _added(step, answers, what, picked)
    return Outcome(step=step.name, answers=answers, forms=_kept_forms(step, answers))


def _kept_forms(step: Step, answers: Answers) -> dict[str, Form]:
    """After adding or removing: what is ticked or typed elsewhere on the step stays as it
    was (it is not an answer until "Næste"); the search boxes start empty again."""
    forms = _forms(step.name, answers, step.form)
    for what in STEP_SEARCHES[step.name]:
        forms[what] = SearchForm(None, prefix=what)
    if "years" in forms:
        forms["years"] = JobForm(None)
    return forms


def _added(step: Step, answers: Answers, what: str, picked: list[str]) -> Answers:
    key = LISTS[what]
    if what == "job":
        years = {"0.5": 0.5, "1": 1.0, "2": 3.0, "5": 6.0}.get(step.form.get("years", "1"), 1.0)
        jobs = [j for j in answers.get(key, []) if j["code"] != picked[0]]
        return {**answers, key: [*jobs, {"code": picked[0], "years": years}][-MAX_ITEMS:]}
    items = list(answers.get(key, []))
    for code in picked:
        items = add_unique(items, code)
    return {**answers, key: items}


def _experience(step: Step) -> Outcome:
    forms = _forms("experience", step.answers, step.form)
    handled = _search_and_pick(step, forms)
    return handled if handled is not None else _move(step, step.answers)


def _limits(step: Step) -> Outcome:
    forms = _forms("limits", step.answers, step.form)
    handled = _search_and_pick(step, forms)
    if handled is not None:
        return handled
    form = forms["main"]
    if step.action == "back" and not form.validate():
        return _move(step, step.answers)
    if not form.validate():
        return Outcome(step=step.name, answers=step.answers, forms=forms, errors=form_errors(form))
    if form.postcode.data not in current_index().vocabulary.postcodes:
        return Outcome(step=step.name, answers=step.answers, forms=forms,
                       errors=[(form.postcode.id, _("Postnummeret %(postcode)s findes ikke.",
                                                     postcode=form.postcode.data))])
    answers = {**step.answers, "postcode": form.postcode.data,
               "max_distance_km": int(form.max_distance_km.data),
               "schedule": list(form.schedule.data),
               "start_within_weeks": int(form.start_within_weeks.data)}
    if form.max_course_days.data:
        answers["max_course_days"] = int(form.max_course_days.data)
    else:
        answers.pop("max_course_days", None)
    return _move(step, answers)
