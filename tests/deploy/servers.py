"""The services of docs/deploy.md, started and stopped by the deployment test.

PostgreSQL: the server at DEPLOY_DATABASE_URL when given (.ci/run passes a database of its
own server; it is emptied first), else a throwaway server (initdb into a temporary folder,
a free port on 127.0.0.1, as .ci/run does). Redis: `redis-server` on a free port with no
persistence. Each process is started in its own session and ended by its own id.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import text

from bench.load import LOAD_RATE_LIMITS, ROOT, VENV_BIN, clean_environment, free_port
from matcher.data.db import make_engine

DATABASE_ENV = "DEPLOY_DATABASE_URL"


def missing_binaries() -> list[str]:
    """What this machine lacks to run the deployment test (empty: nothing)."""
    missing = [] if shutil.which("redis-server") else ["redis-server (apt: redis-server)"]
    if not os.environ.get(DATABASE_ENV) and not postgres_bin():
        missing.append("PostgreSQL server binaries (apt: postgresql)")
    if not (VENV_BIN / "gunicorn").exists():
        missing.append("gunicorn in .venv (make install)")
    return missing


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root (quality.md): as root, run it as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres() -> Iterator[str]:
    """A SQLAlchemy URL of an empty database, on the given server or a throwaway one."""
    given = os.environ.get(DATABASE_ENV)
    if given:
        engine = make_engine(given)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        yield given
        return
    pgbin = postgres_bin()
    assert pgbin, "no PostgreSQL server binaries"
    # Its own folder under /tmp: pytest's are private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="kl-deploy-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    data = folder / "data"
    try:
        subprocess.run(_as_postgres([str(pgbin / "initdb"), "-D", str(data), "-A", "trust",
                                     "-U", "postgres", "-E", "UTF8"]), check=True,
                       capture_output=True)
        subprocess.run(_as_postgres([str(pgbin / "pg_ctl"), "-D", str(data), "-l",
                                     str(folder / "server.log"), "-w", "-o",
                                     f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off",
                                     "start"]), check=True, capture_output=True)
        subprocess.run(_as_postgres([str(pgbin / "createdb"), "-h", "127.0.0.1", "-p",
                                     str(port), "-U", "postgres", "kl_deploy"]),
                       check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/kl_deploy"
    finally:
        subprocess.run(_as_postgres([str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def redis(work: Path) -> Iterator[str]:
    """A redis:// URL of a fresh server that keeps nothing on disk."""
    port = free_port()
    log = work / "redis.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(work)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not _redis_ping(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start:\n{_tail(log)}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def production_env(database_url: str, redis_url: str) -> dict[str, str]:
    """The environment of docs/deploy.md for every instance: one key, one database, one Redis.

    Settings the app reads are taken out of the inherited environment first (a developer's
    own DATABASE_URL or TODAY stays out of the test).
    """
    return {**clean_environment(), "APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
            "TRUSTED_HOSTS": "127.0.0.1,localhost", "RATELIMIT_STORAGE_URI": redis_url,
            "DATABASE_URL": database_url, "PROXY_FIX_X_FOR": "1",
            "AUTHORITY_NAME": "Herning Kommune", "AUTHORITY_PHONE": "96 28 28 28",
            "AUTHORITY_EMAIL": "kompetenceloeft@example.org", **LOAD_RATE_LIMITS}


def flask(env: Mapping[str, str], *args: str) -> str:
    """`flask --app wsgi ...` from the repository, as docs/deploy.md runs it; its output."""
    done = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                          env=dict(env), capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def services(work: Path) -> Iterator[tuple[str, str]]:
    """(database URL, Redis URL), both up until the block ends, even when it fails."""
    with ExitStack() as stack:
        database_url = stack.enter_context(postgres())
        redis_url = stack.enter_context(redis(work))
        yield database_url, redis_url


__all__ = ["DATABASE_ENV", "flask", "missing_binaries", "production_env", "services"]
