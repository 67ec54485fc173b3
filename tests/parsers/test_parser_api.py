from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.errors import ExtractionError
from parsers.hints import ReportHints


def test_hints_fill_metadata_the_body_lacks(seeds_dir: Path) -> None:
    data = (seeds_dir / "000_9d093eecd5b1c4d3.txt").read_bytes()
    hints = ReportHints(agency="淄博经济开发区管委会", year=2020, source_url="http://example.invalid/a.html")
    doc, report = parse_bytes(data, filename="000.txt", hints=hints)
    assert doc.source_format == "seedtext"
    assert report.metadata.year == 2020
    assert report.metadata.source_url == "http://example.invalid/a.html"


def test_empty_input_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        parse_bytes(b"")


BODY_ONLY = "一、总体情况\n本年度工作顺利。本报告可在某某区门户网站下载。\n五、存在的主要问题及改进情况\n人手不足。\n"


def test_agency_and_year_from_the_listing_title_when_the_body_has_no_title_block() -> None:
    _, report = parse_bytes(BODY_ONLY.encode(), filename="a.txt", hints=ReportHints(title="某某市某某局2021年政府信息公开工作年度报告"))
    assert (report.metadata.agency, report.metadata.year, report.metadata.title) == ("某某市某某局", 2021, None)
    assert report.metadata.region == "某某市"


def test_page_metadata_gives_agency_and_publish_date() -> None:
    hints = ReportHints(page_meta={"发布机构": "某某县统计局", "PubDate": "2022-01-20 09:30"})
    _, report = parse_bytes(BODY_ONLY.encode(), filename="a.txt", hints=hints)
    assert (report.metadata.agency, report.metadata.publish_date, report.metadata.region) == ("某某县统计局", "2022-01-20", "某某县")


def test_agency_from_the_text_as_a_last_resort() -> None:
    _, report = parse_bytes(BODY_ONLY.encode(), filename="a.txt")
    assert report.metadata.agency == "某某区" and report.metadata.year is None
