"""A provider's bulk upload of one catalogue file: planned against the database, then applied.

The web layer reads the CSV and checks each row's shape with the providers' forms; this
module checks the facts (is the course the provider's own, does the skill exist), works out
what would be added, changed or archived, and applies exactly that plan in the caller's
transaction. The same rules as a form save hold: rows scoped to one provider (another
provider's course is "unknown", never "forbidden"), every changed row provider-owned and
audited with before and after, and one catalogue version bump for the whole file. It
uses listings' own diff, audit and save helpers, so a form save and an upload cannot drift.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from matcher.data import accounts, listings
from matcher.data import models as m

# The catalogue files a provider may upload, and what each link file fills.
KINDS = ("courses", "sessions", "course_skills", "course_occupations")
LINK_KINDS: dict[str, tuple[str, str, type[m.Skill] | type[m.Occupation], str]] = {
    # kind: (list name in listings, code column in the file, model it names, problem key)
    "course_skills": ("skills", "skill_code", m.Skill, "unknown_skill"),
    "course_occupations": ("occupations", "occupation_code", m.Occupation,
                           "unknown_occupation"),
}


@dataclass(frozen=True, slots=True)
class UploadRow:
    """One row whose shape the form has checked: its file line, key and typed values
    (only the columns the file has, so an absent column leaves the field as it is)."""

    line: int
    key: tuple[str, ...]
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A fact the file gets wrong: (line, column, problem key); the web layer words it."""

    line: int
    column: str
    problem: str


@dataclass(frozen=True, slots=True)
class PlannedChange:
    action: str  # "add", "change" or "archive"
    course_code: str
    item: str | None  # the session code, for sessions
    title: str
    line: int | None
    changes: dict[str, list[Any]]  # field: [before, after], as the audit log holds them
    values: dict[str, Any] = field(default_factory=dict, compare=False)
    version: int | None = None  # of the row as planned; another version at apply: conflict


@dataclass(frozen=True, slots=True)
class UploadPlan:
    kind: str
    changes: tuple[PlannedChange, ...]
    problems: tuple[RowProblem, ...]

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def digest(self) -> str:
        """What the plan would write; a confirm whose plan differs from the preview's is
        refused, so the provider never applies something they did not see."""
        plain = [[c.action, c.course_code, c.item, c.changes] for c in self.changes]
        return hashlib.sha256(json.dumps([self.kind, plain], sort_keys=True,
                                         default=str).encode()).hexdigest()


def _own_courses(session: Session, provider_code: str) -> dict[str, m.Course]:
    return {row.code: row for row in session.scalars(
        select(m.Course).where(m.Course.provider_code == provider_code))}


def _course_problem(own: dict[str, m.Course], code: str) -> str | None:
    """Another provider's course and no course at all read the same: no leak."""
    row = own.get(code)
    if row is None:
        return "unknown_course"
    if row.archived_at is not None:
        return "archived_course"
    return None


def plan_upload(session: Session, provider_code: str, kind: str, rows: Sequence[UploadRow], *,
                today: date, archive_missing: bool = False) -> UploadPlan:
    """What the rows would add, change or archive among the provider's listings, or the
    row problems that keep the file from being applied."""
    own = _own_courses(session, provider_code)
    if kind == "courses":
        return _plan_courses(session, own, rows, archive_missing=archive_missing)
    if kind == "sessions":
        return _plan_sessions(session, own, rows, today=today)
    return _plan_links(session, own, kind, rows)


def _plan_courses(session: Session, own: dict[str, m.Course], rows: Sequence[UploadRow], *,
                  archive_missing: bool) -> UploadPlan:
    changes: list[PlannedChange] = []
    problems: list[RowProblem] = []
    levels = set(session.scalars(select(m.EducationLevel.code)))
    for row in rows:
        code = row.key[0]
        found = own.get(code)
        if found is None and session.get(m.Course, code) is not None:
            # The code is another provider's: codes are one namespace, so it cannot be used,
            # and the message says no more than that.
            problems.append(RowProblem(row.line, "code", "code_taken"))
            continue
        if found is not None and found.archived_at is not None:
            problems.append(RowProblem(row.line, "code", "archived_course"))
            continue
        level = row.values.get("min_education_level")
        if level and level not in levels:
            problems.append(RowProblem(row.line, "min_education_level", "unknown_level"))
            continue
        title = row.values.get("title_da") or (found.title_da if found else code)
        if found is None:
            after = {k: v for k, v in row.values.items() if v not in (None, "")}
            changes.append(PlannedChange("add", code, None, title, row.line,
                                         listings._diff({}, after), dict(row.values)))
            continue
        diff = listings._diff({name: getattr(found, name) for name in row.values}, row.values)
        if diff:
            changes.append(PlannedChange("change", code, None, title, row.line, diff,
                                         dict(row.values), found.version))
    if archive_missing and not problems:
        listed = {row.key[0] for row in rows}
        for code, found in sorted(own.items()):
            if code not in listed and found.archived_at is None:
                changes.append(PlannedChange("archive", code, None, found.title_da, None,
                                             {"archived": [False, True]}, {},
                                             found.version))
    return UploadPlan("courses", tuple(changes), tuple(problems))


def _plan_sessions(session: Session, own: dict[str, m.Course], rows: Sequence[UploadRow], *,
                   today: date) -> UploadPlan:
    changes: list[PlannedChange] = []
    problems: list[RowProblem] = []
    codes = [row.key[0] for row in rows if row.key[0] in own]
    existing = {(s.course_code, s.session_code): s for s in session.scalars(
        select(m.CourseSession).where(m.CourseSession.course_code.in_(codes)))} if codes else {}
    postcodes = {row.values.get("postcode") for row in rows} - {None}
    known_postcodes = set(session.scalars(select(m.Postcode.postcode)
                                          .where(m.Postcode.postcode.in_(postcodes))))
    for row in rows:
        course_code, session_code = row.key
        problem = _course_problem(own, course_code)
        if problem:
            problems.append(RowProblem(row.line, "course_code", problem))
            continue
        if row.values.get("postcode") and row.values["postcode"] not in known_postcodes:
            problems.append(RowProblem(row.line, "postcode", "unknown_postcode"))
            continue
        found = existing.get((course_code, session_code))
        title = f"{own[course_code].title_da} ({session_code})"
        if found is None:
            if row.values["start_date"] < today:  # as the form: a new session is not past
                problems.append(RowProblem(row.line, "start_date", "past_start"))
                continue
            values = {"status": "open", **row.values}
            after = {k: v for k, v in values.items() if v is not None}
            changes.append(PlannedChange("add", course_code, session_code, title, row.line,
                                         listings._diff({}, after), values))
            continue
        diff = listings._diff({name: getattr(found, name) for name in row.values}, row.values)
        if diff:
            changes.append(PlannedChange("change", course_code, session_code, title, row.line,
                                         diff, dict(row.values), found.version))
    return UploadPlan("sessions", tuple(changes), tuple(problems))


def _plan_links(session: Session, own: dict[str, m.Course], kind: str,
                rows: Sequence[UploadRow]) -> UploadPlan:
    """Each course named in the file gets exactly the file's set; others keep theirs."""
    name, column, model, unknown = LINK_KINDS[kind]
    named = {row.key[1] for row in rows}
    known = set(session.scalars(select(model.code).where(model.code.in_(named)))) \
        if named else set()
    problems: list[RowProblem] = []
    wanted: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    for row in rows:
        course_code, code = row.key
        problem = _course_problem(own, course_code)
        if problem:
            problems.append(RowProblem(row.line, "course_code", problem))
        elif code not in known:
            problems.append(RowProblem(row.line, column, unknown))
        else:
            wanted.setdefault(course_code, []).append(code)
            first_line.setdefault(course_code, row.line)
    changes = []
    for course_code, codes in wanted.items():
        before = listings._linked(session, course_code, name)
        diff = listings._diff({name: before}, {name: codes})
        if diff:
            changes.append(PlannedChange("change", course_code, None, own[course_code].title_da,
                                         first_line[course_code], diff, {name: codes},
                                         own[course_code].version))
    return UploadPlan(kind, tuple(changes), tuple(problems))


def apply_upload(session: Session, provider_code: str, plan: UploadPlan,
                 actor: listings.Actor, *, sha256: str, now: datetime | None = None) -> None:
    """Write a problem-free plan: one audit event per changed row, one version bump.

    Raises ListingConflict when a row changed in another transaction meanwhile (the
    caller rolls back: all or nothing).
    """
    assert not plan.problems, "a plan with problems is never applied"
    if not plan.changes:
        return
    now = now or datetime.now(UTC)
    own = _own_courses(session, provider_code)
    for change in plan.changes:
        if plan.kind == "courses":
            _apply_course(session, provider_code, own.get(change.course_code), change, actor,
                          now=now)
        elif plan.kind == "sessions":
            _apply_session(session, own[change.course_code], change, actor, now=now)
        else:
            _apply_links(session, own[change.course_code], plan.kind, change, actor, now=now)
    accounts.audit(session, "listing_upload", actor=actor.user, ip=actor.ip,
                   subject=provider_code, kind=plan.kind, sha256=sha256,
                   added=plan.count("add"), changed=plan.count("change"),
                   archived=plan.count("archive"))
    listings.bump_catalog_version(session)


def _apply_course(session: Session, provider_code: str, row: m.Course | None,
                  change: PlannedChange, actor: listings.Actor, *, now: datetime) -> None:
    if change.action == "add":
        row = m.Course(code=change.course_code, provider_code=provider_code, provider_owned=True,
                       updated_at=now, confirmed_at=now, source=None, **change.values)
        session.add(row)
        session.flush()
        listings._audit(session, "course_created", actor, row, version=row.version,
                        changes=change.changes)
        return
    if row is None or row.version != change.version:
        raise listings.ListingConflict()
    if change.action == "archive":
        row.archived_at = now
        action = "course_archived"
    else:
        for name, value in change.values.items():
            setattr(row, name, value)
        action = "course_changed"
    row.provider_owned = True
    row.updated_at = now
    listings._save(session)
    listings._audit(session, action, actor, row, version=row.version, changes=change.changes)


def _apply_session(session: Session, course: m.Course, change: PlannedChange,
                   actor: listings.Actor, *, now: datetime) -> None:
    if change.action == "add":
        row = m.CourseSession(course_code=course.code, session_code=change.item,
                              provider_owned=True, updated_at=now, **change.values)
        session.add(row)
        session.flush()
        action = "session_created"
    else:
        found = session.scalar(select(m.CourseSession).where(
            m.CourseSession.course_code == course.code,
            m.CourseSession.session_code == change.item))
        if found is None or found.version != change.version:  # changed or gone meanwhile
            raise listings.ListingConflict()
        row = found
        for name, value in change.values.items():
            setattr(row, name, value)
        row.provider_owned = True
        row.updated_at = now
        listings._save(session)
        action = "session_changed"
    listings._audit(session, action, actor, course, version=row.version, session_row=row,
                    changes=change.changes)


def _apply_links(session: Session, course: m.Course, kind: str, change: PlannedChange,
                 actor: listings.Actor, *, now: datetime) -> None:
    if course.version != change.version:
        raise listings.ListingConflict()
    name, column, _model, _problem = LINK_KINDS[kind]
    link, _column = listings._LINKS[name]
    codes = list(dict.fromkeys(change.values[name]))
    session.execute(delete(link).where(link.course_code == course.code))
    session.execute(insert(link), [{"course_code": course.code, column: c} for c in codes])
    # The course's version moves too, so a form drawn before the upload meets a conflict.
    course.provider_owned = True
    course.updated_at = now
    listings._save(session)
    listings._audit(session, "course_changed", actor, course, version=course.version,
                    changes=change.changes)


# --- export --------------------------------------------------------------------------------

def export_rows(session: Session, provider_code: str, kind: str) -> list[dict[str, Any]]:
    """The provider's current (not archived) listings as rows of one catalogue file, with
    typed values; archived courses are left out, as an upload cannot name them."""
    own = [row for _code, row in sorted(_own_courses(session, provider_code).items())
           if row.archived_at is None]
    codes = [row.code for row in own]
    if kind == "courses":
        return [{"code": row.code, "provider_code": row.provider_code,
                 **{name: getattr(row, name) for name in listings.COURSE_FIELDS}}
                for row in own]
    if kind == "sessions":
        return [{"course_code": s.course_code, "session_code": s.session_code,
                 **{name: getattr(s, name) for name in listings.SESSION_FIELDS}}
                for s in _sessions_of(session, codes)]
    name, column, _model, _problem = LINK_KINDS[kind]
    return [{"course_code": code, column: linked} for code in codes
            for linked in listings._linked(session, code, name)]


def _sessions_of(session: Session, codes: Iterable[str]) -> list[m.CourseSession]:
    codes = list(codes)
    if not codes:
        return []
    return list(session.scalars(select(m.CourseSession)
                                .where(m.CourseSession.course_code.in_(codes))
                                .order_by(m.CourseSession.course_code,
                                          m.CourseSession.session_code)))
