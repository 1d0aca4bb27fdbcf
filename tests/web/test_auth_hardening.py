"""Issue 10, the attack review of the staff login: each test here failed before its fix.

Races on the second factor, guessing codes, what the password step gives away, lockout
that keeps the rightful user out, passwords built from the site's name, TOTP secrets at
rest and what the audit log keeps. The races run real threads against the app on the test
database (SQLite, and PostgreSQL in CI).
"""

from __future__ import annotations

import contextlib
import getpass
import re
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from cryptography.fernet import Fernet, InvalidToken
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from matcher import create_app
from matcher.cli import cli_actor
from matcher.data import accounts
from matcher.data import models as m
from matcher.data.db import get_session
from tests.web.staff_helpers import (
    PASSWORD,
    StaffUser,
    current_code,
    events,
    login,
    make_user,
    now,
)

CONCURRENT = 4


def error_of(page: str, field: str = "email") -> str:
    found = re.search(rf'href="#{field}">([^<]+)<', page)
    assert found, page[:2000]
    return found.group(1)


def pending_login(app: Flask, user: StaffUser) -> FlaskClient:
    """A browser that has passed the password step and now waits for the code."""
    client = app.test_client()
    response = client.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/log-ind/kode")
    return client


def wrong_code(user: StaffUser) -> str:
    """Six digits that are none of the codes accepted now (±30 s)."""
    totp = pyotp.TOTP(user.secret or "")
    moment = int(now().timestamp())
    accepted = {totp.at(moment + shift) for shift in (-30, 0, 30)}
    return next(code for code in (f"{n:06d}" for n in range(100000, 999999, 7919))
                if code not in accepted)


def row_of(app: Flask, user: StaffUser) -> m.UserAccount:
    with app.app_context():
        row = get_session().get(m.UserAccount, user.id)
        assert row is not None
        return row


def update_row(app: Flask, user: StaffUser, **values: Any) -> None:
    with app.app_context():
        session = get_session()
        row = session.get(m.UserAccount, user.id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.commit()


def all_at_once(barrier: threading.Barrier, function: Callable[..., Any]) -> Callable[..., Any]:
    """function, but each thread's first call waits until every thread has got that far.

    Placed after the login has read the account and before it can write, this makes the
    race certain instead of likely: every login has seen the code as unused.
    """
    local = threading.local()

    def waiting(*args: Any, **kwargs: Any) -> Any:
        if not getattr(local, "waited", False):
            local.waited = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
        return function(*args, **kwargs)
    return waiting


def post_together(clients: list[FlaskClient], path: str, data: dict[str, str]) -> list[int]:
    statuses: list[int] = []
    problems: list[BaseException] = []

    def send(client: FlaskClient) -> None:
        try:
            statuses.append(client.post(path, data=data).status_code)
        except BaseException as problem:  # reported below, not lost in the thread
            problems.append(problem)

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not problems, problems
    return sorted(statuses)


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The argon2 verifications made (each costs ~40 ms and 19 MiB)."""
    made: list[str] = []
    verify = accounts._verify

    def counting(stored: str, password: str) -> bool:
        made.append(stored)
        return verify(stored, password)
    monkeypatch.setattr(accounts, "_verify", counting)
    yield made


# 1. One code, several pending logins at once: exactly one gets in.

def test_one_totp_code_sent_from_several_pending_logins_lets_one_in(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    clients = [pending_login(app, user) for _ in range(CONCURRENT)]
    code = current_code(user)
    barrier = threading.Barrier(CONCURRENT)
    monkeypatch.setattr(pyotp.TOTP, "at", all_at_once(barrier, pyotp.TOTP.at))
    statuses = post_together(clients, "/log-ind/kode", {"code": code})
    assert statuses == [302] + [400] * (CONCURRENT - 1)
    assert [e.detail["factor"] for e in events(app, "login")] == ["totp"]


def test_one_recovery_code_sent_from_several_pending_logins_lets_one_in(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    clients = [pending_login(app, user) for _ in range(CONCURRENT)]
    barrier = threading.Barrier(CONCURRENT)
    monkeypatch.setattr(accounts, "_verify", all_at_once(barrier, accounts._verify))
    statuses = post_together(clients, "/log-ind/kode", {"code": user.codes[0]})
    assert statuses == [302] + [400] * (CONCURRENT - 1)
    assert len(events(app, "recovery_code_used")) == 1
    assert [e.detail["factor"] for e in events(app, "login")] == ["recovery_code"]


# 2. Guessing the second factor: a per-account lock, and wrong codes are cheap.

def test_five_wrong_codes_refuse_the_second_step_for_a_while(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = pending_login(app, user)
    for _ in range(accounts.MAX_CODE_FAILURES):
        assert client.post("/log-ind/kode", data={"code": wrong_code(user)}).status_code == 400
    refused = client.post("/log-ind/kode", data={"code": current_code(user)})
    assert refused.status_code == 400  # even the right code, while locked
    assert "For mange forkerte koder" in error_of(refused.get_data(as_text=True), "code")
    other = pending_login(app, user)  # per account: a new pending login is refused too
    assert other.post("/log-ind/kode", data={"code": user.codes[0]}).status_code == 400
    assert len(events(app, "second_factor_lockout")) == 1
    update_row(app, user, code_locked_until=now() - timedelta(seconds=1))  # 15 minutes later
    assert other.post("/log-ind/kode", data={"code": current_code(user)}).status_code == 302
    assert row_of(app, user).code_failures == 0  # a right code resets the count


def test_a_right_code_resets_the_count_of_wrong_ones(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    first = pending_login(app, user)
    for _ in range(accounts.MAX_CODE_FAILURES - 1):
        first.post("/log-ind/kode", data={"code": wrong_code(user)})
    assert first.post("/log-ind/kode", data={"code": user.codes[0]}).status_code == 302
    second = pending_login(app, user)
    second.post("/log-ind/kode", data={"code": wrong_code(user)})
    assert second.post("/log-ind/kode", data={"code": user.codes[1]}).status_code == 302


@pytest.mark.parametrize(("shape", "most"), [
    ("six digits", 0), ("letters", 0), ("recovery code", accounts.RECOVERY_CODES)])
def test_a_wrong_code_costs_no_hashing_unless_it_looks_like_a_recovery_code(
        app: Flask, verifications: list[str], shape: str, most: int) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = pending_login(app, user)
    verifications.clear()
    code = {"six digits": wrong_code(user), "letters": "abcdef",
            "recovery code": "zzzzz-zzzzz"}[shape]
    assert client.post("/log-ind/kode", data={"code": code}).status_code == 400
    assert len(verifications) <= most
    if most:
        assert verifications  # a recovery code is still checked


# 3. The password step tells nothing, and a lock never keeps the rightful user out for good.

def test_unknown_wrong_locked_and_inactive_accounts_get_the_same_answer_and_cost(
        app: Flask, verifications: list[str]) -> None:
    make_user(app, "sag@herning.dk", "caseworker")
    locked = make_user(app, "laast@herning.dk", "caseworker")
    inactive = make_user(app, "gaaet@herning.dk", "caseworker")
    update_row(app, locked, locked_until=now() + timedelta(minutes=10))
    update_row(app, inactive, is_active=False)
    tries = [("nobody@herning.dk", PASSWORD), ("sag@herning.dk", "forkert adgangskode"),
             (locked.email, "forkert adgangskode"), (locked.email, PASSWORD),
             (inactive.email, PASSWORD)]
    answers = set()
    for email, password in tries:
        verifications.clear()
        response = app.test_client().post("/log-ind", data={"email": email, "password": password})
        assert response.status_code == 400
        answers.add(error_of(response.get_data(as_text=True)))
        assert len(verifications) == 1, email  # one argon2 verification each: same time
    assert len(answers) == 1, answers
    assert answers.pop().startswith("E-mail eller adgangskode er forkert.")


def test_the_lockout_message_follows_this_browsers_own_failures_only(app: Flask) -> None:
    make_user(app, "sag@herning.dk", "caseworker")

    def messages(email: str) -> list[str]:
        client = app.test_client()
        return [error_of(client.post("/log-ind", data={"email": email, "password": "forkert"})
                         .get_data(as_text=True)) for _ in range(accounts.MAX_FAILURES + 1)]

    known, unknown = messages("sag@herning.dk"), messages("ingen@herning.dk")
    assert known == unknown  # the same answers, one by one, whether or not the account exists
    assert "Kontoen er låst i 15 minutter" in known[-1]
    assert "Kontoen er låst" not in known[0]
    other_browser = app.test_client().post(  # the real lock shows nowhere else
        "/log-ind", data={"email": "sag@herning.dk", "password": "forkert"})
    assert error_of(other_browser.get_data(as_text=True)) == known[0]


def test_a_lockout_never_keeps_out_a_browser_the_account_logged_in_from(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    home = app.test_client()
    login(home, user)
    home.post("/log-ud")
    attacker = app.test_client()
    for _ in range(accounts.MAX_FAILURES):
        attacker.post("/log-ind", data={"email": user.email, "password": "gæt"},
                      environ_base={"REMOTE_ADDR": "10.6.6.6"})
    assert len(events(app, "lockout")) == 1
    new_browser = app.test_client().post("/log-ind", data={"email": user.email,
                                                           "password": PASSWORD})
    assert new_browser.status_code == 400  # a browser never used by the account waits
    again = home.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    assert again.headers["Location"].endswith("/log-ind/kode")  # the user's own is let on
    forged = app.test_client()
    forged.set_cookie("device", home.get_cookie("device").value[:-3] + "abc")  # type: ignore[union-attr]
    assert forged.post("/log-ind", data={"email": user.email, "password": PASSWORD}
                       ).status_code == 400


def test_ten_failures_from_a_remembered_browser_forget_it(app: Flask) -> None:
    """A stolen remembered-browser cookie gives no more guesses than anyone gets."""
    user = make_user(app, "sag@herning.dk", "caseworker")
    home = app.test_client()
    login(home, user)
    update_row(app, user, locked_until=now() + timedelta(minutes=10))
    for _ in range(accounts.MAX_FAILURES):
        home.post("/log-ind", data={"email": user.email, "password": "gæt"})
    assert len(events(app, "browsers_forgotten")) == 1
    assert home.post("/log-ind", data={"email": user.email, "password": PASSWORD}
                     ).status_code == 400  # now locked out like any other browser


# 4. Passwords built from the site's or the municipality's name.

@pytest.mark.parametrize("password", [
    "Kompetenceløft2024!", "kompetenceloeft er sjovt", "K0mp3t3nc3l0ft!!",
    "KOMPETENCE-LØFT-i-vinter", "herning-hele-vejen-2025", "H3rn1ng for altid!",
    "min kommune er bedst", "K-o-m-m-u-n-e 2025!", "JOBCENTER-sommer-2025",
    "j0bc3nt3r og kaffe", "mette.lund.1984!!", "M3tte har en lang kode",
    "Herning Kommune 2025"])
def test_passwords_built_from_the_sites_names_are_refused(app: Flask, password: str) -> None:
    user = make_user(app, "mette.lund@herning.dk", "caseworker")
    client = app.test_client()
    login(client, user)
    response = client.post("/konto/adgangskode", data={
        "current_password": PASSWORD, "new_password": password, "new_password_again": password})
    assert response.status_code == 400
    assert "Adgangskoden må ikke indeholde" in error_of(response.get_data(as_text=True),
                                                         "new_password")
    assert accounts.password_matches(row_of(app, user), PASSWORD)  # unchanged


def test_the_authority_and_site_names_come_from_the_configuration(app: Flask) -> None:
    app.config.update(AUTHORITY_NAME="Viborg Kommune", SITE_NAME="Læringsløft")
    user = make_user(app, "sag@viborg.dk", "caseworker")
    client = app.test_client()
    login(client, user)
    for password in ("v1b0rg ved søen 2025", "laeringsloeft hver dag"):
        response = client.post("/konto/adgangskode", data={
            "current_password": PASSWORD, "new_password": password,
            "new_password_again": password})
        assert response.status_code == 400, password


@pytest.mark.parametrize(("password", "found"), [
    ("sne og kommunikation i vinternatten", None),  # "kommun-i", not "kommune"
    ("vestjysk blæst og varm kaffe", None),
    ("hestekræfter på heden", None),
    ("kompetence løft", "kompetenceløft"),
    ("kompetence|0ft igen", "kompetenceløft"),
    ("K0MMUN3-2025", "kommune"),
])
def test_context_words_are_found_through_digits_symbols_and_leetspeak(
        password: str, found: str | None) -> None:
    assert accounts.context_word_in(password, ("Kompetenceløft", "Herning Kommune")) == found


# 5. TOTP secrets at rest.

def test_totp_secrets_are_encrypted_at_rest_and_login_still_works(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    stored = row_of(app, user).totp_secret
    assert stored and user.secret and user.secret not in stored
    assert app.extensions["totp_cipher"].decrypt(stored.encode()).decode() == user.secret
    client = app.test_client()
    login(client, user)
    assert client.get("/sagsbehandler/").status_code == 200


def test_the_totp_key_setting_and_its_fallback_in_production() -> None:
    old_key, new_key = "old-signing-key-0123456789abcdefXYZ", "new-signing-key-0123456789abcdefXYZ"
    before = accounts.totp_cipher({"APP_ENV": "production", "SECRET_KEY": old_key})
    token = before.encrypt(b"JBSWY3DPEHPK3PXP")
    rotated = accounts.totp_cipher({"APP_ENV": "production", "SECRET_KEY": new_key,
                                    "SECRET_KEY_FALLBACKS": [old_key]})
    assert rotated.decrypt(token) == b"JBSWY3DPEHPK3PXP"  # the old signing key as a fallback
    with pytest.raises(InvalidToken):  # neither the development key nor the bare new key
        accounts.totp_cipher({"APP_ENV": "development"}).decrypt(token)
    with pytest.raises(InvalidToken):
        accounts.totp_cipher({"APP_ENV": "production", "SECRET_KEY": new_key}).decrypt(token)
    newest, older = Fernet.generate_key(), Fernet.generate_key()
    given = accounts.totp_cipher({"APP_ENV": "production", "SECRET_KEY": new_key,
                                  "TOTP_ENCRYPTION_KEY": f"{newest.decode()}, {older.decode()}"})
    assert Fernet(newest).decrypt(given.encrypt(b"x")) == b"x"  # the first key encrypts
    assert given.decrypt(Fernet(older).encrypt(b"y")) == b"y"  # every key decrypts


def test_a_malformed_totp_key_refuses_to_start(database_url: str) -> None:
    with pytest.raises(RuntimeError, match="TOTP_ENCRYPTION_KEY must be Fernet keys"):
        create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "x",
                    "TOTP_ENCRYPTION_KEY": "not-a-key"})


# 6. The audit log keeps no typed text, and names who ran a command.

def test_a_failed_login_keeps_only_a_known_accounts_email(app: Flask) -> None:
    user = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    client.post("/log-ind", data={"email": PASSWORD, "password": "x"})  # the password, typed
    client.post("/log-ind", data={"email": "  Sag@Herning.DK ", "password": "forkert"})
    with app.app_context():
        failed = list(get_session().scalars(select(m.AuditEvent).where(
            m.AuditEvent.action == "login_failed").order_by(m.AuditEvent.id)))
        text = " ".join(f"{e.email} {e.detail}" for e in get_session().scalars(
            select(m.AuditEvent)))
    assert [(e.email, e.target_id) for e in failed] == [
        (accounts.UNKNOWN_ACCOUNT, None), (user.email, user.id)]
    assert PASSWORD not in text and "Sag@Herning.DK" not in text


def test_an_administrator_made_by_the_command_names_who_ran_it(
        app: Flask, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["users", "create-admin", "chef@herning.dk"]).exit_code == 0
    created = events(app, "user_created")
    assert [e.detail.get("actor") for e in created] == [cli_actor()]
    assert cli_actor().startswith(f"cli:{getpass.getuser()}")
