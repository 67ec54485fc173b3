"""Robust readers: RTF's \\u in all its spellings, and bytes that only pretend to be DOC/WPS."""

from __future__ import annotations

import pytest

from parsers.api import parse_bytes
from parsers.errors import ExtractionError
from parsers.extract import extract
from parsers.extract.sniff import sniff_format
from tests.hostile import corpus
from tests.hostile.compound import MAGIC, compound_file


def _paragraphs(rtf: bytes) -> list[str]:
    return [block.text for block in extract(rtf, filename="report.doc").blocks if block.table is None]


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (rb"\u-10179?\u-8704?", "\U0001F600"),  # a pair as signed 16-bit values, as Word writes it
        (rb"\uc0 \u55401\uc1 \u56997\'3f", "\U0002A6A5"),  # a pair as LibreOffice writes it
        (rb"\u-27\'3f", "\uffe5"),  # negative: 65536 - 27, the full-width yen sign
        (rb"A\u B", "AB"),  # \u without its number is no character
        (rb"A\u?B", "A?B"),
        (rb"A\u99999999999?B", "A\ufffdB"),  # past U+10FFFF
        (rb"A\u-99999?B", "A\ufffdB"),  # below a 16-bit value
        (rb"A\u-10179?B", "A\ufffdB"),  # a high half without its low half
        (rb"A\u56832?B", "A\ufffdB"),  # a low half alone
        (rb"A\u-10179?\u-10179?\u-8704?B", "A\ufffd\U0001F600B"),
        (rb"A\u-10179?\par B", None),  # a pair cut by a paragraph end
        (rb"\uc-3 \u20320?A", "\u4f60?A"),  # a negative fallback count skips nothing
    ],
)
def test_rtf_unicode_spellings(body: bytes, text: str | None) -> None:
    paragraphs = _paragraphs(corpus.rtf_unicode(body))
    assert paragraphs[0] == "一、总体情况"
    if text is not None:
        assert paragraphs[1] == text
    for paragraph in paragraphs:
        paragraph.encode("utf-8")  # no lone surrogate reaches the archive


def test_rtf_nested_past_the_limit() -> None:
    with pytest.raises(ExtractionError, match="limit nesting_depth="):
        extract(corpus.rtf_unicode(b"{" * 300 + b"x" + b"}" * 300), filename="report.rtf")


def test_random_bytes_after_an_ole2_signature_are_an_error() -> None:
    with pytest.raises(ExtractionError, match="damaged OLE2 file") as info:
        parse_bytes(corpus.ole2_random(), filename="report.doc")
    assert "\n" not in str(info.value)


def test_a_compound_file_without_word_text_is_not_a_report() -> None:
    with pytest.raises(ExtractionError, match="without a WordDocument stream"):
        sniff_format(compound_file("PowerPoint Document"), suffix="doc")


def test_a_compound_file_holding_a_workbook_is_a_spreadsheet() -> None:
    assert sniff_format(compound_file("Workbook"), suffix="doc") == "xls"


def test_a_compound_header_over_random_sectors_is_an_error() -> None:
    data = compound_file()[:512] + corpus.ole2_random(size=8192)[len(MAGIC):]
    with pytest.raises(ExtractionError, match="OLE2"):
        sniff_format(data, suffix="doc")


def test_a_word_compound_file_is_a_doc() -> None:
    assert sniff_format(compound_file(), suffix="doc") == "doc"
    assert sniff_format(compound_file(), suffix="wps") == "wps"


def test_an_rtf_merge_pointing_at_a_row_of_an_ended_table_reads_as_a_plain_cell() -> None:
    # Found by the fuzzer (tests/fuzz, target rtf): a paragraph mark ends the table halfway
    # through a row, and a later merged cell pointed at a row no longer there (IndexError).
    import base64

    from parsers.extract.rtf import extract_rtf

    found = base64.b64decode(
        "XGFuc2kcY25zU2ltU3VuO319XHBhcm93ZFxjZWx4MjAwMFxjbHZtcmdcY2V0YmwgM1xjZWxsXHJvd1xpbnRiXGFuc2lcYSAzXGNlbGxc"
        "cm93XGludGJcYW5zaVxhbnNpY3BnOTM2XHVjMXuampqaXGZvbnR0cm93ZFxjZWxseDEwMDBfXGlsdFxpbmNibnRibFxmbmlsXGZjaOxc"
        "Y2VsbFxwYXJkXGFyaW50YmRcbCAzXGNlbGxsXHBhcn5kXGludGJsXGNlbGxccGFyZFxpbnRibCAzXGNlbGxccm93XHBsIDNcbGxccGF0"
        "YmRcbCAzXGNlbGxc")
    document = extract_rtf(b"{\\rtf1" + found)
    texts = [cell.text for block in document.blocks if block.table for row in block.table.rows for cell in row]
    assert "3" in texts  # the cells are read, the dangling merge as a cell of its own
