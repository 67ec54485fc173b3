"""Plain helpers the fixture tests share: tables by kind, table 3 by row, HTML grids."""

from __future__ import annotations

from lxml.html import HtmlElement

from fixtures.render.layout import TableLayout, layout_table
from parsers.document import Document


def tables_of(doc: Document) -> dict[str, TableLayout]:
    """The document's standard tables by kind."""
    layouts = [layout_table(block.table) for block in doc.blocks if block.table is not None]
    return {layout.kind: layout for layout in layouts}


def values_by_row(layout: TableLayout) -> dict[str, list[str]]:
    """Table 3's printed value cells per row key."""
    out: dict[str, list[str]] = {}
    for row, key in layout.row_keys.items():
        out[key] = [c.text for c in sorted(layout.cells, key=lambda c: c.col) if c.row == row and c.role == "value"]
    return out


def expand_html_table(table: HtmlElement) -> list[list[str]]:
    """An lxml <table> as a full grid: a merged cell's text in every slot it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for td in tr.iter("td", "th"):
            while (r, c) in grid:
                c += 1
            text = "".join(td.itertext())
            for dr in range(int(td.get("rowspan", 1))):
                for dc in range(int(td.get("colspan", 1))):
                    grid[(r + dr, c + dc)] = text
            c += int(td.get("colspan", 1))
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]
