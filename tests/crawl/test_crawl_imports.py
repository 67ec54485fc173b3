"""A crawl runs, and imports, only the Scrapy components it needs: Scrapy imports every
component its settings name, a disabled one too, and the remote control, cookies and telnet
bring in aiohttp, tldextract and twisted.conch (tenths of a second of every crawl's start, the
unchanged re-crawl's included)."""

from __future__ import annotations

import subprocess
import sys

from tests.crawl.test_parse_worker_imports import loaded_by

CODE = """
import sys
from scrapy.crawler import Crawler
from scrapy.extension import ExtensionManager
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.core.spidermw import SpiderMiddlewareManager
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from harvester.crawl import project_settings
from harvester.spiders.reports import ReportsSpider
crawler = Crawler(ReportsSpider, project_settings())
crawler._apply_settings()
crawler.spider = ReportsSpider("fixture-hanweb")
enabled = [type(c).__name__ for c in ExtensionManager.from_crawler(crawler).middlewares]
enabled += [type(c).__name__ for c in DownloaderMiddlewareManager.from_crawler(crawler).middlewares]
print(" ".join(enabled))
print(" ".join(type(c).__name__ for c in SpiderMiddlewareManager.from_crawler(crawler).middlewares))
print(" ".join(m for m in ("aiohttp", "tldextract", "twisted.conch") if m in sys.modules))
"""


def test_the_crawl_does_not_import_components_it_never_runs() -> None:
    enabled, spider_middlewares, loaded = subprocess.run([sys.executable, "-c", CODE], capture_output=True,
                                                         text=True, check=True).stdout.split("\n")[:3]
    assert loaded == ""
    assert "CookiesMiddleware" not in enabled.split() and "TelnetConsole" not in enabled.split()
    # what the crawl does run is still there: politeness, robots.txt, retries, challenges, stats
    for name in ("AutoThrottle", "StrictRobotsTxtMiddleware", "BackoffRetryMiddleware", "ChallengeMiddleware",
                 "ScopeMiddleware", "RedirectMiddleware", "DownloaderStats", "CoreStats"):
        assert name in enabled.split(), name
    # of the spider middlewares, those that change what is fetched and how; depth (no limit is
    # set) and the meta-copy warning only wrapped each response's output once more
    assert spider_middlewares.split() == ["StartSpiderMiddleware", "HttpErrorMiddleware", "RefererMiddleware",
                                          "UrlLengthMiddleware"]


def test_a_crawl_on_one_machine_does_not_load_the_fleets_redis_client() -> None:
    modules = ("harvester.crawl", "harvester.spiders.reports", "harvester.pipelines.parse", "harvester.pipelines.confirm",
               "harvester.pipelines.record")
    assert loaded_by(modules, ("redis", "opentelemetry")) == []


def test_the_crawl_process_loads_the_recording_code_only_when_it_records_or_asks() -> None:
    # The writer process records; an unchanged re-crawl (all 304) never asks the confirmation
    # question, and storage.record brings both SQL dialects and the archive's whole recording
    # code (an eighth of a second of every start). Alembic only where an archive is migrated.
    modules = ("harvester.crawl", "harvester.spiders.reports", "harvester.pipelines.parse", "harvester.pipelines.confirm",
               "harvester.pipelines.record", "harvester.pipelines.archive", "harvester.middlewares.conditional")
    assert loaded_by(modules, ("storage.record", "alembic")) == []
