"""The engine stays pure: its imports are parsed, not trusted."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "matcher" / "engine"
FORBIDDEN = {"flask", "flask_babel", "babel", "flask_wtf", "sqlalchemy", "wtforms", "jinja2", "werkzeug",
             "requests", "urllib", "http", "socket", "psycopg", "sqlite3", "os", "shutil",
             "subprocess", "pathlib", "io", "matcher.data", "matcher.web", "matcher.cli"}
FORBIDDEN_CALLS = {"open", "exec", "eval", "__import__"}


def imported_modules(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def is_forbidden(module: str) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN)


def engine_files() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def test_engine_package_exists_with_docstring() -> None:
    tree = ast.parse((ENGINE / "__init__.py").read_text(encoding="utf-8"))
    assert "pure" in (ast.get_docstring(tree) or "")


@pytest.mark.parametrize("path", engine_files(), ids=lambda p: p.name)
def test_engine_module_imports_no_framework_or_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = sorted(module for module in imported_modules(tree) if is_forbidden(module))
    assert not bad, f"{path.name} imports {bad}"
    calls = {node.func.id for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not calls & FORBIDDEN_CALLS, f"{path.name} calls {calls & FORBIDDEN_CALLS}"


@pytest.mark.parametrize(("source", "forbidden"), [
    ("import flask", True),
    ("from sqlalchemy.orm import Session", True),
    ("import numpy as np", False),
    ("from matcher.data.models import Course", True),
    ("from dataclasses import dataclass", False),
])
def test_the_checker_itself_catches_framework_imports(source: str, forbidden: bool) -> None:
    modules = imported_modules(ast.parse(source))
    assert any(is_forbidden(module) for module in modules) is forbidden
