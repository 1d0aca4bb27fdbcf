"""Read functions for the staff pages: plain values, so views and templates hold no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

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


@dataclass(frozen=True, slots=True)
class CourseSummary:
    code: str
    title_da: str
    kind: str
    duration_days: Decimal


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


def provider_courses(session: Session, provider_code: str | None) -> list[CourseSummary]:
    rows = session.scalars(select(m.Course).where(m.Course.provider_code == provider_code)
                           .order_by(m.Course.title_da, m.Course.code))
    return [CourseSummary(r.code, r.title_da, r.kind, r.duration_days) for r in rows]


def provider_course(session: Session, provider_code: str | None,
                    code: str) -> CourseSummary | None:
    """The course if it belongs to this provider; None otherwise (no hint that it exists)."""
    row = session.get(m.Course, code)
    if row is None or provider_code is None or row.provider_code != provider_code:
        return None
    return CourseSummary(row.code, row.title_da, row.kind, row.duration_days)
