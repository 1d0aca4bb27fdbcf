"""The results page over HTTP: gunicorn on loopback, against a trivial route on the same server.

Loads a seeded synthetic 10,000-course catalogue through the real loader into a temporary
SQLite database, serves it with gunicorn, and drives both routes from client threads on
127.0.0.1 for a fixed time each. Ratios within one run hold on a noisy machine.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.synthetic import synthetic_snapshot  # noqa: E402
from matcher.engine.model import Snapshot  # noqa: E402

DURATION_S = 6.0
CLIENTS = 4
WORKERS = 2
PROFILE = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
           "education_level": "grundskole", "has_eud": False, "education_outdated": False,
           "occupations": [{"code": "o001", "years": 4.0}], "skills": ["s0003"]}
REFERENCE_FILES = ("education_levels.csv", "rar_areas.csv", "rar_adjacency.csv",
                   "municipalities.csv", "postcodes.csv", "funding_rates.csv")


def write_catalogue(snapshot: Snapshot, folder: Path) -> None:
    """The synthetic snapshot as a catalogue folder (design.md §4), with real geography."""
    for name in REFERENCE_FILES:
        shutil.copy(ROOT / "course_catalog" / name, folder / name)

    def write(name: str, header: list[str], rows: list[list[object]]) -> None:
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(header)
            out.writerows(rows)

    write("skills.csv", ["code", "label_da", "label_en"],
          [[s.code, s.label_da, s.label_en] for s in snapshot.skills])
    write("occupations.csv", ["code", "title_da", "title_en", "min_education_level"],
          [[o.code, o.title_da, o.title_en, o.min_education_level] for o in snapshot.occupations])
    write("occupation_skills.csv", ["occupation_code", "skill_code", "relation"],
          [[o.code, s, "essential"] for o in snapshot.occupations for s in o.essential]
          + [[o.code, s, "optional"] for o in snapshot.occupations for s in o.optional])
    write("shortages.csv", ["occupation_code", "rar_code", "period", "category", "source"],
          [[r.occupation, r.rar_code, r.period, r.category, "demo"] for r in snapshot.shortages])
    providers = {c.provider: (c.provider_name, c.provider_postcode) for c in snapshot.courses}
    write("providers.csv", ["code", "name", "postcode", "source"],
          [[code, name, postcode, "demo"] for code, (name, postcode) in sorted(providers.items())])
    write("courses.csv", ["code", "kind", "title_da", "provider_code", "duration_days",
                          "price_dkk", "fee_target_group_dkk", "delivery", "schedule", "source"],
          [[c.code, c.kind, c.title_da, c.provider, c.duration_days, c.price_dkk,
            c.fee_target_group_dkk, c.delivery, c.schedule, "demo"] for c in snapshot.courses])
    write("course_skills.csv", ["course_code", "skill_code"],
          [[c.code, s] for c in snapshot.courses for s in c.skills])
    write("course_prerequisites.csv", ["course_code", "skill_code"],
          [[c.code, s] for c in snapshot.courses for s in c.prerequisites if s not in c.skills])
    write("course_occupations.csv", ["course_code", "occupation_code"],
          [[c.code, o] for c in snapshot.courses for o in c.occupations])
    write("sessions.csv", ["course_code", "session_code", "start_date", "end_date"],
          [[s.course, s.code, s.start.isoformat(), s.end.isoformat()] for s in snapshot.sessions])
    write("positive_lists.csv", ["list", "course_code", "source"],
          [[e.list, e.course, "demo"] for e in snapshot.positive_lists])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(port: int, method: str, path: str, body: str = "",
            headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body or None, headers=headers or {})
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, text, dict(response.getheaders())


def drive(port: int, method: str, path: str, body: str, headers: dict[str, str],
          expect: str) -> dict[str, float]:
    """Requests from CLIENTS threads for DURATION_S; throughput, p95 and errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + DURATION_S

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body or None, headers=headers)
                response = connection.getresponse()
                text = response.read()
                ok = response.status == 200 and expect.encode() in text
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"rps": len(latencies) / elapsed, "p95_ms": statistics.quantiles(latencies, n=20)[18],
            "errors": errors[0], "requests": len(latencies)}


def answers_cookie(secret_key: str, answers: dict[str, object]) -> str:
    """The Cookie header a browser sends after a journey that gave these answers."""
    from flask import Flask, Response

    from matcher.web import answer_cookie
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key, ANSWERS_MAX_AGE=3600, SESSION_COOKIE_SECURE=False)
    with app.test_request_context():
        response = answer_cookie.save(Response(), answer_cookie.Journey(answers=answers))
    values = [v.split(";")[0] for v in response.headers.getlist("Set-Cookie")]
    return "; ".join(v for v in values if not v.endswith("="))


def run() -> dict[str, float | int]:
    """Serve the synthetic catalogue with gunicorn and measure both routes."""
    work = Path(tempfile.mkdtemp(prefix="kl-bench-"))
    catalogue = work / "catalog"
    catalogue.mkdir()
    write_catalogue(synthetic_snapshot(10_000), catalogue)
    # One client address drives hundreds of pages a second: the per-address limits, which a
    # citizen never meets, would answer 429 here (ASVS 2.4.1), so the bench lifts them.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/bench.db", "TODAY": "2026-12-01",
           "SECRET_KEY": "bench-" + "x" * 40, **load.LOAD_RATE_LIMITS}
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([*flask, "catalog", "load", str(catalogue)], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(WORKERS), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        # The results page as a reload asks for it: GET, with the answers in their cookie.
        headers = {"Cookie": answers_cookie(env["SECRET_KEY"], PROFILE)}
        status, page, _ = request(port, "GET", "/resultater", "", headers)
        assert status == 200 and "card-heading" in page, "the results page did not render"
        for path in ("/healthz", "/start"):  # warm both workers
            request(port, "GET", path)
        trivial = drive(port, "GET", "/healthz", "", {}, "ok")
        results = drive(port, "GET", "/resultater", "", headers, "card-heading")
        search = search_times(port)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    return {
        "results_page_rps": round(results["rps"], 1), "trivial_rps": round(trivial["rps"], 1),
        "results_page_ratio": round(results["rps"] / trivial["rps"], 3),
        "results_page_p95_ms": round(results["p95_ms"], 1),
        "trivial_p95_ms": round(trivial["p95_ms"], 1),
        "errors": int(results["errors"] + trivial["errors"]),
        "requests": int(results["requests"] + trivial["requests"]),
        "clients": CLIENTS, "gunicorn_workers": WORKERS, "seconds_per_route": DURATION_S,
        "course_search_p95_ms_10k": round(statistics.quantiles(search, n=20)[18], 1),
    }


# A search a citizen might make on /kurser: words, a kind, a distance from a postcode and a
# time of day. The synthetic jobs are called "Stilling N", so the words reach them.
SEARCH_PATH = ("/kurser?" + urlencode({"q": "stilling", "kind": "amu", "postcode": "7400",
                                       "max_distance_km": "50", "schedule": "day"}))
SEARCH_REQUESTS = 60


def search_times(port: int) -> list[float]:
    """Server time of the course search page: one request at a time, so no queueing counts."""
    request(port, "GET", SEARCH_PATH)  # builds the search's own cache in each worker
    request(port, "GET", SEARCH_PATH)
    times = []
    for _ in range(SEARCH_REQUESTS):
        started = time.perf_counter()
        status, page, _ = request(port, "GET", SEARCH_PATH)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200 and "kursus" in page.lower(), "the search page did not render"
    return times


def main() -> int:
    print(json.dumps(run(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
