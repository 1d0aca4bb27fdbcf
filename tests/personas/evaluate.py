"""`make eval`: judged personas through the same code as `flask --app wsgi match`.

Every persona in given.json and herning.json (format: /work/shared/personas/README.md) is
matched against the bundled catalogue, loaded into a temporary SQLite database through
the real migrations and loader, with the persona's `today` and limit 10. Its `expect`
fields and the global rules G1-G6 are then checked on the JSON result.

    .venv/bin/python -m tests.personas.evaluate [--only ID] [--verbose]

One line per persona (`HOLD  id` or `FAIL  id: reason; reason`), then
`advice: N/M personas hold`; the exit code is 0 only when every persona holds.

The checks are plain functions over the result dict and a few catalogue facts, so
tests/personas/test_evaluate.py can try them on hand-made results without a database.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CATALOG = ROOT / "course_catalog"
PERSONA_FILES = (HERE / "given.json", HERE / "herning.json")
LIMIT = 10
LEAD_DAYS = 14  # G5: a listed session starts at least this long after today
ROUTE_KINDS = frozenset({"euv", "eud", "voksenlaerling"})
ASSESSMENT_KINDS = frozenset({"ikv"})
EXPECT_FIELDS = ("invalid", "top5_any", "top5_none", "top10_none", "asked", "route_for_any",
                 "route_kinds_none", "route_funding", "courses_funding_never",
                 "courses_kind_none", "notices_any")


# --- catalogue facts the rules need -------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the global rules read from the catalogue: levels, occupations' levels, courses."""

    level_rank: Mapping[str, int]
    occupation_level: Mapping[str, str]  # occupation code -> min_education_level ('' unknown)
    course_kind: Mapping[str, str]
    course_title: Mapping[str, str]  # Danish title

    def occupation_rank(self, code: str) -> int | None:
        return self.level_rank.get(self.occupation_level.get(code, ""))

    def rank(self, level: str | None) -> int | None:
        return self.level_rank.get(level or "")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_facts(folder: Path = CATALOG) -> Facts:
    return Facts(
        level_rank={r["code"]: int(r["rank"]) for r in _rows(folder / "education_levels.csv")},
        occupation_level={r["code"]: (r.get("min_education_level") or "")
                          for r in _rows(folder / "occupations.csv")},
        course_kind={r["code"]: r["kind"] for r in _rows(folder / "courses.csv")},
        course_title={r["code"]: r["title_da"] for r in _rows(folder / "courses.csv")},
    )


# --- small helpers over the result --------------------------------------------------------


def _codes(items: Iterable[Mapping[str, Any]], key: str = "code") -> list[str]:
    return [str(item.get(key)) for item in items if isinstance(item, Mapping)]


def _occupation_codes(result: Mapping[str, Any], first: int) -> list[str]:
    return _codes(result.get("occupations") or [])[:first]


def _missing(result: Mapping[str, Any], key: str) -> str | None:
    """A reason when the result has no list under key (not implemented yet), else None."""
    if not isinstance(result.get(key), list):
        return f"result has no `{key}` list (not implemented?)"
    return None


def _same(value: object, wanted: object) -> bool:
    """Equality that keeps True, 1 and "maybe" apart (funding `eligible` values)."""
    return type(value) is type(wanted) and value == wanted


def _kind(item: Mapping[str, Any], facts: Facts, course_key: str = "course") -> str | None:
    kind = item.get("kind")
    if isinstance(kind, str):
        return kind
    return facts.course_kind.get(str(item.get(course_key)))


def _shown(codes: Iterable[str]) -> str:
    return ", ".join(codes) or "none"


def field_name(error_field: str) -> str:
    """`occupations[0].code` -> `occupations`: the profile key an error is about."""
    found = re.match(r"[A-Za-z_]+", error_field or "")
    return found.group(0) if found else ""


# --- expect fields ------------------------------------------------------------------------


def check_top5_any(wanted: Sequence[str], result: Mapping[str, Any], facts: Facts) -> list[str]:
    top = _occupation_codes(result, 5)
    if set(wanted) & set(top):
        return []
    return [f"top5_any: none of {_shown(wanted)} in the first 5 ({_shown(top)})"]


def check_top5_none(banned: Sequence[str], result: Mapping[str, Any], facts: Facts) -> list[str]:
    found = [c for c in _occupation_codes(result, 5) if c in set(banned)]
    return [f"top5_none: {_shown(found)} in the first 5"] if found else []


def check_top10_none(banned: Sequence[str], result: Mapping[str, Any], facts: Facts) -> list[str]:
    found = [c for c in _occupation_codes(result, 10) if c in set(banned)]
    return [f"top10_none: {_shown(found)} in the first 10"] if found else []


def check_asked(wanted: Mapping[str, Sequence[str]], result: Mapping[str, Any],
                facts: Facts) -> list[str]:
    missing = _missing(result, "asked")
    if missing:
        return [f"asked: {missing}"]
    answers = {str(a.get("code")): a.get("status") for a in result["asked"]
               if isinstance(a, Mapping)}
    reasons = []
    for code, statuses in wanted.items():
        if code not in answers:
            reasons.append(f"asked: no answer for {code}")
        elif answers[code] not in statuses:
            reasons.append(f"asked: {code} is {answers[code]}, expected {'/'.join(statuses)}")
    return reasons


def check_route_for_any(wanted: Sequence[str], result: Mapping[str, Any],
                        facts: Facts) -> list[str]:
    missing = _missing(result, "routes")
    if missing:
        return [f"route_for_any: {missing}"]
    targets = _codes(result["routes"], "target")
    if set(wanted) & set(targets):
        return []
    return [f"route_for_any: no route to {_shown(wanted)} (routes to {_shown(dict.fromkeys(targets))})"]


def check_route_kinds_none(banned: Sequence[str], result: Mapping[str, Any],
                           facts: Facts) -> list[str]:
    missing = _missing(result, "routes")
    if missing:
        return [f"route_kinds_none: {missing}"]
    found = [f"{r.get('course')} ({_kind(r, facts)})" for r in result["routes"]
             if isinstance(r, Mapping) and _kind(r, facts) in set(banned)]
    return [f"route_kinds_none: routes of a banned kind: {_shown(found)}"] if found else []


def check_route_funding(wanted: Mapping[str, Any], result: Mapping[str, Any],
                        facts: Facts) -> list[str]:
    missing = _missing(result, "routes")
    if missing:
        return [f"route_funding: {missing}"]
    target, scheme = wanted["target"], wanted["scheme"]
    route = next((r for r in result["routes"] if isinstance(r, Mapping)
                  and r.get("target") == target), None)
    if route is None:
        return [f"route_funding: no route to {target}"]
    funding = next((f for f in route.get("funding") or [] if f.get("scheme") == scheme), None)
    if funding is None:
        return [f"route_funding: the route to {target} ({route.get('course')}) has no {scheme} answer"]
    if any(_same(funding.get("eligible"), allowed) for allowed in wanted["eligible_in"]):
        return []
    return [f"route_funding: {scheme} on the route to {target} is {funding.get('eligible')!r}, "
            f"expected one of {wanted['eligible_in']!r}"]


def _listed_courses(result: Mapping[str, Any]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    """(label, item) for every listed course and every path step."""
    for course in result.get("courses") or []:
        yield f"course {course.get('code')}", course
    for path in result.get("paths") or []:
        for step in path.get("steps") or []:
            yield f"step {step.get('course')} (path to {path.get('target')})", step


def check_courses_funding_never(banned: Mapping[str, Any], result: Mapping[str, Any],
                                facts: Facts) -> list[str]:
    found = []
    for label, item in _listed_courses(result):
        for funding in item.get("funding") or []:
            scheme = funding.get("scheme")
            if scheme in banned and _same(funding.get("eligible"), banned[scheme]):
                found.append(f"{label} {scheme}={funding.get('eligible')!r}")
    return [f"courses_funding_never: {_shown(found[:3])}"] if found else []


def check_courses_kind_none(banned: Sequence[str], result: Mapping[str, Any],
                            facts: Facts) -> list[str]:
    found = []
    for label, item in _listed_courses(result):
        kind = _kind(item, facts, "code" if label.startswith("course") else "course")
        if kind in set(banned):
            found.append(f"{label} ({kind})")
    return [f"courses_kind_none: {_shown(found[:3])}"] if found else []


def check_notices_any(wanted: Sequence[str], result: Mapping[str, Any], facts: Facts) -> list[str]:
    missing = _missing(result, "notices")
    if missing:
        return [f"notices_any: {missing}"]
    kinds = _codes(result["notices"], "kind")
    if set(wanted) & set(kinds):
        return []
    return [f"notices_any: none of {_shown(wanted)} (notices: {_shown(kinds)})"]


Check = Callable[[Any, Mapping[str, Any], Facts], list[str]]

CHECKS: dict[str, Check] = {
    "top5_any": check_top5_any,
    "top5_none": check_top5_none,
    "top10_none": check_top10_none,
    "asked": check_asked,
    "route_for_any": check_route_for_any,
    "route_kinds_none": check_route_kinds_none,
    "route_funding": check_route_funding,
    "courses_funding_never": check_courses_funding_never,
    "courses_kind_none": check_courses_kind_none,
    "notices_any": check_notices_any,
}


def check_invalid(fields: Sequence[str], refused: Sequence[str] | None) -> list[str]:
    """refused: the profile keys the validator named, or None when the profile was accepted."""
    if refused is None:
        return [f"invalid: the profile was accepted, expected an error on {_shown(fields)}"]
    if set(fields) & set(refused):
        return []
    return [f"invalid: refused on {_shown(refused)}, expected one of {_shown(fields)}"]


# --- global rules -------------------------------------------------------------------------


def _held(profile: Mapping[str, Any]) -> list[str]:
    return [str(job.get("code")) for job in profile.get("occupations") or []
            if isinstance(job, Mapping)]


def _interests(profile: Mapping[str, Any]) -> set[str]:
    return {str(code) for code in profile.get("interests") or []}


def check_g1_up_not_down(result: Mapping[str, Any], profile: Mapping[str, Any],
                         facts: Facts) -> list[str]:
    held = [r for r in (facts.occupation_rank(c) for c in _held(profile)) if r is not None]
    if not held:
        return []
    floor = max(held)
    down = [p.get("target") for p in result.get("paths") or []
            if p.get("target") not in _interests(profile)
            and (facts.occupation_rank(str(p.get("target"))) or floor) < floor]
    return [f"G1 up not down: path to {_shown(dict.fromkeys(down))} below the work held"] if down else []


def check_g2_assessments(result: Mapping[str, Any], profile: Mapping[str, Any],
                         facts: Facts) -> list[str]:
    reasons = []
    for path in result.get("paths") or []:
        kinds = [_kind(step, facts) for step in path.get("steps") or []]
        if not kinds:
            continue
        if all(kind in ASSESSMENT_KINDS for kind in kinds):
            reasons.append(f"G2 assessments: the path to {path.get('target')} is IKV only")
            continue
        for position, kind in enumerate(kinds):
            if kind in ASSESSMENT_KINDS and not ROUTE_KINDS & set(kinds[position + 1:]):
                reasons.append(f"G2 assessments: IKV in the path to {path.get('target')} "
                               "is not followed by an education")
                break
    return reasons


def check_g3_fit_floor(result: Mapping[str, Any], profile: Mapping[str, Any],
                       facts: Facts) -> list[str]:
    zero = [str(o.get("code")) for o in result.get("occupations") or []
            if isinstance(o.get("proximity"), int | float) and o["proximity"] <= 0
            and o.get("code") not in _interests(profile)]
    if not zero:
        return []
    routed = set(_codes(result.get("routes") or [], "target"))
    unrouted = [code for code in zero if code not in routed]
    if not unrouted:
        return []
    note = " (result has no `routes`)" if not isinstance(result.get("routes"), list) else ""
    return [f"G3 fit floor: proximity 0 without a route: {_shown(unrouted[:5])}{note}"]


def check_g4_once(result: Mapping[str, Any], profile: Mapping[str, Any], facts: Facts) -> list[str]:
    seen: dict[tuple[str | None, str], str] = {}
    twice = []
    for course in (result.get("courses") or [])[:LIMIT]:
        code = str(course.get("code"))
        key = (_kind(course, facts, "code"), facts.course_title.get(code) or str(course.get("title")))
        if key in seen:
            twice.append(f"{seen[key]}={code}")
        else:
            seen[key] = code
    return [f"G4 once: the same course twice: {_shown(twice[:3])}"] if twice else []


def _session_starts(result: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for course in result.get("courses") or []:
        session = course.get("session")
        if isinstance(session, Mapping) and session.get("start"):
            yield f"course {course.get('code')}", str(session["start"])
    for path in result.get("paths") or []:
        for step in path.get("steps") or []:
            if step.get("start"):
                yield f"step {step.get('course')}", str(step["start"])
    for route in result.get("routes") or []:
        session = route.get("session")
        if isinstance(session, Mapping) and session.get("start"):
            yield f"route {route.get('course')}", str(session["start"])


def check_g5_bookable(result: Mapping[str, Any], profile: Mapping[str, Any], facts: Facts,
                      today: date) -> list[str]:
    earliest = today + timedelta(days=LEAD_DAYS)
    early = [f"{label} {start}" for label, start in _session_starts(result)
             if date.fromisoformat(start[:10]) < earliest]
    if not early:
        return []
    return [f"G5 bookable: starts before {earliest}: {_shown(dict.fromkeys(early[:3]))}"]


def check_g6_level(result: Mapping[str, Any], profile: Mapping[str, Any], facts: Facts) -> list[str]:
    own = facts.rank(profile.get("education_level"))
    akademi, grundskole = facts.rank("akademi"), facts.rank("grundskole")
    if own is None or akademi is None or grundskole is None or own < akademi:
        return []
    allowed = set(_held(profile)) | _interests(profile)
    low = [c for c in _occupation_codes(result, 5)
           if c not in allowed and (facts.occupation_rank(c) or grundskole + 1) <= grundskole]
    return [f"G6 level: unskilled work in the first 5 for a graduate: {_shown(low)}"] if low else []


def check_global(result: Mapping[str, Any], profile: Mapping[str, Any], facts: Facts,
                 today: date) -> list[str]:
    return (check_g1_up_not_down(result, profile, facts)
            + check_g2_assessments(result, profile, facts)
            + check_g3_fit_floor(result, profile, facts)
            + check_g4_once(result, profile, facts)
            + check_g5_bookable(result, profile, facts, today)
            + check_g6_level(result, profile, facts))


def judge(persona: Mapping[str, Any], outcome: Mapping[str, Any] | Sequence[str] | None,
          facts: Facts) -> list[str]:
    """Reasons the persona does not hold (empty: it holds).

    outcome is the JSON result when the profile was accepted, or the list of refused
    profile keys when it was refused.
    """
    expect: Mapping[str, Any] = persona.get("expect") or {}
    unknown = [name for name in expect if name not in EXPECT_FIELDS]
    reasons = [f"unknown expect field {name}" for name in unknown]
    refused = outcome if isinstance(outcome, list | tuple) else None
    if "invalid" in expect:
        return reasons + check_invalid(expect["invalid"], refused)
    if refused is not None:
        return [*reasons, f"profile refused on {_shown(refused)}"]
    if not isinstance(outcome, Mapping):
        return [*reasons, "no result"]
    for name, check in CHECKS.items():
        if name in expect:
            reasons += check(expect[name], outcome, facts)
    today = date.fromisoformat(persona["today"])
    return reasons + check_global(outcome, persona["profile"], facts, today)


# --- running the personas -----------------------------------------------------------------


@dataclass
class Verdict:
    id: str
    reasons: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.reasons

    def line(self) -> str:
        return f"HOLD  {self.id}" if self.holds else f"FAIL  {self.id}: " + "; ".join(self.reasons)


def load_personas(files: Sequence[Path] = PERSONA_FILES) -> list[dict[str, Any]]:
    personas: list[dict[str, Any]] = []
    for path in files:
        personas += json.loads(path.read_text(encoding="utf-8"))
    ids = [p["id"] for p in personas]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise SystemExit(f"persona ids used twice: {', '.join(twice)}")
    return personas


class Matcher:
    """The bundled catalogue in a temporary SQLite database, matched as `flask match` does."""

    def __init__(self, folder: str) -> None:
        from matcher import create_app
        from matcher.data import migrate
        from matcher.data.catalog import load_catalog
        from matcher.data.db import get_session, make_engine

        url = "sqlite:///" + str(Path(folder) / "eval.db")
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        self.app = create_app({"TESTING": True, "DATABASE_URL": url,
                               "SECRET_KEY": "evaluate-personas-only"})
        with self.app.app_context():
            session = get_session()
            with session.begin():
                load_catalog(session, CATALOG)

    def run(self, profile: object, today: date) -> dict[str, Any] | list[str]:
        """The JSON result, or the refused profile keys."""
        from matcher.data.matching import check_profile, run_match
        from matcher.engine.profile import ProfileInvalid

        with self.app.app_context():
            try:
                check_profile(profile)
            except ProfileInvalid as invalid:
                return list(dict.fromkeys(field_name(e.field) for e in invalid.errors))
            return run_match(profile, today=today, limit=LIMIT)

    def close(self) -> None:
        self.app.extensions["db_engine"].dispose()


def describe(result: Mapping[str, Any] | Sequence[str]) -> list[str]:
    """A few lines about a result, for --verbose."""
    if not isinstance(result, Mapping):
        return [f"    refused on {_shown(result)}"]
    lines = ["    occupations: " + ", ".join(
        f"{o.get('code')}({o.get('shortage')},{o.get('proximity')})"
        for o in (result.get("occupations") or [])[:LIMIT])]
    if isinstance(result.get("asked"), list):
        lines.append("    asked: " + ", ".join(f"{a.get('code')}={a.get('status')}"
                                               for a in result["asked"]))
    if isinstance(result.get("routes"), list):
        lines.append("    routes: " + ", ".join(f"{r.get('target')}<-{r.get('course')}({r.get('kind')})"
                                                for r in result["routes"]))
    if isinstance(result.get("notices"), list):
        lines.append("    notices: " + _shown(_codes(result["notices"], "kind")))
    lines.append("    courses: " + ", ".join(f"{c.get('code')}({c.get('kind')})"
                                             for c in (result.get("courses") or [])[:LIMIT]))
    lines.append("    paths: " + ", ".join(
        f"{p.get('target')}[{' '.join(str(s.get('course')) for s in p.get('steps') or [])}]"
        for p in result.get("paths") or []))
    return lines


def evaluate(personas: Sequence[Mapping[str, Any]], *, verbose: bool = False) -> list[Verdict]:
    facts = load_facts()
    verdicts = []
    with tempfile.TemporaryDirectory(prefix="kompetenceloeft-eval-") as folder:
        try:
            matcher = Matcher(folder)
        except Exception as error:  # the app or catalogue is broken: every persona fails
            reason = f"cannot load the bundled catalogue: {error.__class__.__name__}: {error}"
            verdicts = [Verdict(p["id"], [reason]) for p in personas]
            for verdict in verdicts:
                print(verdict.line(), flush=True)
            return verdicts
        try:
            for persona in personas:
                verdict = Verdict(persona["id"])
                outcome: dict[str, Any] | list[str] | None = None
                try:
                    outcome = matcher.run(persona["profile"], date.fromisoformat(persona["today"]))
                except Exception as error:  # a crash is a failed persona, not a stopped run
                    verdict.reasons.append(f"the engine raised {error.__class__.__name__}: {error}")
                else:
                    verdict.reasons += judge(persona, outcome, facts)
                print(verdict.line(), flush=True)
                if verbose and outcome is not None:
                    for line in describe(outcome):
                        print(line)
                verdicts.append(verdict)
        finally:
            matcher.close()
    return verdicts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.personas.evaluate",
                                     description="Run the judged personas against the bundled catalogue.")
    parser.add_argument("--only", metavar="ID", action="append",
                        help="run only this persona (may be repeated)")
    parser.add_argument("--verbose", action="store_true", help="show what each result lists")
    args = parser.parse_args(argv)
    personas = load_personas()
    if args.only:
        unknown = sorted(set(args.only) - {p["id"] for p in personas})
        if unknown:
            parser.error(f"no persona with id {', '.join(unknown)}")
        personas = [p for p in personas if p["id"] in args.only]
    verdicts = evaluate(personas, verbose=args.verbose)
    held = sum(v.holds for v in verdicts)
    print(f"advice: {held}/{len(verdicts)} personas hold")
    return 0 if held == len(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
