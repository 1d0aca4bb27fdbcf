"""`make bench`: engine speed on seeded synthetic catalogues, printed and saved as JSON.

Ratios are measured within the same run (oracle vs engine), so they hold on a noisy machine;
absolute times are medians over repeated runs.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import esco_import, http_results, load  # noqa: E402
from bench.synthetic import TODAY, synthetic_profiles, synthetic_snapshot  # noqa: E402
from matcher.engine.index import build_index  # noqa: E402
from matcher.engine.lookup import build_lookup, suggest  # noqa: E402
from matcher.engine.match import match  # noqa: E402
from matcher.engine.model import Profile, Snapshot  # noqa: E402
from tests.engine.oracle import oracle_rank  # noqa: E402

T = TypeVar("T")
BUDGETS = {"rank_p50_ms_10k": 5.0, "rank_p50_ms_100k": 25.0, "oracle_ratio_100k": 20.0,
           "index_build_s_100k": 3.0, "index_rss_mb_100k": 300.0, "suggest_p95_ms_30k": 5.0,
           "results_page_ratio": 0.15, "results_page_p95_ms": 100.0, "errors": 0,
           "course_search_p95_ms_10k": 50.0,
           "load_errors": 0, "esco_import_s": 120.0, "esco_import_errors": 0}
AT_LEAST = ("oracle_ratio_100k", "results_page_ratio")


def _times_ms(function: Callable[[T], object], arguments: list[T]) -> list[float]:
    found = []
    for argument in arguments:
        started = time.perf_counter()
        function(argument)
        found.append((time.perf_counter() - started) * 1000)
    return found


def rank_p50(courses: int, profiles: int) -> tuple[float, Snapshot, list[Profile]]:
    snapshot = synthetic_snapshot(courses)
    index = build_index(snapshot)
    people = synthetic_profiles(snapshot, profiles)
    match(people[0], index, today=TODAY)  # warm up
    times = _times_ms(lambda p: match(p, index, today=TODAY), people)
    return statistics.median(times), snapshot, people


def oracle_ratio(snapshot: Snapshot, people: list[Profile]) -> dict[str, float]:
    """The reference oracle's time over the engine's, same profiles, same run."""
    index = build_index(snapshot)
    oracle = statistics.median(_times_ms(lambda p: oracle_rank(snapshot, p, TODAY), people))
    engine = statistics.median(_times_ms(lambda p: match(p, index, today=TODAY), people))
    return {"oracle_ms_100k": oracle, "oracle_ratio_100k": oracle / engine}


def index_build(courses: int) -> dict[str, float]:
    """Build time and the resident memory the index adds, measured in a fresh process."""
    code = (
        "import json, resource, time, gc, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench.synthetic import synthetic_snapshot\n"
        "from matcher.engine.index import build_index\n"
        f"snapshot = synthetic_snapshot({courses}); gc.collect()\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20\n"
        "before = rss(); started = time.perf_counter()\n"
        "index = build_index(snapshot)\n"
        "elapsed = time.perf_counter() - started; gc.collect()\n"
        "print(json.dumps({'s': elapsed, 'mb': rss() - before}))\n")
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], check=True,
                                      capture_output=True, text=True).stdout) for _ in range(3)]
    return {"index_build_s_100k": statistics.median(r["s"] for r in runs),
            "index_rss_mb_100k": statistics.median(r["mb"] for r in runs)}


def suggest_p95(labels: int) -> float:
    # Each synthetic skill has four labels (Danish, English and an alias in each).
    snapshot = synthetic_snapshot(0, skills=labels // 4, occupations=0)
    lookup = build_lookup(snapshot.occupations, snapshot.skills)
    assert sum(len(k.entries) for k in lookup.kinds.values()) == labels
    queries = ["kompetense 12", "skil 404", "alias 77", "kompetence 7001", "skill 3 ",
               "kompetence", "alias en 9", "xyz", "komp 1", "skill 9999"] * 10
    times = _times_ms(lambda q: suggest(lookup, q, limit=10), queries)  # type: ignore[arg-type]
    return statistics.quantiles(times, n=20)[18]


def _within(key: str, value: object, limit: float) -> bool | None:
    """None when the figure was not measured (load_skipped, for one, says why)."""
    if not isinstance(value, int | float):
        return None
    return value >= limit if key in AT_LEAST else value <= limit


def main() -> int:
    results: dict[str, float | int | str | None] = {}
    results["rank_p50_ms_10k"] = rank_p50(10_000, 30)[0]
    p50, snapshot, people = rank_p50(100_000, 15)
    results["rank_p50_ms_100k"] = p50
    results.update(oracle_ratio(snapshot, people[:3]))
    del snapshot, people
    gc.collect()
    results.update(index_build(100_000))
    results["suggest_p95_ms_30k"] = suggest_p95(30_000)
    results.update(http_results.run())
    results.update(load.run())  # 20 clients for 10 s, both routes; tests/deploy/ does 60 s
    results.update(esco_import.run())  # the real ESCO download while gunicorn answers matches
    results["cpu_count"] = os.cpu_count()
    results["peak_rss_mb_bench"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    within = {key: _within(key, results[key], limit) for key, limit in BUDGETS.items()}
    report = {**{k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()},
              "budgets": BUDGETS, "within_budget": within}
    text = json.dumps(report, indent=2)
    (ROOT / "bench" / "results.json").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
