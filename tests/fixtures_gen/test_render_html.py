from __future__ import annotations

import re

import lxml.html
import pytest

from fixtures.render.html import HtmlVariant, render_report_html
from parsers.document import Document
from render_checks import expand_html_table, tables_of, values_by_row

ALL_HABITS = HtmlVariant(
    label_breaks=True,
    half_width_brackets=True,
    styled_spans=True,
    nbsp=True,
    colgroup=True,
    heading_tags=True,
)


def _tables(fragment: str) -> list[list[list[str]]]:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [expand_html_table(table) for table in root.iter("table")]


def _fold(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("variant", [HtmlVariant(), ALL_HABITS], ids=["plain", "all-habits"])
def test_table_3_reads_back_cell_for_cell(seed_docs: dict[str, Document], variant: HtmlVariant) -> None:
    for stem, doc in seed_docs.items():
        expected = values_by_row(tables_of(doc)["applications"])
        grid = _tables(render_report_html(doc, variant=variant))[1]
        data_rows = grid[3:]
        assert len(data_rows) == len(expected), stem
        for row, values in zip(data_rows, expected.values()):
            assert [_fold(t) for t in row[3:]] == [_fold(v) for v in values], stem


def test_merges_are_the_templates(seed_docs: dict[str, Document]) -> None:
    html = render_report_html(seed_docs["003_405f20c665fb23e7"])
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    spans = {_fold("".join(td.itertext()))[:8]: (td.get("rowspan"), td.get("colspan")) for td in root.iter("td")}
    assert spans["（本列数据的勾稽"] == ("3", "3")
    assert spans["三、本年度办理结"] == ("22", None)  # 2021 template: 22 result rows
    assert spans["（三）不予公开"] == ("8", None)
    assert spans["（六）其他处理"] == ("3", None)
    assert spans["行政复议"] == (None, "5")
    assert spans["行政诉讼"] == (None, "10")
    assert spans["未经复议直接起诉"] == (None, "5")
    assert spans["第二十条第（一）"] == (None, "4")
    html_2019 = render_report_html(seed_docs["001_edb62deb526a149a"])
    assert 'rowspan="20"' in html_2019  # 2019 template: one （六） row, 20 result rows


def test_every_result_row_sits_under_its_group_labels(seed_docs: dict[str, Document]) -> None:
    grid = _tables(render_report_html(seed_docs["004_2dfc536c7b58f7e3"]))[1]
    by_label = {_fold(row[2]): row for row in grid[3:]}
    assert by_label["3．补正后申请内容仍不明确"][:2] == ["三、本年度办理结果", "（四）无法提供"]
    assert by_label["5．要求行政机关确认或重新出具已获取信息"][1] == "（五）不予处理"


def test_habits_show_in_the_markup(seed_docs: dict[str, Document]) -> None:
    html = render_report_html(seed_docs["002_133ea6e3b8938548"], variant=ALL_HABITS)
    assert "自<br>然<br>人" in html
    assert "第二十条第(一)项" in html and "(三)不予公开" in html
    assert "<colgroup>" in html and "&amp;nbsp;" not in html and "&nbsp;" in html
    assert 'class="MsoNormal"' in html and "<h3>" in html
    plain = render_report_html(seed_docs["002_133ea6e3b8938548"])
    assert "<br>" not in plain and "<span" not in plain


def test_blank_zeros_empties_only_zero_cells(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["001_edb62deb526a149a"]
    grid = _tables(render_report_html(doc, variant=HtmlVariant(blank_zeros=True)))[1]
    expected = values_by_row(tables_of(doc)["applications"])
    for row, values in zip(grid[3:], expected.values()):
        assert [t.strip() for t in row[3:]] == ["" if v.strip() == "0" else v.strip() for v in values]


def test_text_is_escaped() -> None:
    from parsers.document import Block

    doc = Document([Block("paragraph", text="a<b>&c")], source_format="seedtext")
    assert "a&lt;b&gt;&amp;c" in render_report_html(doc)


def test_split_appeals_prints_three_small_tables(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["001_edb62deb526a149a"]
    grids = _tables(render_report_html(doc, variant=HtmlVariant(split_appeals=True)))
    assert len(grids) == 5
    names = [_fold(grid[0][0]) for grid in grids[2:]]
    assert names == ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]
    assert all(_fold(grid[1][4]) == "总计" for grid in grids[2:])
    assert [v for grid in grids[2:] for v in grid[2]] == ["0", "0", "0", "1", "1"] + ["0"] * 10
