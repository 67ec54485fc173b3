"""Conditional requests: report pages and attachments the archive has seen are asked for with
``If-None-Match`` / ``If-Modified-Since`` from the stored validators, so an unchanged report
costs a 304 and no download. Requests opt in with ``meta["conditional"] = True`` (list pages
never do: they are always re-read). One whose last whole download is older than
``HARVESTER_FULL_FETCH_DAYS`` is asked for without them: a server may answer 304 to the old
validators of a file replaced at the same URL, and would hide the change for ever."""

from __future__ import annotations

from datetime import timedelta

from scrapy.crawler import Crawler
from scrapy.http import Request

from harvester.pipelines.archive import crawl_state_for
from storage.clock import utcnow

CONDITIONAL_META = "conditional"


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.downloaded_after = utcnow() - timedelta(days=crawler.settings.getfloat("HARVESTER_FULL_FETCH_DAYS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConditionalRequestMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not request.meta.get(CONDITIONAL_META):
            return
        state = crawl_state_for(self.crawler)
        validators = state.validators.get(request.url)
        downloaded = state.downloaded_at.get(request.url)
        if not validators or (downloaded is not None and downloaded < self.downloaded_after):
            return
        etag, last_modified = validators
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified
