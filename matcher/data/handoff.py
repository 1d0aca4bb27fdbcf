"""A citizen's answers handed to their caseworker with a short code: made, redeemed once, purged.

The code is 10 characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L),
shown as ABCD-EFGH-JK: 31**10 ≈ 8.2 × 10**14 codes (49.5 bits). Guessing one is only
possible through the caseworkers' lookup, behind a staff login with a second factor and
limited to HANDOFF_RATE_LIMIT (10 a minute) per address and per account: one account
guessing day and night for the 14 days a code lives makes about 200,000 guesses, so with
even 10,000 codes alive at once it finds one with a chance of about 1 in 400,000.

Only an HMAC of the code is stored, under a key derived from SECRET_KEY: a copy of the
database alone does not give the codes (a plain SHA-256 of 50 bits could be searched in
days), and the answers are encrypted under another derived key. Keys derived from
SECRET_KEY_FALLBACKS still find and open codes made before a key rotation.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal, cast

from cryptography.fernet import InvalidToken, MultiFernet
from sqlalchemy import CursorResult, Delete, Update, delete, select, update
from sqlalchemy.orm import Session

from matcher.data import derived_keys
from matcher.data import models as m

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # the recovery codes' alphabet, upper case
LENGTH = 10
GROUPS = (4, 4, 2)
# An expired code's answers are erased by the first purge after it expires; the row (a hash
# and dates, nothing of the citizen's) is kept this much longer, so a caseworker handed an
# old code is told "expired on ..." rather than "unknown".
KEEP_EXPIRED = timedelta(days=30)
_HASH_PURPOSE = b"kompetenceloeft: hand-off code lookup, v1"
_CIPHER_PURPOSE = b"kompetenceloeft: hand-off answers at rest, v1"
# What a person may type around the characters: spaces, dashes, dots (read off a note).
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]+")
_SHAPE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")
_MAX_TYPED = 40


@dataclass(frozen=True)
class HandoffKey:
    """What codes are hashed and answers encrypted with: the newest key first."""

    hash_keys: tuple[bytes, ...]
    cipher: MultiFernet


def handoff_key(config: Mapping[str, Any]) -> HandoffKey:
    """The key of this configuration (SECRET_KEY and SECRET_KEY_FALLBACKS)."""
    return _key_for(derived_keys.signing_keys(config))


@lru_cache(maxsize=8)
def _key_for(material: tuple[bytes, ...]) -> HandoffKey:
    return HandoffKey(hash_keys=tuple(derived_keys.derive(raw, _HASH_PURPOSE) for raw in material),
                      cipher=derived_keys.cipher(material, _CIPHER_PURPOSE))


@dataclass(frozen=True, slots=True)
class NewCode:
    """A code as the citizen is shown it (once: only its hash is kept) and when it expires."""

    code: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Redeemed:
    handoff_id: int
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a code gives nothing: unknown (or never a code), expired (at) or used (at)."""

    reason: Literal["unknown", "expired", "used"]
    at: datetime | None = None


def normalise(typed: str) -> str | None:
    """The code's 10 characters as stored, or None if the text cannot be a code.

    Tolerant of how people copy a code: lower case, spaces, missing or extra dashes.
    """
    if not isinstance(typed, str) or len(typed) > _MAX_TYPED:
        return None
    bare = _SEPARATORS.sub("", typed).upper()
    return bare if _SHAPE.fullmatch(bare) else None


def grouped(code: str) -> str:
    """ABCDEFGHJK as ABCD-EFGH-JK, the way it is shown and read aloud."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start:start + size])
        start += size
    return "-".join(parts)


def _hashes(code: str, key: HandoffKey) -> list[str]:
    return [hmac.new(raw, code.encode("ascii"), "sha256").hexdigest() for raw in key.hash_keys]


def create(session: Session, answers: Mapping[str, Any], now: datetime, days: int,
           key: HandoffKey) -> NewCode:
    """Keep answers, encrypted, for days under a new code; the code itself is not kept."""
    now = now.astimezone(UTC)
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        digest = _hashes(code, key)[0]
        # A repeat among 8 × 10**14 codes is all but impossible; it is checked all the same,
        # so that the unique index can never turn a citizen's consent into an error page.
        if session.scalar(select(m.HandoffCode.id).where(m.HandoffCode.code_hash == digest)) is None:
            break
    payload = key.cipher.encrypt(json.dumps(dict(answers), ensure_ascii=False,
                                            sort_keys=True).encode("utf-8")).decode("ascii")
    expires_at = now + timedelta(days=days)
    session.add(m.HandoffCode(code_hash=digest, payload=payload, created_at=now,
                              expires_at=expires_at))
    session.flush()
    return NewCode(grouped(code), expires_at)


def _find(session: Session, typed: str, key: HandoffKey) -> m.HandoffCode | None:
    code = normalise(typed)
    if code is None:
        return None
    return session.scalars(select(m.HandoffCode).where(
        m.HandoffCode.code_hash.in_(_hashes(code, key)))).first()


def _refusal(row: m.HandoffCode | None, now: datetime) -> Refused | None:
    if row is None:
        return Refused("unknown")
    if row.used_at is not None:
        return Refused("used", _utc(row.used_at))
    if _utc(row.expires_at) <= now:
        return Refused("expired", _utc(row.expires_at))
    if row.payload is None:  # erased without being used: cannot happen before expiry
        return Refused("unknown")
    return None


def check(session: Session, typed: str, now: datetime, key: HandoffKey) -> Refused | None:
    """Why the code would give nothing now, or None if it would (it stays unused)."""
    return _refusal(_find(session, typed, key), now.astimezone(UTC))


def redeem(session: Session, typed: str, user: m.UserAccount, now: datetime,
           key: HandoffKey) -> Redeemed | Refused:
    """The answers behind a code, which is used up by this; or why there are none.

    Used once only, even by two caseworkers at the same moment: the code is claimed with one
    conditional UPDATE, and only the request whose UPDATE changed the row gets the answers.
    The answers are erased from the row in the same statement.
    """
    now = now.astimezone(UTC)
    row = _find(session, typed, key)
    refused = _refusal(row, now)
    if refused is not None:
        return refused
    assert row is not None and row.payload is not None
    try:
        answers = json.loads(key.cipher.decrypt(row.payload.encode("ascii")))
    except (InvalidToken, UnicodeError, ValueError):  # a key lost in a rotation
        return Refused("unknown")
    claimed = _rows(session, update(m.HandoffCode)
                    .where(m.HandoffCode.id == row.id, m.HandoffCode.used_at.is_(None),
                           m.HandoffCode.expires_at > now)
                    .values(used_at=now, used_by_id=user.id, payload=None))
    session.expire(row)  # read again (as the database has it) if anything looks at it
    if claimed != 1:
        return _refusal(row, now) or Refused("used")
    return Redeemed(row.id, answers if isinstance(answers, dict) else {})


def record_client(session: Session, handoff_id: int, client_id: int) -> None:
    """Which client record received the answers (kept until the row is purged)."""
    _rows(session, update(m.HandoffCode).where(m.HandoffCode.id == handoff_id)
          .values(client_id=client_id))


def purge_expired(session: Session, now: datetime) -> int:
    """Erase the answers of every expired code and delete codes expired KEEP_EXPIRED ago.

    Run daily (by `flask clients purge`). Returns how many codes were erased or deleted
    (a code is counted once per purge).
    """
    now = now.astimezone(UTC)
    deleted = _rows(session, delete(m.HandoffCode).where(
        m.HandoffCode.expires_at <= now - KEEP_EXPIRED))
    erased = _rows(session, update(m.HandoffCode).where(
        m.HandoffCode.expires_at <= now, m.HandoffCode.payload.is_not(None)).values(payload=None))
    return deleted + erased


def _rows(session: Session, statement: Update | Delete) -> int:
    """Run a bulk UPDATE or DELETE; how many rows it changed (the database decides races)."""
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return int(cast(CursorResult[Any], result).rowcount)


def _utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every moment here is written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
