"""Scope: a crawl fetches only from its site's hosts (the start URLs' and ``extra_domains``).

Scrapy's OffsiteMiddleware lets through every request with ``dont_filter=True``, which the
spider sets on report pages and attachments (it keeps its own memory of what it asked for),
and judges requests the spider yields, not where a redirect or a meta refresh leads. This
middleware sits before robots.txt and the downloader and checks every request that reaches
them, redirects and refreshes included (they come back through the scheduler), so another
host is neither fetched nor asked for its robots.txt.
"""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

from harvester.crawl import count


class OutOfScope(IgnoreRequest):
    """A request for a host the site does not live on; it was never sent."""

    def __init__(self, url: str, host: str):
        super().__init__(f"not fetched: host {host or '(none)'} of {url} is not the site's (add it to extra_domains)")
        self.host = host


def host_in_scope(host: str, domains: Iterable[str]) -> bool:
    """``host`` is one of ``domains`` or a subdomain of one (as Scrapy's allowed_domains)."""
    host = host.lower().rstrip(".")
    return bool(host) and any(host == domain or host.endswith("." + domain) for domain in domains)


class ScopeMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        # The answer for each host met: a crawl asks about one or two hosts thousands of times.
        self.in_scope: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ScopeMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        if parts.scheme in ("data", "file"):
            raise OutOfScope(request.url, "")
        host = parts.hostname or ""
        in_scope = self.in_scope.get(host)
        if in_scope is None:
            in_scope = self.in_scope[host] = host_in_scope(host, self.crawler.spider.allowed_domains)
        if not in_scope:
            count(self.crawler, "offsite")
            self.crawler.spider.logger.warning("%s", OutOfScope(request.url, host))
            raise OutOfScope(request.url, host)
