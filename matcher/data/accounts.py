"""Staff accounts: passwords, lockout, second factor, recovery codes and the audit log.

Data functions take the session first and never commit; the caller owns the transaction.
"""

from __future__ import annotations

import itertools
import re
import secrets
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal, cast

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import CursorResult, Update, delete, func, insert, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.orm.attributes import set_committed_value

from matcher.config import DEV_SECRET_KEY
from matcher.data import derived_keys
from matcher.data import models as m

# argon2id at OWASP's minimum (m=19 MiB, t=2, p=1): ~40 ms a hash on this machine
# (reference/security.md §2.3); login is rate-limited because hashing costs CPU.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_PASSWORD = 8
MAX_PASSWORD = 128
MAX_FAILURES = 10  # wrong passwords before a lock (or, from remembered browsers, forgetting them)
LOCKOUT = timedelta(minutes=15)
MAX_CODE_FAILURES = 5  # wrong second-factor codes before the second step is refused
CODE_LOCKOUT = timedelta(minutes=15)
RECOVERY_CODES = 10
ONE_TIME_PASSWORD_LIFETIME = timedelta(hours=72)  # the default of ONE_TIME_PASSWORD_HOURS
ISSUER = "Kompetenceløft"
UNKNOWN_ACCOUNT = "(unknown account)"  # the audit log's e-mail for a failed login of no account
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed by hand
_RECOVERY_SHAPE = re.compile(f"[{_ALPHABET}]{{5}}-?[{_ALPHABET}]{{5}}")
_DUMMY_HASH = HASHER.hash("not-a-password-of-anyone")
_TOTP_KEY_INFO = b"kompetenceloeft: TOTP secrets at rest, v1"  # HKDF purpose label

# Words a password may not contain (reference/security.md 6.2: context-specific words), read
# case-insensitively through digits, symbols and basic leetspeak; site, authority and e-mail
# words are added per call. Words shorter than MIN_CONTEXT_WORD are only refused whole.
CONTEXT_WORDS = ("kompetenceløft", "kommune", "jobcenter")
MIN_CONTEXT_WORD = 4
_LEET = {"a": "4@", "b": "8", "e": "3€", "g": "69", "i": "1!|", "l": "1!|", "o": "0", "s": "5$",
         "t": "7+", "z": "2"}
_SPELLINGS = {"ø": ("ø", "oe", "o"), "æ": ("æ", "ae"), "å": ("å", "aa"), "é": ("é", "e")}
_BETWEEN = r"[\W\d_]*"  # digits and symbols typed between the letters of a word


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """30,000 common passwords, shipped offline with the zxcvbn package (MIT)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, email: str = "", *,
                      names: Iterable[str] = ()) -> list[tuple[str, str]]:
    """What is wrong with a new password, as (Danish, English); no composition rules.

    names: the site's and the authority's names (SITE_NAME, AUTHORITY_NAME), refused inside
    a password like CONTEXT_WORDS and the e-mail's local part.
    """
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
    word = context_word_in(password[:MAX_PASSWORD], (*names, local))
    if word:
        problems.append((f"Adgangskoden må ikke indeholde »{word}«. Undgå sidens og kommunens navn, "
                         "»kommune«, »jobcenter« og din e-mail, også med tal eller tegn imellem.",
                         f"The password must not contain “{word}”. Avoid the site's and the "
                         "municipality's name, “kommune”, “jobcenter” and your e-mail, also with "
                         "digits or symbols in between."))
    return problems


def context_word_in(password: str, names: Iterable[str] = ()) -> str | None:
    """The first word of CONTEXT_WORDS or of names found inside password, or None."""
    text = unicodedata.normalize("NFKC", password).casefold()
    for word in _context_words(names):
        if any(_word_pattern(spelling).search(text) for spelling in _spellings(word)):
            return word
    return None


def _context_words(names: Iterable[str]) -> list[str]:
    words = list(CONTEXT_WORDS)
    for name in names:
        for part in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", name).casefold()):
            if len(part) >= MIN_CONTEXT_WORD and part not in words:
                words.append(part)
    return words


def _spellings(word: str) -> set[str]:
    """kompetenceløft is also typed kompetenceloeft and kompetenceloft."""
    return {"".join(letters) for letters in
            itertools.product(*(_SPELLINGS.get(letter, (letter,)) for letter in word))}


@lru_cache(maxsize=256)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(_BETWEEN.join(f"[{re.escape(letter + _LEET.get(letter, ''))}]"
                                    for letter in word))

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
          actor_name: str | None = None, subject: str | None = None, **detail: Any) -> None:
    """One audit event; actor_name names an actor with no account (a command: "cli:<user>");
    subject names the listing a provider changed ("provider/course")."""
    if actor_name:
        detail = {"actor": actor_name, **detail}
    session.add(m.AuditEvent(action=action, actor_id=actor.id if actor else None,
                             target_id=target.id if target else None,
                             email=email[:254] if email else None, ip=ip, detail=detail,
                             subject=subject))


def create_user(session: Session, email: str, role: str, *, provider_code: str | None = None,
                actor: m.UserAccount | None = None, actor_name: str | None = None,
                ip: str | None = None,
                valid_for: timedelta = ONE_TIME_PASSWORD_LIFETIME) -> tuple[m.UserAccount, str]:
    """A new account with a one-time password it must change at first login, within valid_for."""
    password = one_time_password()
    user = m.UserAccount(email=normalize_email(email), password_hash=HASHER.hash(password),
                         role=role, provider_code=provider_code if role == "provider" else None,
                         must_change_password=True,
                         password_expires_at=datetime.now(UTC) + valid_for)
    session.add(user)
    session.flush()
    audit(session, "user_created", actor=actor, actor_name=actor_name, target=user, ip=ip,
          role=role, provider=user.provider_code)
    return user, password


@dataclass(frozen=True, slots=True)
class LoginAttempt:
    user: m.UserAccount | None
    locked: bool = False  # what happened, for callers that log; the answer must not show it
    expired: bool = False  # the right one-time password, too late: the answer may say so


def check_password(session: Session, email: str, password: str, *, ip: str | None,
                   now: datetime, remembered: Collection[tuple[int, int]] = ()) -> LoginAttempt:
    """The user if the password is right and the account may log in from this browser.

    Every call costs one argon2 verification, for unknown, inactive and locked accounts
    too, so neither the time nor the result tells whether an account exists or is locked.
    MAX_FAILURES wrong passwords lock the account for LOCKOUT, but only for browsers it has
    not logged in from: remembered holds the (account id, device epoch) pairs of this
    browser's signed cookie, and such a browser is never locked out by others' failures
    (OWASP's device cookies). MAX_FAILURES failures from remembered browsers forget them all.
    """
    user = find_user(session, email)
    password = password[:MAX_PASSWORD + 1]  # still wrong if longer, but no hashing of megabytes
    if user is None:
        _verify(_DUMMY_HASH, password)  # same time whether or not the account exists
        audit(session, "login_failed", email=UNKNOWN_ACCOUNT, ip=ip, reason="unknown")
        return LoginAttempt(None)
    right = _verify(user.password_hash, password)
    known_browser = (user.id, user.device_epoch) in remembered
    if not known_browser and user.locked_until and _aware(user.locked_until) > now:
        audit(session, "login_locked", target=user, email=user.email, ip=ip)
        return LoginAttempt(None, locked=True)
    if not right or not user.is_active:
        audit(session, "login_failed", target=user, email=user.email, ip=ip,
              reason="inactive" if not user.is_active else "password")
        if known_browser:
            if _add_one(session, user, m.UserAccount.device_failures) >= MAX_FAILURES:
                _forget_browsers(session, user, ip=ip)
            return LoginAttempt(None)
        if _add_one(session, user, m.UserAccount.failed_logins) >= MAX_FAILURES:
            if _lock(session, user, m.UserAccount.failed_logins, m.UserAccount.locked_until,
                     now + LOCKOUT, MAX_FAILURES):
                audit(session, "lockout", target=user, email=user.email, ip=ip,
                      minutes=int(LOCKOUT.total_seconds() / 60))
            return LoginAttempt(None, locked=True)
        return LoginAttempt(None)
    if one_time_password_expired(user, now):  # told only to whoever knows the password
        audit(session, "login_failed", target=user, email=user.email, ip=ip, reason="expired")
        return LoginAttempt(None, expired=True)
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    if known_browser:
        user.device_failures = 0  # the lock, if any, stays for other browsers
    else:
        user.failed_logins = 0
        user.locked_until = None
    return LoginAttempt(user)


def one_time_password_expired(user: m.UserAccount, now: datetime) -> bool:
    """A one-time password past its end (ASVS 6.4.1); one with no end recorded is too."""
    if not user.must_change_password:
        return False
    return user.password_expires_at is None or _aware(user.password_expires_at) <= now


def _add_one(session: Session, user: m.UserAccount, counter: InstrumentedAttribute[int]) -> int:
    """Add one to a counter in the database itself, so that concurrent failures all count."""
    count: int = session.execute(
        update(m.UserAccount).where(m.UserAccount.id == user.id)
        .values({counter: counter + 1}).returning(counter),
        execution_options={"synchronize_session": False}).scalar_one()
    set_committed_value(user, counter.key, count)
    return count


def _lock(session: Session, user: m.UserAccount, counter: InstrumentedAttribute[int],
          until: InstrumentedAttribute[datetime | None], moment: datetime, limit: int) -> bool:
    """Reset counter and lock until moment; True for the one request that did it."""
    done = _changed_one(session, update(m.UserAccount)
                        .where(m.UserAccount.id == user.id, counter >= limit)
                        .values({counter: 0, until: moment}))
    if done:
        set_committed_value(user, counter.key, 0)
        set_committed_value(user, until.key, moment)
    return done


def _changed_one(session: Session, statement: Update) -> bool:
    """Run a conditional UPDATE: True if it changed the row, so the database decides races."""
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return cast(CursorResult[Any], result).rowcount == 1


def _forget_browsers(session: Session, user: m.UserAccount, *, ip: str | None) -> None:
    """Too many failures from remembered browsers (a stolen cookie?): remember none of them."""
    user.device_epoch += 1
    user.device_failures = 0
    audit(session, "browsers_forgotten", target=user, email=user.email, ip=ip)


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
    user.password_expires_at = None
    audit(session, "password_changed", actor=actor, target=user, ip=ip)


def password_matches(user: m.UserAccount, password: str) -> bool:
    return _verify(user.password_hash, password[:MAX_PASSWORD + 1])


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: m.UserAccount, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def totp_cipher(config: Mapping[str, Any]) -> MultiFernet:
    """The cipher of the TOTP secrets at rest; the first key encrypts, every key decrypts.

    TOTP_ENCRYPTION_KEY: Fernet keys, comma-separated, newest first. Unset, production
    derives the key from SECRET_KEY (checked strong at start-up) and SECRET_KEY_FALLBACKS with
    HKDF under its own purpose label, so rotating the signing key with the old one as a
    fallback keeps the secrets readable. Elsewhere the key comes from the development key:
    there are no real staff there, and a per-process random key would make every second
    factor unreadable after a restart (and differ between `flask db upgrade` and the site).
    """
    given = str(config.get("TOTP_ENCRYPTION_KEY") or "")
    keys: list[bytes | str] = [key.strip() for key in given.split(",") if key.strip()]
    if not keys:
        if str(config.get("APP_ENV", "")).strip().lower() == "production":
            material = [config.get("SECRET_KEY"), *(config.get("SECRET_KEY_FALLBACKS") or ())]
        else:
            material = [DEV_SECRET_KEY]
        keys = [_derived_key(item) for item in material if item]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ValueError("TOTP_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded "
                         "bytes), comma-separated, newest first; make one with "
                         "`python -c 'from cryptography.fernet import Fernet; "
                         "print(Fernet.generate_key().decode())'`") from None


def _derived_key(material: str | bytes) -> bytes:
    return derived_keys.fernet_key(material, _TOTP_KEY_INFO)


def _app_cipher() -> MultiFernet:
    """The running app's cipher (made once per app; auth.init_app makes it at start-up)."""
    from flask import current_app

    cipher: MultiFernet | None = current_app.extensions.get("totp_cipher")
    if cipher is None:
        cipher = current_app.extensions["totp_cipher"] = totp_cipher(current_app.config)
    return cipher


def stored_totp_secret(user: m.UserAccount, *, cipher: MultiFernet | None = None) -> str | None:
    """The account's TOTP secret in clear, or None (none set, or a key that was lost)."""
    if not user.totp_secret:
        return None
    try:
        return (cipher or _app_cipher()).decrypt(user.totp_secret.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        return None  # the recovery codes still work, and the app can be set up again


def check_totp(session: Session, user: m.UserAccount, secret: str, code: str,
               now: datetime) -> bool:
    """A current 6-digit code (±30 s for clock drift) never used before by this account.

    The time step is claimed in the database (UPDATE ... WHERE totp_last_step < step), so of
    several logins sending the same code at once exactly one gets in.
    """
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.at(candidate * totp.interval), code):
            return _claim_step(session, user, candidate)
    return False


def _claim_step(session: Session, user: m.UserAccount, step: int) -> bool:
    column = m.UserAccount.totp_last_step
    won = _changed_one(session, update(m.UserAccount)
                       .where(m.UserAccount.id == user.id, or_(column.is_(None), column < step))
                       .values(totp_last_step=step))
    if won:
        set_committed_value(user, "totp_last_step", step)
    return won


SecondFactor = Literal["totp", "recovery_code", "wrong", "locked"]


def check_second_factor(session: Session, user: m.UserAccount, code: str, *, ip: str | None,
                        now: datetime, cipher: MultiFernet | None = None) -> SecondFactor:
    """How a code at the second step went: "totp" or "recovery_code" let the user in.

    MAX_CODE_FAILURES wrong codes refuse the account's second step for CODE_LOCKOUT (only
    someone who knows the password gets here, so strangers cannot set this lock); a right
    code resets the count. Wrong codes are cheap: a 6-digit code is checked as TOTP only,
    and only input shaped like a recovery code is compared with the argon2-hashed codes.
    """
    if user.code_locked_until and _aware(user.code_locked_until) > now:
        audit(session, "second_factor_locked", target=user, ip=ip)
        return "locked"
    cleaned = "".join(code.split()).lower()
    outcome: SecondFactor = "wrong"
    if len(cleaned) == 6 and cleaned.isdigit():
        secret = stored_totp_secret(user, cipher=cipher)
        if secret and check_totp(session, user, secret, cleaned, now):
            outcome = "totp"
    elif _RECOVERY_SHAPE.fullmatch(cleaned) and use_recovery_code(session, user, cleaned,
                                                                  ip=ip, now=now):
        outcome = "recovery_code"
    if outcome != "wrong":
        user.code_failures = 0
        return outcome
    audit(session, "second_factor_failed", target=user, ip=ip)
    if _add_one(session, user, m.UserAccount.code_failures) >= MAX_CODE_FAILURES and _lock(
            session, user, m.UserAccount.code_failures, m.UserAccount.code_locked_until,
            now + CODE_LOCKOUT, MAX_CODE_FAILURES):
        audit(session, "second_factor_lockout", target=user, ip=ip,
              minutes=int(CODE_LOCKOUT.total_seconds() / 60))
    return "wrong"


def enable_totp(session: Session, user: m.UserAccount, secret: str, *, ip: str | None,
                cipher: MultiFernet | None = None) -> list[str]:
    """Turn the second factor on and return fresh recovery codes (shown once)."""
    user.totp_secret = (cipher or _app_cipher()).encrypt(secret.encode("ascii")).decode("ascii")
    user.totp_enabled = True
    user.code_failures = 0
    user.code_locked_until = None
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
    """Use one unused recovery code; the database marks it used once (UPDATE ... WHERE unused)."""
    cleaned = "".join(code.split()).lower()
    if not _RECOVERY_SHAPE.fullmatch(cleaned):
        return False
    cleaned = cleaned.replace("-", "")
    cleaned = f"{cleaned[:5]}-{cleaned[5:]}"
    for stored in user.recovery_codes:
        if stored.used_at is None and _verify(stored.code_hash, cleaned):
            if not _changed_one(session, update(m.RecoveryCode).where(
                    m.RecoveryCode.id == stored.id, m.RecoveryCode.used_at.is_(None))
                    .values(used_at=now)):
                return False  # another login used it a moment ago
            set_committed_value(stored, "used_at", now)
            left = session.scalar(select(func.count()).select_from(m.RecoveryCode).where(
                m.RecoveryCode.user_id == user.id, m.RecoveryCode.used_at.is_(None)))
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
                   ip: str | None, valid_for: timedelta = ONE_TIME_PASSWORD_LIFETIME) -> str:
    """A new one-time password, to be changed at the next login within valid_for."""
    password = one_time_password()
    user.password_hash = HASHER.hash(password)
    user.must_change_password = True
    user.password_expires_at = datetime.now(UTC) + valid_for
    user.failed_logins = 0
    user.locked_until = None
    user.code_failures = 0
    user.code_locked_until = None
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


def purge_audit_events(session: Session, *, older_than: timedelta, now: datetime,
                       actor_name: str) -> int:
    """Delete the audit events older than older_than (retention, ASVS 8.3.8); how many went.

    The one DELETE the database allows on audit_event (migration 0006): the row in audit_purge
    names the cutoff for this transaction only and is gone again before it commits. The purge
    is audited itself, and that event is newer than any cutoff.
    """
    cutoff = now - older_than
    session.execute(insert(m.AuditPurge).values(cutoff=cutoff))
    result = session.execute(delete(m.AuditEvent).where(m.AuditEvent.at < cutoff),
                             execution_options={"synchronize_session": False})
    session.execute(delete(m.AuditPurge))
    deleted = cast(CursorResult[Any], result).rowcount
    audit(session, "audit_purged", actor_name=actor_name, deleted=deleted,
          days=older_than.days, cutoff=cutoff.isoformat())
    return deleted
