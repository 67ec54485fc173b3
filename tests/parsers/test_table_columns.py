"""Value columns read from the header's grid positions, on table 3 markup as Word exports it."""

from __future__ import annotations

from lxml import etree

from parsers.extract.html_tables import read_table
from parsers.tables.applications import parse_applications
from parsers.tables.columns import header_layout, split_by_layout

NAMES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
# The header of the real TRS page (fixtures/real/pingtan_2025_portal_page.html), inline styles left out.
HEADER = (
    '<tr><td colspan="3" rowspan="3"><p>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p></td>'
    '<td colspan="7"><p>申请人情况</p></td></tr>'
    '<tr><td rowspan="2"><p>自然人</p></td><td colspan="5"><p>法人或其他组织</p></td><td rowspan="2"><p>总计</p></td></tr>'
    '<tr><td><p>商业</p><p>企业</p></td><td><p>科研</p><p>机构</p></td>'
    '<td><p>社会</p><p>公益 &nbsp; &nbsp;</p><p>组织 &nbsp; &nbsp;</p></td>'
    '<td><p>法律</p><p>服务 &nbsp;</p><p>机构 &nbsp;</p></td><td><p>其他</p></td></tr>'
)


def _table(rows: str):
    return read_table(etree.fromstring(f"<table><tbody>{HEADER}{rows}</tbody></table>", etree.HTMLParser()).find(".//table"))


def _row(label: str, *cells: str) -> str:
    return f'<tr><td colspan="3"><p>{label}</p></td>' + "".join(cells) + "</tr>"


def test_the_header_gives_each_column_its_grid_position() -> None:
    layout = header_layout(_table("").rows, NAMES)
    assert layout is not None and layout.starts == (3, 4, 5, 6, 7, 8, 9)


def test_a_value_merged_over_two_columns_is_read_once() -> None:
    cells = ["<td><p>5</p></td>", "<td><p>1</p></td>", "<td><p>0</p></td>", '<td colspan="2"><p>0</p></td>',
             "<td><p>0</p></td>"]
    table = _table(_row("一、本年新收政府信息公开申请数量", *cells, "<td><p>6</p></td>"))
    layout = header_layout(table.rows[:3], NAMES)
    assert layout is not None
    labels, values = split_by_layout(table.rows[3], layout)
    assert values == ["5", "1", "0", "0", "", "0", "6"]  # the merged cell's second column is not a second 0
    assert "一、本年新收政府信息公开申请数量" in labels


def test_a_row_printing_fewer_cells_leaves_the_rest_blank() -> None:
    table = _table(_row("二、上年结转政府信息公开申请数量", "<td><p>3</p></td>", "<td><p>0</p></td>"))
    rows = parse_applications([table])
    cells = rows["carried_over"].cells
    assert [cells[c].raw for c in ("natural_person", "commercial", "research", "total")] == ["3", "0", "", ""]
    assert cells["total"].state == "blank"


def test_a_text_export_prints_no_geometry() -> None:
    """Ragged rows (one printed cell after another from column 0) are no layout; the label rules read them."""
    ragged = read_table(etree.fromstring(
        "<table><tr><td>自然人</td><td>法人或其他组织</td><td>总计</td></tr>"
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr></table>",
        etree.HTMLParser()).find(".//table"))
    assert header_layout(ragged.rows, NAMES) is None
