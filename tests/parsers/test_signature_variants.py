"""The signature at a report's end as agencies print it: a note, an attachment line or contacts
after the date, the date in Chinese numerals typed with a letter O or a digit 0, the agency and
the date on one line or the other way round. Seed 002's Word file, signed
"淄博市张店区机关事务服务中心" / "2021年1月29日", with its ending retyped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx_edits import retyped

from parsers.api import parse_bytes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = FIXTURES / "documents" / "002_133ea6e3b8938548.docx"
AGENCY, DATE = "淄博市张店区机关事务服务中心", "2021年1月29日"


@pytest.mark.parametrize(("changes", "after", "closing"), [
    ({}, {DATE: ["（此件公开发布）"]}, ["（此件公开发布）"]),
    ({}, {DATE: ["附件：政府信息公开工作情况统计表"]}, ["附件：政府信息公开工作情况统计表"]),
    ({}, {DATE: ["联系电话：0533-2869928", "地址：淄博市张店区新村西路226号"]},
     ["联系电话：0533-2869928", "地址：淄博市张店区新村西路226号"]),
    ({DATE: "二Ｏ二一年一月二十九日"}, {}, []),  # a full-width letter O for 〇
    ({DATE: "二0二一年一月二十九日"}, {}, []),  # a digit 0
    ({AGENCY: f"{AGENCY}　{DATE}", DATE: ""}, {}, []),
    ({AGENCY: DATE, DATE: AGENCY}, {}, []),  # the date above the agency
], ids=["publication-note", "attachment", "contacts", "letter-O", "digit-0", "one-line", "date-first"])
def test_the_signature_is_read_and_left_out_of_section_six(changes: dict[str, str], after: dict[str, list[str]],
                                                           closing: list[str]) -> None:
    report = parse_bytes(retyped(SEED, changes, after=after), filename="report.docx")[1]
    assert (report.metadata.agency, report.metadata.signed_date) == (AGENCY, "2021-01-29")
    assert report.sections[-1].text.split("\n") == ["无。", *closing]


def test_a_closing_sentence_after_the_date_is_no_signature() -> None:
    # a date followed by a sentence of the report is no signature: the text goes on
    report = parse_bytes(retyped(SEED, {}, after={DATE: ["本报告电子版可在门户网站下载。"]}), filename="report.docx")[1]
    assert report.metadata.signed_date is None


TITLE = "2020年政府信息公开工作年度报告"


@pytest.mark.parametrize(("changes", "after", "remove", "title"), [
    # the year as a bracketed line under the title, the signature as it was
    ({TITLE: "政府信息公开工作年度报告"}, {TITLE: ["（2020年度）"]}, (), f"{AGENCY}政府信息公开工作年度报告（2020年度）"),
    # the date under the title, no signature at the end
    ({}, {TITLE: [f"（{DATE}）"]}, (AGENCY, DATE), f"{AGENCY}{TITLE}"),
    # the title alone, then the agency and the date under it, 公文 style
    ({}, {TITLE: [AGENCY, f"（{DATE}）"]}, (AGENCY, AGENCY, DATE), TITLE),
], ids=["year-line", "date-line", "agency-and-date"])
def test_lines_under_the_title(changes: dict[str, str], after: dict[str, list[str]], remove: tuple[str, ...],
                               title: str) -> None:
    data = retyped(SEED, changes, after=after, remove_last=remove)
    report = parse_bytes(data, filename="report.docx")[1]
    assert report.metadata.title == title
    assert (report.metadata.agency, report.metadata.year, report.metadata.signed_date) == (AGENCY, 2020, "2021-01-29")
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.sections[-1].text == "无。"
