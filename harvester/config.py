"""Where the archive lives: one data directory and one database URL, from the environment.

``HARVESTER_DATA_DIR`` (default ``./data``) holds the SQLite file, raw bytes and crawl job
state; ``HARVESTER_DB_URL`` (default: SQLite file in the data directory) points the
archive elsewhere, e.g. ``postgresql+psycopg://user@host/dbname``.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB_FILE = "archive.sqlite3"


def data_dir() -> Path:
    return Path(os.environ.get("HARVESTER_DATA_DIR", "data")).resolve()


def database_url(explicit: str | None = None, data: Path | None = None) -> str:
    """The database URL: an explicit ``--db`` (URL or file path), the environment, or the default.

    A bare path is taken as an SQLite file, so ``--db archive.sqlite3`` works as users expect.
    """
    value = explicit or os.environ.get("HARVESTER_DB_URL")
    if value and "://" in value:
        return value
    if value:
        return f"sqlite:///{Path(value).resolve()}"
    return f"sqlite:///{(data or data_dir()) / DEFAULT_DB_FILE}"
