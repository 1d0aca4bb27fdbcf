"""A provider's CSV upload and export: file faults, each row through the providers' forms,
the signed content the confirm step reads, and cells made safe for spreadsheets.

The rows' facts (own course, known skill) are matcher.data.listing_upload's; the messages
for both are worded here, in the visitor's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from matcher.data import listings
from matcher.data.catalog import values as catalog_values
from matcher.data.listing_upload import RowProblem, UploadRow
from matcher.web.provider_forms import CourseForm, SessionForm

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
# The signed content travels in a form field; Flask refuses fields over 500 kB
# (MAX_FORM_MEMORY_SIZE), so a file that does not compress below this is refused early.
MAX_TOKEN = 450_000
TOKEN_MAX_AGE = 3600  # seconds a preview can be confirmed
# OWASP CSV injection: a spreadsheet runs a cell starting with these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class FileSpec:
    """One uploadable catalogue file: its columns in export order, which must be there,
    and its key (unique within the file)."""

    kind: str
    file_name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key: tuple[str, ...]

    @property
    def allowed(self) -> tuple[str, ...]:
        """Every file may say whose rows they are (checked, never used)."""
        return tuple(dict.fromkeys((*self.columns, "provider_code")))


SPECS = {spec.kind: spec for spec in (
    FileSpec("courses", "courses.csv",
             ("code", "kind", "title_da", "provider_code", "duration_days", "official_code",
              "title_en", "description_da", "hours", "price_dkk", "fee_target_group_dkk",
              "min_education_level", "language", "delivery", "schedule", "url"),
             ("code", "kind", "title_da", "duration_days"), ("code",)),
    FileSpec("sessions", "sessions.csv",
             ("course_code", "session_code", "start_date", "end_date", "postcode", "seats",
              "status", "time_of_day"),
             ("course_code", "session_code", "start_date", "end_date"),
             ("course_code", "session_code")),
    FileSpec("course_skills", "course_skills.csv", ("course_code", "skill_code"),
             ("course_code", "skill_code"), ("course_code", "skill_code")),
    FileSpec("course_occupations", "course_occupations.csv",
             ("course_code", "occupation_code"), ("course_code", "occupation_code"),
             ("course_code", "occupation_code")),
)}

_PROBLEMS: dict[str, Callable[[], str]] = {
    "unknown_course": lambda: _("Ukendt kursus."),
    "archived_course": lambda: _("Kurset er arkiveret. Genopret det, før du ændrer det "
                                 "med en fil."),
    "code_taken": lambda: _("Koden kan ikke bruges. Vælg en anden kode, fx med jeres "
                            "udbyderkode foran."),
    "unknown_skill": lambda: _("Ukendt kompetence."),
    "unknown_occupation": lambda: _("Ukendt job."),
    "unknown_postcode": lambda: _("Vi kender ikke postnummeret. Skriv et dansk postnummer, "
                                  "fx 7400."),
    "unknown_level": lambda: _("Vælg uddannelsesniveauet på listen."),
    "past_start": lambda: _("Et nyt hold kan ikke starte før i dag."),
}


@dataclass(frozen=True, slots=True)
class RowError:
    """A fault in the file: its line (None for the whole file), column and message."""

    line: int | None
    column: str | None
    message: str


def problem_errors(problems: Iterable[RowProblem]) -> list[RowError]:
    return [RowError(p.line, p.column, _PROBLEMS[p.problem]()) for p in problems]


def _file_error(message: str, line: int | None = None) -> tuple[list[UploadRow], list[RowError]]:
    return [], [RowError(line, None, message)]


def _unescape(cell: str) -> str:
    """Undo the export's quote before a formula-looking cell, so export → upload changes
    nothing; anything else starting with a quote stays as typed."""
    if cell[:1] == "'" and cell[1:2] and cell[1] in "".join(FORMULA_START):
        return cell[1:]
    return cell


def _records(text: str) -> tuple[list[tuple[int, list[str]]], RowError | None]:
    """Non-blank records with the line each starts on, stopping past the row limit."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    while True:
        try:
            cells = next(reader, None)
        except csv.Error:
            return records, RowError(reader.line_num, None, _(
                "Linjen kan ikke læses som CSV, fx et citationstegn, der ikke er lukket."))
        if cells is None:
            return records, None
        if not any(cell.strip() for cell in cells):
            continue
        records.append((reader.line_num - sum(cell.count("\n") for cell in cells), cells))
        if len(records) > MAX_ROWS + 1:  # the header is not a row
            return records, RowError(None, None, _(
                "Filen har mere end %(limit)s rækker. Del den i flere filer.", limit=MAX_ROWS))


def _header_errors(columns: list[str], spec: FileSpec) -> list[RowError]:
    if len(columns) == 1 and (";" in columns[0] or "\t" in columns[0]):
        return [RowError(1, None, _("Filen bruger ikke komma som skilletegn. Gem den som "
                                    "kommasepareret CSV (CSV UTF-8)."))]
    errors = []
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            errors.append(RowError(1, column, _("Kolonnen står to gange i overskriften.")))
        elif column not in spec.allowed:
            errors.append(RowError(1, column, _(
                "Kolonnen kendes ikke i %(file)s. Tilladte kolonner: %(columns)s.",
                file=spec.file_name, columns=", ".join(spec.allowed))))
        seen.add(column)
    for column in spec.required:
        if column not in seen:
            errors.append(RowError(1, column, _("Kolonnen mangler i overskriften.")))
    return errors


def read_upload(data: bytes, spec: FileSpec, *, provider_code: str, levels: Iterable[str],
                today: date) -> tuple[list[UploadRow], list[RowError]]:
    """The file's rows with their shape checked, or what is wrong with it (all of it:
    a provider fixes a file once, not once per fault)."""
    if len(data) > MAX_BYTES:  # before anything is decoded or parsed
        return _file_error(_("Filen er for stor. Den må højst fylde 1 MB."))
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return _file_error(_("Filen er tom."))
    if b"\x00" in data:
        return _file_error(_("Filen er ikke en CSV-fil. Gem den som CSV UTF-8."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _file_error(_("Filen er ikke gemt som UTF-8. Gem den som CSV UTF-8, og prøv "
                             "igen."), data[:error.start].count(b"\n") + 1)
    records, fault = _records(text)
    if fault is not None and fault.line is None:
        return [], [fault]
    if not records:
        return _file_error(fault.message if fault else _("Filen er tom."), 1)
    columns = [cell.strip() for cell in records[0][1]]
    errors = _header_errors(columns, spec)
    if errors:
        return [], errors
    if len(records) == 1 and fault is None:
        return _file_error(_("Filen har kun en overskrift og ingen rækker."), 2)
    rows: list[UploadRow] = []
    first: dict[tuple[str, ...], int] = {}
    levels = list(levels)
    for line, cells in records[1:]:
        if len(cells) != len(columns):
            errors.append(RowError(line, None, _(
                "Rækken har %(found)s felter, men overskriften har %(expected)s.",
                found=len(cells), expected=len(columns))))
            continue
        raw = {column: _unescape(cell).strip() for column, cell in zip(columns, cells,
                                                                        strict=True)}
        row, row_errors = _read_row(line, raw, spec, provider_code=provider_code,
                                    levels=levels, today=today)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.key in first:
            errors.append(RowError(line, spec.key[-1], _(
                "Rækken gentager %(key)s fra linje %(line)s.", key=", ".join(row.key),
                line=first[row.key])))
            continue
        first[row.key] = line
        rows.append(row)
    if fault is not None:
        errors.append(fault)
    return rows, errors


def _read_row(line: int, raw: dict[str, str], spec: FileSpec, *, provider_code: str,
              levels: list[str], today: date) -> tuple[UploadRow | None, list[RowError]]:
    errors = []
    given = raw.get("provider_code")
    if given and given != provider_code:  # never another provider's rows
        errors.append(RowError(line, "provider_code", _(
            "Udbyderkoden skal være tom eller jeres egen (%(code)s).", code=provider_code)))
    for column in spec.key:
        try:
            catalog_values.code(raw[column])
        except ValueError:
            message = _("Feltet skal udfyldes.") if not raw[column] else _(
                "Koden må kun have bogstaver, tal, _ . og - (højst 80 tegn).")
            errors.append(RowError(line, column, message))
    values: dict[str, Any] = {}
    if spec.kind == "courses":
        values, form_errors = _course_values(raw, levels)
        errors.extend(RowError(line, name, message) for name, message in form_errors)
    elif spec.kind == "sessions":
        values, form_errors = _session_values(raw, today)
        errors.extend(RowError(line, name, message) for name, message in form_errors)
    if errors:
        return None, errors
    return UploadRow(line, tuple(raw[column] for column in spec.key), values), []


def _form_errors(form: CourseForm | SessionForm) -> list[tuple[str, str]]:
    return [(name, str(messages[0])) for name, messages in form.errors.items() if messages]


def _course_values(raw: Mapping[str, str], levels: list[str]
                   ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The course columns through CourseForm: the same rules and messages as the form."""
    present = [name for name in listings.COURSE_FIELDS if name in raw]
    form = CourseForm(MultiDict({name: raw[name] for name in present}))
    form.min_education_level.choices = [SelectChoice("", ""),
                                        *(SelectChoice(code, code) for code in levels)]
    if not form.validate():
        return {}, _form_errors(form)
    return {name: form[name].data or None if name in _BLANK_IS_NONE else form[name].data
            for name in present}, []


_BLANK_IS_NONE = ("min_education_level", "language", "delivery", "schedule", "time_of_day")


def _session_values(raw: Mapping[str, str], today: date
                    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The session columns through SessionForm; blank status is open, as in the catalogue.
    Whether a session is new (then it may not start in the past) is a fact, checked later."""
    present = [name for name in listings.SESSION_FIELDS if name in raw]
    posted = {name: raw[name] for name in present}
    if not posted.get("status"):
        posted["status"] = "open"
    form = SessionForm(MultiDict(posted))
    valid = form.validate()
    if not form.check_dates(today=today, new=False) or not valid:
        return {}, _form_errors(form)
    return {name: form[name].data or None if name in _BLANK_IS_NONE else form[name].data
            for name in present}, []


# --- the confirm step: the file as previewed, signed --------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="provider-upload")


def sign(payload: dict[str, Any]) -> str:
    """The previewed file and plan, signed: the confirm step reads the file from here, so
    nothing is kept on the server and a changed file or plan cannot pass."""
    return str(_serializer().dumps(payload))


def unsign(token: str) -> dict[str, Any] | None:
    """The payload of a token this site signed in the last hour, or None."""
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadData:
        return None
    return payload if isinstance(payload, dict) else None


# --- export --------------------------------------------------------------------------------

def safe_cell(value: Any) -> str:
    """A cell as text that a spreadsheet shows and never runs (OWASP: CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = str(int(value)) if value == value.to_integral() else str(value.normalize())
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_csv(spec: FileSpec, rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows as the catalogue file, with a byte-order mark so Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(spec.columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in spec.columns])
    return "\ufeff" + out.getvalue()
