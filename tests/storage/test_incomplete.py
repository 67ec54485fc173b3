"""The archive keeps each version's completeness; `query --incomplete` lists versions for human review."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from harvester.cli.main import cli
from storage.archive import Archive
from storage.models import Version
from storage.query import QueryFilters, run_query
from tests.storage.conftest import SEED_ZHANGDIAN_2023, SEED_ZIBO, capture_of

PARTIAL_ROW = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def without_row(text: str, label: str) -> str:
    """The seed export with one table-3 row (its label line, seven value lines and the blank line) gone."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("\t") and line.endswith(label))
    return "\n".join(lines[:start] + lines[start + 9 :])


def test_incomplete_versions_are_stored_and_listed(archive: Archive, seed, db_url: str, data_dir: Path, monkeypatch) -> None:
    archive.record(capture_of(seed(SEED_ZIBO), url="http://gov.test/zibo.html"))
    gutted = without_row(seed(SEED_ZHANGDIAN_2023).decode("utf-8"), PARTIAL_ROW).encode("utf-8")
    archive.record(capture_of(gutted, url="http://gov.test/zhangdian.html", minutes=5))

    with archive.session() as session:
        stored = {v.page_url: v.completeness for v in session.query(Version)}
        assert stored == {"http://gov.test/zibo.html": "complete", "http://gov.test/zhangdian.html": "incomplete"}
        [row] = run_query(session, QueryFilters(incomplete=True))
    assert (row.agency, row.year, row.completeness) == ("山东张店经济开发区管理委员会", 2023, "incomplete")
    assert row.unread == ["applications: partial (partially_granted)"]

    monkeypatch.setenv("HARVESTER_DATA_DIR", str(data_dir))
    result = CliRunner().invoke(cli, ["query", "--incomplete", "--db", db_url], catch_exceptions=False)
    assert result.exit_code == 0
    [header, line] = result.stdout.splitlines()
    assert header.split()[-1] == "UNREAD"
    assert "山东张店经济开发区管理委员会" in line and line.endswith("applications: partial (partially_granted)")
