"""Issue 12 part 5, "Hvem matcher dette kursus?": shortages served, reference people, and the
anonymous count of result pages, on the provider's own course page."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from matcher.data import models as m
from matcher.data.appearances import count_shown, shown_count
from matcher.data.db import get_engine, get_session
from tests.web.journey_cookie import give
from tests.web.staff_helpers import login, make_user
from tests.web.test_journey import walk_to_results

TODAY = date(2026, 12, 1)  # app_loaded's day


def provider_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, make_user(app, "a@example.dk", "provider", provider="p_herning"))
    return client


def test_the_course_page_answers_who_the_course_reaches(app_loaded: Flask,
                                                         client_loaded: FlaskClient) -> None:
    walk_to_results(client_loaded)  # a citizen's results show Truckcertifikat B
    client_loaded.get("/resultater")  # and a reload: a page shown again
    page = provider_client(app_loaded).get("/udbyder/kurser/c_truck").get_data(as_text=True)
    reach = page.split('id="reach"')[1]
    assert "Lagermedarbejder: Mangel på arbejdskraft (2. halvår 2026)" in reach
    assert "Ledig på dagpenge, 35 år, ufaglært" in reach
    assert "Ja, som nr. 1 blandt kurserne" in reach or "Ja, som et trin" in reach
    assert "Kurset er vist på 2 resultatsider de sidste 30 dage." in reach


def test_counts_are_per_code_and_day_and_only_the_last_30_days_are_shown(
        app_loaded: Flask) -> None:
    with app_loaded.app_context():
        engine = get_engine()
        for day in (TODAY, TODAY, TODAY - timedelta(days=29), TODAY - timedelta(days=30)):
            count_shown(engine, day, courses=["c_truck", "c_truck"], occupations=["svejser"])
        session = get_session()
        assert shown_count(session, "course", "c_truck", TODAY) == 3  # twice on a page: once
        assert shown_count(session, "occupation", "svejser", TODAY) == 3
        assert shown_count(session, "course", "c_svejs", TODAY) == 0
        rows = session.execute(select(m.ResultAppearance)).scalars().all()
        assert sorted((r.kind, r.day, r.count) for r in rows)[0] == (
            "course", TODAY - timedelta(days=30), 1)


def test_a_failed_count_never_costs_the_citizen_the_page(app_loaded: Flask,
                                                         client_loaded: FlaskClient) -> None:
    with app_loaded.app_context(), get_engine().begin() as connection:
        connection.exec_driver_sql("DROP TABLE result_appearance")
    try:
        walk_to_results(client_loaded)
        response = client_loaded.get("/resultater")
        assert response.status_code == 200
        assert "<h1>Dine muligheder</h1>" in response.get_data(as_text=True)
    finally:
        with app_loaded.app_context():
            m.ResultAppearance.__table__.create(get_engine())


def test_an_archived_course_shows_no_reach(app_loaded: Flask) -> None:
    client = provider_client(app_loaded)
    client.post("/udbyder/kurser/c_truck/arkiver")
    page = client.get("/udbyder/kurser/c_truck").get_data(as_text=True)
    assert "Kurset er arkiveret" in page and 'id="reach"' not in page


def test_reference_people_need_no_answers_of_a_real_citizen(app_loaded: Flask) -> None:
    """The table is run on the engine alone: no citizen's cookie, no stored answers."""
    client = provider_client(app_loaded)
    give(client, {"status": "employed"})  # a stray journey in the same browser is ignored
    page = client.get("/udbyder/kurser/c_truck").get_data(as_text=True)
    assert page.split('id="reach"')[1].count("<tr><th scope=\"row\">") == 4
