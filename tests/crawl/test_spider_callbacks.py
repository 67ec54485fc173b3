"""Scrapy's check that a callback is no generator returning a value is off
(``WARN_ON_GENERATOR_RETURN_VALUE``: it parsed the callback's source for every response);
this test makes the same check once, on every generator method of our spiders."""

from __future__ import annotations

import inspect

import pytest
from scrapy.utils.misc import is_generator_with_return_value

from harvester.sitecheck import CheckSpider
from harvester.spiders.reports import ReportsSpider


@pytest.mark.parametrize("spider", [ReportsSpider, CheckSpider])
def test_no_spider_generator_returns_a_value(spider: type) -> None:
    generators = [(name, member) for name, member in inspect.getmembers(spider, inspect.isgeneratorfunction)]
    assert {"parse", "parse_report", "parse_attachment"} <= {name for name, _ in generators}
    assert [name for name, member in generators if is_generator_with_return_value(member)] == []


def test_the_check_finds_a_generator_returning_a_value() -> None:
    def returns(response: object):  # type: ignore[no-untyped-def]
        yield response
        return 1

    assert is_generator_with_return_value(returns)
