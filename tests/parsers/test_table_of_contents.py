"""A table of contents printed under the title (Word's TOC field, a typed 目录 with dotted
leaders, the headings listed without page numbers) is not where the sections begin. Each
variant is seed 002's Word file with the list inserted after its title."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx_edits import retyped

from parsers.api import parse_bytes
from real_documents import cell_differences

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = FIXTURES / "documents" / "002_133ea6e3b8938548.docx"
EXPECTED = json.loads((FIXTURES / "expected" / "002_133ea6e3b8938548.json").read_text(encoding="utf-8"))
HEADINGS = [s["heading"] for s in EXPECTED["sections"]]
TITLE_LINE = "2020年政府信息公开工作年度报告"


@pytest.mark.parametrize("contents", [
    ["目  录", *(f"{heading}……………………{page}" for page, heading in enumerate(HEADINGS, start=1))],
    ["目录", *(f"{heading}\t{page}" for page, heading in enumerate(HEADINGS, start=1))],  # Word's TOC: a tab before the page
    HEADINGS,  # a TOC field updated without page numbers
    ["目录", *(f"{heading} {page}" for page, heading in enumerate(HEADINGS[:3], start=1)),
     "（一）主动公开情况 2", *(f"{heading} {page}" for page, heading in enumerate(HEADINGS[3:], start=4))],
], ids=["leaders", "tab", "unpaged", "with-sub-items"])
def test_a_table_of_contents_under_the_title_leaves_the_sections_as_printed(contents: list[str]) -> None:
    report = parse_bytes(retyped(SEED, {}, after={TITLE_LINE: contents}), filename="report.docx")[1].to_dict()
    assert cell_differences(EXPECTED, report) == []
    assert [(s["number"], s["heading"], s["text"]) for s in report["sections"]] == \
        [(s["number"], s["heading"], s["text"]) for s in EXPECTED["sections"]]
    assert report["preamble"] == EXPECTED["preamble"]
    assert report["findings"] == []


def test_headings_printed_one_after_another_once_are_the_report_s_own() -> None:
    # section 五 printed with no text: its heading and 六's follow each other, and are not a list of contents
    data = retyped(SEED, {}, remove_last=tuple(EXPECTED["sections"][4]["text"].split("\n")))
    report = parse_bytes(data, filename="report.docx")[1]
    assert [(s.number, s.heading, s.text) for s in report.sections][4:] == \
        [(5, HEADINGS[4], ""), (6, HEADINGS[5], EXPECTED["sections"][5]["text"])]


def test_a_long_report_s_headings_are_read_a_few_times_each_not_once_per_heading_before_them(monkeypatch) -> None:
    # every such line begins a run that might be a list of contents; the headings after each
    # run had been read again for every run, a sixth of a real Word page's parse
    from parsers import table_of_contents
    from parsers.document import Block

    # short lines ending in a number, as a list of contents prints them ("受理申请 12")
    blocks = [Block("paragraph", text) for number in range(60)
              for text in (f"全年受理申请 {number}", "本机关按照要求认真做好相关工作，取得了较好成效。" * 3)]
    reads = []
    real_read = table_of_contents.read_heading
    monkeypatch.setattr(table_of_contents, "read_heading", lambda text: reads.append(text) or real_read(text))
    assert table_of_contents.without_contents(blocks) == blocks
    assert len(reads) <= 3 * len(blocks)
