"""Staff login in Chromium: first login, second factor, recovery code, lockout, logout,
and copied cookies replayed after logout and after deactivation. axe on every page."""

from __future__ import annotations

import re

import pyotp
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from matcher.data import accounts
from matcher.data.db import get_session
from tests.browser.conftest import accessible

NEW_PASSWORD = "vestjysk blæst og varm kaffe"


def create(app: Flask, email: str, role: str) -> str:
    with app.app_context():
        session = get_session()
        _user, password = accounts.create_user(session, email, role)
        session.commit()
    return password


def set_active(app: Flask, email: str, active: bool) -> None:
    with app.app_context():
        session = get_session()
        row = accounts.find_user(session, email)
        assert row is not None
        accounts.set_active(session, row, active, actor=row, ip=None)
        session.commit()


def log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/log-ind")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def test_first_login_enrolment_recovery_and_logout(page: Page, browser: Browser,
                                                   live_app: tuple[Flask, str]) -> None:
    app, base = live_app
    one_time = create(app, "chef@herning.dk", "admin")
    page.goto(base + "/")
    page.get_by_role("link", name="Medarbejderlogin").click()
    expect(page.locator("h1")).to_have_text("Log ind for medarbejdere")
    accessible(page)
    log_in(page, base, "chef@herning.dk", one_time)

    expect(page.locator("h1")).to_have_text("Skift adgangskode")
    accessible(page)
    page.get_by_label("Nuværende adgangskode").fill(one_time)
    page.get_by_label("Ny adgangskode", exact=True).fill("kort")
    page.get_by_label("Gentag den nye adgangskode").fill("kort")
    page.get_by_role("button", name="Skift adgangskode").click()
    expect(page.locator("[data-module=error-summary]")).to_contain_text("mindst 8 tegn")
    accessible(page)
    page.get_by_label("Nuværende adgangskode").fill(one_time)
    page.get_by_label("Ny adgangskode", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Gentag den nye adgangskode").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Skift adgangskode").click()

    expect(page.locator("h1")).to_have_text("Log ind i to trin")
    expect(page.get_by_role("img", name="QR-kode")).to_be_visible()
    accessible(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Din adgangskode").fill(NEW_PASSWORD)
    page.get_by_label("Kode fra appen").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Slå to trin til").click()
    expect(page.locator("h1")).to_have_text("Dine gendannelseskoder")
    codes = [c.inner_text() for c in page.locator(".recovery-codes code").all()]
    assert len(codes) == 10
    accessible(page)
    page.get_by_role("link", name="Jeg har gemt koderne").click()
    expect(page.locator("h1")).to_have_text("Din konto")
    accessible(page)
    page.get_by_role("button", name="Log ud").click()

    # The code of this half-minute was used at enrolment: a recovery code lets us in.
    log_in(page, base, "chef@herning.dk", NEW_PASSWORD)
    expect(page.locator("h1")).to_have_text("Bekræft at det er dig")
    accessible(page)
    page.get_by_label("Kode").fill(codes[0])
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.locator("h1")).to_have_text("Brugere")
    accessible(page)

    copied = page.context.cookies()
    page.get_by_role("button", name="Log ud").click()
    thief = browser.new_context()
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(base + "/admin/")
    expect(stolen.locator("h1")).to_have_text("Log ind for medarbejdere")  # replay refused
    thief.close()

    log_in(page, base, "chef@herning.dk", NEW_PASSWORD)
    page.get_by_label("Kode").fill(codes[0])  # already used
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.locator("[data-module=error-summary]")).to_contain_text("forkert eller brugt")
    accessible(page)


def test_lockout_after_repeated_failures(page: Page, live_app: tuple[Flask, str]) -> None:
    app, base = live_app
    create(app, "laas@herning.dk", "caseworker")
    for _ in range(10):
        log_in(page, base, "laas@herning.dk", "forkert adgangskode")
    expect(page.locator("[data-module=error-summary]")).to_contain_text(
        "Kontoen er låst i 15 minutter")
    expect(page.locator("[data-module=error-summary]")).to_be_focused()
    accessible(page)


def test_copied_cookie_stops_working_after_deactivation(page: Page, browser: Browser,
                                                        live_app: tuple[Flask, str]) -> None:
    app, base = live_app
    one_time = create(app, "udbyder@example.dk", "provider")
    log_in(page, base, "udbyder@example.dk", one_time)
    page.get_by_label("Nuværende adgangskode").fill(one_time)
    page.get_by_label("Ny adgangskode", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Gentag den nye adgangskode").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Skift adgangskode").click()
    page.goto(base + "/konto")
    expect(page.locator("h1")).to_have_text("Log ind i to trin")  # providers too, first
    thief = browser.new_context()
    thief.add_cookies(page.context.cookies())
    stolen = thief.new_page()
    stolen.goto(base + "/konto")
    expect(stolen.locator("h1")).to_have_text("Log ind i to trin")  # the copy works
    set_active(app, "udbyder@example.dk", False)
    stolen.goto(base + "/konto")
    expect(stolen.locator("h1")).to_have_text("Log ind for medarbejdere")
    page.goto(base + "/konto")
    expect(page.locator("h1")).to_have_text("Log ind for medarbejdere")
    assert re.search(r"/log-ind", page.url)
    thief.close()
