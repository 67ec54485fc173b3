"""The archive-writer process loads the archive and what recording needs, not Scrapy or
Twisted: the crawler's machinery would cost the writer some 40 MB (issue 15's memory target);
nor Alembic, as it opens the archive without migrating it."""

from __future__ import annotations

from harvester.pipelines.writer import record_in_worker
from tests.crawl.test_parse_worker_imports import loaded_by


def test_the_archive_writer_imports_neither_scrapy_nor_twisted_nor_alembic() -> None:
    # A spawned writer imports the module of the function it is sent, and the pool's own.
    modules = (record_in_worker.__module__, "harvester.pipelines.offload")
    # the archive it writes to, and nothing of the crawler
    assert loaded_by(modules, ("scrapy", "twisted", "alembic", "sqlalchemy")) == ["sqlalchemy"]
