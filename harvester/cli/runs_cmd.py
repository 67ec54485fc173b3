"""``harvester runs``: crawl runs with their figures, and each worker's share of a fleet run."""

from __future__ import annotations

import click

from harvester.cli.common import open_archive, print_table, when
from harvester.cli.common import db_option, json_option, print_json

COLUMNS = ("pages_fetched", "reports_found", "new_reports", "new_versions", "unchanged", "not_modified", "not_due", "failed",
           "blocked", "errors")


@click.command()
@click.option("--site", help="Only this site's runs.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True, help="How many runs, newest first.")
@db_option
@json_option
def runs(site: str | None, limit: int, db: str | None, as_json: bool) -> None:
    """Crawl runs, newest first: status, figures, and per worker for runs shared by a fleet."""
    with open_archive(db) as archive:
        found = archive.runs(site=site, limit=limit)
    if as_json:
        print_json([{"id": r.id, "site": r.site, "kind": r.kind, "started_at": r.started_at, "finished_at": r.finished_at,
                     "status": r.status, "stats": r.stats} for r in found])
        return
    rows = []
    for run in found:
        rows.append([run.id, run.site, run.kind, when(run.started_at), run.status,
                     *(run.stats.get(c, 0) for c in COLUMNS)])
        for worker, figures in sorted((run.stats.get("workers") or {}).items()):
            rows.append(["", f"  {worker}", "", "", "", *(figures.get(c, 0) for c in COLUMNS)])
    print_table(["RUN", "SITE", "KIND", "STARTED", "STATUS", *(c.replace("_", " ").upper() for c in COLUMNS)], rows)
