"""A client's plan and the caseworker's pins: read and written here, committed by the view.

A plan step copies the course's title, provider and dates when it is added, and its codes
are not foreign keys: the plan outlives a catalogue change. What changed since is found by
looking the codes up again (step_flags): a cancelled or removed session, an archived or
removed course, or new dates are shown on the step, which is never dropped silently.
Every write moves the record's retention on (clients.mark_changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from matcher.data import clients
from matcher.data import models as m

MARK_KINDS = ("course", "occupation")
MARK_ACTIONS = ("pin", "unpin", "exclude", "include")
MAX_MARKS = 200  # pins and exclusions together: far more than a conversation needs
MAX_STEPS = 30
NOTE_LENGTH = 300


class PlanRefused(ValueError):
    """A fact the form cannot check is wrong; field names the form field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- pins and exclusions --------------------------------------------------------------------

def mark_key(kind: str, code: str) -> str:
    return f"{kind}:{code}"


def split_mark(key: str) -> tuple[str, str] | None:
    """("course", code) for "course:code"; None for anything else."""
    kind, _, code = key.partition(":")
    return (kind, code) if kind in MARK_KINDS and code else None


def set_mark(session: Session, client: m.Client, kind: str, code: str, action: str,
             *, actor: m.UserAccount, ip: str | None) -> bool:
    """Pin, unpin, exclude or include a course or occupation; True when it changed.

    A pinned item is never excluded too: pinning takes it off the excluded list and the
    other way round. Lists are copied, not changed in place, so the JSON column is saved.
    """
    key = mark_key(kind, code)
    pinned = [k for k in client.pinned or [] if k != key]
    excluded = [k for k in client.excluded or [] if k != key]
    if action == "pin":
        pinned.append(key)
    elif action == "exclude":
        excluded.append(key)
    if len(pinned) + len(excluded) > MAX_MARKS:
        raise PlanRefused("item", "too_many")
    changed = pinned != list(client.pinned or []) or excluded != list(client.excluded or [])
    if changed:
        client.pinned, client.excluded = pinned, excluded
        clients.mark_changed(client)
    clients.audit(session, client.id, "client_mark_set", actor=actor, ip=ip, kind=kind,
                  mark=action, changed=changed)
    return changed


# --- the plan -------------------------------------------------------------------------------

def plan_of(client: m.Client) -> m.ClientPlan:
    """The client's plan row, made (not yet saved) when there is none."""
    if client.plan is None:
        client.plan = m.ClientPlan(client_id=client.id, next_contact_note="")
    return client.plan


def set_goal(session: Session, client: m.Client, *, target: str | None, route: str | None,
             actor: m.UserAccount, ip: str | None) -> None:
    """The occupation the plan aims at and, optionally, the route's course (None clears)."""
    plan = plan_of(client)
    plan.target_code, plan.route_code = target, route if target else None
    _changed(client, plan)
    clients.audit(session, client.id, "plan_goal_set", actor=actor, ip=ip,
                  cleared=target is None, route=route is not None)


def set_contact(session: Session, client: m.Client, *, on: date | None, note: str,
                actor: m.UserAccount, ip: str | None) -> None:
    plan = plan_of(client)
    plan.next_contact, plan.next_contact_note = on, note[:NOTE_LENGTH]
    _changed(client, plan)
    clients.audit(session, client.id, "plan_contact_set", actor=actor, ip=ip,
                  cleared=on is None)


@dataclass(frozen=True, slots=True)
class NewStep:
    """What "Føj til plan" copies from the catalogue and the funding answer."""

    course_code: str
    course_title: str
    provider_name: str | None
    session_code: str | None
    start: date | None
    end: date | None
    scheme: str | None
    deadline: date | None


def add_step(session: Session, client: m.Client, new: NewStep, *, actor: m.UserAccount,
             ip: str | None) -> m.PlanStep:
    """A planned step at the end of the plan; the same session twice is refused."""
    steps = list(client.steps)
    if len(steps) >= MAX_STEPS:
        raise PlanRefused("session", "too_many_steps")
    if any(s.course_code == new.course_code and s.session_code == new.session_code
           and s.status != "dropped" for s in steps):
        raise PlanRefused("session", "already_planned")
    step = m.PlanStep(client_id=client.id, position=len(steps), course_code=new.course_code,
                      course_title=new.course_title[:300], provider_name=new.provider_name,
                      session_code=new.session_code, start=new.start, end=new.end,
                      scheme=new.scheme, deadline=new.deadline, deadline_note="",
                      status="planned", status_date=None)
    client.steps.append(step)
    _changed(client, plan_of(client))
    session.flush()
    clients.audit(session, client.id, "plan_step_added", actor=actor, ip=ip, step=step.id,
                  scheme=new.scheme)
    return step


def find_step(client: m.Client, step_id: int) -> m.PlanStep | None:
    """The client's own step; another client's step is None (the page answers 404)."""
    return next((s for s in client.steps if s.id == step_id), None)


def update_step(session: Session, client: m.Client, step: m.PlanStep, *, status: str,
                status_date: date | None, deadline: date | None, deadline_note: str,
                actor: m.UserAccount, ip: str | None) -> list[str]:
    """Change a step's status, its date and the deadline; the names of the fields changed."""
    if status not in m.PLAN_STEP_STATUSES:
        raise PlanRefused("status", "status")
    wanted = {"status": status, "status_date": status_date, "deadline": deadline,
              "deadline_note": deadline_note[:NOTE_LENGTH]}
    changed = [name for name, value in wanted.items() if getattr(step, name) != value]
    for name in changed:
        setattr(step, name, wanted[name])
    if changed:
        _changed(client, plan_of(client))
    clients.audit(session, client.id, "plan_step_updated", actor=actor, ip=ip, step=step.id,
                  fields=changed, status=status)
    return changed


def move_step(session: Session, client: m.Client, step: m.PlanStep, offset: int, *,
              actor: m.UserAccount, ip: str | None) -> bool:
    """One place up (-1) or down (+1); False at either end."""
    steps = list(client.steps)
    here = steps.index(step)
    there = here + offset
    moved = offset in (-1, 1) and 0 <= there < len(steps)
    if moved:
        steps[here], steps[there] = steps[there], steps[here]
        _renumber(steps)
        _changed(client, plan_of(client))
    clients.audit(session, client.id, "plan_step_moved", actor=actor, ip=ip, step=step.id,
                  moved=moved)
    return moved


def remove_step(session: Session, client: m.Client, step: m.PlanStep, *,
                actor: m.UserAccount, ip: str | None) -> None:
    step_id = step.id
    client.steps.remove(step)
    session.delete(step)
    _renumber(list(client.steps))
    _changed(client, plan_of(client))
    clients.audit(session, client.id, "plan_step_removed", actor=actor, ip=ip, step=step_id)


def _renumber(steps: list[m.PlanStep]) -> None:
    for position, step in enumerate(steps):
        step.position = position


def _changed(client: m.Client, plan: m.ClientPlan) -> None:
    clients.mark_changed(client)
    plan.updated_at = client.updated_at


# --- what the catalogue says now ----------------------------------------------------------

FLAGS = ("session_cancelled", "session_removed", "course_archived", "course_removed",
         "dates_changed")


@dataclass(frozen=True, slots=True)
class StepFlag:
    """What changed in the catalogue since the step was planned (None: nothing)."""

    kind: str  # one of FLAGS
    start: date | None = None  # the session's dates now, for "dates_changed"
    end: date | None = None


def step_flags(session: Session, steps: list[m.PlanStep]) -> dict[int, StepFlag]:
    """Each step whose course or session changed in the catalogue, by step id.

    Two queries for the whole plan, however many steps it has.
    """
    codes = {s.course_code for s in steps}
    pairs = {(s.course_code, s.session_code) for s in steps if s.session_code}
    if not codes:
        return {}
    courses = {row.code: row.archived_at for row in session.execute(
        select(m.Course.code, m.Course.archived_at).where(m.Course.code.in_(codes)))}
    sessions = {(row.course_code, row.session_code): row for row in session.execute(
        select(m.CourseSession.course_code, m.CourseSession.session_code,
               m.CourseSession.status, m.CourseSession.start_date, m.CourseSession.end_date)
        .where(tuple_(m.CourseSession.course_code, m.CourseSession.session_code).in_(
            list(pairs))))} if pairs else {}
    flags: dict[int, StepFlag] = {}
    for step in steps:
        flag = _flag(step, courses, sessions)
        if flag is not None:
            flags[step.id] = flag
    return flags


def _flag(step: m.PlanStep, courses: dict[str, object], sessions: dict[tuple[str, str], object]
          ) -> StepFlag | None:
    if step.course_code not in courses:
        return StepFlag("course_removed")
    if step.session_code:
        row = sessions.get((step.course_code, step.session_code))
        if row is None:
            return StepFlag("session_removed")
        if row.status == "cancelled":  # type: ignore[attr-defined]
            return StepFlag("session_cancelled")
        start, end = row.start_date, row.end_date  # type: ignore[attr-defined]
        if (step.start, step.end) != (start, end) and step.status in ("planned", "applied",
                                                                      "enrolled"):
            return StepFlag("dates_changed", start, end)
    if courses[step.course_code] is not None:
        return StepFlag("course_archived")
    return None
