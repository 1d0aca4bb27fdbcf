"""Load over HTTP: client threads on the citizen results page and the JSON API, with failover.

Standard library only (http.client and threads), so the same driver serves `make bench` (one
gunicorn on SQLite, a short run) and the deployment test in tests/deploy/ (two gunicorn
instances on PostgreSQL and Redis, one of them killed with SIGKILL during the load).

Every request goes to the instances in turn. A request that meets a connection error (the
instance is gone: refused, reset or cut off mid-answer) is sent once more to the next
instance, as the load balancer of docs/deploy.md does; both routes are POSTs that change
nothing, so a retry is safe. A wrong status or a page without its expected text is an
error, never retried.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matcher.config import DEFAULTS  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
TIMEOUT_S = 30.0
# The citizen of tests/web/test_journey.py: a truck driver who knows stock management.
SITUATION = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": "8", "age": "34"}
LIMITS = {"postcode": "7400", "max_distance_km": "50", "schedule": ["day", "evening"],
          "max_course_days": "", "start_within_weeks": "26"}
RESULTS_TEXT = "<h1>Dine muligheder</h1>"
API_PROFILE = {"status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
               "education_level": "grundskole", "postcode": "7400",
               "occupations": [{"code": "lagermedarbejder", "years": 1}]}
# What a TLS-terminating proxy sends on (docs/deploy.md, PROXY_FIX_X_FOR=1): the public host
# name, the same to every instance, and the client's address (TEST-NET-3, never a citizen's).
PUBLIC_HOST = "localhost"
PROXY_HEADERS = {"Host": PUBLIC_HOST, "X-Forwarded-For": "203.0.113.10",
                 "X-Forwarded-Proto": "https"}
CONNECTION_ERRORS = (OSError, http.client.HTTPException)
# Load comes from one client address, far faster than a person: the public per-address
# limits (ASVS 2.4.1) are raised for it, in the environment as a deployment would set them.
LOAD_RATE_LIMITS = {"CITIZEN_RATE_LIMIT": "1000000 per minute",
                    "API_RATE_LIMIT": "1000000 per minute",
                    "SUGGEST_RATE_LIMIT": "1000000 per minute"}


# --- one request ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: str
    headers: Mapping[str, str]
    cookies: Mapping[str, str] = field(default_factory=dict)  # every Set-Cookie: name -> value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def send(port: int, method: str, path: str, body: bytes = b"",
         headers: Mapping[str, str] | None = None, *, timeout: float = TIMEOUT_S) -> Answer:
    """One request on a fresh connection (gunicorn's sync workers close it anyway)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body or None, headers=dict(headers or {}))
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        pairs = response.getheaders()
        cookies = dict(v.split(";")[0].split("=", 1) for k, v in pairs
                       if k.lower() == "set-cookie" and "=" in v.split(";")[0])
        return Answer(response.status, text, {k.lower(): v for k, v in pairs}, cookies)
    finally:
        connection.close()


def wait_healthy(port: int, process: subprocess.Popen[bytes], *, seconds: float = 30.0) -> None:
    """Until /healthz answers 200; fails at once if the process has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            if send(port, "GET", "/healthz", timeout=2).status == 200:
                return
        except CONNECTION_ERRORS:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn on port {port} did not answer /healthz in {seconds:.0f} s")


# --- the two kinds of request --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Call:
    """One kind of request, sent again and again; `expect` must be in a good answer."""

    name: str
    method: str
    path: str
    body: bytes
    headers: Mapping[str, str]
    expect: str


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not found:
        raise RuntimeError("the page carries no CSRF token")
    return found.group(1)


def citizen_journey(port: int, *, proxy: Mapping[str, str] | None = None
                    ) -> tuple[dict[str, str], str]:
    """Walks the citizen journey on one instance: the headers that carry it on, and a token.

    The answers travel in an encrypted cookie and the CSRF token is bound to the signed
    session cookie, so both are valid on every instance that shares SECRET_KEY: nothing
    about the citizen lives in a process.
    """
    proxy = dict(proxy or {})
    first = send(port, "GET", "/start", headers=proxy)
    if first.status != 200:
        raise RuntimeError(f"GET /start answered {first.status}")
    jar = dict(first.cookies)
    secure = proxy.get("X-Forwarded-Proto") == "https"
    # Flask-WTF checks that a request which arrived over HTTPS comes from a page of the same
    # host; behind the proxy, that is the public name on every instance.
    referer = {"Referer": f"https://{proxy.get('Host', PUBLIC_HOST)}/start"} if secure else {}
    token = _token(first.body)

    def headers() -> dict[str, str]:
        carried = "; ".join(f"{k}={v}" for k, v in jar.items() if v)
        return {**proxy, **referer, "Cookie": carried}

    def step(fields: Mapping[str, object]) -> str:
        body = urlencode({"csrf_token": token, "action": "next", **fields}, doseq=True).encode()
        answer = send(port, "POST", "/start", body,
                      {**headers(), "Content-Type": "application/x-www-form-urlencoded"})
        if answer.status != 303:
            raise RuntimeError(f"POST /start step {fields.get('step')} answered {answer.status}")
        jar.update(answer.cookies)
        return answer.headers.get("location", "")

    step({"step": "situation", **SITUATION})
    step({"step": "education", "education_level": "gymnasial", "certificates": ["koerekort_c"]})
    step({"step": "experience", "action": "add:job", "job-pick": "lastbilchauffoer",
          "years": "5"})
    step({"step": "experience", "action": "add:skill", "skill-pick": "lagerstyring"})
    step({"step": "experience"})
    if not step({"step": "limits", **LIMITS}).endswith("/resultater"):
        raise RuntimeError("the last step did not lead to the results page")
    return headers(), token


def citizen_results(port: int, *, proxy: Mapping[str, str] | None = None) -> Call:
    """The results page of a whole journey, asked for again as a reload does."""
    headers, _ = citizen_journey(port, proxy=proxy)
    return Call("citizen_results", "GET", "/resultater", b"", headers, RESULTS_TEXT)


def api_match(*, proxy: Mapping[str, str] | None = None) -> Call:
    """POST /api/v1/match with a profile (docs: the OpenAPI document at /api/v1/openapi.json)."""
    headers = {**(proxy or {}), "Content-Type": "application/json"}
    return Call("api_match", "POST", "/api/v1/match", json.dumps(API_PROFILE).encode(),
                headers, '"courses"')


# --- the load ------------------------------------------------------------------------------


@dataclass
class LoadReport:
    seconds: float
    concurrency: int
    instances: int
    requests: int = 0
    errors: int = 0
    retried: int = 0  # first attempt met a connection error, the retry on another instance
    retry_causes: dict[str, int] = field(default_factory=dict)
    by_call: dict[str, int] = field(default_factory=dict)
    by_port: dict[int, int] = field(default_factory=dict)  # where each request was answered
    error_samples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    elapsed_s: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s else 0.0

    def percentile_ms(self, percent: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[percent - 1]

    def summary(self) -> dict[str, object]:
        return {"seconds": self.seconds, "concurrency": self.concurrency,
                "instances": self.instances, "requests": self.requests,
                "rps": round(self.rps, 1), "p50_ms": round(self.percentile_ms(50), 1),
                "p95_ms": round(self.percentile_ms(95), 1), "errors": self.errors,
                "retried": self.retried, "retry_causes": dict(sorted(self.retry_causes.items())),
                "by_call": dict(sorted(self.by_call.items())),
                "by_port": {str(k): v for k, v in sorted(self.by_port.items())},
                "error_samples": self.error_samples[:5]}


def run_load(ports: Sequence[int], calls: Sequence[Call], *, seconds: float, concurrency: int,
             event: tuple[float, Callable[[], None]] | None = None) -> LoadReport:
    """`concurrency` threads send the calls in turn to the ports in turn for `seconds`.

    `event` is (after how many seconds, what): run once from its own thread during the load,
    e.g. a SIGKILL of one instance.
    """
    report = LoadReport(seconds=seconds, concurrency=concurrency, instances=len(ports))
    lock = threading.Lock()
    started = time.perf_counter()
    stop = started + seconds

    def attempt(port: int, call: Call) -> str | None:
        """None when the answer is good, else what was wrong; raises on connection errors."""
        answer = send(port, call.method, call.path, call.body, call.headers)
        if answer.status != 200:
            return f"{call.name} on {port}: status {answer.status}"
        if call.expect not in answer.body:
            return f"{call.name} on {port}: {call.expect!r} missing"
        return None

    def client(number: int) -> None:
        sent = number
        while time.perf_counter() < stop:
            call = calls[sent % len(calls)]
            port = ports[(sent // len(calls) + number) % len(ports)]
            sent += 1
            began = time.perf_counter()
            cause = None
            try:
                problem = attempt(port, call)
            except CONNECTION_ERRORS as first:
                cause = type(first).__name__
                port = ports[(ports.index(port) + 1) % len(ports)]
                try:
                    problem = attempt(port, call)
                except CONNECTION_ERRORS as second:
                    problem = f"{call.name}: {cause}, then {type(second).__name__} on {port}"
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                report.requests += 1
                report.latencies_ms.append(elapsed)
                report.by_call[call.name] = report.by_call.get(call.name, 0) + 1
                if cause:
                    report.retried += 1
                    report.retry_causes[cause] = report.retry_causes.get(cause, 0) + 1
                if problem:
                    report.errors += 1
                    report.error_samples.append(problem)
                else:
                    report.by_port[port] = report.by_port.get(port, 0) + 1

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(concurrency)]
    timer = threading.Timer(event[0], event[1]) if event else None
    for thread in threads:
        thread.start()
    if timer:
        timer.start()
    for thread in threads:
        thread.join()
    if timer:
        timer.join()
    report.elapsed_s = time.perf_counter() - started
    return report


# --- gunicorn ------------------------------------------------------------------------------


def clean_environment() -> dict[str, str]:
    """This environment less every setting the app reads: a developer's own stays out."""
    return {k: v for k, v in os.environ.items()
            if k not in DEFAULTS and not k.startswith("FLASK_") and k != "TEST_DATABASE_URL"}


def start_gunicorn(port: int, env: Mapping[str, str], log: Path, *,
                   workers: int = 2) -> subprocess.Popen[bytes]:
    """gunicorn as docs/deploy.md runs it (from the repository, reading gunicorn.conf.py).

    Its own session, so the master and its workers can be signalled as one group. Its own
    control socket beside the log: by default every gunicorn on a host takes over
    ~/.gunicorn/gunicorn.ctl, and whichever stops first removes it for the others.
    """
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--bind",
             f"127.0.0.1:{port}", "--control-socket", str(log.with_suffix(".ctl")),
             "--graceful-timeout", "5", "wsgi:app"],
            cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)


def kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signals the process group this module started (master and workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def stop(process: subprocess.Popen[bytes], *, seconds: float = 10.0) -> None:
    """SIGTERM to the group while its master lives, SIGKILL if it has not gone in time."""
    if process.poll() is not None:
        return  # already ended and reaped (a SIGKILL of the whole group, for instance)
    kill_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        kill_group(process, signal.SIGKILL)
        process.wait(timeout=seconds)


# --- make bench ----------------------------------------------------------------------------

BENCH_SECONDS = 10.0
BENCH_CONCURRENCY = 20
BENCH_WORKERS = 2


def run(*, seconds: float = BENCH_SECONDS,
        concurrency: int = BENCH_CONCURRENCY) -> dict[str, float | int | str | None]:
    """One gunicorn on SQLite with the bundled catalogue; both routes at `concurrency`.

    The full deployment (two instances, PostgreSQL, Redis, a SIGKILL) is tests/deploy/;
    this short run gives `make bench` comparable figures on any machine.
    """
    work = Path(tempfile.mkdtemp(prefix="kl-load-"))
    env = {**clean_environment(), "DATABASE_URL": f"sqlite:///{work}/load.db",
           "TODAY": "2026-12-01",  # the same results on any day, as in http_results.py
           "SECRET_KEY": "load-bench-" + "abcdefghijklmnopqrstuvwxyz0123456789",
           **LOAD_RATE_LIMITS}
    flask = [str(VENV_BIN / "flask"), "--app", "wsgi"]
    server = None
    try:
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        subprocess.run([*flask, "catalog", "load", "course_catalog"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        port = free_port()
        server = start_gunicorn(port, env, work / "gunicorn.log", workers=BENCH_WORKERS)
        wait_healthy(port, server)
        calls = [citizen_results(port), api_match()]
        run_load([port], calls, seconds=1.0, concurrency=BENCH_WORKERS)  # warm every worker
        report = run_load([port], calls, seconds=seconds, concurrency=concurrency)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as problem:
        return {"load_rps": None, "load_p95_ms": None, "load_errors": None,
                "load_skipped": f"{type(problem).__name__}: {problem}"}
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(work, ignore_errors=True)
    return {"load_rps": round(report.rps, 1), "load_p95_ms": round(report.percentile_ms(95), 1),
            "load_p50_ms": round(report.percentile_ms(50), 1), "load_errors": report.errors,
            "load_requests": report.requests, "load_seconds": seconds,
            "load_concurrency": concurrency, "load_gunicorn_workers": BENCH_WORKERS,
            "load_database": "sqlite"}


def main() -> int:
    print(json.dumps(run(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
