"""Whether a table is a layout around what it holds or a table of its own.

Word frames a report's table in a one-cell table, portals lay pages out in tables; an editor
pastes a 1x1 table around one label of a report's table, or around the report's title. The
rule, the same for HTML and DOCX: a table is a layout when the tables inside it hold at
least as many cells as it does itself (cells of tables nested further counted again, which
leans towards layout), or when it is one cell holding no table: a frame, whose text is the
body's, never a table of the report.
"""

from __future__ import annotations

from itertools import islice

from lxml import etree


def lays_out_tables(table: etree._Element, table_tag: str, cell_tags: tuple[str, ...]) -> bool:
    """Whether ``table`` (its tables named ``table_tag``, their cells ``cell_tags``) is a layout around what it holds."""
    nested = list(table.iterdescendants(table_tag))
    if not nested:
        return next(islice(table.iter(*cell_tags), 1, None), None) is None  # one cell (or none): a frame
    inside = sum(1 for inner in nested for _ in inner.iter(*cell_tags))
    return inside >= sum(1 for _ in table.iter(*cell_tags)) - inside
