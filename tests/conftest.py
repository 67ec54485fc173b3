"""Fixtures shared by every test package.

PostgreSQL is a requirement of the suite, not an option: when the server on 127.0.0.1:5432
cannot be reached, the tests that need it fail (they never skip), so CI cannot go green
without having run them.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"
POSTGRES_ADMIN_URL = os.environ.get(
    "HARVESTER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five real reports; fixtures/seeds holds a copy so the suite runs without shared/."""
    local = REPO_ROOT / "fixtures" / "seeds"
    return local if local.is_dir() else SEEDS_DIR


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test, dropped afterwards.

    The URL carries the schema as the connection's search_path, so code under test needs
    no special knowledge of it.
    """
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {POSTGRES_ADMIN_URL} is required and unreachable: {exc}", pytrace=False)
    try:
        yield f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            # A session a test forgot to close holds locks: fail the teardown, never hang the suite.
            conn.execute(sa.text("SET LOCAL lock_timeout = '60s'"))
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'archive.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Run a test once on an SQLite file and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")
