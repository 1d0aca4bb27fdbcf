"""Staff accounts: passwords, lockout, second factor, recovery codes and the audit log.

Data functions take the session first and never commit; the caller owns the transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.data import models as m

# argon2id at OWASP's minimum (m=19 MiB, t=2, p=1): ~40 ms a hash on this machine
# (reference/security.md §2.3); login is rate-limited because hashing costs CPU.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_PASSWORD = 8
MAX_PASSWORD = 128
MAX_FAILURES = 10
LOCKOUT = timedelta(minutes=15)
RECOVERY_CODES = 10
ISSUER = "Kompetenceløft"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed by hand
_DUMMY_HASH = HASHER.hash("not-a-password-of-anyone")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """30,000 common passwords, shipped offline with the zxcvbn package (MIT)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, email: str = "") -> list[tuple[str, str]]:
    """What is wrong with a new password, as (Danish, English); no composition rules."""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append((f"Adgangskoden skal have mindst {MIN_PASSWORD} tegn (gerne 15 eller flere).",
                         f"The password needs at least {MIN_PASSWORD} characters (15 or more is better)."))
    if len(password) > MAX_PASSWORD:
        problems.append((f"Adgangskoden må højst have {MAX_PASSWORD} tegn.",
                         f"The password can have at most {MAX_PASSWORD} characters."))
    lowered = password.lower()
    local = email.split("@")[0].lower()
    if lowered in common_passwords() or lowered in (local, email.lower()):
        problems.append(("Adgangskoden er for almindelig. Vælg en, der er svær at gætte, fx flere ord.",
                         "The password is too common. Choose one that is hard to guess, e.g. "
                         "several words."))
    return problems


def one_time_password() -> str:
    """A random first password of 4 groups of 4 characters, to be changed at first login."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> m.UserAccount | None:
    return session.scalar(select(m.UserAccount).where(
        m.UserAccount.email == normalize_email(email)))


def audit(session: Session, action: str, *, actor: m.UserAccount | None = None,
          target: m.UserAccount | None = None, email: str | None = None, ip: str | None = None,
          **detail: Any) -> None:
    session.add(m.AuditEvent(action=action, actor_id=actor.id if actor else None,
                             target_id=target.id if target else None,
                             email=email[:254] if email else None, ip=ip, detail=detail))


def create_user(session: Session, email: str, role: str, *, provider_code: str | None = None,
                actor: m.UserAccount | None = None, ip: str | None = None
                ) -> tuple[m.UserAccount, str]:
    """A new account with a one-time password it must change at first login."""
    password = one_time_password()
    user = m.UserAccount(email=normalize_email(email), password_hash=HASHER.hash(password),
                         role=role, provider_code=provider_code if role == "provider" else None,
                         must_change_password=True)
    session.add(user)
    session.flush()
    audit(session, "user_created", actor=actor, target=user, ip=ip, role=role,
          provider=user.provider_code)
    return user, password


@dataclass(frozen=True, slots=True)
class LoginAttempt:
    user: m.UserAccount | None
    locked_until: datetime | None = None


def check_password(session: Session, email: str, password: str, *, ip: str | None,
                   now: datetime) -> LoginAttempt:
    """The user if the password is right; counts failures and locks the account for a while."""
    user = find_user(session, email)
    if len(password) > MAX_PASSWORD:
        password = password[:MAX_PASSWORD + 1]  # still wrong, but no hashing of megabytes
    if user is None:
        _verify(_DUMMY_HASH, password)  # same time whether or not the account exists
        audit(session, "login_failed", email=email, ip=ip, reason="unknown")
        return LoginAttempt(None)
    if user.locked_until and _aware(user.locked_until) > now:
        audit(session, "login_locked", target=user, ip=ip)
        return LoginAttempt(None, locked_until=_aware(user.locked_until))
    if not user.is_active or not _verify(user.password_hash, password):
        user.failed_logins += 1
        audit(session, "login_failed", target=user, ip=ip,
              reason="inactive" if not user.is_active else "password")
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            audit(session, "lockout", target=user, ip=ip, minutes=int(LOCKOUT.total_seconds() / 60))
            return LoginAttempt(None, locked_until=user.locked_until)
        return LoginAttempt(None)
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    return LoginAttempt(user)


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def record_login(session: Session, user: m.UserAccount, *, ip: str | None, now: datetime,
                 factor: str) -> None:
    user.last_login_at = now
    audit(session, "login", target=user, ip=ip, factor=factor)


def set_password(session: Session, user: m.UserAccount, password: str, *,
                 actor: m.UserAccount | None, ip: str | None) -> None:
    user.password_hash = HASHER.hash(password)
    user.must_change_password = False
    audit(session, "password_changed", actor=actor, target=user, ip=ip)


def password_matches(user: m.UserAccount, password: str) -> bool:
    return _verify(user.password_hash, password[:MAX_PASSWORD + 1])


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: m.UserAccount, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def check_totp(user: m.UserAccount, secret: str, code: str, now: datetime) -> bool:
    """A current 6-digit code (±30 s for clock drift) never used before by this account."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.at(candidate * totp.interval), code):
            if user.totp_last_step is not None and candidate <= user.totp_last_step:
                return False  # replay of a code already used
            user.totp_last_step = candidate
            return True
    return False


def enable_totp(session: Session, user: m.UserAccount, secret: str, *,
                ip: str | None) -> list[str]:
    """Turn the second factor on and return fresh recovery codes (shown once)."""
    user.totp_secret = secret
    user.totp_enabled = True
    audit(session, "totp_enabled", actor=user, target=user, ip=ip)
    return new_recovery_codes(session, user)


def new_recovery_codes(session: Session, user: m.UserAccount) -> list[str]:
    for old in list(user.recovery_codes):
        session.delete(old)
    codes = ["-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(2))
             for _ in range(RECOVERY_CODES)]
    for code in codes:
        session.add(m.RecoveryCode(user=user, code_hash=HASHER.hash(code)))
    return codes


def use_recovery_code(session: Session, user: m.UserAccount, code: str, *, ip: str | None,
                      now: datetime) -> bool:
    cleaned = code.strip().lower()
    if len(cleaned) > 20:
        return False
    for stored in user.recovery_codes:
        if stored.used_at is None and _verify(stored.code_hash, cleaned):
            stored.used_at = now
            left = sum(1 for c in user.recovery_codes if c.used_at is None)
            audit(session, "recovery_code_used", target=user, ip=ip, left=left)
            return True
    return False


def end_sessions(user: m.UserAccount) -> None:
    """Every cookie issued before now stops working (checked on every request)."""
    user.session_version += 1


def set_active(session: Session, user: m.UserAccount, active: bool, *, actor: m.UserAccount,
               ip: str | None) -> None:
    user.is_active = active
    if not active:
        end_sessions(user)
    audit(session, "reactivated" if active else "deactivated", actor=actor, target=user, ip=ip)


def reset_password(session: Session, user: m.UserAccount, *, actor: m.UserAccount,
                   ip: str | None) -> str:
    password = one_time_password()
    user.password_hash = HASHER.hash(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(user)
    audit(session, "password_reset", actor=actor, target=user, ip=ip)
    return password


def change_role(session: Session, user: m.UserAccount, role: str, provider_code: str | None, *,
                actor: m.UserAccount, ip: str | None) -> None:
    before = (user.role, user.provider_code)
    user.role = role
    user.provider_code = provider_code if role == "provider" else None
    end_sessions(user)
    audit(session, "role_changed", actor=actor, target=user, ip=ip, before=list(before),
          after=[user.role, user.provider_code])


def count_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(m.UserAccount).where(
        m.UserAccount.role == "admin", m.UserAccount.is_active.is_(True))) or 0
