"""The archive-writer process loads the archive and what recording needs, not Scrapy or
Twisted: the crawler's machinery would cost the writer some 40 MB (issue 15's memory target).
Nor Alembic: the writer opens a migrated archive, and importing it was a third of its start."""

from __future__ import annotations

import subprocess
import sys

from harvester.pipelines.writer import record_in_worker


def test_the_archive_writer_imports_neither_scrapy_nor_twisted() -> None:
    # A spawned writer imports the module of the function it is sent, and the pool's own.
    modules = (record_in_worker.__module__, "harvester.pipelines.offload")
    code = (f"import sys\nfor name in {modules!r}: __import__(name)\n"
            "print(' '.join(m for m in ('scrapy', 'twisted', 'alembic', 'sqlalchemy') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == ["sqlalchemy"]  # the archive it writes to, and nothing of the crawler
