"""The DKFDS front-end assets: found at start-up, the icon sprite inlined in every page."""

from __future__ import annotations

import os
import re

from flask import Flask, Response, request
from markupsafe import Markup

STYLESHEET = "css/dkfds-borgerdk.min.css"
SPRITE = "img/all-svg-icons.svg"

MISSING_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Front-end assets missing</title></head>
<body><main><h1>Front-end assets missing</h1>
<p>The design-system files (DKFDS) are not installed in <code>{path}</code>.</p>
<p>Run <code>make assets</code> (or <code>make run</code>, which does it for you) and reload.</p>
</main></body></html>"""


def icons_in(folder: str) -> set[str]:
    """The icon names our templates use (<use href="#name"> or icon("name"))."""
    names: set[str] = set()
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with open(os.path.join(root, name), encoding="utf-8") as handle:
                text = handle.read()
            names.update(re.findall(r'href="#([a-z0-9-]+)"', text))
            names.update(re.findall(r"icon\(['\"]([a-z0-9-]+)['\"]", text))
    return names


def used_symbols(sprite: str, names: set[str]) -> str:
    """The sprite with only the symbols in use: every page carries it, so keep it small."""
    kept = [match.group(0) for match in re.finditer(r'<symbol id="([^"]+)".*?</symbol>',
                                                     sprite, re.S) if match.group(1) in names]
    return '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(kept) + "</svg>"


def init_app(app: Flask) -> None:
    vendor = app.config["VENDOR_DIR"] or os.path.join(app.static_folder or "", "vendor", "dkfds")
    present = os.path.isfile(os.path.join(vendor, STYLESHEET))
    sprite = Markup("")
    if present:
        with open(os.path.join(vendor, SPRITE), encoding="utf-8") as handle:
            sprite = Markup(used_symbols(handle.read(), icons_in(str(app.template_folder or ""))))
    else:
        app.logger.warning("DKFDS assets missing in %s: run `make assets`", vendor)
    app.extensions["dkfds_present"] = present

    @app.context_processor
    def inject_sprite() -> dict[str, Markup]:
        return {"dkfds_sprite": sprite}

    @app.before_request
    def refuse_without_assets() -> Response | None:
        if present or request.endpoint == "static":
            return None
        return Response(MISSING_PAGE.format(path=vendor), status=503, mimetype="text/html")
