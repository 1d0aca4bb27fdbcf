"""Danish first, English second: the locale comes from the visitor's language cookie."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import Babel, get_locale

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
