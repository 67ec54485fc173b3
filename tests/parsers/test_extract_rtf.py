"""RTF files (served as .doc by some portals): text in any of RTF's spellings, tables with merges."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.errors import LimitExceeded, ParseError
from parsers.extract import extract


def _gbk(text: str) -> bytes:
    return b"".join(b"\\'%02x" % byte for byte in text.encode("gbk"))


RTF = (
    rb"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}{\*\generator Writer;}{\info{\title X}}"
    + rb"\pard " + _gbk("某某局") + rb"\par"
    + rb"\pard \u19968?\u12289?\u24635?\u20307?\u24773?\u20917?\par"  # 一、总体情况 as \uN
    + rb"\pard \u-248?1\u-247? " + _gbk("本年") + rb"\line " + _gbk("工作") + rb"\par"
    + rb"\trowd\cellx1000\clmrg\cellx2000\pard\intbl " + _gbk("行政复议") + rb"\cell\pard\intbl\cell\row"
    + rb"\trowd\cellx1000\cellx2000\pard\intbl 0\cell\pard\intbl " + _gbk("结果") + rb"\line " + _gbk("维持") + rb"\cell\row"
    + rb"\trowd\clvmrg\cellx1000\cellx2000\pard\intbl\cell\pard\intbl 2\cell\row"
    + rb"\pard " + _gbk("完") + rb"\{\}\par}"
)


def test_paragraphs_and_tables() -> None:
    doc = extract(RTF, filename="report.doc")
    assert doc.source_format == "rtf"
    texts = [b.text for b in doc.blocks if b.table is None]
    assert texts == ["某某局", "一、总体情况", "（1） 本年", "工作", "完{}"]
    table = next(b.table for b in doc.blocks if b.table is not None)
    assert table.texts() == [["行政复议", "行政复议"], ["0", "结果\n维持"], ["0", "2"]]
    assert table.rows[0][1].span_of == (0, 0) and table.rows[2][0].span_of == (1, 0)


def test_a_cell_merged_across_columns_as_word_writes_it_covers_the_grid_columns_under_it() -> None:
    """Word writes 行政复议 over five columns as one cell whose right edge is the fifth column's
    (no \\clmrg); a cell merged down (\\clvmrg) is the one above at its grid column."""
    header = rb"\trowd\trleft-100\cellx900\cellx3000\cellx3600\pard\intbl " + _gbk("项目") + rb"\cell\pard\intbl " + \
        _gbk("行政复议") + rb"\cell\pard\intbl " + _gbk("合计") + rb"\cell\row"
    outcomes = rb"\trowd\trleft-100\clvmgf\cellx900\cellx1600\cellx2310\cellx3000\clvmgf\cellx3600\pard\intbl\cell" + \
        b"".join(rb"\pard\intbl " + _gbk(word) + rb"\cell" for word in ("维持", "纠正", "其他")) + rb"\pard\intbl\cell\row"
    values = rb"\trowd\trleft-100\clvmrg\cellx900\cellx1600\cellx2310\cellx3000\clvmrg\cellx3600\pard\intbl\cell" + \
        rb"\pard\intbl 1\cell\pard\intbl 2\cell\pard\intbl 3\cell\pard\intbl\cell\row"
    rtf = rb"{\rtf1\ansi\ansicpg936 " + header + outcomes + values + rb"\pard " + _gbk("完") + rb"\par}"
    table = next(b.table for b in extract(rtf, filename="report.rtf").blocks if b.table is not None)
    assert table.texts() == [["项目", "行政复议", "行政复议", "行政复议", "合计"], ["", "维持", "纠正", "其他", ""],
                             ["", "1", "2", "3", ""]]
    assert [cell.span_of for cell in table.rows[0]] == [None, None, (0, 1), (0, 1), None]
    assert table.rows[2][0].span_of == (1, 0) and table.rows[2][4].span_of == (1, 4)


def test_wide_cells_over_many_edges_are_refused_before_their_slots_are_made() -> None:
    """One row of 5,000 cells and 100 rows of one cell across them all: 505,000 slots."""
    edges = b"".join(rb"\cellx%d" % (100 * n) for n in range(1, 5001))
    wide = rb"\trowd\cellx500000\pard\intbl x\cell\row" * 100
    rtf = rb"{\rtf1\ansi \trowd" + edges + rb"\pard\intbl x\cell" * 5000 + rb"\row" + wide + rb"\pard end\par}"
    with pytest.raises(LimitExceeded, match="table_slots"):
        extract(rtf, filename="bomb.rtf")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=600))
def test_broken_rtf_never_crashes(tail: bytes) -> None:
    try:
        extract(b"{\\rtf1\\ansi " + tail, filename="x.rtf")
    except ParseError as exc:
        assert "\n" not in str(exc)
