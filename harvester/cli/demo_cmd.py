"""``harvester demo``: what ``make demo`` runs."""

from __future__ import annotations

import click

from harvester.cli.common import db_option, echo, fail
from harvester.config import data_dir, database_url


@click.command()
@db_option
def demo(db: str | None) -> None:
    """Serve the bundled fixture portals on 127.0.0.1, crawl them into the archive
    (default data/archive.sqlite3) and show what was harvested and what fails validation."""
    from harvester.crawl import CrawlLocked
    from harvester.demo import describe, run_demo

    data = data_dir()
    url = database_url(db, data)
    echo(f"Archive: {url}")
    try:
        result = run_demo(data, url)
    except CrawlLocked as exc:
        fail(str(exc))
    describe(result, click.echo)
    if not result.summary.ok:
        fail("the demo crawl did not finish; run it again to resume")
