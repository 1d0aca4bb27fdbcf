"""Read functions for the staff pages: plain values, so views and templates hold no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import models as m


@dataclass(frozen=True, slots=True)
class UserSummary:
    id: int
    email: str
    role: str
    provider_code: str | None
    is_active: bool
    totp_enabled: bool


@dataclass(frozen=True, slots=True)
class EventSummary:
    at: datetime
    action: str
    ip: str | None


def _user(row: m.UserAccount) -> UserSummary:
    return UserSummary(row.id, row.email, row.role, row.provider_code, row.is_active,
                       row.totp_enabled)


def users(session: Session) -> list[UserSummary]:
    return [_user(row) for row in session.scalars(select(m.UserAccount)
                                                  .order_by(m.UserAccount.email))]


def user(session: Session, user_id: int) -> UserSummary | None:
    row = session.get(m.UserAccount, user_id)
    return _user(row) if row else None


def recent_events(session: Session, user_id: int, *, limit: int = 20) -> list[EventSummary]:
    rows = session.scalars(select(m.AuditEvent).where(
        (m.AuditEvent.target_id == user_id) | (m.AuditEvent.actor_id == user_id))
        .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc()).limit(limit))
    return [EventSummary(_utc(row.at), row.action, row.ip) for row in rows]


def _utc(moment: datetime) -> datetime:
    """PostgreSQL hands times back in the connection's zone, SQLite without one (stored UTC):
    the pages say UTC, so it is UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def providers(session: Session) -> list[tuple[str, str]]:
    return [(code, name) for code, name in session.execute(
        select(m.Provider.code, m.Provider.name).order_by(m.Provider.name))]


def provider_name(session: Session, code: str | None) -> str | None:
    row = session.get(m.Provider, code) if code else None
    return row.name if row else None


LISTING_ACTIONS = ("course_created", "course_changed", "course_archived", "course_restored",
                   "course_confirmed", "session_created", "session_changed",
                   "session_cancelled")


@dataclass(frozen=True, slots=True)
class ListingEvent:
    at: datetime
    action: str
    actor: str | None
    ip: str | None
    provider: str | None
    course: str | None
    session_code: str | None
    changes: dict[str, list[object]]


def listing_events(session: Session, *, action: str | None = None,
                   provider: str | None = None, course: str | None = None,
                   limit: int = 200) -> list[ListingEvent]:
    """The providers' listing changes, newest first, filtered by action, provider, course."""
    query = (select(m.AuditEvent, m.UserAccount.email)
             .outerjoin(m.UserAccount, m.UserAccount.id == m.AuditEvent.actor_id)
             .where(m.AuditEvent.action.in_(LISTING_ACTIONS)))
    if action in LISTING_ACTIONS:
        query = query.where(m.AuditEvent.action == action)
    if provider:
        query = query.where(m.AuditEvent.subject.startswith(provider + "/", autoescape=True))
    if course:
        query = query.where(m.AuditEvent.subject.endswith("/" + course, autoescape=True))
    rows = session.execute(query.order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
                           .limit(limit))
    found = []
    for event, email in rows:
        detail = event.detail or {}
        changes = detail.get("changes")
        found.append(ListingEvent(
            _utc(event.at), event.action, email, event.ip,
            str(detail.get("provider")) if detail.get("provider") else None,
            str(detail.get("course")) if detail.get("course") else None,
            str(detail.get("session_code")) if detail.get("session_code") else None,
            dict(changes) if isinstance(changes, dict) else {}))
    return found
