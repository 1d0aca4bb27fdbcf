"""Parsers for catalogue cells: each returns the typed value or raises ValueError(reason)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

Parser = Callable[[str], Any]

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
MAX_CELL = 4000


def text(max_length: int = 300) -> Parser:
    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise ValueError(f"is {len(raw)} characters long; at most {max_length} are allowed")
        return raw
    return parse


def code(raw: str) -> str:
    if len(raw) > 80 or not _CODE.fullmatch(raw):
        raise ValueError(f"{_show(raw)} is not a valid code (letters, digits, _ . -, "
                         "at most 80 characters)")
    return raw


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(raw: str) -> int:
        if not re.fullmatch(r"-?\d+", raw):
            raise ValueError(f"must be a whole number, got {_show(raw)}")
        value = int(raw)
        _check_range(value, minimum, maximum)
        return value
    return parse


def decimal(minimum: Decimal | None = None, places: int = 2, *,
            positive: bool = False, digits: int = 12) -> Parser:
    """A number with at most places decimals that fits NUMERIC(digits, places)."""
    limit = Decimal(10) ** (digits - places)

    def parse(raw: str) -> Decimal:
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"must be a number (with . as decimal point), got {_show(raw)}") from None
        if not value.is_finite():
            raise ValueError(f"must be a number, got {_show(raw)}")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise ValueError(f"has more than {places} decimal(s): {_show(raw)}")
        if positive and value <= 0:
            raise ValueError(f"must be greater than 0, got {_show(raw)}")
        if minimum is not None and value < minimum:
            raise ValueError(f"must be at least {minimum}, got {_show(raw)}")
        if abs(value) >= limit:
            raise ValueError(f"must be less than {limit}, got {_show(raw)}")
        return value
    return parse


def number(minimum: float, maximum: float) -> Parser:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"must be a number (with . as decimal point), got {_show(raw)}") from None
        if value != value or not minimum <= value <= maximum:
            raise ValueError(f"must be between {minimum} and {maximum}, got {_show(raw)}")
        return value
    return parse


def iso_date(raw: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(f"must be a date written YYYY-MM-DD, got {_show(raw)}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"is not a real date: {_show(raw)}") from None


def boolean(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("true", "1", "yes", "ja"):
        return True
    if lowered in ("false", "0", "no", "nej"):
        return False
    raise ValueError(f"must be true or false, got {_show(raw)}")


def choice(*allowed: str) -> Parser:
    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"{_show(raw)} is not one of: {', '.join(allowed)}")
        return raw
    return parse


def text_list(raw: str) -> list[str]:
    items = [item.strip() for item in raw.split("|")]
    items = [item for item in items if item]
    for item in items:
        if len(item) > 200:
            raise ValueError(f"has an item of {len(item)} characters; at most 200 are allowed")
    return items


def pattern(regex: str, description: str) -> Parser:
    compiled = re.compile(regex)

    def parse(raw: str) -> str:
        if not compiled.fullmatch(raw):
            raise ValueError(f"must be {description}, got {_show(raw)}")
        return raw
    return parse


postcode = pattern(r"\d{4}", "a Danish postcode of 4 digits")
period = pattern(r"\d{4}H[12]", "a half-year such as 2026H2")
isco08 = pattern(r"\d{4}", "an ISCO-08 unit group of 4 digits")
disco08 = pattern(r"\d{6}", "a DISCO-08 code of 6 digits")
esco_uri = pattern(r"http://data\.europa\.eu/esco/[a-z]+/[A-Za-z0-9\-]+", "an ESCO URI")
web_url = pattern(r"https?://[^\s\"<>]{3,490}", "an http(s) address")
email = pattern(r"[^@\s\"<>]+@[^@\s\"<>]+\.[A-Za-z]{2,}", "an e-mail address")
language = pattern(r"[a-z]{2}", "a two-letter language code such as da or en")
phone = pattern(r"\+?[0-9 ]{4,20}", "a phone number of digits and spaces")


def kommunekode(raw: str) -> int:
    if not re.fullmatch(r"\d{3}", raw) or not 101 <= int(raw) <= 999:
        raise ValueError(f"must be a 3-digit kommunekode such as 657, got {_show(raw)}")
    return int(raw)


def _check_range(value: int, minimum: int | None, maximum: int | None) -> None:
    if minimum is not None and value < minimum:
        raise ValueError(f"must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"must be at most {maximum}, got {value}")


def _show(raw: str) -> str:
    return repr(raw if len(raw) <= 60 else raw[:57] + "...")
