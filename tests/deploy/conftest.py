"""The deployment of docs/deploy.md, live: PostgreSQL, Redis and two gunicorn instances.

Slow (a minute of load), so the tests on it run only with DEPLOY_TEST=1 (as in .ci/run);
`make test` skips them. With DEPLOY_TEST=1 a missing binary is a failure, not a skip: CI must never pass
by skipping it (as REQUIRE_BROWSER=1 does for the browser tests).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen

import pytest

from bench.load import free_port, start_gunicorn, stop, wait_healthy
from tests.deploy.servers import flask, missing_binaries, production_env, services

ENABLED = os.environ.get("DEPLOY_TEST") == "1"
WORKERS = 2  # per instance: two instances of two workers on a 2-core CI machine


@dataclass
class Instance:
    name: str
    port: int
    process: Popen[bytes]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Deployment:
    env: dict[str, str]
    instances: tuple[Instance, Instance]
    work: Path

    @property
    def ports(self) -> list[int]:
        return [instance.port for instance in self.instances]

    def flask(self, *args: str) -> str:
        return flask(self.env, *args)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Only the tests on the live deployment wait for DEPLOY_TEST=1."""
    for item in items:
        if "deployment" in getattr(item, "fixturenames", ()) and not ENABLED:
            item.add_marker(pytest.mark.skip(reason="the live deployment test: set DEPLOY_TEST=1"))


@pytest.fixture(scope="module")
def deployment(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Migrated, loaded with the bundled catalogue, two instances answering /healthz."""
    failed_before = request.session.testsfailed
    missing = missing_binaries()
    if missing:
        pytest.fail("DEPLOY_TEST=1 but this machine lacks: " + ", ".join(missing))
    work = tmp_path_factory.mktemp("deploy")
    with ExitStack() as stack:
        database_url, redis_url = stack.enter_context(services(work))
        env = production_env(database_url, redis_url)
        flask(env, "db", "upgrade")
        flask(env, "catalog", "load", "course_catalog")
        instances = []
        for name in ("a", "b"):
            port = free_port()
            log = work / f"gunicorn-{name}.log"
            process = start_gunicorn(port, env, log, workers=WORKERS)
            stack.callback(stop, process)
            instances.append(Instance(name, port, process, log))
        for instance in instances:
            try:
                wait_healthy(instance.port, instance.process)
            except RuntimeError as problem:
                pytest.fail(f"{problem}\n{instance.log_tail()}")
        yield Deployment(env, (instances[0], instances[1]), work)
        if request.session.testsfailed > failed_before:  # the servers' side, for the CI log
            for instance in instances:
                print(f"\n--- gunicorn {instance.name} (port {instance.port}), last lines:\n"
                      f"{instance.log_tail()}")
    shutil.rmtree(work, ignore_errors=True)
