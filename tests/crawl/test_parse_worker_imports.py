"""A worker process loads what its job needs, not what the crawl process needs: a parse worker
neither Scrapy nor the database, the confirm pipeline's archive reader not Scrapy nor Alembic. Each of
them would cost every such process tens of MB (issue 15's memory target)."""

from __future__ import annotations

import subprocess
import sys

from harvester.pipelines.capture_parse import parse_stored
from harvester.pipelines.confirm_check import confirmations_needed_in_reader


def loaded_by(modules: tuple[str, ...], watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` a fresh interpreter has loaded after importing ``modules``."""
    code = (f"import sys\nfor name in {modules!r}: __import__(name)\n"
            f"print(' '.join(m for m in {watched!r} if m in sys.modules))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_a_parse_worker_imports_neither_scrapy_nor_the_database() -> None:
    # A spawned worker imports the module of the function it is sent, and the pool's own.
    modules = (parse_stored.__module__, "harvester.pipelines.workers")
    assert loaded_by(modules, ("scrapy", "twisted", "sqlalchemy")) == []


def test_the_archive_reader_imports_no_scrapy_nor_alembic() -> None:
    # It opens the archive without migrating it: Alembic was a fifth of its start-up.
    modules = (confirmations_needed_in_reader.__module__, "harvester.pipelines.offload")
    assert loaded_by(modules, ("scrapy", "twisted", "alembic")) == []
