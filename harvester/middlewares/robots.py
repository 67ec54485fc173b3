"""robots.txt as RFC 9309 reads it: Scrapy's RobotsTxtMiddleware allows everything when
robots.txt cannot be fetched, but an unreachable robots.txt (a network error, or a 5xx after
retries) means "disallow all" until it can be read. A 4xx still means "no rules".

A request robots.txt forbids fails with :class:`ForbiddenByRobots`, so the spider can tell
"the site asked us not to" from other reasons a request was dropped."""

from __future__ import annotations

from twisted.internet.defer import Deferred

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.misc import build_from_crawler

from harvester.crawl import count

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class ForbiddenByRobots(IgnoreRequest):
    """robots.txt of the request's host disallows it; it was never sent."""




class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp, request: Request) -> None:  # type: ignore[no-untyped-def]
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise ForbiddenByRobots(f"{exc}: {request.url}") from None

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            response = response.replace(body=DISALLOW_ALL)
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            super()._robots_error(exc, netloc)
            return
        count(self.crawler, "errors")  # the site could not be crawled at all
        # Requests already waiting for this host's parser get the disallow-all one too.
        waiting = self._parsers[netloc]
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)
