"""Caseworkers' client records: who may see one, and the audit of every read and write.

A caseworker sees their own clients and those shared with them; anyone else gets "not
found" (404), so a record's existence is not revealed either. Every read and write is
an audit event with subject "client/<id>" and never the client's label, profile or notes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matcher.data import accounts
from matcher.data import models as m


def visible(user_id: int) -> Any:
    """A where-clause: the clients user_id owns or has been given."""
    shared = select(m.ClientShare.client_id).where(m.ClientShare.user_id == user_id)
    return or_(m.Client.owner_id == user_id, m.Client.id.in_(shared))


def find(session: Session, client_id: int, user_id: int) -> m.Client | None:
    """The client if user_id may see it, else None (the page answers 404)."""
    return session.scalars(select(m.Client).where(m.Client.id == client_id,
                                                  visible(user_id))).first()


def audit(session: Session, client_id: int, action: str, *, actor: m.UserAccount | None,
          ip: str | None = None, actor_name: str | None = None, **detail: Any) -> None:
    """One audited read or write of a client record: action is e.g. "client_viewed"."""
    accounts.audit(session, action, actor=actor, ip=ip, actor_name=actor_name,
                   subject=f"client/{client_id}", client=client_id, **detail)
