"""The citizen's hand-off to their caseworker (issue 13 part 4), through the Flask test client.

The citizen consents and gets a code (never in an address); the caseworker types it however
it was noted down and gets exactly the citizen's answers in a client record, once. Unknown,
expired and used codes say so; malformed codes and labels are refused with our own words and
change nothing; 1,000 guessed codes meet the rate limit; no log line holds a code or answer.
"""

from __future__ import annotations

import html
import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matcher.data import handoff
from matcher.data import models as m
from matcher.data.db import get_session
from tests.web.journey_cookie import give
from tests.web.staff_helpers import StaffUser, events, login, make_user

ANSWERS: dict[str, Any] = {
    "status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
    "education_level": "grundskole", "has_eud": False, "education_outdated": False,
    "occupations": [{"code": "lagermedarbejder", "years": 5}], "skills": ["lagerstyring"],
    "postcode": "7500", "max_distance_km": 50, "schedule": ["day", "evening"],
    "start_within_weeks": 26}
CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2})\b")
SHAPE = "En kode har 10 tegn, fx ABCD-EFGH-JK. Tjek, at den er skrevet rigtigt."


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def handoff_rows(app: Flask) -> list[m.HandoffCode]:
    with app.app_context():
        return list(get_session().scalars(select(m.HandoffCode).order_by(m.HandoffCode.id)))


def client_rows(app: Flask) -> list[m.Client]:
    with app.app_context():
        return list(get_session().scalars(select(m.Client).order_by(m.Client.id)))


def make_code(citizen: FlaskClient, answers: dict[str, Any] | None = None) -> str:
    """The citizen's way: answers in the browser, consent, the code page after the redirect."""
    give(citizen, ANSWERS if answers is None else answers)
    response = citizen.post("/del-med-sagsbehandler", data={"consent": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/del-med-sagsbehandler/kode"
    page = citizen.get(response.headers["Location"])
    assert page.status_code == 200
    found = CODE.search(text(page))
    assert found, text(page)
    return found.group(1)


def caseworker(app: Flask, email: str = "sag@herning.dk") -> tuple[FlaskClient, StaffUser]:
    user = make_user(app, email, "caseworker")
    browser = app.test_client()
    login(browser, user)
    return browser, user


def fetch(browser: FlaskClient, code: str, **fields: str) -> Any:
    return browser.post("/sagsbehandler/hent-svar",
                        data={"code": code, "target": "new", "label": "Anna H.", **fields})


def expire_all(app: Flask, *, days_ago: int = 1) -> datetime:
    """Every code made so far expired days_ago days ago (as if made 14 + days_ago ago)."""
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)
    with app.app_context():
        session = get_session()
        for row in session.scalars(select(m.HandoffCode)):
            row.expires_at = moment
        session.commit()
    return moment


# --- the citizen ------------------------------------------------------------------------------

def test_the_results_page_offers_to_share_with_the_caseworker(client_loaded: FlaskClient) -> None:
    give(client_loaded, ANSWERS)
    page = text(client_loaded.get("/resultater"))
    assert 'href="/del-med-sagsbehandler"' in page and "Del med min sagsbehandler" in page


def test_the_consent_page_says_what_with_whom_how_long_and_that_it_is_voluntary(
        client_loaded: FlaskClient) -> None:
    give(client_loaded, ANSWERS)
    response = client_loaded.get("/del-med-sagsbehandler")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = text(response)
    for said in ("Hvad bliver delt?", "Dine svar på spørgsmålene", "Ikke dit navn",
                 "Kun den sagsbehandler, du giver koden til",
                 "Koden virker i 14 dage og kun én gang", "Det er frivilligt",
                 "Jeg giver samtykke til", 'type="checkbox" id="consent" name="consent"'):
        assert said in page, said
    assert 'checked' not in page.split('id="consent"')[1].split(">")[0]  # never ticked for them


def test_in_english_too(client_loaded: FlaskClient) -> None:
    give(client_loaded, ANSWERS)
    client_loaded.set_cookie("sprog", "en")
    page = text(client_loaded.get("/del-med-sagsbehandler"))
    assert "Share your answers with your caseworker" in page and "I consent" in page
    code = make_code(client_loaded)
    page = text(client_loaded.get("/del-med-sagsbehandler/kode"))
    assert code in page and "The code works until" in page and " at " in page


@pytest.mark.parametrize("form", [{}, {"consent": ""}, {"consent": "false"}])
def test_without_consent_nothing_is_stored(app_loaded: Flask, client_loaded: FlaskClient,
                                           form: dict[str, str]) -> None:
    give(client_loaded, ANSWERS)
    response = client_loaded.post("/del-med-sagsbehandler", data=form)
    assert response.status_code == 400
    page = text(response)
    assert "Sæt kryds, hvis du vil dele dine svar. Uden dit samtykke gemmer vi ingenting." in page
    assert 'data-module="error-summary"' in page and 'href="#consent"' in page
    assert 'aria-invalid="true"' in page
    assert handoff_rows(app_loaded) == []
    assert client_loaded.get_cookie("kl_kode", path="/del-med-sagsbehandler") is None


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_without_answers_the_citizen_is_sent_to_the_start(app_loaded: Flask,
                                                          client_loaded: FlaskClient,
                                                          method: str) -> None:
    response = client_loaded.open("/del-med-sagsbehandler", method=method,
                                  data={"consent": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/start"
    assert handoff_rows(app_loaded) == []


def test_the_code_is_shown_after_the_redirect_and_never_in_an_address(
        app_loaded: Flask, client_loaded: FlaskClient) -> None:
    give(client_loaded, ANSWERS)
    response = client_loaded.post("/del-med-sagsbehandler", data={"consent": "y"})
    assert response.status_code == 303 and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Location"] == "/del-med-sagsbehandler/kode"
    cookie = client_loaded.get_cookie("kl_kode", path="/del-med-sagsbehandler")
    assert cookie is not None and cookie.http_only and cookie.path == "/del-med-sagsbehandler"
    page = client_loaded.get("/del-med-sagsbehandler/kode")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    shown = text(page)
    code = CODE.search(shown)
    assert code
    bare = code.group(1).replace("-", "")
    assert bare not in cookie.value and code.group(1) not in cookie.value  # encrypted
    (row,) = handoff_rows(app_loaded)
    assert row.code_hash != bare and bare not in (row.payload or "")
    # The expiry, 14 days on, in Danish local time; the print button; how to hand it over.
    expires = handoff._utc(row.expires_at)
    assert timedelta(days=14) - timedelta(minutes=1) < expires - datetime.now(UTC) \
        <= timedelta(days=14)
    assert f"Koden virker til {danish(expires)} og kun én gang." in shown
    assert "data-print" in shown and "Sådan giver du koden videre" in shown
    # A reload shows it again; another browser (no cookie) is sent to the consent page.
    assert code.group(1) in text(client_loaded.get("/del-med-sagsbehandler/kode"))
    other = app_loaded.test_client()
    assert other.get("/del-med-sagsbehandler/kode").headers["Location"] == \
        "/del-med-sagsbehandler"


MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")


def danish(moment: datetime) -> str:
    """A moment as the pages write it in Danish: "15. december 2026 kl. 09.05", local time."""
    local = moment.astimezone(ZoneInfo("Europe/Copenhagen"))
    return f"{local.day}. {MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


@pytest.mark.parametrize("value", ["x", "gAAAAA" + "A" * 100, "A" * 3000, "%00", ""])
def test_a_forged_code_cookie_shows_no_code(client_loaded: FlaskClient, value: str) -> None:
    client_loaded.set_cookie("kl_kode", value, path="/del-med-sagsbehandler")
    response = client_loaded.get("/del-med-sagsbehandler/kode")
    assert response.status_code == 303 and response.headers["Location"] == "/del-med-sagsbehandler"


def test_the_code_page_is_gone_after_an_hour(app_loaded: Flask, client_loaded: FlaskClient,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    make_code(client_loaded)
    import time

    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)  # Fernet's ttl reads time.time()
    response = client_loaded.get("/del-med-sagsbehandler/kode")
    assert response.status_code == 303


def test_the_privacy_page_says_what_the_hand_off_keeps_and_how_long(
        client_loaded: FlaskClient) -> None:
    page = text(client_loaded.get("/privatliv"))
    assert "Hvis du deler dine svar med din sagsbehandler" in page
    assert "Koden virker i 14 dage og kun én gang" in page
    assert "kun et kryptografisk fingeraftryk" in page and "kl_kode" in page
    assert "slettes 365 dage efter sagsbehandlerens seneste ændring" in page


# --- the caseworker ---------------------------------------------------------------------------

def test_the_caseworker_imports_exactly_the_citizens_answers_into_a_new_client(
        app_loaded: Flask, client_loaded: FlaskClient) -> None:
    code = make_code(client_loaded)
    browser, user = caseworker(app_loaded)
    form = browser.get("/sagsbehandler/hent-svar")
    assert form.status_code == 200 and "Borgerens kode" in text(form)
    response = fetch(browser, code)
    assert response.status_code == 303
    (client,) = client_rows(app_loaded)
    assert response.headers["Location"] == f"/sagsbehandler/klienter/{client.id}"
    assert client.profile == ANSWERS and client.label == "Anna H." and client.owner_id == user.id
    (row,) = handoff_rows(app_loaded)
    assert row.payload is None and row.used_by_id == user.id and row.client_id == client.id
    assert row.used_at is not None
    (event,) = events(app_loaded, "client_handoff_imported")
    assert event.subject == f"client/{client.id}" and event.actor_id == user.id
    assert event.detail["into"] == "new" and code not in json.dumps(event.detail)
    landed = browser.get(response.headers["Location"])
    assert landed.status_code == 200
    assert "Borgerens svar er hentet ind i klientsagen." in text(landed)


@pytest.mark.parametrize("typed", ["{lower}", "{bare}", " {code} ", "{spaced}", "{dotted}"])
def test_the_code_is_found_however_it_was_noted_down(app_loaded: Flask,
                                                     client_loaded: FlaskClient,
                                                     typed: str) -> None:
    code = make_code(client_loaded)
    browser, _ = caseworker(app_loaded)
    bare = code.replace("-", "")
    response = fetch(browser, typed.format(code=code, lower=code.lower(), bare=bare,
                                           spaced=" ".join(bare), dotted=code.replace("-", ".")))
    assert response.status_code == 303
    assert client_rows(app_loaded)[0].profile == ANSWERS


MALFORMED = [
    ("", "Skriv koden, som borgeren har givet dig."),
    ("   ", "Skriv koden, som borgeren har givet dig."),
    ("ABCD-EFGH-J", SHAPE),  # one short
    ("ABCD-EFGH-JKM", SHAPE),  # one too many
    ("ABCD-EFGH-J0", SHAPE),  # 0, O, 1, I and L are never in a code
    ("ABCD-EFGO-JK", SHAPE),
    ("1BCD-EFGH-JK", SHAPE),
    ("ABCD-EFGH-JI", SHAPE),
    ("ABCL-EFGH-JK", SHAPE),
    ("ABCD_EFGH_JK", SHAPE),
    ("ÆØÅB-EFGH-JK", SHAPE),
    ("ＡＢＣＤ-ＥＦＧＨ-ＪＫ", SHAPE),  # full-width letters
    ("' OR 1=1 --", SHAPE),
    ("<script>alert(1)</script>", SHAPE),
    ("ABCD-EFGH-JK\x00", SHAPE),
    ("A" * 41, SHAPE),
    ("A" * 5000, SHAPE),
    ("010203-1234", SHAPE),  # a CPR number typed in the code field
]


@pytest.mark.parametrize(("typed", "message"), MALFORMED,
                         ids=[f"malformed-{n}" for n in range(len(MALFORMED))])
def test_malformed_codes_get_a_specific_message_and_change_nothing(
        app_loaded: Flask, client_loaded: FlaskClient, typed: str, message: str) -> None:
    code = make_code(client_loaded)
    browser, _ = caseworker(app_loaded)
    response = fetch(browser, typed)
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'href="#code"' in page and 'aria-invalid="true"' in page
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert client_rows(app_loaded) == []
    (row,) = handoff_rows(app_loaded)
    assert row.used_at is None and row.payload is not None
    assert fetch(browser, code).status_code == 303  # the real code still works


def test_an_unknown_code_is_told_apart(app_loaded: Flask, client_loaded: FlaskClient) -> None:
    make_code(client_loaded)
    browser, user = caseworker(app_loaded)
    response = fetch(browser, "ABCD-EFGH-JK")
    assert response.status_code == 400
    assert "Koden findes ikke. Tjek, at den er skrevet rigtigt." in text(response)
    assert client_rows(app_loaded) == []
    (event,) = events(app_loaded, "handoff_refused")
    assert event.detail == {"reason": "unknown"} and event.actor_id == user.id


def test_an_expired_code_says_when_it_expired(app_loaded: Flask,
                                              client_loaded: FlaskClient) -> None:
    code = make_code(client_loaded)
    moment = expire_all(app_loaded, days_ago=3)
    browser, _ = caseworker(app_loaded)
    response = fetch(browser, code)
    assert response.status_code == 400
    assert f"Koden er udløbet den {danish(moment)}. Bed borgeren om at lave en ny kode." \
        in text(response)
    assert client_rows(app_loaded) == []
    assert handoff_rows(app_loaded)[0].used_at is None
    assert events(app_loaded, "handoff_refused")[0].detail == {"reason": "expired"}


def test_a_used_code_says_so_and_gives_nothing_twice(app_loaded: Flask,
                                                     client_loaded: FlaskClient) -> None:
    code = make_code(client_loaded)
    browser, _ = caseworker(app_loaded)
    assert fetch(browser, code).status_code == 303
    other, _ = caseworker(app_loaded, "sag.b@herning.dk")
    for who in (browser, other):
        response = fetch(who, code, label="Igen")
        assert response.status_code == 400
        assert "Koden er allerede brugt. En kode virker kun én gang." in text(response)
    assert len(client_rows(app_loaded)) == 1


def test_messages_in_english(app_loaded: Flask, client_loaded: FlaskClient) -> None:
    code = make_code(client_loaded)
    browser, _ = caseworker(app_loaded)
    browser.set_cookie("sprog", "en")
    assert "The code does not exist." in text(fetch(browser, "ABCD-EFGH-JK"))
    assert fetch(browser, code).status_code == 303
    assert "The code has already been used." in text(fetch(browser, code))
    late = make_code(client_loaded)
    expire_all(app_loaded)
    assert "The code expired on " in text(fetch(browser, late))


LABELS = [
    ("", "Skriv et navn eller initialer, som du kan kende klienten på."),
    ("   ", "Skriv et navn eller initialer, som du kan kende klienten på."),
    ("010203-1234", "Navnet ligner et CPR-nummer."),
    ("Anna 0102031234", "Navnet ligner et CPR-nummer."),
    ("Anna 01.02.03 1234", "Navnet ligner et CPR-nummer."),
    ("x" * 81, "Skriv højst 80 tegn i navnet."),
    ("Anna\x07", "Navnet indeholder tegn, der ikke kan gemmes."),
]


@pytest.mark.parametrize(("label", "message"), LABELS,
                         ids=[f"label-{n}" for n in range(len(LABELS))])
def test_a_new_client_needs_a_label_that_is_no_cpr_number(
        app_loaded: Flask, client_loaded: FlaskClient, label: str, message: str) -> None:
    code = make_code(client_loaded)
    browser, _ = caseworker(app_loaded)
    response = fetch(browser, code, label=label)
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'href="#label"' in page
    assert client_rows(app_loaded) == []
    assert handoff_rows(app_loaded)[0].used_at is None  # the code still works
    assert "1234" not in json.dumps([e.detail for e in events(app_loaded, "handoff_refused")])


def make_client(app: Flask, owner: StaffUser, label: str = "Bo K.") -> int:
    with app.app_context():
        session = get_session()
        row = m.Client(owner_id=owner.id, label=label, profile={"age": 60, "postcode": "7400"},
                       notes="Ringer tirsdag", retain_until=datetime.now(UTC).date())
        session.add(row)
        session.commit()
        return row.id


def test_into_an_existing_client_after_a_confirmation(app_loaded: Flask,
                                                      client_loaded: FlaskClient) -> None:
    code = make_code(client_loaded)
    browser, user = caseworker(app_loaded)
    client_id = make_client(app_loaded, user)
    form = text(browser.get("/sagsbehandler/hent-svar"))
    assert "En af mine klienter" in form and "Bo K." in form
    asked = browser.post("/sagsbehandler/hent-svar",
                         data={"code": code.lower(), "target": "existing",
                               "client": str(client_id)})
    assert asked.status_code == 200
    page = text(asked)
    assert "Erstat klientens profil?" in page and "Bo K." in page
    assert 'name="confirmed" value="y"' in page
    (row,) = handoff_rows(app_loaded)
    assert row.used_at is None  # asking changes nothing
    assert client_rows(app_loaded)[0].profile == {"age": 60, "postcode": "7400"}
    done = browser.post("/sagsbehandler/hent-svar",
                        data={"code": code.lower(), "target": "existing",
                              "client": str(client_id), "confirmed": "y"})
    assert done.status_code == 303
    assert done.headers["Location"] == f"/sagsbehandler/klienter/{client_id}"
    (client,) = client_rows(app_loaded)
    assert client.profile == ANSWERS and client.notes == "Ringer tirsdag"
    (event,) = events(app_loaded, "client_handoff_imported")
    assert event.detail["into"] == "existing" and event.subject == f"client/{client_id}"


def test_the_confirmation_first_says_if_the_code_gives_nothing(
        app_loaded: Flask, client_loaded: FlaskClient) -> None:
    make_code(client_loaded)
    browser, user = caseworker(app_loaded)
    client_id = make_client(app_loaded, user)
    response = browser.post("/sagsbehandler/hent-svar",
                            data={"code": "ABCD-EFGH-JK", "target": "existing",
                                  "client": str(client_id)})
    assert response.status_code == 400 and "Koden findes ikke." in text(response)


@pytest.mark.parametrize("chosen", ["other", "", "abc", "-1", "99999999", "1" * 30])
def test_only_ones_own_clients_can_receive_answers(app_loaded: Flask,
                                                   client_loaded: FlaskClient,
                                                   chosen: str) -> None:
    code = make_code(client_loaded)
    browser, _ = caseworker(app_loaded)
    someone = make_user(app_loaded, "anden@herning.dk", "caseworker")
    theirs = make_client(app_loaded, someone, "Ikke din")
    response = browser.post("/sagsbehandler/hent-svar", data={
        "code": code, "target": "existing", "confirmed": "y",
        "client": str(theirs) if chosen == "other" else chosen})
    assert response.status_code == 400
    assert "Vælg en af dine klienter på listen." in text(response)
    assert "Ikke din" not in text(response)
    assert handoff_rows(app_loaded)[0].used_at is None
    assert client_rows(app_loaded)[0].profile == {"age": 60, "postcode": "7400"}


@pytest.mark.parametrize("target", ["", "both", "existing; DROP TABLE client"])
def test_an_unknown_target_is_refused_in_our_words(app_loaded: Flask,
                                                   client_loaded: FlaskClient,
                                                   target: str) -> None:
    code = make_code(client_loaded)
    browser, _ = caseworker(app_loaded)
    response = fetch(browser, code, target=target)
    assert response.status_code == 400
    assert "Vælg, hvor svarene skal hen." in text(response)
    assert "Not a valid choice" not in text(response)
    assert handoff_rows(app_loaded)[0].used_at is None


def test_answers_the_site_would_never_write_are_dropped_on_import(
        app_loaded: Flask, client_loaded: FlaskClient) -> None:
    """The payload is read as carefully as the cookie: only well-formed known answers stay."""
    with app_loaded.app_context():
        session = get_session()
        made = handoff.create(session, {**ANSWERS, "status": "boss", "extra": "<b>",
                                        "skills": ["lagerstyring", 5]},
                              datetime.now(UTC), 14, handoff.handoff_key(app_loaded.config))
        session.commit()
    browser, _ = caseworker(app_loaded)
    assert fetch(browser, made.code).status_code == 303
    profile = client_rows(app_loaded)[0].profile
    assert "status" not in profile and "extra" not in profile
    assert profile["skills"] == ["lagerstyring"]


def test_answers_holding_a_cpr_number_are_not_imported_and_the_code_stays(
        app_loaded: Flask, client_loaded: FlaskClient) -> None:
    """A citizen who typed a CPR number where a skill goes: no client record keeps it."""
    code = make_code(client_loaded, {**ANSWERS, "skills": ["010203-1234"]})
    browser, _ = caseworker(app_loaded)
    response = fetch(browser, code)
    assert response.status_code == 400
    assert "Svarene bag koden kan ikke gemmes i en klientsag." in text(response)
    assert client_rows(app_loaded) == []
    (row,) = handoff_rows(app_loaded)
    assert row.used_at is None and row.payload is not None
    assert events(app_loaded, "client_handoff_imported") == []


# --- the rate limit and the logs --------------------------------------------------------------

def test_a_thousand_guessed_codes_meet_the_rate_limit(app_loaded: Flask,
                                                      client_loaded: FlaskClient) -> None:
    real = make_code(client_loaded)
    app_loaded.config["HANDOFF_RATE_LIMIT"] = "10 per minute"
    browser, _ = caseworker(app_loaded)
    statuses = []
    for number in range(1000):
        guess = handoff.grouped("".join(handoff.ALPHABET[(number * 7 + i) % 31]
                                        for i in range(10)))
        assert guess != real
        statuses.append(fetch(browser, guess).status_code)
    assert statuses[:10] == [400] * 10  # told "Koden findes ikke"
    assert statuses[10:] == [429] * 990
    refused = fetch(browser, real)
    assert refused.status_code == 429 and refused.headers.get("Retry-After")
    assert "For mange forespørgsler" in text(refused)
    assert handoff_rows(app_loaded)[0].used_at is None
    assert len(events(app_loaded, "handoff_refused")) == 10  # the refused never reached it


def test_the_limit_holds_an_account_that_changes_address(app_loaded: Flask,
                                                         client_loaded: FlaskClient) -> None:
    make_code(client_loaded)
    app_loaded.config["HANDOFF_RATE_LIMIT"] = "10 per minute"
    browser, _ = caseworker(app_loaded)
    statuses = [browser.post("/sagsbehandler/hent-svar",
                             data={"code": "ABCD-EFGH-JK", "target": "new", "label": "A"},
                             environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"}).status_code
                for n in range(12)]
    assert statuses == [400] * 10 + [429] * 2
    # A colleague at another address is still served.
    colleague, _ = caseworker(app_loaded, "kollega@herning.dk")
    assert colleague.post("/sagsbehandler/hent-svar", data={"code": "ABCD-EFGH-JK"},
                          environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 400


def test_the_limit_holds_an_address_whatever_the_account(app_loaded: Flask) -> None:
    app_loaded.config["HANDOFF_RATE_LIMIT"] = "3 per minute"
    statuses = []
    for n in range(2):
        browser, _ = caseworker(app_loaded, f"sag{n}@herning.dk")
        statuses += [browser.post("/sagsbehandler/hent-svar", data={"code": "ABCD-EFGH-JK"},
                                  environ_base={"REMOTE_ADDR": "192.0.2.50"}).status_code
                     for _ in range(2)]
    assert statuses == [400, 400, 400, 429]


def test_the_consent_post_is_limited_per_address(app_loaded: Flask,
                                                 client_loaded: FlaskClient) -> None:
    app_loaded.config["CITIZEN_RATE_LIMIT"] = "2 per minute"
    give(client_loaded, ANSWERS)
    statuses = [client_loaded.post("/del-med-sagsbehandler", data={"consent": "y"}).status_code
                for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert len(handoff_rows(app_loaded)) == 2


def test_no_log_line_holds_the_code_or_the_answers(app_loaded: Flask,
                                                   client_loaded: FlaskClient,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    code = make_code(client_loaded)
    browser, _ = caseworker(app_loaded)
    fetch(browser, code.lower())
    fetch(browser, code)  # used
    fetch(browser, "ABCD-EFGH-JK")  # unknown
    bare = code.replace("-", "")
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, 'exc_text', '')}"
                       for r in caplog.records)
    for secret in (code, bare, bare.lower(), "7500", "lagermedarbejder", "lagerstyring",
                   "ABCD-EFGH-JK"):
        assert secret not in logged, secret
    with app_loaded.app_context():
        audit = json.dumps([e.detail for e in get_session().scalars(select(m.AuditEvent))])
    assert bare not in audit and code not in audit and "7500" not in audit


def test_only_caseworkers_reach_the_lookup(app_loaded: Flask) -> None:
    anonymous = app_loaded.test_client()
    response = anonymous.post("/sagsbehandler/hent-svar", data={"code": "ABCD-EFGH-JK"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/log-ind")
    admin = make_user(app_loaded, "chef@herning.dk", "admin")
    browser = app_loaded.test_client()
    login(browser, admin)
    assert browser.post("/sagsbehandler/hent-svar",
                        data={"code": "ABCD-EFGH-JK"}).status_code == 403
    with app_loaded.app_context():
        assert get_session().scalar(select(func.count()).select_from(m.AuditEvent).where(
            m.AuditEvent.action == "handoff_refused")) == 0
