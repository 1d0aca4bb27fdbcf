"""Every route × every persona, with the outcome each one must get (ASVS 8.1–8.2).

The table is the written authorization policy: a route missing from it fails the test,
and so does any outcome other than the declared one, wrong-owner cases included.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from tests.web.staff_helpers import (
    login,
    make_client,
    make_course,
    make_provider,
    make_session,
    make_user,
)

PERSONAS = ("anonymous", "provider_a", "provider_b", "caseworker", "caseworker_b", "admin")

LOGIN = 302  # anonymous visitors to staff pages are sent to the login page


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def only(allowed: dict[str, int]) -> dict[str, int]:
    """Staff pages: login for anonymous, 403 for other roles, as given for the allowed.

    caseworker_b (a second caseworker) gets the caseworker's outcome unless given its own:
    they differ only where a row is about caseworker A's client (B is told 404).
    """
    if "caseworker" in allowed and "caseworker_b" not in allowed:
        allowed = {**allowed, "caseworker_b": allowed["caseworker"]}
    return {"anonymous": LOGIN, **{p: 403 for p in PERSONAS[1:]}, **allowed}


# (endpoint, method) -> persona -> status. Rows run in this order, but RUN_LAST's last.
POLICY: dict[tuple[str, str], dict[str, int]] = {
    ("citizen.home", "GET"): everyone(200),
    ("citizen.about_data", "GET"): everyone(200),
    ("citizen.accessibility", "GET"): everyone(200),
    ("citizen.was_redirect", "GET"): everyone(301),
    ("citizen.how", "GET"): everyone(200),
    ("citizen.health", "GET"): everyone(200),
    ("citizen.journey", "GET"): everyone(200),
    ("citizen.journey_step", "POST"): everyone(303),
    ("citizen.results", "POST"): everyone(303),
    ("citizen.results_page", "GET"): everyone(303),  # no answers yet: the first step
    ("citizen.plan", "GET"): everyone(303),
    ("citizen.plan_download", "GET"): everyone(303),
    ("citizen.privacy", "GET"): everyone(200),
    ("citizen.start_with_course", "POST"): everyone(303),
    ("citizen.forget", "POST"): everyone(303),
    ("citizen.choose_language", "POST"): everyone(303),
    # Hand-off: with no answers in the browser, back to the first step; no code made, the
    # code page sends the visitor to the consent page.
    ("share.consent", "GET"): everyone(303),
    ("share.create", "POST"): everyone(303),
    ("share.code", "GET"): everyone(303),
    ("courses.search", "GET"): everyone(200),
    ("courses.course", "GET"): everyone(200),
    ("api.courses", "GET"): everyone(503),  # this world has a course but no catalogue
    ("api.match", "POST"): everyone(400),
    ("api.suggest", "GET"): everyone(400),
    ("api.openapi_document", "GET"): everyone(200),
    ("auth.login", "GET"): everyone(200),
    ("auth.login", "POST"): everyone(400),
    ("auth.code", "GET"): everyone(302),
    ("auth.code", "POST"): everyone(302),
    ("auth.account", "GET"): only({"provider_a": 200, "provider_b": 200, "caseworker": 200,
                                   "admin": 200}),
    ("auth.change_password", "GET"): only({"provider_a": 200, "provider_b": 200,
                                           "caseworker": 200, "admin": 200}),
    ("auth.change_password", "POST"): only({"provider_a": 400, "provider_b": 400,
                                            "caseworker": 400, "admin": 400}),
    ("auth.second_factor", "GET"): only({"provider_a": 200, "provider_b": 200,
                                         "caseworker": 200, "admin": 200}),
    ("auth.second_factor", "POST"): only({"provider_a": 400, "provider_b": 400,
                                          "caseworker": 400, "admin": 400}),
    ("admin.users", "GET"): only({"admin": 200}),
    ("admin.invite", "GET"): only({"admin": 200}),
    ("admin.invite", "POST"): only({"admin": 400}),
    ("admin.user", "GET"): only({"admin": 200}),
    ("admin.change_role", "POST"): only({"admin": 400}),
    ("admin.reset", "POST"): only({"admin": 200}),
    ("admin.deactivate", "POST"): only({"admin": 303}),
    ("admin.reactivate", "POST"): only({"admin": 303}),
    ("caseworker.home", "GET"): only({"caseworker": 200}),
    # Caseworker A's client (shared with a third caseworker): B is told it does not exist
    # (no IDOR), an administrator is not a caseworker (403; they share in the admin area).
    # Empty posts are refused with the form's errors (400), nothing changed.
    ("caseworker.new_client", "GET"): only({"caseworker": 200}),
    ("caseworker.new_client", "POST"): only({"caseworker": 400}),
    ("caseworker.client", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("caseworker.edit_client", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("caseworker.edit_client", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("caseworker.profile", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("caseworker.profile_step", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("caseworker.share", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("caseworker.share", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("caseworker.export_json", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("caseworker.export_pdf", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("caseworker.delete_client", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("caseworker.unshare", "POST"): only({"caseworker": 303, "caseworker_b": 404}),
    # Run last but for logout (RUN_LAST): the client is gone afterwards.
    ("caseworker.delete_client", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("admin.clients_list", "GET"): only({"admin": 200}),
    ("admin.client", "GET"): only({"admin": 200}),
    ("admin.share_client", "POST"): only({"admin": 400}),
    ("admin.unshare_client", "POST"): only({"admin": 303}),
    ("admin.client_audit", "GET"): only({"admin": 200}),
    # A citizen's code: the form, and an empty post refused with the form's errors.
    ("handoff.start", "GET"): only({"caseworker": 200}),
    ("handoff.redeem", "POST"): only({"caseworker": 400}),
    # Matching with the client and the plan (issue 13): the world's client has no profile
    # yet, so the match page says so (200) and adding a course is refused (400); empty posts
    # are refused with the form's errors, but for the next contact (blank clears it).
    ("plans.match", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("plans.mark", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("plans.plan", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("plans.plan_download", "GET"): only({"caseworker": 200, "caseworker_b": 404}),
    ("plans.set_goal", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("plans.add_step", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("plans.update_step", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("plans.move_step", "POST"): only({"caseworker": 400, "caseworker_b": 404}),
    ("plans.set_contact", "POST"): only({"caseworker": 303, "caseworker_b": 404}),
    # After the step's other rows: the step is gone afterwards.
    ("plans.remove_step", "POST"): only({"caseworker": 303, "caseworker_b": 404}),
    ("provider.home_provider", "GET"): only({"provider_a": 200, "provider_b": 200}),
    # Provider A's own course: provider B is told it does not exist (no IDOR).
    ("provider.course", "GET"): only({"provider_a": 200, "provider_b": 404}),
    ("provider.new_course", "GET"): only({"provider_a": 200, "provider_b": 200}),
    ("provider.new_course", "POST"): only({"provider_a": 400, "provider_b": 400}),
    ("provider.edit_course", "GET"): only({"provider_a": 200, "provider_b": 404}),
    ("provider.edit_course", "POST"): only({"provider_a": 400, "provider_b": 404}),
    ("provider.confirm_course", "POST"): only({"provider_a": 303, "provider_b": 404}),
    ("provider.new_session", "GET"): only({"provider_a": 200, "provider_b": 404}),
    ("provider.new_session", "POST"): only({"provider_a": 400, "provider_b": 404}),
    ("provider.edit_session", "GET"): only({"provider_a": 200, "provider_b": 404}),
    ("provider.edit_session", "POST"): only({"provider_a": 400, "provider_b": 404}),
    ("provider.cancel_session", "POST"): only({"provider_a": 303, "provider_b": 404}),
    ("provider.archive_course", "POST"): only({"provider_a": 303, "provider_b": 404}),
    ("provider.restore_course", "POST"): only({"provider_a": 303, "provider_b": 404}),
    # Bulk upload: no file is a 400; a confirm without a valid signed preview is a 400.
    ("provider.upload", "GET"): only({"provider_a": 200, "provider_b": 200}),
    ("provider.upload", "POST"): only({"provider_a": 400, "provider_b": 400}),
    ("provider.upload_confirm", "POST"): only({"provider_a": 400, "provider_b": 400}),
    ("provider.export", "GET"): only({"provider_a": 200, "provider_b": 200}),
    ("admin.audit", "GET"): only({"admin": 200}),
    # The municipal view (issue 14): an empty post of the indicator's form is refused (400).
    ("insight.page", "GET"): only({"admin": 200}),
    ("insight.export", "GET"): only({"admin": 200}),
    ("insight.eud", "GET"): only({"admin": 200}),
    ("insight.eud", "POST"): only({"admin": 400}),
    # Imports (issue 14): an upload without a file and an "Importér" without a valid
    # preview token are refused (400); this world has no import run (404 for the admin,
    # tests/web/test_admin_import.py shows a real one).
    ("admin_import.index", "GET"): only({"admin": 200}),
    ("admin_import.formats", "GET"): only({"admin": 200}),
    ("admin_import.upload", "POST"): only({"admin": 400}),
    ("admin_import.apply", "POST"): only({"admin": 400}),
    ("admin_import.run", "GET"): only({"admin": 404}),
    ("admin_import.run_status", "GET"): only({"admin": 404}),
    ("auth.logout", "POST"): everyone(303),
}


# Rows run after all others, in this order, whatever order rows are added in.
RUN_LAST = (("caseworker.delete_client", "POST"), ("auth.logout", "POST"))


def make_plan_step(app: Flask, client_id: int) -> int:
    """A step of the client's plan (issue 13); its id."""
    from matcher.data import models as m
    from matcher.data.db import get_session

    with app.app_context():
        session = get_session()
        step = m.PlanStep(client_id=client_id, position=0, course_code="c_a",
                          course_title="Kursus c_a", status="planned")
        session.add(step)
        session.commit()
        return step.id


@dataclass
class World:
    target_user: int
    client_id: int
    step_id: int
    course: str
    session_id: int


def build_world(app: Flask) -> tuple[World, dict[str, object]]:
    make_provider(app, "p_a")
    make_provider(app, "p_b")
    course = make_course(app, "c_a", "p_a")
    users = {
        "provider_a": make_user(app, "a@example.dk", "provider", provider="p_a"),
        "provider_b": make_user(app, "b@example.dk", "provider", provider="p_b"),
        "caseworker": make_user(app, "sag@herning.dk", "caseworker"),
        "caseworker_b": make_user(app, "sag.b@herning.dk", "caseworker"),
        "admin": make_user(app, "chef@herning.dk", "admin"),
    }
    target = make_user(app, "maal@herning.dk", "caseworker", second_factor=False)
    client_id = make_client(app, users["caseworker"].id, shared_with=target.id)
    return World(target_user=target.id, client_id=client_id,
                 step_id=make_plan_step(app, client_id), course=course,
                 session_id=make_session(app, course)), users


def url_for_rule(app: Flask, endpoint: str, world: World) -> str:
    from flask import url_for

    values = {"user_id": world.target_user, "client_id": world.client_id,
              "step_id": world.step_id,
              "code": world.course, "path": "uddannelse",
              "session_id": world.session_id, "kind": "courses",
              "run_id": 2_000_000_000, "table": "udbud"}
    with app.test_request_context():
        rule = next(r for r in app.url_map.iter_rules(endpoint))
        return url_for(endpoint, **{k: values[k] for k in rule.arguments})


def test_every_route_and_method_has_a_declared_outcome(app: Flask) -> None:
    declared = set(POLICY)
    actual = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint != "static"
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    assert actual - declared == set(), "routes without a declared outcome"
    assert declared - actual == set(), "declared routes that no longer exist"


@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(app: Flask, persona: str) -> None:
    world, users = build_world(app)
    client = app.test_client()
    if persona != "anonymous":
        login(client, users[persona])  # type: ignore[arg-type]
    wrong = []
    ordered = sorted(POLICY.items(), key=lambda row: (row[0] in RUN_LAST,
                                                      RUN_LAST.index(row[0])
                                                      if row[0] in RUN_LAST else 0))
    for (endpoint, method), outcome in ordered:
        url = url_for_rule(app, endpoint, world)
        response = client.open(url, method=method)
        if response.status_code != outcome[persona]:
            wrong.append(f"{method} {url}: {response.status_code}, expected {outcome[persona]}")
        sent_to = response.headers.get("Location", "")
        if persona == "anonymous" and outcome[persona] == LOGIN \
                and not sent_to.startswith("/log-ind"):
            wrong.append(f"{method} {url}: sent to {sent_to!r}, not the login page")
    assert not wrong, "\n".join(wrong)
