"""`harvester parse` and `harvester validate`: the parser on local files."""

from __future__ import annotations

from dataclasses import asdict

import click

from harvester.cli.common import fail, json_option, print_json
from parsers.api import parse_file
from parsers.errors import ParseError
from parsers.summary import describe_finding, describe_report


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
def parse(file: str, as_json: bool) -> None:
    """Parse a report file (HTML, DOCX, PDF, DOC/WPS, text) and show what it says."""
    try:
        _, report = parse_file(file)
    except ParseError as exc:
        fail(f"{file}: {exc}")
    if as_json:
        print_json(report.to_dict())
    else:
        click.echo("\n".join(describe_report(report)))


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_option
@click.option("--strict", is_flag=True, help="Exit 1 when any report has an error finding.")
def validate(files: tuple[str, ...], as_json: bool, strict: bool) -> None:
    """Check reports for consistency findings (勾稽关系, counts, quality)."""
    results = []
    unreadable = errors = 0
    for file in files:
        try:
            _, report = parse_file(file)
        except ParseError as exc:
            unreadable += 1
            click.echo(f"{file}: {exc}", err=True)
            results.append({"file": file, "error": str(exc)})
            continue
        errors += sum(1 for f in report.findings if f.severity == "error")
        results.append({"file": file, "findings": [asdict(f) for f in report.findings]})
        if not as_json:
            click.echo(f"{file}: {len(report.findings)} finding(s)")
            for finding in report.findings:
                click.echo(f"  {describe_finding(finding)}")
    if as_json:
        print_json(results)
    if unreadable:
        fail(f"{unreadable} of {len(files)} file(s) could not be read")
    if strict and errors:
        fail(f"{errors} error finding(s)")
