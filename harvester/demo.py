"""The demo behind ``make demo``: serve the bundled fixture portals on 127.0.0.1, crawl them
into the archive, and show what was harvested, which reports fail validation, and what to
try next."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from harvester.crawl import CrawlSummary, run_crawl
from harvester.fixtureserver.server import FixtureServer
from storage.archive import Archive
from storage.models import FindingRow
from storage.query import QueryFilters, QueryRow, run_query

FIXTURE_SITES = ("fixture-hanweb", "fixture-shandong", "fixture-trs")
DEMO_PORT = 8765  # the port the fixture site configs default to, so URLs stay stable between runs


@dataclass
class DemoResult:
    summary: CrawlSummary
    reports: list[QueryRow]
    failing: dict[int, list[FindingRow]] = field(default_factory=dict)  # version id -> error findings


def start_fixture_server() -> FixtureServer:
    """The fixture portals on the default port, or on any free port when it is taken."""
    try:
        return FixtureServer(port=DEMO_PORT).start()
    except OSError:
        return FixtureServer(port=0).start()


def run_demo(data_dir: Path, db_url: str, progress: bool | None = None) -> DemoResult:
    server = start_fixture_server()
    os.environ["HARVESTER_FIXTURE_URL"] = server.url
    try:
        summary = run_crawl(list(FIXTURE_SITES), db_url=db_url, data_dir=data_dir, progress=progress)
    finally:
        server.stop()
    with Archive.open(db_url, data_dir) as archive, archive.session() as session:
        reports = run_query(session, QueryFilters())
        ids = [row.version_id for row in reports if row.findings]
        failing: dict[int, list[FindingRow]] = {}
        if ids:
            errors = session.scalars(
                sa.select(FindingRow)
                .where(FindingRow.version_id.in_(ids), FindingRow.severity == "error")
                .order_by(FindingRow.version_id, FindingRow.id)
            )
            for finding in errors:
                failing.setdefault(finding.version_id, []).append(finding)
                session.expunge(finding)
    return DemoResult(summary=summary, reports=reports, failing=failing)


def describe(result: DemoResult, echo: Callable[[str], None]) -> None:
    """Print the result for people: the reports, the failing ones, and commands to try."""
    stats = result.summary.sites.values()
    echo("")
    echo(
        f"Harvested {len(result.reports)} reports from {len(result.summary.sites)} fixture portals "
        f"({sum(s.pages_fetched for s in stats)} pages, {sum(s.new_versions for s in stats)} new versions, "
        f"{sum(s.failed for s in stats)} failed captures, {result.summary.elapsed:.1f}s)."
    )
    echo("")
    echo(f"{'ID':>4}  {'YEAR':<4}  {'TEMPLATE':<8}  {'VER':>3}  {'FINDINGS':>8}  AGENCY")
    for row in result.reports:
        echo(f"{row.report_id:>4}  {row.year:<4}  {row.template or '-':<8}  {row.version_no:>3}  {row.findings:>8}  {row.agency}")
    echo("")
    by_version = {row.version_id: row for row in result.reports}
    if result.failing:
        echo(f"{len(result.failing)} report(s) fail validation:")
        for version_id, findings in result.failing.items():
            row = by_version[version_id]
            echo(f"  {row.agency} {row.year} (report {row.report_id}):")
            for finding in findings:
                where = ".".join(part for part in (finding.table_name, finding.row_key, finding.column_key) if part)
                echo(f"    {finding.rule} {where}: printed {finding.printed}, expected {finding.expected}")
    else:
        echo("No report fails validation.")
    echo("")
    example = result.reports[0] if result.reports else None
    echo("Try next (the archive is in the data directory; add --json for machine-readable output):")
    echo("  harvester query --year 2020 --agency 淄博")
    echo("  harvester query --where 'applications.new_received.total > 3'")
    echo("  harvester query --finding T3")
    if example is not None:
        echo(f"  harvester history {example.report_id}")
        echo(f"  harvester diff {example.report_id}")
    echo("  harvester export --format csv --out reports.csv")
    echo("See README.md, 'Walkthrough', to change a report on the fixture portal and diff the re-crawl.")
    echo("Browse it: run `harvester serve` and open http://127.0.0.1:8000/ (report cards, diffs, charts).")
