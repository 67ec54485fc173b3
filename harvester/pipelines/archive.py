"""The archive a crawl reads validators from and records into: opened once per crawler from
the ``HARVESTER_DB_URL``/``HARVESTER_DATA_DIR`` settings, closed when the engine stops; and
the snapshot of the site's earlier crawls that conditional requests are built from, read once
per crawl (in a fleet worker, once per run)."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from storage.archive import Archive
from storage.crawlstate import CrawlState, load_crawl_state

_ATTRIBUTE = "_harvester_archive"
_STATE_ATTRIBUTE = "_harvester_crawl_state"


def archive_for(crawler: Crawler) -> Archive:
    archive = getattr(crawler, _ATTRIBUTE, None)
    if archive is None:
        settings = crawler.settings
        archive = Archive.open(settings["HARVESTER_DB_URL"], Path(settings["HARVESTER_DATA_DIR"]))
        setattr(crawler, _ATTRIBUTE, archive)

        def close() -> None:
            archive.close()

        crawler.signals.connect(close, signal=signals.engine_stopped, weak=False)
    return archive


def crawl_state_for(crawler: Crawler) -> CrawlState:
    """Validators and known attachments of the crawler's site, read once per crawl."""
    state = getattr(crawler, _STATE_ATTRIBUTE, None)
    if state is None:
        archive = archive_for(crawler)
        with archive.session() as session:
            spider = crawler.spider
            state = load_crawl_state(session, spider.site.name, page_history=spider.recheck.in_turns)
        setattr(crawler, _STATE_ATTRIBUTE, state)
    return state


def forget_crawl_state(crawler: Crawler) -> None:
    """Read the snapshot afresh when next asked: a fleet worker serves one run after another,
    and the next run must see what this one recorded."""
    if hasattr(crawler, _STATE_ATTRIBUTE):
        delattr(crawler, _STATE_ATTRIBUTE)
