"""A provider's bulk upload and export: malformed files, preview, confirm, idempotency,
round trip, IDOR by file content, and cells made safe for spreadsheets."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from matcher.data import models as m
from matcher.data.db import get_session
from matcher.web import provider_upload
from tests.web.staff_helpers import StaffUser, login, make_user

COURSES = "code,kind,title_da,provider_code,duration_days,price_dkk,url\n"
NEW = "c_ny,amu,Nyt kursus,p_herning,3,1000,https://kursus.example.dk/ny\n"
SESSIONS = "course_code,session_code,start_date,end_date,postcode,seats,status\n"
NEW_SESSION = "c_truck,c_truck-09,2027-05-03,2027-05-07,7400,10,open\n"


@pytest.fixture
def provider_a(app_loaded: Flask) -> StaffUser:
    return make_user(app_loaded, "a@example.dk", "provider", provider="p_herning")


@pytest.fixture
def client_a(app_loaded: Flask, provider_a: StaffUser) -> FlaskClient:
    client = app_loaded.test_client()
    login(client, provider_a)
    return client


def upload(client: FlaskClient, kind: str, content: str | bytes, *, archive: bool = False,
           filename: str = "fil.csv") -> TestResponse:
    body = content.encode() if isinstance(content, str) else content
    data: dict[str, Any] = {"kind": kind, "file": FileStorage(io.BytesIO(body), filename,
                                                              content_type="text/csv")}
    if archive:
        data["archive_missing"] = "y"
    # Encoded here in memory: the test client would spool a large body to an unclosed file.
    boundary, encoded = encode_multipart(data)
    return client.post("/udbyder/indlaes", data=encoded,
                       content_type=f"multipart/form-data; boundary={boundary}")


def token_of(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, page[:3000]
    return found.group(1)


def confirm(client: FlaskClient, token: str) -> TestResponse:
    return client.post("/udbyder/indlaes/bekraeft", data={"token": token})


def state(app: Flask) -> dict[str, Any]:
    """What an upload could write: row counts, row versions, audit and catalogue version."""
    with app.app_context():
        db = get_session()
        counts = {model.__name__: db.scalar(select(func.count()).select_from(model))
                  for model in (m.Course, m.CourseSession, m.CourseSkill, m.CourseOccupation,
                                m.CoursePrerequisite, m.AuditEvent)}
        versions = sorted(db.execute(select(m.Course.code, m.Course.version,
                                            m.Course.archived_at)).all())
        sessions = sorted(db.execute(select(m.CourseSession.session_code,
                                            m.CourseSession.version)).all())
        catalog = db.get(m.CatalogState, 1, populate_existing=True)
        return {"counts": counts, "courses": versions, "sessions": sessions,
                "catalog": catalog.version if catalog else None}


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")


LONG = "x" * 301
MALFORMED = [
    # (id, kind, file content, expected message)
    ("empty", "courses", b"", "Filen er tom."),
    ("only a byte-order mark", "courses", b"\xef\xbb\xbf\r\n", "Filen er tom."),
    ("only a header", "courses", COURSES, "Filen har kun en overskrift og ingen rækker."),
    ("not UTF-8", "courses", (COURSES + "c_ny,amu,Kørsel,,3,,\n").encode("cp1252"),
     "Filen er ikke gemt som UTF-8"),
    ("semicolons", "courses", COURSES.replace(",", ";") + NEW.replace(",", ";"),
     "Filen bruger ikke komma som skilletegn"),
    ("tabs", "courses", COURSES.replace(",", "\t") + NEW.replace(",", "\t"),
     "Filen bruger ikke komma som skilletegn"),
    ("a binary file", "courses", b"PK\x03\x04\x00\x00binary", "Filen er ikke en CSV-fil"),
    ("missing required column", "courses", "code,kind,duration_days\nc_ny,amu,3\n",
     "Kolonnen mangler i overskriften."),
    ("unknown column (mass assignment)", "courses", COURSES.strip() + ",approved\n"
     + NEW.strip() + ",yes\n", "Kolonnen kendes ikke i courses.csv"),
    ("duplicate column", "courses", "code,kind,title_da,title_da,duration_days\n"
     "c_ny,amu,A,B,3\n", "Kolonnen står to gange i overskriften."),
    ("a sessions file sent as courses", "courses", SESSIONS + NEW_SESSION,
     "Kolonnen kendes ikke i courses.csv"),
    ("too large", "courses", COURSES + "#" * provider_upload.MAX_BYTES,
     "Filen er for stor. Den må højst fylde 1 MB."),
    ("too many rows", "course_skills", "course_code,skill_code\n"
     + "c_truck,truckcertifikat_b\n" * 2001, "Filen har mere end 2000 rækker"),
    ("an unclosed quote", "courses", COURSES + 'c_ny,amu,"Nyt kursus,p_herning,3,1000,\n',
     "Linjen kan ikke læses som CSV"),
    ("too few fields", "courses", COURSES + "c_ny,amu,Nyt kursus\n",
     "Rækken har 3 felter, men overskriften har 7."),
    ("another provider's code", "courses", COURSES + NEW.replace("p_herning", "p_aarhus"),
     "Udbyderkoden skal være tom eller jeres egen (p_herning)."),
    ("another provider's course code", "courses",
     COURSES + "c_lager,amu,Overtaget,,3,1000,\n", "Koden kan ikke bruges."),
    ("a code with spaces", "courses", COURSES + NEW.replace("c_ny", "c ny!"),
     "Koden må kun have bogstaver, tal, _ . og - (højst 80 tegn)."),
    ("no code", "courses", COURSES + NEW.replace("c_ny", ""), "Feltet skal udfyldes."),
    ("a key twice", "courses", COURSES + NEW + NEW, "Rækken gentager c_ny fra linje 2."),
    ("unknown kind", "courses", COURSES + NEW.replace(",amu,", ",kursus,"),
     "Vælg kursets type på listen."),
    ("no title", "courses", COURSES + NEW.replace("Nyt kursus", ""), "Skriv kursets titel."),
    ("HTML in the title", "courses", COURSES + NEW.replace("Nyt kursus", "<b>Nyt</b>"),
     "Titlen må ikke indeholde HTML"),
    ("a too long title", "courses", COURSES + NEW.replace("Nyt kursus", LONG),
     "Titlen må højst have 300 tegn."),
    ("a duration in words", "courses", COURSES + NEW.replace(",3,", ",tre,"),
     "Skriv varigheden som et tal"),
    ("a zero duration", "courses", COURSES + NEW.replace(",3,", ",0,"),
     "Varigheden skal være mellem 0,5 og 2000 dage."),
    ("a negative price", "courses", COURSES + NEW.replace(",1000,", ",-1,"),
     "Prisen skal være mellem 0 og 1.000.000 kr."),
    ("a javascript: link", "courses",
     COURSES + NEW.replace("https://kursus.example.dk/ny", "javascript:alert(1)"),
     "Linket skal begynde med http:// eller https://"),
    ("an unknown education level", "courses",
     "code,kind,title_da,duration_days,min_education_level\nc_ny,amu,Nyt,3,ph_d\n",
     "Vælg uddannelsesniveauet på listen."),
    ("an unknown language", "courses", "code,kind,title_da,duration_days,language\n"
     "c_ny,amu,Nyt,3,xx\n", "Vælg undervisningssproget på listen."),
    ("an HTML entity in the description", "courses",
     "code,kind,title_da,duration_days,description_da\nc_ny,amu,Nyt,3,a &lt; b\n",
     "Beskrivelsen må ikke indeholde HTML"),
    ("a session of another provider's course", "sessions",
     SESSIONS + NEW_SESSION.replace("c_truck,", "c_lager,"), "Ukendt kursus."),
    ("a session of no course", "sessions",
     SESSIONS + NEW_SESSION.replace("c_truck,", "c_findes_ikke,"), "Ukendt kursus."),
    ("an end before the start", "sessions",
     SESSIONS + NEW_SESSION.replace("2027-05-07", "2027-05-01"),
     "Slutdatoen må ikke ligge før startdatoen."),
    ("negative seats", "sessions", SESSIONS + NEW_SESSION.replace(",10,", ",-1,"),
     "Antal pladser skal være mellem 0 og 10000."),
    ("an American date", "sessions", SESSIONS + NEW_SESSION.replace("2027-05-03", "05/30/2027"),
     "Skriv startdatoen som en dato"),
    ("a new session in the past", "sessions",
     SESSIONS + NEW_SESSION.replace("2027-05-03", "2026-11-30"),
     "Et nyt hold kan ikke starte før i dag."),
    ("an unknown postcode", "sessions", SESSIONS + NEW_SESSION.replace(",7400,", ",9999,"),
     "Vi kender ikke postnummeret."),
    ("an unknown status", "sessions", SESSIONS + NEW_SESSION.replace(",open", ",maybe"),
     "Vælg holdets status."),
    ("an unknown skill", "course_skills", "course_code,skill_code\nc_truck,jonglering\n",
     "Ukendt kompetence."),
    ("a skill of another provider's course", "course_skills",
     "course_code,skill_code\nc_lager,truckcertifikat_b\n", "Ukendt kursus."),
    ("an unknown occupation", "course_occupations",
     "course_code,occupation_code\nc_truck,astronaut\n", "Ukendt job."),
    ("an occupation twice", "course_occupations",
     "course_code,occupation_code\nc_truck,svejser\nc_truck,svejser\n",
     "Rækken gentager c_truck, svejser fra linje 2."),
]


@pytest.mark.parametrize(("kind", "content", "message"),
                         [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_upload_is_refused_with_its_message_and_writes_nothing(
        app_loaded: Flask, client_a: FlaskClient, kind: str, content: str | bytes,
        message: str) -> None:
    before = state(app_loaded)
    response = upload(client_a, kind, content)
    page = text(response)
    assert response.status_code == 400
    assert message in page, page[page.find("<main"):][:3000]
    assert "Intet er gemt." in page and 'name="token"' not in page
    assert state(app_loaded) == before


def test_errors_name_the_file_line_and_column(client_a: FlaskClient) -> None:
    content = (COURSES + NEW + "\n"  # a blank line is skipped, but still counted
               + 'c_to,amu,"To\nlinjer",,3,-5,\n'  # a cell over two lines
               + "c_tre,amu,Tre,p_aarhus,3,,\n")
    page = text(upload(client_a, "courses", content))
    rows = re.findall(r"<tr><td>(\d+)</td><td>([a-z_]+)</td><td>([^<]+)</td></tr>", page)
    assert ("4", "price_dkk", "Prisen skal være mellem 0 og 1.000.000 kr.") in rows
    assert ("6", "provider_code",
            "Udbyderkoden skal være tom eller jeres egen (p_herning).") in rows
    assert "Filen har 2 fejl. Intet er gemt." in page


def test_errors_are_in_english_on_the_english_site(client_a: FlaskClient) -> None:
    client_a.post("/sprog", data={"lang": "en"})
    page = text(upload(client_a, "sessions", SESSIONS + NEW_SESSION.replace("c_truck,",
                                                                            "c_lager,")))
    assert "Unknown course." in page and "Nothing has been saved." in page


def test_the_file_must_be_chosen_and_be_a_csv(app_loaded: Flask, client_a: FlaskClient) -> None:
    before = state(app_loaded)
    page = text(client_a.post("/udbyder/indlaes", data={"kind": "courses"},
                              content_type="multipart/form-data"))
    assert "Vælg en fil at uploade." in page
    response = upload(client_a, "courses", COURSES + NEW, filename="kurser.xlsx")
    assert response.status_code == 400 and "Filen skal være en CSV-fil (.csv)." in text(response)
    page = text(client_a.post("/udbyder/indlaes", data={
        "file": (io.BytesIO((COURSES + NEW).encode()), "f.csv")},
        content_type="multipart/form-data"))
    assert "Vælg, hvilken slags fil du uploader." in page
    assert state(app_loaded) == before


def test_preview_then_confirm_adds_and_changes_once(app_loaded: Flask,
                                                    client_a: FlaskClient) -> None:
    before = state(app_loaded)
    content = COURSES + NEW + "c_truck,amu,Truckcertifikat B,,5,6500,\n"
    response = upload(client_a, "courses", content)
    page = text(response)
    assert response.status_code == 200
    assert "1 tilføjes, 1 ændres, 0 arkiveres." in page
    assert "6000" in page and "6500" in page  # the changed price, before and after
    assert state(app_loaded) == before  # a preview writes nothing
    response = confirm(client_a, token_of(page))
    assert response.status_code == 303 and response.headers["Location"] == "/udbyder/"
    after = state(app_loaded)
    assert after["catalog"] == before["catalog"] + 1  # one bump for the whole file
    assert after["counts"]["Course"] == before["counts"]["Course"] + 1
    with app_loaded.app_context():
        db = get_session()
        new = db.get(m.Course, "c_ny")
        truck = db.get(m.Course, "c_truck")
        assert new is not None and truck is not None
        assert new.provider_code == "p_herning" and new.provider_owned and new.price_dkk == 1000
        assert truck.price_dkk == 6500 and truck.provider_owned and truck.version == 2
        assert truck.url is None  # the file's blank url cell blanks it
        events = {e.action: e.detail for e in db.scalars(
            select(m.AuditEvent).where(m.AuditEvent.action.in_(
                ("course_created", "course_changed", "listing_upload"))))}
        assert events["course_changed"]["changes"] == {"price_dkk": [6000, 6500]}
        assert events["course_created"]["changes"]["title_da"] == [None, "Nyt kursus"]
        assert events["listing_upload"]["added"] == 1
    home = text(client_a.get("/udbyder/"))
    assert "Filen er gemt: 1 tilføjet, 1 ændret, 0 arkiveret." in home and "Nyt kursus" in home


def test_the_same_file_twice_changes_nothing_the_second_time(app_loaded: Flask,
                                                             client_a: FlaskClient) -> None:
    content = SESSIONS + NEW_SESSION
    token = token_of(text(upload(client_a, "sessions", content)))
    assert confirm(client_a, token).status_code == 303
    after_first = state(app_loaded)
    page = text(upload(client_a, "sessions", content))
    assert "Filen ændrer ingenting. Alt i den er allerede gemt." in page
    assert 'name="token"' not in page
    response = confirm(client_a, token)  # the first preview confirmed a second time
    assert response.status_code == 303
    assert "Filen ændrer ingenting" in text(client_a.get("/udbyder/"))
    assert state(app_loaded) == after_first


def test_absent_columns_are_left_as_they_are(app_loaded: Flask, client_a: FlaskClient) -> None:
    page = text(upload(client_a, "courses",
                       "code,kind,title_da,duration_days\nc_truck,amu,Truck B,5\n"))
    assert confirm(client_a, token_of(page)).status_code == 303
    with app_loaded.app_context():
        row = get_session().get(m.Course, "c_truck")
        assert row is not None and row.title_da == "Truck B" and row.price_dkk == 6000


@pytest.mark.parametrize("archive", [False, True])
def test_courses_missing_from_the_file_are_archived_only_when_asked(
        app_loaded: Flask, client_a: FlaskClient, archive: bool) -> None:
    content = COURSES + "c_truck,amu,Truckcertifikat B,p_herning,5,6000,\n"
    page = text(upload(client_a, "courses", content, archive=archive))
    if not archive:
        assert "Filen ændrer ingenting" in page
        return
    assert "0 tilføjes, 0 ændres, 1 arkiveres." in page and "MAG-svejsning" in page
    assert confirm(client_a, token_of(page)).status_code == 303
    with app_loaded.app_context():
        db = get_session()
        assert db.get(m.Course, "c_svejs").archived_at is not None  # type: ignore[union-attr]
        assert db.get(m.Course, "c_lager").archived_at is None  # type: ignore[union-attr]


def test_a_link_file_sets_each_named_courses_list(app_loaded: Flask,
                                                  client_a: FlaskClient) -> None:
    content = "course_code,skill_code\nc_truck,truckcertifikat_b\nc_truck,koerekort_c\n"
    page = text(upload(client_a, "course_skills", content))
    assert "0 tilføjes, 1 ændres, 0 arkiveres." in page
    assert confirm(client_a, token_of(page)).status_code == 303
    with app_loaded.app_context():
        db = get_session()
        assert sorted(db.scalars(select(m.CourseSkill.skill_code).where(
            m.CourseSkill.course_code == "c_truck"))) == ["koerekort_c", "truckcertifikat_b"]
        assert list(db.scalars(select(m.CourseSkill.skill_code).where(
            m.CourseSkill.course_code == "c_svejs"))) == ["mag_svejsning"]  # not named: kept


def test_a_changed_or_foreign_token_is_refused(app_loaded: Flask, client_a: FlaskClient) -> None:
    token = token_of(text(upload(client_a, "courses", COURSES + NEW)))
    other = app_loaded.test_client()
    login(other, make_user(app_loaded, "b@example.dk", "provider", provider="p_aarhus"))
    before = state(app_loaded)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = confirm(client_a, forged)
    assert response.status_code == 400
    assert "Forhåndsvisningen er udløbet eller ændret. Upload filen igen." in text(response)
    assert confirm(other, token).status_code == 400  # provider B cannot replay A's preview
    assert state(app_loaded) == before


def test_a_change_between_preview_and_confirm_shows_a_new_preview(
        app_loaded: Flask, client_a: FlaskClient) -> None:
    token = token_of(text(upload(client_a, "courses", COURSES
                                 + "c_truck,amu,Truckcertifikat B,,5,6500,\n")))
    with app_loaded.app_context():  # someone changes the price meanwhile
        db = get_session()
        row = db.get(m.Course, "c_truck")
        assert row is not None
        row.price_dkk = 7000
        db.commit()
    before = state(app_loaded)
    response = confirm(client_a, token)
    assert response.status_code == 409
    page = text(response)
    assert "Jeres kurser er ændret siden forhåndsvisningen" in page and "7000" in page
    assert state(app_loaded) == before
    assert confirm(client_a, token_of(page)).status_code == 303


@pytest.mark.parametrize("kind", list(provider_upload.SPECS))
def test_export_then_upload_changes_nothing(app_loaded: Flask, client_a: FlaskClient,
                                            kind: str) -> None:
    # A formula-looking title and a description over two lines must survive the trip too.
    page = text(upload(client_a, "courses", "code,kind,title_da,duration_days,description_da,"
                       "hours\nc_ny,amu,=1+2,2.5,\"- punkt\nnæste\",7.5\n"))
    assert confirm(client_a, token_of(page)).status_code == 303
    exported = client_a.get(f"/udbyder/eksport/{kind}.csv")
    assert exported.status_code == 200
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert exported.headers["Content-Disposition"] == \
        f'attachment; filename="{provider_upload.SPECS[kind].file_name}"'
    body = exported.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"c_lager" not in body  # only the provider's own
    before = state(app_loaded)
    page = text(upload(client_a, kind, body))
    assert "Filen ændrer ingenting" in page, page[page.find("<main"):][:2000]
    assert state(app_loaded) == before


def test_a_formula_is_text_on_import_and_quoted_on_export(app_loaded: Flask,
                                                         client_a: FlaskClient) -> None:
    formula = '=HYPERLINK("https://ond.example","klik")'
    content = ("code,kind,title_da,duration_days,title_en\n"
               f'c_ny,amu,"{formula.replace(chr(34), chr(34) * 2)}",3,@SUM(A1)\n')
    assert confirm(client_a, token_of(text(upload(client_a, "courses", content)))) \
        .status_code == 303
    with app_loaded.app_context():
        row = get_session().get(m.Course, "c_ny")
        assert row is not None and row.title_da == formula and row.title_en == "@SUM(A1)"
    body = client_a.get("/udbyder/eksport/courses.csv").get_data(as_text=True)
    assert '"\'=HYPERLINK(""https://ond.example"",""klik"")"' in body
    assert ",'@SUM(A1)," in body


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+2", "'=1+2"), ("+45 1234", "'+45 1234"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tfaneblad", "'\tfaneblad"), ("\rlinje", "'\rlinje"), ("Truck = godt", "Truck = godt"),
    ("", ""), (None, ""),
])
def test_safe_cell_quotes_what_a_spreadsheet_would_run(value: str | None, cell: str) -> None:
    assert provider_upload.safe_cell(value) == cell


def test_export_of_an_unknown_kind_is_not_found(client_a: FlaskClient) -> None:
    assert client_a.get("/udbyder/eksport/providers.csv").status_code == 404


def test_a_file_that_does_not_fit_the_confirm_step_is_refused(
        app_loaded: Flask, client_a: FlaskClient) -> None:
    import random

    noise = random.Random(1)
    alphabet = "abcdefghijklmnopqrstuvwxyzæøå0123456789 "
    lines = [COURSES.strip() + ",description_da"]
    lines += [f"c_{i},amu,Kursus {i},,3,,,"
              + "".join(noise.choice(alphabet) for _ in range(3900)) for i in range(230)]
    content = "\n".join(lines).replace(COURSES.strip() + ",description_da",
                                       "code,kind,title_da,provider_code,duration_days,"
                                       "price_dkk,url,description_da")
    before = state(app_loaded)
    response = upload(client_a, "courses", content)
    assert response.status_code == 400
    assert "Filen er for stor til at blive bekræftet i ét trin" in text(response)
    assert state(app_loaded) == before


def test_the_form_the_reader_and_the_data_layer_know_the_same_files() -> None:
    from matcher.data.listing_upload import KINDS
    from matcher.web.provider_forms import UPLOAD_KIND_CHOICES

    assert [c.value for c in UPLOAD_KIND_CHOICES] == list(provider_upload.SPECS) == list(KINDS)


def test_uploads_have_a_limit_per_address(app_loaded: Flask, client_a: FlaskClient) -> None:
    """ASVS 2.4.1: each upload parses up to 1 MB, so one address is held to a few a minute."""
    app_loaded.config["UPLOAD_RATE_LIMIT"] = "2 per minute"
    statuses = [upload(client_a, "courses", COURSES).status_code for _ in range(3)]
    assert statuses[:2] != [429, 429] and statuses[2] == 429
    assert client_a.get("/udbyder/indlaes").status_code == 200  # reading the page is not limited
