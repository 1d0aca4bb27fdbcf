"""Course search for everyone (issue 11.4): /kurser, /kurser/<code> and /api/v1/courses."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import MINI_CATALOG
from tests.web.test_api import assert_conforms

# The mini catalogue on 1 December 2026: a session is bookable from 15 December.
# c_truck: AMU, day, Herning (and Holstebro in March); c_lager: akademi, online, evening;
# c_svejs: its only session is full, so it is never offered.


def html(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="card-heading"><a href="/kurser/[^"]+">([^<]+)</a>', page)


def english(client: FlaskClient) -> None:
    assert client.post("/sprog", data={"lang": "en", "next": "/"}).status_code == 303


# --- the search page ------------------------------------------------------------------------


def test_without_words_every_bookable_course_is_listed(client_loaded: FlaskClient) -> None:
    page = html(client_loaded, "/kurser")
    assert "<h1>Find kurser</h1>" in page
    assert titles(page) == ["Truckcertifikat B", "Akademimodul: Lagerstyring"]
    assert "2 kurser" in page
    assert "MAG-svejsning" not in page  # fully booked
    assert "15. december 2026 eller senere" in page  # today plus the lead time


def test_a_card_shows_kind_provider_date_place_and_price(client_loaded: FlaskClient) -> None:
    page = html(client_loaded, "/kurser?q=truck")
    card = page.split('<li class="card result-card">')[1].split("</li>")[0]
    assert 'href="/kurser/c_truck"' in card
    for text in ("AMU-kursus", "Demo Kursuscenter Herning", "11. januar 2027", "7400 Herning",
                 "6.000 kr.", "900 kr."):
        assert text in card, text


@pytest.mark.parametrize(("query", "expected"), [
    ("truckcertifikat", ["Truckcertifikat B"]),
    ("trukcertifikat", ["Truckcertifikat B"]),  # a typo
    ("forklift", ["Truckcertifikat B"]),  # English
    ("lagermedarbejder", ["Truckcertifikat B"]),  # the job it leads to
    ("warehouse management", ["Akademimodul: Lagerstyring"]),  # the skill it teaches
    ("svejsning", []),  # found, but its only session is full
    ("smed", []),  # noise is not offered
    ("zzzq", []),
])
def test_words_find_courses(client_loaded: FlaskClient, query: str,
                            expected: list[str]) -> None:
    page = html(client_loaded, f"/kurser?q={query}")
    assert titles(page) == expected
    if not expected:
        assert "Vi fandt ingen kurser med et ledigt hold." in page


@pytest.mark.parametrize(("query", "expected"), [
    ("kind=akademi", ["Akademimodul: Lagerstyring"]),
    ("kind=amu", ["Truckcertifikat B"]),
    ("online=true", ["Akademimodul: Lagerstyring"]),
    ("schedule=evening", ["Akademimodul: Lagerstyring"]),
    ("schedule=day&schedule=weekend", ["Truckcertifikat B"]),
    ("month=2027-02", ["Akademimodul: Lagerstyring"]),
    ("month=2027-03", ["Truckcertifikat B"]),
    ("month=2027-05", []),
    ("postcode=8000&max_distance_km=25", ["Akademimodul: Lagerstyring"]),  # online: no distance
    ("postcode=7400&max_distance_km=10", ["Truckcertifikat B", "Akademimodul: Lagerstyring"]),
])
def test_each_filter(client_loaded: FlaskClient, query: str, expected: list[str]) -> None:
    assert titles(html(client_loaded, "/kurser?" + query)) == expected


def test_distance_picks_the_session_in_range(client_loaded: FlaskClient) -> None:
    page = html(client_loaded, "/kurser?q=truck&postcode=7500&max_distance_km=10")
    assert "1. marts 2027" in page and "7500 Holstebro" in page
    assert "under 1 km fra dig" in page


def test_the_filters_are_kept_in_the_form(client_loaded: FlaskClient) -> None:
    page = html(client_loaded, "/kurser?q=truck&kind=amu&postcode=7400&max_distance_km=50"
                               "&month=2027-01&schedule=day&online=false")
    assert 'value="truck"' in page and 'value="7400"' in page
    assert '<option value="amu" selected>' in page
    assert '<option value="50" selected>' in page
    assert '<option value="2027-01" selected>januar 2027</option>' in page
    assert re.search(r'name="schedule" value="day" checked', page)


@pytest.mark.parametrize(("query", "message"), [
    ("kind=zz", "Vælg en af kursustyperne på listen"),
    ("postcode=12", "Skriv postnummeret med 4 cifre, fx 7400."),
    ("postcode=9999", "Vi kender ikke postnummeret 9999."),
    ("max_distance_km=7&postcode=7400", "Vælg en af afstandene på listen."),
    ("max_distance_km=50", "Skriv et postnummer, så vi kan måle afstanden."),
    ("month=1999-01", "Vælg en af startmånederne på listen."),
    ("month=%F0%9F%92%A5", "Vælg en af startmånederne på listen."),
    ("schedule=nat", "Vælg tidspunkter fra listen."),
    ("online=ja", "Kun online kan kun være slået til eller fra."),
    ("page=0", "Sidetallet skal være et helt tal mellem 1 og 9999."),
    ("page=%EF%BC%95", "Sidetallet skal være et helt tal"),  # a full-width 5
    ("page=99", "Siden findes ikke. Der er 1 sider med resultater."),
    ("q=" + "x" * 101, "Skriv højst 100 tegn i søgefeltet."),
])
def test_bad_parameters_are_said_in_danish(client_loaded: FlaskClient, query: str,
                                           message: str) -> None:
    page = html(client_loaded, "/kurser?" + query)
    assert "Der er et problem" in page
    assert message in page
    assert titles(page) == []
    assert "<title>Fejl:" in page


def test_the_field_with_a_problem_is_marked(client_loaded: FlaskClient) -> None:
    page = html(client_loaded, "/kurser?postcode=abc")
    assert 'href="#postcode"' in page
    assert re.search(r'id="postcode"[^>]*aria-invalid="true"', page)


# --- pages of results -----------------------------------------------------------------------


@pytest.fixture
def client_many(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> FlaskClient:
    """The mini catalogue with 25 more welding courses and one for doctors."""
    folder = tmp_path / "many"
    shutil.copytree(MINI_CATALOG, folder)
    with (folder / "courses.csv").open(encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    courses = [{"code": f"c_weld{n:02d}", "kind": "amu", "title_da": f"Svejsning trin {n:02d}",
                "provider_code": "p_herning", "duration_days": "5", "schedule": "day",
                "delivery": "presence", "price_dkk": "5000", "source": "demo"}
               for n in range(1, 26)]
    courses.append({"code": "c_doc", "kind": "diplom", "title_da": "Diplommodul: Klinisk medicin",
                    "provider_code": "p_aarhus", "duration_days": "10", "source": "demo",
                    "description_da": "For læger med interesse i medicinsk behandling."})
    with (folder / "courses.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, columns, lineterminator="\n").writerows(courses)
    with (folder / "sessions.csv").open("a", encoding="utf-8", newline="") as handle:
        for n, course in enumerate(courses):
            handle.write(f"{course['code']},{course['code']}-01,2027-01-{n % 28 + 1:02d},"
                         f"2027-02-{n % 28 + 1:02d},,10,open\n")
    app.config["TODAY"] = "2026-12-01"
    result = runner.invoke(args=["catalog", "load", str(folder)])
    assert result.exit_code == 0, result.output
    return app.test_client()


def test_results_come_twenty_to_a_page_and_links_keep_the_filters(
        client_many: FlaskClient) -> None:
    first = html(client_many, "/kurser?q=svejsning&kind=amu&schedule=day")
    assert "25 kurser" in first and len(titles(first)) == 20
    assert "Side 1 af 2" in first
    link = re.search(r'href="([^"]+)" rel="next"', first)
    assert link is not None
    target = link.group(1).replace("&amp;", "&")
    for part in ("q=svejsning", "kind=amu", "schedule=day", "page=2"):
        assert part in target
    second = html(client_many, target)
    assert len(titles(second)) == 5
    assert set(titles(first)).isdisjoint(titles(second))
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_a_smith_is_not_offered_the_doctors_course(client_many: FlaskClient) -> None:
    assert "Diplommodul: Klinisk medicin" not in html(client_many, "/kurser?q=smed")
    assert titles(html(client_many, "/kurser?q=læger")) == ["Diplommodul: Klinisk medicin"]


# --- the course page ------------------------------------------------------------------------


def test_course_page_shows_sessions_teaching_jobs_price_and_funding(
        client_loaded: FlaskClient) -> None:
    page = html(client_loaded, "/kurser/c_truck")
    assert "<h1>Truckcertifikat B</h1>" in page
    for text in ("11. januar 2027", "15. januar 2027", "1. marts 2027", "7500 Holstebro",
                 "Ledige pladser", "16 pladser", "Demo Kursuscenter Herning, 7400 Herning",
                 "Det lærer du", "Lagermedarbejder", "Mangel på arbejdskraft", "2. halvår 2026",
                 "RAR Vestjylland", "6.000 kr.", "Seks ugers jobrettet uddannelse",
                 "Regional uddannelsespulje", "VEU-godtgørelse", "Demonstrationsdata",
                 "din a-kasse eller dit jobcenter, der afgør det"):
        assert text in page, text
    assert "2026H2" not in page
    assert 'action="/start/kursus/c_truck"' in page  # on into the journey


def test_course_page_states_full_sessions_prerequisites_and_online(
        client_loaded: FlaskClient) -> None:
    assert "Fuldt booket" in html(client_loaded, "/kurser/c_svejs")
    page = html(client_loaded, "/kurser/c_lager")
    assert "Det skal du kunne i forvejen" in page and "Truckcertifikat B" in page
    assert "Online" in page and "Om aftenen" in page
    assert "Seks ugers jobrettet uddannelse" not in page  # not on a positive list
    assert "SVU" in page


def test_unknown_course_is_a_404_page(client_loaded: FlaskClient) -> None:
    response = client_loaded.get("/kurser/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)


# --- both languages ------------------------------------------------------------------------


def test_search_and_course_page_in_english(client_loaded: FlaskClient) -> None:
    english(client_loaded)
    page = html(client_loaded, "/kurser?q=forklift")
    assert '<html lang="en">' in page and "<h1>Find courses</h1>" in page
    assert titles(page) == ["Forklift licence B"]
    assert "1 course" in page and "11 January 2027" in page
    assert "Find kurser" not in page
    assert "Write the postcode with 4 digits" in html(client_loaded, "/kurser?postcode=1")
    course = html(client_loaded, "/kurser/c_truck")
    for text in ("Forklift licence B", "Warehouse worker", "Labour shortage",
                 "second half of 2026", "Who can pay?", "Places available"):
        assert text in course, text


def test_nav_link_on_every_page(client: FlaskClient) -> None:
    assert 'href="/kurser">Find kurser</a>' in html(client, "/")
    english(client)
    assert 'href="/kurser">Find courses</a>' in html(client, "/")


# --- the API ------------------------------------------------------------------------------


@pytest.fixture
def spec(client_loaded: FlaskClient) -> dict[str, Any]:
    document: dict[str, Any] = client_loaded.get("/api/v1/openapi.json").get_json()
    return document


def test_api_answers_as_documented(client_loaded: FlaskClient, spec: dict[str, Any]) -> None:
    url = "/api/v1/courses?q=truck&postcode=7500&max_distance_km=10&schedule=day"
    body = assert_conforms(spec, "GET", url, client_loaded.get(url))
    assert body["total"] == 1 and body["first_bookable_day"] == "2026-12-15"
    hit = body["results"][0]
    assert (hit["code"], hit["url"], hit["title"]) == ("c_truck", "/kurser/c_truck",
                                                       "Truckcertifikat B")
    assert hit["session"]["start"] == "2027-03-01" and hit["session"]["postcode"] == "7500"
    english_body = client_loaded.get("/api/v1/courses?q=truck&lang=en").get_json()
    assert english_body["results"][0]["title"] == "Forklift licence B"


@pytest.mark.parametrize(("query", "codes"), [
    ("", ["c_truck", "c_lager"]),
    ("?kind=akademi", ["c_lager"]),
    ("?online=true", ["c_lager"]),
    ("?month=2027-03", ["c_truck"]),
    ("?q=trukcertifikat", ["c_truck"]),
    ("?q=smed", []),
    ("?limit=1&page=2", ["c_lager"]),
    ("?page=5", []),
])
def test_api_filters(client_loaded: FlaskClient, spec: dict[str, Any], query: str,
                     codes: list[str]) -> None:
    url = "/api/v1/courses" + query
    body = assert_conforms(spec, "GET", url, client_loaded.get(url))
    assert [hit["code"] for hit in body["results"]] == codes


@pytest.mark.parametrize(("query", "field"), [
    ("kind=zz", "kind"), ("kind=", "kind"), ("postcode=0000", "postcode"),
    ("postcode=+7400", "postcode"), ("max_distance_km=50", "max_distance_km"),
    ("month=2027-13", "month"), ("schedule=nat", "schedule"), ("online=1", "online"),
    ("page=0", "page"), ("limit=51", "limit"), ("q=" + "x" * 101, "q"), ("lang=de", "lang"),
])
def test_api_refuses_bad_parameters(client_loaded: FlaskClient, spec: dict[str, Any],
                                    query: str, field: str) -> None:
    url = "/api/v1/courses?" + query
    response = client_loaded.get(url)
    assert response.status_code == 400
    body = assert_conforms(spec, "GET", url, response)
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["errors"][0]["message_da"] and body["errors"][0]["message_en"]


# --- "may be paid for me" -------------------------------------------------------------------

PAID = "paid=true&status=unemployed&benefit=dagpenge"


def test_may_be_paid_keeps_only_courses_a_scheme_may_pay_and_says_which(
        client_loaded: FlaskClient) -> None:
    everything = html(client_loaded, "/kurser?status=unemployed&benefit=dagpenge")
    assert titles(everything) == ["Truckcertifikat B", "Akademimodul: Lagerstyring"]
    assert "Kan måske betales af" not in everything  # answers alone filter nothing
    page = html(client_loaded, "/kurser?" + PAID)
    # The academy module is on no positive list, and SVU is for people in work.
    assert titles(page) == ["Truckcertifikat B"]
    card = page.split('<li class="card result-card">')[1].split("</li>")[0]
    assert re.search(r"<dt>Kan måske betales af</dt><dd>Seks ugers jobrettet uddannelse, "
                     r"Regional uddannelsespulje, [^<]*AMU-deltagerbetaling</dd>", card), card
    assert "<details class=\"details quick-answers\" open>" in page  # the answers stay in view
    assert '<option value="unemployed" selected>' in page
    assert re.search(r'id="paid-1" name="paid" value="true" checked', page)


@pytest.mark.parametrize(("query", "expected"), [
    ("paid=true&status=employed", ["Truckcertifikat B", "Akademimodul: Lagerstyring"]),
    ("paid=true&status=student", ["Truckcertifikat B"]),  # the AMU target group's fee
    ("paid=true&status=student&education_level=lvu_kandidat", []),
    ("paid=true&status=employed&education_level=lvu_kandidat", []),
])
def test_may_be_paid_follows_the_answers(client_loaded: FlaskClient, query: str,
                                         expected: list[str]) -> None:
    assert titles(html(client_loaded, "/kurser?" + query)) == expected


def test_the_quick_answers_are_folded_away_until_used(client_loaded: FlaskClient) -> None:
    page = html(client_loaded, "/kurser")
    assert '<details class="details quick-answers">' in page
    assert "Kun kurser der måske kan betales for mig" in page


@pytest.mark.parametrize(("query", "field", "message"), [
    ("paid=true", "status", "Vælg din situation, så vi kan se, hvem der måske kan betale"),
    ("paid=true&benefit=dagpenge", "status", "Vælg din situation"),
    ("status=zz", "status", "Vælg en situation fra listen."),
    ("status=unemployed&benefit=zz", "benefit", "Vælg en ydelse fra listen."),
    ("status=unemployed&education_level=phd9", "education_level",
     "Vælg en uddannelse fra listen."),
    ("paid=ja&status=unemployed", "paid-1", "kan kun være slået til eller fra."),
    ("paid=true&status=unemployed&benefit=ledighedsydelse", "benefit",
     "Ledighedsydelse får kun den, der er visiteret til fleksjob og ledig."),
])
def test_bad_quick_answers_are_said_on_their_fields(client_loaded: FlaskClient, query: str,
                                                    field: str, message: str) -> None:
    page = html(client_loaded, "/kurser?" + query)
    assert "Der er et problem" in page and message in page
    assert f'href="#{field}"' in page
    assert titles(page) == []
    assert "<details class=\"details quick-answers\" open>" in page


def test_may_be_paid_in_english(client_loaded: FlaskClient) -> None:
    english(client_loaded)
    page = html(client_loaded, "/kurser?" + PAID)
    assert "May be paid by" in page and "Six weeks" in page
    assert "Choose your situation so that we can see" in html(client_loaded, "/kurser?paid=true")


@pytest.mark.parametrize(("query", "codes", "may_pay"), [
    ("?" + PAID, ["c_truck"], True),
    ("?status=unemployed&benefit=dagpenge", ["c_truck", "c_lager"], False),
    ("?paid=false&status=employed", ["c_truck", "c_lager"], False),
    ("?paid=true&status=employed&education_level=grundskole", ["c_truck", "c_lager"], True),
])
def test_api_may_be_paid(client_loaded: FlaskClient, spec: dict[str, Any], query: str,
                         codes: list[str], may_pay: bool) -> None:
    url = "/api/v1/courses" + query
    body = assert_conforms(spec, "GET", url, client_loaded.get(url))
    assert [hit["code"] for hit in body["results"]] == codes
    for hit in body["results"]:
        assert (hit["may_pay"] is not None) is may_pay
        assert hit["may_pay"] is None or hit["may_pay"]  # never an empty list


@pytest.mark.parametrize(("query", "field"), [
    ("paid=true", "status"), ("status=", "status"), ("status=zz", "status"),
    ("benefit=zz", "benefit"), ("education_level=phd9", "education_level"),
    ("education_level=", "education_level"), ("paid=1", "paid"),
    ("paid=true&status=employed&benefit=ledighedsydelse", "benefit"),
])
def test_api_refuses_bad_quick_answers(client_loaded: FlaskClient, spec: dict[str, Any],
                                       query: str, field: str) -> None:
    url = "/api/v1/courses?" + query
    response = client_loaded.get(url)
    assert response.status_code == 400
    body = assert_conforms(spec, "GET", url, response)
    assert [e["field"] for e in body["errors"]] == [field]
