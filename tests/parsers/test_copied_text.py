"""Report text copied from a page: one cell per line (the real Hebei pages), rows on one line, Markdown pipe tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parse_expectations import readable_diff
from parsers.api import parse_bytes
from parsers.extract import extract
from parsers.extract.sniff import sniff_format
from parsers.locations import without_locations
from parsers.report import APPLICANT_COLUMNS

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"
HEBEI = ["hebei_jyt_2019_copied_text", "hebei_jyt_2022_copied_text"]
# What the document says and the parser does not read yet (metadata, issue 8 point 7); the
# expected files' _notes explain each. Everything else must match exactly.
METADATA_GAPS = {"hebei_jyt_2019_copied_text": {"email"}, "hebei_jyt_2022_copied_text": {"agency", "region"}}


def expected(stem: str) -> dict[str, Any]:
    report = json.loads((REAL / "expected" / f"{stem}.json").read_text(encoding="utf-8"))
    return {key: value for key, value in report.items() if not key.startswith("_") and key != "parser_version"}


def parsed(data: bytes, name: str = "report.txt") -> dict[str, Any]:
    """What the report says (where its cells are printed is tested in test_cell_locations), not
    which parser read it."""
    report = without_locations(parse_bytes(data, filename=name)[1].to_dict())
    return {key: value for key, value in report.items() if key != "parser_version"}


def without(report: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    return {**report, "metadata": {k: v for k, v in report["metadata"].items() if k not in fields}}


@pytest.mark.parametrize("stem", HEBEI)
def test_real_copied_page_reads_to_its_hand_read_json(stem: str) -> None:
    want = without(expected(stem), METADATA_GAPS[stem])
    got = without(parsed((REAL / f"{stem}.txt").read_bytes(), f"{stem}.txt"), METADATA_GAPS[stem])
    assert got == want, readable_diff(want, got)


@pytest.mark.parametrize("stem", HEBEI)
def test_real_copied_page_metadata(stem: str) -> None:
    assert parsed((REAL / f"{stem}.txt").read_bytes())["metadata"] == expected(stem)["metadata"]


def test_sniffing_routes_copied_text_and_keeps_the_seed_export(seeds_dir: Path) -> None:
    assert sniff_format((REAL / "hebei_jyt_2022_copied_text.txt").read_bytes()) == "text"
    assert sniff_format(next(seeds_dir.glob("000_*.txt")).read_bytes()) == "seedtext"
    gbk = (REAL / "hebei_jyt_2022_copied_text.txt").read_bytes().decode("utf-8").encode("gb18030")
    assert sniff_format(gbk) == "text"
    assert parsed(gbk)["tables"] == expected("hebei_jyt_2022_copied_text")["tables"]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_breaks_of_any_kind(newline: str) -> None:
    text = (REAL / "hebei_jyt_2019_copied_text.txt").read_bytes().decode("utf-8").replace("\r", newline)
    assert parsed(text.encode("utf-8"))["tables"] == expected("hebei_jyt_2019_copied_text")["tables"]


# The group labels the table prints on lines of their own, before their first row.
_GROUPS = {"granted": "三、本年度办理结果", "withheld.state_secret": "（三）不予公开", "unable.not_held": "（四）无法提供",
           "not_processed.complaint_petition": "（五）不予处理", "other.overdue_correction": "（六）其他处理"}


def _table3_lines(stem: str) -> list[tuple[str, list[str]]]:
    """(printed label, printed values) of table 3 as read by hand into the expected JSON; group labels without values."""
    lines: list[tuple[str, list[str]]] = []
    for key, row in expected(stem)["tables"]["applications"]["rows"].items():
        if key in _GROUPS:
            lines.append((_GROUPS[key], []))
        lines.append((row["label"], [row["cells"][c]["raw"] for c in APPLICANT_COLUMNS]))
    return lines


def _text_around(table: str) -> str:
    return "\n".join([
        "河北省教育厅2022年政府信息公开工作年度报告",
        "一、总体情况",
        "全年收到公民、法人和其他组织政府信息公开申请共44件，当年办结44件。",
        "三、收到和处理政府信息公开申请情况",
        table,
        "五、存在的主要问题及改进情况",
        "服务意识有待提高。",
    ])


def test_rows_printed_on_one_line_without_tabs() -> None:
    stem = "hebei_jyt_2022_copied_text"
    lines = ["申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    lines += [" ".join([label, *values]) for label, values in _table3_lines(stem)]
    report = parsed(_text_around("\n".join(lines)).encode("utf-8"))
    assert report["tables"]["applications"] == expected(stem)["tables"]["applications"]
    assert report["completeness"]["applications"]["status"] == "complete"
    assert [f for f in report["findings"] if f["table"] == "applications"] == []


def test_markdown_pipe_tables() -> None:
    """As converters print a spanned label column: the group label on its first row, empty below it."""
    stem = "hebei_jyt_2022_copied_text"
    lines = ["| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | 自然人 | 商业<br>企业 | 科研<br>机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    group = ""
    for label, values in _table3_lines(stem):
        if not values:
            group = label
            continue
        lines.append(f"| {group} | {label} | {' | '.join(values)} |")
        group = ""
    report = parsed(_text_around("\n".join(lines)).encode("utf-8"), "report.md")
    assert report["tables"]["applications"] == expected(stem)["tables"]["applications"]


def test_glued_digits_are_a_finding_never_a_guess() -> None:
    stem = "hebei_jyt_2022_copied_text"
    lines = []
    for label, values in _table3_lines(stem):
        glued = label.startswith("（一）予以公开")
        lines.append(f"{label}{''.join(values)}" if glued else " ".join([label, *values]))
    report = parsed(_text_around("\n".join(lines)).encode("utf-8"))
    assert "granted" not in report["tables"]["applications"]["rows"]  # 242001027: where do the cells end?
    [note] = [f for f in report["findings"] if f["rule"] == "extract.ambiguous_cells"]
    assert "242001027" in note["message"] and note["severity"] == "warning"
    assert report["completeness"]["applications"] == {"status": "partial", "missing_rows": ["granted"], "missing_columns": []}
    assert [f for f in report["findings"] if f["severity"] == "error"] == []


def test_digits_one_per_column_are_not_ambiguous() -> None:
    stem = "hebei_jyt_2022_copied_text"
    lines = [f"{label}{''.join(values)}" if label.startswith("2.重复申请") else " ".join([label, *values])
             for label, values in _table3_lines(stem)]
    report = parsed(_text_around("\n".join(lines)).encode("utf-8"))
    assert report["tables"]["applications"] == expected(stem)["tables"]["applications"]


def test_blank_cells_between_row_breaks_stay_blank() -> None:
    """2019's table 4 prints only its three totals: the blank outcomes lead the value row, not the header."""
    doc = extract((REAL / "hebei_jyt_2019_copied_text.txt").read_bytes())
    table4 = [b.table for b in doc.blocks if b.table is not None][-1]
    assert [c.text for c in table4.rows[-1]] == (["", "", "", "", "0"] * 3)
    assert doc.notes == []


HEBEI_2019_LINES = (REAL / "hebei_jyt_2019_copied_text.txt").read_bytes().decode("utf-8").split("\r")
# How a copy goes wrong: a line lost, emptied or doubled, digits glued on, a line turned into a pipe row, junk.
EDITS = {
    "drop": lambda lines, i: lines[:i] + lines[i + 1 :],
    "blank": lambda lines, i: [*lines[:i], "", *lines[i + 1 :]],
    "copy": lambda lines, i: [*lines[: i + 1], *lines[i:]],
    "glue": lambda lines, i: [*lines[:i], lines[i] + "1600000016", *lines[i + 1 :]],
    "pipe": lambda lines, i: [*lines[:i], f"| {lines[i]} | 0 |", *lines[i + 1 :]],
    "junk": lambda lines, i: [*lines[:i], "（其中）第二十条 -0.5万元 勾稽；", *lines[i + 1 :]],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(HEBEI_2019_LINES) - 1), st.sampled_from(sorted(EDITS))), max_size=20))
def test_edited_copied_page_never_crashes(edits: list[tuple[int, str]]) -> None:
    """Whatever is cut, doubled, glued or piped, the page parses to a report that states its completeness."""
    lines = list(HEBEI_2019_LINES)
    for index, edit in edits:
        lines = EDITS[edit](lines, index % len(lines))
    report = parse_bytes("\r".join(lines).encode("utf-8"), filename="page.txt")[1].to_dict()
    assert set(report["completeness"]) == {"active_disclosure", "applications", "appeals"}
    assert all(f["message"] and f["message_zh"] for f in report["findings"])


def test_short_rows_of_a_wide_table_are_not_guessed() -> None:
    """Spaces lose blank cells: '3 3' under seven columns could be any two of them."""
    stem = "hebei_jyt_2022_copied_text"
    lines = [" ".join([label, *(["3", "3"] if label.startswith("（二）部分公开") else values)]) for label, values in _table3_lines(stem)]
    report = parsed(_text_around("\n".join(lines)).encode("utf-8"))
    assert "partially_granted" not in report["tables"]["applications"]["rows"]
    [note] = [f for f in report["findings"] if f["rule"] == "extract.ambiguous_cells"]
    assert "2 values for 7 columns" in note["message"]


def test_tab_separated_rows_keep_their_blank_cells() -> None:
    """A browser's copy of the table: tabs between cells, nothing between two tabs for a blank cell."""
    stem = "hebei_jyt_2019_copied_text"
    lines = ["\t".join([label, *values]) for label, values in _table3_lines(stem)]
    report = parsed(_text_around("\n".join(lines)).encode("utf-8"))
    assert report["tables"]["applications"] == expected(stem)["tables"]["applications"]
