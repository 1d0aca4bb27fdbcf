"""Danish first, English second: the locale comes from the visitor's language cookie."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_babel import Babel, format_decimal, get_locale, gettext, ngettext
from markupsafe import Markup, escape

from matcher.data.reasons import half_year


def select_locale() -> str:
    chosen = request.cookies.get(current_app.config["LANGUAGE_COOKIE"], "")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    return default


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale,
          default_translation_directories="translations")
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.filters["half_year"] = lambda period: half_year(period, str(get_locale()))
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["days"] = days
    app.jinja_env.filters["away"] = away
    app.jinja_env.filters["source_link"] = source_link


# The filters below run hundreds of times on a results page with few distinct values; Babel's
# number formatting is the costly part, so each text is made once per value and language.

def money(amount: float | int | None) -> str:
    """Kroner as a reader of the page writes them: "7.630 kr." or "DKK 7,630"."""
    return _money(round(amount or 0), str(get_locale()))


@lru_cache(maxsize=4096)
def _money(amount: int, locale: str) -> str:
    return gettext("%(amount)s kr.", amount=format_decimal(amount))


def days(count: float | int) -> str:
    """ "1 dag", "2 dage", "0,5 dage": whole numbers without decimals."""
    return _days(round(count, 1), str(get_locale()))


@lru_cache(maxsize=4096)
def _days(count: float, locale: str) -> str:
    return ngettext("%(days)s dag", "%(days)s dage", 1 if count == 1 else 2,
                    days=format_decimal(count))


def away(km: float) -> str:
    """How far from the person: never "0 km" for a place in their own town."""
    return _away(round(km) if km >= 1 else 0, str(get_locale()))


@lru_cache(maxsize=4096)
def _away(km: int, locale: str) -> str:
    if km < 1:
        return gettext("under 1 km fra dig")
    return gettext("%(km)s km fra dig", km=format_decimal(km))


def source_link(source: str | None) -> Markup:
    """A source as a link named by its site ("star.dk"), or as plain text when not a URL."""
    if not source:
        return Markup("")
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return escape(source)
    host = parts.netloc.removeprefix("www.")
    return Markup('<a class="function-link" href="{0}">{1}</a>').format(source, host)
