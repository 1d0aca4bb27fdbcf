"""The caseworkers' area (/sagsbehandler/): their client records, and nobody else's.

A caseworker sees the clients they own and those shared with them; any other client is
"not found" (404), the same as one that does not exist. Administrators are not
caseworkers here (403): they share records and read the audit in the admin area, where
they see a client's label and owner only. Every view that touches a record audits it,
a refused look-up included (clients.audit, with what was done and never a value).

The profile is the citizen journey's answers, edited with the journey's own steps
(matcher.web.steps.handle) and the same step templates inside a caseworker page: one set
of fields and checks for both, so a client's profile can never hold what a citizen's
could not, and the matching run reads both the same way.
"""

from __future__ import annotations

import json
import os
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from matcher.data import accounts, clients
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.matching import current_index
from matcher.web.access import staff
from matcher.web.citizen import private
from matcher.web.client_forms import SHARE_MESSAGES, ClientForm, DeleteForm, ShareForm
from matcher.web.forms import (
    BENEFIT_CHOICES,
    DISTANCE_CHOICES,
    LENGTH_CHOICES,
    SCHEDULE_CHOICES,
    START_CHOICES,
    STATUS_CHOICES,
    form_errors,
)
from matcher.web.journey import STEPS, Step
from matcher.web.presenters import (
    certificate_groups,
    chosen,
    is_certificate,
    level_label,
    long_date,
    skill_label,
)
from matcher.web.steps import RESULTS, Outcome, handle, show

caseworker = Blueprint("caseworker", __name__, url_prefix="/sagsbehandler")

# The profile steps' addresses, as the citizen journey's ("/start/uddannelse" ...).
STEP_PATHS = {"situation": "situation", "education": "uddannelse", "experience": "erfaring",
              "limits": "praktisk"}
_PATH_STEPS = {path: name for name, path in STEP_PATHS.items()}


def me() -> m.UserAccount:
    row: m.UserAccount = current_user.row
    return row


def client_or_404(client_id: int) -> m.Client:
    """The client if the logged-in caseworker may see it; else the refusal is audited, 404.

    For every view under /sagsbehandler/klienter/<id>/ (the plan's too): call it first.
    """
    db = get_session()
    found = clients.find(db, client_id, current_user.id)
    if found is None:
        clients.audit(db, client_id, "client_not_found", actor=me(), ip=request.remote_addr,
                      method=request.method)
        db.commit()
        abort(404)
    return found


def audit_view(client: m.Client, view: str) -> None:
    """A read of the record: which page showed it (committed by the caller)."""
    clients.audit(get_session(), client.id, "client_viewed", actor=me(), ip=request.remote_addr,
                  view=view)


def _record(client_id: int) -> Response:
    return redirect(url_for("caseworker.client", client_id=client_id), code=303)


# --- the list and a new client ------------------------------------------------------------

@caseworker.get("/")
@staff("caseworker")
def home() -> ResponseReturnValue:
    """The caseworker's clients: their own and those shared with them (with the owner)."""
    db = get_session()
    shown = clients.for_user(db, current_user.id)
    clients.audit_list(db, shown, actor=me(), ip=request.remote_addr)
    db.commit()
    return private(Response(render_template("caseworker/home.html", clients=shown,
                                            me=current_user.id)))


@caseworker.route("/klienter/ny", methods=["GET", "POST"])
@staff("caseworker")
def new_client() -> ResponseReturnValue:
    form = ClientForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        db = get_session()
        try:
            client = clients.create(db, me(), label=form.label.data or "",
                                    notes=form.notes.data or "", ip=request.remote_addr)
        except clients.ClientRefused:  # the form checks the same; kept as a last guard
            abort(400)
        db.commit()
        flash(_("Klienten er oprettet. Udfyld profilen, så I kan finde muligheder sammen."),
              "success")
        return redirect(url_for("caseworker.profile", client_id=client.id,
                                path=STEP_PATHS["situation"]), code=303)
    errors = form_errors(form)
    if request.method == "POST":
        # Nothing was written and no record exists yet: the refusal names the fields only.
        accounts.audit(get_session(), "client_create_refused", actor=me(),
                               ip=request.remote_addr, fields=sorted(form.errors))
        get_session().commit()
    return render_template("caseworker/client_form.html", form=form, errors=errors,
                           client=None), 400 if errors else 200


# --- one client -----------------------------------------------------------------------------

@caseworker.get("/klienter/<int:client_id>")
@staff("caseworker")
def client(client_id: int) -> ResponseReturnValue:
    found = client_or_404(client_id)
    audit_view(found, "record")
    db = get_session()
    context = record_context(found)
    db.commit()
    return private(Response(render_template("caseworker/client.html", **context)))


def record_context(found: m.Client) -> dict[str, Any]:
    db = get_session()
    owner = db.get(m.UserAccount, found.owner_id)
    return {"client": found, "owner_email": owner.email if owner else "",
            "is_owner": found.owner_id == current_user.id,
            "sections": profile_summary(found.profile or {}),
            "shares": clients.shares(db, found), "retain_until": long_date(found.retain_until),
            "retention_days": clients.retention_days(), "step_paths": STEP_PATHS}


@caseworker.route("/klienter/<int:client_id>/ret", methods=["GET", "POST"])
@staff("caseworker")
def edit_client(client_id: int) -> ResponseReturnValue:
    found = client_or_404(client_id)
    db = get_session()
    if request.method == "GET":
        form = ClientForm(None, data={"label": found.label, "notes": found.notes})
        audit_view(found, "edit")
        db.commit()
        return private(Response(render_template("caseworker/client_form.html", form=form,
                                                errors=[], client=found)))
    form = ClientForm(request.form)
    if form.validate():
        try:
            changed = clients.update(db, found, me(), label=form.label.data or "",
                                     notes=form.notes.data or "", ip=request.remote_addr)
        except clients.ClientRefused:
            abort(400)
        db.commit()
        flash(_("Ændringerne er gemt.") if changed else _("Der var intet at ændre."), "success")
        return _record(found.id)
    clients.audit(db, found.id, "client_update_refused", actor=me(), ip=request.remote_addr,
                  fields=sorted(form.errors))
    db.commit()
    return private(Response(render_template("caseworker/client_form.html", form=form,
                                            errors=form_errors(form), client=found),
                            status=400))


# --- the profile: the citizen journey's steps ---------------------------------------------

@caseworker.get("/klienter/<int:client_id>/profil/<path>")
@staff("caseworker")
def profile(client_id: int, path: str) -> ResponseReturnValue:
    name = _PATH_STEPS.get(path)
    found = client_or_404(client_id)
    if name is None:
        abort(404)
    audit_view(found, f"profile:{name}")
    get_session().commit()
    return _step_page(found, show(name, found.profile or {}))


@caseworker.post("/klienter/<int:client_id>/profil")
@staff("caseworker")
def profile_step(client_id: int) -> ResponseReturnValue:
    """A step posted: checked and merged by the journey's own handler, then saved.

    A step that moves on is saved and the browser goes to the next one (or to the record
    after the last, or with "Gem og luk"); one that stays (an error, a search, an add or
    remove) is shown at once, with what was typed, as the provider's forms are.
    """
    found = client_or_404(client_id)
    db = get_session()
    step = Step.from_form(request.form, dict(found.profile or {}))
    outcome = handle(step)
    if outcome.answers != (found.profile or {}):
        clients.set_profile(db, found, outcome.answers, me(), ip=request.remote_addr,
                            step=step.name)
    elif outcome.errors:
        clients.audit(db, found.id, "client_update_refused", actor=me(), ip=request.remote_addr,
                      step=step.name, fields=sorted({field for field, _m in outcome.errors}))
    else:
        audit_view(found, f"profile:{step.name}")
    db.commit()
    if outcome.step == step.name:
        return _step_page(found, outcome, status=400 if outcome.errors else 200)
    if outcome.step == RESULTS or request.args.get("luk"):
        flash(_("Profilen er gemt."), "success")
        return _record(found.id)
    return redirect(url_for("caseworker.profile", client_id=found.id,
                            path=STEP_PATHS[outcome.step]), code=303)


def _step_page(found: m.Client, outcome: Outcome, *, status: int = 200) -> Response:
    index = current_index()
    html = render_template(
        "caseworker/profile.html", client=found, outcome=outcome, step_paths=STEP_PATHS,
        steps=STEPS, chosen=chosen(index, outcome.answers),
        certificate_groups=certificate_groups(index) if outcome.step == "education" else [])
    return private(Response(html, status=status))


def profile_summary(answers: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The profile in words, one section per journey step: (step, [(label, value)])."""
    index = current_index()
    pick = chosen(index, answers)

    def choice(choices: list[Any], value: object) -> str:
        return next((str(c.label) for c in choices if c.value == str(value)), "")

    def listed(items: list[tuple[str, str]]) -> str:
        return ", ".join(label for _code, label in items)

    yes_no = {True: _("Ja"), False: _("Nej")}
    years = {0.5: _("under 1 år"), 1.0: _("1 år"), 3.0: _("2-4 år"), 6.0: _("5 år eller mere")}
    jobs = [f"{label} ({years.get(float(job['years']), '')})" for (code, label), job in
            zip(pick["jobs"], [j for j in answers.get("occupations", [])
                               if j["code"] in index.occupation_pos], strict=False)]
    held = [skill_label(index, code) for code in answers.get("skills", [])
            if code in index.skill_pos and is_certificate(index, code)]
    sections = [
        ("situation", [
            (_("Situation"), choice(STATUS_CHOICES, answers.get("status"))),
            (_("Ydelse"), choice(BENEFIT_CHOICES, answers.get("benefit"))),
            (_("Ledig i uger"), str(answers.get("unemployed_weeks", ""))),
            (_("Alder"), str(answers.get("age", ""))),
        ]),
        ("education", [
            (_("Højeste uddannelse"), level_label(index, answers.get("education_level"))),
            (_("Faglært"), yes_no.get(answers.get("has_eud"), "")),  # type: ignore[arg-type]
            (_("Uddannelsen er forældet"),
             yes_no.get(answers.get("education_outdated"), "")),  # type: ignore[arg-type]
            (_("Uddannelser"), listed(pick["educations"])),
            (_("Kørekort og certifikater"), ", ".join(held)),
        ]),
        ("experience", [
            (_("Job"), ", ".join(jobs)),
            (_("Kompetencer"), listed(pick["skills"])),
            (_("Kurser taget"), listed(pick["courses"])),
        ]),
        ("limits", [
            (_("Postnummer"), str(answers.get("postcode", ""))),
            (_("Afstand"), choice(DISTANCE_CHOICES, int(answers["max_distance_km"]))
             if "max_distance_km" in answers else ""),
            (_("Tidspunkter"), ", ".join(choice(SCHEDULE_CHOICES, s)
                                         for s in answers.get("schedule", []))),
            (_("Kursets længde"), choice(LENGTH_CHOICES, answers.get("max_course_days", ""))
             if "postcode" in answers else ""),
            (_("Start"), choice(START_CHOICES, answers.get("start_within_weeks"))),
            (_("Job, klienten er nysgerrig på"), listed(pick["interests"])),
        ]),
    ]
    return sections


# --- sharing ------------------------------------------------------------------------------

def share_form(found: m.Client, formdata: MultiDict[str, str] | None) -> ShareForm:
    """The share form: active caseworkers who are not the owner and not already given it."""
    db = get_session()
    given = {share.user_id for share in clients.shares(db, found)}
    form = ShareForm(formdata)
    form.user.choices = [SelectChoice("", _("Vælg kollega"))] + [
        SelectChoice(str(user_id), email)
        for user_id, email in clients.caseworkers(db, but=found.owner_id) if user_id not in given]
    return form


def share_refusal(form: ShareForm, found: m.Client) -> str | None:
    """Why the posted colleague cannot be given the client (None: they can)."""
    try:
        clients.share_candidate(get_session(), found, int(form.user.data or "0"))
    except (clients.ClientRefused, ValueError) as refused:
        problems = getattr(refused, "problems", {"user": "unknown_user"})
        return str(SHARE_MESSAGES[problems["user"]])
    return None


@caseworker.route("/klienter/<int:client_id>/del", methods=["GET", "POST"])
@staff("caseworker")
def share(client_id: int) -> ResponseReturnValue:
    """Who else sees the client; its owner shares it with a colleague or stops sharing."""
    found = client_or_404(client_id)
    db = get_session()
    is_owner = found.owner_id == current_user.id
    if request.method == "GET":
        audit_view(found, "share")
        db.commit()
        return _share_page(found, share_form(found, None), [])
    if not is_owner:
        clients.audit(db, found.id, "client_update_refused", actor=me(), ip=request.remote_addr,
                      fields=["share"], reason="not_owner")
        db.commit()
        abort(403)
    form = share_form(found, request.form)
    refusal = share_refusal(form, found) if form.validate() else None
    if form.errors or refusal:
        if refusal:
            form.user.errors = [refusal]
        clients.audit(db, found.id, "client_update_refused", actor=me(), ip=request.remote_addr,
                      fields=["share"])
        db.commit()
        return _share_page(found, form, [(form.user.id, form.user.errors[0])], status=400)
    user = clients.share(db, found, int(form.user.data or "0"), me(), ip=request.remote_addr)
    db.commit()
    flash(_("Klienten er delt med %(email)s.", email=user.email), "success")
    return redirect(url_for("caseworker.share", client_id=found.id), code=303)


@caseworker.post("/klienter/<int:client_id>/del/<int:user_id>/fjern")
@staff("caseworker")
def unshare(client_id: int, user_id: int) -> ResponseReturnValue:
    found = client_or_404(client_id)
    db = get_session()
    if found.owner_id != current_user.id:
        clients.audit(db, found.id, "client_update_refused", actor=me(), ip=request.remote_addr,
                      fields=["share"], reason="not_owner")
        db.commit()
        abort(403)
    try:
        clients.unshare(db, found, user_id, me(), ip=request.remote_addr)
    except clients.ClientRefused:
        clients.audit(db, found.id, "client_update_refused", actor=me(), ip=request.remote_addr,
                      fields=["share"])
        db.commit()
        abort(404)
    db.commit()
    flash(_("Klienten er ikke længere delt med kollegaen."), "success")
    return redirect(url_for("caseworker.share", client_id=found.id), code=303)


def _share_page(found: m.Client, form: ShareForm, errors: list[tuple[str, str]], *,
                status: int = 200) -> Response:
    db = get_session()
    owner = db.get(m.UserAccount, found.owner_id)
    return private(Response(render_template(
        "caseworker/share.html", client=found, form=form, errors=errors,
        shares=clients.shares(db, found), owner_email=owner.email if owner else "",
        is_owner=found.owner_id == current_user.id), status=status))


# --- export and delete ----------------------------------------------------------------------

def _exported(found: m.Client, form: str) -> dict[str, Any]:
    """The export, audited first so that it lists its own export (the caller commits)."""
    db = get_session()
    clients.audit(db, found.id, "client_exported", actor=me(), ip=request.remote_addr,
                  format=form)
    db.flush()
    return clients.export(db, found)


@caseworker.get("/klienter/<int:client_id>/eksport.json")
@staff("caseworker")
def export_json(client_id: int) -> ResponseReturnValue:
    """Everything stored about the client (GDPR art. 15), as JSON to download."""
    found = client_or_404(client_id)
    data = _exported(found, "json")
    get_session().commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return private(Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="klient-{found.id}.json"'}))


@caseworker.get("/klienter/<int:client_id>/eksport.pdf")
@staff("caseworker")
def export_pdf(client_id: int) -> ResponseReturnValue:
    """The same as the JSON export, to read or hand over on paper."""
    found = client_or_404(client_id)
    data = _exported(found, "pdf")
    context = {**record_context(found), "data": data,
               "audit_events": data["audit"], "steps": data["plan_steps"]}
    get_session().commit()
    return private(_pdf("caseworker/export_pdf.html", f"klient-{found.id}", context))


def _pdf(template: str, name: str, context: dict[str, Any]) -> Response:
    """A page as an A4 PDF, with the plan PDF's fonts and stylesheet (matcher.web.pdf)."""
    from weasyprint import CSS, HTML  # imported on use: loading Pango costs start-up time
    from weasyprint.text.fonts import FontConfiguration

    from matcher.web.pdf import PDF_CSS

    static = current_app.static_folder or ""
    fonts = os.path.join(static, "vendor", "dkfds", "fonts", "IBMPlexSans", "complete", "woff2")
    font_config = FontConfiguration()
    css = CSS(string=PDF_CSS.format(fonts="file://" + fonts, page=_("Side")),
              font_config=font_config)
    html = render_template(template, **context)
    document = HTML(string=html, base_url=static).write_pdf(stylesheets=[css],
                                                             font_config=font_config)
    return Response(document, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}.pdf"'})


@caseworker.route("/klienter/<int:client_id>/slet", methods=["GET", "POST"])
@staff("caseworker")
def delete_client(client_id: int) -> ResponseReturnValue:
    """Delete the record on request, after a confirmation; the audit keeps only its id.

    The owner and the colleagues it is shared with may: they all work on the case.
    """
    found = client_or_404(client_id)
    db = get_session()
    form = DeleteForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        clients.delete_client(db, found, me(), ip=request.remote_addr)
        db.commit()
        flash(_("Klienten og alt om klienten er slettet."), "success")
        return redirect(url_for("caseworker.home"), code=303)
    if request.method == "POST":
        clients.audit(db, found.id, "client_update_refused", actor=me(), ip=request.remote_addr,
                      fields=["delete"])
    else:
        audit_view(found, "delete")
    db.commit()
    errors = form_errors(form)
    return private(Response(render_template("caseworker/delete.html", client=found, form=form,
                                            errors=errors), status=400 if errors else 200))
