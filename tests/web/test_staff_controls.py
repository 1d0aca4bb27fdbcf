"""Staff controls of issue 10: one-time passwords that run out (ASVS 6.4.1), refused access
that is audited (ASVS 16.3.2), and a second factor for every staff role (ASVS 6.3.3)."""

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
from tests.web.staff_helpers import PASSWORD, events, login, make_provider, make_user, now

EXPIRED = "Adgangskoden er udløbet. Bed en administrator om en ny."
HOMES = {"admin": "/admin/", "caseworker": "/sagsbehandler/", "provider": "/udbyder/"}


def one_time_password(page: str) -> str:
    found = re.search(r'id="one-time-password">([^<]+)<', page)
    assert found, page
    return found.group(1)


def expire(app: Flask, email: str, *, by: timedelta = timedelta(seconds=1)) -> None:
    """The account's one-time password ran out `by` ago."""
    with app.app_context():
        session = get_session()
        row = accounts.find_user(session, email)
        assert row is not None and row.password_expires_at is not None
        row.password_expires_at = now() - by
        session.commit()


def row_of(app: Flask, email: str) -> m.UserAccount:
    with app.app_context():
        row = accounts.find_user(get_session(), email)
        assert row is not None
        return row


# ASVS 6.4.1: a one-time password runs out ---------------------------------------------------

def test_an_invitations_password_expires_and_a_reset_gives_a_new_one(app: Flask) -> None:
    admin = make_user(app, "chef@herning.dk", "admin")
    boss = app.test_client()
    login(boss, admin)
    page = boss.post("/admin/brugere/ny", data={"email": "ny@herning.dk", "role": "caseworker"})
    assert "Den virker i 72 timer." in page.get_data(as_text=True)
    first = one_time_password(page.get_data(as_text=True))
    row = row_of(app, "ny@herning.dk")
    assert row.password_expires_at is not None
    left = accounts._aware(row.password_expires_at) - now()
    assert timedelta(hours=71, minutes=59) < left <= timedelta(hours=72)

    expire(app, "ny@herning.dk")
    worker = app.test_client()
    refused = worker.post("/log-ind", data={"email": "ny@herning.dk", "password": first})
    assert refused.status_code == 400 and EXPIRED in refused.get_data(as_text=True)
    (failed,) = events(app, "login_failed")
    assert failed.detail["reason"] == "expired"
    assert row_of(app, "ny@herning.dk").failed_logins == 0  # the right password: no failure
    wrong = worker.post("/log-ind", data={"email": "ny@herning.dk", "password": "forkert1"})
    assert EXPIRED not in wrong.get_data(as_text=True)  # only the password's holder is told

    page = boss.post(f"/admin/brugere/{row.id}/nulstil").get_data(as_text=True)
    second = one_time_password(page)
    response = worker.post("/log-ind", data={"email": "ny@herning.dk", "password": second})
    assert response.headers["Location"] == "/konto/adgangskode"
    worker.post("/konto/adgangskode", data={"current_password": second, "new_password": PASSWORD,
                                            "new_password_again": PASSWORD})
    chosen = row_of(app, "ny@herning.dk")
    assert not chosen.must_change_password and chosen.password_expires_at is None
    assert not accounts.one_time_password_expired(chosen, now() + timedelta(days=3650))


def test_the_lifetime_is_a_setting_and_the_command_says_it(app: Flask,
                                                         runner: FlaskCliRunner) -> None:
    app.config["ONE_TIME_PASSWORD_HOURS"] = 2
    result = runner.invoke(args=["users", "create-admin", "chef@herning.dk"])
    assert "within 2 hours" in result.output
    password = re.search(r"One-time password: (\S+)", result.output)
    assert password
    expires = row_of(app, "chef@herning.dk").password_expires_at
    assert expires is not None
    assert timedelta(hours=1, minutes=59) < accounts._aware(expires) - now() <= timedelta(hours=2)
    expire(app, "chef@herning.dk")
    refused = app.test_client().post("/log-ind", data={"email": "chef@herning.dk",
                                                       "password": password.group(1)})
    assert refused.status_code == 400 and EXPIRED in refused.get_data(as_text=True)


def test_a_one_time_password_without_an_end_counts_as_expired(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        row, _password = accounts.create_user(session, "ny@herning.dk", "caseworker")
        assert not accounts.one_time_password_expired(row, now())
        row.password_expires_at = None  # written by hand, or by code that forgot the end
        assert accounts.one_time_password_expired(row, now())
        session.rollback()


# ASVS 16.3.2: a refused staff member is audited ----------------------------------------------

def test_a_caseworker_refused_the_admin_area_leaves_an_access_denied_event(app: Flask) -> None:
    worker = make_user(app, "sag@herning.dk", "caseworker")
    client = app.test_client()
    login(client, worker)
    assert client.get("/admin/").status_code == 403
    (event,) = events(app, "access_denied")
    assert event.actor_id == worker.id and event.ip == "127.0.0.1"
    assert event.detail == {"method": "GET", "path": "/admin/"}

    response = client.post("/admin/brugere/1/nulstil?token=hemmelig-zq7",
                           environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 403
    later = events(app, "access_denied")[-1]
    assert later.detail == {"method": "POST", "path": "/admin/brugere/1/nulstil"}
    assert later.ip == "192.0.2.7" and "hemmelig" not in str(later.detail)  # no query string

    assert client.get("/sagsbehandler/").status_code == 200  # allowed: nothing audited
    assert app.test_client().get("/admin/").status_code == 302  # anonymous: to the login
    assert len(events(app, "access_denied")) == 2


# ASVS 6.3.3: every staff role, providers included, sets up the second factor first --------

@pytest.mark.parametrize("role", ["admin", "caseworker", "provider"])
def test_every_role_without_a_second_factor_is_sent_to_set_it_up(app: Flask, role: str) -> None:
    provider = make_provider(app) if role == "provider" else None
    user = make_user(app, f"{role}@herning.dk", role, provider=provider, second_factor=False)
    client = app.test_client()
    response = client.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/konto/to-trin"
    for path in (HOMES[role], "/konto"):
        assert client.get(path).headers["Location"] == "/konto/to-trin", path
    enrol(client)
    assert client.get(HOMES[role]).status_code == 200
    again = app.test_client().post("/log-ind", data={"email": user.email, "password": PASSWORD})
    assert again.headers["Location"] == "/log-ind/kode"


def enrol(client: FlaskClient) -> None:
    page = client.get("/konto/to-trin").get_data(as_text=True)
    found = re.search(r'id="totp-secret">([^<]+)<', page)
    assert found
    secret = found.group(1).replace(" ", "")
    done = client.post("/konto/to-trin", data={"password": PASSWORD,
                                               "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
