"""Two gunicorn instances on one PostgreSQL and one Redis, as docs/deploy.md scales out.

In order: a catalogue change reaches the other instance within one request; a citizen's
form from one instance is answered by the other; login limits are counted across instances;
a minute of load on the citizen results page and the JSON API has no error; and a SIGKILL
of one instance during load loses no request that the other could serve once retried.
The client plays the TLS proxy (the public Host, X-Forwarded-Proto, X-Forwarded-For with
PROXY_FIX_X_FOR=1) and the load balancer (one retry on the other instance).
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from bench.load import (
    PROXY_HEADERS,
    PUBLIC_HOST,
    RESULTS_TEXT,
    ROOT,
    Call,
    LoadReport,
    api_match,
    citizen_journey,
    citizen_results,
    kill_group,
    run_load,
    send,
)
from matcher.config import DEFAULTS
from tests.deploy.conftest import Deployment

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
LOAD_CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "20"))
KILL_SECONDS = max(9.0, LOAD_SECONDS / 6)  # the failover run; the kill comes at its first third
PROBE_OCCUPATION = "lagermedarbejder"  # held in the API profile, so it is in every answer
Row = dict[str, str]


def _report(name: str, report: LoadReport) -> dict[str, object]:
    """The figures, printed for the CI log (run with -s) as one JSON line."""
    summary = {"run": name, **report.summary()}
    print(json.dumps(summary))
    return summary


def _skills_count(port: int) -> int:
    page = send(port, "GET", "/om-data", headers=PROXY_HEADERS)
    assert page.status == 200, page.status
    found = re.search(r'<th scope="row">Kompetencer</th><td class="align-text-right">([\d.]+)<',
                      page.body)
    assert found, "Om data shows no count of skills"
    return int(found.group(1).replace(".", ""))


def _occupation_title(port: int, call: Call) -> str:
    answer = send(port, call.method, call.path, call.body, call.headers)
    assert answer.status == 200, answer.body[:500]
    titles = {o["code"]: o["title"] for o in json.loads(answer.body)["occupations"]}
    return str(titles[PROBE_OCCUPATION])


def _changed_catalogue(folder: Path, marker: str) -> Path:
    """The bundled catalogue with one occupation renamed and one skill added."""
    shutil.copytree(ROOT / "course_catalog", folder)

    def rewrite(name: str, change: Callable[[list[Row]], list[Row]]) -> None:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        fields = list(rows[0])
        rows = change(rows)
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def rename(rows: list[Row]) -> list[Row]:
        for row in rows:
            if row["code"] == PROBE_OCCUPATION:
                row["title_da"] = f"Lagermedarbejder {marker}"
        return rows

    def add_skill(rows: list[Row]) -> list[Row]:
        return [*rows, {**{k: "" for k in rows[0]}, "code": "deploy_probe",
                        "label_da": "Prøvekompetence", "label_en": "Probe skill",
                        "kind": "skill"}]

    rewrite("occupations.csv", rename)
    rewrite("skills.csv", add_skill)
    return folder


def test_a_catalogue_change_reaches_the_other_instance_within_one_request(
        deployment: Deployment, tmp_path: Path) -> None:
    a, b = deployment.ports
    call = api_match(proxy=PROXY_HEADERS)
    # Both instances have built their index and counted the catalogue before the change.
    before = {port: (_occupation_title(port, call), _skills_count(port)) for port in (a, b)}
    assert before[a] == before[b] and before[a][0] == "Lagermedarbejder"

    marker = secrets.token_hex(4)
    deployment.flask("catalog", "load", str(_changed_catalogue(tmp_path / "changed", marker)))
    # The very next request to each instance sees the change: no restart, no waiting.
    # (The later tests run on this catalogue: their checks do not depend on the change.)
    for port in (b, a):
        assert _occupation_title(port, call) == f"Lagermedarbejder {marker}"
        assert _skills_count(port) == before[port][1] + 1


def test_a_citizens_form_from_one_instance_is_answered_by_the_other(
        deployment: Deployment) -> None:
    """One SECRET_KEY and the public Host on every instance: no sticky sessions needed."""
    a, b = deployment.ports
    headers, token = citizen_journey(a, proxy=PROXY_HEADERS)
    results = send(b, "GET", "/resultater", b"", headers)
    assert results.status == 200 and RESULTS_TEXT in results.body  # the answers, read on b
    form = urlencode({"csrf_token": token, "action": "update", "max_distance_km": "50"}).encode()
    posted = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    answer = send(b, "POST", "/resultater", form, posted)
    assert answer.status == 303 and answer.headers["location"].endswith("/resultater")
    # The proxy must pass the public Host on: with the instance's own address as Host, the
    # browser's Referer (the public name) is another site to the CSRF check.
    refused = send(b, "POST", "/resultater", form, {**posted, "Host": f"127.0.0.1:{b}"})
    assert refused.status == 400 and "<h1>Siden var udløbet</h1>" in refused.body


def test_login_limits_are_counted_across_instances(deployment: Deployment) -> None:
    """RATELIMIT_STORAGE_URI=redis://: 30 tries per minute in all, not per process."""
    a, b = deployment.ports
    allowed = int(str(DEFAULTS["LOGIN_RATE_LIMIT"]).split()[0])
    # One client address of its own (TEST-NET-2), so no other test's requests count.
    proxy = {**PROXY_HEADERS, "X-Forwarded-For": "198.51.100.23"}
    page = send(a, "GET", "/log-ind", headers=proxy)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.body)
    assert page.status == 200 and token
    cookie = page.headers["set-cookie"].split(";")[0]
    body = urlencode({"csrf_token": token.group(1), "email": "ingen@example.org",
                      "password": "forkert-adgangskode"}).encode()

    def attempt(port: int) -> int:
        headers = {**proxy, "Cookie": cookie, "Referer": f"https://{PUBLIC_HOST}/log-ind",
                   "Content-Type": "application/x-www-form-urlencoded"}
        answer = send(port, "POST", "/log-ind", body, headers)
        assert answer.status in (400, 429), answer.body[-2000:]
        return answer.status

    started = time.monotonic()
    statuses = [attempt((a, b)[n % 2]) for n in range(allowed)]
    assert statuses == [400] * allowed  # wrong password, counted, on both instances
    assert (attempt(a), attempt(b)) == (429, 429)
    assert time.monotonic() - started < 60, "the tries spanned more than the limit's minute"


def test_a_minute_of_load_on_both_instances_has_no_error(deployment: Deployment) -> None:
    a, b = deployment.ports
    calls = [citizen_results(a, proxy=PROXY_HEADERS), api_match(proxy=PROXY_HEADERS)]
    report = run_load([a, b], calls, seconds=LOAD_SECONDS, concurrency=LOAD_CONCURRENCY)
    summary = _report("two instances", report)
    assert report.errors == 0, summary
    assert report.retried == 0, summary  # nobody was down: not one connection error
    assert report.by_port[a] > 0 and report.by_port[b] > 0, summary
    assert report.by_call["citizen_results"] > 0 and report.by_call["api_match"] > 0, summary


def test_sigkill_of_one_instance_during_load_loses_no_request(deployment: Deployment) -> None:
    """Master and workers killed at once, mid-request; every request is answered by the other."""
    first, second = deployment.instances
    calls = [citizen_results(first.port, proxy=PROXY_HEADERS), api_match(proxy=PROXY_HEADERS)]
    killed_at: list[float] = []

    def kill() -> None:
        kill_group(first.process, signal.SIGKILL)
        killed_at.append(time.monotonic())

    report = run_load(deployment.ports, calls, seconds=KILL_SECONDS,
                      concurrency=LOAD_CONCURRENCY, event=(KILL_SECONDS / 3, kill))
    summary = _report("SIGKILL of one instance", report)
    assert killed_at and first.process.wait(timeout=10) == -signal.SIGKILL
    assert report.errors == 0, summary
    # The kill met traffic: requests failed on the dead instance and were sent to the other.
    assert report.retried > 0, summary
    assert report.by_port[first.port] > 0 and report.by_port[second.port] > 0, summary
    assert send(second.port, "GET", "/healthz").status == 200
