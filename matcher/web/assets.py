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


def init_app(app: Flask) -> None:
    vendor = app.config["VENDOR_DIR"] or os.path.join(app.static_folder or "", "vendor", "dkfds")
    present = os.path.isfile(os.path.join(vendor, STYLESHEET))
    sprite = Markup("")
    if present:
        with open(os.path.join(vendor, SPRITE), encoding="utf-8") as handle:
            # The prolog is not allowed inside HTML; the symbols are all we need.
            sprite = Markup(re.sub(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>)?", "", handle.read()))
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
