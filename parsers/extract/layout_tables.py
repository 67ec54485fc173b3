"""Whether a table that holds tables is a layout around them or a table of its own.

Word frames a report's table in a one-cell table, portals lay pages out in tables; an editor
pastes a 1x1 table around one label of a report's table. The rule, the same for HTML and
DOCX: a table is a layout when the tables inside it hold at least as many cells as it does
itself (cells of tables nested further counted again, which leans towards layout).
"""

from __future__ import annotations

from lxml import etree


def lays_out_tables(table: etree._Element, table_tag: str, cell_tags: tuple[str, ...]) -> bool:
    """Whether ``table`` (its tables named ``table_tag``, their cells ``cell_tags``) is a layout around its tables."""
    nested = list(table.iterdescendants(table_tag))
    if not nested:
        return False
    inside = sum(1 for inner in nested for _ in inner.iter(*cell_tags))
    return inside >= sum(1 for _ in table.iter(*cell_tags)) - inside
