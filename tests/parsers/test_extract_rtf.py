"""RTF files (served as .doc by some portals): text in any of RTF's spellings, tables with merges."""

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.errors import ParseError
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


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=600))
def test_broken_rtf_never_crashes(tail: bytes) -> None:
    try:
        extract(b"{\\rtf1\\ansi " + tail, filename="x.rtf")
    except ParseError as exc:
        assert "\n" not in str(exc)
