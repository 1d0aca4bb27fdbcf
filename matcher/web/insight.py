"""The municipal view for administrators (issue 14): shortages and the course supply within
reach, the gaps, the change since the previous balance, what citizens were shown, and the
vocational-choice indicator, each table also as CSV; and the indicator's editor."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import Form, ValidationError
from wtforms.validators import Length, NumberRange, Optional

from matcher.data import insight
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.matching import current_index, today_from
from matcher.data.reasons import half_year
from matcher.engine.ranking import area_of
from matcher.web.access import staff
from matcher.web.course_reach import _home_postcode as home_postcode
from matcher.web.forms import form_errors
from matcher.web.presenters import english
from matcher.web.provider_forms import NoHtml, NumberField, Required, TrimmedField, WebAddress
from matcher.web.provider_upload import safe_cell
from matcher.web.results import SHORTAGE_NAMES
from matcher.web.svg_charts import Bar, Point, Reference, bar_chart, line_chart

bp = Blueprint("insight", __name__, url_prefix="/admin/indsigt")

DIRECTION_NAMES = {"up": _l("Mere mangel"), "down": _l("Mindre mangel"),
                   "new": _l("Ny i balancen"), "removed": _l("Ikke længere i balancen")}
GAP_NAMES = {"none": _l("Ingen kurser"), "few": _l("Få kurser")}


# --- the indicator's form -------------------------------------------------------------------

class EudForm(Form):
    year = NumberField(_l("År"), validators=[Required(_l("Skriv året, fx 2024."))],
                       message=_l("Skriv året som et helt tal med fire cifre, fx 2024."),
                       whole=True)
    share = NumberField(
        _l("Andel, der valgte en erhvervsuddannelse (%)"),
        validators=[Required(_l("Skriv andelen i procent, fx 23,2.")),
                    NumberRange(0, 100, _l("Andelen skal være mellem 0 og 100 procent."))],
        message=_l("Skriv andelen som et tal med højst én decimal, fx 23,2."),
        description=_l("Andelen af kommunens 9.- og 10.-klasseelever, der valgte en "
                       "erhvervsuddannelse (EUD). Fx 23,2."))
    source = TrimmedField(_l("Kilde"), validators=[
        Required(_l("Skriv kilden til tallet, fx UVM's Datavarehus.")),
        Length(max=300, message=_l("Kilden må højst have 300 tegn.")),
        NoHtml(_l("Kilden må ikke indeholde HTML, fx < og >."))],
        description=_l("Hvor tallet står, fx et dokuments titel. Skriv aldrig et tal uden kilde."))
    source_url = TrimmedField(_l("Kildens webadresse"), validators=[
        Optional(), Length(max=500, message=_l("Webadressen må højst have 500 tegn.")),
        WebAddress(_l("Skriv en webadresse, der begynder med https:// eller http://."))],
        description=_l("Kan udelades."))
    original = NumberField(validators=[Optional()], whole=True,
                           message=_l("Det år, der skulle rettes, er ikke gyldigt."))

    def __init__(self, *args: Any, latest_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latest_year = latest_year

    def validate_year(self, field: NumberField) -> None:
        if field.data is not None and not insight.EARLIEST_YEAR <= field.data <= self.latest_year:
            raise ValidationError(_("Året skal være mellem %(first)s og %(last)s.",
                                    first=insight.EARLIEST_YEAR, last=self.latest_year))


# --- helpers --------------------------------------------------------------------------------

def _today() -> date:
    return today_from(None)


def _home() -> int:
    return int(current_app.config["HOME_MUNICIPALITY"])


def _me() -> m.UserAccount:
    row = get_session().get(m.UserAccount, current_user.id)
    assert row is not None
    return row


def _title(da: str | None, en: str | None, code: str) -> str:
    if da is None:
        return _("%(code)s (ikke længere i kataloget)", code=code)
    return (en or da) if english() else da


def _category(code: str | None) -> str:
    return str(SHORTAGE_NAMES.get(code or "", code or "–"))


def _share(value: Decimal | float) -> str:
    return format_decimal(value, format="0.#")


def _percent(value: Decimal | float) -> str:
    return _("%(share)s %%", share=_share(value))


def _period(period: str | None) -> str:
    return half_year(period, "en" if english() else "da") if period else "–"


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the page: its CSV file name, its columns and rows as shown."""

    slug: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _scope() -> insight.Scope:
    index = current_index()
    today = _today()
    area = area_of(index, _home(), today)
    return insight.scope(index, rar_code=area.rar_code, period=area.period,
                         origin=home_postcode(), today=today)


def _supply_table(rows: list[insight.Supply], slug: str) -> Table:
    return Table(slug, (_("Job"), _("Kode"), _("Vurdering"), _("Kurser inden for rækkevidde"),
                        _("Hold inden for rækkevidde"), _("Kurser i kataloget"), _("Hul")),
                 [(_title(r.title_da, r.title_en, r.code), r.code, _category(r.category),
                   r.courses, r.sessions, r.linked, str(GAP_NAMES[r.gap]) if r.gap else "")
                  for r in rows])


def _changes_table(rows: list[insight.Change]) -> Table:
    return Table("aendringer", (_("Job"), _("Kode"), _("Før"), _("Nu"), _("Ændring")),
                 [(_title(c.title_da, c.title_en, c.code), c.code,
                   _category(c.before) if c.before else "–",
                   _category(c.after) if c.after else "–", str(DIRECTION_NAMES[c.direction]))
                  for c in rows])


def _demand_table(rows: list[insight.Demand], slug: str, what: str) -> Table:
    return Table(slug, (what, _("Kode"), _("Vist på resultatsider")),
                 [(_title(d.title_da, d.title_en, d.code), d.code, d.count) for d in rows])


def _eud_table(rows: list[insight.EudFigure]) -> Table:
    return Table("erhvervsuddannelse",
                 (_("År"), _("Andel, der valgte EUD (%)"), _("Kilde"), _("Kildens webadresse")),
                 [(f.year, f.share_percent, f.source, f.source_url or "") for f in rows])


def _tables(slug: str) -> Table:
    """The table for slug with every row (the page shows the top of the demand tables)."""
    builders: dict[str, Callable[[], Table]] = {
        "udbud": lambda: _supply_table(insight.supply(current_index(), _scope()), "udbud"),
        "huller": lambda: _supply_table(
            insight.gaps(insight.supply(current_index(), _scope())), "huller"),
        "aendringer": lambda: _changes_table(insight.changes(current_index(), _scope())),
        "efterspoergsel-job": lambda: _demand_table(
            insight.demand(get_session(), "occupation", _today(), limit=None),
            "efterspoergsel-job", _("Job")),
        "efterspoergsel-kurser": lambda: _demand_table(
            insight.demand(get_session(), "course", _today(), limit=None),
            "efterspoergsel-kurser", _("Kursus")),
        "erhvervsuddannelse": lambda: _eud_table(insight.eud_series(get_session(), _home())),
    }
    if slug not in builders:
        abort(404)
    return builders[slug]()


def _csv(table: Table) -> str:
    """The table as CSV for a spreadsheet: UTF-8 with a byte-order mark (Excel), and no cell
    a spreadsheet would run as a formula (the providers' export does the same)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + out.getvalue()


# --- charts ---------------------------------------------------------------------------------

def _supply_chart(rows: list[insight.Supply], where: insight.Scope) -> Any:
    bars = [Bar(_title(r.title_da, r.title_en, r.code), r.courses,
                (_("%(num)s – hul", num=r.courses) if r.gap else str(r.courses)), bool(r.gap))
            for r in rows]
    return bar_chart(bars, chart_id="chart-supply",
                     title=_("Kurser inden for rækkevidde pr. mangeljob"),
                     desc=_("Vandrette søjler: antal kurser med et åbent hold inden for "
                            "%(km)s km eller online de næste %(months)s måneder, for hvert af %(num)s "
                            "job i mangel. Skraverede søjler er huller (færre end %(few)s "
                            "kurser). Tallene står også i tabellen ved siden af.",
                            km=int(where.km), months=insight.HORIZON_MONTHS, num=len(rows),
                            few=insight.FEW_COURSES))


def _demand_chart(rows: list[insight.Demand], chart_id: str, title: str) -> Any:
    bars = [Bar(_title(d.title_da, d.title_en, d.code), d.count, str(d.count)) for d in rows]
    return bar_chart(bars, chart_id=chart_id, title=title,
                     desc=_("Vandrette søjler: hvor mange resultatsider der viste hvert af de "
                            "%(num)s mest viste de sidste %(days)s dage. Tallene står også i "
                            "tabellen ved siden af.", num=len(rows), days=insight.DEMAND_DAYS))


def _eud_chart(rows: list[insight.EudFigure]) -> Any:
    points = [Point(f.year, float(f.share_percent), _percent(f.share_percent)) for f in rows]
    targets = [Reference(t.year, float(t.share_percent),
                         _("Mål %(year)s: %(share)s", year=t.year, share=_percent(t.share_percent)))
               for t in insight.TARGETS]
    described = ", ".join(f"{f.year}: {_percent(f.share_percent)}" for f in rows) or _("ingen tal")
    return line_chart(points, targets, chart_id="chart-eud",
                      title=_("Andel af 9.- og 10.-klasseelever, der valgte en erhvervsuddannelse"),
                      desc=_("Punkter pr. år (%(values)s) mod de nationale mål, vist som "
                             "stiplede linjer med en rombe ved målets år: %(targets)s.",
                             values=described,
                             targets=", ".join(t.label for t in targets)))


# --- views ----------------------------------------------------------------------------------

@bp.get("/")
@staff("admin")
def page() -> ResponseReturnValue:
    index = current_index()
    where = _scope()
    rows = insight.supply(index, where)
    session = get_session()
    today = _today()
    occupations = insight.demand(session, "occupation", today)
    courses = insight.demand(session, "course", today)
    series = insight.eud_series(session, _home())
    change_rows = insight.changes(index, where)
    directions = {key: sum(1 for c in change_rows if c.direction == key) for key in DIRECTION_NAMES}
    return render_template(
        "admin/insight.html", where=where, period=_period(where.period),
        previous=_period(where.previous) if where.previous else None,
        supply=_supply_table(rows, "udbud"), supply_chart=_supply_chart(rows, where) if rows else None,
        gaps=_supply_table(insight.gaps(rows), "huller"),
        changes=_changes_table(change_rows), directions=directions,
        direction_names=DIRECTION_NAMES,
        demand_jobs=_demand_table(occupations, "efterspoergsel-job", _("Job")),
        demand_courses=_demand_table(courses, "efterspoergsel-kurser", _("Kursus")),
        demand_jobs_chart=_demand_chart(occupations, "chart-demand-jobs",
                                        _("Mest viste job")) if occupations else None,
        demand_courses_chart=_demand_chart(courses, "chart-demand-courses",
                                           _("Mest viste kurser")) if courses else None,
        series=series, eud_chart=_eud_chart(series), targets=insight.TARGETS,
        strategy_source=insight.STRATEGY_SOURCE, strategy_url=insight.STRATEGY_URL,
        few=insight.FEW_COURSES, days=insight.DEMAND_DAYS, top=insight.TOP,
        months=insight.HORIZON_MONTHS, share=_share, percent=_percent)


@bp.get("/<table>.csv")
@staff("admin")
def export(table: str) -> ResponseReturnValue:
    found = _tables(table)
    stamp = _today().isoformat()
    return Response(_csv(found), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="indsigt-{found.slug}-{stamp}.csv"'})


@bp.route("/erhvervsuddannelse", methods=["GET", "POST"])
@staff("admin")
def eud() -> ResponseReturnValue:
    session = get_session()
    latest = _today().year
    if request.method == "POST" and "slet" in request.form:
        return _delete_eud(request.form["slet"])
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = EudForm(request.form, latest_year=latest)
        if form.validate():
            year_taken = _save_eud(form)
            if year_taken is None:
                session.commit()
                flash(_("Tallet for %(year)s er gemt.", year=form.year.data), "success")
                return redirect(url_for("insight.eud"), code=303)
            errors.append(year_taken)
    else:
        chosen = request.args.get("aar", "")
        figure = (insight.eud_figure(session, _home(), int(chosen))
                  if chosen.isascii() and chosen.isdigit() and len(chosen) == 4 else None)
        form = EudForm(None, latest_year=latest, data=None if figure is None else {
            "year": figure.year, "share": figure.share_percent.normalize(), "source": figure.source,
            "source_url": figure.source_url, "original": figure.year})
    # The year being changed travels in a hidden field: its error points at the year's box.
    errors = [(form.year.id if field == form.original.id else field, message)
              for field, message in form_errors(form)] + errors
    page_html = render_template(
        "admin/insight_eud.html", form=form, errors=errors,
        series=insight.eud_series(session, _home()), targets=insight.TARGETS,
        strategy_source=insight.STRATEGY_SOURCE, strategy_url=insight.STRATEGY_URL,
        latest=latest, earliest=insight.EARLIEST_YEAR, share=_share, percent=_percent)
    return page_html, 400 if errors else 200


def _save_eud(form: EudForm) -> tuple[str, str] | None:
    """Store the form's figure; a problem with the year as (field id, message) instead."""
    session = get_session()
    # The form has checked them: a year, a share, a source (and perhaps the year changed).
    assert form.year.data is not None and form.share.data is not None
    year, share, source = int(form.year.data), Decimal(form.share.data), str(form.source.data)
    original = int(form.original.data) if form.original.data is not None else None
    if original is not None and insight.eud_figure(session, _home(), original) is None:
        return form.year.id, _("Tallet for %(year)s findes ikke længere. Tilføj det igen.",
                               year=original)
    try:
        insight.save_eud(session, _home(), year, share, source, form.source_url.data,
                         actor=_me(), ip=request.remote_addr, replaces=original)
    except insight.YearTaken:
        return form.year.id, _("Der er allerede et tal for %(year)s. Ret det i tabellen i "
                               "stedet for at tilføje det igen.", year=year)
    return None


def _delete_eud(value: str) -> ResponseReturnValue:
    session = get_session()
    year = int(value) if value.isascii() and value.isdigit() and len(value) == 4 else None
    if year is not None and insight.delete_eud(session, _home(), year, actor=_me(),
                                               ip=request.remote_addr):
        session.commit()
        flash(_("Tallet for %(year)s er slettet.", year=year), "success")
    else:
        flash(_("Der er intet tal for det år. Intet er slettet."), "error")
    return redirect(url_for("insight.eud"), code=303)
