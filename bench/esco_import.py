"""The ESCO import under load (design.md §7): the real v1.1.0 download into a file-based
SQLite database that holds the bundled catalogue, while gunicorn answers matches.

`flask import esco` runs in a process of its own, as an administrator would run it; client
threads send the JSON API's match to gunicorn from before it starts until shortly after it
ends (when each worker rebuilds its index for the new catalogue version). Latencies are
split into before, during and after the import.

Only the match is sent: the citizen results page also adds to its appearance counts, a
write that on SQLite waits for the import's write lock (up to DB_STATEMENT_TIMEOUT_MS, then
skipped), and with two sync workers the matches would queue behind those waits; see
docs/import-esco.md.

    .venv/bin/python -c 'from bench.esco_import import main; main()'
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

ESCO = Path("/work/shared/data/esco-v1.1.0")
FILES = (ESCO / "esco-v1.1.0-classification-en-csv.zip",
         ESCO / "esco-v1.1.0-classification-relations-csv.zip")
CLIENTS = 4
WORKERS = 2
BEFORE_S = 4.0  # load before the import, for comparison
AFTER_S = 3.0  # load after it, while the workers rebuild their index


def _p95(values: list[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return round(statistics.quantiles(values, n=20)[18], 1)


class _Clients:
    """CLIENTS threads sending the calls in turn until stopped; each answer is timed."""

    def __init__(self, port: int, calls: list[load.Call]) -> None:
        self.port, self.calls = port, calls
        self.samples: list[tuple[float, str, float, bool]] = []  # start, call, ms, ok
        self.errors: list[str] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True)
                        for n in range(CLIENTS)]

    def _client(self, number: int) -> None:
        sent = number
        while not self.stopping.is_set():
            call = self.calls[sent % len(self.calls)]
            sent += 1
            began = time.perf_counter()
            try:
                answer = load.send(self.port, call.method, call.path, call.body, call.headers)
                problem = (None if answer.status == 200 and call.expect in answer.body
                           else f"{call.name}: status {answer.status}")
            except load.CONNECTION_ERRORS as error:
                problem = f"{call.name}: {type(error).__name__}"
            elapsed = (time.perf_counter() - began) * 1000
            with self.lock:
                self.samples.append((began, call.name, elapsed, problem is None))
                if problem:
                    self.errors.append(problem)

    def __enter__(self) -> _Clients:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def between(self, start: float, end: float, name: str) -> list[float]:
        with self.lock:
            return [ms for began, call, ms, _ in self.samples
                    if call == name and start <= began < end]


def run() -> dict[str, float | int | str | None]:
    if not all(path.is_file() for path in FILES):
        return {"esco_import_s": None, "esco_import_errors": None,
                "esco_import_skipped": f"the ESCO files are not in {ESCO}"}
    work = Path(tempfile.mkdtemp(prefix="kl-esco-"))
    env = {**load.clean_environment(), "DATABASE_URL": f"sqlite:///{work}/esco.db",
           "TODAY": "2026-12-01", "SECRET_KEY": "esco-bench-" + "abcdefghijklmnopqrstuvwxyz0123",
           **load.LOAD_RATE_LIMITS}
    flask = [str(load.VENV_BIN / "flask"), "--app", "wsgi"]
    server = None
    try:
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        subprocess.run([*flask, "catalog", "load", "course_catalog"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        port = load.free_port()
        server = load.start_gunicorn(port, env, work / "gunicorn.log", workers=WORKERS)
        load.wait_healthy(port, server)
        calls = [load.api_match()]
        load.run_load([port], calls, seconds=1.0, concurrency=WORKERS)  # warm every worker
        with _Clients(port, calls) as clients:
            time.sleep(BEFORE_S)
            started = time.perf_counter()
            done = subprocess.run([*flask, "import", "esco", *map(str, FILES), "--language", "en"],
                                  cwd=ROOT, env=env, capture_output=True, text=True)
            ended = time.perf_counter()
            time.sleep(AFTER_S)
        if done.returncode != 0 or "Imported" not in done.stdout:
            raise RuntimeError(f"the import failed ({done.returncode}): {done.stderr[-500:]}")
        first = started - BEFORE_S
    except (OSError, RuntimeError, subprocess.CalledProcessError) as problem:
        return {"esco_import_s": None, "esco_import_errors": None,
                "esco_import_skipped": f"{type(problem).__name__}: {problem}"}
    finally:
        if server is not None:
            load.stop(server)
        shutil.rmtree(work, ignore_errors=True)
    during = clients.between(started, ended, "api_match")
    return {
        "esco_import_s": round(ended - started, 2),
        "esco_import_match_p95_ms": _p95(during),
        "esco_import_match_max_ms": round(max(during), 1) if during else None,
        "esco_import_match_requests": len(during),
        "esco_import_match_p95_ms_before": _p95(clients.between(first, started, "api_match")),
        "esco_import_after_p95_ms": _p95(clients.between(ended, ended + AFTER_S, "api_match")),
        "esco_import_errors": len(clients.errors),
        "esco_import_error_samples": "; ".join(sorted(set(clients.errors))[:3]) or None,
        "esco_import_clients": CLIENTS, "esco_import_gunicorn_workers": WORKERS,
    }


def main() -> int:
    print(json.dumps(run(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
