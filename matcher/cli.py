"""Thin click commands over plain functions: `flask db ...`, `flask catalog ...`."""

from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from matcher.data import migrate
from matcher.data.catalog import CatalogInvalid, LoadReport, load_catalog, read_catalog
from matcher.data.db import get_engine, get_session
from matcher.data.importers.report import ImportReport
from matcher.data.matching import MatchInputError, run_match_file
from matcher.data.status import catalog_status

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the schema up to REVISION (default: the newest)."""
    migrate.upgrade(get_engine(), revision)
    click.echo(f"database at revision {migrate.current(get_engine())}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the schema back to REVISION ("base" removes every table)."""
    migrate.downgrade(get_engine(), revision)
    click.echo(f"database at revision {migrate.current(get_engine())}")


@db_cli.command("current")
def db_current() -> None:
    click.echo(migrate.current(get_engine()) or "no schema")


catalog_cli = AppGroup("catalog", help="The course catalogue (design.md section 4).")


@catalog_cli.command("check")
@click.argument("folder", type=click.Path(file_okay=False))
def catalog_check(folder: str) -> None:
    """Validate a catalogue FOLDER without writing anything."""
    try:
        catalog = read_catalog(folder)
    except CatalogInvalid as invalid:
        _fail(invalid)
    click.echo(f"OK: {folder} is a valid catalogue ({catalog.count()} rows in "
               f"{len(catalog.rows)} files)")


@catalog_cli.command("load")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--if-empty", is_flag=True, help="Do nothing if a catalogue is already loaded.")
def catalog_load(folder: str, if_empty: bool) -> None:
    """Make the database's catalogue equal to FOLDER: all or nothing."""
    session = get_session()
    try:
        with session.begin():
            if if_empty and catalog_status(session).version > 0:
                click.echo("A catalogue is already loaded; nothing to do.")
                return
            report = load_catalog(session, folder)
    except CatalogInvalid as invalid:
        _fail(invalid)
    click.echo(format_report(report))


def format_report(report: LoadReport) -> str:
    if not report.changed:
        return "\n".join([("No changes: the database already holds this catalogue "
                           f"(catalogue version {report.version})."), *_kept_lines(report)])
    lines = [f"{'table':<22}{'rows':>8}{'added':>8}{'changed':>9}{'removed':>9}{'kept':>6}"]
    for t in report.tables:
        lines.append(f"{t.table:<22}{t.rows:>8}{t.added:>8}{t.changed:>9}{t.removed:>9}"
                     f"{t.kept:>6}")
    lines.append(f"Catalogue loaded: now version {report.version}.")
    return "\n".join(lines + _kept_lines(report))


def _kept_lines(report: LoadReport) -> list[str]:
    """Provider-owned rows are never silently overwritten: say which were kept."""
    kept = sum(t.kept for t in report.tables)
    if not kept:
        return []
    return [f"Kept {kept} provider-owned row(s) as the providers left them, not as in the "
            f"folder; courses: {', '.join(report.kept_courses) or '(sessions only)'}."]


def _fail(invalid: CatalogInvalid) -> NoReturn:
    click.echo(f"Catalogue not valid: {len(invalid.problems)} problem(s); nothing was written.",
               err=True)
    for problem in invalid.problems:
        click.echo(f"  {problem}", err=True)
    raise SystemExit(1)


@click.command("match")
@with_appcontext
@click.argument("profile_file", metavar="PROFILE.json", type=click.Path(dir_okay=False))
@click.option("--today", help="The date to match on, YYYY-MM-DD (default: today).")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many occupations to list (courses: twice as many).")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True)
def match_command(profile_file: str, today: str | None, limit: int, lang: str) -> None:
    """Match a profile against the loaded catalogue and print the result as JSON."""
    try:
        result = run_match_file(profile_file, today=today, limit=limit, lang=lang)
    except MatchInputError as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from None
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create-admin")
@click.argument("email")
def create_admin(email: str) -> None:
    """Create an administrator with a one-time password (changed at first login)."""
    from matcher.data import accounts

    if "@" not in email or len(email) > 254:
        click.echo(f"Error: {email!r} is not an e-mail address", err=True)
        raise SystemExit(2)
    session = get_session()
    with session.begin():
        if accounts.find_user(session, email) is not None:
            click.echo(f"Error: a user with the e-mail {email} already exists", err=True)
            raise SystemExit(2)
        hours = current_app.config["ONE_TIME_PASSWORD_HOURS"]
        user, password = accounts.create_user(session, email, "admin", actor_name=cli_actor(),
                                              valid_for=timedelta(hours=hours))
    click.echo(f"Administrator {user.email} created.")
    click.echo(f"One-time password: {password}")
    click.echo(f"It must be changed at the first login within {hours} hours, where a second "
               "factor is also set up.")


audit_cli = AppGroup("audit", help="The audit log of staff actions.")


@audit_cli.command("purge")
def audit_purge() -> None:
    """Delete audit events older than AUDIT_RETENTION_DAYS; run it daily (docs/deploy.md)."""
    from matcher.data import accounts

    days = current_app.config["AUDIT_RETENTION_DAYS"]
    if not isinstance(days, int) or days < 1:
        click.echo(f"Error: AUDIT_RETENTION_DAYS must be a whole number of days, at least 1 "
                   f"(it is {days!r}); nothing was deleted", err=True)
        raise SystemExit(2)
    session = get_session()
    with session.begin():
        deleted = accounts.purge_audit_events(session, older_than=timedelta(days=days),
                                              now=datetime.now(UTC), actor_name=cli_actor())
    click.echo(f"Deleted {deleted} audit events older than {days} days.")


def cli_actor() -> str:
    """Who ran a command, for the audit log: "cli:<operating-system user>"."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        name = f"uid {os.getuid()}"
    sudo = os.environ.get("SUDO_USER")
    return f"cli:{name}" + (f" (sudo by {sudo})" if sudo and sudo != name else "")


clients_cli = AppGroup("clients", help="Caseworkers' client records (issue 13).")


@clients_cli.command("purge")
def clients_purge() -> None:
    """Delete client records past their retention and expired hand-off codes; run it daily."""
    from matcher.data import accounts, clients, handoff
    from matcher.data.matching import today_from

    now = datetime.now(UTC)
    today = today_from(None)
    session = get_session()
    with session.begin():
        deleted = clients.purge(session, today=today, actor_name=cli_actor())
        codes = handoff.purge_expired(session, now)
        accounts.audit(session, "clients_purged", actor_name=cli_actor(), clients=deleted,
                       handoff_codes=codes, today=today.isoformat())
    click.echo(f"Deleted {deleted} client record(s) past their retention period "
               f"(kept until before {today.isoformat()}).")
    click.echo(f"Erased or deleted {codes} expired hand-off code(s).")


import_cli = AppGroup("import", help="Official labour-market data (design.md section 6).")


def _import(kind: str, paths: tuple[str, ...], dry_run: bool, **options: object) -> None:
    """Run one import with a progress bar, print its report; exit 1 when it is refused."""
    from matcher.data.importers.report import ImportRefused
    from matcher.data.importers.run import run_import

    with click.progressbar(length=1, label=f"{kind} import", file=sys.stderr,
                           show_percent=True) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            report = run_import(get_session(), kind, [Path(p) for p in paths], dry_run=dry_run,
                                actor_name=cli_actor(), progress=progress, **options)
        except ImportRefused as refused:
            report = refused.report
    click.echo(format_import_report(report, dry_run=dry_run), err=report.refused)
    if report.extra.get("matched_by"):
        click.echo(format_titles(report), err=report.refused)
    if report.extra.get("catalogue_rows_kept"):
        click.echo(format_esco(report), err=report.refused)
    if report.refused:
        raise SystemExit(1)


def format_titles(report: ImportReport) -> str:
    """How the balance's job titles were mapped, and each uncertain one with its candidates."""
    extra = report.extra
    lines = ["Job titles: " + ", ".join(f"{count} {how.replace('_', ' ')}"
                                         for how, count in extra["matched_by"].items())]
    if extra.get("unmatched_count"):
        lines.append(f"{extra['unmatched_count']} title(s) resemble no occupation of the "
                     "catalogue and are skipped (not one of ours).")
    uncertain = extra.get("uncertain") or []
    if uncertain:
        lines.append(f"{len(uncertain)} title(s) need confirming (line: title -> candidates "
                     "with score):")
        for item in uncertain[:MAX_PRINTED]:
            shown = "; ".join(f"{c['code']} {c['title']} ({c['score']})"
                              for c in item["candidates"])
            lines.append(f"  {item['line']}: {item['title']} -> {shown}")
        if len(uncertain) > MAX_PRINTED:
            lines.append(f"  ... and {len(uncertain) - MAX_PRINTED} more")
        lines.append("Confirm them on /admin/import, or run the command again with "
                     "--map 'TITLE=OCCUPATION_CODE' (empty code: not one of ours) or "
                     "--accept-best-above SCORE.")
    return "\n".join(lines)


def format_esco(report: ImportReport) -> str:
    """What the ESCO import left to the catalogue's own rows (docs/import-esco.md)."""
    kept, version = report.extra["catalogue_rows_kept"], report.extra.get("esco_version")
    return (f"{'ESCO ' + version if version else 'ESCO'} in {report.extra['language']}: "
            f"{kept['occupations']} occupation(s) and {kept['skills']} skill(s) are the "
            "catalogue's own (same ESCO URI) and keep their code, labels and relations; "
            f"{kept['relations_skipped']} ESCO relation(s) of those occupations were not "
            "imported.")


def format_import_report(report: ImportReport, *, dry_run: bool) -> str:
    lines = [f"{'table':<24}{'added':>8}{'changed':>9}{'removed':>9}{'unchanged':>11}"]
    lines += [f"{t.table:<24}{t.added:>8}{t.changed:>9}{t.removed:>9}{t.unchanged:>11}"
              for t in report.tables]
    for name, problems in (("warning", report.warnings), ("problem", report.problems)):
        if problems:
            lines.append(f"{len(problems)} {name}(s):")
            lines += [f"  {p}" for p in problems[:MAX_PRINTED]]
            if len(problems) > MAX_PRINTED:
                lines.append(f"  ... and {len(problems) - MAX_PRINTED} more")
    if report.refused:
        lines.append(f"Refused: {len(report.problems)} problem(s); nothing was written.")
    elif dry_run:
        lines.append("Dry run: nothing was written.")
    elif not report.changed:
        lines.append("No changes: the database already holds these data.")
    else:
        lines.append(f"Imported {', '.join(report.files)} (SHA-256 {report.checksum[:12]}…).")
    return "\n".join(lines)


MAX_PRINTED = 30
_FILES = click.Path(exists=True, dir_okay=False)
_DRY_RUN = click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")


@import_cli.command("esco")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--language", default="da", show_default=True,
              help="The language of the files' labels (ESCO's two-letter code).")
@_DRY_RUN
def import_esco(paths: tuple[str, ...], language: str, dry_run: bool) -> None:
    """The ESCO classification: its official zip files, or a folder of their CSV files."""
    _import("esco", paths, dry_run, language=language)


@import_cli.command("balance")
@click.argument("file", type=_FILES)
@click.option("--map", "maps", multiple=True, metavar="TITLE=CODE",
              help="Confirm a job title as an occupation code (empty: not one of ours); "
                   "remembered for later imports. Repeatable.")
@click.option("--accept-best-above", type=click.FloatRange(0, 100), metavar="SCORE",
              help="Confirm each uncertain title's best candidate if it scores at least SCORE.")
@_DRY_RUN
def import_balance(file: str, maps: tuple[str, ...], accept_best_above: float | None,
                   dry_run: bool) -> None:
    """STAR's labour-market balance (job title, area, period, category).

    Titles that need confirming are listed with their candidates; the import is refused
    until each is confirmed (on /admin/import, or with --map or --accept-best-above).
    """
    mappings: dict[str, str | None] = {}
    for given in maps:
        title, sep, code = given.rpartition("=")
        if not sep or not title.strip():
            raise click.BadParameter(f"{given!r} is not TITLE=CODE", param_hint="--map")
        mappings[title.strip()] = code.strip() or None
    _import("balance", (file,), dry_run, mappings=mappings, accept_best_above=accept_best_above,
            preview=dry_run)


@import_cli.command("positive-lists")
@click.argument("file", type=_FILES)
@_DRY_RUN
def import_positive_lists(file: str, dry_run: bool) -> None:
    """The positive lists (list, official course number, erhvervsgruppe, area, validity)."""
    _import("positive_lists", (file,), dry_run)


@import_cli.command("rates")
@click.argument("files", nargs=-1, required=True, type=_FILES)
@_DRY_RUN
def import_rates(files: tuple[str, ...], dry_run: bool) -> None:
    """Funding rates and rule periods for a new year: one file with both (a kind column),
    or the catalogue's funding_rates.csv and/or funding_rules.csv."""
    _import("rates", files, dry_run)


def init_app(app: Flask) -> None:
    app.cli.add_command(import_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(match_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(clients_cli)
