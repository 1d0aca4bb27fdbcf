"""The course providers' area (/udbyder/): their own courses and sessions, nobody else's.

Every view reads the provider from the logged-in account, never from the URL or a form,
so a posted provider_code means nothing; another provider's course or session is 404.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from matcher.data import listing_upload, listings
from matcher.data.db import get_session
from matcher.data.matching import suggest_labels, today_from
from matcher.data.staff import provider_name
from matcher.web import provider_upload
from matcher.web.access import staff
from matcher.web.course_reach import course_reach
from matcher.web.forms import form_errors
from matcher.web.provider_forms import (
    FIELD_LABELS,
    KIND_CHOICES,
    CourseForm,
    SessionForm,
    UploadForm,
    version_of,
)
from matcher.web.rate_limits import per_address

bp = Blueprint("provider", __name__, url_prefix="/udbyder")

# The search-and-pick lists of the course form: (list, kind of suggestion).
PICKS = (("skills", "skill"), ("prerequisites", "skill"), ("occupations", "occupation"))
MAX_PICKED = 50
_UNKNOWN = {
    "skills": lambda: _("Vælg kompetencerne blandt forslagene."),
    "prerequisites": lambda: _("Vælg forudsætningerne blandt forslagene."),
    "occupations": lambda: _("Vælg jobbene blandt forslagene."),
    "min_education_level": lambda: _("Vælg uddannelsesniveauet på listen."),
    "postcode": lambda: _("Vi kender ikke postnummeret. Skriv et dansk postnummer, fx 7400."),
}


def _provider() -> str:
    code = current_user.provider_code
    if not code:  # a provider account always has one (accounts.create_user); fail closed
        abort(404)
    return str(code)


def _actor() -> listings.Actor:
    return listings.Actor(current_user.row, request.remote_addr)


def _today() -> Any:
    return today_from(None)


def _course_or_404(code: str) -> listings.CourseView:
    try:
        return listings.course(get_session(), _provider(), code, today=_today())
    except listings.ListingNotFound:
        abort(404)


@bp.get("/")
@staff("provider")
def home_provider() -> ResponseReturnValue:
    db = get_session()
    found = listings.courses(db, _provider(), today=_today())
    return render_template("provider/home.html", provider_name=provider_name(db, _provider()),
                           current=[c for c in found if not c.archived],
                           archived=[c for c in found if c.archived])


@bp.get("/kurser/<code>")
@staff("provider")
def course(code: str) -> ResponseReturnValue:
    """One of the provider's own courses; another provider's is "not found" (no IDOR)."""
    found = _course_or_404(code)
    reach = None if found.archived else course_reach(
        found.code, [job for job, *_labels in found.occupations], _today())
    return render_template("provider/course.html", course=found, reach=reach,
                           levels=_level_names(), kinds={c.value: c.label for c in KIND_CHOICES})


# --- the course form: fields, and three search-and-pick lists ----------------------------

@dataclass
class Picks:
    """The chosen codes of each list with their labels, and suggestions found by "Søg"."""

    chosen: dict[str, list[tuple[str, str]]]
    found: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _label(da: str, en: str | None) -> str:
    return en if str(get_locale()) == "en" and en else da


def _picks_from(values: dict[str, list[tuple[str, str, str | None]]]) -> Picks:
    return Picks({name: [(code, _label(da, en)) for code, da, en in values.get(name, ())]
                  for name, _kind in PICKS})


def _picks_posted(form: MultiDict[str, str]) -> Picks:
    """The lists as posted (hidden fields), with labels; unknown codes stay to be refused."""
    db = get_session()
    chosen = {}
    for name, kind in PICKS:
        codes = list(dict.fromkeys(c for c in form.getlist(name) if c))[:MAX_PICKED]
        labels = listings.labels(db, codes, kind)
        chosen[name] = [(code, _label(da, en)) for code, da, en in labels]
    return Picks(chosen)


def _pick_action(action: str, form: MultiDict[str, str], picks: Picks) -> None:
    """Search, add or remove in one list; nothing is saved until "Gem"."""
    verb, _sep, rest = action.partition(":")
    what, _eq, code = rest.partition("=")
    kinds = dict(PICKS)
    if what not in kinds:
        return
    if verb == "search":
        query = (form.get(f"{what}-query") or "").strip()[:100]
        if not query:
            picks.errors.append((f"{what}-query", _("Skriv mindst ét ord at søge efter.")))
            return
        picks.found[what] = suggest_labels(query, kind=kinds[what], limit=10)
        if not picks.found[what]:
            picks.errors.append((f"{what}-query", _("Ingen forslag passer til »%(query)s«. "
                                                    "Prøv et andet ord.", query=query)))
    elif verb == "add":
        added = [c for c in form.getlist(f"{what}-pick") if c]
        if not added:
            picks.errors.append((f"{what}-query", _("Vælg mindst ét forslag at tilføje.")))
            return
        have = {c for c, _l in picks.chosen[what]}
        new = [c for c in dict.fromkeys(added) if c not in have]
        labels = listings.labels(get_session(), new, kinds[what])
        picks.chosen[what] = (picks.chosen[what] + [(c, _label(da, en))
                                                    for c, da, en in labels])[:MAX_PICKED]
    elif verb == "remove":
        picks.chosen[what] = [(c, label) for c, label in picks.chosen[what] if c != code]


def _level_names() -> dict[str, str]:
    return {code: _label(da, en) for code, da, en in listings.education_levels(get_session())}


def _course_form(formdata: MultiDict[str, str] | None = None,
                 data: dict[str, Any] | None = None) -> CourseForm:
    form = CourseForm(formdata, data=data)
    form.min_education_level.choices = [SelectChoice("", _("Intet krav")), *(
        SelectChoice(code, name) for code, name in _level_names().items())]
    return form


def _course_input(form: CourseForm, picks: Picks) -> listings.CourseInput:
    lists = {name: tuple(code for code, _l in picks.chosen[name]) for name, _k in PICKS}
    return listings.CourseInput(
        title_da=form.title_da.data, kind=form.kind.data, duration_days=form.duration_days.data,
        title_en=form.title_en.data, official_code=form.official_code.data,
        description_da=form.description_da.data, hours=form.hours.data,
        price_dkk=form.price_dkk.data, fee_target_group_dkk=form.fee_target_group_dkk.data,
        min_education_level=form.min_education_level.data or None,
        language=form.language.data or None, delivery=form.delivery.data or None,
        schedule=form.schedule.data or None, url=form.url.data, **lists)


def _refused(invalid: listings.ListingInvalid, form: CourseForm | SessionForm) -> list[
        tuple[str, str]]:
    errors = []
    for name, _problem in invalid.problems:
        message = _UNKNOWN.get(name, lambda: _("Værdien findes ikke."))()
        if name in form:
            form[name].errors = [*form[name].errors, message]
            errors.append((form[name].id, message))
        else:
            errors.append((f"{name}-query", message))
    return errors


def _render_course_form(form: CourseForm, picks: Picks, *, course: listings.CourseView | None,
                        errors: list[tuple[str, str]], status: int = 200,
                        conflict: list[listings.Change] | None = None) -> ResponseReturnValue:
    template = "provider/conflict.html" if conflict is not None else "provider/course_form.html"
    return render_template(template, form=form, picks=picks, course=course, errors=errors,
                           changes=conflict or [], labels=FIELD_LABELS, what="course"), status


def _course_form_post(course: listings.CourseView | None,
                      save: Callable[[listings.CourseInput, int | None], str]
                      ) -> ResponseReturnValue:
    """One post of the course form: a pick action re-renders it, "Gem" saves it."""
    posted = request.form
    form = _course_form(posted)
    picks = _picks_posted(posted)
    action = posted.get("action", "save")
    if action != "save":
        _pick_action(action, posted, picks)
        return _render_course_form(form, picks, course=course, errors=picks.errors,
                                   status=400 if picks.errors else 200)
    if not form.validate():
        return _render_course_form(form, picks, course=course, errors=form_errors(form),
                                   status=400)
    db = get_session()
    try:
        code = save(_course_input(form, picks), version_of(form))
    except listings.ListingInvalid as invalid:
        db.rollback()
        return _render_course_form(form, picks, course=course,
                                   errors=_refused(invalid, form), status=400)
    except listings.ListingConflict:
        db.rollback()
        assert course is not None
        return _course_conflict(form, picks, course.code, version_of(form))
    db.commit()
    flash(_("Kurset er gemt. Borgerne ser ændringen med det samme."), "success")
    return redirect(url_for("provider.course", code=code), code=303)


def _course_conflict(form: CourseForm, picks: Picks, code: str,
                     based_on: int | None) -> ResponseReturnValue:
    """409: what the provider typed stays in the form, now based on the current version,
    and above it what others changed meanwhile; saving again is a deliberate overwrite."""
    current = _course_or_404(code)
    changes = listings.changes_since(get_session(), _provider(), code, based_on or 0)
    form.version.data = str(current.version)
    return _render_course_form(form, picks, course=current, errors=[], status=409,
                               conflict=changes)


@bp.route("/kurser/nyt", methods=["GET", "POST"])
@staff("provider")
def new_course() -> ResponseReturnValue:
    if request.method == "GET":
        return _render_course_form(_course_form(), Picks({n: [] for n, _k in PICKS}),
                                   course=None, errors=[])

    def save(data: listings.CourseInput, _version: int | None) -> str:
        return listings.create_course(get_session(), _provider(), data, _actor())
    return _course_form_post(None, save)


@bp.route("/kurser/<code>/rediger", methods=["GET", "POST"])
@staff("provider")
def edit_course(code: str) -> ResponseReturnValue:
    found = _course_or_404(code)
    if request.method == "GET":
        values = found.values()
        values["version"] = str(found.version)
        return _render_course_form(_course_form(None, values),
                                   _picks_from({n: getattr(found, n) for n, _k in PICKS}),
                                   course=found, errors=[])

    def save(data: listings.CourseInput, version: int | None) -> str:
        listings.update_course(get_session(), _provider(), code, data, _actor(),
                               based_on=version if version is not None else -1)
        return code
    return _course_form_post(found, save)


def _course_action(code: str, act: Callable[[], None], message: str) -> ResponseReturnValue:
    try:
        act()
    except listings.ListingNotFound:
        abort(404)
    except listings.ListingConflict:
        get_session().rollback()
        flash(_("Kurset blev ændret samtidig af en anden. Se det nye indhold, og prøv igen."),
              "error")
        return redirect(url_for("provider.course", code=code), code=303)
    get_session().commit()
    flash(message, "success")
    return redirect(url_for("provider.course", code=code), code=303)


@bp.post("/kurser/<code>/arkiver")
@staff("provider")
def archive_course(code: str) -> ResponseReturnValue:
    return _course_action(code, lambda: listings.set_archived(
        get_session(), _provider(), code, True, _actor()),
        _("Kurset er arkiveret. Det vises ikke længere for borgerne, men historikken er gemt."))


@bp.post("/kurser/<code>/genopret")
@staff("provider")
def restore_course(code: str) -> ResponseReturnValue:
    return _course_action(code, lambda: listings.set_archived(
        get_session(), _provider(), code, False, _actor()),
        _("Kurset er genoprettet og vises igen for borgerne."))


@bp.post("/kurser/<code>/bekraeft")
@staff("provider")
def confirm_course(code: str) -> ResponseReturnValue:
    return _course_action(code, lambda: listings.confirm_course(
        get_session(), _provider(), code, _actor()),
        _("Tak. Kurset er markeret som gennemgået og korrekt i dag."))


# --- sessions ------------------------------------------------------------------------------

def _session_input(form: SessionForm) -> listings.SessionInput:
    return listings.SessionInput(form.start_date.data, form.end_date.data,
                                 form.postcode.data, form.seats.data, form.status.data,
                                 form.time_of_day.data or None)


def _render_session_form(form: SessionForm, course: listings.CourseView,
                         session_view: listings.SessionView | None, *,
                         errors: list[tuple[str, str]], status: int = 200,
                         conflict: list[listings.Change] | None = None) -> ResponseReturnValue:
    template = "provider/conflict.html" if conflict is not None else "provider/session_form.html"
    return render_template(template, form=form, course=course, session=session_view,
                           errors=errors, changes=conflict or [], labels=FIELD_LABELS,
                           what="session"), status


def _session_post(course: listings.CourseView, session_view: listings.SessionView | None,
                  save: Callable[[listings.SessionInput, int | None], None]
                  ) -> ResponseReturnValue:
    form = SessionForm(request.form)
    valid = form.validate()
    if not form.check_dates(today=_today(), new=session_view is None) or not valid:
        return _render_session_form(form, course, session_view, errors=form_errors(form),
                                    status=400)
    db = get_session()
    try:
        save(_session_input(form), version_of(form))
    except listings.ListingInvalid as invalid:
        db.rollback()
        return _render_session_form(form, course, session_view,
                                    errors=_refused(invalid, form), status=400)
    except listings.ListingConflict:
        db.rollback()
        assert session_view is not None
        current = listings.course_session(db, _provider(), course.code, session_view.id,
                                          today=_today())
        changes = listings.changes_since(db, _provider(), course.code, version_of(form) or 0,
                                         session_id=session_view.id)
        form.version.data = str(current.version)
        return _render_session_form(form, course, current, errors=[], status=409,
                                    conflict=changes)
    db.commit()
    flash(_("Holdet er gemt. Borgerne ser ændringen med det samme."), "success")
    return redirect(url_for("provider.course", code=course.code), code=303)


@bp.route("/kurser/<code>/hold/nyt", methods=["GET", "POST"])
@staff("provider")
def new_session(code: str) -> ResponseReturnValue:
    found = _course_or_404(code)
    if request.method == "GET":
        return _render_session_form(SessionForm(), found, None, errors=[])

    def save(data: listings.SessionInput, _version: int | None) -> None:
        listings.create_session(get_session(), _provider(), code, data, _actor())
    return _session_post(found, None, save)


@bp.route("/kurser/<code>/hold/<int:session_id>", methods=["GET", "POST"])
@staff("provider")
def edit_session(code: str, session_id: int) -> ResponseReturnValue:
    found = _course_or_404(code)
    try:
        current = listings.course_session(get_session(), _provider(), code, session_id,
                                          today=_today())
    except listings.ListingNotFound:
        abort(404)
    if request.method == "GET":
        form = SessionForm(data={"start_date": current.start_date, "end_date": current.end_date,
                                 "postcode": current.postcode, "seats": current.seats,
                                 "status": current.status,
                                 "time_of_day": current.time_of_day or "",
                                 "version": str(current.version)})
        return _render_session_form(form, found, current, errors=[])

    def save(data: listings.SessionInput, version: int | None) -> None:
        listings.update_session(get_session(), _provider(), code, session_id, data, _actor(),
                                based_on=version if version is not None else -1)
    return _session_post(found, current, save)


@bp.post("/kurser/<code>/hold/<int:session_id>/aflys")
@staff("provider")
def cancel_session(code: str, session_id: int) -> ResponseReturnValue:
    return _course_action(code, lambda: listings.cancel_session(
        get_session(), _provider(), code, session_id, _actor()),
        _("Holdet er aflyst. Det vises ikke længere for borgerne."))


# --- bulk upload and export ----------------------------------------------------------------

def _render_upload(form: UploadForm, *, errors: list[provider_upload.RowError] | None = None,
                   field_errors: list[tuple[str, str]] | None = None,
                   status: int = 200) -> ResponseReturnValue:
    row_errors = sorted(errors or [], key=lambda e: (e.line or 0, e.column or ""))
    summary = list(field_errors or [])
    if row_errors:
        summary.append(("upload-errors", _("Filen har %(count)s fejl. Intet er gemt.",
                                           count=len(row_errors))))
    return render_template("provider/upload.html", form=form, row_errors=row_errors,
                           errors=summary, specs=provider_upload.SPECS,
                           max_rows=provider_upload.MAX_ROWS), status


def _read_and_plan(kind: str, data: bytes, archive_missing: bool
                   ) -> tuple[list[provider_upload.RowError], listing_upload.UploadPlan]:
    """The file's faults and the plan for its good rows (facts are checked even when some
    rows are malformed, so that one upload lists every fault)."""
    db = get_session()
    levels = [code for code, _da, _en in listings.education_levels(db)]
    rows, errors = provider_upload.read_upload(data, provider_upload.SPECS[kind],
                                               provider_code=_provider(), levels=levels,
                                               today=_today())
    plan = listing_upload.plan_upload(db, _provider(), kind, rows, today=_today(),
                                      archive_missing=archive_missing and not errors)
    return errors + provider_upload.problem_errors(plan.problems), plan


def _render_preview(form: UploadForm, data: bytes, plan: listing_upload.UploadPlan, *,
                    changed_meanwhile: bool = False) -> ResponseReturnValue:
    sha256 = hashlib.sha256(data).hexdigest()
    token = provider_upload.sign({
        "u": current_user.get_id(), "p": _provider(), "k": plan.kind,
        "a": bool(form.archive_missing.data), "t": data.decode("utf-8-sig"),
        "d": plan.digest(), "h": sha256})
    if plan.changes and len(token) > provider_upload.MAX_TOKEN:
        return _render_upload(form, errors=[provider_upload.RowError(None, None, _(
            "Filen er for stor til at blive bekræftet i ét trin. Del den i mindre filer."))],
            status=400)
    return render_template("provider/upload_preview.html", plan=plan, token=token,
                           sha256=sha256, spec=provider_upload.SPECS[plan.kind],
                           labels=FIELD_LABELS, changed_meanwhile=changed_meanwhile,
                           archive_missing=bool(form.archive_missing.data)), \
        409 if changed_meanwhile else 200


@bp.route("/indlaes", methods=["GET", "POST"])
@staff("provider")
@per_address("UPLOAD_RATE_LIMIT", methods=["POST"])
def upload() -> ResponseReturnValue:
    """Upload one catalogue file and see what it would change; nothing is written here."""
    if request.method == "GET":
        return _render_upload(UploadForm())
    form = UploadForm(request.form)
    field_errors = [] if form.validate() else form_errors(form)
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        field_errors.append(("file", _("Vælg en fil at uploade.")))
    elif not sent.filename.lower().endswith(".csv"):
        field_errors.append(("file", _("Filen skal være en CSV-fil (.csv).")))
    if field_errors:
        return _render_upload(form, field_errors=field_errors, status=400)
    assert sent is not None
    # One byte more than allowed is enough to know the file is too large. Parsed in
    # memory; Werkzeug's spool file for a large upload is closed (and so removed) at once.
    try:
        data = sent.stream.read(provider_upload.MAX_BYTES + 1)
    finally:
        sent.close()
    errors, plan = _read_and_plan(form.kind.data, data, bool(form.archive_missing.data))
    if errors:
        return _render_upload(form, errors=errors, status=400)
    return _render_preview(form, data, plan)


@bp.post("/indlaes/bekraeft")
@staff("provider")
@per_address("UPLOAD_RATE_LIMIT")
def upload_confirm() -> ResponseReturnValue:
    """Apply the previewed file, all or nothing; the preview itself is not trusted: the
    file is read and checked again against the database as it is now."""
    payload = provider_upload.unsign(request.form.get("token", ""))
    form = UploadForm()
    if payload is None or payload.get("u") != current_user.get_id() \
            or payload.get("p") != _provider() or payload.get("k") not in provider_upload.SPECS:
        return _render_upload(form, errors=[provider_upload.RowError(None, None, _(
            "Forhåndsvisningen er udløbet eller ændret. Upload filen igen."))], status=400)
    form = UploadForm(data={"kind": payload["k"], "archive_missing": payload["a"]})
    data = str(payload["t"]).encode()
    errors, plan = _read_and_plan(payload["k"], data, bool(payload["a"]))
    if errors:  # the catalogue changed since the preview so that the file no longer fits
        return _render_upload(form, errors=errors, status=400)
    if not plan.changes:
        flash(_("Filen ændrer ingenting. Alt i den er allerede gemt."), "info")
        return redirect(url_for("provider.home_provider"), code=303)
    if plan.digest() != payload.get("d"):
        return _render_preview(form, data, plan, changed_meanwhile=True)
    db = get_session()
    try:
        listing_upload.apply_upload(db, _provider(), plan, _actor(), sha256=str(payload["h"]))
    except listings.ListingConflict:
        db.rollback()
        flash(_("Et kursus blev ændret samtidig af en anden. Intet er gemt. Upload filen "
                "igen."), "error")
        return redirect(url_for("provider.upload"), code=303)
    db.commit()
    flash(_("Filen er gemt: %(added)s tilføjet, %(changed)s ændret, %(archived)s arkiveret. "
            "Borgerne ser ændringerne med det samme.", added=plan.count("add"),
            changed=plan.count("change"), archived=plan.count("archive")), "success")
    return redirect(url_for("provider.home_provider"), code=303)


@bp.get("/eksport/<kind>.csv")
@staff("provider")
def export(kind: str) -> ResponseReturnValue:
    """The provider's own listings as the catalogue file, ready to edit and upload again."""
    spec = provider_upload.SPECS.get(kind)
    if spec is None:
        abort(404)
    body = provider_upload.export_csv(spec, listing_upload.export_rows(get_session(),
                                                                       _provider(), kind))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{spec.file_name}"'})
