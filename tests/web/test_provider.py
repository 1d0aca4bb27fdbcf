"""The providers' area through the test client: forms, messages, conflicts, IDOR, audit."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from matcher.data import models as m
from matcher.data.db import get_session
from tests.web.staff_helpers import StaffUser, login, make_user

TODAY = date(2026, 12, 1)  # app_loaded's day
COURSE = {"title_da": "Gaffeltruck for øvede", "kind": "amu", "duration_days": "2,5",
          "price_dkk": "2500", "language": "da", "delivery": "presence", "schedule": "day",
          "url": "https://kursus.example.dk/truck", "skills": "truckcertifikat_b",
          "occupations": "lagermedarbejder", "action": "save"}


@pytest.fixture
def provider_a(app_loaded: Flask) -> StaffUser:
    return make_user(app_loaded, "a@example.dk", "provider", provider="p_herning")


@pytest.fixture
def client_a(app_loaded: Flask, provider_a: StaffUser) -> FlaskClient:
    client = app_loaded.test_client()
    login(client, provider_a)
    return client


def course_row(app: Flask, code: str) -> m.Course:
    with app.app_context():
        row = get_session().get(m.Course, code)
        assert row is not None
        return row


def test_the_list_shows_own_courses_with_what_to_fix(client_a: FlaskClient) -> None:
    page = client_a.get("/udbyder/").get_data(as_text=True)
    assert "Truckcertifikat B" in page and "MAG-svejsning" in page
    assert "Akademimodul: Lagerstyring" not in page  # p_aarhus's
    assert "Ikke bekræftet i 90 dage." in page


def test_a_course_is_created_with_its_lists_and_shown(app_loaded: Flask,
                                                      client_a: FlaskClient) -> None:
    response = client_a.post("/udbyder/kurser/nyt", data=COURSE)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == "/udbyder/kurser/p_herning-gaffeltruck-for-oevede"
    row = course_row(app_loaded, "p_herning-gaffeltruck-for-oevede")
    assert row.provider_code == "p_herning" and row.duration_days == 2.5 and row.provider_owned
    assert row.official_code is None  # never invented
    page = client_a.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kurset er gemt" in page and "Truckcertifikat B" in page


def test_a_posted_provider_code_is_ignored(app_loaded: Flask, client_a: FlaskClient) -> None:
    response = client_a.post("/udbyder/kurser/nyt", data={**COURSE, "provider_code": "p_aarhus"})
    assert response.status_code == 303
    assert course_row(app_loaded, "p_herning-gaffeltruck-for-oevede").provider_code == "p_herning"


def test_search_and_pick_without_javascript(client_a: FlaskClient) -> None:
    data = {**COURSE, "skills": [], "action": "search:skills", "skills-query": "truck"}
    page = client_a.post("/udbyder/kurser/nyt", data=data).get_data(as_text=True)
    assert 'name="skills-pick" value="truckcertifikat_b"' in page
    assert 'value="Gaffeltruck for øvede"' in page  # what was typed stays
    data = {**data, "action": "add:skills", "skills-pick": "truckcertifikat_b"}
    page = client_a.post("/udbyder/kurser/nyt", data=data).get_data(as_text=True)
    assert '<input type="hidden" name="skills" value="truckcertifikat_b">' in page
    data = {**data, "skills": "truckcertifikat_b", "action": "remove:skills=truckcertifikat_b"}
    page = client_a.post("/udbyder/kurser/nyt", data=data).get_data(as_text=True)
    assert 'name="skills" value="truckcertifikat_b"' not in page


MALFORMED = [
    ("title_da", "", "Skriv kursets titel."),
    ("title_da", "x" * 301, "Titlen må højst have 300 tegn."),
    ("title_da", "Truck <script>alert(1)</script>", "Titlen må ikke indeholde HTML, fx &lt; og &gt;."),
    ("title_en", "<b>Truck</b>", "Den engelske titel må ikke indeholde HTML, fx &lt; og &gt;."),
    ("description_da", "a" * 4001, "Beskrivelsen må højst have 4000 tegn."),
    ("description_da", "Se &lt;her&gt; <a href=x>link</a>",
     "Beskrivelsen må ikke indeholde HTML, fx &lt; og &gt;."),
    ("kind", "rocket", "Vælg kursets type på listen."),
    ("official_code", "AMU 1234!",
     "Den officielle kode må kun have bogstaver, tal og bindestreg (højst 40 tegn)."),
    ("duration_days", "", "Skriv kursets varighed i dage, fx 5."),
    ("duration_days", "fem", "Skriv varigheden som et tal, fx 5 eller 2,5."),
    ("duration_days", "0", "Varigheden skal være mellem 0,5 og 2000 dage."),
    ("hours", "-1", "Timetallet skal være mellem 0 og 20000."),
    ("price_dkk", "-100", "Prisen skal være mellem 0 og 1.000.000 kr."),
    ("price_dkk", "4.500", "Skriv prisen i hele kroner uden punktum, fx 4500."),
    ("fee_target_group_dkk", "-1", "Deltagerbetalingen skal være mellem 0 og 1.000.000 kr."),
    ("min_education_level", "astronaut", "Vælg uddannelsesniveauet på listen."),
    ("language", "klingon", "Vælg undervisningssproget på listen."),
    ("delivery", "by-post", "Vælg undervisningsformen på listen."),
    ("schedule", "night", "Vælg tidspunktet på listen."),
    ("url", "javascript:alert(1)", "Linket skal begynde med http:// eller https://"),
    ("url", "ftp://example.dk/x", "Linket skal begynde med http:// eller https://"),
    ("url", "https://" + "a" * 500 + ".dk", "Linket må højst have 500 tegn."),
    ("skills", "no_such_skill", "Vælg kompetencerne blandt forslagene."),
    ("occupations", "no_such_job", "Vælg jobbene blandt forslagene."),
]


@pytest.mark.parametrize(("name", "value", "message"), MALFORMED)
def test_a_malformed_course_gets_its_message_and_writes_nothing(
        app_loaded: Flask, client_a: FlaskClient, name: str, value: str, message: str) -> None:
    with app_loaded.app_context():
        before = get_session().scalar(select(m.CatalogState.version))
    response = client_a.post("/udbyder/kurser/nyt", data={**COURSE, name: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app_loaded.app_context():
        assert get_session().get(m.Course, "p_herning-gaffeltruck-for-oevede") is None
        assert get_session().scalar(select(m.CatalogState.version)) == before


def edit_form(client: FlaskClient, code: str) -> dict[str, object]:
    page = client.get(f"/udbyder/kurser/{code}/rediger").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    return {**COURSE, "version": version.group(1)}


def test_two_clients_editing_the_same_course_the_second_gets_a_conflict(
        app_loaded: Flask, client_a: FlaskClient) -> None:
    """Two people of the same provider, each in a browser of their own."""
    other = app_loaded.test_client()
    login(other, make_user(app_loaded, "a2@example.dk", "provider", provider="p_herning"))
    first, second = edit_form(client_a, "c_truck"), edit_form(other, "c_truck")
    assert client_a.post("/udbyder/kurser/c_truck/rediger",
                         data={**first, "title_da": "Truck A"}).status_code == 303
    response = other.post("/udbyder/kurser/c_truck/rediger",
                          data={**second, "title_da": "Truck B", "price_dkk": "7777"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Ændret af en anden i mellemtiden" in page
    assert 'value="Truck B"' in page and 'value="7777"' in page  # what B typed is kept
    assert "Truck A" in page and "a@example.dk" in page  # what changed, and who
    assert course_row(app_loaded, "c_truck").title_da == "Truck A"
    # Saving again from the conflict page is a deliberate overwrite of the new version.
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version and version.group(1) == "2"
    assert other.post("/udbyder/kurser/c_truck/rediger",
                      data={**second, "title_da": "Truck B", "version": "2"}).status_code == 303
    assert course_row(app_loaded, "c_truck").title_da == "Truck B"


def test_a_tampered_version_is_a_conflict_not_an_error(client_a: FlaskClient) -> None:
    response = client_a.post("/udbyder/kurser/c_truck/rediger", data={**COURSE, "version": "x"})
    assert response.status_code == 409


def test_archive_confirm_and_restore(app_loaded: Flask, client_a: FlaskClient) -> None:
    assert client_a.post("/udbyder/kurser/c_truck/bekraeft").status_code == 303
    assert course_row(app_loaded, "c_truck").confirmed_at is not None
    assert client_a.post("/udbyder/kurser/c_truck/arkiver").status_code == 303
    assert course_row(app_loaded, "c_truck").archived_at is not None
    page = client_a.get("/udbyder/").get_data(as_text=True)
    assert "Arkiverede kurser" in page
    assert client_a.get("/kurser/c_truck").status_code == 404  # gone from the public pages
    assert client_a.post("/udbyder/kurser/c_truck/genopret").status_code == 303
    assert course_row(app_loaded, "c_truck").archived_at is None
    assert client_a.get("/kurser/c_truck").status_code == 200


def session_id(app: Flask, course: str) -> int:
    with app.app_context():
        found = get_session().scalar(select(m.CourseSession.id)
                                     .where(m.CourseSession.course_code == course)
                                     .order_by(m.CourseSession.id))
        assert found is not None
        return found


SESSION = {"start_date": (TODAY + timedelta(days=40)).isoformat(),
           "end_date": (TODAY + timedelta(days=44)).isoformat(), "postcode": "7400",
           "seats": "12", "status": "open", "time_of_day": "evening"}


def test_a_session_is_added_edited_and_cancelled(app_loaded: Flask,
                                                 client_a: FlaskClient) -> None:
    assert client_a.post("/udbyder/kurser/c_svejs/hold/nyt", data=SESSION).status_code == 303
    with app_loaded.app_context():
        row = get_session().scalar(select(m.CourseSession).where(
            m.CourseSession.course_code == "c_svejs",
            m.CourseSession.start_date == TODAY + timedelta(days=40)))
        assert row is not None and row.seats == 12 and row.time_of_day == "evening"
        new_id = row.id
    url = f"/udbyder/kurser/c_svejs/hold/{new_id}"
    page = client_a.get(url).get_data(as_text=True)
    assert f'value="{SESSION["start_date"]}"' in page
    assert client_a.post(url, data={**SESSION, "seats": "8", "version": "1"}).status_code == 303
    assert client_a.post(url, data={**SESSION, "seats": "9", "version": "1"}).status_code == 409
    assert client_a.post(url + "/aflys").status_code == 303
    with app_loaded.app_context():
        row = get_session().get(m.CourseSession, new_id)
        assert row is not None and row.status == "cancelled" and row.seats == 8


SESSION_MALFORMED = [
    ("start_date", "", "Skriv holdets startdato."),
    ("start_date", "31-02-2027", "Skriv startdatoen som en dato, fx 2027-03-01."),
    ("start_date", (TODAY - timedelta(days=1)).isoformat(), "Et nyt hold kan ikke starte før i dag."),
    ("end_date", "", "Skriv holdets slutdato."),
    ("end_date", "i morgen", "Skriv slutdatoen som en dato, fx 2027-03-05."),
    ("end_date", (TODAY + timedelta(days=39)).isoformat(), "Slutdatoen må ikke ligge før startdatoen."),
    ("postcode", "74000", "Et postnummer har 4 cifre, fx 7400."),
    ("postcode", "9999", "Vi kender ikke postnummeret. Skriv et dansk postnummer, fx 7400."),
    ("seats", "-1", "Antal pladser skal være mellem 0 og 10000."),
    ("seats", "tolv", "Skriv antal pladser som et helt tal, fx 12."),
    ("status", "maybe", "Vælg holdets status."),
    ("time_of_day", "night", "Vælg tidspunktet på listen."),
]


@pytest.mark.parametrize(("name", "value", "message"), SESSION_MALFORMED)
def test_a_malformed_session_gets_its_message_and_writes_nothing(
        app_loaded: Flask, client_a: FlaskClient, name: str, value: str, message: str) -> None:
    with app_loaded.app_context():
        before = get_session().scalar(select(m.CatalogState.version))
    response = client_a.post("/udbyder/kurser/c_svejs/hold/nyt", data={**SESSION, name: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app_loaded.app_context():
        assert get_session().scalar(select(m.CatalogState.version)) == before
        assert len(list(get_session().scalars(select(m.CourseSession).where(
            m.CourseSession.course_code == "c_svejs")))) == 1


def test_the_english_messages(client_a: FlaskClient) -> None:
    client_a.post("/sprog", data={"lang": "en", "next": "/udbyder/"})
    page = client_a.post("/udbyder/kurser/nyt", data={**COURSE, "price_dkk": "-1"}
                         ).get_data(as_text=True)
    assert "The price must be between 0 and 1,000,000 DKK." in page


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/udbyder/kurser/c_lager"),
    ("GET", "/udbyder/kurser/c_lager/rediger"),
    ("POST", "/udbyder/kurser/c_lager/rediger"),
    ("POST", "/udbyder/kurser/c_lager/arkiver"),
    ("POST", "/udbyder/kurser/c_lager/genopret"),
    ("POST", "/udbyder/kurser/c_lager/bekraeft"),
    ("GET", "/udbyder/kurser/c_lager/hold/nyt"),
    ("POST", "/udbyder/kurser/c_lager/hold/nyt"),
    ("GET", "/udbyder/kurser/c_lager/hold/{lager}"),
    ("POST", "/udbyder/kurser/c_lager/hold/{lager}"),
    ("POST", "/udbyder/kurser/c_lager/hold/{lager}/aflys"),
    # Another provider's session reached through one's own course.
    ("GET", "/udbyder/kurser/c_truck/hold/{lager}"),
    ("POST", "/udbyder/kurser/c_truck/hold/{lager}"),
    ("POST", "/udbyder/kurser/c_truck/hold/{lager}/aflys"),
    ("GET", "/udbyder/kurser/ukendt"),
])
def test_another_providers_rows_are_not_found(app_loaded: Flask, client_a: FlaskClient,
                                              method: str, path: str) -> None:
    lager = session_id(app_loaded, "c_lager")
    with app_loaded.app_context():
        before = get_session().scalar(select(m.CatalogState.version))
    response = client_a.open(path.format(lager=lager), method=method,
                             data={**SESSION, **COURSE, "version": "1"})
    assert response.status_code == 404
    with app_loaded.app_context():
        assert get_session().scalar(select(m.CatalogState.version)) == before
        assert course_row(app_loaded, "c_lager").title_da == "Akademimodul: Lagerstyring"
        assert get_session().get(m.CourseSession, lager).status == "open"  # type: ignore[union-attr]


def test_administrators_see_every_change_with_before_and_after(
        app_loaded: Flask, client_a: FlaskClient) -> None:
    form = edit_form(client_a, "c_truck")
    assert client_a.post("/udbyder/kurser/c_truck/rediger",
                         data={**form, "title_da": "Truck, ny titel"}).status_code == 303
    assert client_a.post("/udbyder/kurser/c_svejs/arkiver").status_code == 303
    admin = app_loaded.test_client()
    login(admin, make_user(app_loaded, "chef@herning.dk", "admin"))
    page = admin.get("/admin/logbog").get_data(as_text=True)
    assert '<th scope="row">Kursus rettet</th>' in page
    assert '<th scope="row">Kursus arkiveret</th>' in page
    assert "Truckcertifikat B → Truck, ny titel" in page and "a@example.dk" in page
    only_truck = admin.get("/admin/logbog?kursus=c_truck").get_data(as_text=True)
    assert '<th scope="row">Kursus rettet</th>' in only_truck
    assert '<th scope="row">Kursus arkiveret</th>' not in only_truck
    other_provider = admin.get("/admin/logbog?udbyder=p_aarhus").get_data(as_text=True)
    assert "Ingen ændringer passer til filteret." in other_provider
    archived = admin.get("/admin/logbog?handling=course_archived").get_data(as_text=True)
    assert '<th scope="row">Kursus arkiveret</th>' in archived
    assert "Truck, ny titel" not in archived
