"""Caseworkers' client records: who may see one, what may be written, and the audit of each.

A caseworker sees their own clients and those shared with them; anyone else gets "not
found" (404), so a record's existence is not revealed either. Every read and write is
an audit event with subject "client/<id>" and never the client's label, profile or notes:
only which fields changed, by whom and when (reference/security.md §5.4).

A record is minimal by design: a label the caseworker chooses (never a CPR number, which
cpr_like() finds in any free text and the writes here refuse), the citizen journey's
answers as the profile (matcher.web.journey.Answers, checked there) and short notes. It
is kept until retain_until, which every write moves on by CLIENT_RETENTION_DAYS; `flask
clients purge` deletes what has passed it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from matcher.data import accounts
from matcher.data import models as m

MAX_LABEL = 80  # the column's length
MAX_NOTES = 2000  # short notes: the municipality's case system is the record
MAX_PROFILE = 20_000  # characters of JSON, as the journey's own answers (journey.MAX_ANSWERS)
SUBJECT = "client/"  # audit subjects are "client/<id>"


# --- CPR-like numbers ----------------------------------------------------------------------

# Six digits of a date (ddmmyy) and four more: "010203-1234", "010203 1234", "0102031234",
# "01.02.03-1234", "01 02 03 1234", "010203–1234" (any dash). Read after NFKC, which turns
# full-width and other compatibility digits into ASCII ones; other scripts' decimal digits
# ("٠١٠٢...") are mapped to ASCII first too.
_CPR = re.compile(r"(?<![0-9])([0-9]{2})[ .]?([0-9]{2})[ .]?([0-9]{2})"
                  r"[ \t]*[-‐‑‒–—―−/._ ]?[ \t]*([0-9]{4})(?![0-9])")


def _ascii_digits(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
                   for ch in text)


def _plausible(day: int, month: int, year: int) -> bool:
    """A real calendar date in some century (29 February in a leap year of one)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    try:  # 2000 + yy is a leap year exactly when 1900 + yy or 2000 + yy can be one
        date(2000 + year, month, day)
    except ValueError:
        return False
    return True


def cpr_like(text: str | None) -> bool:
    """Whether text holds something that looks like a CPR number (a date ddmmyy and 4 digits).

    Ten digits that cannot start with a date (an order number "9912345678") are let through.
    The century is not in the first six digits, so any year counts (29 February only where
    yy is a multiple of 4). A date and a time ("12.03.24 1030") is refused too: the
    caseworker is asked to write it another way, which costs less than a CPR number kept.
    """
    if not text:
        return False
    for found in _CPR.finditer(_ascii_digits(text)):
        day, month, year = (int(part) for part in found.group(1, 2, 3))
        if _plausible(day, month, year):
            return True
    return False


# --- writes and their refusals ------------------------------------------------------------

class ClientRefused(ValueError):
    """A write that would break a rule; problems maps a field to a reason code.

    Reason codes: "blank", "too_long", "cpr", "control" (a NUL or other control character),
    "profile" (not the journey's answers), and for a share's "user": "unknown_user",
    "not_caseworker", "owner",
    "already_shared", "not_shared". The web layer turns them into words; nothing is written.
    """

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def text_problem(text: str, *, longest: int, required: bool) -> str | None:
    """The reason code a label or notes text is refused for, or None."""
    if required and not text.strip():
        return "blank"
    if len(text) > longest:
        return "too_long"
    if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text):
        return "control"
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return "control"  # a lone surrogate: no page or database can hold it
    if cpr_like(text):
        return "cpr"
    return None


def clean_label(label: str) -> str:
    return " ".join(label.split())


def clean_notes(notes: str) -> str:
    return notes.replace("\r\n", "\n").strip()


def _checked(label: str | None, notes: str | None) -> dict[str, str]:
    problems = {}
    if label is not None:
        problem = text_problem(label, longest=MAX_LABEL, required=True)
        if problem:
            problems["label"] = problem
    if notes is not None:
        problem = text_problem(notes, longest=MAX_NOTES, required=False)
        if problem:
            problems["notes"] = problem
    return problems


def _profile_problem(profile: object) -> bool:
    if not isinstance(profile, dict):
        return True
    try:
        text = json.dumps(profile, ensure_ascii=False)
    except (TypeError, ValueError):
        return True
    return len(text) > MAX_PROFILE or cpr_like(text)


def retention_days() -> int:
    return int(current_app.config["CLIENT_RETENTION_DAYS"])


def _touch(client: m.Client, now: datetime) -> None:
    """A write: the record is kept CLIENT_RETENTION_DAYS from now."""
    client.updated_at = now
    client.retain_until = now.date() + timedelta(days=retention_days())


def create(session: Session, owner: m.UserAccount, *, label: str, notes: str = "",
           profile: dict[str, Any] | None = None, ip: str | None = None,
           now: datetime | None = None, **detail: Any) -> m.Client:
    """A new client of owner's; ClientRefused if the label or notes break a rule.

    profile must already be the journey's checked answers (journey.read_answers); detail
    goes into the audit event (e.g. source="handoff"), so it must hold no client data.
    """
    label, notes = clean_label(label), clean_notes(notes)
    problems = _checked(label, notes)
    if profile is not None and _profile_problem(profile):
        problems["profile"] = "profile"
    if problems:
        raise ClientRefused(problems)
    now = now or datetime.now(UTC)
    client = m.Client(owner_id=owner.id, label=label, notes=notes, profile=dict(profile or {}),
                      pinned=[], excluded=[], created_at=now)
    _touch(client, now)
    session.add(client)
    session.flush()
    audit(session, client.id, "client_created", actor=owner, ip=ip,
          fields=sorted(name for name, value in (("label", label), ("notes", notes),
                                                 ("profile", profile)) if value), **detail)
    return client


def update(session: Session, client: m.Client, actor: m.UserAccount, *,
           label: str | None = None, notes: str | None = None, ip: str | None = None,
           now: datetime | None = None) -> list[str]:
    """Change the label and/or notes (None: leave as is); the names of the fields changed."""
    label = clean_label(label) if label is not None else None
    notes = clean_notes(notes) if notes is not None else None
    problems = _checked(label, notes)
    if problems:
        raise ClientRefused(problems)
    changed = []
    if label is not None and label != client.label:
        client.label = label
        changed.append("label")
    if notes is not None and notes != client.notes:
        client.notes = notes
        changed.append("notes")
    if changed:
        _touch(client, now or datetime.now(UTC))
    audit(session, client.id, "client_updated", actor=actor, ip=ip, fields=changed)
    return changed


def set_profile(session: Session, client: m.Client, profile: dict[str, Any],
                actor: m.UserAccount, *, ip: str | None = None, now: datetime | None = None,
                **detail: Any) -> list[str]:
    """Replace the profile with profile (the journey's checked answers); the keys changed.

    detail goes into the audit event (e.g. step="limits" or source="handoff").
    """
    if _profile_problem(profile):
        raise ClientRefused({"profile": "profile"})
    old = client.profile or {}
    changed = sorted(key for key in set(old) | set(profile) if old.get(key) != profile.get(key))
    if changed:
        client.profile = dict(profile)
        _touch(client, now or datetime.now(UTC))
    audit(session, client.id, "client_profile_updated", actor=actor, ip=ip, fields=changed,
          **detail)
    return changed


def mark_changed(client: m.Client, now: datetime | None = None) -> None:
    """For writes made elsewhere (the plan, pins): the record's retention starts again."""
    _touch(client, now or datetime.now(UTC))


# --- sharing --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ShareView:
    user_id: int
    email: str
    shared_at: datetime


def shares(session: Session, client: m.Client) -> list[ShareView]:
    rows = session.execute(
        select(m.ClientShare.user_id, m.UserAccount.email, m.ClientShare.shared_at)
        .join(m.UserAccount, m.UserAccount.id == m.ClientShare.user_id)
        .where(m.ClientShare.client_id == client.id).order_by(m.UserAccount.email))
    return [ShareView(user_id, email, _utc(at)) for user_id, email, at in rows]


def share_candidate(session: Session, client: m.Client, user_id: int) -> m.UserAccount:
    """The active caseworker the client may be shared with, or ClientRefused."""
    user = session.get(m.UserAccount, user_id)
    if user is None or not user.is_active:
        raise ClientRefused({"user": "unknown_user"})
    if user.role != "caseworker":
        raise ClientRefused({"user": "not_caseworker"})
    if user.id == client.owner_id:
        raise ClientRefused({"user": "owner"})
    if session.get(m.ClientShare, (client.id, user.id)) is not None:
        raise ClientRefused({"user": "already_shared"})
    return user


def share(session: Session, client: m.Client, user_id: int, actor: m.UserAccount, *,
          ip: str | None = None) -> m.UserAccount:
    """Let another caseworker see and work on the client; the owner or an admin decides."""
    user = share_candidate(session, client, user_id)
    session.add(m.ClientShare(client_id=client.id, user_id=user.id, shared_by_id=actor.id,
                              shared_at=datetime.now(UTC)))
    audit(session, client.id, "client_shared", actor=actor, ip=ip, target=user)
    return user


def unshare(session: Session, client: m.Client, user_id: int, actor: m.UserAccount, *,
            ip: str | None = None) -> None:
    row = session.get(m.ClientShare, (client.id, user_id))
    if row is None:
        raise ClientRefused({"user": "not_shared"})
    session.delete(row)
    audit(session, client.id, "client_unshared", actor=actor, ip=ip,
          target=session.get(m.UserAccount, user_id))


def caseworkers(session: Session, *, but: int | None = None) -> list[tuple[int, str]]:
    """Active caseworkers as (id, e-mail), for the share forms."""
    rows = session.execute(select(m.UserAccount.id, m.UserAccount.email).where(
        m.UserAccount.role == "caseworker", m.UserAccount.is_active.is_(True),
        m.UserAccount.id != (but if but is not None else -1)).order_by(m.UserAccount.email))
    return [(user_id, email) for user_id, email in rows]


# --- reading ------------------------------------------------------------------------------

def visible(user_id: int) -> Any:
    """A where-clause: the clients user_id owns or has been given."""
    shared = select(m.ClientShare.client_id).where(m.ClientShare.user_id == user_id)
    return or_(m.Client.owner_id == user_id, m.Client.id.in_(shared))


def find(session: Session, client_id: int, user_id: int) -> m.Client | None:
    """The client if user_id may see it, else None (the page answers 404)."""
    return session.scalars(select(m.Client).where(m.Client.id == client_id,
                                                  visible(user_id))).first()


@dataclass(frozen=True, slots=True)
class ClientSummary:
    """A line of a client list: an admin's list shows only the label and the owner."""

    id: int
    label: str
    owner_id: int
    owner_email: str
    updated_at: datetime
    retain_until: date
    shares: int = 0


def _summaries(session: Session, where: Any) -> list[ClientSummary]:
    rows = session.execute(
        select(m.Client.id, m.Client.label, m.Client.owner_id, m.UserAccount.email,
               m.Client.updated_at, m.Client.retain_until)
        .join(m.UserAccount, m.UserAccount.id == m.Client.owner_id)
        .where(where).order_by(m.Client.label, m.Client.id)).all()
    counts: dict[int, int] = {client_id: number for client_id, number in session.execute(
        select(m.ClientShare.client_id, func.count()).where(
            m.ClientShare.client_id.in_(select(m.Client.id).where(where)))
        .group_by(m.ClientShare.client_id))}
    return [ClientSummary(cid, label, owner, email, _utc(updated), retain, counts.get(cid, 0))
            for cid, label, owner, email, updated, retain in rows]


def for_user(session: Session, user_id: int) -> list[ClientSummary]:
    """The clients a caseworker owns or has been given, by label."""
    return _summaries(session, visible(user_id))


def all_clients(session: Session) -> list[ClientSummary]:
    """Every client, for an administrator's sharing page (label and owner only)."""
    return _summaries(session, m.Client.id.is_not(None))


def one(session: Session, client_id: int) -> ClientSummary | None:
    """One client's line whoever asks: for the administrator's page, never the record."""
    found = _summaries(session, m.Client.id == client_id)
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class ClientEvent:
    at: datetime
    action: str
    client_id: int | None
    actor: str | None  # the account's e-mail, or a command's "cli:<user>"
    ip: str | None
    detail: dict[str, Any] = field(default_factory=dict)


CLIENT_ACTIONS = ("client_created", "client_create_refused", "client_viewed", "client_updated",
                  "client_update_refused", "client_profile_updated", "client_shared", "client_unshared",
                  "client_exported", "client_deleted", "client_purged", "clients_purged",
                  "client_not_found", "client_list_viewed", "client_matched", "client_mark_set",
                  "client_handoff_imported", "handoff_refused", "plan_viewed", "plan_goal_set",
                  "plan_step_added", "plan_step_updated", "plan_step_moved", "plan_step_removed",
                  "plan_contact_set", "plan_pdf", "plan_change_refused")


# Client events with no one client as their subject: a list shown, a refused creation, a purge.
UNSUBJECTED = ("client_list_viewed", "client_create_refused", "clients_purged",
               "handoff_refused")


def events(session: Session, *, client_id: int | None = None, action: str | None = None,
           limit: int = 200) -> list[ClientEvent]:
    """Audit events about clients, newest first (for administrators and the export)."""
    query = (select(m.AuditEvent, m.UserAccount.email)
             .outerjoin(m.UserAccount, m.UserAccount.id == m.AuditEvent.actor_id))
    if client_id is not None:
        query = query.where(m.AuditEvent.subject == f"{SUBJECT}{client_id}")
    else:
        query = query.where(or_(m.AuditEvent.subject.like(f"{SUBJECT}%"),
                                m.AuditEvent.action.in_(UNSUBJECTED)))
    if action:
        query = query.where(m.AuditEvent.action == action)
    query = query.order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc()).limit(limit)
    found = []
    for event, email in session.execute(query):
        detail = dict(event.detail or {})
        actor = email or detail.pop("actor", None)
        subject = event.subject or ""
        client = int(subject[len(SUBJECT):]) if subject.startswith(SUBJECT) and \
            subject[len(SUBJECT):].isdigit() else None
        detail.pop("client", None)
        found.append(ClientEvent(_utc(event.at), event.action, client, actor, event.ip, detail))
    return found


def export(session: Session, client: m.Client, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything stored about the client, for a request under GDPR art. 15.

    Every table that holds the client's id, every column but the staff's identities (the
    citizen gets the log's "what", without employees' names, Datatilsynet 2024-32-0283)
    and a hand-off code's hash and (cleared) payload, plus the audit events about them.
    """
    plan = client.plan
    codes = session.scalars(select(m.HandoffCode).where(m.HandoffCode.client_id == client.id)
                            .order_by(m.HandoffCode.created_at)).all()
    return {
        "exported_at": _iso(now or datetime.now(UTC)),
        "client": {
            "id": client.id, "label": client.label, "profile": client.profile or {},
            "notes": client.notes, "pinned": list(client.pinned or []),
            "excluded": list(client.excluded or []), "created_at": _iso(client.created_at),
            "updated_at": _iso(client.updated_at),
            "retain_until": client.retain_until.isoformat(),
        },
        "shares": [{"shared_at": _iso(row.shared_at)} for row in client.shares],
        "plan": None if plan is None else {
            "target_code": plan.target_code, "route_code": plan.route_code,
            "next_contact": plan.next_contact.isoformat() if plan.next_contact else None,
            "next_contact_note": plan.next_contact_note, "updated_at": _iso(plan.updated_at),
        },
        "plan_steps": [{
            "position": step.position, "course_code": step.course_code,
            "course_title": step.course_title, "provider_name": step.provider_name,
            "session_code": step.session_code, "start": _day(step.start), "end": _day(step.end),
            "scheme": step.scheme, "deadline": _day(step.deadline),
            "deadline_note": step.deadline_note, "status": step.status,
            "status_date": _day(step.status_date)} for step in client.steps],
        "handoff_codes": [{"created_at": _iso(code.created_at),
                           "expires_at": _iso(code.expires_at),
                           "used_at": _iso(code.used_at) if code.used_at else None}
                          for code in codes],
        "audit": [{"at": _iso(event.at), "action": event.action,
                   **{k: v for k, v in event.detail.items() if k in AUDIT_EXPORTED}}
                  for event in events(session, client_id=client.id, limit=10_000)],
    }


AUDIT_EXPORTED = ("fields", "format", "step", "view", "source")  # what, never who
# Columns of client-linked tables left out of the export, with the reason (a test checks
# that every other column is in it, so a new one cannot be forgotten).
NOT_EXPORTED = {
    "client": {"owner_id": "an employee's identity"},
    "client_share": {"client_id": "the client itself", "user_id": "an employee's identity",
                     "shared_by_id": "an employee's identity"},
    "client_plan": {"client_id": "the client itself"},
    "plan_step": {"client_id": "the client itself", "id": "an internal row number"},
    "handoff_code": {"client_id": "the client itself", "id": "an internal row number",
                     "code_hash": "a hash of a spent code", "used_by_id": "an employee's identity",
                     "payload": "cleared when the code is used"},
}


def delete_client(session: Session, client: m.Client, actor: m.UserAccount, *,
                  ip: str | None = None) -> None:
    """Delete the record with its shares, plan and steps; the audit keeps only the id."""
    client_id = client.id
    session.delete(client)
    session.flush()
    audit(session, client_id, "client_deleted", actor=actor, ip=ip)


def purge(session: Session, *, today: date, actor_name: str) -> int:
    """Delete the clients whose retain_until has passed, with their shares, plan and steps.

    Each deletion is audited with the client's id only; returns how many were deleted.
    (Hand-off codes are purged by matcher.data.handoff.purge_expired, in the same command.)
    """
    expired = session.scalars(select(m.Client).where(m.Client.retain_until < today)).all()
    for client in expired:
        client_id = client.id
        session.delete(client)
        audit(session, client_id, "client_purged", actor=None, actor_name=actor_name)
    session.flush()
    return len(expired)


# --- the audit ----------------------------------------------------------------------------

def audit(session: Session, client_id: int, action: str, *, actor: m.UserAccount | None,
          ip: str | None = None, actor_name: str | None = None,
          target: m.UserAccount | None = None, **detail: Any) -> None:
    """One audited read or write of a client record: action is e.g. "client_viewed".

    detail names what was done (fields changed, the view, the format), never a value of the
    record; target is the colleague a share was given to or taken from.
    """
    accounts.audit(session, action, actor=actor, ip=ip, actor_name=actor_name, target=target,
                   subject=f"{SUBJECT}{client_id}", client=client_id, **detail)


def audit_list(session: Session, shown: list[ClientSummary], *, actor: m.UserAccount,
               ip: str | None) -> None:
    """A list of clients was shown (labels only): one event naming their ids."""
    accounts.audit(session, "client_list_viewed", actor=actor, ip=ip,
                   clients=[row.id for row in shown][:500])


def _utc(moment: datetime) -> datetime:
    """PostgreSQL hands times back in the connection's zone, SQLite without one (stored UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).isoformat()


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None
