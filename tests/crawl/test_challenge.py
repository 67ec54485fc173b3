"""Challenge detection: the anti-bot answers of domain.md are recognised, ordinary answers are not."""

from __future__ import annotations

import pytest

from harvester.middlewares.challenge import cookie_names, detect_challenge


@pytest.mark.parametrize(
    ("status", "cookies", "body", "location", "expected"),
    [
        (412, ["FSSBBIl1UgzbN7NO"], b"<html><script>$_ts=window['$_ts'];</script>", "", "瑞数 challenge (412)"),
        (202, ["NOh8RTWx6K2dS", "NOh8RTWx6K2dT"], b"<html></html>", "", "瑞数 challenge (202)"),
        (202, [], b"<script>var $_ts={};</script>", "", "瑞数 challenge (202)"),
        (307, ["wzws_cid"], b"", "/WZWSREL2NvbC9pbmRleC5odG1s", "WZWS challenge"),
        (200, [], b"<html><script>wzwschallenge='abc'</script>", "", "WZWS challenge"),
        (521, ["__jsluid_h"], b"<script>document.cookie=('__jsl_clearance')</script>", "", "加速乐 challenge"),
        (200, ["__jsluid_s"], b"<script>document.cookie=('__jsl_clearance_s=1')</script>", "", "加速乐 challenge"),
    ],
)
def test_challenges_are_recognised(status: int, cookies: list[str], body: bytes, location: str, expected: str) -> None:
    assert detect_challenge(status, cookies, body, location) == expected


@pytest.mark.parametrize(
    ("status", "cookies", "body"),
    [
        (200, [], "<html><body>一、总体情况</body></html>".encode()),
        (200, ["JSESSIONID"], b"<html></html>"),
        (200, ["__jsluid_s"], b"<html>an ordinary page behind the CDN</html>"),  # the cookie alone is not a challenge
        (202, ["JSESSIONID"], b"accepted"),
        (503, [], b"Service Unavailable"),
        (304, [], b""),
    ],
)
def test_ordinary_answers_are_not_challenges(status: int, cookies: list[str], body: bytes) -> None:
    assert detect_challenge(status, cookies, body) is None


def test_cookie_names_from_set_cookie_headers() -> None:
    headers = [b"wzws_cid=abc; path=/; HttpOnly", b"FSSBBIl1UgzbN7NO=xyz"]
    assert cookie_names(headers) == ["wzws_cid", "FSSBBIl1UgzbN7NO"]


def _middleware_with_slot(delay: float):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from scrapy.core.downloader import Slot
    from scrapy.settings import Settings
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import MemoryStatsCollector

    from harvester.middlewares.challenge import ChallengeMiddleware

    slot = Slot(concurrency=2, delay=delay, jitter=0.0)
    downloader = SimpleNamespace(slots={"gov.test": slot}, get_slot_key=lambda request: "gov.test")
    crawler = SimpleNamespace(engine=SimpleNamespace(downloader=downloader), stats=MemoryStatsCollector(SimpleNamespace(settings=Settings())),
                              signals=SignalManager())
    return ChallengeMiddleware(crawler, backoff=30.0, backoff_max=600.0), slot, crawler  # type: ignore[arg-type]


def test_a_challenge_is_raised_counted_and_backs_the_host_off() -> None:
    from scrapy.http import HtmlResponse, Request

    from harvester.middlewares.challenge import ChallengeBlocked

    from harvester.middlewares.challenge import host_backed_off

    middleware, slot, crawler = _middleware_with_slot(delay=1.0)
    told: list[tuple[str, float]] = []  # what a fleet's politeness hears (harvester.distributed.politeness)
    crawler.signals.connect(lambda host, seconds, **_: told.append((host, seconds)), signal=host_backed_off, weak=False)
    request = Request("http://gov.test/art/1.html")
    challenge = HtmlResponse(request.url, status=521, headers={"Set-Cookie": "__jsluid_h=abc; path=/"},
                             body=b"<script>document.cookie=('__jsl_clearance=1')</script>", request=request)
    with pytest.raises(ChallengeBlocked) as caught:
        middleware.process_response(request, challenge)
    assert (caught.value.status, caught.value.reason) == (521, "加速乐 challenge at http://gov.test/art/1.html")
    assert slot.delay == 30.0 and crawler.stats.get_value("harvester/blocked") == 1
    with pytest.raises(ChallengeBlocked):
        middleware.process_response(request, challenge)
    assert slot.delay == 60.0  # doubles per challenge, up to the cap
    assert told == [("gov.test", 30.0), ("gov.test", 60.0)]

    ordinary = HtmlResponse(request.url, status=200, body="一、总体情况".encode(), request=request)
    assert middleware.process_response(request, ordinary) is ordinary
