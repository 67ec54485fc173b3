"""A file holding two reports one after the other is read as the first, and says the second
is there: its tables never stand in for the first's, its text is not section 六's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from real_documents import cell_differences

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _seed(prefix: str) -> str:
    return next((FIXTURES / "seeds").glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _expected(prefix: str) -> dict:
    return json.loads(next((FIXTURES / "expected").glob(f"{prefix}_*.json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("first", "second", "said"), [
    ("002", "000", "本报告是根据"),  # the same year, the second without a title: it starts after the first's date
    ("003", "002", "淄博市张店区机关事务服务中心"),  # 2023 then 2020, the second under its title
])
def test_the_first_of_two_reports_in_one_file_is_the_file_s_report(first: str, second: str, said: str) -> None:
    data = (_seed(first).rstrip() + "\n\n" + _seed(second)).encode("utf-8")
    report = parse_bytes(data, filename="two.txt")[1].to_dict()
    expected = _expected(first)
    assert cell_differences(expected, report) == []
    assert report["metadata"] == expected["metadata"]
    assert [(s["number"], s["text"]) for s in report["sections"]] == [(s["number"], s["text"]) for s in expected["sections"]]
    [note] = [f for f in report["findings"] if f["rule"] == "document.second_report"]
    assert note["severity"] == "warning" and note["printed"].startswith(said)
    assert [f for f in report["findings"] if f["rule"] != "document.second_report"] == expected["findings"]


def test_a_report_alone_has_no_second() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        report = parse_bytes(_seed(prefix).encode("utf-8"), filename="one.txt")[1]
        assert not [f for f in report.findings if f.rule == "document.second_report"]
