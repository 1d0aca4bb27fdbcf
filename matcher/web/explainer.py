"""The public "Sådan finder vi dine forslag" page, rendered from docs/scoring.md.

One text for developers and citizens keeps the explanation and the code honest together:
the Danish and English sections of the document are the page in each language.
"""

from __future__ import annotations

import os
import re

import markdown
from markupsafe import Markup

DOCUMENT = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "scoring.md")
SECTIONS = {"da": "## Dansk", "en": "## English"}
_cache: dict[tuple[str, float], Markup] = {}


def explanation(language: str) -> Markup:
    """The section of docs/scoring.md in language as HTML (its ### headings become h2)."""
    stamp = os.path.getmtime(DOCUMENT)
    cached = _cache.get((language, stamp))
    if cached is not None:
        return cached
    with open(DOCUMENT, encoding="utf-8") as handle:
        text = handle.read()
    start = text.index(SECTIONS.get(language, SECTIONS["da"]))
    section = text[start:].split("\n", 1)[1]
    section = re.split(r"^## ", section, flags=re.M)[0]
    section = re.sub(r"^### ", "## ", section, flags=re.M)
    rendered = Markup(markdown.markdown(section, output_format="html"))
    _cache[(language, stamp)] = rendered
    return rendered
