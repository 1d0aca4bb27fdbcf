"""Staff accounts: first login, second factor, recovery codes, lockout, sessions that end."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from matcher.data import accounts
from matcher.data import models as m
from matcher.data.db import get_session
from tests.web.staff_helpers import (
    PASSWORD,
    current_code,
    events,
    login,
    make_provider,
    make_user,
    now,
)


def test_create_admin_prints_a_one_time_password(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create-admin", "Chef@Herning.dk"])
    assert result.exit_code == 0, result.output
    password = re.search(r"One-time password: (\S+)", result.output)
    assert password and len(password.group(1)) == 19
    with app.app_context():
        row = accounts.find_user(get_session(), "chef@herning.dk")
        assert row is not None and row.role == "admin" and row.must_change_password
        assert password.group(1) not in row.password_hash
    again = runner.invoke(args=["users", "create-admin", "chef@herning.dk"])
    assert again.exit_code == 2 and "already exists" in again.output
    bad = runner.invoke(args=["users", "create-admin", "not-an-email"])
    assert bad.exit_code == 2 and "is not an e-mail address" in bad.output


def test_first_login_forces_new_password_then_second_factor(app: Flask, client: FlaskClient,
                                                            runner: FlaskCliRunner) -> None:
    output = runner.invoke(args=["users", "create-admin", "chef@herning.dk"]).output
    one_time = re.search(r"One-time password: (\S+)", output).group(1)  # type: ignore[union-attr]
    response = client.post("/log-ind", data={"email": "chef@herning.dk", "password": one_time})
    assert response.headers["Location"] == "/konto/adgangskode"
    assert client.get("/admin/").headers["Location"] == "/konto/adgangskode"  # gated
    response = client.post("/konto/adgangskode", data={
        "current_password": one_time, "new_password": PASSWORD, "new_password_again": PASSWORD})
    assert response.headers["Location"] == "/konto/to-trin"
    assert client.get("/admin/").headers["Location"] == "/konto/to-trin"  # TOTP is mandatory
    page = client.get("/konto/to-trin").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([^<]+)<', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert "<svg" in page and "<title" in page  # the QR code, with a text alternative
    page = client.post("/konto/to-trin", data={
        "password": PASSWORD, "code": pyotp.TOTP(secret).now()}).get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    assert {e.action for e in events(app, "totp_enabled")} == {"totp_enabled"}
    assert events(app, "password_changed")


def test_login_with_a_code_and_with_a_recovery_code_once(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    first = app.test_client()
    login(first, user)
    assert first.get("/sagsbehandler/").status_code == 200
    second = app.test_client()
    response = second.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/log-ind/kode"
    replay = second.post("/log-ind/kode", data={"code": current_code(user)})
    assert replay.status_code == 400  # the same code twice is refused
    assert "Koden er forkert eller brugt" in replay.get_data(as_text=True)
    assert second.post("/log-ind/kode", data={"code": user.codes[0]}).status_code == 302
    third = app.test_client()
    third.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    assert third.post("/log-ind/kode", data={"code": user.codes[0]}).status_code == 400
    assert len(events(app, "recovery_code_used")) == 1


def test_lockout_after_ten_failures_ends_after_fifteen_minutes(app: Flask,
                                                              client: FlaskClient) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker", second_factor=False)
    for _ in range(9):
        assert client.post("/log-ind", data={"email": user.email, "password": "wrong"}
                           ).status_code == 400
    tenth = client.post("/log-ind", data={"email": user.email, "password": "wrong"})
    assert "Kontoen er låst i 15 minutter" in tenth.get_data(as_text=True)
    locked = client.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    assert locked.status_code == 400  # even the right password, while locked
    assert len(events(app, "lockout")) == 1
    with app.app_context():
        session = get_session()
        row = session.get(m.UserAccount, user.id)
        assert row is not None
        row.locked_until = now() - timedelta(seconds=1)  # fifteen minutes later
        session.commit()
    assert client.post("/log-ind", data={"email": user.email, "password": PASSWORD}
                       ).status_code == 302


def test_the_address_limit_stops_guessing_without_locking_anyone_forever(app: Flask) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    user = make_user(app, "sag@herning.dk", "caseworker", second_factor=False)
    attacker = app.test_client()
    statuses = [attacker.post("/log-ind", data={"email": "x@y.dk", "password": "guess"},
                              environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
                for _ in range(7)]
    assert statuses[:5] == [400] * 5 and statuses[5:] == [429, 429]
    victim = app.test_client()  # another address is not affected
    ok = victim.post("/log-ind", data={"email": user.email, "password": PASSWORD},
                     environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert ok.status_code == 302


def test_logout_ends_every_session_and_a_copied_cookie(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    login(client, user)
    copied = client.get_cookie("session")
    assert copied is not None
    thief = app.test_client()
    thief.set_cookie("session", copied.value)
    assert thief.get("/sagsbehandler/").status_code == 200
    client.post("/log-ud")
    assert client.get("/sagsbehandler/").status_code == 302
    assert thief.get("/sagsbehandler/").headers["Location"].startswith("/log-ind")


def test_deactivation_ends_sessions_and_blocks_login(app: Flask) -> None:
    admin = make_user(app, "chef@herning.dk", "admin")
    worker = make_user(app, "sag@herning.dk", "caseworker")
    admin_client, worker_client = app.test_client(), app.test_client()
    login(admin_client, admin)
    login(worker_client, worker)
    assert admin_client.post(f"/admin/brugere/{worker.id}/deaktiver").status_code == 303
    assert worker_client.get("/sagsbehandler/").status_code == 302
    again = app.test_client().post("/log-ind", data={"email": worker.email, "password": PASSWORD})
    assert again.status_code == 400
    assert admin_client.post(f"/admin/brugere/{worker.id}/aktiver").status_code == 303
    assert events(app, "deactivated") and events(app, "reactivated")


def test_idle_and_absolute_timeouts(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    login(client, user)
    with client.session_transaction() as session:
        session["seen"] -= 31 * 60
    assert client.get("/sagsbehandler/").status_code == 302  # idle for 31 minutes
    user2 = make_user(app, "sag2@herning.dk", "caseworker")
    client2 = app.test_client()
    login(client2, user2)
    with client2.session_transaction() as session:
        session["since"] -= 12 * 3600 + 1
    assert client2.get("/sagsbehandler/").status_code == 302  # logged in 12 hours ago


def test_a_new_session_at_login(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker", second_factor=False)
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_admin_invites_a_caseworker_and_a_provider_user(app: Flask) -> None:
    provider = make_provider(app)
    admin = make_user(app, "chef@herning.dk", "admin")
    client = app.test_client()
    login(client, admin)
    page = client.post("/admin/brugere/ny", data={"email": "ny@herning.dk", "role": "caseworker"})
    password = re.search(r'id="one-time-password">([^<]+)<', page.get_data(as_text=True))
    assert page.status_code == 200 and password
    worker = app.test_client()
    assert worker.post("/log-ind", data={"email": "ny@herning.dk", "password": password.group(1)}
                       ).headers["Location"] == "/konto/adgangskode"
    page = client.post("/admin/brugere/ny", data={"email": "kursus@example.dk",
                                                  "role": "provider", "provider_code": provider})
    assert page.status_code == 200
    with app.app_context():
        row = accounts.find_user(get_session(), "kursus@example.dk")
        assert row is not None and row.provider_code == provider
    assert len(events(app, "user_created")) == 3


def test_role_change_ends_sessions_and_is_audited(app: Flask) -> None:
    provider = make_provider(app)
    admin = make_user(app, "chef@herning.dk", "admin")
    worker = make_user(app, "sag@herning.dk", "caseworker")
    admin_client, worker_client = app.test_client(), app.test_client()
    login(admin_client, admin)
    login(worker_client, worker)
    response = admin_client.post(f"/admin/brugere/{worker.id}/rolle",
                                 data={"role": "provider", "provider_code": provider})
    assert response.status_code == 303
    assert worker_client.get("/sagsbehandler/").status_code == 302
    changed = events(app, "role_changed")
    assert changed and changed[0].detail["after"] == ["provider", provider]
    assert "password" not in str(changed[0].detail).lower()


def test_reset_gives_a_new_one_time_password(app: Flask) -> None:
    admin = make_user(app, "chef@herning.dk", "admin")
    worker = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    login(client, admin)
    page = client.post(f"/admin/brugere/{worker.id}/nulstil").get_data(as_text=True)
    password = re.search(r'id="one-time-password">([^<]+)<', page)
    assert password
    fresh = app.test_client()
    response = fresh.post("/log-ind", data={"email": worker.email, "password": password.group(1)})
    assert response.headers["Location"] == "/log-ind/kode"  # the second factor stays on


def test_audit_log_holds_no_secrets(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    client.post("/log-ind", data={"email": user.email, "password": "forkert-kode-123"})
    login(client, user)
    with app.app_context():
        text = " ".join(f"{e.action} {e.email} {e.detail}"
                        for e in get_session().query(m.AuditEvent).all())
    for secret in (PASSWORD, "forkert-kode-123", user.secret or "x", *user.codes):
        assert secret not in text
    assert "login_failed" in text and "login" in text


BAD_LOGINS = [
    ({"email": "", "password": "x"}, "email", "Skriv din e-mail."),
    ({"email": "a@b.dk", "password": ""}, "password", "Skriv din adgangskode."),
    ({"email": "a" * 300 + "@b.dk", "password": "x"}, "email", "E-mailen er for lang."),
    ({"email": "a@b.dk", "password": "x" * 1001}, "password", "Adgangskoden er for lang."),
    ({"email": "nobody@b.dk", "password": PASSWORD}, "email", "E-mail eller adgangskode er forkert."),
    ({"email": "' OR 1=1 --", "password": "' OR 1=1 --"}, "email",
     "E-mail eller adgangskode er forkert."),
    ({"email": "<script>alert(1)</script>", "password": "x"}, "email",
     "E-mail eller adgangskode er forkert."),
]


@pytest.mark.parametrize(("data", "field", "message"), BAD_LOGINS)
def test_bad_logins(app: Flask, client: FlaskClient, data: dict[str, str], field: str,
                    message: str) -> None:
    make_user(app, "sag@herning.dk", "caseworker")
    response = client.post("/log-ind", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'href="#{field}">{message}' in page.replace("&#34;", '"')
    assert "<script>alert(1)</script>" not in page


BAD_PASSWORDS = [
    ({"current_password": "wrong"}, "current_password", "Den nuværende adgangskode er forkert."),
    ({"new_password": "kort", "new_password_again": "kort"}, "new_password",
     "Adgangskoden skal have mindst 8 tegn"),
    ({"new_password": "password1", "new_password_again": "password1"}, "new_password",
     "Adgangskoden er for almindelig"),
    ({"new_password": "x" * 129, "new_password_again": "x" * 129}, "new_password",
     "Adgangskoden må højst have 128 tegn."),
    ({"new_password": "en lang ny kode 1", "new_password_again": "en anden"},
     "new_password_again", "De to adgangskoder er ikke ens."),
    ({"new_password": PASSWORD, "new_password_again": PASSWORD}, "new_password",
     "Vælg en anden adgangskode end den nuværende."),
    ({"new_password": "sag@herning.dk", "new_password_again": "sag@herning.dk"}, "new_password",
     "Adgangskoden er for almindelig"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_PASSWORDS)
def test_bad_new_passwords(app: Flask, change: dict[str, str], field: str, message: str) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    login(client, user)
    data = {"current_password": PASSWORD, "new_password": "en helt ny lang kode",
            "new_password_again": "en helt ny lang kode", **change}
    page = client.post("/konto/adgangskode", data=data).get_data(as_text=True)
    assert f'href="#{field}">{message}' in page
    with app.app_context():
        row = get_session().get(m.UserAccount, user.id)
        assert row is not None and accounts.password_matches(row, PASSWORD)  # unchanged


def test_a_64_character_passphrase_is_fine(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    login(client, user)
    long_one = "en meget lang sætning som ingen gætter, med æøå og tal 4711 her!!"[:64]
    response = client.post("/konto/adgangskode", data={
        "current_password": PASSWORD, "new_password": long_one, "new_password_again": long_one})
    assert response.status_code == 302


@pytest.mark.parametrize(("code", "message"), [
    ("", "Skriv koden."), ("12345", "Koden er forkert eller brugt."),
    ("abcdef", "Koden er forkert eller brugt."), ("x" * 21, "Koden er for lang."),
    ("000000", "Koden er forkert eller brugt.")])
def test_bad_second_factor_codes(app: Flask, code: str, message: str) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    client.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    response = client.post("/log-ind/kode", data={"code": code})
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_an_expired_code_from_long_ago_is_refused(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    client.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    old = pyotp.TOTP(user.secret or "").at(now() - timedelta(minutes=5))
    assert client.post("/log-ind/kode", data={"code": old}).status_code == 400


def test_code_step_needs_a_recent_password(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    assert client.post("/log-ind/kode", data={"code": current_code(user)}
                       ).headers["Location"] == "/log-ind"
    client.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        session["pending_at"] -= 301
    assert client.post("/log-ind/kode", data={"code": current_code(user)}
                       ).headers["Location"] == "/log-ind"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"email": "", "role": "caseworker"}, "email", "Skriv en e-mail."),
    ({"email": "ikke-en-mail", "role": "caseworker"}, "email", "Skriv en gyldig e-mail"),
    ({"email": "chef@herning.dk", "role": "caseworker"}, "email",
     "Der findes allerede en bruger med den e-mail."),
    ({"email": "ny@herning.dk", "role": "king"}, "role", "Not a valid choice"),
    ({"email": "ny@herning.dk", "role": "provider"}, "provider_code",
     "Vælg den udbyder, brugeren hører til."),
    ({"email": "ny@herning.dk", "role": "provider", "provider_code": "p_none"}, "provider_code",
     "Not a valid choice"),
    ({"email": "<b>x</b>@herning.dk", "role": "caseworker"}, "email", "Skriv en gyldig e-mail"),
])
def test_bad_invitations(app: Flask, data: dict[str, str], field: str, message: str) -> None:
    make_provider(app)
    admin = make_user(app, "chef@herning.dk", "admin")
    client = app.test_client()
    login(client, admin)
    response = client.post("/admin/brugere/ny", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'href="#{field}">' in page and message in page
    with app.app_context():
        assert get_session().query(m.UserAccount).count() == 1  # nothing created


def test_admin_cannot_lock_themselves_out(app: Flask) -> None:
    admin = make_user(app, "chef@herning.dk", "admin")
    client = app.test_client()
    login(client, admin)
    client.post(f"/admin/brugere/{admin.id}/deaktiver")
    response = client.post(f"/admin/brugere/{admin.id}/rolle", data={"role": "caseworker"})
    assert response.status_code == 400
    with app.app_context():
        row = get_session().get(m.UserAccount, admin.id)
        assert row is not None and row.is_active and row.role == "admin"


def test_unknown_user_ids_are_not_found(app: Flask) -> None:
    admin = make_user(app, "chef@herning.dk", "admin")
    client = app.test_client()
    login(client, admin)
    assert client.get("/admin/brugere/9999").status_code == 404
    assert client.post("/admin/brugere/9999/deaktiver").status_code == 404


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"password": "", "code": "123456"}, "password", "Skriv din adgangskode for at bekræfte"),
    ({"password": "forkert", "code": "123456"}, "password", "Adgangskoden er forkert."),
    ({"password": PASSWORD, "code": ""}, "code", "Skriv koden fra appen."),
    ({"password": PASSWORD, "code": "12a456"}, "code", "Koden er 6 cifre."),
    ({"password": PASSWORD, "code": "1234567"}, "code", "Koden er 6 cifre."),
    ({"password": PASSWORD, "code": "000000"}, "code", "Koden passer ikke."),
])
def test_bad_enrolments(app: Flask, data: dict[str, str], field: str, message: str) -> None:
    user = make_user(app, "udbyder@example.dk", "provider", second_factor=False,
                     provider=make_provider(app))
    client = app.test_client()
    login(client, user)
    client.get("/konto/to-trin")
    page = client.post("/konto/to-trin", data=data).get_data(as_text=True)
    assert f'href="#{field}">' in page and message in page
    with app.app_context():
        row = get_session().get(m.UserAccount, user.id)
        assert row is not None and not row.totp_enabled


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"role": "king"}, "role", "Not a valid choice"),
    ({"role": "provider"}, "provider_code", "Vælg den udbyder, brugeren hører til."),
    ({"role": "provider", "provider_code": "p_none"}, "provider_code", "Not a valid choice"),
])
def test_bad_role_changes(app: Flask, data: dict[str, str], field: str, message: str) -> None:
    make_provider(app)
    admin = make_user(app, "chef@herning.dk", "admin")
    worker = make_user(app, "sag@herning.dk", "caseworker", second_factor=False)
    client = app.test_client()
    login(client, admin)
    response = client.post(f"/admin/brugere/{worker.id}/rolle", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and f'href="#{field}">' in page and message in page
    with app.app_context():
        row = get_session().get(m.UserAccount, worker.id)
        assert row is not None and row.role == "caseworker"
