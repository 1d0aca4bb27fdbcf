"""The persona checker on hand-made results: every expect field and global rule, held and broken.

No database: `make eval` runs the personas themselves; these tests make sure a broken
checker cannot make a bad result look good (or the reverse).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from tests.personas import evaluate as ev

TODAY = date(2027, 1, 11)

FACTS = ev.Facts(
    level_rank={"grundskole": 1, "gymnasial": 3, "eud": 4, "akademi": 5, "kvu": 6, "bachelor": 8},
    occupation_level={"lager": "grundskole", "truck": "grundskole", "kok": "eud", "smed": "eud",
                      "koekken": "grundskole", "analytiker": "bachelor", "flytte": "grundskole",
                      "ukendt": ""},
    course_kind={"amu1": "amu", "amu2": "amu", "ikv1": "ikv", "euv1": "euv", "eud1": "eud",
                 "vl1": "voksenlaerling"},
    course_title={"amu1": "Gaffeltruck", "amu2": "Gaffeltruck", "ikv1": "IKV: Køkken",
                  "euv1": "EUV: Kok", "eud1": "EUD: Kok", "vl1": "Voksenlærling: Kok"},
)


def occupation(code: str, proximity: float = 0.5) -> dict[str, Any]:
    return {"code": code, "title": code, "shortage": "mangel", "proximity": proximity, "score": 50}


def course(code: str, start: str = "2027-03-01", **funding: Any) -> dict[str, Any]:
    return {"code": code, "title": FACTS.course_title[code], "kind": FACTS.course_kind[code],
            "session": {"code": "s", "start": start, "end": start, "postcode": "7400"},
            "funding": [{"scheme": s, "eligible": e, "reasons": []} for s, e in funding.items()]}


def step(code: str, start: str = "2027-03-01", **funding: Any) -> dict[str, Any]:
    return {"course": code, "session": "s", "start": start, "end": start,
            "funding": [{"scheme": s, "eligible": e, "reasons": []} for s, e in funding.items()]}


def route(target: str, code: str, start: str = "2027-03-01", **funding: Any) -> dict[str, Any]:
    return {"target": target, "course": code, "kind": FACTS.course_kind[code],
            "session": {"code": "s", "start": start, "end": start, "postcode": "7400"},
            "funding": [{"scheme": s, "eligible": e, "reasons": []} for s, e in funding.items()]}


def result(occupations: list[str] | None = None, **keys: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"today": TODAY.isoformat(), "area": "VESTJ", "period": "2026H2",
                            "occupations": [occupation(c) for c in occupations or []],
                            "courses": [], "paths": [], "asked": [], "routes": [], "notices": []}
    base.update(keys)
    return base


PROFILE: dict[str, Any] = {"status": "unemployed", "age": 34, "education_level": "grundskole"}


# --- expect fields ------------------------------------------------------------------------


def test_top5_any() -> None:
    listed = result(["a", "b", "c", "d", "e", "lager"])
    assert ev.check_top5_any(["e", "x"], listed, FACTS) == []
    assert ev.check_top5_any(["lager"], listed, FACTS)  # sixth is not among the first 5


def test_top5_none() -> None:
    listed = result(["a", "b", "c", "d", "e", "flytte"])
    assert ev.check_top5_none(["flytte"], listed, FACTS) == []
    assert ev.check_top5_none(["c"], listed, FACTS)


def test_top10_none() -> None:
    listed = result([f"o{i}" for i in range(10)] + ["flytte"])
    assert ev.check_top10_none(["flytte"], listed, FACTS) == []
    assert ev.check_top10_none(["o9"], listed, FACTS)


def test_asked() -> None:
    listed = result(asked=[{"code": "kok", "status": "needs_route"}])
    assert ev.check_asked({"kok": ["needs_route", "open"]}, listed, FACTS) == []
    assert ev.check_asked({"kok": ["open"]}, listed, FACTS)
    assert ev.check_asked({"smed": ["open"]}, listed, FACTS)  # not answered at all


def test_asked_missing_from_the_result_is_a_failure_with_a_reason() -> None:
    listed = result()
    del listed["asked"]
    assert "no `asked`" in ev.check_asked({"kok": ["open"]}, listed, FACTS)[0]


def test_route_for_any() -> None:
    listed = result(routes=[route("kok", "euv1")])
    assert ev.check_route_for_any(["smed", "kok"], listed, FACTS) == []
    assert ev.check_route_for_any(["smed"], listed, FACTS)
    del listed["routes"]
    assert "no `routes`" in ev.check_route_for_any(["kok"], listed, FACTS)[0]


def test_route_kinds_none() -> None:
    listed = result(routes=[route("kok", "eud1")])
    assert ev.check_route_kinds_none(["euv", "voksenlaerling"], listed, FACTS) == []
    assert ev.check_route_kinds_none(["eud"], listed, FACTS)
    no_kind = result(routes=[{"target": "kok", "course": "vl1"}])  # kind read from the catalogue
    assert ev.check_route_kinds_none(["voksenlaerling"], no_kind, FACTS)


def test_route_funding_reads_the_first_route_to_the_target() -> None:
    listed = result(routes=[route("kok", "euv1", voksenlaerling=False),
                            route("kok", "vl1", voksenlaerling=True)])
    wanted = {"target": "kok", "scheme": "voksenlaerling", "eligible_in": [False]}
    assert ev.check_route_funding(wanted, listed, FACTS) == []
    assert ev.check_route_funding({**wanted, "eligible_in": [True]}, listed, FACTS)
    assert ev.check_route_funding({**wanted, "target": "smed"}, listed, FACTS)  # no route
    assert ev.check_route_funding({**wanted, "scheme": "veu"}, listed, FACTS)  # no answer


def test_route_funding_keeps_true_and_maybe_apart() -> None:
    listed = result(routes=[route("kok", "euv1", uddannelsesloeft="maybe")])
    wanted = {"target": "kok", "scheme": "uddannelsesloeft", "eligible_in": [True]}
    assert ev.check_route_funding(wanted, listed, FACTS)
    assert ev.check_route_funding({**wanted, "eligible_in": ["maybe"]}, listed, FACTS) == []


def test_courses_funding_never_covers_courses_and_path_steps() -> None:
    clean = result(courses=[course("amu1", seks_uger=False)],
                   paths=[{"target": "lager", "steps": [step("amu2", seks_uger="maybe")]}])
    assert ev.check_courses_funding_never({"seks_uger": True}, clean, FACTS) == []
    in_course = result(courses=[course("amu1", seks_uger=True)])
    assert ev.check_courses_funding_never({"seks_uger": True}, in_course, FACTS)
    in_step = result(paths=[{"target": "lager", "steps": [step("amu2", seks_uger=True)]}])
    assert ev.check_courses_funding_never({"seks_uger": True}, in_step, FACTS)
    one = result(courses=[course("amu1", seks_uger=1)])  # 1 is not True
    assert ev.check_courses_funding_never({"seks_uger": True}, one, FACTS) == []


def test_courses_kind_none_covers_courses_and_path_steps() -> None:
    clean = result(courses=[course("amu1")], paths=[{"target": "kok", "steps": [step("eud1")]}])
    assert ev.check_courses_kind_none(["euv", "voksenlaerling"], clean, FACTS) == []
    assert ev.check_courses_kind_none(["amu"], clean, FACTS)
    assert ev.check_courses_kind_none(["eud"], clean, FACTS)  # the kind of a step comes from the catalogue


def test_notices_any() -> None:
    listed = result(notices=[{"kind": "outside_home_area", "text": "..."}])
    assert ev.check_notices_any(["outside_home_area", "x"], listed, FACTS) == []
    assert ev.check_notices_any(["too_little_information"], listed, FACTS)
    del listed["notices"]
    assert "no `notices`" in ev.check_notices_any(["outside_home_area"], listed, FACTS)[0]


def test_invalid() -> None:
    assert ev.check_invalid(["benefit", "age"], ["age"]) == []
    assert ev.check_invalid(["benefit"], ["postcode"])  # refused, but on another field
    assert ev.check_invalid(["benefit"], None)  # accepted


@pytest.mark.parametrize(("raw", "name"), [
    ("occupations[0].code", "occupations"), ("interests[2]", "interests"), ("age", "age"), ("", ""),
])
def test_field_name(raw: str, name: str) -> None:
    assert ev.field_name(raw) == name


# --- global rules -------------------------------------------------------------------------


def test_g1_up_not_down() -> None:
    cook = {**PROFILE, "occupations": [{"code": "kok", "years": 10}]}
    up = result(paths=[{"target": "smed", "steps": []}, {"target": "ukendt", "steps": []}])
    assert ev.check_g1_up_not_down(up, cook, FACTS) == []
    down = result(paths=[{"target": "koekken", "steps": []}])
    assert ev.check_g1_up_not_down(down, cook, FACTS)
    assert ev.check_g1_up_not_down(down, {**cook, "interests": ["koekken"]}, FACTS) == []


def test_g2_assessments() -> None:
    good = result(paths=[{"target": "kok", "steps": [step("ikv1"), step("euv1")]},
                         {"target": "lager", "steps": [step("amu1")]}])
    assert ev.check_g2_assessments(good, PROFILE, FACTS) == []
    only = result(paths=[{"target": "kok", "steps": [step("ikv1")]}])
    assert ev.check_g2_assessments(only, PROFILE, FACTS)
    not_followed = result(paths=[{"target": "kok", "steps": [step("euv1"), step("ikv1")]}])
    assert ev.check_g2_assessments(not_followed, PROFILE, FACTS)
    with_amu = result(paths=[{"target": "kok", "steps": [step("ikv1"), step("amu1")]}])
    assert ev.check_g2_assessments(with_amu, PROFILE, FACTS)


def test_g3_fit_floor() -> None:
    listed = result(occupations=[], routes=[route("kok", "euv1")])
    listed["occupations"] = [occupation("lager", 0.4), occupation("kok", 0.0)]
    assert ev.check_g3_fit_floor(listed, PROFILE, FACTS) == []  # kok has a route
    listed["occupations"].append(occupation("flytte", 0))
    assert ev.check_g3_fit_floor(listed, PROFILE, FACTS)
    assert ev.check_g3_fit_floor(listed, {**PROFILE, "interests": ["flytte"]}, FACTS) == []
    del listed["routes"]
    assert "no `routes`" in ev.check_g3_fit_floor(listed, {**PROFILE, "interests": ["flytte"]}, FACTS)[0]


def test_g4_once() -> None:
    once = result(courses=[course("amu1"), course("ikv1"), course("euv1")])
    assert ev.check_g4_once(once, PROFILE, FACTS) == []
    twice = result(courses=[course("amu1"), course("ikv1"), course("amu2")])
    assert ev.check_g4_once(twice, PROFILE, FACTS)
    others = [dict(course("euv1"), code=f"x{i}", title=f"t{i}") for i in range(9)]
    beyond = result(courses=[course("amu1"), *others, course("amu2")])
    assert ev.check_g4_once(beyond, PROFILE, FACTS) == []  # the 11th does not count


def test_g5_bookable_looks_at_courses_paths_and_routes() -> None:
    assert ev.check_g5_bookable(result(courses=[course("amu1", "2027-01-25")]), PROFILE, FACTS,
                                TODAY) == []  # exactly 14 days
    assert ev.check_g5_bookable(result(courses=[course("amu1", "2027-01-24")]), PROFILE, FACTS, TODAY)
    late_step = result(paths=[{"target": "kok", "steps": [step("amu1", "2027-01-20")]}])
    assert ev.check_g5_bookable(late_step, PROFILE, FACTS, TODAY)
    late_route = result(routes=[route("kok", "euv1", "2027-01-12")])
    assert ev.check_g5_bookable(late_route, PROFILE, FACTS, TODAY)
    no_session = result(courses=[dict(course("amu1"), session=None)])
    assert ev.check_g5_bookable(no_session, PROFILE, FACTS, TODAY) == []


def test_g6_level() -> None:
    graduate = {**PROFILE, "education_level": "bachelor"}
    listed = result(["analytiker", "kok", "smed", "a", "b", "lager"])
    assert ev.check_g6_level(listed, graduate, FACTS) == []  # lager is sixth
    low = result(["analytiker", "flytte"])
    assert ev.check_g6_level(low, graduate, FACTS)
    assert ev.check_g6_level(low, {**graduate, "interests": ["flytte"]}, FACTS) == []
    assert ev.check_g6_level(low, {**graduate, "occupations": [{"code": "flytte", "years": 2}]},
                             FACTS) == []
    assert ev.check_g6_level(low, {**graduate, "education_level": "eud"}, FACTS) == []


# --- a whole persona ----------------------------------------------------------------------


def persona(expect: dict[str, Any], profile: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"id": "p", "story": "", "today": TODAY.isoformat(), "profile": profile or PROFILE,
            "expect": expect}


def test_judge_holds_and_fails() -> None:
    good = result(["lager", "truck"], routes=[route("kok", "euv1", "2027-03-01")])
    assert ev.judge(persona({"top5_any": ["lager"], "route_for_any": ["kok"]}), good, FACTS) == []
    reasons = ev.judge(persona({"top5_any": ["smed"], "notices_any": ["outside_home_area"]}), good,
                       FACTS)
    assert [r.split(":")[0] for r in reasons] == ["top5_any", "notices_any"]


def test_judge_applies_the_global_rules_without_expect_fields() -> None:
    early = result(["lager"], courses=[course("amu1", "2027-01-12")])
    assert ev.judge(persona({}), early, FACTS)[0].startswith("G5")


def test_judge_on_refused_profiles() -> None:
    assert ev.judge(persona({"invalid": ["age"]}), ["age"], FACTS) == []
    assert ev.judge(persona({"invalid": ["age"]}), result(["lager"]), FACTS)
    assert ev.judge(persona({"top5_any": ["lager"]}), ["postcode"], FACTS) == [
        "profile refused on postcode"]


def test_judge_reports_unknown_expect_fields() -> None:
    assert ev.judge(persona({"top3_any": ["lager"]}), result(["lager"]), FACTS) == [
        "unknown expect field top3_any"]


def test_verdict_lines() -> None:
    assert ev.Verdict("mette").line() == "HOLD  mette"
    assert ev.Verdict("mette", ["a", "b"]).line() == "FAIL  mette: a; b"


def test_the_persona_files_are_well_formed() -> None:
    personas = ev.load_personas()
    assert len(personas) >= 34
    for item in personas:
        assert set(item) == {"id", "story", "today", "profile", "expect"}, item["id"]
        assert "\n" not in item["story"]
        date.fromisoformat(item["today"])
        assert set(item["expect"]) <= set(ev.EXPECT_FIELDS), item["id"]


def test_both_persona_files_are_read() -> None:
    given, herning = (json.loads(path.read_text(encoding="utf-8")) for path in ev.PERSONA_FILES)
    assert {p["id"] for p in given} >= {"mette-lager", "minimal", "roenne-lager"}
    assert len(herning) >= 22


def test_the_bundled_catalogue_facts() -> None:
    facts = ev.load_facts()
    assert facts.rank("akademi") == 5 and facts.rank("grundskole") == 1
    assert facts.occupation_level["lagermedarbejder"] == "grundskole"
    assert facts.course_kind["demo_ikv_0001"] == "ikv"
