"""List numbers as Word prints them: formats, levels, and counting across list instances."""

from __future__ import annotations

import pytest
from lxml import etree

from parsers.extract.docx_numbering import ListNumbers, format_number

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING = (
    f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '</w:abstractNum><w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="●"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'  # the same list again: it counts on
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num></w:numbering>'
).encode()
STYLES = (f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Outline1"><w:name w:val="大纲一级"/>'
          '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>').encode()


def _paragraph(num_id: str | None, level: int = 0, style: str | None = None) -> etree._Element:
    numbered = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>' if num_id else ""
    styled = f'<w:pStyle w:val="{style}"/>' if style else ""
    return etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr>{styled}{numbered}</w:pPr></w:p>')


def test_levels_count_and_reset_as_word_prints_them() -> None:
    numbers = ListNumbers(NUMBERING, STYLES)
    printed = [numbers.label(_paragraph(*args)) for args in [
        ("1", 0), ("1", 1), ("1", 1), ("1", 2), ("1", 0), ("1", 1),  # 一、（一）（二）1. 二、（一）
        ("2", 0),  # another instance of the same list: 三、
        (None, 0, "Outline1"),  # numbered by its style: 四、
        ("3", 0),  # restarted: 一、
        ("4", 0), ("0", 0), (None, 0),  # a bullet, numbering switched off, no numbering
    ]]
    assert printed == ["一、", "（一）", "（二）", "1.", "二、", "（一）", "三、", "四、", "一、", "", "", ""]


@pytest.mark.parametrize(("number", "fmt", "printed"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCountingThousand", "十二"),
    (20, "chineseCounting", "二十"), (3, "chineseLegalSimplified", "叁"), (2, "ideographTraditional", "乙"),
    (3, "decimalEnclosedCircle", "③"), (4, "upperRoman", "IV"), (3, "lowerLetter", "c"), (7, "decimalZero", "07"),
    (5, "decimalFullWidth", "５"), (105, "chineseCounting", "105"), (6, "someFutureFormat", "6"),
])
def test_formats(number: int, fmt: str, printed: str) -> None:
    assert format_number(number, fmt) == printed
