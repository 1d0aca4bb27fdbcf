"""The administrators' import pages (issue 14): upload the official data files, see what
they would change (a dry run), confirm the balance's uncertain job titles, apply all or
nothing, and the history of every run.

An upload is kept under the instance folder in a folder of its own with random names
(never the sender's file name as a path) until it is applied or UPLOAD_HOURS have passed.
The preview's "Importér" form carries a signed token naming the preview run, the upload and
the files' checksum; the files are hashed again before they are applied, so a file that
changed after its preview is never applied unseen. Runs go in a background thread with a
session of their own (ESCO takes about a minute); the run page shows its progress.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import markdown
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sansio.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from matcher.data import accounts
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.importers import run as runs
from matcher.data.importers.report import checksum
from matcher.data.matching import suggest_labels
from matcher.web.access import staff
from matcher.web.rate_limits import per_address

bp = Blueprint("admin_import", __name__, url_prefix="/admin/import")

MB = 1024 * 1024
UPLOAD_HOURS = 2  # an upload can be applied this long after it was sent
HISTORY_PAGE = 25
ESCO_LANGUAGES = ("da", "en")
# A zip is checked before an importer opens it: the official ESCO zips hold 12 and 4 files,
# about 15 and 26 MB unpacked; anything far beyond is not an ESCO download (or a zip bomb).
ZIP_MAX_MEMBERS = 200
ZIP_MAX_UNPACKED = 400 * MB
NONE = ":none"  # "not one of our occupations"; a colon is never in a code


@dataclass(frozen=True, slots=True)
class KindSpec:
    """One kind of import as the page offers it: what files it takes and how many."""

    kind: str
    suffix: str
    max_bytes: int
    max_files: int

    @property
    def max_mb(self) -> int:
        return self.max_bytes // MB


KINDS = {spec.kind: spec for spec in (
    KindSpec("esco", ".zip", 10 * MB, 3),
    KindSpec("balance", ".csv", 5 * MB, 1),
    KindSpec("positive_lists", ".csv", 5 * MB, 1),
    KindSpec("rates", ".csv", 5 * MB, 1),
)}
# The largest body the upload accepts (the app's MAX_CONTENT_LENGTH is for everything else).
BODY_LIMIT = max(spec.max_bytes * spec.max_files for spec in KINDS.values()) + MB


def kind_names() -> dict[str, str]:
    return {"esco": _("ESCO: job og kompetencer"),
            "balance": _("Arbejdsmarkedsbalancen"),
            "positive_lists": _("Positivlisterne"),
            "rates": _("Satser og regelperioder")}


def status_names() -> dict[str, str]:
    return {"running": _("Kører"), "previewed": _("Forhåndsvist"),
            "applied": _("Importeret"), "refused": _("Afvist"), "failed": _("Fejlet")}


@bp.record_once
def _raise_upload_limit_first(state: BlueprintSetupState) -> None:
    """The upload's larger body limit must be set before CSRFProtect reads the form, and
    only for an administrator: everyone else keeps the app's MAX_CONTENT_LENGTH."""
    state.app.before_request_funcs.setdefault(None, []).insert(0, _upload_body_limit)


def _upload_body_limit() -> None:
    if request.endpoint == "admin_import.upload" and current_user.is_authenticated \
            and current_user.role == "admin":
        request.max_content_length = BODY_LIMIT


# --- uploads kept on disk ----------------------------------------------------------------

class UploadRefused(Exception):
    """A file that cannot be an import of its kind; the message says why, for the page."""


@dataclass
class Upload:
    id: str
    folder: Path
    kind: str
    names: list[str]  # as the sender called the files, for the history only
    stored: list[str]  # the files' names in folder, in the order sent
    created: float

    @property
    def paths(self) -> list[Path]:
        return [self.folder / name for name in self.stored]

    def save_meta(self) -> None:
        data = {"kind": self.kind, "names": self.names, "stored": self.stored,
                "created": self.created}
        (self.folder / "meta.json").write_text(json.dumps(data), encoding="utf-8")

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _root() -> Path:
    """IMPORT_UPLOAD_FOLDER, else import-uploads in the instance folder (never served)."""
    folder = current_app.config.get("IMPORT_UPLOAD_FOLDER")
    return Path(folder) if folder else Path(current_app.instance_path) / "import-uploads"


def _max_age_s() -> float:
    return float(current_app.config.get("IMPORT_UPLOAD_HOURS", UPLOAD_HOURS)) * 3600


def _load_upload(upload_id: object) -> Upload | None:
    """The upload of that id if it is still there and not expired."""
    if not isinstance(upload_id, str) or len(upload_id) != 32 \
            or any(c not in "0123456789abcdef" for c in upload_id):
        return None
    folder = _root() / upload_id
    try:
        data = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        upload = Upload(upload_id, folder, str(data["kind"]), list(data["names"]),
                        list(data["stored"]), float(data["created"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if time.time() - upload.created > _max_age_s() or not all(p.is_file() for p in upload.paths):
        return None
    return upload


def remove_expired_uploads() -> None:
    """Uploads past their age are deleted (each visit to the import page looks)."""
    root = _root()
    if not root.is_dir():
        return
    limit = time.time() - _max_age_s()
    for folder in root.iterdir():
        meta = folder / "meta.json"
        try:
            created = json.loads(meta.read_text(encoding="utf-8"))["created"] \
                if meta.is_file() else folder.stat().st_mtime
            if float(created) < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(folder, ignore_errors=True)


def _shown_name(sent: FileStorage) -> str:
    """The sender's file name for the history: its last part, printable, 100 characters."""
    raw = (sent.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in raw if c.isprintable())[:100] or "?"


def _save(spec: KindSpec, sent: list[FileStorage]) -> Upload:
    """The files written under a new random folder, each checked on the way (size first,
    while reading); UploadRefused, with nothing left on disk, if one is unusable."""
    upload_id = secrets.token_hex(16)
    folder = _root() / upload_id
    folder.mkdir(parents=True, mode=0o700)
    upload = Upload(upload_id, folder, spec.kind, [_shown_name(f) for f in sent], [],
                    time.time())
    try:
        for number, storage in enumerate(sent):
            stored = f"{number}{spec.suffix}"
            _write(spec, storage, folder / stored, upload.names[number])
            upload.stored.append(stored)
        upload.save_meta()
    except BaseException:
        upload.remove()
        raise
    finally:
        for storage in sent:
            storage.close()
    return upload


def _write(spec: KindSpec, sent: FileStorage, path: Path, name: str) -> None:
    size, head, has_nul = 0, b"", False
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while chunk := sent.stream.read(1 << 16):
            size += len(chunk)
            if size > spec.max_bytes:
                raise UploadRefused(_("%(file)s: Filen er for stor. Den må højst fylde "
                                      "%(mb)s MB.", file=name, mb=spec.max_mb))
            if len(head) < 8:
                head += chunk[:8]
            has_nul = has_nul or b"\x00" in chunk
            out.write(chunk)
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        raise UploadRefused(_("%(file)s: Filen er tom.", file=name))
    if spec.suffix == ".zip":
        _check_zip(path, name)
    elif has_nul:
        raise UploadRefused(_("%(file)s: Filen er ikke en CSV-fil. Gem den som CSV "
                              "(kommasepareret eller semikolonsepareret), og prøv igen.",
                              file=name))


def _check_zip(path: Path, name: str) -> None:
    not_zip = _("%(file)s: Filen er ikke en zip-fil. Upload de zip-filer, du har hentet fra "
                "ESCO, som de er.", file=name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise UploadRefused(not_zip) from None
    if len(members) > ZIP_MAX_MEMBERS or sum(i.file_size for i in members) > ZIP_MAX_UNPACKED:
        raise UploadRefused(_("%(file)s: Zip-filen er for stor udpakket til at være en "
                              "ESCO-fil.", file=name))
    if not any(i.filename.lower().endswith(".csv") for i in members):
        raise UploadRefused(_("%(file)s: Zip-filen har ingen CSV-filer. Hent ESCO som CSV.",
                              file=name))


def _file_problems(spec: KindSpec, sent: list[FileStorage]) -> list[str]:
    """What is wrong with the chosen files before any is read: none, too many, wrong type."""
    if not sent:
        return [_("Vælg en fil at uploade.") if spec.max_files == 1 else
                _("Vælg de filer, du vil uploade.")]
    if len(sent) > spec.max_files:
        return [_("Vælg kun én fil.") if spec.max_files == 1 else
                _("Vælg højst %(count)s filer.", count=spec.max_files)]
    wrong = [_shown_name(f) for f in sent if not (f.filename or "").lower().endswith(spec.suffix)]
    if not wrong:
        return []
    if spec.suffix == ".zip":
        return [_("%(file)s: Filen skal være en zip-fil (.zip).", file=name) for name in wrong]
    return [_("%(file)s: Filen skal være en CSV-fil (.csv).", file=name) for name in wrong]


# --- running imports ------------------------------------------------------------------------

_threads: dict[int, threading.Thread] = {}


def _launch(run_id: int, kind: str, upload: Upload, *, dry_run: bool,
            options: dict[str, Any]) -> None:
    """Start the run in a thread with its own session; wait a moment (or, with
    IMPORT_IN_BACKGROUND off, until it ends) so that a quick run shows its result at once."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    thread = threading.Thread(target=_job, args=(app, run_id, kind, upload, dry_run, options),
                              name=f"import-{run_id}", daemon=True)
    _threads[run_id] = thread
    thread.start()
    if app.config.get("IMPORT_IN_BACKGROUND", True):
        thread.join(timeout=float(app.config.get("IMPORT_WAIT_SECONDS", 3)))
    else:
        thread.join()


def wait_for(run_id: int, timeout: float | None = None) -> None:
    """Until the run's thread has ended (tests, and a clean shutdown)."""
    thread = _threads.get(run_id)
    if thread is not None:
        thread.join(timeout)


def _job(app: Flask, run_id: int, kind: str, upload: Upload, dry_run: bool,
         options: dict[str, Any]) -> None:
    with app.app_context():
        session = app.extensions["db_sessionmaker"]()
        progress = runs.ProgressWriter(app.extensions["db_engine"], run_id)
        try:
            runs.run_recorded(session, run_id, kind, upload.paths, dry_run=dry_run,
                              names=upload.names, progress=progress, **options)
        except Exception:  # any fault ends as a failed run, never as a silent thread
            reference = uuid.uuid4().hex[:10]
            app.logger.exception("import run %s failed [%s]", run_id, reference)
            try:
                session.rollback()
                runs.fail_run(session, run_id, reference)
                session.commit()
            except Exception:
                app.logger.exception("import run %s: could not record the failure", run_id)
        finally:
            progress.close()
            session.close()
            _threads.pop(run_id, None)
            if not dry_run:
                upload.remove()


def _busy(exclude: int | None = None) -> m.ImportRun | None:
    """Another run still going (one at a time: two imports would fight over the rows)."""
    rows = get_session().scalars(select(m.ImportRun).where(m.ImportRun.status == "running"))
    return next((row for row in rows if row.id != exclude and not runs.is_stale(row)), None)


def _me() -> m.UserAccount:
    row = get_session().get(m.UserAccount, current_user.id)
    assert row is not None
    return row


# --- the signed "Importér" form ---------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="admin-import")


def _token(row: m.ImportRun) -> str:
    return str(_serializer().dumps({"run": row.id, "upload": row.report.get("upload"),
                                    "sum": row.checksum}))


def _untoken(token: str) -> dict[str, Any] | None:
    try:
        payload = _serializer().loads(token, max_age=int(_max_age_s()))
    except BadData:
        return None
    return payload if isinstance(payload, dict) else None


# --- what the pages show ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RunView:
    """A run as the pages show it; a "running" run whose process died shows as failed."""

    id: int
    kind: str
    status: str
    dry_run: bool
    started_at: datetime
    finished_at: datetime | None
    who: str
    files: list[str]
    checksum: str
    done: int
    total: int
    report: dict[str, Any]
    stale: bool

    @property
    def finished(self) -> bool:
        return self.status != "running"

    @property
    def percent(self) -> int | None:
        return min(100, self.done * 100 // self.total) if self.total else None

    @property
    def counts(self) -> tuple[int, int, int]:
        tables = self.report.get("tables") or []
        return (sum(int(t.get("added", 0)) for t in tables),
                sum(int(t.get("changed", 0)) for t in tables),
                sum(int(t.get("removed", 0)) for t in tables))

    @property
    def changes(self) -> int:
        return sum(self.counts)

    @property
    def uncertain(self) -> list[dict[str, Any]]:
        extra = self.report.get("extra") or {}
        found = extra.get("uncertain") if isinstance(extra, dict) else None
        return [u for u in found if isinstance(u, dict)] if isinstance(found, list) else []


def _view(row: m.ImportRun, email: str | None) -> RunView:
    stale = runs.is_stale(row)
    done, total = row.done, row.total
    live = runs.live_progress(row.id) if row.status == "running" else None
    if live is not None and live[0] >= done:
        done, total = live[0], live[1]
    report = row.report or {}
    return RunView(row.id, row.kind, "failed" if stale else row.status,
                   bool(report.get("dry_run")), runs._aware(row.started_at),
                   runs._aware(row.finished_at) if row.finished_at else None,
                   email or row.actor_name or "–", list(row.files or []), row.checksum,
                   done, total, report, stale)


def _run_or_404(run_id: int) -> RunView:
    found = get_session().execute(
        select(m.ImportRun, m.UserAccount.email)
        .outerjoin(m.UserAccount, m.UserAccount.id == m.ImportRun.actor_id)
        .where(m.ImportRun.id == run_id)).first()
    if found is None:
        abort(404)
    return _view(found[0], found[1])


def _history(page: int) -> tuple[list[RunView], int]:
    db = get_session()
    count = db.scalar(select(func.count()).select_from(m.ImportRun)) or 0
    rows = db.execute(select(m.ImportRun, m.UserAccount.email)
                      .outerjoin(m.UserAccount, m.UserAccount.id == m.ImportRun.actor_id)
                      .order_by(m.ImportRun.started_at.desc(), m.ImportRun.id.desc())
                      .offset((page - 1) * HISTORY_PAGE).limit(HISTORY_PAGE))
    return [_view(row, email) for row, email in rows], max(1, -(-count // HISTORY_PAGE))


def _progress_text(view: RunView) -> str:
    if view.percent is None:
        return str(_("Starter …"))
    # Only the share: what done and total count (rows, bytes read) is each importer's own.
    return str(_("%(percent)s %% færdig", percent=view.percent))


def _render_index(*, errors: dict[str, list[str]] | None = None, kind: str | None = None,
                  language: str = "da", status: int = 200,
                  busy: RunView | None = None) -> ResponseReturnValue:
    try:
        page = max(1, int(request.args.get("side", "1")))
    except ValueError:
        page = 1
    history, pages = _history(page)
    summary = [(f"file-{k}" if k in KINDS else "import-kinds", message)
               for k, messages in (errors or {}).items() for message in messages]
    return render_template("admin/import.html", kinds=KINDS, names=kind_names(),
                           statuses=status_names(), history=history, page=page, pages=pages,
                           errors=summary, field_errors=errors or {}, chosen_kind=kind,
                           language=language, languages=ESCO_LANGUAGES, busy=busy,
                           hours=int(_max_age_s() // 3600)), status


# --- views ------------------------------------------------------------------------------------

@bp.get("")
@staff("admin")
def index() -> ResponseReturnValue:
    remove_expired_uploads()
    return _render_index()


@bp.post("/upload")
@staff("admin")
@per_address("UPLOAD_RATE_LIMIT")
def upload() -> ResponseReturnValue:
    """Save the files and start their preview (a dry run); the run page shows it."""
    kind = request.form.get("kind", "")
    spec = KINDS.get(kind)
    sent = [f for f in request.files.getlist("file") if f.filename]
    if spec is None:
        for storage in sent:
            storage.close()
        return _render_index(errors={"general": [_("Vælg, hvad du vil importere.")]},
                             status=400)
    language = request.form.get("language", "da")
    problems = _file_problems(spec, sent)
    if kind == "esco" and language not in ESCO_LANGUAGES:
        problems.append(_("Vælg filernes sprog på listen."))
    if problems:
        for storage in sent:
            storage.close()
        return _render_index(errors={kind: problems}, kind=kind, language=language, status=400)
    remove_expired_uploads()
    busy = _busy()
    if busy is not None:
        for storage in sent:
            storage.close()
        return _render_index(kind=kind, busy=_run_or_404(busy.id), status=409)
    try:
        saved = _save(spec, sent)
    except UploadRefused as refused:
        return _render_index(errors={kind: [str(refused)]}, kind=kind, language=language,
                             status=400)
    options = {"language": language} if kind == "esco" else {}
    db = get_session()
    row = runs.start_run(db, kind, files=saved.names, checksum_=checksum(saved.paths),
                         actor=_me(), dry_run=True,
                         note={"upload": saved.id, "options": options})
    db.commit()
    # The balance lists its uncertain titles in a preview instead of refusing the file.
    _launch(row.id, kind, saved, dry_run=True,
            options=options | ({"preview": True} if kind == "balance" else {}))
    return redirect(url_for("admin_import.run", run_id=row.id), code=303)


@bp.get("/<int:run_id>")
@staff("admin")
def run(run_id: int) -> ResponseReturnValue:
    view = _run_or_404(run_id)
    return _render_run(view)


@bp.get("/<int:run_id>/status")
@staff("admin")
def run_status(run_id: int) -> ResponseReturnValue:
    """The run's progress for the page's script (the page itself works without it)."""
    view = _run_or_404(run_id)
    return jsonify({"status": view.status, "finished": view.finished, "done": view.done,
                    "total": view.total, "percent": view.percent,
                    "text": _progress_text(view)})


@dataclass
class Confirmation:
    """The balance's uncertain titles as the form has them: chosen codes, searches."""

    chosen: dict[int, str]
    found: dict[int, list[tuple[str, str]]]
    queries: dict[int, str]
    errors: list[tuple[str, str]]


def _label(da: str, en: str | None) -> str:
    return en if str(get_locale()) == "en" and en else da


def _confirmation(view: RunView, form: Any, action: str) -> Confirmation:
    """Read the choices and searches; run a search if that was the button pressed."""
    db = get_session()
    state = Confirmation({}, {}, {}, [])
    for number, _title in enumerate(view.uncertain):
        chosen = str(form.get(f"title-{number}", ""))[:80]
        if chosen:
            state.chosen[number] = chosen
        state.queries[number] = str(form.get(f"find-{number}", "")).strip()[:100]
        codes = list(dict.fromkeys(c for c in form.getlist(f"found-{number}") if c))[:20]
        rows = db.execute(select(m.Occupation.code, m.Occupation.title_da, m.Occupation.title_en)
                          .where(m.Occupation.code.in_(codes))).all() if codes else []
        labels = {code: _label(da, en) for code, da, en in rows}
        state.found[number] = [(code, labels[code]) for code in codes if code in labels]
    verb, _sep, which = action.partition(":")
    if verb == "search" and which.isdigit() and int(which) < len(view.uncertain):
        number = int(which)
        query = state.queries[number]
        if not query:
            state.errors.append((f"find-{number}", _("Skriv mindst ét ord at søge efter.")))
            return state
        have = {code for code, _l in state.found[number]}
        found = [(s.code, _label(s.label_da, s.label_en))
                 for s in suggest_labels(query, kind="occupation", limit=10) if s.code not in have]
        if not found:
            state.errors.append((f"find-{number}", _("Ingen job passer til »%(query)s«. "
                                                     "Prøv et andet ord.", query=query)))
        state.found[number] = found + state.found[number]
    return state


def _mappings(view: RunView, state: Confirmation) -> dict[str, str | None]:
    """title_key -> occupation code (None: not one of ours), or errors in state."""
    db = get_session()
    mappings: dict[str, str | None] = {}
    for number, title in enumerate(view.uncertain):
        chosen = state.chosen.get(number)
        if not chosen:
            state.errors.append((f"title-{number}", _("Vælg et job for »%(title)s«, eller "
                                                      "vælg, at det ikke er et af vores.",
                                                      title=title.get("title", ""))))
        elif chosen == NONE:
            mappings[str(title.get("title_key"))] = None
        elif db.get(m.Occupation, chosen) is None:
            state.errors.append((f"title-{number}", _("Vælg et job på listen for »%(title)s«.",
                                                      title=title.get("title", ""))))
        else:
            mappings[str(title.get("title_key"))] = chosen
    return mappings


def _render_run(view: RunView, *, state: Confirmation | None = None,
                status: int = 200) -> ResponseReturnValue:
    busy = _busy(exclude=view.id) if view.status == "previewed" else None
    return render_template(
        "admin/import_run.html", run=view, names=kind_names(), statuses=status_names(),
        token=_token_for(view), state=state or Confirmation({}, {}, {}, []),
        errors=(state.errors if state else []), none_value=NONE, progress_text=_progress_text(view),
        busy=busy, table_names=table_names()), status


def _token_for(view: RunView) -> str | None:
    if view.status != "previewed" or not view.report.get("upload"):
        return None
    row = get_session().get(m.ImportRun, view.id)
    return _token(row) if row is not None else None


def _refuse_apply(message: str) -> ResponseReturnValue:
    return _render_index(errors={"general": [message]}, status=400)


@bp.post("/importer")
@staff("admin")
@per_address("UPLOAD_RATE_LIMIT")
def apply() -> ResponseReturnValue:
    """Apply a previewed upload, all or nothing, with the balance's confirmations."""
    expired = _("Forhåndsvisningen er udløbet eller ændret. Upload filen igen.")
    payload = _untoken(request.form.get("token", ""))
    if payload is None or not isinstance(payload.get("run"), int):
        return _refuse_apply(expired)
    db = get_session()
    row = db.get(m.ImportRun, payload["run"])
    if row is None or row.status != "previewed" or row.checksum != payload.get("sum") \
            or (row.report or {}).get("upload") != payload.get("upload"):
        return _refuse_apply(expired)
    if isinstance((row.report or {}).get("applied_run"), int):  # a second click, an old tab
        flash(_("Filen er allerede importeret. Her er resultatet."), "info")
        return redirect(url_for("admin_import.run", run_id=row.report["applied_run"]), code=303)
    saved = _load_upload(payload.get("upload"))
    if saved is None:
        return _refuse_apply(_("Den uploadede fil findes ikke længere. En fil gemmes i "
                               "%(hours)s timer efter forhåndsvisningen. Upload den igen.",
                               hours=int(_max_age_s() // 3600)))
    if checksum(saved.paths) != row.checksum:
        return _refuse_apply(_("Filen er ændret siden forhåndsvisningen. Upload den igen."))
    view = _run_or_404(row.id)
    options = dict((row.report or {}).get("options") or {})
    if view.uncertain:
        state = _confirmation(view, request.form, request.form.get("action", ""))
        if request.form.get("action", "").startswith("search:") or state.errors:
            return _render_run(view, state=state, status=400 if state.errors else 200)
        mappings = _mappings(view, state)
        if state.errors:
            return _render_run(view, state=state, status=400)
        options |= {"mappings": mappings, "confirmed_by_id": current_user.id}
    elif row.kind == "balance":
        options |= {"mappings": {}, "confirmed_by_id": current_user.id}
    busy = _busy()
    if busy is not None:
        return _render_run(view, status=409)
    me = _me()
    started = runs.start_run(db, row.kind, files=saved.names, checksum_=row.checksum,
                             actor=me, dry_run=False,
                             note={"upload": saved.id, "preview_run": row.id,
                                   "options": {k: v for k, v in options.items()
                                               if k == "language"}})
    accounts.audit(db, "import_started", actor=me, ip=request.remote_addr, run=started.id,
                   kind=row.kind, checksum=row.checksum, files=saved.names)
    row.report = {**(row.report or {}), "applied_run": started.id}
    db.commit()
    _launch(started.id, row.kind, saved, dry_run=False, options=options)
    return redirect(url_for("admin_import.run", run_id=started.id), code=303)


def table_names() -> dict[str, str]:
    """The tables the importers count, as the pages name them (others by their own name)."""
    return {"occupation": _("Job"), "skill": _("Kompetencer"),
            "occupation_skill": _("Jobbenes kompetencer"),
            "shortage": _("Mangelvurderinger"), "title_mapping": _("Bekræftede jobtitler"),
            "positive_list_entry": _("Linjer på positivlisterne")}


DOCS = Path(__file__).resolve().parents[2] / "docs"


def _format_documents() -> list[tuple[str, Markup]]:
    """docs/import*.md, the importers' own description of their files, as HTML (English),
    each heading one level down (under the page's own h1)."""
    documents = []
    for path in sorted(DOCS.glob("import*.md")):
        html = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables"],
                                 output_format="html")
        html = re.sub(r"<(/?)h([1-5])\b", lambda h: f"<{h[1]}h{int(h[2]) + 1}", html)
        documents.append((path.name, Markup(html)))  # our own docs, not visitors' input
    return documents


@bp.get("/filformater")
@staff("admin")
def formats() -> ResponseReturnValue:
    """What each file must look like, from the importers' documentation."""
    return render_template("admin/import_formats.html", documents=_format_documents())
