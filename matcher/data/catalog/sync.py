"""Making the catalogue tables equal to a parsed catalogue folder, row by row.

Rows are compared on their natural keys, so loading the same folder twice writes nothing,
and a changed folder touches only the rows that differ. The caller owns the transaction.

Provider-owned rows (created or edited by a provider in /udbyder/, issue 12) are kept as
they are: a course with provider_owned set, with its skills, prerequisites, occupations and
sessions, and any session with provider_owned set. The folder's rows with the same keys
are ignored, and the report counts what was kept (docs/catalogue-format.md).

ESCO-imported skills, occupations and their relations (codes `esco_...`, issue 14) are not
the folder's to remove: a load neither compares nor counts them, except ESCO relations to a
skill the folder removes, which go with it (docs/import-esco.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, insert, select, text, tuple_, update
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.catalog.reader import Catalog, CatalogInvalid, Problem, read_catalog
from matcher.data.catalog.spec import Row
from matcher.data.status import ESCO_CODE_PREFIX

DEMO = "demo"
# One catalogue load at a time: the transaction-scoped PostgreSQL advisory lock with this key,
# or SQLite's write lock taken before the first read.
LOAD_LOCK_KEY = 0x4B4C_4341  # "KLCA"


@dataclass(frozen=True, slots=True)
class Table:
    """How one table is filled from the catalogue: its model, natural key and rows."""

    model: type[m.Base]
    key: tuple[str, ...]
    rows: Callable[[Catalog], list[Row]]


@dataclass(frozen=True, slots=True)
class TableChange:
    table: str
    rows: int
    added: int
    changed: int
    removed: int
    kept: int = 0  # provider-owned rows left as they are

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True, slots=True)
class LoadReport:
    tables: tuple[TableChange, ...]
    version: int
    kept_courses: tuple[str, ...] = ()  # provider-owned courses the folder did not touch

    @property
    def changed(self) -> bool:
        return any(table.touched for table in self.tables)


def _file(name: str, rename: dict[str, str] | None = None,
          drop: tuple[str, ...] = ()) -> Callable[[Catalog], list[Row]]:
    rename = rename or {}

    def rows(catalog: Catalog) -> list[Row]:
        return [{rename.get(k, k): value for k, value in row.items() if k not in drop}
                for row in catalog.rows[name]]
    return rows


def _municipalities(catalog: Catalog) -> list[Row]:
    names = {row["kommunekode"]: row["name"] for row in catalog.rows["municipalities.csv"]}
    return [{"kommunekode": code, "name": name} for code, name in sorted(names.items())]


def _positive_lists(catalog: Catalog) -> list[Row]:
    return [{**row, "from_day_one": bool(row["from_day_one"])}
            for row in catalog.rows["positive_lists.csv"]]


def _occupations(catalog: Catalog) -> list[Row]:
    return [{**row, "regulated": bool(row["regulated"])}
            for row in catalog.rows["occupations.csv"]]


def _sessions(catalog: Catalog) -> list[Row]:
    return [{**row, "status": row["status"] or "open"} for row in catalog.rows["sessions.csv"]]


# In dependency order: parents before children (deletes run in reverse).
TABLES: tuple[Table, ...] = (
    Table(m.EducationLevel, ("code",), _file("education_levels.csv")),
    Table(m.RarArea, ("code",), _file("rar_areas.csv")),
    Table(m.RarAdjacency, ("rar_code", "adjacent_rar_code"), _file("rar_adjacency.csv")),
    Table(m.Municipality, ("kommunekode",), _municipalities),
    Table(m.MunicipalityRar, ("kommunekode", "rar_code", "valid_from"),
          _file("municipalities.csv", drop=("name",))),
    Table(m.Postcode, ("postcode",), _file("postcodes.csv")),
    Table(m.Skill, ("code",), _file("skills.csv")),
    Table(m.Occupation, ("code",), _occupations),
    Table(m.OccupationSkill, ("occupation_code", "skill_code"), _file("occupation_skills.csv")),
    Table(m.Shortage, ("occupation_code", "rar_code", "period"), _file("shortages.csv")),
    Table(m.Education, ("code",), _file("educations.csv")),
    Table(m.EducationOccupation, ("education_code", "occupation_code"),
          _file("education_occupations.csv")),
    Table(m.Provider, ("code",), _file("providers.csv")),
    Table(m.Course, ("code",), _file("courses.csv")),
    Table(m.CourseSkill, ("course_code", "skill_code"), _file("course_skills.csv")),
    Table(m.CoursePrerequisite, ("course_code", "skill_code"), _file("course_prerequisites.csv")),
    Table(m.CourseOccupation, ("course_code", "occupation_code"),
          _file("course_occupations.csv")),
    Table(m.CourseSession, ("course_code", "session_code"), _sessions),
    Table(m.PositiveListEntry, ("list", "course_code", "official_code", "rar_code",
                                "valid_from"), _positive_lists),
    Table(m.FundingRate, ("scheme", "year", "unit"), _file("funding_rates.csv")),
    Table(m.FundingRule, ("scheme", "valid_from"), _file("funding_rules.csv")),
)

_DEMO_FILES = ("providers.csv", "courses.csv", "shortages.csv", "positive_lists.csv")


def load_catalog(session: Session, folder: str | Path) -> LoadReport:
    """Validate folder, then make the catalogue tables equal to it; raises CatalogInvalid."""
    return sync_catalog(session, read_catalog(folder))


def sync_catalog(session: Session, catalog: Catalog) -> LoadReport:
    # Two loads at once would each plan against the same rows and leave a mix of both
    # folders: the second waits here until the first has committed, then plans anew.
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})
    elif dialect == "sqlite" and not session.connection().connection.dbapi_connection.in_transaction:
        session.execute(text("BEGIN IMMEDIATE"))  # the write lock before the first read
    _refuse_reserved_codes(catalog)
    owned = _Owned.read(session)
    plans = [(table, _plan(session, table, table.rows(catalog), owned.protects(table.model)))
             for table in TABLES]
    _remove_esco_relations_of_removed_skills(session, plans)
    _refuse_removing_bound_providers(session, plans)
    _refuse_removing_what_owned_rows_need(session, plans, owned)
    for table, plan in reversed(plans):
        _delete(session, table, plan.removed)
    for table, plan in plans:
        _update(session, table, plan.changed)
        if plan.added:
            session.execute(insert(table.model), plan.added)
    changes = tuple(TableChange(table.model.__tablename__, plan.total, len(plan.added),
                                len(plan.changed), len(plan.removed), plan.kept)
                    for table, plan in plans)
    state = session.get(m.CatalogState, 1)
    if state is None:
        state = m.CatalogState(id=1, version=0, has_demo=False)
        session.add(state)
    if any(change.touched for change in changes):
        state.version += 1
        state.loaded_at = datetime.now(UTC)
        state.has_demo = any(row.get("source") == DEMO
                             for name in _DEMO_FILES for row in catalog.rows[name])
    session.flush()
    return LoadReport(tables=changes, version=state.version,
                      kept_courses=tuple(sorted(owned.courses)))


@dataclass(slots=True)
class _Plan:
    total: int
    added: list[Row]
    changed: list[Row]
    removed: list[tuple[Any, ...]]
    kept: int = 0


Protected = Callable[[tuple[Any, ...]], bool]


@dataclass(frozen=True, slots=True)
class _Owned:
    """The provider-owned courses and sessions, which a folder load leaves alone."""

    courses: frozenset[str]
    sessions: frozenset[tuple[str, str]]

    @classmethod
    def read(cls, session: Session) -> _Owned:
        courses = frozenset(session.scalars(select(m.Course.code)
                                            .where(m.Course.provider_owned.is_(True))))
        sessions = frozenset((c, s) for c, s in session.execute(
            select(m.CourseSession.course_code, m.CourseSession.session_code)
            .where(m.CourseSession.provider_owned.is_(True))))
        return cls(courses, sessions)

    def protects(self, model: type[m.Base]) -> Protected | None:
        """Whether a key of model's table is provider-owned; None for other tables."""
        if model is m.Course:
            return lambda key: key[0] in self.courses
        if model in (m.CourseSkill, m.CoursePrerequisite, m.CourseOccupation):
            return lambda key: key[0] in self.courses
        if model is m.CourseSession:
            return lambda key: key[0] in self.courses or key in self.sessions
        return None


def _plan(session: Session, table: Table, rows: list[Row],
          protected: Protected | None = None) -> _Plan:
    columns = list(rows[0]) if rows else list(table.key)
    model = table.model
    query = select(*(getattr(model, c) for c in table.key),
                   *(getattr(model, c) for c in columns if c not in table.key))
    imported = _esco_imported(model)
    if imported is not None:  # the ESCO import's rows, not the folder's (docs/import-esco.md)
        query = query.where(~imported)
    stored = {tuple(record[:len(table.key)]): tuple(record[len(table.key):])
              for record in session.execute(query)}
    values_of = [c for c in columns if c not in table.key]
    added, changed = [], []
    wanted = set()
    for row in rows:
        key = tuple(row[c] for c in table.key)
        if protected is not None and protected(key):
            continue  # the provider's version wins over the folder's
        wanted.add(key)
        if key not in stored:
            added.append(row)
        elif stored[key] != tuple(row[c] for c in values_of):
            changed.append(row)
    kept = {key for key in stored if protected is not None and protected(key)}
    removed = [key for key in stored if key not in wanted and key not in kept]
    return _Plan(total=len(rows), added=added, changed=changed, removed=removed,
                 kept=len(kept))


def _esco_imported(model: type[m.Base]) -> Any:
    """The rows of model's table the ESCO import owns, as a WHERE clause; None: it owns none."""
    if model is m.Skill or model is m.Occupation:
        return model.code.startswith(ESCO_CODE_PREFIX, autoescape=True)
    if model is m.OccupationSkill:
        return m.OccupationSkill.occupation_code.startswith(ESCO_CODE_PREFIX, autoescape=True)
    return None


def _refuse_reserved_codes(catalog: Catalog) -> None:
    """`esco_` codes are the ESCO import's; a folder row with one would be neither's."""
    problems = [Problem(name, f"the code {row['code']!r} begins with {ESCO_CODE_PREFIX!r}, "
                              "which is kept for rows of the ESCO import; choose another code",
                        line=line, field="code")
                for name in ("skills.csv", "occupations.csv")
                for line, row in zip(catalog.lines[name], catalog.rows[name], strict=True)
                if str(row["code"]).startswith(ESCO_CODE_PREFIX)]
    if problems:
        raise CatalogInvalid(problems)


def _remove_esco_relations_of_removed_skills(session: Session,
                                             plans: list[tuple[Table, _Plan]]) -> None:
    """An ESCO occupation's relation to a catalogue skill the folder removes goes with the
    skill (the next ESCO import links that relation to ESCO's own skill again)."""
    gone = sorted({key[0] for table, plan in plans if table.model is m.Skill
                   for key in plan.removed})
    relations = next(plan for table, plan in plans if table.model is m.OccupationSkill)
    for start in range(0, len(gone), 500):
        relations.removed += [tuple(key) for key in session.execute(
            select(m.OccupationSkill.occupation_code, m.OccupationSkill.skill_code)
            .where(_esco_imported(m.OccupationSkill),
                   m.OccupationSkill.skill_code.in_(gone[start:start + 500])))]


def _matches(model: type[m.Base], key: tuple[str, ...], values: Iterable[Any]) -> Any:
    return and_(*((getattr(model, c).is_(None) if value is None else getattr(model, c) == value)
                  for c, value in zip(key, values, strict=True)))


def _delete(session: Session, table: Table, keys: list[tuple[Any, ...]]) -> None:
    model = table.model
    if not keys:
        return
    if all(None not in key for key in keys):
        columns = tuple_(*(getattr(model, c) for c in table.key))
        for start in range(0, len(keys), 500):
            session.execute(delete(model).where(columns.in_(keys[start:start + 500])))
        return
    for key in keys:  # NULL in a key (national positive list): compare with IS NULL
        session.execute(delete(model).where(_matches(model, table.key, key)))


def _update(session: Session, table: Table, rows: list[Row]) -> None:
    model = table.model
    versioned = model in (m.Course, m.CourseSession)
    for row in rows:
        key = tuple(row[c] for c in table.key)
        values = {c: v for c, v in row.items() if c not in table.key}
        if versioned:  # a provider's form drawn before this load must meet a conflict
            values["version"] = model.version + 1
        session.execute(update(model).where(_matches(model, table.key, key)).values(values))


def _refuse_removing_bound_providers(session: Session, plans: list[tuple[Table, _Plan]]) -> None:
    """A provider with staff accounts cannot silently vanish with a catalogue load."""
    removed = {key[0] for table, plan in plans if table.model is m.Provider
               for key in plan.removed}
    if not removed:
        return
    bound = sorted(code for code in session.scalars(
        select(m.UserAccount.provider_code).distinct()
        .where(m.UserAccount.provider_code.in_(removed))) if code)
    if bound:
        raise CatalogInvalid([Problem(
            "providers.csv", f"provider {code!r} is missing from the folder but staff accounts "
                             "are bound to it; move those accounts to another provider first")
            for code in bound])


def _refuse_removing_what_owned_rows_need(session: Session, plans: list[tuple[Table, _Plan]],
                                          owned: _Owned) -> None:
    """A folder that drops a skill, job, provider, postcode or level a provider-owned row
    still names is refused, naming both, rather than failing on a foreign key."""
    if not owned.courses and not owned.sessions:
        return
    removed = {table.model: {key[0] for key in plan.removed} for table, plan in plans}
    courses = list(owned.courses)
    needs: list[tuple[str, type[m.Base], Any]] = [
        ("skills.csv", m.Skill, select(m.CourseSkill.skill_code, m.CourseSkill.course_code)
         .where(m.CourseSkill.course_code.in_(courses))),
        ("skills.csv", m.Skill, select(m.CoursePrerequisite.skill_code,
                                       m.CoursePrerequisite.course_code)
         .where(m.CoursePrerequisite.course_code.in_(courses))),
        ("occupations.csv", m.Occupation, select(m.CourseOccupation.occupation_code,
                                                 m.CourseOccupation.course_code)
         .where(m.CourseOccupation.course_code.in_(courses))),
        ("providers.csv", m.Provider, select(m.Course.provider_code, m.Course.code)
         .where(m.Course.code.in_(courses))),
        ("education_levels.csv", m.EducationLevel, select(m.Course.min_education_level,
                                                          m.Course.code)
         .where(m.Course.code.in_(courses))),
        ("postcodes.csv", m.Postcode, select(m.CourseSession.postcode,
                                             m.CourseSession.course_code)
         .where(m.CourseSession.provider_owned.is_(True)
                | m.CourseSession.course_code.in_(courses))),
    ]
    problems = []
    for file, model, query in needs:
        gone = removed.get(model, set())
        if not gone:
            continue
        for value, course in session.execute(query):
            if value in gone:
                problems.append(Problem(file, f"{value!r} is missing from the folder, but the "
                                              f"provider-owned course {course!r} uses it; keep "
                                              "it in the folder or change the course first"))
    if problems:
        raise CatalogInvalid(sorted(set(problems), key=str))
