"""Section headings as agencies print them besides the template's wording: other words, a note,
the section's first sentence on the heading's line, a number printed twice, a sub-item that
repeats a heading's words. Each variant is seed 002's Word file with its headings retyped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx_edits import retyped

from parsers.api import parse_bytes
from parsers.headings import read_heading
from real_documents import cell_differences

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = FIXTURES / "documents" / "002_133ea6e3b8938548.docx"
EXPECTED = json.loads((FIXTURES / "expected" / "002_133ea6e3b8938548.json").read_text(encoding="utf-8"))
HEADINGS = [s["heading"] for s in EXPECTED["sections"]]


def _sections(data: bytes) -> list[tuple[int, str]]:
    report = parse_bytes(data, filename="report.docx")[1]
    assert cell_differences(EXPECTED, report.to_dict()) == []
    return [(s.number, s.text[:10]) for s in report.sections]


AS_PRINTED = [(s["number"], s["text"][:10]) for s in EXPECTED["sections"]]


@pytest.mark.parametrize("changes", [
    {HEADINGS[4]: "五、存在的主要问题和改进情况"},  # 和 for 及 (the real Pingtan page prints it so)
    {HEADINGS[5]: "六、其他需要报告事项"},
    {HEADINGS[1]: "二、主动公开政府信息情况（详见下表）"},
    {HEADINGS[1]: "二、主动公开政府信息"},
    {HEADINGS[4]: "五、主要问题及改进情况"},
    {HEADINGS[3]: "四、行政复议、行政诉讼情况"},
    {HEADINGS[2]: "三、依申请公开政府信息情况"},
    {HEADINGS[0]: "一、基本情况"},
    {HEADINGS[3]: "三、政府信息公开行政复议、行政诉讼情况"},  # the number of 三 printed again
], ids=lambda changes: next(iter(changes.values())))
def test_headings_in_other_words_open_their_sections(changes: dict[str, str]) -> None:
    assert _sections(retyped(SEED, changes)) == AS_PRINTED


def test_a_heading_run_into_its_first_sentence_opens_its_section_with_that_sentence() -> None:
    data = retyped(SEED, {HEADINGS[0]: "一、总体情况。", HEADINGS[5]: "六、其他需要报告的事项。"}, join_next=HEADINGS[0:1] + HEADINGS[5:6])
    assert _sections(data) == AS_PRINTED


def test_a_sub_item_repeating_a_heading_s_words_stays_in_its_section() -> None:
    # the first paragraph of 总体情况 retyped as its item "（二）主动公开政府信息情况"
    first = EXPECTED["sections"][0]["text"].split("\n")[0]
    report = parse_bytes(retyped(SEED, {first: "（二）主动公开政府信息情况"}), filename="report.docx")[1]
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.sections[0].text.startswith("（二）主动公开政府信息情况")
    assert report.sections[1].heading == HEADINGS[1]


@pytest.mark.parametrize("text", [
    "主动公开政府信息",  # looser words without their number are a phrase
    "一、主动公开政府信息",  # …or with another section's number
    "（一）总体情况良好，各项工作有序推进。",  # a bracketed item's sentence is not a heading
    "主动公开政府信息情况方面，本年度新制发规范性文件3件。",
])
def test_phrases_of_the_text_are_not_headings(text: str) -> None:
    assert read_heading(text) is None
