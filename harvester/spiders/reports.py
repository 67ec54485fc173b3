"""The one spider: walks a site's columns with its family's walker, keeps the links whose
title is an annual report's, and captures each report page with its attachments.

One capture is one item (:class:`harvester.items.ReportItem`): the page and every attachment
are fetched in a chain of requests carrying the capture in ``meta`` (picklable, so the chain
survives in JOBDIR). Report and attachment requests are conditional (see
``harvester.middlewares.conditional``); list pages are always re-read.

Every URL is asked for once per run by the spider's own memory rather than Scrapy's
persistent dupefilter: after a SIGKILL, JOBDIR's ``requests.seen`` lists requests that were
never answered, and trusting it would lose their reports on resume. Re-walking the lists is
cheap, and already recorded reports come back as 304 or as "unchanged".
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from harvester.crawl import count, count_selector
from harvester.items import ReportItem, Resource
from harvester.middlewares.challenge import ChallengeBlocked
from harvester.middlewares.conditional import CONDITIONAL_META
from harvester.middlewares.robots import ForbiddenByRobots
from harvester.middlewares.scope import OutOfScope
from harvester.pipelines.archive import crawl_state_for
from harvester.recheck import RecheckPolicy
from harvester.siteconfig import SiteConfig, load_site
from harvester.spiders.error_pages import as_decoded, error_list_page_reason, error_page_reason
from harvester.spiders.pictures import is_picture, left_out, picture_meta, picture_urls, worth_keeping
from harvester.spiders.reportpage import attachment_urls, failed_resource, is_web_page, page_title, resource_from_response
from harvester.spiders.render import RENDER_META, RenderPolicy
from harvester.spiders.walkers import ListPage, walker_for
from parsers.title import is_annual_report_title, may_be_cut_report_title, may_be_report_link, parse_report_title
from storage.clock import utcnow

CAPTURE_META = "capture"
RECHECK_ALL_SETTING = "HARVESTER_RECHECK_ALL"  # ask for every listed page whatever the site's recheck says
# Sent with the report pages a list page listed that the crawl leaves for later (``urls``): a
# fleet gathers them for the worker that concludes the run's withdrawals (harvester.distributed.runs).
not_due_listed = object()
# Sent once, with the crawl's first request of a report page: what it fetches will be recorded
# (the record pipeline starts its writer then, not for a crawl that asks for no report).
reports_requested = object()
LIST_FAILED_STAT = "list_pages_failed"
PENDING_META = "pending_attachments"
CUT_TITLE_META = "cut_title"  # the list showed the title cut short: the page says whether it is a report
PICTURES_META = "table_pictures"  # which of the pending URLs are pictures of the page's body


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, site: str | SiteConfig, **kwargs: Any):
        super().__init__(**kwargs)
        self.site = site if isinstance(site, SiteConfig) else load_site(site)
        self.allowed_domains = self.site.allowed_domains
        self.walk = walker_for(self.site.family)
        # What this run has asked for; None in a fleet, whose shared queue asks for each
        # request's once_key only once per run (harvester.distributed.queue).
        self.seen: set[str] | None = set()
        self.render = RenderPolicy(self.site.render, self.site.render_budget)
        self.pictures_per_page, self.picture_bytes = 0, 0  # set from the settings in from_crawler
        self.site_hosts: dict[str, bool] = {}  # _on_site's answer for each host met
        self.recheck = self.site.recheck
        self.not_due: set[str] = set()  # listed report pages left for a later crawl (harvester.recheck)
        self.asked_for_reports = False  # whether reports_requested was sent

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "ReportsSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        if crawler.settings.get("HARVESTER_DISTRIBUTED"):
            spider.seen = None
        if crawler.settings.getbool(RECHECK_ALL_SETTING):
            spider.recheck = RecheckPolicy()
        spider.pictures_per_page = crawler.settings.getint("HARVESTER_TABLE_PICTURES")
        spider.picture_bytes = crawler.settings.getint("HARVESTER_TABLE_PICTURE_BYTES")
        crawler.signals.connect(spider.callback_failed, signal=signals.spider_error)
        return spider

    def callback_failed(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        """A callback raised: the page's reports (or its capture) are lost for this run, which
        the crawl's summary must say rather than end as if all went well."""
        count(self.crawler, "errors")
        count(self.crawler, "spider_errors")

    async def start(self) -> AsyncIterator[Request]:
        if self.settings.get("HARVESTER_DISTRIBUTED") == "worker":
            return  # the seeder asked for the start URLs
        for url in self.site.start_urls:
            self._first_time(url)
            yield Request(url, callback=self.parse, errback=self.list_failed, dont_filter=True,
                          meta=self.render.page_meta(url))

    def _first_time(self, url: str) -> bool:
        if not self._on_site(url):
            return False
        if self.seen is None:
            return True
        if url in self.seen:
            return False
        self.seen.add(url)
        return True

    def once_key(self, request: Request) -> str | None:
        """What ``_first_time`` asks of a request, for the fleet's shared queue; None: always."""
        callback = getattr(request.callback, "__name__", None)
        if callback == "parse":  # a list page asked for again to be rendered is another request
            rendered = "#rendered" if request.meta.get(RENDER_META) else ""
            return request.url + request.body.decode("latin-1") + rendered
        if callback == "parse_report":
            return request.url
        return None

    def _on_site(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        on_site = self.site_hosts.get(host)
        if on_site is None:
            on_site = self.site_hosts[host] = any(host == domain or host.endswith("." + domain)
                                                  for domain in self.allowed_domains)
        return on_site

    # -- list pages -------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Request]:
        count(self.crawler, "pages_fetched")
        count(self.crawler, "list_pages")
        response = as_decoded(response)
        self._try_selector(response, "list_links")
        page = self.walk(response, self.site)
        reports = [link for link in page.links if may_be_report_link(link.title)]
        rendered = self.render.retry(response, len(reports))
        if rendered is not None:
            yield rendered
            return
        failed = error_list_page_reason(response) if not reports and isinstance(response, TextResponse) else None
        if failed is not None:  # a maintenance page for page 3 of 5: its reports are not known to be gone
            count(self.crawler, LIST_FAILED_STAT)
            count(self.crawler, "errors")
            self.logger.warning("list page %s failed: %s", response.url, failed)
            return
        self.list_read(response, page)
        later = []
        for link in reports:
            if not self._first_time(link.url):
                continue
            if self._due(link.url, link.date):
                yield self._report_request(link.url, link.title, link.date)
            else:
                later.append(link.url)
        if later:
            self.not_due.update(later)
            count(self.crawler, "reports_found", len(later))
            count(self.crawler, "not_due", len(later))
            self.crawler.signals.send_catch_log(signal=not_due_listed, urls=later)
        for request in page.next_requests:
            if self._first_time(request.url + request.body.decode("latin-1")):
                yield request.replace(callback=self.parse, errback=self.list_failed, dont_filter=True,
                                      meta={**request.meta, **self.render.page_meta(request.url)})

    def _due(self, url: str, listed_on: str | None) -> bool:
        if not self.recheck.in_turns:
            return True
        known = crawl_state_for(self.crawler).pages.get(url)
        return self.recheck.due(url, listed_on, known, utcnow())

    def list_read(self, response: Response, page: ListPage) -> None:
        """Called with each list page as read (``harvester sites check`` looks here)."""

    def _try_selector(self, response: Response, key: str) -> None:
        css = self.site.selectors.get(key)
        if css and isinstance(response, TextResponse):
            count_selector(self.crawler, key, bool(response.css(css)))

    def list_failed(self, failure: Failure) -> None:
        # Any unread list page may be the one listing a report: no withdrawal is concluded.
        count(self.crawler, LIST_FAILED_STAT)
        if not (_not_requested(failure) or failure.check(ChallengeBlocked)):  # challenges count as blocked
            count(self.crawler, "errors")
        self.logger.warning("list page %s failed: %s", failure.request.url, failure.getErrorMessage())

    # -- report pages and attachments -------------------------------------------------------
    def _report_request(self, url: str, title: str, date: str | None) -> Request:
        if not self.asked_for_reports:
            self.asked_for_reports = True
            self.crawler.signals.send_catch_log(signal=reports_requested)
        capture = ReportItem(site=self.site.name, page=None, listing_title=title, listing_date=date)  # type: ignore[arg-type]
        # A rendered page is never asked for conditionally: a browser's 304 leaves nothing to read.
        rendered = self.render.page_meta(url)
        meta = {CAPTURE_META: capture, **rendered} if rendered else _conditional({CAPTURE_META: capture})
        if may_be_cut_report_title(title):
            meta[CUT_TITLE_META] = True
        return Request(url, callback=self.parse_report, errback=self.report_failed, dont_filter=True, meta=meta)

    def parse_report(self, response: Response) -> Iterator[Request | ReportItem]:
        count(self.crawler, "pages_fetched")
        capture: ReportItem = response.meta[CAPTURE_META]
        if response.meta.get(CUT_TITLE_META) and response.status != 304 and is_web_page(response):
            title = page_title(response)
            if not is_annual_report_title(title or ""):
                return  # another document whose cut title looked like a report's
            capture.listing_title = title
        count(self.crawler, "reports_found")
        capture.page = resource_from_response(response)
        pictures: list[str] = []
        if response.status == 304:
            # The page is unchanged, but an attachment may have been re-uploaded at its old URL.
            pending = crawl_state_for(self.crawler).attachments.get(capture.page.url, [])
        elif not is_web_page(response):
            pending = []  # the link led straight to the report's document
        else:
            selectors = self.site.selectors
            self._try_selector(response, "body")
            listed = parse_report_title(capture.listing_title or "")
            pending = attachment_urls(response, selectors.get("attachments"), selectors.get("body"), listed)
            pictures = [url for url in picture_urls(response, self._on_site, self.pictures_per_page) if url not in pending]
            reason = error_page_reason(response, bool(pending or pictures))  # type: ignore[arg-type]
            if reason is not None:
                self.logger.warning("%s: %s", capture.page.url, reason)
                capture.page = failed_resource(capture.page.url, "error", reason, response.status)
        yield from self._continue(capture, pending + pictures, pictures)

    def report_failed(self, failure: Failure) -> Iterator[ReportItem]:
        if _not_requested(failure):
            return
        if failure.request.meta.get(CUT_TITLE_META):  # not known to be a report: nothing to record a failure of
            count(self.crawler, "errors")
            self.logger.warning("page %s, listed with a cut title, failed: %s", failure.request.url, failure.getErrorMessage())
            return
        count(self.crawler, "reports_found")
        capture: ReportItem = failure.request.meta[CAPTURE_META]
        capture.page = _failed(failure)
        yield capture

    def parse_attachment(self, response: Response) -> Iterator[Request | ReportItem]:
        count(self.crawler, "pages_fetched")
        capture: ReportItem = response.meta[CAPTURE_META]
        if not is_picture(response.meta) or worth_keeping(response):
            capture.attachments.append(resource_from_response(response))
        yield from self._continue(capture, response.meta[PENDING_META], response.meta.get(PICTURES_META, []))

    def attachment_failed(self, failure: Failure) -> Iterator[Request | ReportItem]:
        # Whatever kept an attachment from us (robots.txt, another host, a size limit, a
        # broken answer) makes the capture incomplete: it is recorded as failed, never
        # as a version of the page without its document. A picture of the body the server
        # no longer has, or one past the size limit, is left out (harvester.spiders.pictures).
        meta = failure.request.meta
        capture: ReportItem = meta[CAPTURE_META]
        if not (is_picture(meta) and left_out(failure)):
            capture.attachments.append(_failed(failure))
        yield from self._continue(capture, meta[PENDING_META], meta.get(PICTURES_META, []))

    def _continue(self, capture: ReportItem, pending: list[str], pictures: list[str]) -> Iterator[Request | ReportItem]:
        if not pending:
            yield capture
            return
        url, rest = pending[0], pending[1:]
        meta = _conditional({CAPTURE_META: capture, PENDING_META: rest, PICTURES_META: pictures})
        if url in pictures:
            meta = picture_meta(meta, self.picture_bytes)
        yield Request(url, callback=self.parse_attachment, errback=self.attachment_failed, dont_filter=True, meta=meta)


def _conditional(meta: dict[str, Any]) -> dict[str, Any]:
    return {**meta, CONDITIONAL_META: True, "handle_httpstatus_list": [304]}


def _not_requested(failure: Failure) -> bool:
    """Left alone because robots.txt says so: a report page the site does not want crawled is
    not the site's report to record. Any other drop (another host, a size limit) is a failure."""
    return bool(failure.check(ForbiddenByRobots))


def _failed(failure: Failure) -> Resource:
    # A capture is known by the URL asked for, not where a redirect led.
    url = (failure.request.meta.get("redirect_urls") or [failure.request.url])[0]
    if failure.check(OutOfScope, ForbiddenByRobots):
        return failed_resource(url, "blocked", str(failure.value))
    if failure.check(ChallengeBlocked):
        return failed_resource(url, "blocked", failure.value.reason, failure.value.status)
    if failure.check(HttpError):
        status = failure.value.response.status
        return failed_resource(url, "error", f"HTTP {status}", status)
    return failed_resource(url, "error", failure.getErrorMessage().splitlines()[0] if failure.getErrorMessage() else repr(failure.value))
