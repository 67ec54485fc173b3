from __future__ import annotations

import pytest

from fixtures.render.layout import APPEAL_VALUE_COUNT
from fixtures.render.vary import vary_report
from parsers.document import Document
from render_checks import tables_of, values_by_row

FIXED_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")


def _table3(doc: Document) -> dict[str, list[int]]:
    return {key: [int(v) for v in values] for key, values in values_by_row(tables_of(doc)["applications"]).items()}


def _broken_rules(rows: dict[str, list[int]]) -> set[tuple[str, str, int]]:
    """(rule, row key, column) of every place the table does not add up (rules 1-3)."""
    broken: set[tuple[str, str, int]] = set()
    outcomes = [key for key in rows if key not in FIXED_ROWS]
    for col in range(7):
        if rows["new_received"][col] + rows["carried_over"][col] != rows["total_processed"][col] + rows["carried_forward"][col]:
            broken.add(("1", "", col))
        if sum(rows[key][col] for key in outcomes) != rows["total_processed"][col]:
            broken.add(("2", "", col))
    for key, values in rows.items():
        if sum(values[:6]) != values[6]:
            broken.add(("3", key, 6))
    return broken


def _appeal_values(doc: Document) -> list[int]:
    cells = [c for c in tables_of(doc)["appeals"].cells if c.role == "value"]
    assert len(cells) == APPEAL_VALUE_COUNT
    return [int(c.text) for c in sorted(cells, key=lambda c: c.col)]


@pytest.mark.parametrize("seed", range(12))
def test_varied_tables_add_up(seed_docs: dict[str, Document], seed: int) -> None:
    for stem, doc in seed_docs.items():
        year = 2022 if stem.startswith("003") else 2019
        varied = vary_report(doc, agency="某县测试局", year=year, seed=seed)
        rows = _table3(varied)
        assert _broken_rules(rows) == set(), stem
        assert all(v >= 0 for values in rows.values() for v in values)
        appeals = _appeal_values(varied)
        for block in range(3):
            five = appeals[block * 5 : block * 5 + 5]
            assert sum(five[:4]) == five[4]


def test_inconsistent_breaks_exactly_the_documented_total(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["001_edb62deb526a149a"]
    good = _table3(vary_report(doc, agency="某县测试局", year=2020, seed=5))
    bad = _table3(vary_report(doc, agency="某县测试局", year=2020, seed=5, inconsistent=True))
    differing = [(key, col) for key in good for col in range(7) if good[key][col] != bad[key][col]]
    assert differing == [("total_processed", 6)]
    assert bad["total_processed"][6] == good["total_processed"][6] + 1
    assert _broken_rules(bad) == {("1", "", 6), ("2", "", 6), ("3", "total_processed", 6)}


def test_agency_and_years_are_replaced(seed_docs: dict[str, Document]) -> None:
    varied = vary_report(seed_docs["002_133ea6e3b8938548"], agency="临沂市某某局", year=2019, seed=1)
    texts = [b.text for b in varied.blocks if b.table is None]
    assert texts[:2] == ["临沂市某某局", "2019年政府信息公开工作年度报告"]
    assert not any("张店区机关事务服务中心" in t for t in texts)
    assert texts[-2:] == ["临沂市某某局", "2020年1月29日"]  # the signature: the year after the report
    assert "国办公开办函〔2019〕60号" in texts[3]


def test_agency_without_title_block_comes_from_the_text(seed_docs: dict[str, Document]) -> None:
    varied = vary_report(seed_docs["000_9d093eecd5b1c4d3"], agency="某县", year=2019, seed=1)
    assert "本报告可在某县门户网站" in varied.blocks[0].text
    assert "自2019年1月1日起至2019年12月31日止" in varied.blocks[0].text


def test_same_seed_same_report_other_seed_other_numbers(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["003_405f20c665fb23e7"]
    first = vary_report(doc, agency="甲", year=2021, seed=3)
    assert _table3(first) == _table3(vary_report(doc, agency="甲", year=2021, seed=3))
    assert _table3(first) != _table3(vary_report(doc, agency="甲", year=2021, seed=4))


def test_years_outside_the_template_are_refused(seed_docs: dict[str, Document]) -> None:
    with pytest.raises(ValueError, match="2019 template"):
        vary_report(seed_docs["001_edb62deb526a149a"], agency="甲", year=2022, seed=1)
    with pytest.raises(ValueError, match="2021 template"):
        vary_report(seed_docs["003_405f20c665fb23e7"], agency="甲", year=2020, seed=1)


def test_only_leading_place_names_are_dropped_for_short_names(seed_docs: dict[str, Document]) -> None:
    varied = vary_report(seed_docs["003_405f20c665fb23e7"], agency="某县某局", year=2021, seed=1)
    texts = "\n".join(b.text for b in varied.blocks if b.table is None)
    assert texts.startswith("某县某局\n2021年政府信息公开工作年度报告\n")
    # "管理委员会" alone is not a name of the agency; the shortened form in the text stays as printed.
    assert "一是张店经济开发区管理委员会始终高度重视" in texts
