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
