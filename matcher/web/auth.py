"""Staff login: password, then the second factor; sessions that end; the account pages.

A session cookie is only a pointer: on every request the user loader checks that the
account is active, that the cookie's session version is still the account's (logout and
deactivation bump it, so copied cookies die), and the idle and absolute time limits.
A second, long-lived cookie remembers the accounts that logged in from this browser, so an
account locked by strangers' guesses still lets its own user in (accounts.check_password).
"""

from __future__ import annotations

import hashlib
import hmac
import io
from datetime import UTC, datetime
from typing import Any

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup
from werkzeug.wrappers import Response

from matcher.data import accounts
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.web.access import ALL_STAFF, local_path, public, setup_pending, staff
from matcher.web.auth_forms import ChangePasswordForm, CodeForm, EnrolForm, LoginForm
from matcher.web.forms import form_errors
from matcher.web.presenters import english

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
PENDING_SECONDS = 300  # the second factor must follow the password within five minutes
REMEMBER_DAYS = 90  # a browser an account logged in from is spared that account's lockout
REMEMBERED_ACCOUNTS = 5  # accounts one (shared) browser remembers


class Staff:
    """The logged-in account as Flask-Login sees it (the ORM row stays in the data layer)."""

    def __init__(self, row: m.UserAccount) -> None:
        self.row = row
        self.id = row.id
        self.email = row.email
        self.role = row.role
        self.provider_code = row.provider_code
        self.must_change_password = row.must_change_password
        self.totp_enabled = row.totp_enabled
        self.is_authenticated = True
        self.is_active = row.is_active
        self.is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    limiter.init_app(app)  # storage from RATELIMIT_STORAGE_URI: redis:// when there are workers
    try:  # a malformed TOTP_ENCRYPTION_KEY refuses to start, not at the first login
        app.extensions["totp_cipher"] = accounts.totp_cipher(app.config)
    except ValueError as error:
        raise RuntimeError(str(error)) from None


def _now() -> datetime:
    return datetime.now(UTC)


@login_manager.user_loader
def load_user(user_id: str) -> Staff | None:
    """The account behind the cookie, or None when the session must end."""
    if not user_id.isdigit():
        return None
    row = get_session().get(m.UserAccount, int(user_id))
    now = _now().timestamp()
    idle = current_app.config["STAFF_IDLE_MINUTES"] * 60
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    if (row is None or not row.is_active or session.get("sv") != row.session_version
            or now - session.get("seen", 0) > idle or now - session.get("since", 0) > lifetime):
        session.clear()
        return None
    session["seen"] = now
    return Staff(row)


def _client_ip() -> str | None:
    return request.remote_addr


def _home_of(role: str) -> str:
    return {"admin": "admin.users", "caseworker": "caseworker.home",
            "provider": "provider.home_provider"}[role]


def _complete_login(row: m.UserAccount, factor: str) -> ResponseReturnValue:
    target = local_path(session.get("next"))
    session.clear()  # a new session at login (ASVS 7.2.4)
    accounts.record_login(get_session(), row, ip=_client_ip(), now=_now(), factor=factor)
    get_session().commit()
    login_user(Staff(row))
    session.permanent = True
    session["sv"] = row.session_version
    session["since"] = session["seen"] = _now().timestamp()
    pending = setup_pending(row)
    response = redirect(url_for(pending) if pending else target or url_for(_home_of(row.role)))
    _remember_browser(response, row)
    return response


def _remembered_serializer() -> URLSafeTimedSerializer:
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or ()), current_app.secret_key]
    return URLSafeTimedSerializer(keys, salt="remembered-browser")


def _remembered_cookie() -> str:
    return "__Host-device" if current_app.config["SESSION_COOKIE_SECURE"] else "device"


def _remembered() -> list[tuple[int, int]]:
    """(account id, device epoch) of the accounts that logged in from this browser lately."""
    raw = request.cookies.get(_remembered_cookie())
    if not raw:
        return []
    try:
        pairs: Any = _remembered_serializer().loads(raw, max_age=REMEMBER_DAYS * 86400)
        return [(int(account), int(epoch)) for account, epoch in pairs][-REMEMBERED_ACCOUNTS:]
    except (BadData, TypeError, ValueError):
        return []


def _remember_browser(response: Response, row: m.UserAccount) -> None:
    """A signed cookie that spares this browser the account's lockout (check_password)."""
    pairs = [pair for pair in _remembered() if pair[0] != row.id]
    pairs = [*pairs[-(REMEMBERED_ACCOUNTS - 1):], (row.id, row.device_epoch)]
    response.set_cookie(_remembered_cookie(), _remembered_serializer().dumps(pairs),
                        max_age=REMEMBER_DAYS * 86400, path="/", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Strict")


def _failed_login_message(email: str) -> str:
    """One answer for an unknown account, a wrong password and a locked account.

    Only what this browser did itself changes it: its own MAX_FAILURES failures with this
    e-mail in the last LOCKOUT get the lockout message, whether or not the account exists,
    so the answer never tells an account's existence or state.
    """
    key = hmac.new(str(current_app.secret_key).encode(), accounts.normalize_email(email).encode(),
                   hashlib.sha256).hexdigest()[:16]
    now = _now().timestamp()
    recent = {k: (count, since) for k, (count, since) in session.get("failures", {}).items()
              if now - since < accounts.LOCKOUT.total_seconds()}
    count, since = recent.pop(key, (0, now))
    recent[key] = (count + 1, since)
    session["failures"] = dict(list(recent.items())[-10:])
    if count + 1 >= accounts.MAX_FAILURES:
        return _("For mange forkerte forsøg. Kontoen er låst i 15 minutter.")
    return _("E-mail eller adgangskode er forkert. Efter mange forkerte forsøg må du vente "
             "15 minutter.")


@bp.route("/log-ind", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> ResponseReturnValue:
    form = LoginForm(request.form if request.method == "POST" else None)
    if request.method == "GET":
        session["next"] = local_path(request.args.get("next"))
    error = None
    if request.method == "POST" and form.validate():
        db = get_session()
        attempt = accounts.check_password(db, form.email.data, form.password.data,
                                          ip=_client_ip(), now=_now(), remembered=_remembered())
        db.commit()
        if attempt.user is not None:
            if attempt.user.totp_enabled:
                nxt = session.get("next")
                session.clear()
                session["pending"] = attempt.user.id
                session["pending_at"] = _now().timestamp()
                session["next"] = nxt
                return redirect(url_for("auth.code"))
            return _complete_login(attempt.user, "password")
        error = (_("Adgangskoden er udløbet. Bed en administrator om en ny.") if attempt.expired
                 else _failed_login_message(form.email.data))
    errors = form_errors(form)
    if error:
        errors.append(("email", error))
    return render_template("auth/login.html", form=form, errors=errors), 200 if not errors else 400


@bp.route("/log-ind/kode", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def code() -> ResponseReturnValue:
    """The second factor: a code from the app, or one of the recovery codes."""
    pending = session.get("pending")
    if not pending or _now().timestamp() - session.get("pending_at", 0) > PENDING_SECONDS:
        session.pop("pending", None)
        session.pop("pending_at", None)
        if pending:
            flash(_("Log ind igen."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm(request.form if request.method == "POST" else None)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.validate():
        db = get_session()
        row = db.get(m.UserAccount, pending)
        if row is None or not row.is_active or not row.totp_secret:
            session.clear()
            return redirect(url_for("auth.login"))
        outcome = accounts.check_second_factor(db, row, form.code.data, ip=_client_ip(),
                                               now=_now())
        db.commit()
        if outcome in ("totp", "recovery_code"):
            return _complete_login(row, outcome)
        errors.append(("code", _("For mange forkerte koder. Vent 15 minutter, og prøv igen.")
                       if outcome == "locked" else _("Koden er forkert eller brugt. Prøv igen.")))
    errors = form_errors(form) + errors
    return render_template("auth/code.html", form=form, errors=errors), 200 if not errors else 400


@bp.post("/log-ud")
@public
def logout() -> ResponseReturnValue:
    """End this session and every other session of the account (copied cookies too)."""
    if current_user.is_authenticated:
        db = get_session()
        row = db.get(m.UserAccount, current_user.id)
        if row is not None:
            accounts.end_sessions(row)
            accounts.audit(db, "logout", actor=row, target=row, ip=_client_ip())
            db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("citizen.home"), code=303)


@bp.get("/konto")
@staff(*ALL_STAFF)
def account() -> ResponseReturnValue:
    return render_template("auth/account.html")


@bp.route("/konto/adgangskode", methods=["GET", "POST"])
@staff(*ALL_STAFF, setup=True)
def change_password() -> ResponseReturnValue:
    """Re-authenticate with the current password, then set a new one."""
    form = ChangePasswordForm(request.form if request.method == "POST" else None)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.validate():
        db = get_session()
        row = db.get(m.UserAccount, current_user.id)
        assert row is not None
        if not accounts.password_matches(row, form.current_password.data):
            errors.append(("current_password", _("Den nuværende adgangskode er forkert.")))
        elif accounts.password_matches(row, form.new_password.data):
            errors.append(("new_password", _("Vælg en anden adgangskode end den nuværende.")))
        else:
            problems = accounts.password_problems(form.new_password.data, row.email, names=(
                current_app.config["SITE_NAME"], current_app.config["AUTHORITY_NAME"]))
            errors += [("new_password", en if english() else da) for da, en in problems]
        if not errors:
            accounts.set_password(db, row, form.new_password.data, actor=row, ip=_client_ip())
            accounts.end_sessions(row)  # other sessions end; this one continues below
            db.commit()
            session["sv"] = row.session_version
            flash(_("Din adgangskode er skiftet."), "success")
            pending = setup_pending(row)
            return redirect(url_for(pending or _home_of(row.role)))
    errors = form_errors(form) + errors
    return render_template("auth/password.html", form=form, errors=errors), \
        200 if not errors else 400


def _qr_svg(uri: str) -> Markup:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]
    return Markup(svg.replace("<svg", '<svg role="img" aria-labelledby="qr-title"', 1)
                  .replace(">", '><title id="qr-title">QR-kode</title>', 1))


@bp.route("/konto/to-trin", methods=["GET", "POST"])
@staff(*ALL_STAFF, setup=True)
def second_factor() -> ResponseReturnValue:
    """Enrol (or re-enrol) the app: show the secret as text and QR, confirm with a code."""
    if current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    if request.method == "GET" or "enrol_secret" not in session:
        session["enrol_secret"] = accounts.new_totp_secret()
    secret: str = session["enrol_secret"]
    db = get_session()
    row = db.get(m.UserAccount, current_user.id)
    assert row is not None
    form = EnrolForm(request.form if request.method == "POST" else None)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.validate():
        if not accounts.password_matches(row, form.password.data):
            errors.append(("password", _("Adgangskoden er forkert.")))
        elif not accounts.check_totp(db, row, secret, form.code.data, _now()):
            errors.append(("code", _("Koden passer ikke. Tjek, at uret på telefonen går rigtigt.")))
        else:
            codes = accounts.enable_totp(db, row, secret, ip=_client_ip())
            db.commit()
            session.pop("enrol_secret", None)
            return render_template("auth/recovery_codes.html", codes=codes)
    errors = form_errors(form) + errors
    return render_template("auth/second_factor.html", form=form, errors=errors, secret=secret,
                           grouped=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                           qr=_qr_svg(accounts.totp_uri(row, secret))), 200 if not errors else 400

