"""The diff page of a revision that reworded a table 2 row and a heading: both shown as
rewordings, not as numbers deleted and added or as nothing at all."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from storage.archive import Archive
from tests.storage.conftest import SEED_ZIBO, capture_of
from tests.web.conftest import serve

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def test_reworded_rows_and_headings_are_shown(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    data = (SEEDS / SEED_ZIBO).read_bytes()
    revised = (data.replace("\t规范性文件\n".encode(), "\t行政规范性文件\n".encode())
               .replace("五、存在的主要问题及改进情况".encode(), "五、存在的主要问题和改进情况".encode()))
    with Archive.open(db_url, tmp_path) as archive:
        archive.record(capture_of(data))
        archive.record(capture_of(revised, minutes=30))
    server = serve(db_url, tmp_path)
    base = next(server)
    try:
        with urllib.request.urlopen(base + "/reports/1/diff/1..2", timeout=30) as response:
            page = response.read().decode()
    finally:
        server.close()
    assert '<ul id="changed-labels">' in page
    assert "<del>规范性文件</del> → <ins>行政规范性文件</ins>" in page
    assert "<del>五、存在的主要问题及改进情况</del> → <ins>五、存在的主要问题和改进情况</ins>" in page
    assert 'id="changed-cells"' not in page
