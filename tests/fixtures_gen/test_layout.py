from __future__ import annotations

from fixtures.render.layout import layout_document, layout_table
from parsers.document import Document, GridCell, Table


def test_title_block_headings_and_signature_are_told_apart(seed_docs: dict[str, Document]) -> None:
    roles = {stem: [(b.role, b.text) for b in layout_document(doc) if b.role != "paragraph" and b.role != "table"]
             for stem, doc in seed_docs.items()}
    assert roles["000_9d093eecd5b1c4d3"][0] == ("heading", "一、总体情况")  # no title block
    assert roles["002_133ea6e3b8938548"][:2] == [("title", "淄博市张店区机关事务服务中心"), ("title", "2020年政府信息公开工作年度报告")]
    assert roles["002_133ea6e3b8938548"][-2:] == [("signature", "淄博市张店区机关事务服务中心"), ("signature", "2021年1月29日")]
    for stem, found in roles.items():
        assert sum(role == "heading" for role, _ in found) == 6, stem
    # "（1） 主动公开…" and "（二）依申请公开情况。…" are paragraphs inside section 一, not headings.
    assert all(not text.startswith("（") for role, text in roles["000_9d093eecd5b1c4d3"] if role == "heading")


def test_an_unknown_table_is_laid_out_as_printed() -> None:
    table = Table([[GridCell("项目"), GridCell("数量"), GridCell("备注")], [GridCell("其他主动公开文件"), GridCell("12")]])
    layout = layout_table(table)
    assert layout.kind == "other" and layout.n_cols == 3
    short_row_last = [c for c in layout.cells if c.row == 1][-1]
    assert (short_row_last.text, short_row_last.col, short_row_last.colspan) == ("12", 1, 2)


def test_copies_of_merged_cells_are_not_printed_twice() -> None:
    """A table read from HTML repeats a merged cell in every slot; the layout keeps one."""
    table = Table([
        [GridCell("行政复议"), GridCell("行政复议", span_of=(0, 0)), GridCell("行政诉讼")],
        [GridCell("0"), GridCell("0"), GridCell("0")],
    ])
    layout = layout_table(table)
    assert [c.text for c in layout.cells if c.row == 0] == ["行政复议", "行政诉讼"]
