"""A parse worker process loads the parsers and what runs them, not Scrapy or the database:
each of them would cost every worker some 80 MB (issue 15's memory target)."""

from __future__ import annotations

import subprocess
import sys

from harvester.pipelines.capture_parse import parse_stored


def test_a_parse_worker_imports_neither_scrapy_nor_the_database() -> None:
    # A spawned worker imports the module of the function it is sent, and the pool's own.
    modules = (parse_stored.__module__, "harvester.pipelines.workers")
    code = (f"import sys\nfor name in {modules!r}: __import__(name)\n"
            "print(' '.join(m for m in ('scrapy', 'twisted', 'sqlalchemy') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []

