"""``harvester sites`` (list the configured sites) and ``harvester sites check SITE``: a
thin layer over harvester.sitecheck."""

from __future__ import annotations

import click

from harvester.cli.common import echo, fail, json_option, print_json
from harvester.cli.crawl_cmd import sites as list_sites

SHOWN_REJECTED = 15


@click.group(invoke_without_command=True)
@click.pass_context
def sites(ctx: click.Context, **options: object) -> None:
    """List the configured sites (harvester/sites/*.yaml and $HARVESTER_SITES_DIR);
    `sites check SITE` tries one."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_sites, **options)


# `harvester sites` takes the listing's own options, whatever they are (--json, --db, …).
sites.params.extend(list_sites.params)


@sites.command()
@click.argument("site")
@click.option("--pages", default=3, show_default=True, type=click.IntRange(min=1), help="List pages to read at most.")
@click.option("--reports", default=10, show_default=True, type=click.IntRange(min=0), help="Reports to fetch at most.")
@json_option
def check(site: str, pages: int, reports: int, as_json: bool) -> None:
    """Crawl SITE's first pages without recording anything and show what the config finds:
    list pages, report links with titles and years, attachments per report, rejected links
    and why, and warnings. Exit status 1 when there are warnings."""
    from harvester.siteconfig import SiteConfigError
    from harvester.sitecheck import run_check

    try:
        result = run_check(site, max_list_pages=pages, max_reports=reports)
    except SiteConfigError as exc:
        fail(str(exc))
    if as_json:
        print_json(result.to_dict())
    else:
        _print(result)
    if result.warnings:
        fail(f"{len(result.warnings)} warning(s) for site {site}")


def _print(result) -> None:  # type: ignore[no-untyped-def]
    echo(f"site {result.site} ({result.family})")
    echo(f"list pages read: {len([p for p in result.list_pages if p.error is None])}")
    for page in result.list_pages:
        if page.error:
            echo(f"  {page.url}  FAILED: {page.error}")
        else:
            echo(f"  {page.url}  HTTP {page.status}, {page.links} links, {page.report_links} reports, {page.next_pages} next pages")
    if result.list_pages_not_read:
        echo(f"  (not read, beyond --pages: {len(result.list_pages_not_read)} more list pages)")
    echo(f"reports found: {len(result.reports)}" + (f" (+{result.reports_not_fetched} not fetched, beyond --reports)"
                                                    if result.reports_not_fetched else ""))
    for report in result.reports:
        echo(f"  {report.year or '????'}  {report.title}")
        echo(f"        {report.url}")
        for attachment in report.attachments:
            echo(f"        attachment {attachment.url} ({attachment.error or attachment.content_type or attachment.status})")
        if report.problem:
            echo(f"        NO READABLE DOCUMENT: {report.problem}")
        else:
            echo(f"        reads as: {report.agency} {report.report_year} (from {report.document_url})")
    echo(f"links rejected: {len(result.rejected)}")
    for rejected in result.rejected[:SHOWN_REJECTED]:
        echo(f"  {rejected.reason}: {rejected.title or '(no text)'}  {rejected.url}")
    if len(result.rejected) > SHOWN_REJECTED:
        echo(f"  … {len(result.rejected) - SHOWN_REJECTED} more (--json lists them all)")
    echo(f"warnings: {len(result.warnings)}")
    for warning in result.warnings:
        echo(f"  ! {warning}")
