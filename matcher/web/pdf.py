"""The PDF of "Mine muligheder": a small dedicated template and stylesheet for WeasyPrint."""

from __future__ import annotations

import os
from typing import Any

from flask import Response, current_app, render_template
from flask_babel import gettext as _

PDF_CSS = """
@font-face {{ font-family: "IBM Plex Sans"; font-weight: 400;
              src: url("{fonts}/IBMPlexSans-Regular.woff2"); }}
@font-face {{ font-family: "IBM Plex Sans"; font-weight: 600;
              src: url("{fonts}/IBMPlexSans-SemiBold.woff2"); }}
@font-face {{ font-family: "IBM Plex Sans"; font-weight: 700;
              src: url("{fonts}/IBMPlexSans-Bold.woff2"); }}
@page {{ size: A4; margin: 18mm 16mm 20mm;
        @bottom-right {{ content: "{page} " counter(page) " / " counter(pages);
                         font-family: "IBM Plex Sans", sans-serif; font-size: 8pt; }} }}
body {{ font-family: "IBM Plex Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; color: #1a1a1a; }}
h1 {{ font-size: 20pt; margin: 0 0 8pt; }}
h2 {{ font-size: 14pt; margin: 16pt 0 6pt; border-bottom: 1px solid #999; }}
h3 {{ font-size: 11.5pt; margin: 10pt 0 4pt; }}
.authority {{ color: #555; margin: 0; }}
.plan-item {{ break-inside: avoid; }}
table {{ border-collapse: collapse; margin: 4pt 0; }}
th {{ text-align: left; padding: 2pt 10pt 2pt 0; font-weight: 600; }}
td {{ padding: 2pt 0; }}
.sr-only {{ display: none; }}
.facts {{ margin: 4pt 0; }}
.facts dt {{ font-weight: 600; float: left; clear: left; width: 38mm; }}
.facts dd {{ margin: 0 0 3pt 40mm; }}
.demo-notice {{ border: 2pt solid #b30000; padding: 4pt 6pt; }}
.summary-list {{ margin: 2pt 0; padding-left: 14pt; }}
.summary-list li {{ margin: 2pt 0; }}
"""


def plan_pdf(context: dict[str, Any], *, template: str = "citizen/plan_pdf.html",
             name: str | None = None) -> Response:
    """The marked options, or the summary if none is marked, as an A4 PDF in the reader's language.

    A caseworker's plan (matcher.web.plans) passes its own template and file name.
    """
    from weasyprint import CSS, HTML  # imported on use: loading Pango costs start-up time
    from weasyprint.text.fonts import FontConfiguration

    static = current_app.static_folder or ""
    fonts = os.path.join(static, "vendor", "dkfds", "fonts", "IBMPlexSans", "complete", "woff2")
    font_config = FontConfiguration()  # without it @font-face is ignored and DejaVu is used
    css = CSS(string=PDF_CSS.format(fonts="file://" + fonts, page=_("Side")),
              font_config=font_config)
    html = render_template(template, **context)
    document = HTML(string=html, base_url=static).write_pdf(stylesheets=[css],
                                                             font_config=font_config)
    name = name or _("mine-muligheder")  # the file name in the reader's language
    return Response(document, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}.pdf"'})
