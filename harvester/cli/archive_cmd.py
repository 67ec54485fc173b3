"""Archive commands: ``history``, ``diff``, ``query``, ``export``, ``reparse`` and ``db upgrade``.

Thin wrappers: each opens the archive, calls one library function in ``storage`` and
prints the result for people or as JSON. Failures the user can fix (unknown report, bad
expression, unreachable database) exit 1 with one line.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

import click

from harvester.cli.common import db_option, echo, fail, json_option, open_archive, print_json, print_table, when
from harvester.config import data_dir, database_url
from storage.history import MAX_INTEGER


def _report(session: Any, ref: str) -> Any:
    from storage.history import ReportNotFound, resolve_report

    try:
        return resolve_report(session, ref)
    except ReportNotFound as exc:
        fail(str(exc))


@click.command()
@click.argument("report_ref", metavar="REPORT")
@db_option
@json_option
def history(report_ref: str, db: str | None, as_json: bool) -> None:
    """List a report's versions and captures. REPORT is a report id or "agency/year"."""
    from storage.history import report_history

    with open_archive(db) as archive, archive.session() as session:
        result = report_history(session, _report(session, report_ref))
    if as_json:
        print_json(result.to_dict())
        return
    echo(f"report {result.report_id}: {result.agency} {result.year} ({result.kind})")
    for url in result.urls:
        echo(f"  url {url['url']}  first seen {when(url['first_seen'])}, last seen {when(url['last_seen'])}")
    echo("")
    print_table(
        ["VERSION", "FIRST SEEN", "LAST SEEN", "PARSE", "PARSER", "CHANGE", "CELLS", "SECTIONS"],
        [[v.version_no, when(v.first_seen), when(v.last_seen), v.parse_status, v.parser_version,
          (f"reverted to {v.reverted_to}" if v.reverted_to else v.significance or "-"), v.cells_changed,
          v.sections_changed] for v in result.versions],
    )
    for event in result.events:
        detail = {k: v for k, v in event.items() if k not in ("kind", "at", "version_no")}
        echo(f"  {when(event['at'])}  {event['kind'].replace('_', ' ')}"
             + (f" (version {event['version_no']})" if event["version_no"] else "")
             + "".join(f"  {k}: {v}" for k, v in detail.items()))
    echo("")
    print_table(
        ["FETCHED", "STATUS", "HTTP", "OUTCOME", "VERSION", "URL"],
        [[when(c.fetched_at), c.status, c.http_status, c.outcome, c.version_no or "-", c.url] for c in result.captures],
    )


@click.command()
@click.argument("report_ref", metavar="REPORT")
@click.option("--from", "from_no", type=click.IntRange(1, MAX_INTEGER), help="Older version number (default: the one before --to).")
@click.option("--to", "to_no", type=click.IntRange(1, MAX_INTEGER), help="Newer version number (default: the latest).")
@click.option("--year", type=click.IntRange(1, 9999), help="Compare with the same agency's report of this year instead (its aliases count).")
@db_option
@json_option
def diff(report_ref: str, from_no: int | None, to_no: int | None, year: int | None, db: str | None, as_json: bool) -> None:
    """Show what changed between two versions of a report, or from another year's report."""
    from storage.history import ReportNotFound, diff_report, diff_years
    from storage.models import Report

    with open_archive(db) as archive, archive.session() as session:
        report = _report(session, report_ref)
        try:
            old, new, changes = diff_years(session, report, year) if year else diff_report(session, report, from_no, to_no)
        except ReportNotFound as exc:
            fail(str(exc))
        years = {v.id: r.year for v in (old, new) if (r := session.get(Report, v.report_id)) is not None}
    if as_json:
        print_json({"report_id": report.id, "from": old.version_no, "to": new.version_no,
                    **({"from_year": years[old.id], "to_year": years[new.id]} if year else {}), **changes.to_dict()})
        return
    if year:
        echo(f"{report.agency}: {years[old.id]} version {old.version_no} -> {years[new.id]} version {new.version_no} "
             f"({changes.significance})")
    else:
        echo(f"{report.agency} {report.year}: version {old.version_no} -> {new.version_no} ({changes.significance})")
    if changes.parse_status:
        echo(f"  parse: {changes.parse_status.old} -> {changes.parse_status.new}")
    for field in changes.metadata:
        echo(f"  {field.field}: {field.old!r} -> {field.new!r}")
    for cell in changes.cells:
        label = f" [{cell.row_label}]" if cell.row_label and cell.row_label != cell.row else ""
        echo(f"  {cell.address}{label}: {cell.old_raw!r} -> {cell.new_raw!r} ({cell.kind})")
    for label in changes.labels:
        echo(f"  {label.table} {label.part} {label.old!r} -> {label.new!r} ({label.cells} cells, same values; text)")
    for section in changes.sections:
        echo(f"  {_heading_change(section.heading, section.old_heading)}")
        for sentence in section.removed:
            echo(f"    - {sentence}")
        for sentence in section.added:
            echo(f"    + {sentence}")
    for what, findings in (("appeared", changes.findings_added), ("gone", changes.findings_removed)):
        for finding in findings:
            where = ".".join(str(part) for part in (finding.get("table"), finding.get("row"), finding.get("column")) if part)
            echo(f"  finding {what}: {finding['rule']}{' ' + where if where else ''} {finding['message']}")
    for what, hashes in (("added", changes.attachments_added), ("removed", changes.attachments_removed)):
        for sha in hashes:
            echo(f"  attachment {what}: {sha[:12]}")


def _heading_change(heading: str, old_heading: str | None) -> str:
    if old_heading is None:
        return heading
    if not heading:
        return f"{old_heading} (section gone)"
    return f"{heading} (new section)" if not old_heading else f"{heading} (was {old_heading})"


@click.command()
@click.option("--agency", help="Agency name contains this (white space and width ignored).")
@click.option("--region", help="Region contains this.")
@click.option("--year", type=click.IntRange(1, 9999), help="Report year.")
@click.option("--template", type=click.Choice(["2019", "2021", "pre-2019", "unknown"]), help="Report template.")
@click.option("--finding", "finding", metavar="RULE", help="Has a finding of this rule (or rule prefix, e.g. T3).")
@click.option("--severity", type=click.Choice(["error", "warning", "info"]), default="warning", show_default=True,
              help="The least severity of a --finding: error (does not add up), warning, info (a check not made).")
@click.option("--where", "where", multiple=True, metavar="EXPR",
              help="Cell condition, e.g. 'applications.new_received.total > 10' or '... is [not] blank|dash|number|text'; repeatable.")
@click.option("--all-versions", is_flag=True, help="Match every version, not only each report's latest.")
@click.option("--incomplete", is_flag=True,
              help="Only versions with a standard table partial or missing (or not parsed): for human review.")
@click.option("--limit", type=click.IntRange(1, MAX_INTEGER), help="At most this many rows.")
@click.option("--changed-after-publication", is_flag=True, help="Only reports whose content changed after it was first seen.")
@click.option("--withdrawn", is_flag=True, help="Only reports withdrawn from their portal (and not restored).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@json_option
@db_option
def query(agency: str | None, region: str | None, year: int | None, template: str | None, finding: str | None,
          severity: str, where: tuple[str, ...], all_versions: bool, incomplete: bool, limit: int | None,
          changed_after_publication: bool, withdrawn: bool, fmt: str, as_json: bool, db: str | None) -> None:
    """Find reports by agency, year, findings, cell values, tables not read in full, revisions and withdrawals."""
    from storage.spreadsheet_safe import spreadsheet_safe
    from storage.query import QueryError, QueryFilters, parse_where, run_query

    try:
        conditions = [parse_where(expression) for expression in where]
    except QueryError as exc:
        fail(str(exc))
    filters = QueryFilters(agency, region, year, template, finding, conditions, all_versions, limit, incomplete,
                           changed_after_publication=changed_after_publication, withdrawn=withdrawn, severity=severity)
    with open_archive(db) as archive, archive.session() as session:
        rows = run_query(session, filters)
    if fmt == "json" or as_json:
        print_json([row.to_dict() for row in rows])
        return
    addresses = [c.address for c in conditions]
    unread = ["unread"] if incomplete else []  # what a reviewer looks at, only when asked for
    headers = ["REPORT", "AGENCY", "YEAR", "VERSION", "TEMPLATE", "REGION", "PARSE", "FINDINGS", *addresses,
               *(u.upper() for u in unread)]
    table = [[r.report_id, r.agency, r.year, r.version_no, r.template, r.region, r.parse_status, r.findings,
              *(r.cells.get(a) for a in addresses), *(["; ".join(r.unread)] if incomplete else [])] for r in rows]
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["report_id", "agency", "year", "version_no", "template", "region", "parse_status", "findings",
                         *addresses, *unread])
        writer.writerows([[spreadsheet_safe(value) for value in row] for row in table])
        return
    print_table(headers, table)
    echo(f"{len(rows)} report version(s)", err=True)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--latest", is_flag=True, help="Only each report's latest version (default: every version).")
@db_option
def export(fmt: str, out: Path, latest: bool, db: str | None) -> None:
    """Export versions and cells, one row per report version and cell."""
    from storage.export import write_export
    from storage.query import QueryFilters

    if not out.parent.is_dir():
        fail(f"cannot write {out}: directory {out.parent} does not exist")
    with open_archive(db) as archive, archive.session() as session:
        count = write_export(session, out, fmt, QueryFilters(all_versions=not latest))  # type: ignore[arg-type]
    echo(f"wrote {count} rows to {out}")


@click.command()
@click.option("--report", "report_ref", metavar="REPORT", help="Re-parse one report (id or agency/year).")
@click.option("--all", "all_reports", is_flag=True, help="Re-parse every report.")
@db_option
@json_option
def reparse(report_ref: str | None, all_reports: bool, db: str | None, as_json: bool) -> None:
    """Re-parse stored bytes with the current parser (updates parses; never adds versions)."""
    from storage.reparse import reparse as reparse_versions

    if bool(report_ref) == all_reports:
        raise click.UsageError("give either --report REPORT or --all")
    with open_archive(db) as archive:
        report_id = None
        if report_ref:
            with archive.session() as session:
                report_id = _report(session, report_ref).id
        summary = reparse_versions(archive.engine, archive.blobs, report_id)
    if as_json:
        print_json({"versions": summary.versions, "changed": summary.changed, "errors": summary.errors})
        return
    echo(f"re-parsed {summary.versions} version(s); {summary.changed} parse(s) changed; {len(summary.errors)} failed")
    for error in summary.errors:
        echo(f"  {error}")


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@db_option
def upgrade(db: str | None) -> None:
    """Create the archive database or migrate it to the newest schema."""
    from storage.db import DatabaseUnavailable, check_reachable, create_engine
    from storage.migrate import current_revision, upgrade as run_upgrade

    try:
        engine = create_engine(database_url(db, data_dir()))
    except DatabaseUnavailable as exc:
        fail(str(exc))
    try:
        check_reachable(engine)
        before = current_revision(engine)
        after = run_upgrade(engine)
    except DatabaseUnavailable as exc:
        fail(str(exc))
    finally:
        engine.dispose()
    echo(f"database at revision {after}" + ("" if before == after else f" (was {before or 'empty'})"))
