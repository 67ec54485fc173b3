"""The archive a crawl reads validators from and records into: opened once per crawler from
the ``HARVESTER_DB_URL``/``HARVESTER_DATA_DIR`` settings, closed when the engine stops."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from storage.archive import Archive

_ATTRIBUTE = "_harvester_archive"


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
