"""The administrators' import pages: upload, preview, the balance's confirmation screen,
apply all or nothing, history, background progress, and malformed uploads that change
nothing (issue 14)."""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.importers import run as runs
from matcher.data.importers.report import ImportReport
from matcher.web import admin_import
from tests.web.staff_helpers import StaffUser, login, make_user

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "import_samples"
BALANCE = ("Stillingsbetegnelse,RAR-område,Periode,Kategori\n"
           "Lagermedarbejder,RAR Vestjylland,2026H2,Mangel\n"
           "Lagerarbejder ved havn,RAR Vestjylland,2026H2,Gode jobmuligheder\n"
           "Svejser og klejnsmed,RAR Vestjylland,2026H2,Mangel\n"
           "Chauffør ved lager,RAR Vestjylland,2026H2,Mangel\n")


@pytest.fixture
def site(app_loaded: Flask, tmp_path: Path) -> Flask:
    app_loaded.config.update(IMPORT_IN_BACKGROUND=False,
                             IMPORT_UPLOAD_FOLDER=str(tmp_path / "uploads"))
    return app_loaded


@pytest.fixture
def admin(site: Flask) -> StaffUser:
    return make_user(site, "chef@herning.dk", "admin")


@pytest.fixture
def client(site: Flask, admin: StaffUser) -> FlaskClient:
    client = site.test_client()
    login(client, admin)
    return client


def upload(client: FlaskClient, kind: str, files: Sequence[tuple[str, bytes]],
           **fields: str) -> TestResponse:
    data: MultiDict[str, Any] = MultiDict([("kind", kind), *fields.items()])
    for name, body in files:
        data.add("file", FileStorage(io.BytesIO(body), name))
    boundary, encoded = encode_multipart(data)
    return client.post("/admin/import/upload", data=encoded,
                       content_type=f"multipart/form-data; boundary={boundary}")


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")


def main(response: TestResponse) -> str:
    page = text(response)
    return page[page.find("<main"):page.find("</main>")]


def previewed(client: FlaskClient, kind: str, files: Sequence[tuple[str, bytes]],
              **fields: str) -> tuple[int, str]:
    """Upload, follow to the run page: its id and page."""
    response = upload(client, kind, files, **fields)
    assert response.status_code == 303, main(response)[:3000]
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return run_id, main(client.get(response.headers["Location"]))


def token_of(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, page[:4000]
    return found.group(1)


def apply(client: FlaskClient, token: str, **choices: str) -> TestResponse:
    return client.post("/admin/import/importer",
                       data={"token": token, "action": "apply", **choices})


def runs_in_db(app: Flask) -> list[tuple[str, str, bool]]:
    with app.app_context():
        return [(r.kind, r.status, bool((r.report or {}).get("dry_run"))) for r in
                get_session().scalars(select(m.ImportRun).order_by(m.ImportRun.id))]


def count(app: Flask, model: type[m.Base]) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model)) or 0


def uploads_left(app: Flask) -> list[Path]:
    root = Path(app.config["IMPORT_UPLOAD_FOLDER"])
    return sorted(root.iterdir()) if root.is_dir() else []


Fake = Callable[[Any, Sequence[Path], ImportReport, Any], None]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Callable[[Fake], list[dict[str, Any]]]:
    """Put a stand-in importer behind every kind; returns the calls it gets."""
    def install(work: Fake) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = []

        def importer(session: Any, paths: Sequence[Path], report: ImportReport,
                     progress: Any, **options: Any) -> None:
            calls.append({"paths": list(paths), "files": list(report.files),
                          "options": options, "bytes": [p.read_bytes() for p in paths]})
            work(session, paths, report, progress)

        monkeypatch.setattr(runs, "importer", lambda kind: importer)
        return calls
    return install


def adds_a_skill(session: Any, paths: Sequence[Path], report: ImportReport,
                 progress: Any) -> None:
    """A stand-in that really writes: one skill, unless it is there."""
    count_ = report.table("skill")
    if session.get(m.Skill, "importeret") is None:
        session.add(m.Skill(code="importeret", label_da="Importeret", kind="skill"))
        count_.added += 1
    else:
        count_.unchanged += 1
    session.flush()


# --- the page, the link, who may see it -------------------------------------------------------

def test_the_page_offers_the_four_kinds_and_is_linked_from_the_admin_area(
        client: FlaskClient) -> None:
    assert 'href="/admin/import"' in text(client.get("/admin/"))
    page = main(client.get("/admin/import"))
    for heading in ("ESCO: job og kompetencer", "Arbejdsmarkedsbalancen", "Positivlisterne",
                    "Satser og regelperioder"):
        assert heading in page
    assert page.count('enctype="multipart/form-data"') == 4
    assert 'name="file" type="file" accept=".zip" multiple' in page
    assert '<select class="form-select" id="language-esco" name="language">' in page
    assert 'href="/admin/import/filformater"' in page
    assert "Der er ikke indlæst noget endnu." in page
    formats = client.get("/admin/import/filformater")
    assert formats.status_code == 200 and "Sådan skal filerne se ud" in text(formats)
    documents = sorted(p.name for p in admin_import.DOCS.glob("import*.md"))
    for name in documents:  # the importers' own descriptions, under the page's one h1
        assert f'<section class="import-format" lang="en" aria-label="{name}">' in text(formats)
    assert text(formats).count("<h1") == 1


@pytest.mark.parametrize("role", ["provider", "caseworker"])
def test_other_staff_are_refused_everywhere(site: Flask, client: FlaskClient, role: str) -> None:
    run_id, _page = previewed(client, "balance", [("b.csv", BALANCE.encode())])
    other = site.test_client()
    if role == "provider":
        from tests.web.staff_helpers import make_provider

        login(other, make_user(site, "u@example.dk", role, provider=make_provider(site, "p_x")))
    else:
        login(other, make_user(site, "s@herning.dk", role))
    for method, path in (("GET", "/admin/import"), ("GET", f"/admin/import/{run_id}"),
                         ("GET", f"/admin/import/{run_id}/status"),
                         ("GET", "/admin/import/filformater"),
                         ("POST", "/admin/import/upload"), ("POST", "/admin/import/importer")):
        assert other.open(path, method=method).status_code == 403, path
    anonymous = site.test_client().get(f"/admin/import/{run_id}")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/log-ind")


# --- the balance: preview, confirmation screen, apply, remembered ------------------------------

def uncertain_titles(page: str) -> list[tuple[str, list[str]]]:
    """The confirmation screen's titles in order, each with its candidates' codes."""
    found = []
    for number, title in enumerate(re.findall(r'<legend class="form-label">»(.*?)«', page)):
        found.append((title, re.findall(rf'name="title-{number}" value="([^":]+)"', page)))
    return found


def test_balance_preview_confirm_apply_then_remembered(site: Flask, client: FlaskClient) -> None:
    before = count(site, m.Shortage)
    _run_id, page = previewed(client, "balance", [("balance.csv", BALANCE.encode())])
    assert "<h1>Hvad filen ændrer</h1>" in page and "Bekræft jobtitler" in page
    titles = uncertain_titles(page)
    # Which titles the fuzzy matching is unsure of is the importer's business; the file
    # has three that are near one of the mini catalogue's occupations without being it.
    assert len(titles) >= 2 and all(codes for _title, codes in titles), titles
    assert " checked" not in page  # nothing is chosen for the administrator
    assert "bedste forslag" in page
    assert count(site, m.Shortage) == before and count(site, m.TitleMapping) == 0
    token = token_of(page)

    # Nothing chosen: refused with a message per title, nothing written.
    response = apply(client, token)
    assert response.status_code == 400
    refused = main(response)
    # In the summary and at each title.
    assert refused.count("Vælg et job for »") == 2 * len(titles)
    assert 'href="#title-0"' in refused
    assert runs_in_db(site) == [("balance", "previewed", True)]

    # "Another occupation": search, and the result is a choice of its own.
    first_code = titles[0][1][0]
    response = client.post("/admin/import/importer", data={
        "token": token, "action": "search:1", "title-0": first_code, "find-1": "lastbil"})
    assert response.status_code == 200
    searched = main(response)
    assert f'value="{first_code}" checked' in searched  # the other choice is kept
    assert re.search(r'name="title-1" value="lastbilchauffoer">\s*<label[^>]*>Lastbilchauffør '
                     r'<span class="weight-normal">\(lastbilchauffoer, fundet ved søgning\)',
                     searched), searched
    nothing = client.post("/admin/import/importer", data={
        "token": token, "action": "search:0", "find-0": "xqzvbn"})
    assert nothing.status_code == 400 and "Ingen job passer til »xqzvbn«" in main(nothing)
    unknown = apply(client, token, **{"title-0": "astronaut", "title-1": ":none"})
    assert unknown.status_code == 400 and "Vælg et job på listen for »" in main(unknown)

    choices = {f"title-{number}": ":none" for number in range(len(titles))}
    choices |= {"title-0": first_code, "title-1": "lastbilchauffoer"}
    response = apply(client, token, **choices)
    assert response.status_code == 303
    applied_id = int(response.headers["Location"].rsplit("/", 1)[1])
    result = main(client.get(response.headers["Location"]))
    assert "<h1>Importen er gennemført</h1>" in result
    assert "Dataene er gemt." in result
    with site.app_context():
        db = get_session()
        mappings = {r.title: (r.occupation_code, r.confirmed_by_id)
                    for r in db.scalars(select(m.TitleMapping))}
        me = db.scalar(select(m.UserAccount.id).where(m.UserAccount.email == "chef@herning.dk"))
        expected = {title: (None, me) for title, _codes in titles}
        expected |= {titles[0][0]: (first_code, me), titles[1][0]: ("lastbilchauffoer", me)}
        assert mappings == expected
        assert db.get(m.ImportRun, applied_id).actor_id == me  # type: ignore[union-attr]
    assert uploads_left(site) == []  # an applied upload is deleted

    # The same file again: the answers are remembered, and it changes nothing.
    second_id, again = previewed(client, "balance", [("balance.csv", BALANCE.encode())])
    assert "Bekræft jobtitler" not in again
    assert "Filen ændrer ingenting" in again and 'name="token"' not in again
    with site.app_context():
        preview = get_session().get(m.ImportRun, second_id)
        assert preview is not None
        token = admin_import._token(preview)
    response = apply(client, token)  # applied anyway (an old tab): says there was nothing
    assert response.status_code == 303
    assert "Ingen ændringer: databasen har allerede disse data." in main(
        client.get(response.headers["Location"]))
    assert [status for _k, status, _d in runs_in_db(site)] == [
        "previewed", "applied", "previewed", "applied"]


def test_the_balance_sample_file_runs_through(site: Flask, client: FlaskClient) -> None:
    body = (SAMPLES / "balance.csv").read_bytes()
    _run_id, page = previewed(client, "balance", [("balance.csv", body)])
    assert "<h1>Hvad filen ændrer</h1>" in page or "<h1>Filen kan ikke indlæses</h1>" in page
    if "Bekræft jobtitler" in page:
        titles = len(re.findall(r'<fieldset id="title-\d+"', page))
        response = apply(client, token_of(page), **{f"title-{i}": ":none"
                                                    for i in range(titles)})
        assert response.status_code == 303
        assert runs_in_db(site)[-1][1] in ("applied", "refused")


def test_a_second_apply_of_the_same_preview_shows_the_first(site: Flask,
                                                            client: FlaskClient) -> None:
    _run_id, page = previewed(client, "balance", [("balance.csv", BALANCE.encode())])
    token = token_of(page)
    choices = {f"title-{number}": ":none" for number in range(len(uncertain_titles(page)))}
    first = apply(client, token, **choices)
    assert first.status_code == 303
    second = apply(client, token, **choices)
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert len(runs_in_db(site)) == 2  # one preview, one apply


# --- the other kinds ------------------------------------------------------------------------------

def test_positive_lists_sample_preview_and_apply(site: Flask, client: FlaskClient) -> None:
    body = (SAMPLES / "positive_lists.csv").read_bytes()
    _run_id, page = previewed(client, "positive_lists", [("positivliste.csv", body)])
    if "<h1>Filen kan ikke indlæses</h1>" in page:  # the sample does not fit the mini catalogue
        assert "Fejl i filen" in page
        return
    assert "Linjer på positivlisterne" in page
    response = apply(client, token_of(page))
    assert response.status_code == 303
    assert "<h1>Importen er gennemført</h1>" in main(client.get(response.headers["Location"]))


def test_rates_sample_preview(site: Flask, client: FlaskClient) -> None:
    body = (SAMPLES / "rates.csv").read_bytes()
    _run_id, page = previewed(client, "rates", [("satser.csv", body)])
    assert re.search(r"<h1>(Hvad filen ændrer|Filen kan ikke indlæses)</h1>", page)
    assert runs_in_db(site)[-1][2] is True  # a preview


def test_esco_takes_several_zips_and_the_language(site: Flask, client: FlaskClient,
                                                  fake: Callable[[Fake], list[dict[str, Any]]]
                                                  ) -> None:
    calls = fake(adds_a_skill)
    files = [("esco-classification-da-csv.zip", zipped({"occupations_da.csv": "a\n"})),
             ("esco-relations-csv.zip", zipped({"occupationSkillRelations.csv": "b\n"}))]
    _run_id, page = previewed(client, "esco", files, language="en")
    assert "Kompetencer" in page and 'name="token"' in page
    assert calls[0]["options"] == {"language": "en"}
    assert calls[0]["files"] == [name for name, _body in files]
    assert calls[0]["bytes"] == [body for _name, body in files]
    # Stored under random folder names and numbered files, never the sender's names.
    assert [p.name for p in calls[0]["paths"]] == ["0.zip", "1.zip"]
    with site.app_context():  # the preview rolled back
        assert get_session().get(m.Skill, "importeret") is None
    response = apply(client, token_of(page))
    assert response.status_code == 303
    assert calls[1]["options"] == {"language": "en"}  # the preview's language is applied
    with site.app_context():
        assert get_session().get(m.Skill, "importeret") is not None


def test_the_real_esco_importer_refuses_a_zip_without_its_files(site: Flask,
                                                                client: FlaskClient) -> None:
    _run_id, page = previewed(client, "esco", [("esco.zip", zipped({"other.csv": "x,y\n1,2\n"}))])
    assert "<h1>Filen kan ikke indlæses</h1>" in page and "Fejl i filen" in page
    assert 'name="token"' not in page
    assert runs_in_db(site) == [("esco", "refused", True)]


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


# --- malformed uploads -----------------------------------------------------------------------------

MALFORMED = [
    # (id, kind, files, extra fields, expected message)
    ("no file", "balance", [], {}, "Vælg en fil at uploade."),
    ("no files for ESCO", "esco", [], {}, "Vælg de filer, du vil uploade."),
    ("an empty file", "balance", [("b.csv", b"")], {}, "b.csv: Filen er tom."),
    ("only a byte-order mark", "rates", [("r.csv", b"\xef\xbb\xbf\r\n")], {},
     "r.csv: Filen er tom."),
    ("too large", "positive_lists", [("p.csv", b"a,b\n" + b"x" * (5 * 1024 * 1024))], {},
     "p.csv: Filen er for stor. Den må højst fylde 5 MB."),
    ("a spreadsheet", "balance", [("balance.xlsx", b"PK\x03\x04...")], {},
     "balance.xlsx: Filen skal være en CSV-fil (.csv)."),
    ("a binary file named .csv", "balance", [("b.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")], {},
     "b.csv: Filen er ikke en CSV-fil."),
    ("a CSV for ESCO", "esco", [("occupations_da.csv", b"a,b\n")], {},
     "occupations_da.csv: Filen skal være en zip-fil (.zip)."),
    ("a fake zip", "esco", [("esco.zip", b"this is not a zip file")], {},
     "esco.zip: Filen er ikke en zip-fil."),
    ("a zip without CSV files", "esco", [("esco.zip", zipped({"readme.txt": "hej"}))], {},
     "esco.zip: Zip-filen har ingen CSV-filer."),
    ("too many files", "esco", [(f"{i}.zip", zipped({"a.csv": "a"})) for i in range(4)], {},
     "Vælg højst 3 filer."),
    ("two balance files", "balance", [("a.csv", b"a\n1\n"), ("b.csv", b"a\n1\n")], {},
     "Vælg kun én fil."),
    ("an unknown language", "esco", [("esco.zip", zipped({"a.csv": "a"}))],
     {"language": "xx"}, "Vælg filernes sprog på listen."),
    ("an unknown kind", "courses", [("c.csv", b"a\n1\n")], {}, "Vælg, hvad du vil importere."),
]


@pytest.mark.parametrize(("kind", "files", "fields", "message"),
                         [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_upload_is_refused_and_leaves_nothing(
        site: Flask, client: FlaskClient, kind: str, files: list[tuple[str, bytes]],
        fields: dict[str, str], message: str) -> None:
    response = upload(client, kind, files, **fields)
    assert response.status_code == 400
    page = main(response)
    assert message in page, page[:3000]
    assert 'id="error-summary"' in page
    assert runs_in_db(site) == [] and uploads_left(site) == []


def test_a_file_the_importer_refuses_shows_file_line_and_field(site: Flask,
                                                               client: FlaskClient) -> None:
    body = "Stillingsbetegnelse,RAR-område,Periode,Kategori\nSvejser,RAR Vestjylland,2026H2,X\n"
    _run_id, page = previewed(client, "balance", [("balance.csv", body.encode())])
    assert "<h1>Filen kan ikke indlæses</h1>" in page and "Intet er gemt" in page
    row = re.search(r"<tr><td>balance\.csv</td><td>2</td><td>(\w+)</td><td lang=\"en\">", page)
    assert row and row.group(1) == "Kategori", page  # the column as the file names it
    assert runs_in_db(site) == [("balance", "refused", True)]


def test_a_body_over_the_limit_is_refused_and_others_keep_the_small_limit(
        site: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admin_import, "BODY_LIMIT", 3 * 1024 * 1024)
    big = [("b.csv", b"x" * (4 * 1024 * 1024))]
    assert upload(client, "balance", big).status_code == 413
    # An administrator may send more than the app's 2 MB to the upload (up to BODY_LIMIT) ...
    medium = [("p.csv", b"a,b\n" + b"1,2\n" * (600 * 1024))]
    assert upload(client, "positive_lists", medium).status_code == 303
    # ... anyone else is held to 2 MB (CSRFProtect reads the form before any view).
    from tests.web.staff_helpers import make_provider

    provider = site.test_client()
    login(provider, make_user(site, "u@example.dk", "provider", provider=make_provider(site)))
    site.config["WTF_CSRF_ENABLED"] = True
    try:
        assert upload(provider, "positive_lists", medium).status_code == 413
    finally:
        site.config["WTF_CSRF_ENABLED"] = False


def test_a_missing_csrf_token_is_refused(site: Flask, client: FlaskClient) -> None:
    site.config["WTF_CSRF_ENABLED"] = True
    try:
        response = upload(client, "balance", [("b.csv", BALANCE.encode())])
        assert response.status_code == 400 and "Siden var udløbet" in text(response)
        response = client.post("/admin/import/importer", data={"token": "x"})
        assert response.status_code == 400 and "Siden var udløbet" in text(response)
    finally:
        site.config["WTF_CSRF_ENABLED"] = False
    assert runs_in_db(site) == []


# --- the preview is bound to its file ---------------------------------------------------------------

def test_a_forged_or_foreign_token_is_refused(site: Flask, client: FlaskClient,
                                              fake: Callable[[Fake], list[dict[str, Any]]]
                                              ) -> None:
    fake(adds_a_skill)
    _first_id, first = previewed(client, "rates", [("a.csv", b"a\n1\n")])
    second_id, _second = previewed(client, "rates", [("b.csv", b"a\n2\n")])
    token = token_of(first)
    expired = "Forhåndsvisningen er udløbet eller ændret. Upload filen igen."
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, "", "x"):
        response = apply(client, bad)
        assert response.status_code == 400 and expired in main(response)
    # A token signed for the first file but naming the second run (another file's checksum).
    with site.app_context():
        payload = admin_import._serializer().loads(token)
        crossed = str(admin_import._serializer().dumps({**payload, "run": second_id}))
    response = apply(client, crossed)
    assert response.status_code == 400 and expired in main(response)
    assert [s for _k, s, _d in runs_in_db(site)] == ["previewed", "previewed"]


def test_a_file_changed_on_disk_after_its_preview_is_not_applied(
        site: Flask, client: FlaskClient, fake: Callable[[Fake], list[dict[str, Any]]]) -> None:
    calls = fake(adds_a_skill)
    _run_id, page = previewed(client, "rates", [("a.csv", b"a\n1\n")])
    calls[0]["paths"][0].write_bytes(b"a\n666\n")
    response = apply(client, token_of(page))
    assert response.status_code == 400
    assert "Filen er ændret siden forhåndsvisningen. Upload den igen." in main(response)
    assert len(calls) == 1


def test_an_expired_upload_says_so(site: Flask, client: FlaskClient,
                                   fake: Callable[[Fake], list[dict[str, Any]]]) -> None:
    fake(adds_a_skill)
    _run_id, page = previewed(client, "rates", [("a.csv", b"a\n1\n")])
    (folder,) = uploads_left(site)
    meta = folder / "meta.json"
    data = json.loads(meta.read_text("utf-8"))
    data["created"] -= (admin_import.UPLOAD_HOURS + 1) * 3600  # sent three hours ago
    meta.write_text(json.dumps(data), "utf-8")
    response = apply(client, token_of(page))
    assert response.status_code == 400
    assert "Den uploadede fil findes ikke længere." in main(response)
    client.get("/admin/import")  # a visit removes expired uploads
    assert uploads_left(site) == []


def test_the_senders_file_name_is_never_a_path(site: Flask, client: FlaskClient,
                                               fake: Callable[[Fake], list[dict[str, Any]]]
                                               ) -> None:
    calls = fake(adds_a_skill)
    _run_id, page = previewed(client, "rates", [("../../etc/ond.csv", b"a\n1\n")])
    stored = calls[0]["paths"][0]
    root = Path(site.config["IMPORT_UPLOAD_FOLDER"])
    assert stored.parent.parent == root and stored.name == "0.csv"
    assert re.fullmatch(r"[0-9a-f]{32}", stored.parent.name)
    assert "ond.csv" in page and "etc/" not in page


# --- history, progress, failures ------------------------------------------------------------------

def test_history_lists_runs_newest_first_with_who_file_checksum_and_counts(
        site: Flask, client: FlaskClient, fake: Callable[[Fake], list[dict[str, Any]]]) -> None:
    fake(adds_a_skill)
    _run_id, page = previewed(client, "rates", [("satser-2027.csv", b"a\n1\n")])
    assert apply(client, token_of(page)).status_code == 303
    history = main(client.get("/admin/import"))
    rows = re.findall(r"<tr><td><a class=\"function-link\" href=\"/admin/import/(\d+)\">"
                      r".*?</tr>", history, flags=re.S)
    assert len(rows) == 2 and int(rows[0]) > int(rows[1])  # newest first
    assert "chef@herning.dk" in history and "satser-2027.csv" in history
    with site.app_context():
        checksum = get_session().scalars(select(m.ImportRun.checksum)).first()
    assert f">{checksum[:12]}</code>" in history  # type: ignore[index]
    assert "Importeret" in history and "Forhåndsvist (forhåndsvisning)" in history
    assert "1, 0, 0" in history


def test_history_is_paginated(site: Flask, client: FlaskClient, admin: StaffUser) -> None:
    with site.app_context():
        db = get_session()
        for number in range(admin_import.HISTORY_PAGE + 3):
            db.add(m.ImportRun(kind="rates", status="applied", checksum=f"{number:064d}",
                               started_at=datetime.now(UTC) - timedelta(minutes=number),
                               files=[f"fil-{number}.csv"], report={}, actor_id=admin.id))
        db.commit()
    first = main(client.get("/admin/import"))
    assert "fil-0.csv" in first and "fil-27.csv" not in first and "Side 1 af 2" in first
    second = main(client.get("/admin/import?side=2"))
    assert "fil-27.csv" in second and "fil-0.csv" not in second
    assert client.get("/admin/import?side=x").status_code == 200


def test_a_background_run_shows_its_progress(site: Flask, client: FlaskClient,
                                             fake: Callable[[Fake], list[dict[str, Any]]]
                                             ) -> None:
    site.config.update(IMPORT_IN_BACKGROUND=True, IMPORT_WAIT_SECONDS=0)
    halfway, finish = threading.Event(), threading.Event()

    def slow(session: Any, paths: Sequence[Path], report: ImportReport,
             progress: Any) -> None:
        progress(3, 10)
        halfway.set()
        assert finish.wait(30)
        adds_a_skill(session, paths, report, progress)

    fake(slow)
    response = upload(client, "rates", [("a.csv", b"a\n1\n")])
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    try:
        assert halfway.wait(30)
        page = main(client.get(f"/admin/import/{run_id}"))
        assert "<h1>Forhåndsvisningen er i gang</h1>" in page
        assert '<progress id="import-progress" max="10" value="3">' in page
        assert "30 % færdig" in page and "Opdatér status" in page
        assert 'src="/static/js/admin-import.js"' in page and "http-equiv" not in page
        status = client.get(f"/admin/import/{run_id}/status").get_json()
        assert status == {"status": "running", "finished": False, "done": 3, "total": 10,
                          "percent": 30, "text": "30 % færdig"}
        with site.app_context():  # written for other processes too, in its own transaction
            row = get_session().get(m.ImportRun, run_id)
            assert row is not None and (row.done, row.total) == (3, 10)
        # One run at a time: a second upload waits.
        busy = upload(client, "balance", [("b.csv", BALANCE.encode())])
        assert busy.status_code == 409 and "En anden import kører" in main(busy)
    finally:
        finish.set()
        admin_import.wait_for(run_id, 30)
    status = client.get(f"/admin/import/{run_id}/status").get_json()
    assert status["status"] == "previewed" and status["finished"] is True
    assert "<h1>Hvad filen ændrer</h1>" in main(client.get(f"/admin/import/{run_id}"))


def test_a_run_left_running_by_a_dead_process_shows_as_failed(site: Flask, client: FlaskClient,
                                                              admin: StaffUser) -> None:
    with site.app_context():
        db = get_session()
        row = m.ImportRun(kind="esco", status="running", checksum="0" * 64, files=["e.zip"],
                          started_at=datetime.now(UTC) - timedelta(hours=2), done=5, total=9,
                          report={"dry_run": False}, actor_id=admin.id)
        db.add(row)
        db.commit()
        run_id = row.id
    page = main(client.get(f"/admin/import/{run_id}"))
    assert "<h1>Importen fejlede</h1>" in page and "over 30 minutter" in page
    assert client.get(f"/admin/import/{run_id}/status").get_json()["finished"] is True
    assert "Fejlet" in main(client.get("/admin/import"))
    # ... and it does not hold up the next import.
    assert upload(client, "balance", [("b.csv", BALANCE.encode())]).status_code == 303


def test_an_importer_that_crashes_ends_as_failed_and_writes_nothing(
        site: Flask, client: FlaskClient, fake: Callable[[Fake], list[dict[str, Any]]]) -> None:
    def crash(session: Any, paths: Sequence[Path], report: ImportReport,
              progress: Any) -> None:
        adds_a_skill(session, paths, report, progress)
        raise RuntimeError("boom")

    fake(crash)
    _run_id, page = previewed(client, "rates", [("a.csv", b"a\n1\n")])
    assert "<h1>Importen fejlede</h1>" in page and "Fejlreference:" in page
    assert "boom" not in page
    with site.app_context():
        assert get_session().get(m.Skill, "importeret") is None
    assert runs_in_db(site) == [("rates", "failed", True)]


def test_an_unknown_run_is_not_found(client: FlaskClient) -> None:
    assert client.get("/admin/import/999999").status_code == 404
    assert client.get("/admin/import/999999/status").status_code == 404


def test_pages_are_in_english_on_the_english_site(site: Flask, client: FlaskClient) -> None:
    client.post("/sprog", data={"lang": "en"})
    page = main(client.get("/admin/import"))
    assert "Labour-market balance" in page and "Show what the file changes" in page
    _run_id, preview = previewed(client, "balance", [("balance.csv", BALANCE.encode())])
    assert "Confirm job titles" in preview and "Not one of our occupations" in preview


@pytest.fixture(autouse=True)
def _no_threads_left() -> Iterator[None]:
    yield
    for thread in list(admin_import._threads.values()):
        thread.join(30)
