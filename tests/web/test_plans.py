"""Matching with a client and the plan (issue 13, parts 2 and 3), through the test client.

The mini catalogue on 2026-12-01; the client is unskilled, 34, eight weeks on dagpenge, so
seks ugers must be completed by 6 July 2027 (domain.md §2a) and the a-kasse decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from matcher.data import models as m
from matcher.data.db import get_session
from tests.web.staff_helpers import StaffUser, events, login, make_client, make_user

PROFILE: dict[str, Any] = {
    "status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
    "education_level": "grundskole", "postcode": "7400",
    "occupations": [{"code": "lagermedarbejder", "years": 1}]}
TRUCK = "c_truck|c_truck-01"  # 11–15 January 2027, on the seks ugers list


@dataclass
class Setup:
    app: Flask
    web: FlaskClient
    other: FlaskClient  # caseworker B, who may not see A's client
    client_id: int
    a: StaffUser


@pytest.fixture
def setup(app_loaded: Flask) -> Iterator[Setup]:
    a = make_user(app_loaded, "sag@herning.dk", "caseworker")
    b = make_user(app_loaded, "sag.b@herning.dk", "caseworker")
    client_id = make_client(app_loaded, a.id, label="Klient A", profile=PROFILE)
    web, other = app_loaded.test_client(), app_loaded.test_client()
    login(web, a)
    login(other, b)
    yield Setup(app_loaded, web, other, client_id, a)


def base(s: Setup) -> str:
    return f"/sagsbehandler/klienter/{s.client_id}"


def steps(s: Setup) -> list[m.PlanStep]:
    with s.app.app_context():
        return list(get_session().scalars(select(m.PlanStep).where(
            m.PlanStep.client_id == s.client_id).order_by(m.PlanStep.position)))


def record(s: Setup) -> m.Client:
    with s.app.app_context():
        found = get_session().get(m.Client, s.client_id)
        assert found is not None
        get_session().expunge(found)
        return found


def plan_row(s: Setup) -> m.ClientPlan | None:
    with s.app.app_context():
        return get_session().get(m.ClientPlan, s.client_id)


def add_truck(s: Setup, scheme: str = "seks_uger", session: str = TRUCK) -> Any:
    return s.web.post(base(s) + "/plan/trin",
                      data={"course": session.split("|")[0], "session": session,
                            "scheme": scheme})


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# --- the match page -----------------------------------------------------------------------

def test_the_match_page_shows_the_results_and_every_funding_rule_with_its_decider(
        setup: Setup) -> None:
    page = setup.web.get(base(setup) + "/match")
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("no-store")
    html = text(page)
    assert "Resultater for Klient A" in html
    assert "Truckcertifikat B" in html
    panel = html.split('id="course-1"')[1].split('id="paths"')[0]
    for words in ("Seks ugers jobrettet uddannelse", "Regional uddannelsespulje",
                  "AMU-deltagerbetaling", "Afgøres af", "A-kassen", "Jobcentret",
                  "Skal være afsluttet senest 6. juli 2027"):
        assert words in panel, words
    assert 'name="session"' in panel and "c_truck|c_truck-02" in panel  # every session
    assert "Ret profil" in html and "/profil/situation" in html
    assert len(events(setup.app, "client_matched")) == 1


def test_a_profile_that_does_not_make_a_match_says_so(setup: Setup) -> None:
    with setup.app.app_context():
        get_session().get(m.Client, setup.client_id).profile = {"status": "unemployed"}
        get_session().commit()
    page = setup.web.get(base(setup) + "/match")
    assert page.status_code == 200
    assert "Profilen er ikke udfyldt nok til at finde forslag" in text(page)


def test_pin_puts_first_and_exclude_hides_with_an_undo(setup: Setup) -> None:
    with setup.app.app_context():  # two jobs held: both are shown
        get_session().get(m.Client, setup.client_id).profile = {**PROFILE, "occupations": [
            {"code": "lagermedarbejder", "years": 1}, {"code": "svejser", "years": 2}]}
        get_session().commit()
    first = text(setup.web.get(base(setup) + "/match"))
    jobs = re.findall(r'name="item" value="occupation:([^"]+)"', first)
    assert len(set(jobs)) >= 2
    last = jobs[-1]
    assert setup.web.post(base(setup) + "/match/marker",
                          data={"item": f"occupation:{last}", "action": "pin"}).status_code == 303
    page = text(setup.web.get(base(setup) + "/match"))
    job_1 = page.split('id="job-1"')[1].split('id="job-2"')[0]
    assert f"occupation:{last}" in job_1 and "Fastgjort" in job_1
    assert record(setup).pinned == [f"occupation:{last}"]

    response = setup.web.post(base(setup) + "/match/marker",
                              data={"item": "course:c_truck", "action": "exclude"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#excluded")
    page = text(setup.web.get(base(setup) + "/match"))
    courses = page.split('id="courses"')[1].split('id="paths"')[0]
    assert "Truckcertifikat B" not in courses
    undo = page.split('id="excluded"')[1]
    assert "Truckcertifikat B" in undo and 'value="include"' in undo
    setup.web.post(base(setup) + "/match/marker", data={"item": "course:c_truck",
                                                        "action": "include"})
    assert "Truckcertifikat B" in text(setup.web.get(base(setup) + "/match")).split(
        'id="courses"')[1]
    assert record(setup).excluded == []
    assert len(events(setup.app, "client_mark_set")) == 3


def test_a_pin_takes_an_exclusion_away_and_the_other_way_round(setup: Setup) -> None:
    for action in ("exclude", "pin"):
        setup.web.post(base(setup) + "/match/marker",
                       data={"item": "course:c_truck", "action": action})
    assert (record(setup).pinned, record(setup).excluded) == (["course:c_truck"], [])


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Vælg et kursus eller et job på siden."),
    ({"item": "course:c_truck"}, "Vælg at fastgøre eller fravælge."),
    ({"item": "course:c_truck", "action": "delete"}, "Vælg at fastgøre eller fravælge."),
    ({"item": "skill:welding", "action": "pin"}, "Vælg et kursus eller et job på siden."),
    ({"item": "course:", "action": "pin"}, "Vælg et kursus eller et job på siden."),
    ({"item": "c_truck", "action": "exclude"}, "Vælg et kursus eller et job på siden."),
])
def test_malformed_marks_are_refused_and_change_nothing(setup: Setup, data: dict[str, str],
                                                        message: str) -> None:
    response = setup.web.post(base(setup) + "/match/marker", data=data)
    assert response.status_code == 400
    assert message in text(response)
    assert (record(setup).pinned, record(setup).excluded) == ([], [])
    assert events(setup.app, "plan_change_refused")[0].detail["form"] == "mark"


# --- adding to the plan ---------------------------------------------------------------------

def test_add_a_course_copies_it_with_the_scheme_and_the_rules_deadline(setup: Setup) -> None:
    response = add_truck(setup)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/match#add-c_truck-session")
    [step] = steps(setup)
    assert (step.course_code, step.session_code, step.course_title) == (
        "c_truck", "c_truck-01", "Truckcertifikat B")
    assert (step.start, step.end) == (date(2027, 1, 11), date(2027, 1, 15))
    assert (step.scheme, step.deadline, step.status) == ("seks_uger", date(2027, 7, 6),
                                                         "planned")
    assert step.provider_name
    assert events(setup.app, "plan_step_added")[0].detail["step"] == step.id
    # The record's retention starts again with the write (CLIENT_RETENTION_DAYS).
    assert record(setup).retain_until >= date.today() + timedelta(days=364)


def test_another_place_and_no_scheme_can_be_chosen(setup: Setup) -> None:
    assert add_truck(setup, scheme="", session="c_truck|c_truck-02").status_code == 303
    [step] = steps(setup)
    assert (step.session_code, step.scheme, step.deadline) == ("c_truck-02", None, None)


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Vælg et af holdene på listen."),
    ({"course": "c_truck", "session": "c_truck|nope", "scheme": "seks_uger"},
     "Vælg et af holdene på listen."),
    ({"course": "c_truck", "session": "c_svejs|c_svejs-01", "scheme": ""},
     "Vælg et af holdene på listen."),  # full: not offered on the page
    ({"course": "c_truck", "session": "|", "scheme": ""}, "Vælg et af holdene på listen."),
    ({"course": "c_truck", "session": TRUCK, "scheme": "veu"},
     "Vælg en af ordningerne på listen."),  # VEU is a "no" for the unemployed
    ({"course": "c_truck", "session": TRUCK, "scheme": "amu_fee"},
     "Vælg en af ordningerne på listen."),  # a price, not a scheme to apply for
    ({"course": "c_truck", "session": TRUCK, "scheme": "<script>"},
     "Vælg en af ordningerne på listen."),
])
def test_malformed_additions_are_refused_and_add_nothing(setup: Setup, data: dict[str, str],
                                                         message: str) -> None:
    response = setup.web.post(base(setup) + "/plan/trin", data=data)
    assert response.status_code == 400
    html = text(response)
    assert message in html and 'id="error-summary"' in html
    assert "<script>" not in html.split('id="error-summary"')[1].split("</nav>")[0]
    assert steps(setup) == []
    assert events(setup.app, "plan_change_refused")[0].detail["form"] == "add_step"


def test_the_same_session_twice_is_refused(setup: Setup) -> None:
    add_truck(setup)
    response = add_truck(setup)
    assert response.status_code == 400
    assert "Holdet er allerede i planen." in text(response)
    assert len(steps(setup)) == 1


# --- the plan page --------------------------------------------------------------------------

def test_the_plan_shows_two_steps_and_their_status_dates_and_deadline(setup: Setup) -> None:
    add_truck(setup)
    add_truck(setup, scheme="regional_pulje", session="c_truck|c_truck-02")
    first, second = steps(setup)
    response = setup.web.post(base(setup) + f"/plan/trin/{first.id}", data={
        f"step-{first.id}-status": "applied", f"step-{first.id}-status_date": "2026-12-02",
        f"step-{first.id}-deadline": "2027-07-01",
        f"step-{first.id}-deadline_note": "Aftalt med a-kassen"})
    assert response.status_code == 303
    first = steps(setup)[0]
    assert (first.status, first.status_date, first.deadline, first.deadline_note) == (
        "applied", date(2026, 12, 2), date(2027, 7, 1), "Aftalt med a-kassen")
    page = setup.web.get(base(setup) + "/plan")
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("no-store")
    html = text(page)
    for words in ("Plan for Klient A", "Truckcertifikat B", "Søgt", "2. december 2026",
                  "Skal være afsluttet senest 1. juli 2027", "Aftalt med a-kassen",
                  "Regional uddannelsespulje", "Planlagt"):
        assert words in html, words
    assert html.index(f'id="step-{first.id}"') < html.index(f'id="step-{second.id}"')
    assert len(events(setup.app, "plan_viewed")) == 1
    assert events(setup.app, "plan_step_updated")[0].detail["fields"] == [
        "status", "status_date", "deadline", "deadline_note"]


def step_post(s: Setup, step: m.PlanStep, **fields: str) -> Any:
    data = {"status": "planned", **fields}
    return s.web.post(base(s) + f"/plan/trin/{step.id}",
                      data={f"step-{step.id}-{name}": value for name, value in data.items()})


@pytest.mark.parametrize(("fields", "message"), [
    ({"status": ""}, "Vælg en status på listen."),
    ({"status": "finished"}, "Vælg en status på listen."),
    ({"status_date": "31-02-2027"}, "Skriv datoen som en dato, fx 2027-03-01."),
    ({"status_date": "i morgen"}, "Skriv datoen som en dato, fx 2027-03-01."),
    ({"status_date": "2040-01-01"}, "Datoen skal ligge mellem"),
    ({"status_date": "1999-01-01"}, "Datoen skal ligge mellem"),
    ({"deadline": "2027-13-01"}, "Skriv fristen som en dato, fx 2027-03-01."),
    ({"deadline": "3000-01-01"}, "Datoen skal ligge mellem"),
    ({"deadline_note": "x" * 301}, "Noten må højst have 300 tegn."),
])
def test_malformed_step_changes_are_refused_and_change_nothing(
        setup: Setup, fields: dict[str, str], message: str) -> None:
    add_truck(setup)
    [step] = steps(setup)
    response = step_post(setup, step, **fields)
    assert response.status_code == 400
    html = text(response)
    assert message in html and 'id="error-summary"' in html
    assert 'aria-invalid="true"' in html
    [after] = steps(setup)
    assert (after.status, after.status_date, after.deadline, after.deadline_note) == (
        "planned", None, date(2027, 7, 6), "")
    assert events(setup.app, "plan_change_refused")[0].detail["form"] == "step"


def test_move_and_remove_steps(setup: Setup) -> None:
    add_truck(setup)
    add_truck(setup, session="c_truck|c_truck-02")
    first, second = steps(setup)
    assert setup.web.post(base(setup) + f"/plan/trin/{second.id}/flyt",
                          data={"retning": "op"}).status_code == 303
    assert [s.id for s in steps(setup)] == [second.id, first.id]
    response = setup.web.post(base(setup) + f"/plan/trin/{second.id}/flyt",
                              data={"retning": "sidelæns"})
    assert response.status_code == 400
    assert "Vælg at flytte trinnet op eller ned." in text(response)
    assert setup.web.post(base(setup) + f"/plan/trin/{second.id}/slet").status_code == 303
    assert [(s.id, s.position) for s in steps(setup)] == [(first.id, 0)]
    for action in ("plan_step_moved", "plan_step_removed"):
        assert events(setup.app, action), action


def test_a_step_of_another_client_is_not_found(setup: Setup) -> None:
    add_truck(setup)
    [step] = steps(setup)
    other = make_client(setup.app, setup.a.id, label="Klient C", profile=PROFILE)
    for path in (f"/plan/trin/{step.id}", f"/plan/trin/{step.id}/flyt",
                 f"/plan/trin/{step.id}/slet", "/plan/trin/999999"):
        response = setup.web.post(f"/sagsbehandler/klienter/{other}{path}",
                                  data={"retning": "op"})
        assert response.status_code == 404, path
    assert len(steps(setup)) == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"next_contact": "2026-11-30"}, "Næste kontakt kan ikke ligge før i dag."),
    ({"next_contact": "2030-01-01"}, "Datoen skal ligge mellem"),
    ({"next_contact": "snart"}, "Skriv datoen for næste kontakt som en dato"),
    ({"next_contact": "2027-01-15", "next_contact_note": "y" * 301},
     "Noten må højst have 300 tegn."),
])
def test_malformed_next_contacts_are_refused(setup: Setup, data: dict[str, str],
                                             message: str) -> None:
    response = setup.web.post(base(setup) + "/plan/kontakt", data=data)
    assert response.status_code == 400
    assert message in text(response)
    plan = plan_row(setup)
    assert plan is None or plan.next_contact is None


def test_the_next_contact_and_the_goal_are_kept(setup: Setup) -> None:
    assert setup.web.post(base(setup) + "/plan/kontakt", data={
        "next_contact": "15-01-2027", "next_contact_note": "Svar fra a-kassen"}
    ).status_code == 303
    assert setup.web.post(base(setup) + "/plan/maal",
                          data={"target": "lagermedarbejder"}).status_code == 303
    html = text(setup.web.get(base(setup) + "/plan"))
    assert "15. januar 2027: Svar fra a-kassen" in html
    assert "Lagermedarbejder" in html.split('id="goal"')[1].split('id="steps"')[0]
    with setup.app.app_context():
        plan = get_session().get(m.ClientPlan, setup.client_id)
        assert plan is not None
        assert (plan.target_code, plan.next_contact) == ("lagermedarbejder", date(2027, 1, 15))
    assert events(setup.app, "plan_goal_set") and events(setup.app, "plan_contact_set")


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Vælg et job fra resultaterne som mål."),
    ({"target": "astronaut"}, "Vælg et job fra resultaterne som mål."),
    ({"target": "", "route": "c_euv_smed"}, "Vælg en uddannelse fra resultaterne som vej."),
    ({"target": "lagermedarbejder", "route": "nope"},
     "Vælg en uddannelse fra resultaterne som vej."),
])
def test_malformed_goals_are_refused(setup: Setup, data: dict[str, str], message: str) -> None:
    response = setup.web.post(base(setup) + "/plan/maal", data=data)
    assert response.status_code == 400
    assert message in text(response)
    assert plan_row(setup) is None


# --- the catalogue changes; the plan stays -------------------------------------------------

def test_a_cancelled_or_removed_session_is_flagged_and_the_step_kept(setup: Setup) -> None:
    add_truck(setup)
    add_truck(setup, session="c_truck|c_truck-02")
    with setup.app.app_context():
        session = get_session()
        rows = {row.session_code: row for row in session.scalars(
            select(m.CourseSession).where(m.CourseSession.course_code == "c_truck"))}
        rows["c_truck-01"].status = "cancelled"
        session.delete(rows["c_truck-02"])
        session.commit()
    html = text(setup.web.get(base(setup) + "/plan"))
    assert "Holdet er aflyst." in html
    assert "Holdet findes ikke længere i kataloget." in html
    assert html.count("Ændret i kataloget") == 2
    assert html.count("11.–15. januar 2027") == 1 and html.count("1.–5. marts 2027") == 1
    assert len(steps(setup)) == 2


# --- the PDF ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "copy", "words"), [
    ("da", "borger", ("Din plan", "Det her er vejledning, ikke en afgørelse",
                      "Kurset skal være slut senest 6. juli 2027")),
    ("en", "borger", ("Your plan", "This is guidance, not a decision",
                      "The course must be over by 6 July 2027")),
    ("da", "sagsbehandler", ("Plan for Klient A", "Vejledning, ikke en afgørelse",
                             "Skal være afsluttet senest 6. juli 2027")),
    ("en", "sagsbehandler", ("Plan for Klient A", "Guidance, not a decision",
                             "Must be completed by 6 July 2027")),
])
def test_the_plan_as_a_pdf_in_both_languages_and_both_copies(
        setup: Setup, monkeypatch: pytest.MonkeyPatch, language: str, copy: str,
        words: tuple[str, ...]) -> None:
    import matcher.web.pdf as pdf

    shown: list[str] = []
    real = pdf.render_template

    def spy(template: str, **context: Any) -> str:
        html = real(template, **context)
        shown.append(html)
        return html

    monkeypatch.setattr(pdf, "render_template", spy)
    add_truck(setup)
    response = setup.web.get(base(setup) + f"/plan.pdf?sprog={language}&kopi={copy}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"].startswith("no-store")
    html = re.sub(r"\s+", " ", shown[0])
    for expected in words:
        assert expected in html, expected
    assert f'lang="{language}"' in html
    assert events(setup.app, "plan_pdf")[0].detail == {
        "client": setup.client_id, "language": language, "copy": copy}


@pytest.mark.parametrize("query", ["sprog=de", "kopi=alle", "sprog=da&kopi=", "sprog="])
def test_a_pdf_in_an_unknown_language_or_copy_is_refused(setup: Setup, query: str) -> None:
    assert setup.web.get(base(setup) + f"/plan.pdf?{query}").status_code == 400
    assert not events(setup.app, "plan_pdf")


# --- access and audit ----------------------------------------------------------------------

ROUTES = [("GET", "/match", {}), ("POST", "/match/marker", {"item": "course:c_truck",
                                                            "action": "pin"}),
          ("POST", "/plan/trin", {"course": "c_truck", "session": TRUCK, "scheme": ""}),
          ("GET", "/plan", {}), ("GET", "/plan.pdf", {}),
          ("POST", "/plan/maal", {"target": "lagermedarbejder"}),
          ("POST", "/plan/kontakt", {"next_contact": "2027-01-15"})]
STEP_ROUTES = [("POST", "/plan/trin/{step}", {"status": "applied"}),
               ("POST", "/plan/trin/{step}/flyt", {"retning": "ned"}),
               ("POST", "/plan/trin/{step}/slet", {})]


def test_another_caseworkers_client_is_not_found_and_nothing_changes(setup: Setup) -> None:
    add_truck(setup)
    [step] = steps(setup)
    before = events(setup.app, "client_not_found")
    for method, path, data in ROUTES + STEP_ROUTES:
        url = base(setup) + path.format(step=step.id)
        response = setup.other.open(url, method=method, data=data)
        assert response.status_code == 404, url
    assert len(events(setup.app, "client_not_found")) - len(before) == len(ROUTES + STEP_ROUTES)
    assert len(steps(setup)) == 1 and record(setup).pinned == []


def test_every_route_writes_an_audit_row_naming_the_client_and_no_client_data(
        setup: Setup) -> None:
    add_truck(setup)
    [step] = steps(setup)
    for method, path, data in ROUTES + STEP_ROUTES:
        with setup.app.app_context():
            count = len(list(get_session().scalars(select(m.AuditEvent))))
        url = base(setup) + path.format(step=step.id)
        if "{step}" in path:
            data = {f"step-{step.id}-{k}": v for k, v in data.items()} if path.endswith(
                "{step}") else data
        setup.web.open(url, method=method, data=data)
        with setup.app.app_context():
            new = list(get_session().scalars(select(m.AuditEvent).order_by(m.AuditEvent.id)))
        added = new[count:]
        assert added, url
        for event in added:
            assert event.subject == f"client/{setup.client_id}", (url, event.action)
            assert "Klient A" not in str(event.detail) and "lagermedarbejder" not in str(
                event.detail), (url, event.detail)


def test_the_panel_names_the_published_rule_the_answer_rests_on(
        app: Flask, runner: Any, tmp_path: Any) -> None:
    """With funding_rules.csv loaded, each answer names its law and source (design.md §6)."""
    import shutil

    from tests.conftest import MINI_CATALOG

    folder = tmp_path / "mini"
    shutil.copytree(MINI_CATALOG, folder)
    (folder / "funding_rules.csv").write_text(
        "scheme,valid_from,valid_to,decided_by,law,source_url,checked\n"
        "seks_uger,2026-02-01,,a-kassen,LAB § 97 (test),https://star.dk/seks,2026-12-01\n",
        encoding="utf-8")
    app.config["TODAY"] = "2026-12-01"
    assert runner.invoke(args=["catalog", "load", str(folder)]).exit_code == 0
    user = make_user(app, "regel@herning.dk", "caseworker")
    client_id = make_client(app, user.id, profile=PROFILE)
    web = app.test_client()
    login(web, user)
    html = text(web.get(f"/sagsbehandler/klienter/{client_id}/match"))
    row = html.split("<th scope=\"row\">Seks ugers jobrettet uddannelse</th>")[1].split("</tr>")[0]
    assert "Regelgrundlag: LAB § 97 (test)" in row and 'href="https://star.dk/seks"' in row
