"""The caseworkers' client records through the pages: forms, refusals, sharing, export,
deletion, the audit of every route, the purge command, and no client data in the logs."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matcher.data import models as m
from matcher.data.db import get_session
from tests.web.staff_helpers import StaffUser, login, make_client, make_provider, make_user

LABEL = "Anna Testesen"
NOTES = "Vil gerne køre truck; ringer mandag"


@pytest.fixture
def owner(app_loaded: Flask) -> StaffUser:
    return make_user(app_loaded, "sag@herning.dk", "caseworker")


@pytest.fixture
def other(app_loaded: Flask) -> StaffUser:
    return make_user(app_loaded, "sag.b@herning.dk", "caseworker")


@pytest.fixture
def browser(app_loaded: Flask, owner: StaffUser) -> FlaskClient:
    client = app_loaded.test_client()
    login(client, owner)
    return client


@pytest.fixture
def client_id(app_loaded: Flask, owner: StaffUser) -> int:
    return make_client(app_loaded, owner.id, label=LABEL, notes=NOTES)


def row(app: Flask, client_id: int) -> m.Client | None:
    with app.app_context():
        session = get_session()
        found = session.get(m.Client, client_id)
        if found is not None:
            session.expunge(found)
        return found


def snapshot(app: Flask, client_id: int) -> tuple[Any, ...]:
    found = row(app, client_id)
    assert found is not None
    return (found.label, found.notes, found.profile, found.retain_until, found.updated_at)


def client_events(app: Flask, client_id: int | None = None) -> list[m.AuditEvent]:
    with app.app_context():
        query = select(m.AuditEvent).order_by(m.AuditEvent.id)
        if client_id is not None:
            query = query.where(m.AuditEvent.subject == f"client/{client_id}")
        return list(get_session().scalars(query))


def count_clients(app: Flask) -> int:
    with app.app_context():
        return int(get_session().scalar(select(func.count()).select_from(m.Client)) or 0)


# --- create and edit ------------------------------------------------------------------------

def test_create_goes_on_to_the_profile_and_is_audited(app_loaded: Flask,
                                                      browser: FlaskClient,
                                                      owner: StaffUser) -> None:
    response = browser.post("/sagsbehandler/klienter/ny",
                            data={"label": "  Anna   H. ", "notes": "Første møde"})
    assert response.status_code == 303
    assert "/profil/situation" in response.headers["Location"]
    with app_loaded.app_context():
        created = get_session().scalars(select(m.Client)).one()
        assert (created.label, created.notes, created.owner_id) == ("Anna H.", "Første møde",
                                                                    owner.id)
    event = client_events(app_loaded, created.id)[-1]
    assert (event.action, event.actor_id, event.detail["fields"]) == (
        "client_created", owner.id, ["label", "notes"])
    page = browser.get("/sagsbehandler/").get_data(as_text=True)
    assert "Anna H." in page


CPR_MESSAGE_LABEL = "Navnet ligner et CPR-nummer"
CPR_MESSAGE_NOTES = "Noterne indeholder noget, der ligner et CPR-nummer"


@pytest.mark.parametrize(("fields", "message"), [
    ({"label": "", "notes": ""}, "Skriv et navn eller initialer"),
    ({"label": "   "}, "Skriv et navn eller initialer"),
    ({}, "Skriv et navn eller initialer"),
    ({"label": "x" * 81}, "Skriv højst 80 tegn i navnet."),
    ({"label": "010203-1234"}, CPR_MESSAGE_LABEL),
    ({"label": "0102031234"}, CPR_MESSAGE_LABEL),
    ({"label": "Anna 01.02.03-1234"}, CPR_MESSAGE_LABEL),
    ({"label": "０１０２０３１２３４"}, CPR_MESSAGE_LABEL),
    ({"label": "Anna", "notes": "cpr 010203 1234"}, CPR_MESSAGE_NOTES),
    ({"label": "Anna", "notes": "født 150575-4321"}, CPR_MESSAGE_NOTES),
    ({"label": "Anna", "notes": "n" * 2001}, "Skriv højst 2000 tegn i noterne."),
    ({"label": "An\x00na"}, "Navnet indeholder tegn, der ikke kan gemmes."),
])
def test_a_malformed_new_client_is_refused_and_nothing_is_written(
        app_loaded: Flask, browser: FlaskClient, fields: dict[str, str], message: str) -> None:
    response = browser.post("/sagsbehandler/klienter/ny", data=fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Der er et problem" in page
    assert count_clients(app_loaded) == 0
    assert client_events(app_loaded)[-1].action == "client_create_refused"


@pytest.mark.parametrize(("fields", "message"), [
    ({"label": "", "notes": "ok"}, "Skriv et navn eller initialer"),
    ({"label": "Anna", "notes": "010203-1234"}, CPR_MESSAGE_NOTES),
    ({"label": "Anna", "notes": "ring 0102031234"}, CPR_MESSAGE_NOTES),
    ({"label": "311299 0000", "notes": ""}, CPR_MESSAGE_LABEL),
    ({"label": "y" * 200, "notes": ""}, "Skriv højst 80 tegn i navnet."),
    ({"label": "Anna", "notes": "z" * 5000}, "Skriv højst 2000 tegn i noterne."),
])
def test_a_malformed_edit_changes_nothing(app_loaded: Flask, browser: FlaskClient,
                                          client_id: int, fields: dict[str, str],
                                          message: str) -> None:
    before = snapshot(app_loaded, client_id)
    response = browser.post(f"/sagsbehandler/klienter/{client_id}/ret", data=fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert snapshot(app_loaded, client_id) == before
    event = client_events(app_loaded, client_id)[-1]
    assert event.action == "client_update_refused" and event.detail["fields"]


def test_an_edit_is_saved_and_audited_with_the_fields_changed(app_loaded: Flask,
                                                              browser: FlaskClient,
                                                              client_id: int) -> None:
    response = browser.post(f"/sagsbehandler/klienter/{client_id}/ret",
                            data={"label": LABEL, "notes": "Ny note"})
    assert response.status_code == 303
    found = row(app_loaded, client_id)
    assert found is not None and found.notes == "Ny note"
    assert client_events(app_loaded, client_id)[-1].detail["fields"] == ["notes"]
    page = browser.get(f"/sagsbehandler/klienter/{client_id}").get_data(as_text=True)
    assert "Ny note" in page and "artikel 6, stk. 1, litra e" in page
    assert "lov om en aktiv beskæftigelsesindsats" in page
    assert found.retain_until.isoformat() in page or "Slettes automatisk" in page


# --- the profile, with the citizen journey's steps -------------------------------------------

def step(browser: FlaskClient, client_id: int, name: str, action: str = "next",
         query: str = "", **fields: Any) -> Any:
    return browser.post(f"/sagsbehandler/klienter/{client_id}/profil{query}",
                        data={"step": name, "action": action, **fields})


def test_the_profile_is_edited_with_the_journeys_steps(app_loaded: Flask, browser: FlaskClient,
                                                       client_id: int) -> None:
    page = browser.get(f"/sagsbehandler/klienter/{client_id}/profil/situation")
    assert page.status_code == 200
    assert "Hvad er din situation lige nu?" in page.get_data(as_text=True)
    response = step(browser, client_id, "situation", status="unemployed", age="34",
                    benefit="dagpenge", unemployed_weeks="10")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/klienter/{client_id}/profil/uddannelse")
    found = row(app_loaded, client_id)
    assert found is not None
    assert found.profile == {"status": "unemployed", "age": 34, "benefit": "dagpenge",
                             "unemployed_weeks": 10}
    event = client_events(app_loaded, client_id)[-1]
    assert (event.action, event.detail["step"]) == ("client_profile_updated", "situation")
    assert event.detail["fields"] == ["age", "benefit", "status", "unemployed_weeks"]
    # A search stays on the step (200) and changes nothing; adding a job saves it.
    response = step(browser, client_id, "experience", "search:job", **{"job-query": "lager"})
    assert response.status_code == 200 and 'name="job-pick"' in response.get_data(as_text=True)
    response = step(browser, client_id, "experience", "add:job",
                    **{"job-pick": "lagermedarbejder", "years": "2"})
    assert response.status_code == 200
    found = row(app_loaded, client_id)
    assert found is not None and found.profile["occupations"] == [
        {"code": "lagermedarbejder", "years": 3.0}]
    # "Gem og luk" goes back to the record; the last step too.
    response = step(browser, client_id, "experience", query="?luk=1")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/klienter/{client_id}")
    response = step(browser, client_id, "limits", postcode="7400", max_distance_km="50",
                    schedule=["day"], start_within_weeks="26", max_course_days="")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/klienter/{client_id}")
    record = browser.get(f"/sagsbehandler/klienter/{client_id}").get_data(as_text=True)
    assert "7400" in record and "Ledig" in record and "Dagpenge" in record


@pytest.mark.parametrize(("name", "fields", "message"), [
    ("situation", {"status": "", "age": "34"}, "Vælg din situation."),
    ("situation", {"status": "unemployed", "age": "200"}, "Alderen skal være mellem 15 og 80 år."),
    ("situation", {"status": "unemployed", "age": "tre"}, "Skriv et helt tal, fx 34."),
    ("situation", {"status": "king", "age": "34"}, "Not a valid choice"),
    ("education", {"education_level": "doctor-ish"}, "Not a valid choice"),
    ("education", {"education_level": "eud", "certificates": "<script>"},
     "Vælg kun blandt kørekortene og certifikaterne på listen."),
    ("limits", {"postcode": "74", "schedule": "day"}, "Et postnummer har 4 cifre, fx 7400."),
    ("limits", {"postcode": "9999", "schedule": "day"}, "Postnummeret 9999 findes ikke."),
    ("limits", {"postcode": "7400"}, "Vælg mindst ét tidspunkt."),
])
def test_bad_profile_values_are_refused_and_change_nothing(
        app_loaded: Flask, browser: FlaskClient, client_id: int, name: str,
        fields: dict[str, str], message: str) -> None:
    before = snapshot(app_loaded, client_id)
    response = step(browser, client_id, name, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Der er et problem" in page
    if not message.startswith("Not a valid"):
        assert message in page
    assert snapshot(app_loaded, client_id) == before
    assert client_events(app_loaded, client_id)[-1].action == "client_update_refused"


def test_an_unknown_profile_step_is_not_found(browser: FlaskClient, client_id: int) -> None:
    assert browser.get(f"/sagsbehandler/klienter/{client_id}/profil/resultater").status_code \
        == 404


# --- who may see a record ------------------------------------------------------------------

CLIENT_URLS = [("GET", "/sagsbehandler/klienter/{id}"), ("GET", "/sagsbehandler/klienter/{id}/ret"),
               ("POST", "/sagsbehandler/klienter/{id}/ret"),
               ("GET", "/sagsbehandler/klienter/{id}/profil/situation"),
               ("POST", "/sagsbehandler/klienter/{id}/profil"),
               ("GET", "/sagsbehandler/klienter/{id}/del"), ("POST", "/sagsbehandler/klienter/{id}/del"),
               ("GET", "/sagsbehandler/klienter/{id}/eksport.json"),
               ("GET", "/sagsbehandler/klienter/{id}/eksport.pdf"),
               ("GET", "/sagsbehandler/klienter/{id}/slet"),
               ("POST", "/sagsbehandler/klienter/{id}/slet")]


@pytest.mark.parametrize(("method", "url"), CLIENT_URLS)
def test_another_caseworkers_client_is_not_found_and_not_touched(
        app_loaded: Flask, other: StaffUser, client_id: int, method: str, url: str) -> None:
    before = snapshot(app_loaded, client_id)
    browser = app_loaded.test_client()
    login(browser, other)
    data = {"label": "Hacked", "notes": "", "user": str(other.id), "confirm": "y",
            "step": "situation", "status": "unemployed", "age": "30"}
    response = browser.open(url.format(id=client_id), method=method, data=data)
    assert response.status_code == 404
    assert LABEL not in response.get_data(as_text=True)
    assert snapshot(app_loaded, client_id) == before
    event = client_events(app_loaded, client_id)[-1]
    assert (event.action, event.actor_id) == ("client_not_found", other.id)
    # An id that does not exist at all gets the same answer.
    assert browser.open(url.format(id=99_999), method=method, data=data).status_code == 404


def test_a_shared_client_is_seen_and_worked_on_by_the_colleague(
        app_loaded: Flask, browser: FlaskClient, other: StaffUser, client_id: int) -> None:
    page = browser.get(f"/sagsbehandler/klienter/{client_id}/del").get_data(as_text=True)
    assert f'<option value="{other.id}">sag.b@herning.dk</option>' in page
    response = browser.post(f"/sagsbehandler/klienter/{client_id}/del",
                            data={"user": str(other.id)})
    assert response.status_code == 303
    colleague = app_loaded.test_client()
    login(colleague, other)
    listing = colleague.get("/sagsbehandler/").get_data(as_text=True)
    assert LABEL in listing and "Delt af sag@herning.dk" in listing
    assert colleague.get(f"/sagsbehandler/klienter/{client_id}").status_code == 200
    assert colleague.post(f"/sagsbehandler/klienter/{client_id}/ret",
                          data={"label": LABEL, "notes": "Fra kollega"}).status_code == 303
    # Only the owner shares or stops sharing.
    assert colleague.post(f"/sagsbehandler/klienter/{client_id}/del",
                          data={"user": str(other.id)}).status_code == 403
    assert colleague.post(f"/sagsbehandler/klienter/{client_id}/del/{other.id}/fjern"
                          ).status_code == 403
    response = browser.post(f"/sagsbehandler/klienter/{client_id}/del/{other.id}/fjern")
    assert response.status_code == 303
    assert colleague.get(f"/sagsbehandler/klienter/{client_id}").status_code == 404
    actions = [e.action for e in client_events(app_loaded, client_id)]
    assert "client_shared" in actions and "client_unshared" in actions


@pytest.mark.parametrize(("who", "message"), [
    ("self", "Det er klientens ejer."),
    ("provider", "Klienter kan kun deles med sagsbehandlere."),
    ("admin", "Klienter kan kun deles med sagsbehandlere."),
    ("unknown", "Vælg en aktiv sagsbehandler på listen."),
    ("garbage", "Vælg en aktiv sagsbehandler på listen."),
    ("empty", "Vælg den kollega, klienten skal deles med."),
    ("again", "Klienten er allerede delt med den kollega."),
])
def test_a_bad_share_is_refused_and_changes_nothing(
        app_loaded: Flask, browser: FlaskClient, owner: StaffUser, other: StaffUser,
        client_id: int, who: str, message: str) -> None:
    make_provider(app_loaded, "p_a")
    ids = {"self": str(owner.id), "unknown": "99999", "garbage": "1 OR 1=1", "empty": "",
           "again": str(other.id),
           "provider": str(make_user(app_loaded, "p@x.dk", "provider", provider="p_a").id),
           "admin": str(make_user(app_loaded, "chef@herning.dk", "admin").id)}
    if who == "again":
        assert browser.post(f"/sagsbehandler/klienter/{client_id}/del",
                            data={"user": str(other.id)}).status_code == 303
    with app_loaded.app_context():
        shares_before = len(get_session().scalars(select(m.ClientShare)).all())
    response = browser.post(f"/sagsbehandler/klienter/{client_id}/del", data={"user": ids[who]})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app_loaded.app_context():
        assert len(get_session().scalars(select(m.ClientShare)).all()) == shares_before


def test_unsharing_someone_not_shared_is_not_found(browser: FlaskClient, other: StaffUser,
                                                   client_id: int) -> None:
    assert browser.post(f"/sagsbehandler/klienter/{client_id}/del/{other.id}/fjern"
                        ).status_code == 404


# --- export and delete -----------------------------------------------------------------------

def test_the_json_and_pdf_exports(app_loaded: Flask, browser: FlaskClient,
                                  client_id: int) -> None:
    response = browser.get(f"/sagsbehandler/klienter/{client_id}/eksport.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert (data["client"]["label"], data["client"]["notes"]) == (LABEL, NOTES)
    assert data["audit"][0]["action"] == "client_exported"
    assert "sag@herning.dk" not in response.get_data(as_text=True)
    response = browser.get(f"/sagsbehandler/klienter/{client_id}/eksport.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    formats = [e.detail.get("format") for e in client_events(app_loaded, client_id)
               if e.action == "client_exported"]
    assert formats == ["json", "pdf"]


def test_delete_needs_the_confirmation(app_loaded: Flask, browser: FlaskClient,
                                       client_id: int) -> None:
    page = browser.get(f"/sagsbehandler/klienter/{client_id}/slet")
    assert page.status_code == 200
    response = browser.post(f"/sagsbehandler/klienter/{client_id}/slet", data={})
    assert response.status_code == 400
    assert "Sæt kryds for at bekræfte" in response.get_data(as_text=True)
    assert row(app_loaded, client_id) is not None
    response = browser.post(f"/sagsbehandler/klienter/{client_id}/slet", data={"confirm": "y"})
    assert response.status_code == 303
    assert row(app_loaded, client_id) is None
    event = client_events(app_loaded, client_id)[-1]
    assert event.action == "client_deleted"
    assert LABEL not in json.dumps(event.detail) and NOTES not in json.dumps(event.detail)
    assert browser.get(f"/sagsbehandler/klienter/{client_id}").status_code == 404


# --- every route is audited ----------------------------------------------------------------

def _values(app: Flask, endpoint: str, client_id: int, step_id: int,
            other: StaffUser) -> dict[str, Any]:
    rule = next(app.url_map.iter_rules(endpoint))
    known = {"client_id": client_id, "user_id": other.id, "path": "situation",
             "step_id": step_id}
    return {name: known.get(name, 1) for name in rule.arguments}


# The one client route that reads and writes nothing of a client: the empty new-client form.
READS_NOTHING = {("caseworker.new_client", "GET")}


def test_every_client_route_writes_an_audit_row(app_loaded: Flask, owner: StaffUser,
                                                other: StaffUser) -> None:
    """Walks app.url_map: every route about one client (the plan's too), and the
    caseworkers' own pages; each must write an audit row naming the actor (and the client)."""
    from flask import url_for

    admin = make_user(app_loaded, "chef@herning.dk", "admin")
    as_owner, as_admin = app_loaded.test_client(), app_loaded.test_client()
    login(as_owner, owner)
    login(as_admin, admin)
    routes = sorted({(rule.endpoint, method) for rule in app_loaded.url_map.iter_rules()
                     if "client_id" in rule.arguments or rule.endpoint.startswith("caseworker.")
                     for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
                    - READS_NOTHING)
    assert ("caseworker.client", "GET") in routes and ("admin.client", "GET") in routes
    unaudited = []
    for endpoint, method in routes:
        # A fresh client for each, with a plan step: a delete cannot starve the next route.
        client_id = make_client(app_loaded, owner.id, label=LABEL, notes=NOTES,
                                shared_with=other.id)
        with app_loaded.app_context():
            session = get_session()
            plan_step = m.PlanStep(client_id=client_id, course_code="c_truck",
                                   course_title="Truck")
            session.add(plan_step)
            session.commit()
            step_id = plan_step.id
        arguments = _values(app_loaded, endpoint, client_id, step_id, other)
        with app_loaded.test_request_context():
            url = url_for(endpoint, **arguments)
        browser = as_admin if endpoint.startswith("admin.") else as_owner
        actor = admin.id if endpoint.startswith("admin.") else owner.id
        before = {e.id for e in client_events(app_loaded)}
        browser.open(url, method=method, data={})
        new = [e for e in client_events(app_loaded) if e.id not in before]
        about = [e for e in new if e.actor_id == actor and (
            e.subject == f"client/{client_id}" if "client_id" in arguments
            else e.action.startswith("client"))]
        if not about:
            unaudited.append(f"{method} {url}: {[(e.action, e.subject) for e in new]}")
    assert not unaudited, "\n".join(unaudited)


# --- administrators -------------------------------------------------------------------------

def test_an_admin_shares_and_reads_the_audit_but_not_the_record(
        app_loaded: Flask, owner: StaffUser, other: StaffUser, client_id: int) -> None:
    admin = make_user(app_loaded, "chef@herning.dk", "admin")
    browser = app_loaded.test_client()
    login(browser, admin)
    assert browser.get(f"/sagsbehandler/klienter/{client_id}").status_code == 403
    listing = browser.get("/admin/klienter").get_data(as_text=True)
    assert LABEL in listing and "sag@herning.dk" in listing
    page = browser.get(f"/admin/klienter/{client_id}").get_data(as_text=True)
    assert LABEL in page and NOTES not in page
    response = browser.post(f"/admin/klienter/{client_id}/del", data={"user": str(owner.id)})
    assert response.status_code == 400
    assert "Det er klientens ejer." in response.get_data(as_text=True)
    response = browser.post(f"/admin/klienter/{client_id}/del", data={"user": str(admin.id)})
    assert response.status_code == 400
    assert "Klienter kan kun deles med sagsbehandlere." in response.get_data(as_text=True)
    response = browser.post(f"/admin/klienter/{client_id}/del", data={"user": str(other.id)})
    assert response.status_code == 303
    with app_loaded.app_context():
        assert get_session().get(m.ClientShare, (client_id, other.id)) is not None
    log = browser.get("/admin/logbog/klienter").get_data(as_text=True)
    assert "Delt" in log and "chef@herning.dk" in log and NOTES not in log
    filtered = browser.get(f"/admin/logbog/klienter?handling=client_shared&klient={client_id}")
    assert filtered.status_code == 200
    assert browser.post(f"/admin/klienter/{client_id}/del/{other.id}/fjern").status_code == 303
    assert browser.post(f"/admin/klienter/{client_id}/del/{other.id}/fjern").status_code == 404
    assert browser.get("/admin/klienter/99999").status_code == 404


# --- the purge command -----------------------------------------------------------------------

def test_clients_purge_deletes_records_past_retention(app_loaded: Flask, owner: StaffUser,
                                                      other: StaffUser) -> None:
    """Time travel: one record past its retention goes with its plan, steps and shares."""
    old = make_client(app_loaded, owner.id, label="Gammel", shared_with=other.id,
                      retain_until="2026-11-30")
    kept = make_client(app_loaded, owner.id, label="Ny", retain_until="2026-12-01")
    now = datetime.now(UTC)
    with app_loaded.app_context():
        session = get_session()
        session.add(m.ClientPlan(client_id=old))
        session.add(m.PlanStep(client_id=old, course_code="c1", course_title="Kursus"))
        session.add(m.HandoffCode(code_hash="a" * 64, payload="x",
                                  expires_at=now - timedelta(days=400)))
        session.add(m.HandoffCode(code_hash="b" * 64, payload="y",
                                  expires_at=now + timedelta(days=3)))
        session.commit()
    result = app_loaded.test_cli_runner().invoke(args=["clients", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 client record(s)" in result.output
    with app_loaded.app_context():
        session = get_session()
        assert [c.id for c in session.scalars(select(m.Client))] == [kept]
        for model in (m.ClientShare, m.ClientPlan, m.PlanStep):
            assert session.scalars(select(model)).all() == []
        assert [c.code_hash[0] for c in session.scalars(select(m.HandoffCode))] == ["b"]
        summary = session.scalars(select(m.AuditEvent).where(
            m.AuditEvent.action == "clients_purged")).one()
        assert summary.detail["clients"] == 1 and summary.detail["actor"].startswith("cli:")
    purged = [e for e in client_events(app_loaded, old) if e.action == "client_purged"]
    assert len(purged) == 1 and "Gammel" not in json.dumps(purged[0].detail)
    # Run again: nothing more to do.
    again = app_loaded.test_cli_runner().invoke(args=["clients", "purge"])
    assert "Deleted 0 client record(s)" in again.output


# --- privacy: no client data in logs or the audit --------------------------------------------

def test_no_client_data_in_the_logs_or_the_audit(app_loaded: Flask, browser: FlaskClient,
                                                 other: StaffUser,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    label, notes = "Zelda Quixote", "Hemmelig note om ryg"
    response = browser.post("/sagsbehandler/klienter/ny", data={"label": label, "notes": notes})
    client_id = int(response.headers["Location"].split("/klienter/")[1].split("/")[0])
    step(browser, client_id, "situation", status="unemployed", age="57")
    step(browser, client_id, "limits", postcode="7400", schedule=["day"], max_distance_km="50",
         start_within_weeks="26")
    browser.post(f"/sagsbehandler/klienter/{client_id}/ret",
                 data={"label": label, "notes": notes + " mere"})
    browser.post(f"/sagsbehandler/klienter/{client_id}/ret", data={"label": label,
                                                                  "notes": "010203-1234"})
    browser.post(f"/sagsbehandler/klienter/{client_id}/del", data={"user": str(other.id)})
    browser.get(f"/sagsbehandler/klienter/{client_id}/eksport.json")
    browser.get(f"/sagsbehandler/klienter/{client_id}/eksport.pdf")
    browser.post(f"/sagsbehandler/klienter/{client_id}/slet", data={"confirm": "y"})
    secrets = (label, notes, "Hemmelig", "Zelda", "010203-1234", "0102031234")
    for secret in secrets:
        assert secret not in caplog.text
    details = json.dumps([e.detail for e in client_events(app_loaded)], ensure_ascii=False)
    for secret in (*secrets, "7400", "unemployed"):
        assert secret not in details, secret


def test_the_pages_in_english(browser: FlaskClient, client_id: int) -> None:
    browser.post("/sprog", data={"lang": "en", "next": "/"})
    page = browser.get(f"/sagsbehandler/klienter/{client_id}").get_data(as_text=True)
    assert "Legal basis and retention" in page and "Article 6(1)(e)" in page
    listing = browser.get("/sagsbehandler/").get_data(as_text=True)
    assert "Your clients" in listing
    response = browser.post("/sagsbehandler/klienter/ny", data={"label": "0102031234"})
    assert "looks like a CPR number" in response.get_data(as_text=True)
