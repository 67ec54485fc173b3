"""Conditional requests: report pages and attachments the archive has seen are asked for with
``If-None-Match`` / ``If-Modified-Since`` from the stored validators, so an unchanged report
costs a 304 and no download. Requests opt in with ``meta["conditional"] = True`` (list pages
never do: they are always re-read)."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.http import Request

from harvester.pipelines.archive import crawl_state_for

CONDITIONAL_META = "conditional"


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConditionalRequestMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not request.meta.get(CONDITIONAL_META):
            return
        validators = crawl_state_for(self.crawler).validators.get(request.url)
        if not validators:
            return
        etag, last_modified = validators
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified
