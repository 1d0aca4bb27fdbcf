"""The ESCO classification (issue 14): occupations, skills and their relations, from the
official CSV download (docs/import-esco.md).

ESCO rows are reference data beside the curated catalogue, never over it. A catalogue row
with the same ESCO URI keeps its code, labels and relations: the importer writes none of
its columns (the folder owns them, so a folder load after an import stays a no-op). Every
other ESCO concept gets a row of its own, coded `esco_<uuid>` from its URI; an import in
language xx writes only the xx label columns of those rows, so an English file never fills
a Danish column. The files are read and checked before the database is touched, the rows
compared, and only what differs is written in bulk, under the catalogue's write lock.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from sqlalchemy import delete, insert, select, text, tuple_, update
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.importers.report import ImportReport, Progress
from matcher.data.status import ESCO_CODE_PREFIX  # the codes of the rows this importer owns

LANGUAGES = {"da": "Danish", "en": "English"}  # the catalogue's label columns
RELATION_TYPES = ("essential", "optional")
SKILL_KINDS = {"skill/competence": "skill", "knowledge": "knowledge"}
TRANSVERSAL = "transversal"  # ESCO's reuseLevel, the catalogue's kind: general skills
PROGRESS_EVERY = 5_000  # rows between progress calls
BATCH = 5_000  # rows per bulk statement
IN_BATCH = 500  # keys per IN (...) list
MAX_LABEL = 200  # title_da/label_da are VARCHAR(200)
MAX_URI = 300
MAX_PROBLEMS_PER_FILE = 100  # a broken file says enough after this many
MAX_ENTRY_BYTES = 512 * 1024 * 1024  # a zip entry larger than this is no ESCO file
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_LANGUAGE = re.compile(r"[a-z]{2}(?:-[a-z]{2,8})?")
_OCCUPATIONS = re.compile(r"occupations_(?P<lang>[A-Za-z-]+)\.csv", re.IGNORECASE)
_SKILLS = re.compile(r"skills_(?P<lang>[A-Za-z-]+)\.csv", re.IGNORECASE)
_RELATIONS = re.compile(r"occupationSkillRelations(?:_(?P<lang>[A-Za-z-]+))?\.csv",
                        re.IGNORECASE)
_UNDECODED = re.compile("[\udc80-\udcff]")
_VERSION = re.compile(r"v\d+\.\d+(?:\.\d+)?")

OCCUPATION_HEADERS = ("conceptUri", "preferredLabel", "altLabels", "iscoGroup")
SKILL_HEADERS = ("conceptUri", "preferredLabel", "altLabels", "skillType")
RELATION_HEADERS = ("occupationUri", "relationType", "skillUri")


def esco_code(uri: str) -> str:
    """A stable code for an ESCO concept: `esco_` and the UUID that ends its URI.

    A URI not ending in a UUID gets its last part made safe plus a hash of the whole URI,
    so two URIs never share a code; every code fits the 80 characters of the key columns.
    """
    last = uri.rstrip("/").rsplit("/", 1)[-1].lower()
    if _UUID.fullmatch(last):
        return ESCO_CODE_PREFIX + last
    safe = re.sub(r"[^a-z0-9]+", "_", last).strip("_")[:40]
    digest = hashlib.sha256(uri.encode("utf-8")).hexdigest()[:16]
    return f"{ESCO_CODE_PREFIX}{safe}_{digest}" if safe else f"{ESCO_CODE_PREFIX}{digest}"


# --- finding the files ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Source:
    """One CSV file: in a folder, given as a file, or inside a zip."""

    name: str  # as shown in problems: the file's own name
    where: str  # the zip or folder it came from, for "found twice"
    size: int
    path: Path
    member: str | None = None  # the zip entry

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.member is None:
            with self.path.open("rb") as handle:
                yield handle
            return
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
            yield handle


def _sources(paths: Sequence[Path], names: Sequence[str], report: ImportReport) -> list[_Source]:
    found: list[_Source] = []
    for path, shown in zip(paths, names, strict=True):
        if path.is_dir():
            found += [_Source(f.name, shown, f.stat().st_size, f)
                      for f in sorted(path.rglob("*")) if f.is_file()
                      and f.suffix.lower() == ".csv"]
        elif not path.is_file():
            report.problem(shown, None, None, "no such file or folder")
        elif zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    found += [_Source(Path(info.filename).name, shown, info.file_size, path,
                                      info.filename)
                              for info in archive.infolist()
                              if not info.is_dir() and info.filename.lower().endswith(".csv")]
            except (zipfile.BadZipFile, OSError) as error:
                report.problem(shown, None, None, f"the zip file cannot be read ({error})")
        elif path.suffix.lower() == ".csv" or shown.lower().endswith(".csv"):
            found.append(_Source(Path(shown).name, shown, path.stat().st_size, path))
        else:
            report.problem(shown, None, None,
                           "neither a zip file nor a CSV file: give ESCO's CSV download "
                           "(the zip files) or a folder of its CSV files")
    return found


@dataclass(frozen=True, slots=True)
class _Files:
    occupations: _Source
    skills: _Source
    relations: _Source


def _pick(sources: list[_Source], pattern: re.Pattern[str], wanted: str, language: str,
          report: ImportReport, *, any_language: bool = False) -> _Source | None:
    """The one file named like pattern in language (for relations: or without a language)."""
    named = [(s, (pattern.fullmatch(s.name) or None)) for s in sources]
    candidates = [(s, (match.group("lang") or "").lower()) for s, match in named if match]
    for rank in ((language,), ("",)) if any_language else ((language,),):
        chosen = [s for s, lang in candidates if lang in rank]
        if len(chosen) > 1:
            report.problem(chosen[1].name, None, None,
                           f"found twice ({', '.join(s.where for s in chosen)}): give each "
                           "file once")
            return None
        if chosen:
            return chosen[0]
    if any_language and len(candidates) == 1:
        return candidates[0][0]  # relations name URIs only: any language's file serves
    others = sorted({s.name for s, lang in candidates})
    hint = (f"; found {', '.join(others)}: import those with their own language"
            if others else "")
    report.problem(wanted, None, None,
                   f"not in the files given (ESCO's classification CSV download{hint})")
    return None


def _files(sources: list[_Source], language: str, report: ImportReport) -> _Files | None:
    occupations = _pick(sources, _OCCUPATIONS, f"occupations_{language}.csv", language, report)
    skills = _pick(sources, _SKILLS, f"skills_{language}.csv", language, report)
    relations = _pick(sources, _RELATIONS, "occupationSkillRelations.csv", language, report,
                      any_language=True)
    for source in (occupations, skills, relations):
        if source is not None and source.size > MAX_ENTRY_BYTES:
            report.problem(source.name, None, None,
                           f"{source.size:,} bytes: far larger than any ESCO file")
    if occupations is None or skills is None or relations is None or report.refused:
        return None
    return _Files(occupations, skills, relations)


# --- reading --------------------------------------------------------------------------------


class _Reading:
    """Progress over all three files: bytes read so far of the bytes there are."""

    def __init__(self, files: _Files, progress: Progress | None) -> None:
        self.total = files.occupations.size + files.skills.size + files.relations.size
        self.before = 0
        self.progress = progress

    def tick(self, position: int) -> None:
        if self.progress is not None:
            self.progress(min(self.before + position, self.total), self.total)


def _rows(source: _Source, headers: tuple[str, ...], optional: tuple[str, ...],
          report: ImportReport, reading: _Reading) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, cells) of each record; the header is line 1, a record starts on its line."""
    problems = len(report.problems)
    line = 1
    try:
        with source.open() as raw:
            # Undecodable bytes become lone surrogates, so the record that holds them is named.
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="",
                                                 errors="surrogateescape"))
            header = [cell.strip() for cell in next(reader, [])]
            if not any(header):
                report.problem(source.name, 1, None, "the file is empty")
                return
            missing = [h for h in headers if h not in header]
            if missing:
                report.problem(source.name, 1, None,
                               f"the header lacks {', '.join(missing)}; is this ESCO's "
                               f"{source.name}? (found: {', '.join(header[:8])})")
                return
            positions = {h: header.index(h) for h in (*headers, *optional) if h in header}
            line = reader.line_num + 1
            for count, record in enumerate(reader, 1):
                start, line = line, reader.line_num + 1
                if count % PROGRESS_EVERY == 0:
                    reading.tick(raw.tell())
                if not record:
                    continue
                if len(record) != len(header):
                    report.problem(source.name, start, None,
                                   f"{len(record)} fields where the header has {len(header)}")
                elif _UNDECODED.search("".join(record)):
                    report.problem(source.name, start, None,
                                   "not UTF-8 text (ESCO's CSV files are UTF-8)")
                elif len(report.problems) - problems < MAX_PROBLEMS_PER_FILE:
                    yield start, {h: record[p] for h, p in positions.items()}
                if len(report.problems) - problems >= MAX_PROBLEMS_PER_FILE:
                    report.problem(source.name, start, None,
                                   f"more than {MAX_PROBLEMS_PER_FILE} problems: reading stopped")
                    return
    except csv.Error as error:
        report.problem(source.name, line, None, f"not a readable CSV file ({error})")
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        report.problem(source.name, None, None, f"cannot be read ({error})")
    finally:
        reading.before += source.size
        reading.tick(0)


@dataclass(slots=True)
class _Concept:
    uri: str
    line: int
    label: str | None
    aliases: list[str]
    isco08: str | None = None  # occupations
    description: str | None = None  # occupations
    kind: str | None = None  # skills


def _labels(row: dict[str, str]) -> tuple[str | None, list[str]]:
    label = " ".join(row["preferredLabel"].split()) or None
    seen = {label.casefold()} if label else set()
    aliases = []
    for alias in row["altLabels"].splitlines():
        alias = " ".join(alias.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return label, aliases


def _concepts(source: _Source, headers: tuple[str, ...], optional: tuple[str, ...],
              language: str, report: ImportReport, reading: _Reading,
              extra: Callable[[_Concept, dict[str, str], int], None]) -> dict[str, _Concept]:
    """Occupations or skills by URI; extra fills what only one of the two files has."""
    found: dict[str, _Concept] = {}
    for line, row in _rows(source, headers, optional, report, reading):
        uri = row["conceptUri"].strip()
        if not uri:
            report.problem(source.name, line, "conceptUri", "blank: every concept needs its URI")
            continue
        if not uri.startswith(("http://", "https://")) or len(uri) > MAX_URI or " " in uri:
            report.problem(source.name, line, "conceptUri", f"{uri[:80]!r} is not an ESCO URI")
            continue
        if uri in found:
            report.problem(source.name, line, "conceptUri",
                           f"{uri} is also on line {found[uri].line}: each concept once")
            continue
        label, aliases = _labels(row)
        if label is None:
            report.warn(source.name, line, "preferredLabel",
                        f"blank: {uri} is imported without a label in {LANGUAGES[language]}")
        elif len(label) > MAX_LABEL:
            report.problem(source.name, line, "preferredLabel",
                           f"{len(label)} characters; at most {MAX_LABEL}")
            continue
        concept = _Concept(uri, line, label, aliases)
        extra(concept, row, line)
        found[uri] = concept
    return found


def _read_occupations(source: _Source, language: str, report: ImportReport,
                      reading: _Reading) -> dict[str, _Concept]:
    def extra(concept: _Concept, row: dict[str, str], line: int) -> None:
        isco = row["iscoGroup"].strip()
        if re.fullmatch(r"\d{4}", isco):
            concept.isco08 = isco
        else:
            report.warn(source.name, line, "iscoGroup",
                        f"{isco!r} is not a 4-digit ISCO-08 unit group: left blank")
        concept.description = (row.get("description") or "").strip() or None

    return _concepts(source, OCCUPATION_HEADERS, ("description",), language, report, reading,
                     extra)


def _read_skills(source: _Source, language: str, report: ImportReport,
                 reading: _Reading) -> dict[str, _Concept]:
    def extra(concept: _Concept, row: dict[str, str], line: int) -> None:
        skill_type = row["skillType"].strip()
        if (row.get("reuseLevel") or "").strip() == TRANSVERSAL:
            concept.kind = TRANSVERSAL
        elif skill_type in SKILL_KINDS:
            concept.kind = SKILL_KINDS[skill_type]
        else:
            report.warn(source.name, line, "skillType",
                        f"{skill_type!r} is neither skill/competence nor knowledge: the "
                        "skill's kind is left blank")

    return _concepts(source, SKILL_HEADERS, ("reuseLevel",), language, report, reading, extra)


def _read_relations(source: _Source, occupations: dict[str, _Concept],
                    skills: dict[str, _Concept], report: ImportReport,
                    reading: _Reading) -> dict[tuple[str, str], str]:
    """(occupation URI, skill URI) -> essential/optional; unknown concepts are skipped."""
    relations: dict[tuple[str, str], str] = {}
    unknown: dict[tuple[str, str], list[int]] = {}  # (column, uri) -> lines
    for line, row in _rows(source, RELATION_HEADERS, (), report, reading):
        occupation, skill = row["occupationUri"].strip(), row["skillUri"].strip()
        relation = row["relationType"].strip().lower()
        if relation not in RELATION_TYPES:
            report.problem(source.name, line, "relationType",
                           f"{row['relationType']!r} is neither essential nor optional")
            continue
        if not occupation or not skill:
            report.warn(source.name, line, "occupationUri" if not occupation else "skillUri",
                        "blank: the relation is skipped")
            continue
        missing = [(column, uri) for column, uri, known in (
            ("occupationUri", occupation, occupations), ("skillUri", skill, skills))
            if uri not in known]
        if missing:
            for key in missing:
                unknown.setdefault(key, []).append(line)
            continue
        key = (occupations[occupation].uri, skills[skill].uri)  # share the URI strings
        if key in relations:
            report.warn(source.name, line, "skillUri",
                        f"the relation {occupation} - {skill} is given twice; "
                        + ("essential is kept" if "essential" in (relation, relations[key])
                           else "kept once"))
            relation = "essential" if "essential" in (relation, relations[key]) else relation
        relations[key] = relation
    for (column, uri), lines in unknown.items():
        what = "occupation" if column == "occupationUri" else "skill"
        report.warn(source.name, lines[0], column,
                    f"{uri} is no {what} of the files: its {len(lines)} relation(s) are "
                    "skipped")
    return relations


# --- comparing with the database ------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)
    unchanged: int = 0


def _lock(session: Session) -> None:
    """One catalogue writer at a time, as a folder load (sync.LOAD_LOCK_KEY): taken only
    when there is something to write, so reading and comparing block nobody."""
    from matcher.data.catalog.sync import LOAD_LOCK_KEY

    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})
    elif (dialect == "sqlite"
          and not session.connection().connection.dbapi_connection.in_transaction):
        session.execute(text("BEGIN IMMEDIATE"))


def _owned(model: type[m.Occupation] | type[m.Skill]) -> Any:
    return model.code.startswith(ESCO_CODE_PREFIX, autoescape=True)


def _curated(session: Session, model: type[m.Occupation] | type[m.Skill], file: str,
             concepts: dict[str, _Concept], report: ImportReport) -> dict[str, str]:
    """ESCO URI -> the catalogue's own code for it (the first by code when several share)."""
    codes: dict[str, list[str]] = defaultdict(list)
    for code, uri in session.execute(select(model.code, model.esco_uri)
                                     .where(model.esco_uri.is_not(None), ~_owned(model))
                                     .order_by(model.code)):
        codes[uri].append(code)
    what = "occupation" if model is m.Occupation else "skill"
    for uri, shared in codes.items():
        if uri not in concepts:
            report.warn(file, None, "esco_uri", f"the catalogue's {what} {shared[0]} names "
                                                f"{uri}, which is not in the files")
        elif len(shared) > 1 and model is m.Skill:
            report.warn(file, concepts[uri].line, "conceptUri",
                        f"the catalogue's skills {', '.join(shared)} share {uri}; ESCO's "
                        f"relations to it go to {shared[0]}")
    return {uri: shared[0] for uri, shared in codes.items()}


def _plan_concepts(session: Session, model: type[m.Occupation] | type[m.Skill],
                   concepts: dict[str, _Concept], curated: dict[str, str],
                   values: Callable[[_Concept], dict[str, Any]],
                   new: Callable[[], dict[str, Any]]) -> tuple[_Plan, dict[str, str],
                                                               dict[str, tuple[str, str]]]:
    """The rows to add, change and remove; URI -> code; removed code -> (URI, label)."""
    shown = ("title_da", "title_en") if model is m.Occupation else ("label_da", "label_en")
    columns = dict.fromkeys([*(values(next(iter(concepts.values()))) if concepts else ()),
                             "esco_uri", *shown])
    stored = {row.code: row for row in session.execute(
        select(model.code, *(getattr(model, c) for c in columns)).where(_owned(model)))}
    by_uri = {row.esco_uri: code for code, row in stored.items() if row.esco_uri}
    plan = _Plan()
    codes: dict[str, str] = {}
    for uri, concept in concepts.items():
        if uri in curated:
            codes[uri] = curated[uri]
            continue
        code = by_uri.get(uri) or esco_code(uri)
        codes[uri] = code
        wanted = values(concept)
        row = stored.get(code)
        if row is None:
            plan.added.append({**new(), "code": code, **wanted})
        elif any(getattr(row, c) != v for c, v in wanted.items()):
            plan.changed.append({"code": code, **wanted})
        else:
            plan.unchanged += 1
    kept = set(codes.values())
    gone = {code: (row.esco_uri or "", getattr(row, shown[0]) or getattr(row, shown[1]) or "")
            for code, row in stored.items() if code not in kept}
    plan.removed = sorted(gone)
    return plan, codes, gone


def _refuse_removing_used(session: Session, model: type[m.Occupation] | type[m.Skill],
                          gone: dict[str, tuple[str, str]], concepts: dict[str, _Concept],
                          file: str, report: ImportReport) -> None:
    """A row the files no longer have (or the catalogue now covers) is removed only if
    nothing but ESCO's own relations names it: courses, shortages and mappings stay whole."""
    if not gone:
        return
    target = model.__table__
    users: dict[str, list[str]] = defaultdict(list)
    for table in m.Base.metadata.sorted_tables:
        if table is m.OccupationSkill.__table__:
            continue
        for key in table.foreign_keys:
            if key.column.table is not target:
                continue
            others = [c for c in table.primary_key.columns if c is not key.parent]
            codes = sorted(gone)
            for start in range(0, len(codes), IN_BATCH):
                for row in session.execute(select(key.parent, *others)
                                           .where(key.parent.in_(codes[start:start + IN_BATCH]))):
                    values = dict(zip((c.name for c in others), row[1:], strict=True))
                    users[row[0]].append(
                        f"course {values['course_code']}" if list(values) == ["course_code"]
                        else f"{table.name} ({', '.join(f'{k}={v}' for k, v in values.items())})")
    what = "occupation" if model is m.Occupation else "skill"
    for code in sorted(users):
        uri, label = gone[code]
        why = ("the catalogue now has its own row for it" if uri in concepts
               else "it is no longer in the files")
        named = sorted(users[code], key=lambda user: (not user.startswith("course "), user))
        report.problem(file, None, "conceptUri",
                       f"the ESCO {what} {code} ({label or uri}) would be removed, as {why}, "
                       f"but {', '.join(named[:10])}{' and more' if len(named) > 10 else ''} "
                       "use it; link those to another row first")


def _relations_plan(session: Session, relations: dict[tuple[str, str], str],
                    occupations: dict[str, str], skills: dict[str, str],
                    curated_occupations: dict[str, str]) -> tuple[_Plan, int]:
    """ESCO's relations of its own occupations; the catalogue's occupations keep theirs."""
    stored = {(o, s): r for o, s, r in session.execute(
        select(m.OccupationSkill.occupation_code, m.OccupationSkill.skill_code,
               m.OccupationSkill.relation).where(_owned_relation()))}
    plan = _Plan()
    skipped = 0
    wanted: set[tuple[str, str]] = set()
    for (occupation_uri, skill_uri), relation in relations.items():
        if occupation_uri in curated_occupations:
            skipped += 1
            continue
        key = (occupations[occupation_uri], skills[skill_uri])
        wanted.add(key)
        row = {"occupation_code": key[0], "skill_code": key[1], "relation": relation}
        if key not in stored:
            plan.added.append(row)
        elif stored[key] != relation:
            plan.changed.append(row)
        else:
            plan.unchanged += 1
    plan.removed = sorted(key for key in stored if key not in wanted)
    return plan, skipped


def _owned_relation() -> Any:
    return m.OccupationSkill.occupation_code.startswith(ESCO_CODE_PREFIX, autoescape=True)


# --- writing --------------------------------------------------------------------------------


class _Writing:
    def __init__(self, reading: _Reading, total: int) -> None:
        self.reading, self.total, self.done = reading, total, 0

    def step(self, rows: int) -> None:
        self.done += rows
        if self.reading.progress is not None:
            self.reading.progress(self.reading.total + self.done,
                                  self.reading.total + self.total)


def _write(session: Session, model: type[m.Base], plan: _Plan, writing: _Writing) -> None:
    table = model.__table__
    plan.added.sort(key=itemgetter(*(c.name for c in table.primary_key.columns)))
    for start in range(0, len(plan.added), BATCH):
        chunk = plan.added[start:start + BATCH]
        session.execute(insert(table), chunk)  # Core: no ORM bookkeeping per row
        writing.step(len(chunk))
    for start in range(0, len(plan.changed), BATCH):
        chunk = plan.changed[start:start + BATCH]
        session.execute(update(model), chunk)  # bulk UPDATE by primary key
        writing.step(len(chunk))


def _delete(session: Session, columns: Sequence[Any], keys: list[Any], writing: _Writing) -> None:
    model = columns[0].class_
    for start in range(0, len(keys), IN_BATCH):
        chunk = keys[start:start + IN_BATCH]
        where = (tuple_(*columns).in_(chunk) if len(columns) > 1 else columns[0].in_(chunk))
        session.execute(delete(model).where(where))
        writing.step(len(chunk))


def _count(report: ImportReport, table: str, plan: _Plan) -> None:
    count = report.table(table)
    count.added, count.changed = len(plan.added), len(plan.changed)
    count.removed, count.unchanged = len(plan.removed), plan.unchanged


@dataclass(slots=True)
class _Comparison:
    occupations: _Plan
    skills: _Plan
    relations: _Plan
    gone_occupations: dict[str, tuple[str, str]]
    gone_skills: dict[str, tuple[str, str]]

    @property
    def writes(self) -> int:
        return sum(len(p.added) + len(p.changed) + len(p.removed)
                   for p in (self.occupations, self.skills, self.relations))


def _compare(session: Session, files: _Files, occupations: dict[str, _Concept],
             skills: dict[str, _Concept], relations: dict[tuple[str, str], str],
             language: str, report: ImportReport) -> _Comparison:
    """What the files would add, change and remove; counted in report."""
    curated_occupations = _curated(session, m.Occupation, files.occupations.name, occupations,
                                   report)
    curated_skills = _curated(session, m.Skill, files.skills.name, skills, report)
    label, aliases = f"title_{language}", f"aliases_{language}"

    def occupation_values(c: _Concept) -> dict[str, Any]:
        values = {label: c.label or ("" if language == "da" else None), aliases: c.aliases,
                  "isco08": c.isco08, "esco_uri": c.uri}
        if language == "da":
            values["description_da"] = c.description
        return values

    def skill_values(c: _Concept) -> dict[str, Any]:
        return {f"label_{language}": c.label or ("" if language == "da" else None),
                f"aliases_{language}": c.aliases, "kind": c.kind, "esco_uri": c.uri}

    # A new row has no label in the other language yet: title_da '' says "no Danish label"
    # (the column is NOT NULL), never an English label standing in for a Danish one.
    occupation_plan, occupation_codes, gone_occupations = _plan_concepts(
        session, m.Occupation, occupations, curated_occupations, occupation_values,
        lambda: {"title_da": "", "title_en": None, "aliases_da": [], "aliases_en": [],
                 "regulated": False})
    skill_plan, skill_codes, gone_skills = _plan_concepts(
        session, m.Skill, skills, curated_skills, skill_values,
        lambda: {"label_da": "", "label_en": None, "aliases_da": [], "aliases_en": []})
    _refuse_removing_used(session, m.Occupation, gone_occupations, occupations,
                          files.occupations.name, report)
    _refuse_removing_used(session, m.Skill, gone_skills, skills, files.skills.name, report)
    relation_plan, skipped = _relations_plan(session, relations, occupation_codes, skill_codes,
                                             curated_occupations)
    _count(report, "occupation", occupation_plan)
    _count(report, "skill", skill_plan)
    _count(report, "occupation_skill", relation_plan)
    report.extra["catalogue_rows_kept"] = {
        "occupations": sum(uri in curated_occupations for uri in occupations),
        "skills": sum(uri in curated_skills for uri in skills),
        "relations_skipped": skipped}
    return _Comparison(occupation_plan, skill_plan, relation_plan, gone_occupations,
                       gone_skills)


def _catalogue_version(session: Session) -> int | None:
    return session.scalar(select(m.CatalogState.version))


# --- the import -----------------------------------------------------------------------------


def apply(session: Session, paths: Sequence[Path], report: ImportReport,
          progress: Progress | None, *, language: str = "da") -> None:
    """Read ESCO's CSV files in language, check them, and make the ESCO rows equal to them.

    Fills report; writes nothing when it finds a problem (run_import rolls back anyway).
    """
    language = (language or "").strip().lower()
    for name in ("occupation", "skill", "occupation_skill"):
        report.table(name)
    report.extra["language"] = language
    version = next((v.group() for name in report.files if (v := _VERSION.search(name))), None)
    if version:
        report.extra["esco_version"] = version
    if not _LANGUAGE.fullmatch(language) or language not in LANGUAGES:
        report.problem("language", None, None,
                       f"{language!r}: the catalogue keeps labels in "
                       f"{' and '.join(LANGUAGES)} only")
        return
    names = report.files if len(report.files) == len(paths) else [p.name for p in paths]
    files = _files(_sources(paths, names, report), language, report)
    if files is None:
        return
    reading = _Reading(files, progress)
    occupations = _read_occupations(files.occupations, language, report, reading)
    skills = _read_skills(files.skills, language, report, reading)
    if report.refused:  # the relations are checked against the concepts: read them first
        return
    relations = _read_relations(files.relations, occupations, skills, report, reading)
    if report.refused:
        return

    # Compared before the write lock is taken, so that an import (or a preview) that
    # changes nothing never holds it. Every catalogue writer bumps the version: if it moved
    # before the lock was had, the comparison is made again, locked.
    problems, warnings = len(report.problems), len(report.warnings)
    seen = _catalogue_version(session)
    plan = _compare(session, files, occupations, skills, relations, language, report)
    if report.refused or not plan.writes:
        return
    _lock(session)
    if _catalogue_version(session) != seen:
        del report.problems[problems:], report.warnings[warnings:]
        plan = _compare(session, files, occupations, skills, relations, language, report)
    else:  # a remembered balance title may name a row without a new version: look again
        _refuse_removing_used(session, m.Occupation, plan.gone_occupations, occupations,
                              files.occupations.name, report)
        _refuse_removing_used(session, m.Skill, plan.gone_skills, skills, files.skills.name,
                              report)
    if report.refused:
        return

    writing = _Writing(reading, plan.writes)
    relation_key = (m.OccupationSkill.occupation_code, m.OccupationSkill.skill_code)
    _delete(session, relation_key, plan.relations.removed, writing)
    _delete(session, (m.Occupation.code,), plan.occupations.removed, writing)
    _delete(session, (m.Skill.code,), plan.skills.removed, writing)
    _write(session, m.Skill, plan.skills, writing)
    _write(session, m.Occupation, plan.occupations, writing)
    _write(session, m.OccupationSkill, plan.relations, writing)
    session.flush()
