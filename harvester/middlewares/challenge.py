"""Anti-bot challenge pages (瑞数 412/202 with odd cookies, WZWS 307 + wzws_cid, 加速乐 521 +
__jsluid): detected, counted, backed off and handed to the request's errback as
:class:`ChallengeBlocked` so the spider records a *blocked* capture. The harvester never tries
to solve them, and a challenge page never becomes a report version."""

from __future__ import annotations

from urllib.parse import urlsplit

import re
from collections.abc import Iterable

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

# 瑞数 cookies are random 10+ character names ending in S or T ("FSSBBIl1UgzbN7NO", "NOh8RTWx6K2dS").
_RUISHU_COOKIE = re.compile(r"^[A-Za-z0-9]{10,}[ST]$")
_RUISHU_BODY = (b"$_ts", b"_$ts")
_JSL_BODY = b"document.cookie"


class ChallengeBlocked(IgnoreRequest):
    def __init__(self, reason: str, status: int):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def cookie_names(set_cookie_headers: Iterable[bytes]) -> list[str]:
    return [h.split(b"=", 1)[0].strip().decode("latin-1") for h in set_cookie_headers]


def detect_challenge(status: int, set_cookies: list[str], body: bytes, location: str = "") -> str | None:
    """Name of the challenge this answer is, or None for an ordinary answer."""
    lowered = body[:4096].lower()
    if any(name.startswith("wzws") for name in set_cookies) or "wzwsre" in location.lower() or b"wzws" in lowered:
        return "WZWS challenge"
    if status == 521 or (any(name.startswith("__jsl") for name in set_cookies) and _JSL_BODY in lowered):
        return "加速乐 challenge"
    if status == 412:
        return "瑞数 challenge (412)"
    if status == 202 and (any(_RUISHU_COOKIE.match(n) for n in set_cookies) or any(m in body for m in _RUISHU_BODY)):
        return "瑞数 challenge (202)"
    return None


# Sent with host= and seconds= when a host is backed off after a challenge page, so that
# whoever spaces requests beyond this process (harvester.distributed.politeness) can follow.
host_backed_off = object()


class ChallengeMiddleware:
    def __init__(self, crawler: Crawler, backoff: float, backoff_max: float):
        self.crawler = crawler
        self.backoff = backoff
        self.backoff_max = backoff_max

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ChallengeMiddleware":
        settings = crawler.settings
        return cls(
            crawler,
            settings.getfloat("HARVESTER_CHALLENGE_BACKOFF"),
            settings.getfloat("HARVESTER_CHALLENGE_BACKOFF_MAX"),
        )

    def process_response(self, request: Request, response: Response) -> Response:
        reason = detect_challenge(
            response.status,
            cookie_names(response.headers.getlist(b"Set-Cookie")),
            response.body,
            (response.headers.get(b"Location") or b"").decode("latin-1"),
        )
        if reason is None:
            return response
        self.crawler.stats.inc_value("harvester/blocked")
        self._back_off(request)
        raise ChallengeBlocked(f"{reason} at {response.url}", response.status)

    def _back_off(self, request: Request) -> None:
        """Slow the host down: its slot delay becomes at least ``backoff`` and doubles per challenge."""
        if self.backoff <= 0:
            return
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.delay = min(self.backoff_max, max(self.backoff, slot.delay * 2))
            self.crawler.signals.send_catch_log(host_backed_off, host=urlsplit(request.url).netloc, seconds=slot.delay)
