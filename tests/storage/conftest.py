"""Captures built from real parses of the seed reports, and an archive on each database."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy as sa

from parsers import PARSER_VERSION
from parsers.api import parse_bytes
from parsers.errors import ParseError
from parsers.hints import ReportHints
from storage.archive import Archive
from storage.blobs import sha256_of
from storage.capture import CaptureInput, ParseOutcome, Resource
from storage.db import create_engine
from storage.migrate import head_revision, upgrade

SEED_ZIBO = "000_9d093eecd5b1c4d3.txt"  # 淄博经济开发区 2020, 2019 template
SEED_ZHANGDIAN_2023 = "003_405f20c665fb23e7.txt"  # 山东张店经济开发区管理委员会 2023, 2021 template
# 淄博经济开发区's 一、本年新收 row with its 总计 revised from 4 to 40 (which then no longer adds up).
REVISED_TOTAL = ("\t一、本年新收政府信息公开申请数量\n\t4\n\t0\n\t0\n\t0\n\t0\n\t0\n\t4\n",
                 "\t一、本年新收政府信息公开申请数量\n\t4\n\t0\n\t0\n\t0\n\t0\n\t0\n\t40\n")
T0 = datetime(2026, 1, 10, 8, 0, tzinfo=timezone.utc)


def parse_outcome(data: bytes, hints: ReportHints, filename: str = "report.txt") -> ParseOutcome:
    """What the crawler pipeline hands the archive for these bytes: a real parse."""
    try:
        document, report = parse_bytes(data, filename=filename, hints=hints)
    except ParseError as exc:
        return ParseOutcome(None, str(exc), PARSER_VERSION, fingerprint=sha256_of(data), hints=hints)
    return ParseOutcome(report.to_dict(), None, PARSER_VERSION, fingerprint=document.fingerprint(), hints=hints)


def page(url: str, body: bytes | None, *, minutes: int = 0, **fields: object) -> Resource:
    return Resource(url=url, http_status=fields.pop("http_status", 200), fetched_at=T0 + timedelta(minutes=minutes),  # type: ignore[arg-type]
                    body=body, content_type="text/plain", **fields)  # type: ignore[arg-type]


def capture_of(data: bytes, url: str = "http://gov.test/art/1.html", *, minutes: int = 0,
               attachments: list[Resource] | None = None, listing_title: str | None = None,
               site: str = "testsite", run_id: int | None = None) -> CaptureInput:
    return CaptureInput(site=site, page=page(url, data, minutes=minutes), attachments=attachments or [],
                        listing_title=listing_title, run_id=run_id,
                        parse=parse_outcome(data, ReportHints(title=listing_title, source_url=url)))


def count(archive: Archive, model: type) -> int:
    """Rows in a model's table."""
    with archive.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def seed(seeds_dir: Path) -> Callable[[str], bytes]:
    return lambda name: (seeds_dir / name).read_bytes()


@pytest.fixture
def archive(db_url: str, data_dir: Path) -> Iterator[Archive]:
    with Archive.open(db_url, data_dir) as opened:
        yield opened


def check_revision_adds_nullable_column(db_url: str, before: str, table: str, column: str) -> None:
    """Migrating from revision ``before`` to head adds ``table.column``, empty (nullable)."""
    engine = create_engine(db_url)
    try:
        assert upgrade(engine, before) == before
        assert column not in {c["name"] for c in sa.inspect(engine).get_columns(table)}
        assert upgrade(engine) == head_revision()
        columns = {c["name"]: c for c in sa.inspect(engine).get_columns(table)}
        assert columns[column]["nullable"]
    finally:
        engine.dispose()


def capture_row(url: str, day: float, sha: str | None, status: str = "not_modified",
                site: str = "testsite") -> dict[str, Any]:
    """A captures row as recording writes one (a 304 by default), ``day`` days after T0."""
    return {"site": site, "role": "page", "url": url, "fetched_at": T0 + timedelta(days=day),
            "http_status": 304 if status == "not_modified" else 200, "status": status, "sha256": sha}


@contextmanager
def counting_steps(conn: sa.Connection) -> Iterator[list[int]]:
    """SQLite's virtual machine steps while the block runs (by hundreds): a measure of the rows
    statements read that does not depend on the machine's speed."""
    steps = [0]
    raw = conn.connection.dbapi_connection

    def step() -> int:
        steps[0] += 1
        return 0

    raw.set_progress_handler(step, 100)  # type: ignore[union-attr]
    try:
        yield steps
    finally:
        raw.set_progress_handler(None, 0)  # type: ignore[union-attr]
