"""A provider's own listings: courses and sessions it creates, edits, archives and cancels.

Every function takes the session first and never commits (the view does). Every write is
scoped to one provider (another provider's row is "not found", never "forbidden"), checks
the version the provider's form was based on, bumps the catalogue version so that the
next match in any process sees it, marks the row provider-owned (a folder load keeps it)
and writes an audit event with the before and after values of every changed field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matcher.data import accounts
from matcher.data import models as m

CONFIRM_EVERY = timedelta(days=90)  # a listing unconfirmed for longer is flagged
# Which fields of a course a provider edits; the order is the order of "what changed".
COURSE_FIELDS = ("title_da", "title_en", "kind", "official_code", "description_da",
                 "duration_days", "hours", "price_dkk", "fee_target_group_dkk",
                 "min_education_level", "language", "delivery", "schedule", "url")
COURSE_LISTS = ("skills", "prerequisites", "occupations")
SESSION_FIELDS = ("start_date", "end_date", "postcode", "seats", "status", "time_of_day")
HEALTH = ("no_skills", "no_targets", "no_upcoming_session", "past_sessions", "no_price",
          "unconfirmed")
_LINKS: dict[str, tuple[type[m.Base], str]] = {
    "skills": (m.CourseSkill, "skill_code"),
    "prerequisites": (m.CoursePrerequisite, "skill_code"),
    "occupations": (m.CourseOccupation, "occupation_code"),
}


class ListingNotFound(LookupError):
    """No such course or session of this provider (another provider's counts as none)."""


class ListingInvalid(ValueError):
    """Facts the form cannot check (an unknown skill or postcode): (field, message key)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(", ".join(f"{f}: {p}" for f, p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Change:
    """One saved change of a listing, as the audit log holds it."""

    at: datetime
    action: str
    actor: str | None
    version: int | None
    session_id: int | None
    changes: dict[str, list[Any]]


class ListingConflict(Exception):
    """The row changed since the provider's form was drawn. The caller rolls back, then
    shows the current row and changes_since(based_on)."""


@dataclass(frozen=True, slots=True)
class SessionView:
    id: int
    code: str
    start_date: date
    end_date: date
    postcode: str | None
    seats: int | None
    status: str
    time_of_day: str | None
    version: int
    past: bool


@dataclass(frozen=True, slots=True)
class CourseView:
    code: str
    provider_code: str
    title_da: str
    title_en: str | None
    kind: str
    official_code: str | None
    description_da: str | None
    duration_days: Decimal
    hours: Decimal | None
    price_dkk: int | None
    fee_target_group_dkk: int | None
    min_education_level: str | None
    language: str | None
    delivery: str | None
    schedule: str | None
    url: str | None
    version: int
    provider_owned: bool
    archived: bool
    confirmed_at: datetime | None
    skills: tuple[tuple[str, str, str | None], ...]  # (code, Danish label, English label)
    prerequisites: tuple[tuple[str, str, str | None], ...]
    occupations: tuple[tuple[str, str, str | None], ...]
    sessions: tuple[SessionView, ...]
    health: tuple[str, ...]

    def values(self) -> dict[str, Any]:
        """The editable fields and lists, as a form or a comparison wants them."""
        values: dict[str, Any] = {name: getattr(self, name) for name in COURSE_FIELDS}
        for name in COURSE_LISTS:
            values[name] = [code for code, _da, _en in getattr(self, name)]
        return values


@dataclass(frozen=True, slots=True)
class CourseInput:
    """A course as the provider's form gives it (shape already checked by the form)."""

    title_da: str
    kind: str
    duration_days: Decimal
    title_en: str | None = None
    official_code: str | None = None
    description_da: str | None = None
    hours: Decimal | None = None
    price_dkk: int | None = None
    fee_target_group_dkk: int | None = None
    min_education_level: str | None = None
    language: str | None = None
    delivery: str | None = None
    schedule: str | None = None
    url: str | None = None
    skills: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionInput:
    start_date: date
    end_date: date
    postcode: str | None = None
    seats: int | None = None
    status: str = "open"
    time_of_day: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change and from where, for the audit log."""

    user: m.UserAccount
    ip: str | None = None


# --- reading -------------------------------------------------------------------------------

def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _own_course(session: Session, provider_code: str | None, code: str) -> m.Course:
    row = session.get(m.Course, code) if code else None
    if row is None or not provider_code or row.provider_code != provider_code:
        raise ListingNotFound(code)
    return row


def _own_session(session: Session, provider_code: str | None, code: str,
                 session_id: int) -> m.CourseSession:
    course = _own_course(session, provider_code, code)
    row = session.get(m.CourseSession, session_id)
    if row is None or row.course_code != course.code:
        raise ListingNotFound(f"{code}/{session_id}")
    return row


def _labels(session: Session, codes: Iterable[str],
            model: type[m.Skill] | type[m.Occupation]) -> tuple[tuple[str, str, str | None], ...]:
    codes = list(codes)
    if not codes:
        return ()
    if model is m.Skill:
        found = {r.code: (r.label_da, r.label_en) for r in
                 session.scalars(select(m.Skill).where(m.Skill.code.in_(codes)))}
    else:
        found = {r.code: (r.title_da, r.title_en) for r in
                 session.scalars(select(m.Occupation).where(m.Occupation.code.in_(codes)))}
    return tuple((c, *found.get(c, (c, None))) for c in codes)


def labels(session: Session, codes: Iterable[str],
           kind: str) -> tuple[tuple[str, str, str | None], ...]:
    """(code, Danish, English) of skills or occupations; an unknown code labels itself."""
    return _labels(session, codes, m.Skill if kind == "skill" else m.Occupation)


def _linked(session: Session, course_code: str, name: str) -> list[str]:
    model, column = _LINKS[name]
    return list(session.scalars(select(getattr(model, column))
                                .where(model.course_code == course_code)
                                .order_by(getattr(model, column))))


def health(view_values: Mapping[str, Any], sessions: Sequence[SessionView], *, today: date,
           now: datetime, confirmed_at: datetime | None) -> tuple[str, ...]:
    """What a provider should fix in a listing, as keys of HEALTH (in that order)."""
    flags = []
    if not view_values["skills"]:
        flags.append("no_skills")
    if not view_values["occupations"]:
        flags.append("no_targets")
    live = [s for s in sessions if s.status != "cancelled"]
    if not any(s.start_date >= today for s in live):
        flags.append("no_upcoming_session")
    if any(s.past and s.status == "open" for s in live):
        flags.append("past_sessions")
    if view_values["price_dkk"] is None:
        flags.append("no_price")
    if confirmed_at is None or now - confirmed_at > CONFIRM_EVERY:
        flags.append("unconfirmed")
    return tuple(flags)


def _view(session: Session, row: m.Course, *, today: date, now: datetime) -> CourseView:
    sessions = tuple(
        SessionView(s.id, s.session_code, s.start_date, s.end_date, s.postcode, s.seats, s.status,
                    s.time_of_day, s.version, s.start_date < today)
        for s in session.scalars(select(m.CourseSession)
                                 .where(m.CourseSession.course_code == row.code)
                                 .order_by(m.CourseSession.start_date, m.CourseSession.id)))
    lists = {name: _linked(session, row.code, name) for name in COURSE_LISTS}
    values = {name: getattr(row, name) for name in COURSE_FIELDS} | lists
    confirmed = _utc(row.confirmed_at)
    return CourseView(
        code=row.code, provider_code=row.provider_code, title_da=row.title_da,
        title_en=row.title_en, kind=row.kind, official_code=row.official_code,
        description_da=row.description_da, duration_days=row.duration_days, hours=row.hours,
        price_dkk=row.price_dkk, fee_target_group_dkk=row.fee_target_group_dkk,
        min_education_level=row.min_education_level, language=row.language,
        delivery=row.delivery, schedule=row.schedule, url=row.url, version=row.version,
        provider_owned=row.provider_owned, archived=row.archived_at is not None,
        confirmed_at=confirmed,
        skills=_labels(session, lists["skills"], m.Skill),
        prerequisites=_labels(session, lists["prerequisites"], m.Skill),
        occupations=_labels(session, lists["occupations"], m.Occupation),
        sessions=sessions,
        health=health(values, sessions, today=today, now=now, confirmed_at=confirmed))


def courses(session: Session, provider_code: str | None, *, today: date,
            now: datetime | None = None) -> list[CourseView]:
    """The provider's courses, current before archived, then by title."""
    if not provider_code:
        return []
    now = now or datetime.now(UTC)
    rows = session.scalars(select(m.Course).where(m.Course.provider_code == provider_code)
                           .order_by(m.Course.archived_at.is_not(None), m.Course.title_da,
                                     m.Course.code))
    return [_view(session, row, today=today, now=now) for row in rows]


def course(session: Session, provider_code: str | None, code: str, *, today: date,
           now: datetime | None = None) -> CourseView:
    """One of the provider's courses; raises ListingNotFound for anyone else's."""
    return _view(session, _own_course(session, provider_code, code), today=today,
                 now=now or datetime.now(UTC))


def course_session(session: Session, provider_code: str | None, code: str,
                   session_id: int, *, today: date) -> SessionView:
    row = _own_session(session, provider_code, code, session_id)
    return SessionView(row.id, row.session_code, row.start_date, row.end_date, row.postcode,
                       row.seats, row.status, row.time_of_day, row.version,
                       row.start_date < today)


def education_levels(session: Session) -> list[tuple[str, str, str]]:
    return [(r.code, r.name_da, r.name_en) for r in
            session.scalars(select(m.EducationLevel).order_by(m.EducationLevel.rank))]


def changes_since(session: Session, provider_code: str, code: str, version: int, *,
                  session_id: int | None = None) -> list[Change]:
    """The audited changes of a course (or one of its sessions) after version, oldest first."""
    rows = session.execute(
        select(m.AuditEvent, m.UserAccount.email)
        .outerjoin(m.UserAccount, m.UserAccount.id == m.AuditEvent.actor_id)
        .where(m.AuditEvent.subject == _subject(provider_code, code))
        .order_by(m.AuditEvent.at, m.AuditEvent.id))
    found = []
    for event, email in rows:
        detail = event.detail or {}
        if detail.get("session_id") != session_id:
            continue
        after = detail.get("version")
        if isinstance(after, int) and after <= version:
            continue
        found.append(Change(_utc(event.at) or event.at, event.action, email,
                            after if isinstance(after, int) else None, session_id,
                            dict(detail.get("changes") or {})))
    return found


# --- writing -------------------------------------------------------------------------------

def _subject(provider_code: str, code: str) -> str:
    return f"{provider_code}/{code}"[:200]


def _plain(value: Any) -> Any:
    """A JSON value for the audit log: decimals and dates as text, lists sorted."""
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(_plain(v) for v in value)
    return value


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    changed = {}
    for name, value in after.items():
        old, new = _plain(before.get(name)), _plain(value)
        if old != new:
            changed[name] = [old, new]
    return changed


def bump_catalog_version(session: Session) -> None:
    """One more catalogue version, computed in the database so that two writers never
    both write the same number (every process's next match rebuilds its index)."""
    done = session.execute(update(m.CatalogState).where(m.CatalogState.id == 1)
                           .values(version=m.CatalogState.version + 1))
    if not getattr(done, "rowcount", 0):
        session.add(m.CatalogState(id=1, version=1, has_demo=False))
    session.flush()
    session.get(m.CatalogState, 1, populate_existing=True)  # this session sees the new number


def _audit(session: Session, action: str, actor: Actor, row: m.Course, *, version: int,
           changes: Mapping[str, list[Any]] | None = None,
           session_row: m.CourseSession | None = None) -> None:
    detail: dict[str, Any] = {"provider": row.provider_code, "course": row.code,
                              "version": version}
    if session_row is not None:
        detail |= {"session_id": session_row.id, "session_code": session_row.session_code}
    if changes:
        detail["changes"] = dict(changes)
    accounts.audit(session, action, actor=actor.user, ip=actor.ip,
                   subject=_subject(row.provider_code, row.code), **detail)


def _check_references(session: Session, data: CourseInput) -> None:
    problems = []
    for name, model in (("skills", m.Skill), ("prerequisites", m.Skill),
                        ("occupations", m.Occupation)):
        codes = set(getattr(data, name))
        if codes:
            known = set(session.scalars(select(model.code).where(model.code.in_(codes))))
            if codes - known:
                problems.append((name, "unknown"))
    if data.min_education_level and session.get(m.EducationLevel,
                                                data.min_education_level) is None:
        problems.append(("min_education_level", "unknown"))
    if problems:
        raise ListingInvalid(problems)


def _set_lists(session: Session, code: str, data: CourseInput) -> None:
    for name, (model, column) in _LINKS.items():
        wanted = list(dict.fromkeys(getattr(data, name)))
        session.execute(delete(model).where(model.course_code == code))
        if wanted:
            session.execute(insert(model), [{"course_code": code, column: c} for c in wanted])


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold().replace("æ", "ae").replace("ø", "oe")
                                  .replace("å", "aa"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or "kursus"


def _new_code(session: Session, provider_code: str, title: str) -> str:
    """A readable, unused course code: provider code and title, numbered if taken."""
    base = f"{provider_code}-{_slug(title)}"[:70]
    code, number = base, 1
    while session.get(m.Course, code) is not None:
        number += 1
        code = f"{base}-{number}"
    return code


def create_course(session: Session, provider_code: str, data: CourseInput, actor: Actor, *,
                  now: datetime | None = None) -> str:
    """A new provider-owned course; its code is made from the title."""
    _check_references(session, data)
    now = now or datetime.now(UTC)
    code = _new_code(session, provider_code, data.title_da)
    row = m.Course(code=code, provider_code=provider_code, provider_owned=True,
                   updated_at=now, confirmed_at=now, source=None,
                   **{name: getattr(data, name) for name in COURSE_FIELDS})
    session.add(row)
    session.flush()
    _set_lists(session, code, data)
    after = {name: getattr(data, name) for name in (*COURSE_FIELDS, *COURSE_LISTS)}
    _audit(session, "course_created", actor, row, version=row.version,
           changes=_diff({}, {k: v for k, v in after.items() if v not in (None, (), "")}))
    bump_catalog_version(session)
    return code


def _save(session: Session) -> None:
    """Flush, turning a concurrent writer's win into a conflict: the ORM's UPDATE names the
    version it read, so a row changed by another transaction since updates nothing."""
    try:
        session.flush()
    except StaleDataError:
        raise ListingConflict() from None


def update_course(session: Session, provider_code: str, code: str, data: CourseInput,
                  actor: Actor, *, based_on: int, now: datetime | None = None) -> int:
    """Save the provider's edit made on version based_on; the new version.

    Raises ListingConflict when the course changed since (nothing is written).
    """
    row = _own_course(session, provider_code, code)
    if row.version != based_on:
        raise ListingConflict()
    _check_references(session, data)
    before = {name: getattr(row, name) for name in COURSE_FIELDS}
    before |= {name: _linked(session, code, name) for name in COURSE_LISTS}
    after = {name: getattr(data, name) for name in (*COURSE_FIELDS, *COURSE_LISTS)}
    changes = _diff(before, after)
    for name in COURSE_FIELDS:
        setattr(row, name, getattr(data, name))
    row.provider_owned = True
    row.updated_at = now or datetime.now(UTC)  # always dirty: the version moves on every save
    _save(session)
    _set_lists(session, code, data)
    _audit(session, "course_changed", actor, row, version=row.version, changes=changes)
    bump_catalog_version(session)
    return row.version


def set_archived(session: Session, provider_code: str, code: str, archived: bool,
                 actor: Actor, *, now: datetime | None = None) -> None:
    """Archive (out of matching, rows kept) or bring back; nothing happens if already so."""
    row = _own_course(session, provider_code, code)
    if (row.archived_at is not None) == archived:
        return
    now = now or datetime.now(UTC)
    row.archived_at = now if archived else None
    row.provider_owned = True
    row.updated_at = now
    _save(session)
    _audit(session, "course_archived" if archived else "course_restored", actor, row,
           version=row.version, changes={"archived": [not archived, archived]})
    bump_catalog_version(session)


def confirm_course(session: Session, provider_code: str, code: str, actor: Actor, *,
                   now: datetime | None = None) -> None:
    """The provider says the listing is still correct; matching is not affected."""
    row = _own_course(session, provider_code, code)
    now = now or datetime.now(UTC)
    before = _utc(row.confirmed_at)
    row.confirmed_at = now
    row.updated_at = now
    _save(session)
    _audit(session, "course_confirmed", actor, row, version=row.version,
           changes={"confirmed_at": [before.isoformat() if before else None, now.isoformat()]})


def _check_postcode(session: Session, data: SessionInput) -> None:
    if data.postcode and session.get(m.Postcode, data.postcode) is None:
        raise ListingInvalid([("postcode", "unknown")])


def _new_session_code(session: Session, code: str, start: date) -> str:
    taken = set(session.scalars(select(m.CourseSession.session_code)
                                .where(m.CourseSession.course_code == code)))
    base, number = start.isoformat(), 1
    candidate = base
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def create_session(session: Session, provider_code: str, code: str, data: SessionInput,
                   actor: Actor, *, now: datetime | None = None) -> int:
    course_row = _own_course(session, provider_code, code)
    _check_postcode(session, data)
    row = m.CourseSession(course_code=code, session_code=_new_session_code(session, code,
                                                                           data.start_date),
                          provider_owned=True, updated_at=now or datetime.now(UTC),
                          **{name: getattr(data, name) for name in SESSION_FIELDS})
    session.add(row)
    session.flush()
    _audit(session, "session_created", actor, course_row, version=row.version, session_row=row,
           changes=_diff({}, {k: getattr(data, k) for k in SESSION_FIELDS
                              if getattr(data, k) is not None}))
    bump_catalog_version(session)
    return row.id


def update_session(session: Session, provider_code: str, code: str, session_id: int,
                   data: SessionInput, actor: Actor, *, based_on: int,
                   now: datetime | None = None) -> int:
    row = _own_session(session, provider_code, code, session_id)
    if row.version != based_on:
        raise ListingConflict()
    _check_postcode(session, data)
    changes = _diff({name: getattr(row, name) for name in SESSION_FIELDS},
                    {name: getattr(data, name) for name in SESSION_FIELDS})
    for name in SESSION_FIELDS:
        setattr(row, name, getattr(data, name))
    row.provider_owned = True
    row.updated_at = now or datetime.now(UTC)
    _save(session)
    _audit(session, "session_changed", actor, row.course, version=row.version, session_row=row,
           changes=changes)
    bump_catalog_version(session)
    return row.version


def cancel_session(session: Session, provider_code: str, code: str, session_id: int,
                   actor: Actor, *, now: datetime | None = None) -> None:
    """Cancelled, not deleted: citizens who saw it can be told; matching skips it."""
    row = _own_session(session, provider_code, code, session_id)
    if row.status == "cancelled":
        return
    before = row.status
    row.status = "cancelled"
    row.provider_owned = True
    row.updated_at = now or datetime.now(UTC)
    _save(session)
    _audit(session, "session_cancelled", actor, row.course, version=row.version,
           session_row=row, changes={"status": [before, "cancelled"]})
    bump_catalog_version(session)
