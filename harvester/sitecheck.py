"""Checking a site config before trusting it: crawl the site's first list pages and a few
of its reports as a real crawl would (same spider, walker, politeness and robots.txt), record
nothing, and say what was found: list pages read, report links with their titles and years,
the attachments of each report and whether one of its documents reads as a report, links
turned down and why, and warnings when paging stops early or a report has no readable
document. ``harvester sites check`` prints it.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.http import Response
from twisted.python.failure import Failure

from harvester.items import ReportItem
from harvester.recheck import RecheckPolicy
from harvester.siteconfig import SiteConfig, load_site
from harvester.spiders.reports import ReportsSpider
from harvester.spiders.walkers import ListPage
from parsers.title import is_annual_report_title, parse_report_title

DEFAULT_LIST_PAGES = 3
DEFAULT_REPORTS = 10
# A pager that says there is more: 下一页/尾页 links, "共N页" (more pages than were read).
_PAGER_WORDS = re.compile(r"下一页|下页|尾页|末页|next\s*page", re.I)
_PAGE_TOTAL = re.compile(r"共\s*(\d+)\s*页")


@dataclass
class ListPageSeen:
    url: str
    status: int
    links: int = 0
    report_links: int = 0
    next_pages: int = 0
    pager_hint: str | None = None  # what on the page says there are more pages
    error: str | None = None


@dataclass
class Rejected:
    url: str
    title: str
    reason: str


@dataclass
class DocumentSeen:
    url: str
    status: str  # ok | error | blocked
    http_status: int
    content_type: str | None = None
    error: str | None = None


@dataclass
class ReportSeen:
    url: str
    title: str
    year: int | None  # from the listing title
    page: DocumentSeen | None = None
    attachments: list[DocumentSeen] = field(default_factory=list)
    document_url: str | None = None  # the resource that reads as the report
    agency: str | None = None
    report_year: int | None = None
    problem: str | None = None  # why no document of it reads as a report


@dataclass
class SiteCheck:
    site: str
    family: str
    start_urls: list[str]
    list_pages: list[ListPageSeen] = field(default_factory=list)
    reports: list[ReportSeen] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    list_pages_not_read: list[str] = field(default_factory=list)  # beyond the check's budget
    reports_not_fetched: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class CheckSpider(ReportsSpider):
    """The crawl's spider, noting what it reads and stopping after the check's budget."""

    name = "sitecheck"

    def __init__(self, site: SiteConfig, check: SiteCheck, max_list_pages: int, max_reports: int, **kwargs: Any):
        super().__init__(site, **kwargs)
        self.check = check
        self.max_list_pages = max_list_pages
        self.max_reports = max_reports
        self.list_requests = len(site.start_urls)
        self.recheck = RecheckPolicy()  # a check looks at the site's reports, whatever the archive holds

    def parse(self, response: Response, **kwargs: Any):  # type: ignore[no-untyped-def]
        for request in super().parse(response, **kwargs):
            if request.callback == self.parse and request.url != response.url:
                if self.list_requests >= self.max_list_pages:
                    if request.url not in self.check.list_pages_not_read:
                        self.check.list_pages_not_read.append(request.url)
                    continue
                self.list_requests += 1
            elif request.callback == self.parse_report:
                if len(self.check.reports) >= self.max_reports:
                    self.check.reports_not_fetched += 1
                    continue
                capture = request.meta["capture"]
                self.check.reports.append(ReportSeen(request.url, capture.listing_title, _year(capture.listing_title)))
            yield request

    def list_read(self, response: Response, page: ListPage) -> None:
        reports = [link for link in page.links if is_annual_report_title(link.title)]
        self.check.list_pages.append(ListPageSeen(
            response.url, response.status, len(page.links), len(reports), len(page.next_requests), _pager_hint(response)))
        known = {rejected.url for rejected in self.check.rejected}
        for link in page.links:
            if link.url in known:
                continue
            known.add(link.url)
            if not is_annual_report_title(link.title):
                self.check.rejected.append(Rejected(link.url, link.title, "title is not an annual report's"))
            elif not self._on_site(link.url):
                self.check.rejected.append(Rejected(link.url, link.title, "off site (add its host to extra_domains)"))

    def list_failed(self, failure: Failure) -> None:
        super().list_failed(failure)
        self.check.list_pages.append(ListPageSeen(failure.request.url, 0, error=failure.getErrorMessage().splitlines()[0]))


def _year(title: str | None) -> int | None:
    info = parse_report_title(title or "")
    return info.year if info else None


def _pager_hint(response: Response) -> str | None:
    text = response.text if hasattr(response, "text") else ""
    match = _PAGE_TOTAL.search(text) or _PAGER_WORDS.search(text)
    return match.group(0) if match else None


def run_check(name: str, *, max_list_pages: int = DEFAULT_LIST_PAGES, max_reports: int = DEFAULT_REPORTS,
              settings: dict[str, Any] | None = None) -> SiteCheck:
    """Crawl the first ``max_list_pages`` list pages and ``max_reports`` reports of site
    ``name`` without recording anything. Raises SiteConfigError for an unknown or broken
    site. Runs a Scrapy process: call it once per process."""
    from scrapy.crawler import AsyncCrawlerProcess, Crawler

    from harvester.crawl import project_settings, site_settings

    site = load_site(name)
    check = SiteCheck(site.name, site.family, list(site.start_urls))
    overrides = {
        **(settings or {}),
        "ITEM_PIPELINES": {},  # nothing is parsed in the pipeline nor recorded
        "JOBDIR": None,
        "LOG_LEVEL": (settings or {}).get("LOG_LEVEL", "ERROR"),
        "DOWNLOADER_MIDDLEWARES": {**project_settings().getdict("DOWNLOADER_MIDDLEWARES"),
                                   "harvester.middlewares.conditional.ConditionalRequestMiddleware": None},
    }
    captures: list[ReportItem] = []
    with tempfile.TemporaryDirectory(prefix="sitecheck-") as scratch:
        crawler = Crawler(CheckSpider, site_settings(site, db_url="sqlite://", data_dir=Path(scratch), overrides=overrides))
        crawler.signals.connect(lambda item, **_: captures.append(item), signal=signals.item_scraped, weak=False)
        process = AsyncCrawlerProcess(project_settings(overrides))
        process.crawl(crawler, site=site, check=check, max_list_pages=max_list_pages, max_reports=max_reports)
        process.start()
    _read_documents(check, site, captures)
    check.warnings = warnings(check)
    return check


def _read_documents(check: SiteCheck, site: SiteConfig, captures: list[ReportItem]) -> None:
    """Fill each report with its fetches and with the document that parses as the report,
    parsed here as the crawl's parse step would."""
    from harvester.pipelines.capture_parse import parse_capture

    by_url = {report.url: report for report in check.reports}
    for capture in captures:
        seen = by_url.get(capture.page.url)
        if seen is None:
            continue
        seen.page = _document(capture.page)
        seen.attachments = [_document(a) for a in capture.attachments]
        if capture.page.body is None:
            seen.problem = f"page not fetched: {capture.page.error}"
            continue
        bodies = {r.url: r.body for r in [capture.page, *capture.attachments] if r.body is not None}
        outcome = parse_capture(capture, site, bodies)
        metadata = (outcome.report or {}).get("metadata") or {}
        has_report = bool(outcome.report and (outcome.report.get("sections") or any(outcome.report.get("tables", {}).values())))
        seen.document_url = outcome.document_url
        seen.agency, seen.report_year = metadata.get("agency"), metadata.get("year")
        if outcome.error:
            seen.problem = outcome.error
        elif not has_report:
            seen.problem = "no section or table in the page or any attachment"


def _document(resource: Any) -> DocumentSeen:
    return DocumentSeen(resource.url, resource.status, resource.http_status, resource.content_type, resource.error)


def warnings(check: SiteCheck) -> list[str]:
    """What should stop a user from trusting the config as it is."""
    found: list[str] = []
    read = [page for page in check.list_pages if page.error is None]
    if not read:
        found.append("no list page could be read")
    for page in check.list_pages:
        if page.error:
            found.append(f"list page {page.url} failed: {page.error}")
    followed = any(page.next_pages for page in read)
    hinted = [page for page in read if page.pager_hint]
    if hinted and not followed:
        found.append(f"paging stops early: {hinted[0].url} shows a pager ({hinted[0].pager_hint}) but no next page was found"
                     " (set selectors.next_page, or render: auto if the pager is drawn by a script)")
    else:
        totals = [int(m.group(1)) for page in hinted if (m := _PAGE_TOTAL.search(page.pager_hint or ""))]
        if totals and max(totals) > len(read) and not check.list_pages_not_read:
            found.append(f"paging stops early: the pager says {max(totals)} pages, {len(read)} were found")
    if read and not any(page.report_links for page in read):
        found.append("no report link on the list pages: check start_urls, selectors.list_links, or render: auto")
    for report in check.reports:
        if report.problem:
            found.append(f"no readable document for {report.title}: {report.problem}")
    return found

