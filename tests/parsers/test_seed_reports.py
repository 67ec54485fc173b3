"""The five real reports, end to end: facts checked by hand, then every expected JSON that exists."""

from pathlib import Path

import pytest

from parse_expectations import Case, comparable, expected_cases, readable_diff
from parsers.api import parse_bytes
from parsers.locations import without_locations


def _parse(seeds_dir: Path, stem: str) -> dict:
    """What the seed's report says (where its cells are printed: test_cell_locations)."""
    path = next(seeds_dir.glob(f"{stem}_*.txt"))
    return without_locations(parse_bytes(path.read_bytes(), filename=path.name)[1].to_dict())


def test_seed_000_without_title_block(seeds_dir: Path) -> None:
    report = _parse(seeds_dir, "000")
    meta = report["metadata"]
    assert meta["title"] is None
    assert meta["agency"] == "淄博经济开发区"  # from "本报告可在淄博经济开发区门户网站…"
    assert meta["year"] == 2020  # statistics period
    assert meta["phone"] == "0533-7878118"
    assert meta["email"] == "zibojingkaiqubangongshi@zb.shandong.cn"
    assert [s["number"] for s in report["sections"]] == [1, 2, 3, 4, 5, 6]
    assert report["sections"][3]["heading"] == "4． 政府信息公开行政复议、行政诉讼情况"
    assert report["preamble"].startswith("本报告是根据")
    purchase = report["tables"]["active_disclosure"]["rows"][-1]
    assert purchase["item"] == "第二十条第（九）项"
    assert purchase["cells"]["采购总金额"] == {"raw": "0万", "value": 0, "unit": "万元", "state": "number", "value_wan": 0}


def test_seed_001_subheading_does_not_start_section_2(seeds_dir: Path) -> None:
    report = _parse(seeds_dir, "001")
    sections = report["sections"]
    assert sections[1]["heading"] == "2、 主动公开政府信息情况"
    assert "（1） 主动公开政府信息情况" in sections[0]["text"].split("\n")
    assert report["metadata"]["title"] == "威海经济技术开发区2020年政府信息公开工作年度报告"
    rows = report["tables"]["active_disclosure"]["rows"]
    assert [r["label"] for r in rows[:2]] == ["规章", "规范性文件"]
    assert list(rows[0]["cells"]) == ["本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert rows[2]["cells"]["本年增/减"]["value"] == 113
    assert rows[7]["cells"]["采购总金额"]["value_wan"] == 11522.96
    applications = report["tables"]["applications"]["rows"]
    assert applications["unable.not_held"]["cells"]["total"]["value"] == 3
    assert applications["unable.not_held"]["label"] == "1.本机关不掌握相关政府信息"
    appeals = report["tables"]["appeals"]["cells"]
    assert appeals["review.pending"]["value"] == 1 and appeals["review.total"]["value"] == 1
    assert report["findings"] == []


def test_seed_002_signature_is_metadata_not_section_text(seeds_dir: Path) -> None:
    report = _parse(seeds_dir, "002")
    meta = report["metadata"]
    assert meta["signed_date"] == "2021-01-29"
    assert meta["region"] == "淄博市张店区"
    assert meta["email"] == "zdjgsw@163.com"  # printed across a line break
    assert report["sections"][5]["text"] == "无。"


def test_seed_003_follows_the_2021_template(seeds_dir: Path) -> None:
    report = _parse(seeds_dir, "003")
    assert report["metadata"]["template"] == "2021"
    tables = report["tables"]
    assert {t["template"] for t in tables.values()} == {"2021"}
    rows = tables["applications"]["rows"]
    assert list(rows)[-5:] == ["other.overdue_correction", "other.overdue_fee", "other.other", "total_processed", "carried_forward"]
    assert len(rows) == 25
    fee = tables["active_disclosure"]["rows"][-1]["cells"]["本年收费金额（单位：万元）"]
    assert fee == {"raw": "0", "value": 0, "unit": "万元", "state": "number", "value_wan": 0}


def test_seed_004_labels_broken_over_lines(seeds_dir: Path) -> None:
    report = _parse(seeds_dir, "004")
    rows = report["tables"]["applications"]["rows"]
    assert len(rows) == 23 and "other" in rows
    assert rows["not_processed.confirm_reissue"]["label"] == "5．要求行政机关确认或重新出具已获取信息"
    assert report["tables"]["active_disclosure"]["rows"][0]["cells"]["本年新公开数量"]["value"] == 0


@pytest.mark.parametrize("case", expected_cases(), ids=lambda case: case.id)
def test_document_parses_to_its_expected_json(case: Case) -> None:
    want = case.want()
    got = comparable(parse_bytes(case.document.read_bytes(), filename=case.document.name)[1].to_dict())
    assert got == want, readable_diff(want, got)
