"""Which standard table a printed table is, read from its content, not its position."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.document import Table
from parsers.labels import compact

# The section each table belongs to: an unlabelled table inside it (a continuation after a
# page break, table 4 without a header row) is taken as a piece of that table.
_SECTION_TABLE = {2: "active_disclosure", 3: "applications", 4: "appeals"}


@dataclass
class StandardTables:
    """The pieces of each standard table, in printed order (a table may be split)."""

    active_disclosure: list[Table] = field(default_factory=list)
    applications: list[Table] = field(default_factory=list)
    appeals: list[Table] = field(default_factory=list)


def table_kind(table: Table) -> str | None:
    text = compact("".join([cell.text for row in table.rows for cell in row if cell.span_of is None]))
    if "第二十条" in text:
        return "active_disclosure"
    if "勾稽" in text or "本年新收" in text or ("予以公开" in text and "不予公开" in text):
        return "applications"
    if "行政复议" in text or "行政诉讼" in text or ("结果维持" in text and "尚未审结" in text):
        return "appeals"
    return None


def classify_tables(tables: list[tuple[int, Table]]) -> StandardTables:
    found = StandardTables()
    for section, table in tables:
        kind = table_kind(table) or _SECTION_TABLE.get(section)
        if kind is not None:
            getattr(found, kind).append(table)
    return found
