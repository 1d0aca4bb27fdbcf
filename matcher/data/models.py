"""The catalogue schema: reference data, taxonomy, shortages, courses and funding rates.

Columns follow the catalogue format of design.md §4; domain.md §10 explains the choices.
Lists (aliases) are JSON arrays. Natural codes are primary keys so that a catalogue
folder can be compared row by row with what is stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SKILL_STATUSES = ("ufaglaert", "faglaert", "videregaaende")
SKILL_KINDS = ("skill", "knowledge", "certificate", "transversal")
RELATIONS = ("essential", "optional")
SHORTAGE_CATEGORIES = ("omfattende_mangel", "mangel", "paradoks", "gode", "mindre_gode")
COURSE_KINDS = ("amu", "akademi", "diplom", "eud", "euv", "voksenlaerling", "ikv", "other")
DELIVERIES = ("presence", "online", "blended")
SCHEDULES = ("day", "evening", "weekend", "self_paced")
SESSION_STATUSES = ("open", "full", "cancelled")
POSITIVE_LISTS = ("seks_uger", "regional_pulje", "uddannelsesloeft", "voksenlaerling")
PROVIDER_KINDS = ("erhvervsskole", "amu_center", "erhvervsakademi", "professionshoejskole",
                  "universitet", "privat")
FUNDING_SCHEMES = ("seks_uger", "regional_pulje", "veu", "befordring", "amu_fee",
                   "uddannelsesloeft", "voksenlaerling", "svu")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class EducationLevel(Base):
    __tablename__ = "education_level"
    __table_args__ = (CheckConstraint(_in("skill_status", SKILL_STATUSES), name="skill_status"),)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    skill_status: Mapped[str] = mapped_column(String(20))
    dk_nqf: Mapped[int | None] = mapped_column(Integer)


class RarArea(Base):
    """An area the labour-market balance and the regional pool lists are published for.

    Named as the source names it; valid_from/valid_to bound the periods it is used for.
    """

    __tablename__ = "rar_area"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(String(500))


class RarAdjacency(Base):
    __tablename__ = "rar_adjacency"

    rar_code: Mapped[str] = mapped_column(ForeignKey("rar_area.code"), primary_key=True)
    adjacent_rar_code: Mapped[str] = mapped_column(ForeignKey("rar_area.code"), primary_key=True)


class Municipality(Base):
    __tablename__ = "municipality"

    kommunekode: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))

    memberships: Mapped[list[MunicipalityRar]] = relationship(back_populates="municipality")


class MunicipalityRar(Base):
    """Which RAR area a municipality belonged to, and when (Viborg moved, domain.md §1)."""

    __tablename__ = "municipality_rar"
    __table_args__ = (UniqueConstraint("kommunekode", "rar_code", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kommunekode: Mapped[int] = mapped_column(ForeignKey("municipality.kommunekode"), index=True)
    rar_code: Mapped[str] = mapped_column(ForeignKey("rar_area.code"))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    municipality: Mapped[Municipality] = relationship(back_populates="memberships")


class Postcode(Base):
    __tablename__ = "postcode"

    postcode: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float]
    lon: Mapped[float]
    kommunekode: Mapped[int | None] = mapped_column(ForeignKey("municipality.kommunekode"))


class Skill(Base):
    __tablename__ = "skill"
    __table_args__ = (CheckConstraint(_in("kind", SKILL_KINDS), name="kind"),)

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    label_da: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(200))
    aliases_da: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str | None] = mapped_column(String(20))
    esco_uri: Mapped[str | None] = mapped_column(String(300))


class Occupation(Base):
    __tablename__ = "occupation"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    title_da: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    aliases_da: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    isco08: Mapped[str | None] = mapped_column(String(4))
    disco08: Mapped[str | None] = mapped_column(String(6))
    esco_uri: Mapped[str | None] = mapped_column(String(300))
    min_education_level: Mapped[str | None] = mapped_column(ForeignKey("education_level.code"))
    description_da: Mapped[str | None] = mapped_column(Text)
    regulated: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    skills: Mapped[list[OccupationSkill]] = relationship(back_populates="occupation")


class Education(Base):
    """A specific education a person can name (e.g. EUD Smed), at an education level."""

    __tablename__ = "education"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    title_da: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(ForeignKey("education_level.code"))
    title_en: Mapped[str | None] = mapped_column(String(200))
    aliases_da: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(String(100))
    source_url: Mapped[str | None] = mapped_column(String(500))


class EducationOccupation(Base):
    """The education qualifies a person for the occupation (skilled in it, or authorised)."""

    __tablename__ = "education_occupation"

    education_code: Mapped[str] = mapped_column(ForeignKey("education.code"), primary_key=True)
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupation.code"), primary_key=True,
                                                 index=True)


class OccupationSkill(Base):
    __tablename__ = "occupation_skill"
    __table_args__ = (CheckConstraint(_in("relation", RELATIONS), name="relation"),)

    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupation.code"), primary_key=True)
    skill_code: Mapped[str] = mapped_column(ForeignKey("skill.code"), primary_key=True, index=True)
    relation: Mapped[str] = mapped_column(String(20))

    occupation: Mapped[Occupation] = relationship(back_populates="skills")


class Shortage(Base):
    """A rating of the labour-market balance: one occupation, RAR area and half-year."""

    __tablename__ = "shortage"
    __table_args__ = (
        CheckConstraint(_in("category", SHORTAGE_CATEGORIES), name="category"),
        CheckConstraint("period LIKE '____H_'", name="period"),
    )

    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupation.code"), primary_key=True)
    rar_code: Mapped[str] = mapped_column(ForeignKey("rar_area.code"), primary_key=True)
    period: Mapped[str] = mapped_column(String(6), primary_key=True)  # e.g. 2026H2
    category: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(100))
    source_url: Mapped[str | None] = mapped_column(String(500))


class Provider(Base):
    __tablename__ = "provider"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(ForeignKey("postcode.postcode"))
    kind: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(100))

    courses: Mapped[list[Course]] = relationship(back_populates="provider")


class Course(Base):
    __tablename__ = "course"
    __table_args__ = (
        CheckConstraint(_in("kind", COURSE_KINDS), name="kind"),
        CheckConstraint("duration_days > 0", name="duration_days"),
    )

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title_da: Mapped[str] = mapped_column(String(300))
    provider_code: Mapped[str] = mapped_column(ForeignKey("provider.code"), index=True)
    duration_days: Mapped[Decimal] = mapped_column(Numeric(7, 1))
    official_code: Mapped[str | None] = mapped_column(String(40))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_da: Mapped[str | None] = mapped_column(Text)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 1))
    price_dkk: Mapped[int | None] = mapped_column(Integer)
    fee_target_group_dkk: Mapped[int | None] = mapped_column(Integer)
    min_education_level: Mapped[str | None] = mapped_column(ForeignKey("education_level.code"))
    language: Mapped[str | None] = mapped_column(String(10))
    delivery: Mapped[str | None] = mapped_column(String(20))
    schedule: Mapped[str | None] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(100))
    education_code: Mapped[str | None] = mapped_column(ForeignKey("education.code"))
    # Issue 12: a provider keeps its own listings. version guards against lost updates (the
    # ORM adds "AND version = :seen" to every UPDATE); provider_owned rows outlive a folder
    # load (docs/catalogue-format.md); archived courses leave matching but keep history.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    provider_owned: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    provider: Mapped[Provider] = relationship(back_populates="courses")
    sessions: Mapped[list[CourseSession]] = relationship(back_populates="course")

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class CourseSkill(Base):
    __tablename__ = "course_skill"

    course_code: Mapped[str] = mapped_column(ForeignKey("course.code"), primary_key=True)
    skill_code: Mapped[str] = mapped_column(ForeignKey("skill.code"), primary_key=True, index=True)


class CoursePrerequisite(Base):
    __tablename__ = "course_prerequisite"

    course_code: Mapped[str] = mapped_column(ForeignKey("course.code"), primary_key=True)
    skill_code: Mapped[str] = mapped_column(ForeignKey("skill.code"), primary_key=True)


class CourseOccupation(Base):
    __tablename__ = "course_occupation"

    course_code: Mapped[str] = mapped_column(ForeignKey("course.code"), primary_key=True)
    occupation_code: Mapped[str] = mapped_column(
        ForeignKey("occupation.code"), primary_key=True, index=True)


class CourseSession(Base):
    """A dated run of a course; without its own postcode it takes the provider's."""

    __tablename__ = "course_session"
    __table_args__ = (
        UniqueConstraint("course_code", "session_code"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint(_in("status", SESSION_STATUSES), name="status"),
        CheckConstraint(_in("time_of_day", SCHEDULES), name="time_of_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_code: Mapped[str] = mapped_column(ForeignKey("course.code"))
    session_code: Mapped[str] = mapped_column(String(80))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    postcode: Mapped[str | None] = mapped_column(ForeignKey("postcode.postcode"))
    seats: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")
    time_of_day: Mapped[str | None] = mapped_column(String(20))  # blank: as the course's schedule
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    provider_owned: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    course: Mapped[Course] = relationship(back_populates="sessions")

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class PositiveListEntry(Base):
    """A course on one of the four positive lists; rar_code NULL means the national list.

    STAR lists an official course (AMU målnummer, education), valid at every provider of
    it: official_code. A catalogue may instead name one of its own courses: course_code.
    """

    __tablename__ = "positive_list_entry"
    __table_args__ = (
        UniqueConstraint("list", "course_code", "official_code", "rar_code", "valid_from"),
        CheckConstraint(_in("list", POSITIVE_LISTS), name="list"),
        CheckConstraint("course_code IS NOT NULL OR official_code IS NOT NULL", name="course"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list: Mapped[str] = mapped_column(String(30))
    course_code: Mapped[str | None] = mapped_column(ForeignKey("course.code"), index=True)
    official_code: Mapped[str | None] = mapped_column(String(40), index=True)
    rar_code: Mapped[str | None] = mapped_column(ForeignKey("rar_area.code"))
    erhvervsgruppe: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    from_day_one: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(String(100))


class FundingRate(Base):
    """A rate or threshold of a funding scheme, valid for a period, with its source.

    valid_from defaults to 1 January of year; a blank valid_to means "until a newer row".
    """

    __tablename__ = "funding_rate"
    __table_args__ = (CheckConstraint(_in("scheme", FUNDING_SCHEMES), name="scheme"),)

    scheme: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    unit: Mapped[str] = mapped_column(String(30), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    source_url: Mapped[str | None] = mapped_column(String(500))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    checked: Mapped[date | None] = mapped_column(Date)


class FundingRule(Base):
    """One published version of a scheme's rules: when it holds, who decides, its source.

    A date after the newest version's valid_to has no published rules (design.md §6).
    """

    __tablename__ = "funding_rule"
    __table_args__ = (CheckConstraint(_in("scheme", FUNDING_SCHEMES), name="scheme"),)

    scheme: Mapped[str] = mapped_column(String(30), primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, primary_key=True)
    valid_to: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    law: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str] = mapped_column(String(500))
    checked: Mapped[date | None] = mapped_column(Date)


class CatalogState(Base):
    """One row: the catalogue's version, bumped by every write to catalogue tables."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    version: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC))
    has_demo: Mapped[bool] = mapped_column(default=False)


# --- staff accounts (issue 5) --------------------------------------------------------------

ROLES = ("admin", "caseworker", "provider")


class UserAccount(Base):
    """A staff member: administrator, caseworker or provider user (bound to one provider)."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    provider_code: Mapped[str | None] = mapped_column(ForeignKey("provider.code"))
    is_active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    # When a one-time password (must_change_password) stops working; None once chosen.
    password_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_secret: Mapped[str | None] = mapped_column(String(255))  # Fernet-encrypted, never plain
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # no code is accepted twice
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # from unknown browsers
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    device_epoch: Mapped[int] = mapped_column(Integer, default=0)  # bumped: browsers forgotten
    device_failures: Mapped[int] = mapped_column(Integer, default=0)  # from remembered browsers
    code_failures: Mapped[int] = mapped_column(Integer, default=0)  # wrong second-factor codes
    code_locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=lambda: datetime.now(UTC))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recovery_codes: Mapped[list[RecoveryCode]] = relationship(back_populates="user")


class RecoveryCode(Base):
    """A single-use second-factor code, stored hashed."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[UserAccount] = relationship(back_populates="recovery_codes")


class AuditEvent(Base):
    """Who did what to whom, when and from where; never a password, code or secret.

    Append-only: the database refuses UPDATE and DELETE (migration 0006) but for the purge.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True,
                                         default=lambda: datetime.now(UTC))
    action: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    email: Mapped[str | None] = mapped_column(String(254))  # a known account's, never as typed
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # What a listing change was made to, "provider/course" (issue 12), so the admin's filter
    # and a conflict page's "changed meanwhile" find their events without reading JSON.
    subject: Mapped[str | None] = mapped_column(String(200), index=True)


class AuditPurge(Base):
    """While a row exists, the database lets audit events older than cutoff be deleted.

    Migration 0006's trigger refuses every other UPDATE or DELETE of audit_event. Only the
    retention purge writes a row, and removes it in the same transaction
    (accounts.purge_audit_events), so no other transaction ever sees one.
    """

    __tablename__ = "audit_purge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cutoff: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ResultAppearance(Base):
    """How many citizen result pages showed a course or an occupation on a day.

    Anonymous by construction: a code, a day and a count, nothing about who asked or what
    they answered. Providers see their courses' counts ("Hvem matcher dette kursus?"); the
    municipal view can sum occupations. A reload counts again: it is a page shown.
    """

    __tablename__ = "result_appearance"

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # course | occupation
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


# --- labour-market data imports and the municipal view (issue 14) ---------------------------

IMPORT_KINDS = ("esco", "balance", "positive_lists", "rates")
IMPORT_STATUSES = ("running", "previewed", "applied", "refused", "failed")


class ImportRun(Base):
    """One import an administrator or a command ran: who, when, which files, what it did.

    A long run (ESCO) is applied in the background; done/total is its progress bar, and
    the full report (counts, problems) is kept with it as JSON once it has finished.
    """

    __tablename__ = "import_run"
    __table_args__ = (CheckConstraint(_in("kind", IMPORT_KINDS), name="kind"),
                      CheckConstraint(_in("status", IMPORT_STATUSES), name="status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True,
                                                 default=lambda: datetime.now(UTC))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str | None] = mapped_column(String(100))  # a command: "cli:<user>"
    files: Mapped[list[str]] = mapped_column(JSON, default=list)  # names only, no paths
    checksum: Mapped[str] = mapped_column(String(64))  # SHA-256 over the files, in order
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TitleMapping(Base):
    """A job title of the labour-market balance an administrator mapped to an occupation.

    Remembered for the next import. occupation_code NULL: confirmed as "no occupation of
    ours", so the title is skipped without asking again.
    """

    __tablename__ = "title_mapping"

    title_key: Mapped[str] = mapped_column(String(300), primary_key=True)  # normalised title
    title: Mapped[str] = mapped_column(String(300))  # as STAR wrote it, for the screen
    # An occupation a catalogue load removes takes its mappings with it: asked again next time.
    occupation_code: Mapped[str | None] = mapped_column(
        ForeignKey("occupation.code", ondelete="CASCADE"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                   default=lambda: datetime.now(UTC))


class EudChoice(Base):
    """The strategy's vocational-choice indicator: the share of 9th/10th-graders choosing EUD.

    Administrators edit it; every figure carries its source.
    """

    __tablename__ = "eud_choice"

    kommunekode: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    share_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    source: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=lambda: datetime.now(UTC))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


# --- caseworkers' clients, plans and the citizen's hand-off (issue 13) -----------------------

PLAN_STEP_STATUSES = ("planned", "applied", "enrolled", "completed", "dropped")


class Client(Base):
    """A caseworker's client, minimal by design: a label they choose, never a CPR number.

    profile holds the same answers as the citizen journey (matcher.web.journey.Answers).
    retain_until is when `clients purge` deletes the record; every write moves it on.
    """

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    pinned: Mapped[list[str]] = mapped_column(JSON, default=list)  # "course:X", "occupation:Y"
    excluded: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=lambda: datetime.now(UTC))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=lambda: datetime.now(UTC))
    retain_until: Mapped[date] = mapped_column(Date, index=True)

    shares: Mapped[list[ClientShare]] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True)
    plan: Mapped[ClientPlan | None] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True)
    steps: Mapped[list[PlanStep]] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanStep.position")


class ClientShare(Base):
    """Another caseworker may see and work on the client (shared by the owner or an admin)."""

    __tablename__ = "client_share"

    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"),
                                           primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True,
                                         index=True)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                default=lambda: datetime.now(UTC))

    client: Mapped[Client] = relationship(back_populates="shares")


class ClientPlan(Base):
    """The plan agreed with the client: the goal, the route, the next contact."""

    __tablename__ = "client_plan"

    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"),
                                           primary_key=True)
    target_code: Mapped[str | None] = mapped_column(String(80))  # an occupation code
    route_code: Mapped[str | None] = mapped_column(String(80))  # the route's course code
    next_contact: Mapped[date | None] = mapped_column(Date)
    next_contact_note: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=lambda: datetime.now(UTC))

    client: Mapped[Client] = relationship(back_populates="plan")


class PlanStep(Base):
    """One course of the plan. Codes are not foreign keys and the titles and dates are
    copied: the plan survives a catalogue change, and a step whose session was cancelled
    or removed is flagged, never silently dropped."""

    __tablename__ = "plan_step"
    __table_args__ = (CheckConstraint(_in("status", PLAN_STEP_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    course_code: Mapped[str] = mapped_column(String(80))
    course_title: Mapped[str] = mapped_column(String(300))
    provider_name: Mapped[str | None] = mapped_column(String(200))
    session_code: Mapped[str | None] = mapped_column(String(80))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    scheme: Mapped[str | None] = mapped_column(String(30))  # the funding scheme chosen
    deadline: Mapped[date | None] = mapped_column(Date)  # the scheme's, e.g. apply before
    deadline_note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(12), default="planned")
    status_date: Mapped[date | None] = mapped_column(Date)

    client: Mapped[Client] = relationship(back_populates="steps")


class HandoffCode(Base):
    """A citizen's answers, handed to their caseworker with a short code they give them.

    Only a hash of the code is stored. The answers are encrypted, valid until expires_at
    and usable once: the import clears them.
    """

    __tablename__ = "handoff_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    payload: Mapped[str | None] = mapped_column(Text)  # Fernet token of the answers' JSON
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=lambda: datetime.now(UTC))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="SET NULL"))
