"""The administrators' area: invite, deactivate, reactivate, reset and re-role staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from matcher.data import accounts, clients
from matcher.data import models as m
from matcher.data import staff as staff_data
from matcher.data.db import get_session
from matcher.web.access import staff
from matcher.web.auth_forms import InviteForm, RoleForm
from matcher.web.client_forms import SHARE_MESSAGES, ShareForm
from matcher.web.forms import form_errors
from matcher.web.provider_forms import FIELD_LABELS

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _providers() -> list[SelectChoice]:
    return [SelectChoice("", _("Vælg udbyder"))] + [
        SelectChoice(code, name) for code, name in staff_data.providers(get_session())]


def _me() -> m.UserAccount:
    row = get_session().get(m.UserAccount, current_user.id)
    assert row is not None
    return row


def _one_time_hours() -> int:
    """How long a first or reset password works (ASVS 6.4.1)."""
    return int(current_app.config["ONE_TIME_PASSWORD_HOURS"])


def _target(user_id: int) -> m.UserAccount:
    row = get_session().get(m.UserAccount, user_id)
    if row is None:
        abort(404)
    return row


@bp.get("/")
@staff("admin")
def users() -> ResponseReturnValue:
    return render_template("admin/users.html", users=staff_data.users(get_session()))


@bp.route("/brugere/ny", methods=["GET", "POST"])
@staff("admin")
def invite() -> ResponseReturnValue:
    form = InviteForm(request.form if request.method == "POST" else None)
    form.provider_code.choices = _providers()
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.validate():
        db = get_session()
        if accounts.find_user(db, form.email.data) is not None:
            errors.append(("email", _("Der findes allerede en bruger med den e-mail.")))
        elif form.role.data == "provider" and not form.provider_code.data:
            errors.append(("provider_code", _("Vælg den udbyder, brugeren hører til.")))
        else:
            user, password = accounts.create_user(
                db, form.email.data, form.role.data, provider_code=form.provider_code.data or None,
                actor=_me(), ip=request.remote_addr, valid_for=timedelta(hours=_one_time_hours()))
            db.commit()
            return render_template("admin/invited.html", user=staff_data.user(db, user.id),
                                   password=password, hours=_one_time_hours())
    errors = form_errors(form) + errors
    return render_template("admin/invite.html", form=form, errors=errors), \
        200 if not errors else 400


@bp.get("/brugere/<int:user_id>")
@staff("admin")
def user(user_id: int) -> ResponseReturnValue:
    found = staff_data.user(get_session(), user_id)
    if found is None:
        abort(404)
    form = RoleForm(None, data={"role": found.role, "provider_code": found.provider_code or ""})
    form.provider_code.choices = _providers()
    return render_template("admin/user.html", user=found, form=form, errors=[],
                           events=staff_data.recent_events(get_session(), user_id))


@bp.post("/brugere/<int:user_id>/deaktiver")
@staff("admin")
def deactivate(user_id: int) -> ResponseReturnValue:
    row = _target(user_id)
    if row.id == current_user.id:
        flash(_("Du kan ikke deaktivere dig selv."), "error")
    else:
        accounts.set_active(get_session(), row, False, actor=_me(), ip=request.remote_addr)
        get_session().commit()
        flash(_("Brugeren er deaktiveret, og alle brugerens sessioner er afsluttet."), "success")
    return redirect(url_for("admin.user", user_id=row.id), code=303)


@bp.post("/brugere/<int:user_id>/aktiver")
@staff("admin")
def reactivate(user_id: int) -> ResponseReturnValue:
    row = _target(user_id)
    accounts.set_active(get_session(), row, True, actor=_me(), ip=request.remote_addr)
    get_session().commit()
    flash(_("Brugeren er aktiv igen."), "success")
    return redirect(url_for("admin.user", user_id=row.id), code=303)


@bp.post("/brugere/<int:user_id>/nulstil")
@staff("admin")
def reset(user_id: int) -> ResponseReturnValue:
    row = _target(user_id)
    password = accounts.reset_password(get_session(), row, actor=_me(), ip=request.remote_addr,
                                       valid_for=timedelta(hours=_one_time_hours()))
    get_session().commit()
    return render_template("admin/invited.html", user=staff_data.user(get_session(), row.id),
                           password=password, reset=True, hours=_one_time_hours())


@bp.post("/brugere/<int:user_id>/rolle")
@staff("admin")
def change_role(user_id: int) -> ResponseReturnValue:
    row = _target(user_id)
    form = RoleForm(request.form)
    form.provider_code.choices = _providers()
    errors: list[tuple[str, str]] = []
    if form.validate():
        if form.role.data == "provider" and not form.provider_code.data:
            errors.append(("provider_code", _("Vælg den udbyder, brugeren hører til.")))
        elif row.id == current_user.id and form.role.data != "admin":
            errors.append(("role", _("Du kan ikke fjerne din egen administratorrolle.")))
        else:
            accounts.change_role(get_session(), row, form.role.data,
                                 form.provider_code.data or None, actor=_me(),
                                 ip=request.remote_addr)
            get_session().commit()
            flash(_("Rollen er ændret. Brugeren skal logge ind igen."), "success")
            return redirect(url_for("admin.user", user_id=row.id), code=303)
    errors = form_errors(form) + errors
    return render_template("admin/user.html", user=staff_data.user(get_session(), row.id),
                           form=form, errors=errors, events=[]), 400


@bp.get("/logbog")
@staff("admin")
def audit() -> ResponseReturnValue:
    """The providers' listing changes: who changed what, when, from what to what."""
    action = request.args.get("handling", "")[:40]
    provider = request.args.get("udbyder", "")[:80]
    course = request.args.get("kursus", "").strip()[:80]
    db = get_session()
    return render_template(
        "admin/audit.html", action=action, provider=provider, course=course,
        providers=staff_data.providers(db), actions=staff_data.LISTING_ACTIONS,
        labels=FIELD_LABELS,
        events=staff_data.listing_events(db, action=action or None, provider=provider or None,
                                         course=course or None))


# --- caseworkers' clients: sharing and their audit (issue 13) ------------------------------
# An administrator sees a client's label and owner only, never the profile or notes: enough
# to share the record with a colleague (a caseworker who left, a team change) and to read
# what was done with it.

def _client_or_404(client_id: int) -> clients.ClientSummary:
    found = clients.one(get_session(), client_id)
    if found is None:
        abort(404)
    return found


@bp.get("/klienter")
@staff("admin")
def clients_list() -> ResponseReturnValue:
    db = get_session()
    shown = clients.all_clients(db)
    clients.audit_list(db, shown, actor=_me(), ip=request.remote_addr)
    db.commit()
    return render_template("admin/clients.html", clients=shown)


@bp.get("/klienter/<int:client_id>")
@staff("admin")
def client(client_id: int) -> ResponseReturnValue:
    """A client's label, owner and colleagues, the form to share it, and its audit events."""
    found = _client_or_404(client_id)
    db = get_session()
    clients.audit(db, found.id, "client_viewed", actor=_me(), ip=request.remote_addr,
                  view="admin")
    db.commit()
    return _client_page(found, None, [])


def _client_page(found: clients.ClientSummary, formdata: Any,
                 errors: list[tuple[str, str]], status: int = 200) -> ResponseReturnValue:
    db = get_session()
    row = db.get(m.Client, found.id)
    assert row is not None
    given = {share.user_id for share in clients.shares(db, row)}
    form = ShareForm(formdata)
    form.user.choices = [SelectChoice("", _("Vælg sagsbehandler"))] + [
        SelectChoice(str(user_id), email) for user_id, email
        in clients.caseworkers(db, but=found.owner_id) if user_id not in given]
    if errors:
        form.user.errors = [errors[0][1]]
    return render_template("admin/client.html", client=found, shares=clients.shares(db, row),
                           form=form, errors=errors,
                           events=clients.events(db, client_id=found.id)), status


@bp.post("/klienter/<int:client_id>/del")
@staff("admin")
def share_client(client_id: int) -> ResponseReturnValue:
    found = _client_or_404(client_id)
    db = get_session()
    row = db.get(m.Client, found.id)
    assert row is not None
    try:
        user = clients.share(db, row, int(request.form.get("user", "") or "0"), _me(),
                             ip=request.remote_addr)
    except (clients.ClientRefused, ValueError) as refused:
        problems = getattr(refused, "problems", {"user": "unknown_user"})
        clients.audit(db, found.id, "client_update_refused", actor=_me(),
                      ip=request.remote_addr, fields=["share"])
        db.commit()
        message = str(SHARE_MESSAGES[problems["user"]]) if request.form.get("user") else \
            _("Vælg den kollega, klienten skal deles med.")
        return _client_page(found, request.form, [("user", message)], 400)
    db.commit()
    flash(_("Klienten er delt med %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.client", client_id=found.id), code=303)


@bp.post("/klienter/<int:client_id>/del/<int:user_id>/fjern")
@staff("admin")
def unshare_client(client_id: int, user_id: int) -> ResponseReturnValue:
    found = _client_or_404(client_id)
    db = get_session()
    row = db.get(m.Client, found.id)
    assert row is not None
    try:
        clients.unshare(db, row, user_id, _me(), ip=request.remote_addr)
    except clients.ClientRefused:
        abort(404)
    db.commit()
    flash(_("Klienten er ikke længere delt med kollegaen."), "success")
    return redirect(url_for("admin.client", client_id=found.id), code=303)


@bp.get("/logbog/klienter")
@staff("admin")
def client_audit() -> ResponseReturnValue:
    """Every read and write of a client record, newest first; filter by action or client."""
    action = request.args.get("handling", "")[:40]
    number = request.args.get("klient", "").strip()[:12]
    client_id = int(number) if number.isdigit() else None
    db = get_session()
    return render_template(
        "admin/client_audit.html", action=action, number=number,
        actions=clients.CLIENT_ACTIONS,
        events=clients.events(db, client_id=client_id,
                              action=action if action in clients.CLIENT_ACTIONS else None))
