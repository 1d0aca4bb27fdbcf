"""Every route × every persona, with the outcome each one must get (ASVS 8.1–8.2).

The table is the written authorization policy: a route missing from it fails the test,
and so does any outcome other than the declared one, wrong-owner cases included.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from tests.web.staff_helpers import login, make_course, make_provider, make_session, make_user

PERSONAS = ("anonymous", "provider_a", "provider_b", "caseworker", "admin")

LOGIN = 302  # anonymous visitors to staff pages are sent to the login page


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def only(allowed: dict[str, int]) -> dict[str, int]:
    """Staff pages: login for anonymous, 403 for other roles, as given for the allowed."""
    return {"anonymous": LOGIN, **{p: 403 for p in PERSONAS[1:]}, **allowed}


# (endpoint, method) -> persona -> status. Order matters only in that logout comes last.
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
    ("auth.logout", "POST"): everyone(303),
}


@dataclass
class World:
    target_user: int
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
        "admin": make_user(app, "chef@herning.dk", "admin"),
    }
    target = make_user(app, "maal@herning.dk", "caseworker", second_factor=False)
    return World(target_user=target.id, course=course,
                  session_id=make_session(app, course)), users


def url_for_rule(app: Flask, endpoint: str, world: World) -> str:
    from flask import url_for

    values = {"user_id": world.target_user, "code": world.course, "path": "uddannelse",
              "session_id": world.session_id, "kind": "courses"}
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
    for (endpoint, method), outcome in POLICY.items():
        url = url_for_rule(app, endpoint, world)
        response = client.open(url, method=method)
        if response.status_code != outcome[persona]:
            wrong.append(f"{method} {url}: {response.status_code}, expected {outcome[persona]}")
        sent_to = response.headers.get("Location", "")
        if persona == "anonymous" and outcome[persona] == LOGIN \
                and not sent_to.startswith("/log-ind"):
            wrong.append(f"{method} {url}: sent to {sent_to!r}, not the login page")
    assert not wrong, "\n".join(wrong)
