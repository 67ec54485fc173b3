"""The archive commands through click: happy paths, and bad input as exit 1 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from harvester.cli.main import cli
from storage.archive import Archive
from tests.storage.conftest import SEED_ZIBO, capture_of

REVISED = ("\t行政许可\n\t0\n\t50\n", "\t行政许可\n\t0\n\t51\n")


@pytest.fixture
def run(db_url: str, data_dir: Path, monkeypatch):
    monkeypatch.setenv("HARVESTER_DATA_DIR", str(data_dir))
    runner = CliRunner()

    def invoke(*args: str, db: str | None = db_url):
        return runner.invoke(cli, [*args, *(["--db", db] if db else [])], catch_exceptions=False)

    return invoke


@pytest.fixture
def two_versions(archive: Archive, seed) -> Archive:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    archive.record(capture_of(data.replace(REVISED[0].encode(), REVISED[1].encode(), 1), minutes=90))
    return archive


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_db_upgrade_creates_and_then_keeps_the_schema(run) -> None:
    first = run("db", "upgrade")
    assert first.exit_code == 0 and "database at revision" in first.output and "was empty" in first.output
    second = run("db", "upgrade")
    assert second.exit_code == 0 and "was" not in second.output


def test_history_by_id_and_by_agency_year(run, two_versions: Archive) -> None:
    text = run("history", "1")
    assert text.exit_code == 0, text.output
    assert "淄博经济开发区 2020" in text.output and "numbers" in text.output
    by_name = run("history", "淄博经济开发区/2020", "--json")
    payload = json.loads(by_name.output)
    assert [v["version_no"] for v in payload["versions"]] == [1, 2]
    assert [c["outcome"] for c in payload["captures"]] == ["new_report", "new_version"]


def test_diff_names_the_revised_cell(run, two_versions: Archive) -> None:
    text = run("diff", "1")
    assert text.exit_code == 0, text.output
    assert "version 1 -> 2 (numbers)" in text.output
    assert "active_disclosure.行政许可.本年增/减: '50' -> '51'" in text.output
    payload = json.loads(run("diff", "1", "--from", "1", "--to", "2", "--json").output)
    assert [c["address"] for c in payload["cells"]] == ["active_disclosure.行政许可.本年增/减"]


def test_diff_names_reworded_rows_and_headings_and_where_each_finding_is(run, archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    revised = (data.replace("\t规范性文件\n".encode(), "\t行政规范性文件\n".encode())
               .replace("五、存在的主要问题及改进情况".encode(), "五、存在的主要问题和改进情况".encode())
               .replace("\t一、本年新收政府信息公开申请数量\n\t4\n\t0\n\t0\n\t0\n\t0\n\t0\n\t4\n".encode(),
                        "\t一、本年新收政府信息公开申请数量\n\t4\n\t0\n\t0\n\t0\n\t0\n\t0\n\t40\n".encode()))
    archive.record(capture_of(revised, minutes=90))
    text = run("diff", "1")
    assert text.exit_code == 0, text.output
    assert "active_disclosure row '规范性文件' -> '行政规范性文件'" in text.output
    assert "五、存在的主要问题和改进情况 (was 五、存在的主要问题及改进情况)" in text.output
    # each finding names its cell: two on one row read as one printed twice without them
    appeared = [line for line in text.output.splitlines() if "finding appeared" in line]
    assert any("P.new_received applications.new_received.total " in line for line in appeared)
    assert appeared and all(" applications." in line for line in appeared)


def test_query_formats(run, two_versions: Archive) -> None:
    table = run("query", "--agency", "淄博", "--where", "active_disclosure.行政许可.本年增/减 > 50")
    assert table.exit_code == 0 and "淄博经济开发区" in table.output and "51" in table.output
    rows = json.loads(run("query", "--all-versions", "--format", "json").output)
    assert [r["version_no"] for r in rows] == [1, 2]
    csv_text = run("query", "--year", "2021", "--format", "csv").output
    assert csv_text.splitlines() == ["report_id,agency,year,version_no,template,region,parse_status,findings"]


def test_export_parquet_is_readable(run, two_versions: Archive, tmp_path: Path) -> None:
    out = tmp_path / "cells.parquet"
    result = run("export", "--format", "parquet", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert f"wrote {table.num_rows} rows" in result.output
    assert set(table.column("version_no").to_pylist()) == {1, 2}


def test_reparse_all_changes_nothing(run, two_versions: Archive) -> None:
    result = run("reparse", "--all")
    assert result.exit_code == 0 and "re-parsed 2 version(s); 0 parse(s) changed; 0 failed" in result.output
    assert len(json.loads(run("history", "1", "--json").output)["versions"]) == 2


def test_unknown_report_is_one_line(run, two_versions: Archive) -> None:
    assert "no report with id 99" in one_line_error(run("history", "99"))
    assert "no report of 某某局 for 2020" in one_line_error(run("diff", "某某局/2020"))
    assert "has no version 7" in one_line_error(run("diff", "1", "--from", "1", "--to", "7"))
    assert "no report with id 5" in one_line_error(run("reparse", "--report", "5"))


def test_diff_of_a_single_version_is_one_line(run, archive: Archive, seed) -> None:
    archive.record(capture_of(seed(SEED_ZIBO)))
    assert "has only 1 version(s)" in one_line_error(run("diff", "1"))


def test_reparse_one_report(run, two_versions: Archive) -> None:
    result = run("reparse", "--report", "淄博经济开发区/2020", "--json")
    assert json.loads(result.output) == {"versions": 2, "changed": 0, "errors": []}


def test_bad_where_expression_is_one_line(run) -> None:
    assert "cannot read condition" in one_line_error(run("query", "--where", "applications.new_received.total >> 1"))
    assert "bad cell name" in one_line_error(run("query", "--where", "nosuch.table.cell > 1"))


def test_reparse_needs_a_target(run) -> None:
    assert run("reparse").exit_code == 2


def test_unreachable_database_is_one_line(run) -> None:
    message = one_line_error(run("history", "1", db="postgresql+psycopg://postgres@127.0.0.1:1/nowhere"))
    assert "cannot open database" in message
    assert "cannot open database" in one_line_error(run("db", "upgrade", db="postgresql+psycopg://postgres@127.0.0.1:1/nowhere"))


def test_database_path_under_a_file_is_one_line(run, data_dir: Path) -> None:
    (data_dir / "plain.txt").write_text("not a directory")
    path = str(data_dir / "plain.txt" / "archive.sqlite3")
    assert "no archive at" in one_line_error(run("query", db=path))
    assert "cannot open database" in one_line_error(run("db", "upgrade", db=path))


# What a hostile or broken portal could have put into an archive before its text was cleaned
# where it is read: a cursor-moving and screen-clearing sequence, a window-title sequence ended
# by BEL, a carriage return and a right-to-left override.
TERMINAL_CONTROLS = ("\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\r", "\u202e")


def test_text_output_never_passes_on_what_a_terminal_acts_on(run, two_versions: Archive) -> None:
    from storage.models import Report, Version

    agency = "淄博经济开发区" + "".join(TERMINAL_CONTROLS)
    with two_versions.session() as session:
        for report in session.query(Report):
            report.agency = agency
        for version in session.query(Version):
            version.listing_title = "".join(TERMINAL_CONTROLS) + "2020年政府信息公开工作年度报告"
            version.agency = agency
            parsed = dict(version.report_json)
            parsed["metadata"] = {**parsed["metadata"], "title": f"{version.version_no}\x1b[31m号标题", "agency": agency}
            version.report_json = parsed
        session.commit()
    for args in (("history", "1"), ("diff", "1"), ("query", "--year", "2020")):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "淄博经济开发区" in result.output
        assert not any(control in result.output for control in ("\x1b", "\x07", "\r", "\u202e")), (args, result.output)
    # The diff quotes values as Python does: a control character is shown escaped, as text.
    assert "title: '1\\x1b[31m号标题' -> '2\\x1b[31m号标题'" in run("diff", "1").output
