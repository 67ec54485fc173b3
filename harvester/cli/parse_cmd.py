"""`harvester parse` and `harvester validate`: the parser on local files."""

from __future__ import annotations

from dataclasses import asdict

import click

from harvester.cli.common import echo, fail, json_option, print_json
from parsers.api import parse_file
from parsers.errors import ParseError
from parsers.report import Report
from parsers.summary import describe_completeness, describe_finding, describe_report, incomplete_tables


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
        echo("\n".join(describe_report(report)))


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_option
@click.option("--strict", is_flag=True, help="Exit 1 when any report has an error finding.")
def validate(files: tuple[str, ...], as_json: bool, strict: bool) -> None:
    """Check reports for consistency findings (勾稽关系, counts, quality) and tables that could not be read.

    Every file is checked; the exit status is 1 when a file could not be read, or a table of
    a 2019+ report is partial or missing (with --strict also when a report has an error finding).
    """
    results = []
    unreadable = incomplete = errors = 0
    for file in files:
        report = _parse_one(file, results)
        if report is None:
            unreadable += 1
            continue
        errors += sum(1 for f in report.findings if f.severity == "error")
        incomplete += bool(incomplete_tables(report))
        results.append({"file": file, "findings": [asdict(f) for f in report.findings],
                        "completeness": {t: c.to_dict() for t, c in report.completeness.items()}})
        if not as_json:
            echo(f"{file}: {len(report.findings)} finding(s)")
            for line in [*describe_completeness(report), *map(describe_finding, report.findings)]:
                echo(f"  {line}")
    if as_json:
        print_json(results)
    problems = []
    if unreadable:
        problems.append(f"{unreadable} of {len(files)} file(s) could not be read")
    if incomplete:
        problems.append(f"{incomplete} of {len(files)} report(s) with tables not read in full")
    if strict and errors:
        problems.append(f"{errors} error finding(s)")
    if problems:
        fail("; ".join(problems))


def _parse_one(file: str, results: list[dict]) -> Report | None:
    """The file's report, or None after saying on stderr why it could not be read.

    Anything the parser raises is caught here, so that one bad file never stops the others.
    """
    try:
        return parse_file(file)[1]
    except ParseError as exc:
        reason = str(exc)
    except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not hide the others' results
        reason = f"parser failure ({type(exc).__name__}): {exc}"
    echo(f"{file}: {reason}", err=True)
    results.append({"file": file, "error": reason})
    return None


@click.command(name="eval")
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
def evaluate(directory: str) -> None:
    """Score the parser on every document in DIRECTORY that has an expected JSON (one JSON line each, then the total)."""
    import json
    from pathlib import Path

    from parsers.accuracy import discover, score, total

    cases = discover(Path(directory))
    if not cases:
        fail(f"no document with an expected JSON under {directory} (DIR/expected/NAME.json or NAME.expected.json)")
    scores = []
    for case in cases:
        scores.append(score(case))
        echo(json.dumps(scores[-1].to_dict(), ensure_ascii=False))
    echo(json.dumps({"total": total(scores)}, ensure_ascii=False))
