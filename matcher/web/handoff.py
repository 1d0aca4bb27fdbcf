"""The citizen hands their answers to their caseworker with a code (issue 13, part 4).

Citizen side (public, /del-med-sagsbehandler): after an explicit consent the answers in the
citizen's cookie are kept, encrypted, under a new code for HANDOFF_DAYS days. The code is
shown on the page after the redirect, never in an address: it travels to that page in a
cookie of its own, encrypted, sent only to that page and readable for CODE_SHOWN_FOR
seconds, so a reload shows it again but the browser's history, the server's access log and
a proxy never see it. Nothing here writes the code or the answers to a log.

Caseworker side (/sagsbehandler/hent-svar): the code, typed however it was noted down,
brings the answers into a new client record or, after a confirmation, replaces the profile
of one of the caseworker's clients. Each lookup counts against HANDOFF_RATE_LIMIT per
address and per account; an unknown, expired or used code is told apart and audited
without the code.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.fernet import InvalidToken, MultiFernet
from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, Form, HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from matcher.data import accounts, clients, derived_keys, handoff
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.reasons import long_date
from matcher.web import answer_cookie
from matcher.web.access import public, staff
from matcher.web.citizen import private
from matcher.web.client_forms import TEXT_MESSAGES
from matcher.web.forms import form_errors
from matcher.web.journey import read_answers
from matcher.web.rate_limits import per_account, per_address

share = Blueprint("share", __name__, url_prefix="/del-med-sagsbehandler")
fetch = Blueprint("handoff", __name__, url_prefix="/sagsbehandler/hent-svar")

CODE_COOKIE = "kl_kode"
CODE_SHOWN_FOR = 3600  # seconds the code page can be reloaded after the code was made
_CODE_PAGE_PURPOSE = b"kompetenceloeft: hand-off code page, v1"
LOCAL_TIME = ZoneInfo("Europe/Copenhagen")


# --- the citizen ---------------------------------------------------------------------------

class ConsentForm(Form):
    consent = BooleanField(validators=[DataRequired(_l(
        "Sæt kryds, hvis du vil dele dine svar. Uden dit samtykke gemmer vi ingenting."))])


@share.get("")
@public
def consent() -> ResponseReturnValue:
    """What sharing means, and the consent to it; without answers there is nothing to share."""
    if not answer_cookie.load(request).answers:
        return redirect(url_for("citizen.journey"), code=303)
    return _consent_page(ConsentForm())


@share.post("")
@public
@per_address("CITIZEN_RATE_LIMIT")
def create() -> ResponseReturnValue:
    """Keep the answers under a new code, only with the consent ticked."""
    answers = answer_cookie.load(request).answers
    if not answers:
        return redirect(url_for("citizen.journey"), code=303)
    form = ConsentForm(request.form)
    if not form.validate():
        return _consent_page(form, status=400)
    db = get_session()
    made = handoff.create(db, answers, _now(), int(current_app.config["HANDOFF_DAYS"]),
                          handoff.handoff_key(current_app.config))
    db.commit()
    response = make_response(redirect(url_for("share.code"), code=303))
    token = _code_cipher().encrypt(json.dumps(
        {"code": made.code, "expires_at": made.expires_at.isoformat()}).encode("ascii"))
    response.set_cookie(CODE_COOKIE, token.decode("ascii"), httponly=True, samesite="Lax",
                        path=url_for("share.consent"),
                        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]))
    return private(response)


@share.get("/kode")
@public
def code() -> ResponseReturnValue:
    """The code just made, large, with its expiry; gone from here an hour later."""
    shown = _code_in_cookie()
    if shown is None:
        return redirect(url_for("share.consent"), code=303)
    made, expires_at = shown
    return private(make_response(render_template(
        "citizen/share_code.html", code=made, spoken=_spoken(made),
        expires=_when(expires_at), days=current_app.config["HANDOFF_DAYS"])))


def _consent_page(form: ConsentForm, *, status: int = 200) -> ResponseReturnValue:
    return private(make_response(render_template(
        "citizen/share.html", form=form, errors=form_errors(form),
        days=current_app.config["HANDOFF_DAYS"],
        retention_days=current_app.config["CLIENT_RETENTION_DAYS"]), status))


def _code_cipher() -> MultiFernet:
    return derived_keys.cipher(derived_keys.signing_keys(current_app.config), _CODE_PAGE_PURPOSE)


def _code_in_cookie() -> tuple[str, datetime] | None:
    token = request.cookies.get(CODE_COOKIE, "")
    if not token or len(token) > 1000:
        return None
    try:
        data = json.loads(_code_cipher().decrypt(token.encode("ascii"), ttl=CODE_SHOWN_FOR))
        made, expires_at = str(data["code"]), datetime.fromisoformat(data["expires_at"])
    except (InvalidToken, UnicodeError, ValueError, KeyError, TypeError):
        return None
    if handoff.normalise(made) is None or expires_at.tzinfo is None:
        return None
    return made, expires_at


def _spoken(code: str) -> str:
    """The code for a screen reader: character by character, a pause between the groups."""
    return ", ".join(" ".join(group) for group in code.split("-"))


# --- the caseworker ------------------------------------------------------------------------

def _code_shape(_form: Form, field: StringField) -> None:
    if field.data and handoff.normalise(field.data) is None:
        raise ValidationError(_("En kode har 10 tegn, fx ABCD-EFGH-JK. Tjek, at den er "
                                "skrevet rigtigt."))


TARGET_CHOICES = [SelectChoice("new", _l("En ny klient")),
                  SelectChoice("existing", _l("En af mine klienter"))]


class FetchForm(Form):
    code = StringField(_l("Borgerens kode"), validators=[
        DataRequired(_l("Skriv koden, som borgeren har givet dig.")),
        Length(max=40, message=_l("En kode har 10 tegn, fx ABCD-EFGH-JK. Tjek, at den er "
                                  "skrevet rigtigt.")), _code_shape],
        description=_l("10 tegn, fx ABCD-EFGH-JK. Små bogstaver, mellemrum og manglende "
                       "bindestreger gør ikke noget."))
    # Checked with the label and client (_chosen_client), in our words, not WTForms' own.
    target = RadioField(_l("Hvor skal svarene hen?"), choices=TARGET_CHOICES, default="new",
                        validate_choice=False)
    label = StringField(_l("Navn eller initialer på den nye klient"), description=_l(
        "Kun for en ny klient. Det, du kender klienten på, fx »Anna H.«. Aldrig CPR-nummer."))
    client = SelectField(_l("Hvilken klient?"), choices=[], validate_choice=False,
                         description=_l("Kun for en af dine klienter. Svarene erstatter "
                                        "klientens profil; noter og plan bliver."))
    confirmed = HiddenField()


# The client forms' own words for a refused label (clients.text_problem's reasons).
_LABEL_PROBLEMS = TEXT_MESSAGES["label"]


@fetch.get("")
@staff("caseworker")
def start() -> ResponseReturnValue:
    """The form to type a citizen's code and choose the client record it goes to."""
    return _fetch_page(_fetch_form(), status=200)


@fetch.post("")
@staff("caseworker")
@per_address("HANDOFF_RATE_LIMIT")
@per_account("HANDOFF_RATE_LIMIT")
def redeem() -> ResponseReturnValue:
    """Use the code: its answers go into a new client, or (confirmed) replace a client's."""
    db = get_session()
    form = _fetch_form(request.form)
    form.validate()
    client = _chosen_client(form)
    if any(field.errors for field in form):
        return _fetch_page(form)
    now, key = _now(), handoff.handoff_key(current_app.config)
    if client is not None and form.confirmed.data != "y":
        return _confirmation(form, client, now, key)
    outcome = handoff.redeem(db, form.code.data, current_user.row, now, key)
    if isinstance(outcome, handoff.Refused):
        return _refused(form, outcome)
    try:
        client = _save_answers(form, client, outcome, now)
    except clients.ClientRefused as refused:
        db.rollback()  # the code stays unused
        return _fetch_page(_with_refusal(form, refused))
    db.commit()
    flash(_("Borgerens svar er hentet ind i klientsagen."), "success")
    return redirect(_client_page(client.id), code=303)


def _confirmation(form: FetchForm, client: m.Client, now: datetime,
                  key: handoff.HandoffKey) -> ResponseReturnValue:
    """Before a client's profile is replaced: the code is checked (not used), then asked."""
    refused = handoff.check(get_session(), form.code.data, now, key)
    if refused is not None:
        return _refused(form, refused)
    return private(make_response(render_template(
        "caseworker/handoff_confirm.html", form=form, client=client)))


def _save_answers(form: FetchForm, client: m.Client | None, outcome: handoff.Redeemed,
                  now: datetime) -> m.Client:
    """The redeemed answers into a new client or over the chosen one's profile, audited."""
    db, me, ip = get_session(), current_user.row, request.remote_addr
    # Read as carefully as the citizen's cookie: only well-formed known answers are kept.
    answers = read_answers(json.dumps(outcome.answers))
    if client is None:
        client = clients.create(db, me, label=form.label.data or "", profile=answers, ip=ip,
                                now=now, source="handoff")
    else:
        clients.set_profile(db, client, answers, me, ip=ip, now=now, source="handoff")
    handoff.record_client(db, outcome.handoff_id, client.id)
    clients.audit(db, client.id, "client_handoff_imported", actor=me, ip=ip,
                  handoff=outcome.handoff_id, into="new" if form.target.data == "new"
                  else "existing")
    return client


def _with_refusal(form: FetchForm, refused: clients.ClientRefused) -> FetchForm:
    if "label" in refused.problems:
        form.label.errors = [str(_LABEL_PROBLEMS.get(refused.problems["label"],
                                                     _LABEL_PROBLEMS["blank"]))]
    else:
        form.code.errors = [_("Svarene bag koden kan ikke gemmes i en klientsag. Bed "
                              "borgeren om at tjekke sine svar og lave en ny kode.")]
    return form


def _fetch_form(data: Any = None) -> FetchForm:
    form = FetchForm(data)
    mine = clients.for_user(get_session(), current_user.id)
    form.client.choices = [SelectChoice("", _("Vælg klienten"))] + [
        SelectChoice(str(row.id), row.label) for row in mine]
    return form


def _chosen_client(form: FetchForm) -> m.Client | None:
    """The client chosen for existing, checked (it must be one the caseworker may see); the
    label checked for a new one. Problems go into the form's errors."""
    if form.target.data == "existing":
        chosen = form.client.data or ""
        found = clients.find(get_session(), int(chosen), current_user.id) \
            if chosen.isdigit() and len(chosen) < 12 else None
        if found is None:
            form.client.errors = [_("Vælg en af dine klienter på listen.")]
        return found
    if form.target.data != "new":
        form.target.errors = [_("Vælg, hvor svarene skal hen.")]
    else:
        problem = clients.text_problem(clients.clean_label(form.label.data or ""),
                                       longest=clients.MAX_LABEL, required=True)
        if problem:
            form.label.errors = [str(_LABEL_PROBLEMS.get(problem, _LABEL_PROBLEMS["blank"]))]
    return None


def _fetch_page(form: FetchForm, *, status: int = 400) -> ResponseReturnValue:
    # Listed in the form's order (code, target, label, client) for the error summary.
    errors = [(form[name].id, form[name].errors[0]) for name in ("code", "target", "label",
                                                                   "client")
              if form[name].errors]
    has_clients = len(form.client.choices) > 1
    return private(make_response(render_template(
        "caseworker/handoff.html", form=form, errors=errors, has_clients=has_clients),
        status))


def _refused(form: FetchForm, refused: handoff.Refused) -> ResponseReturnValue:
    """Say exactly why the code gives nothing, and keep a trace of it (never the code)."""
    if refused.reason == "expired" and refused.at is not None:
        message = _("Koden er udløbet den %(when)s. Bed borgeren om at lave en ny kode.",
                    when=_when(refused.at))
    elif refused.reason == "used":
        message = _("Koden er allerede brugt. En kode virker kun én gang. Bed borgeren om "
                    "at lave en ny kode.")
    else:
        message = _("Koden findes ikke. Tjek, at den er skrevet rigtigt.")
    form.code.errors = [message]
    db = get_session()
    accounts.audit(db, "handoff_refused", actor=current_user.row, ip=request.remote_addr,
                   reason=refused.reason)
    db.commit()
    return _fetch_page(form)


def _client_page(client_id: int) -> str:
    """The client's record if that page exists, else the caseworker's home page."""
    if "caseworker.client" in current_app.view_functions:
        return url_for("caseworker.client", client_id=client_id)
    return url_for("caseworker.home")


# --- both ------------------------------------------------------------------------------

def _now() -> datetime:
    return datetime.now(UTC)


def _when(moment: datetime) -> str:
    """A moment as people in Denmark read it: "15. december 2026 kl. 22.11" (local time)."""
    local = moment.astimezone(LOCAL_TIME)
    language = str(get_locale())
    clock = local.strftime("%H:%M" if language == "en" else "%H.%M")
    return str(_("%(date)s kl. %(time)s", date=long_date(local.date(), language), time=clock))
