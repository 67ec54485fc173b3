"""Every limit of parsers/limits.py: a real-shaped bomb gets a one-line error naming the limit.

Bombs whose default limit is cheap to reach are built at full size; the others are built
smaller against a lowered limit (the check is the same code), and the real reports are
shown to pass the defaults.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path

import pytest

from parsers import limits
from parsers.api import parse_bytes, parse_file
from parsers.errors import LimitExceeded, ParseError
from parsers.extract import extract
from tests.hostile import corpus

_MB = 1024 * 1024


@pytest.fixture
def lowered(monkeypatch: pytest.MonkeyPatch):
    """Lower some limits for one test: ``lowered(pdf_pages=3)``."""

    def lower(**values: int) -> None:
        monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, **values))

    return lower


def _refused(data: bytes, filename: str, limit: str) -> str:
    with pytest.raises(LimitExceeded) as info:
        extract(data, filename=filename)
    message = str(info.value)
    assert f"limit {limit}=" in message and "\n" not in message
    return message


def test_grid_span_bomb_is_refused_before_the_grid_is_built() -> None:
    data = corpus.docx_grid_span(rows=2000, span=3000)  # 6 million slots from a ~40 KB file
    assert len(data) < 64 * 1024
    _refused(data, "report.docx", "table_slots")


def test_grid_before_of_a_billion_columns() -> None:
    message = _refused(corpus.docx_grid_before(10**9), "report.docx", "table_slots")
    assert "1000000000" in message


def test_a_negative_grid_before_buys_no_room(lowered) -> None:
    lowered(table_slots=5000)
    _refused(corpus.docx_grid_before(-10**9, then=corpus.docx_table(rows=10, span=1000)), "report.docx", "table_slots")


def test_span_bomb_in_html_tables() -> None:
    _refused(corpus.html_span_bomb(cells=300), "report.html", "table_slots")


def test_slots_count_over_all_tables_of_a_document(lowered) -> None:
    lowered(table_slots=5000)
    extract(corpus.docx_grid_span(rows=10, span=90, tables=1), filename="report.docx")
    # each table alone fits; the document's tables together do not
    _refused(corpus.docx_grid_span(rows=10, span=90, tables=30), "report.docx", "table_slots")


def test_ruled_pdf_table_grid_counts_too(lowered) -> None:
    lowered(table_slots=20)
    _refused(corpus.real_pdf(), "report.pdf", "table_slots")


def test_990_nested_content_controls() -> None:
    _refused(corpus.docx_nested_sdt(990), "report.docx", "nesting_depth")


def test_html_nested_past_256_levels_is_named_not_reported_as_empty() -> None:
    message = _refused(corpus.html_nested(300), "report.html", "nesting_depth")
    assert "no text" not in message


def test_ordinary_nesting_passes() -> None:
    assert extract(corpus.docx_nested_sdt(20), filename="r.docx").blocks[0].text == "一、总体情况"
    assert any(b.table for b in extract(corpus.html_nested(100), filename="r.html").blocks)


def test_zip_member_inflating_a_thousandfold() -> None:
    data = corpus.docx_inflating_member(8 * _MB)
    assert len(data) < 100 * 1024
    _refused(data, "report.docx", "zip_member_ratio")


def test_zip_member_over_the_size_limit(lowered) -> None:
    lowered(zip_member_bytes=2 * _MB, zip_member_ratio=10**6)
    _refused(corpus.docx_inflating_member(3 * _MB), "report.docx", "zip_member_bytes")


def test_pdf_stream_inflating_past_the_limit(lowered) -> None:
    lowered(pdf_stream_bytes=16 * _MB)
    data = corpus.pdf_inflating_stream(32 * _MB)
    assert len(data) < 200 * 1024
    _refused(data, "report.pdf", "pdf_stream_bytes")


def test_pdf_page_count(lowered) -> None:
    lowered(pdf_pages=3)
    _refused(corpus.real_pdf(), "report.pdf", "pdf_pages")


def test_ten_megabyte_text_node_is_read_whole_not_cut() -> None:
    # libxml2 used to stop at 10,000,000 characters without a word: the report's tables after
    # such a node vanished and the page parsed as a report without tables.
    _, report = parse_bytes(corpus.html_text_node(10 * _MB + 10), filename="report.html")
    assert report.applications is not None and report.active_disclosure is not None


def test_text_node_over_the_limit(lowered) -> None:
    lowered(text_node_chars=1 * _MB, zip_member_ratio=10**6)
    _refused(corpus.html_text_node(2 * _MB), "report.html", "text_node_chars")
    _refused(corpus.docx_text_node(2 * _MB), "report.docx", "text_node_chars")


def test_input_over_the_size_limit(lowered) -> None:
    lowered(input_bytes=1024)
    _refused(corpus.real_html(), "report.html", "input_bytes")


def test_real_reports_pass_the_defaults() -> None:
    for data, name in ((corpus.real_docx(), "r.docx"), (corpus.real_html(), "r.html"), (corpus.real_pdf(), "r.pdf")):
        _, report = parse_bytes(data, filename=name)
        assert report.applications is not None


def test_every_limit_is_documented() -> None:
    described = limits.describe()
    assert [name for name, _, _ in described] == [f.name for f in dataclasses.fields(limits.Limits)]
    assert all(isinstance(default, int) and default > 0 and meaning for _, default, meaning in described)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_parse_file_refuses_devices(device: str) -> None:
    with pytest.raises(ParseError, match="not a regular file"):
        parse_file(device)


def test_parse_file_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "report.html"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    reader = threading.Thread(target=lambda: _capture(outcome, fifo), daemon=True)
    reader.start()
    reader.join(timeout=30)
    if reader.is_alive():  # unblock the reader so the test run can end, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("parse_file blocked on a FIFO")
    assert isinstance(outcome[0], ParseError) and "not a regular file" in str(outcome[0])


def _capture(outcome: list[BaseException], path: Path) -> None:
    try:
        parse_file(path)
    except BaseException as exc:  # noqa: BLE001 - handed to the test thread
        outcome.append(exc)


def test_parse_file_reads_no_further_than_the_limit(lowered, tmp_path: Path) -> None:
    lowered(input_bytes=4096)
    big = tmp_path / "report.html"
    big.write_bytes(corpus.real_html())
    with pytest.raises(LimitExceeded, match="limit input_bytes=4096 "):
        parse_file(big)


def test_harvester_parse_of_a_device_is_one_line_and_exit_1() -> None:
    from click.testing import CliRunner

    from harvester.cli.main import cli

    result = CliRunner().invoke(cli, ["parse", "/dev/zero"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: /dev/zero: not a regular file (a device, FIFO or directory)"


def test_readme_lists_every_limit_with_its_default() -> None:
    readme = (corpus.DOCUMENTS.parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line.split("|")[2].strip() for line in readme.splitlines()
            if line.startswith("| `") and line.split("|")[1].strip(" `") in {f.name for f in dataclasses.fields(limits.Limits)}}
    assert set(rows) == {f.name for f in dataclasses.fields(limits.Limits)}
    for name, default, _ in limits.describe():
        shown = rows[name].replace(",", "").replace(" Mi characters", "").replace(" MiB", "")
        assert int(shown) * (_MB if shown != rows[name].replace(",", "") else 1) == default, name
