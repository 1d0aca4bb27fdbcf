"""Builders for staff-account tests: users with known passwords and second factors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from matcher.data import accounts
from matcher.data import models as m
from matcher.data.db import get_session

PASSWORD = "korrekt hest batteri hæfteklamme"


@dataclass
class StaffUser:
    id: int
    email: str
    role: str
    secret: str | None
    codes: list[str]


def make_provider(app: Flask, code: str = "p_a") -> str:
    with app.app_context():
        session = get_session()
        if session.get(m.Postcode, "7400") is None:
            session.add(m.Postcode(postcode="7400", name="Herning", lat=56.14, lon=8.97))
        session.add(m.Provider(code=code, name=f"Demo {code}", postcode="7400", source="demo"))
        session.commit()
    return code


def make_course(app: Flask, code: str, provider: str) -> str:
    from decimal import Decimal

    with app.app_context():
        session = get_session()
        session.add(m.Course(code=code, kind="amu", title_da=f"Kursus {code}",
                             provider_code=provider, duration_days=Decimal(3), source="demo"))
        session.commit()
    return code


def make_session(app: Flask, course: str, start: str = "2027-03-01") -> int:
    """A session of course; its id."""
    from datetime import date

    with app.app_context():
        session = get_session()
        row = m.CourseSession(course_code=course, session_code=start,
                              start_date=date.fromisoformat(start),
                              end_date=date.fromisoformat(start))
        session.add(row)
        session.commit()
        return row.id


def make_user(app: Flask, email: str, role: str, *, provider: str | None = None,
              second_factor: bool = True, password: str = PASSWORD) -> StaffUser:
    """An account that has finished its set-up: own password and (by default) TOTP."""
    with app.app_context():
        session = get_session()
        row, _ = accounts.create_user(session, email, role, provider_code=provider)
        accounts.set_password(session, row, password, actor=row, ip=None)
        secret, codes = None, []
        if second_factor:
            secret = accounts.new_totp_secret()
            codes = accounts.enable_totp(session, row, secret, ip=None)
        session.commit()
        return StaffUser(row.id, row.email, role, secret, codes)


def current_code(user: StaffUser) -> str:
    assert user.secret
    return pyotp.TOTP(user.secret).now()


def login(client: FlaskClient, user: StaffUser, *, password: str = PASSWORD) -> None:
    """Log in through the real forms (password, then a code if the account has one)."""
    response = client.post("/log-ind", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    if response.headers["Location"].endswith("/log-ind/kode"):
        response = client.post("/log-ind/kode", data={"code": current_code(user)})
        assert response.status_code == 302


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def events(app: Flask, action: str) -> list[m.AuditEvent]:
    from sqlalchemy import select

    with app.app_context():
        return list(get_session().scalars(select(m.AuditEvent).where(m.AuditEvent.action == action)))


def now() -> datetime:
    return datetime.now(UTC)


def make_client(app: Flask, owner_id: int, *, label: str = "Klient A", notes: str = "",
                profile: dict[str, object] | None = None, shared_with: int | None = None,
                retain_until: str | None = None) -> int:
    """A caseworker's client (issue 13), optionally shared and with a set retention; its id."""
    from datetime import date

    from matcher.data import clients

    with app.app_context():
        session = get_session()
        owner = session.get(m.UserAccount, owner_id)
        assert owner is not None
        row = clients.create(session, owner, label=label, notes=notes, profile=profile)
        if shared_with is not None:
            clients.share(session, row, shared_with, owner)
        if retain_until is not None:
            row.retain_until = date.fromisoformat(retain_until)
        session.commit()
        return row.id
