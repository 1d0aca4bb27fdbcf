"""Fixtures of the citizen pages: the site with the mini catalogue, on a fixed day."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import MINI_CATALOG


@pytest.fixture
def app_loaded(app: Flask, runner: FlaskCliRunner) -> Iterator[Flask]:
    app.config["TODAY"] = "2026-12-01"
    assert runner.invoke(args=["catalog", "load", str(MINI_CATALOG)]).exit_code == 0
    yield app


@pytest.fixture
def client_loaded(app_loaded: Flask) -> FlaskClient:
    return app_loaded.test_client()
