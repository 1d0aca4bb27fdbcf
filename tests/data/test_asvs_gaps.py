"""The data-side ASVS 5.0 Level 2 rows of docs/security.md that were marked "GAP:" (issue 10).

1.2.2: the catalogue accepts only http(s) addresses, so no `javascript:` (or other scheme)
link can come from it. 1.2.4: no SQL built from strings, kept out by ruff's S608 rule.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from matcher.data import models as m
from matcher.data.catalog import CatalogInvalid, read_catalog
from matcher.data.db import get_session
from tests.conftest import MINI_CATALOG, ROOT

# ASVS 1.2.2: only safe schemes from the catalogue ------------------------------------------

# (file, the row's code, column): a provider's website and a course's address.
URL_CELLS = [("providers.csv", "p_aarhus", "website"), ("courses.csv", "c_truck", "url")]

UNSAFE = {
    "javascript": "javascript:alert(1)",
    "javascript in capitals": "JavaScript:alert(document.cookie)",
    "javascript behind spaces": "  javascript:alert(1)",
    "javascript with slashes": "javascript://example.dk/%0Aalert(1)",
    "javascript with a tab": "java\tscript:alert(1)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript": "vbscript:msgbox(1)",
    "no scheme": "//evil.example/",
    "an attribute break-out": 'https://example.dk/" onmouseover="alert(1)',
    "a tag break-out": "https://example.dk/<script>alert(1)</script>",
}


def catalogue_with(folder: Path, file: str, code: str, column: str, value: str) -> int:
    """A copy of the mini catalogue with one cell set (properly quoted); its line number."""
    shutil.copytree(MINI_CATALOG, folder)
    path = folder / file
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = rows[0].index(column)
    line = next(number for number, row in enumerate(rows, start=1) if row[0] == code)
    rows[line - 1][index] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return line


def count_providers(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(m.Provider)) or 0


@pytest.mark.parametrize(("file", "code", "column"), URL_CELLS,
                         ids=[f"{c[0]} {c[2]}" for c in URL_CELLS])
@pytest.mark.parametrize("value", list(UNSAFE.values()), ids=list(UNSAFE))
def test_a_catalogue_address_that_is_not_http_is_refused(
        tmp_path: Path, file: str, code: str, column: str, value: str) -> None:
    line = catalogue_with(tmp_path / "catalog", file, code, column, value)
    with pytest.raises(CatalogInvalid) as raised:
        read_catalog(tmp_path / "catalog")
    problems = [str(problem) for problem in raised.value.problems]
    where = f"{file}, line {line}, field {column}: must be an http(s) address, got "
    assert [p for p in problems if p.startswith(where)] == [
        where + repr(value.strip() if len(value.strip()) <= 60 else value.strip()[:57] + "...")
    ], problems


@pytest.mark.parametrize(("file", "code", "column"), URL_CELLS,
                         ids=[f"{c[0]} {c[2]}" for c in URL_CELLS])
def test_an_https_address_is_accepted_as_the_control(tmp_path: Path, file: str, code: str,
                                                     column: str) -> None:
    catalogue_with(tmp_path / "catalog", file, code, column, "https://example.dk/kurser/truck")
    catalog = read_catalog(tmp_path / "catalog")
    (row,) = [row for row in catalog.rows[file] if row["code"] == code]
    assert row[column] == "https://example.dk/kurser/truck"


def test_the_load_command_refuses_a_javascript_address_and_writes_nothing(
        app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    catalogue_with(tmp_path / "catalog", "providers.csv", "p_aarhus", "website",
                   "javascript:alert(1)")
    result = runner.invoke(args=["catalog", "load", str(tmp_path / "catalog")])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert "field website: must be an http(s) address, got 'javascript:alert(1)'" in result.output
    assert count_providers(app) == 0


# ASVS 1.2.4: no SQL built from strings (ruff S608) -----------------------------------------

STRING_BUILT = '''
from sqlalchemy import text


def find(session, email):
    return session.execute(text(f"SELECT id FROM user_account WHERE email = '{email}'"))


def remove(session, table, code):
    return session.execute(text("DELETE FROM " + table + " WHERE code = '%s'" % code))
'''

BOUND = '''
from sqlalchemy import text


def find(session, email):
    return session.execute(text("SELECT id FROM user_account WHERE email = :email"),
                           {"email": email})
'''


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("ruff")  # requirements-dev.txt
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           "--output-format", "concise", "--config", str(ROOT / "pyproject.toml"),
                           *args], capture_output=True, text=True, timeout=120, check=False)


def test_the_project_lint_refuses_sql_built_from_strings(tmp_path: Path) -> None:
    (tmp_path / "built.py").write_text(STRING_BUILT, encoding="utf-8")
    (tmp_path / "bound.py").write_text(BOUND, encoding="utf-8")
    built = ruff(str(tmp_path / "built.py"))
    assert built.returncode == 1
    assert built.stdout.count("S608") == 2, built.stdout + built.stderr
    bound = ruff(str(tmp_path / "bound.py"))
    assert "S608" not in bound.stdout, bound.stdout


def test_no_sql_in_the_code_is_built_from_strings() -> None:
    folders = [str(ROOT / name) for name in ("matcher", "tests", "scripts", "bench")
               if (ROOT / name).is_dir()]
    result = ruff("--select", "S608", *folders)
    assert result.returncode == 0, result.stdout + result.stderr
