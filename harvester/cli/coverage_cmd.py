"""``harvester coverage``: which expected agencies published a year's report on time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from harvester.cli.common import echo, open_archive, print_table
from harvester.cli.common import db_option, fail, json_option, print_json


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.command()
@click.option("--year", type=click.IntRange(1990, 2100), required=True, help="Report year (the year reported on).")
@click.option("--region", help="Only agencies whose region contains this text.")
@click.option("--site", help="Only agencies of this site.")
@click.option("--expected", "expected_file", type=click.Path(path_type=Path),
              help="YAML list of agencies you expect a report from (default: $HARVESTER_EXPECTED).")
@click.option("--as-of", "as_of", callback=_day, metavar="YYYY-MM-DD", help="Judge deadlines as of this day (default: today).")
@db_option
@json_option
def coverage(year: int, region: str | None, site: str | None, expected_file: Path | None, as_of: date | None,
             db: str | None, as_json: bool) -> None:
    """Who published their report on YEAR on time, late, or not at all.

    Expected agencies are those with a report of the three years before on the same site,
    plus those listed in the --expected file. Departments are due on 31 January, governments
    (and zone management committees) on 31 March of the following year.
    """
    from harvester.expected import ExpectedListError, load_expected
    from storage.coverage import coverage as compute

    try:
        expected = load_expected(expected_file)
    except ExpectedListError as exc:
        fail(str(exc))
    with open_archive(db) as archive, archive.session() as session:
        result = compute(session, year, as_of=as_of or date.today(), region=region, site=site, expected=expected)
    if as_json:
        print_json(result.to_dict())
        return
    counts = result.counts()
    echo(f"report year {year}, as of {result.as_of}: {counts['on_time']} on time, {counts['late']} late, "
         f"{counts['missing']} missing, {counts['pending']} not yet due")
    if result.entries:
        echo("")
        print_table(["STATUS", "AGENCY", "REGION", "SITE", "DUE", "PUBLISHED", "DAYS LATE"],
               [[e.status, e.agency, e.region or "-", e.site or "-", e.deadline,
                 f"{e.published}{'' if e.date_source != 'first_seen' else ' (first seen)'}" if e.published else "-",
                 e.days_late or ""] for e in result.entries])
