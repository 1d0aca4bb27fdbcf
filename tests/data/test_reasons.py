"""Reason texts: every key the engine uses has a Danish template and an English translation,
and values are written as people write them in each language."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from matcher.data.reasons import (
    MESSAGES,
    TRANSLATIONS,
    date_range,
    half_year,
    placeholders,
    render,
)
from matcher.engine.model import Label, Reason, phrase, why
from tests.personas.evaluate import Matcher, load_personas

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "matcher" / "engine"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "reasons.po"
KEY = re.compile(r"[a-z_]+(\.[a-z_]+)+")  # "seks_uger.not_listed"; plain kinds go through why()


def keys_in(source: str) -> set[str]:
    """Message keys written in source: dotted literals, and the literal keys of why()/phrase()."""
    keys = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and KEY.fullmatch(node.value):
            keys.add(node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            position = {"why": 1, "phrase": 0}.get(node.func.id)
            if position is None:
                continue
            args = node.args[:position + 1]
            key = args[-1]  # why(kind) without a message: the kind is the key
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
    return keys


def engine_sources() -> Iterator[str]:
    for path in sorted(ENGINE.rglob("*.py")):
        yield path.read_text(encoding="utf-8")


def engine_strings() -> set[str]:
    return {node.value for source in engine_sources() for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def english_catalogue() -> dict[str, str]:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="en", domain="reasons")
    assert not catalog.obsolete
    return {str(m.id): str(m.string) for m in catalog if m.id and not m.fuzzy}


# --- the catalogue covers the engine ------------------------------------------------------


@pytest.mark.parametrize(("source", "expected"), [
    ('why("ready")', {"ready"}),
    ('why("pay", "pay.other")', {"pay.other"}),
    ('why(kind, "start.too_soon", start=day)', {"start.too_soon"}),
    ('why(kind, MESSAGES[kind])', set()),
    ('phrase("add.jobs")', {"add.jobs"}),
    ('no("seks_uger.not_listed")', {"seks_uger.not_listed"}),
    ('TABLE = {"full": "near_miss.full"}', {"near_miss.full"}),
    ('"""See design.md."""', set()),
])
def test_the_key_finder_itself(source: str, expected: set[str]) -> None:
    assert keys_in(source) == expected


def test_every_key_the_engine_uses_has_a_template() -> None:
    used = set().union(*(keys_in(source) for source in engine_sources()))
    assert len(used) > 50
    assert not used - MESSAGES.keys(), f"no template for {sorted(used - MESSAGES.keys())}"


def test_every_template_is_used_by_the_engine() -> None:
    unused = sorted(MESSAGES.keys() - engine_strings())
    assert not unused, f"templates nothing uses: {unused}"


def test_the_engine_writes_no_sentences() -> None:
    """No template text is written in the engine itself (it would bypass the catalogue)."""
    written = engine_strings() & set(MESSAGES.values())
    assert not written, f"written in the engine: {sorted(written)}"


def test_templates_are_distinct() -> None:
    # The Danish template is the msgid: two keys with one template would share a translation.
    assert len(set(MESSAGES.values())) == len(MESSAGES)


def test_pybabel_extracts_every_template(tmp_path: Path) -> None:
    pot = tmp_path / "reasons.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "--no-default-keywords", "-k", "N_", "--no-location", "-o", str(pot),
                    "matcher/data/reasons.py"], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        extracted = {str(m.id) for m in read_po(handle) if m.id}
    assert extracted == set(MESSAGES.values())


def test_every_template_has_an_english_translation_with_the_same_placeholders() -> None:
    english = english_catalogue()
    for key, template in MESSAGES.items():
        translation = english.get(template)
        assert translation, f"{key}: no English in {PO.name} (run `make messages`, translate)"
        assert placeholders(translation) == placeholders(template), key
        assert translation.count("%%") == template.count("%%"), key


# --- rendering ----------------------------------------------------------------------------

EXAMPLES = [
    (why("session", "session.distance", start=date(2026, 12, 4), km=12),
     "Næste hold starter 4. december 2026, 12 km fra dig.",
     "The next session starts 4 December 2026, 12 km from you."),
    (why("amu_fee", "amu_fee.fee", fee=1234),
     "Du betaler deltagerbetaling på 1.234 kr.",
     "You pay a participant fee of DKK 1,234."),
    (why("befordring", "befordring.granted", km=36,
         terms=phrase("befordring.rate", year="2027", rate=1.1, amount=12345)),
     "Befordringstilskud fra AUB til 36 km om dagen ud over de første 24 km. Sats 2027: "
     "1,10 kr./km, ca. 12.345 kr. i alt.",
     "A transport subsidy from AUB for 36 km a day beyond the first 24 km. Rate 2027: DKK "
     "1.10/km, about DKK 12,345 in all."),
    (why("uddannelsesloeft", "uddannelsesloeft.granted_listed", percent=110.0),
     "Du kan tage uddannelsen med 110 % af din dagpengesats, dog højst 110 % af den højeste "
     "sats, fordi den er på positivlisten. Jobcentret bevilger det efter en "
     "realkompetencevurdering.",
     "You can take the education on 110 % of your dagpenge rate, at most 110 % of the highest "
     "rate, because it is on the positive list. The job centre grants it after an assessment "
     "of your prior learning."),
    (why("linked", occupation=Label("smed", "welder")), "Målrettet smed.", "Aimed at welder."),
    (why("linked", occupation=Label("svejser")), "Målrettet svejser.", "Aimed at svejser."),
    (why("too_little_information",
         add=(phrase("add.jobs"), phrase("add.skills"), phrase("add.interests"))),
     "Vi ved for lidt om dig til at foreslå job, du er tæt på. Tilføj de job, du har haft, og "
     "hvor mange år, hvad du kan, og dine kørekort og certifikater og de job, du er nysgerrig "
     "på.",
     "We know too little about you to suggest jobs you are close to. Add the jobs you have "
     "had, and for how many years, what you can do, and your driving licences and certificates "
     "and the jobs you are curious about."),
    (why("no_route_now", needs=phrase("needs.authorisation"), why_not=phrase("near_miss.full")),
     "Jobbet kræver en bestemt uddannelse (autorisation). Der findes en vej dertil, men ikke en "
     "der passer lige nu: Holdet er fuldt booket.",
     "The job requires a specific education (an authorisation). There is a route, but none "
     "that fits just now: The session is fully booked."),
    (why("amu_fee", "amu_fee.via_job_centre", terms=phrase("amu_fee.ikv_free")),
     "IKV er gratis. Som ledig kan du ikke selv tilmelde dig: det sker gennem jobcentret.",
     "IKV is free of charge. As an unemployed person you cannot sign up yourself: the job "
     "centre does it."),
    (why("ready"), "Du har allerede det, jobbet kræver.", "You already have what the job requires."),
]


@pytest.mark.parametrize(("reason", "danish", "english"), EXAMPLES,
                         ids=[example[0].message for example in EXAMPLES])
def test_a_reason_reads_right_in_both_languages(reason: Reason, danish: str,
                                                english: str) -> None:
    assert render(reason, "da") == danish
    assert render(reason, "en") == english


def test_an_unknown_key_fails_loudly() -> None:
    with pytest.raises(KeyError, match="no_such_key"):
        render(why("no_such_key"), "da")
    with pytest.raises(KeyError, match=r"add\.nothing"):
        render(why("too_little_information", add=(phrase("add.nothing"),)), "en")


@pytest.mark.parametrize("values", [{}, {"start": date(2026, 12, 4), "km": 3}])
def test_missing_or_extra_values_fail_loudly(values: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"session\.start"):
        render(why("session", "session.start", **values), "da")


def reasons_in(result: object) -> Iterator[dict[str, Any]]:
    """Every reason object anywhere in a JSON result."""
    if isinstance(result, dict):
        if {"kind", "text", "text_da", "text_en"} <= result.keys():
            yield result
        for value in result.values():
            yield from reasons_in(value)
    elif isinstance(result, list):
        for item in result:
            yield from reasons_in(item)


def test_every_persona_gets_its_reasons_in_both_languages(tmp_path: Path) -> None:
    matcher = Matcher(str(tmp_path))
    seen: set[str] = set()
    try:
        for persona in load_personas():
            result = matcher.run(persona["profile"], date.fromisoformat(persona["today"]))
            for reason in reasons_in(result):
                seen.add(reason["kind"])
                for text in (reason["text_da"], reason["text_en"]):
                    assert text.strip() and "%(" not in text, (persona["id"], reason)
                assert reason["text"] == reason["text_da"]
    finally:
        matcher.close()
    assert {"shortage", "proximity", "session", "pay", "seks_uger", "amu_fee"} <= seen


@pytest.mark.parametrize(("period", "da", "en"), [
    ("2026H2", "2. halvår 2026", "second half of 2026"),
    ("2027H1", "1. halvår 2027", "first half of 2027"),
    ("2026-H2", "2026-H2", "2026-H2"),  # not a period key: shown as it is
])
def test_a_balance_period_reads_as_people_say_it(period: str, da: str, en: str) -> None:
    assert (half_year(period, "da"), half_year(period, "en")) == (da, en)


@pytest.mark.parametrize(("start", "end", "da", "en"), [
    (date(2026, 12, 4), date(2026, 12, 7), "4.–7. december 2026", "4–7 December 2026"),
    (date(2027, 1, 30), date(2027, 2, 3), "30. januar–3. februar 2027", "30 January – 3 February 2027"),
    (date(2026, 12, 28), date(2027, 1, 8), "28. december 2026–8. januar 2027",
     "28 December 2026 – 8 January 2027"),
    (date(2027, 1, 5), date(2027, 1, 5), "5. januar 2027", "5 January 2027"),
])
def test_a_span_of_dates_reads_as_people_write_it(start: date, end: date, da: str, en: str) -> None:
    assert (date_range(start, end, "da"), date_range(start, end, "en")) == (da, en)
