"""The plan's data functions (matcher.data.plans): pins, steps and what the catalogue says now.

They take the session first and never commit; a step copies what it shows, so the plan
outlives the catalogue, and a step whose session or course changed is flagged, never lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data import plans
from matcher.data.db import get_session
from tests.web.staff_helpers import make_client, make_course, make_provider, make_session, make_user

STEP = plans.NewStep(course_code="c_a", course_title="Kursus c_a", provider_name="Demo p_a",
                     session_code="2027-03-01", start=date(2027, 3, 1), end=date(2027, 3, 1),
                     scheme="seks_uger", deadline=date(2027, 7, 6))


@pytest.fixture
def world(app: Flask) -> Iterator[tuple[Session, m.Client, m.UserAccount]]:
    make_provider(app, "p_a")
    make_course(app, "c_a", "p_a")
    make_session(app, "c_a", "2027-03-01")
    make_session(app, "c_a", "2027-04-01")
    user = make_user(app, "sag@herning.dk", "caseworker")
    client_id = make_client(app, user.id, label="Klient A")
    with app.app_context():
        session = get_session()
        client = session.get(m.Client, client_id)
        actor = session.get(m.UserAccount, user.id)
        assert client is not None and actor is not None
        yield session, client, actor


def audit_rows(session: Session, action: str) -> list[m.AuditEvent]:
    return list(session.scalars(select(m.AuditEvent).where(m.AuditEvent.action == action)))


def test_a_mark_is_either_pinned_or_excluded_and_audited_without_the_label(
        world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    assert plans.set_mark(session, client, "course", "c_a", "pin", actor=actor, ip=None)
    assert (client.pinned, client.excluded) == (["course:c_a"], [])
    assert plans.set_mark(session, client, "course", "c_a", "exclude", actor=actor, ip=None)
    assert (client.pinned, client.excluded) == ([], ["course:c_a"])
    assert not plans.set_mark(session, client, "course", "c_a", "exclude", actor=actor, ip=None)
    assert plans.set_mark(session, client, "course", "c_a", "include", actor=actor, ip=None)
    assert client.excluded == []
    rows = audit_rows(session, "client_mark_set")
    assert [row.detail["mark"] for row in rows] == ["pin", "exclude", "exclude", "include"]
    assert all(row.subject == f"client/{client.id}" and "Klient A" not in str(row.detail)
               for row in rows)


def test_marks_are_limited(world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    client.pinned = [f"course:c{i}" for i in range(plans.MAX_MARKS)]
    with pytest.raises(plans.PlanRefused):
        plans.set_mark(session, client, "occupation", "x", "exclude", actor=actor, ip=None)
    assert client.excluded == []


@pytest.mark.parametrize(("key", "parsed"), [
    ("course:c_a", ("course", "c_a")), ("occupation:svejser", ("occupation", "svejser")),
    ("skill:x", None), ("course:", None), ("c_a", None), ("", None)])
def test_split_mark(key: str, parsed: tuple[str, str] | None) -> None:
    assert plans.split_mark(key) == parsed


def test_steps_are_added_moved_and_removed_in_order(
        world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    first = plans.add_step(session, client, STEP, actor=actor, ip=None)
    second = plans.add_step(session, client, replace(STEP, session_code="2027-04-01"),
                            actor=actor, ip=None)
    assert [(s.id, s.position) for s in client.steps] == [(first.id, 0), (second.id, 1)]
    assert not plans.move_step(session, client, first, -1, actor=actor, ip=None)  # at the top
    assert plans.move_step(session, client, first, 1, actor=actor, ip=None)
    assert [s.id for s in sorted(client.steps, key=lambda s: s.position)] == [second.id,
                                                                              first.id]
    plans.remove_step(session, client, second, actor=actor, ip=None)
    session.flush()
    assert [(s.id, s.position) for s in client.steps] == [(first.id, 0)]
    assert client.plan is not None and client.plan.updated_at == client.updated_at
    assert client.retain_until > date.today()
    for action in ("plan_step_added", "plan_step_moved", "plan_step_removed"):
        assert audit_rows(session, action), action


def test_the_same_session_twice_and_too_many_steps_are_refused(
        world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    plans.add_step(session, client, STEP, actor=actor, ip=None)
    with pytest.raises(plans.PlanRefused, match="already_planned"):
        plans.add_step(session, client, STEP, actor=actor, ip=None)
    for i in range(plans.MAX_STEPS - 1):
        plans.add_step(session, client, replace(STEP, session_code=f"s{i}"), actor=actor,
                       ip=None)
    with pytest.raises(plans.PlanRefused, match="too_many_steps"):
        plans.add_step(session, client, replace(STEP, session_code="one-more"), actor=actor,
                       ip=None)


def test_update_step_names_what_changed_and_refuses_an_unknown_status(
        world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    step = plans.add_step(session, client, STEP, actor=actor, ip=None)
    changed = plans.update_step(session, client, step, status="enrolled",
                                status_date=date(2027, 2, 1), deadline=step.deadline,
                                deadline_note="", actor=actor, ip=None)
    assert changed == ["status", "status_date"]
    with pytest.raises(plans.PlanRefused):
        plans.update_step(session, client, step, status="finished", status_date=None,
                          deadline=None, deadline_note="", actor=actor, ip=None)
    assert step.status == "enrolled"


def test_a_step_of_another_client_is_not_found(
        world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    step = plans.add_step(session, client, STEP, actor=actor, ip=None)
    other = m.Client(owner_id=actor.id, label="B", profile={}, pinned=[], excluded=[],
                     retain_until=date(2030, 1, 1))
    session.add(other)
    session.flush()
    assert plans.find_step(client, step.id) is step
    assert plans.find_step(other, step.id) is None


def _session_row(session: Session, code: str) -> m.CourseSession:
    row = session.scalars(select(m.CourseSession).where(
        m.CourseSession.course_code == "c_a", m.CourseSession.session_code == code)).one()
    return row


@pytest.mark.parametrize(("change", "flag"), [
    ("nothing", None),
    ("cancel", "session_cancelled"),
    ("delete_session", "session_removed"),
    ("archive", "course_archived"),
    ("move", "dates_changed"),
])
def test_what_changed_in_the_catalogue_is_flagged_and_the_step_kept(
        world: tuple[Session, m.Client, m.UserAccount], change: str, flag: str | None) -> None:
    session, client, actor = world
    step = plans.add_step(session, client, STEP, actor=actor, ip=None)
    row = _session_row(session, "2027-03-01")
    if change == "cancel":
        row.status = "cancelled"
    elif change == "delete_session":
        session.delete(row)
    elif change == "archive":
        course = session.get(m.Course, "c_a")
        assert course is not None
        course.archived_at = datetime.now(UTC)
    elif change == "move":
        row.start_date, row.end_date = date(2027, 3, 8), date(2027, 3, 8)
    session.flush()
    flags = plans.step_flags(session, list(client.steps))
    assert (flags[step.id].kind if step.id in flags else None) == flag
    if flag == "dates_changed":
        assert (flags[step.id].start, flags[step.id].end) == (date(2027, 3, 8), date(2027, 3, 8))
    assert [s.id for s in client.steps] == [step.id]  # never dropped
    assert (step.start, step.course_title) == (date(2027, 3, 1), "Kursus c_a")  # the copy


def test_a_removed_course_is_flagged(world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    step = plans.add_step(session, client, replace(STEP, course_code="gone_course"),
                          actor=actor, ip=None)
    assert plans.step_flags(session, list(client.steps))[step.id].kind == "course_removed"


def test_a_completed_step_is_not_flagged_for_new_dates(
        world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    step = plans.add_step(session, client, STEP, actor=actor, ip=None)
    step.status = "completed"
    _session_row(session, "2027-03-01").end_date = date(2027, 3, 2)
    session.flush()
    assert plans.step_flags(session, list(client.steps)) == {}


def test_goal_and_next_contact(world: tuple[Session, m.Client, m.UserAccount]) -> None:
    session, client, actor = world
    plans.set_goal(session, client, target="svejser", route="c_euv", actor=actor, ip=None)
    plans.set_contact(session, client, on=date(2027, 1, 15), note="Ring", actor=actor, ip=None)
    session.flush()
    plan = session.get(m.ClientPlan, client.id)
    assert plan is not None
    assert (plan.target_code, plan.route_code, plan.next_contact, plan.next_contact_note) == (
        "svejser", "c_euv", date(2027, 1, 15), "Ring")
    plans.set_goal(session, client, target=None, route="c_euv", actor=actor, ip=None)
    assert (plan.target_code, plan.route_code) == (None, None)  # no route without a goal
