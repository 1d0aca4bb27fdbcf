"""Matching against the loaded catalogue: the glue between the web or CLI and the engine."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import current_app, g

from matcher.data.db import get_session
from matcher.data.index_cache import get_index, get_lookup
from matcher.data.reasons import render
from matcher.engine.index import CatalogIndex
from matcher.engine.lookup import Suggestion, suggest
from matcher.engine.match import match
from matcher.engine.model import MatchResult, Profile
from matcher.engine.output import result_to_json
from matcher.engine.profile import ProfileInvalid, validate_profile


class MatchInputError(ValueError):
    """A profile or date that cannot be matched; the message is one line for the user."""


def current_index() -> CatalogIndex:
    """The index for this request: one version check per request, however often asked."""
    if "catalog_index" not in g:
        # The layout has read the catalogue status for this request already: reuse it.
        status = g.get("catalog_status")
        g.catalog_index = get_index(get_session(), current_app.config["DATABASE_URL"],
                                    status.version if status is not None else None)
    index: CatalogIndex = g.catalog_index
    return index


def today_from(value: str | None) -> date:
    text = value or current_app.config.get("TODAY")
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MatchInputError(f"--today must be a date written YYYY-MM-DD, got {text!r}") from None


def check_profile(raw: object) -> Profile:
    """The validated profile, or ProfileInvalid with one error per field."""
    return validate_profile(raw, current_index().vocabulary)


def match_profile(profile: Profile, *, today: date, limit: int = 10) -> MatchResult:
    """Match a validated profile against the loaded catalogue (home municipality default)."""
    return match(profile, current_index(), today=today, limit=limit,
                 home_kommunekode=current_app.config["HOME_MUNICIPALITY"],
                 lead_days=current_app.config["LEAD_TIME_DAYS"])


def run_match(raw: object, *, today: date, limit: int = 10, lang: str = "da") -> dict[str, Any]:
    index = current_index()
    if not index.occupations:
        raise MatchInputError("no catalogue is loaded: run `flask --app wsgi catalog load DIR`")
    try:
        profile = validate_profile(raw, index.vocabulary)
    except ProfileInvalid as invalid:
        raise MatchInputError(f"invalid profile: {invalid}") from None
    result = match(profile, index, today=today, limit=limit,
                   home_kommunekode=current_app.config["HOME_MUNICIPALITY"],
                   lead_days=current_app.config["LEAD_TIME_DAYS"])
    return result_to_json(result, lang=lang, render=render)


def run_match_file(path: str, *, today: str | None, limit: int, lang: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except FileNotFoundError:
        raise MatchInputError(f"profile file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise MatchInputError(f"cannot read {path}: {error.__class__.__name__}") from None
    except json.JSONDecodeError as error:
        raise MatchInputError(f"{path} is not valid JSON (line {error.lineno}, column "
                              f"{error.colno}: {error.msg})") from None
    return run_match(raw, today=today_from(today), limit=limit, lang=lang)


def suggest_labels(query: str, *, kind: str | None = None, limit: int = 10) -> list[Suggestion]:
    """Typo-tolerant matches among the loaded occupations and skills, best first."""
    index = current_index()
    return suggest(get_lookup(index, current_app.config["DATABASE_URL"]), query, kind=kind,
                   limit=limit)
