"""Where a table's value columns are, read from its own header rows.

Word-exported HTML and PDFs draw header and data rows on different grids: the row label
may span three grid columns in one row and two in the next, and a value cell may span two.
Counting "the last N grid slots" then takes a label for a value or a value twice. The
header names each value column once, so its grid position is what the columns are, in
whatever order the agency printed them, and a name it does not print is a column left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from parsers.document import GridCell
from parsers.labels import label_key
from parsers.tables.grid import is_value


@dataclass(frozen=True)
class ColumnLayout:
    """Grid column where each value column starts, in the order of the names that gave them;
    None for a name the header does not print (an agency that left a column out)."""

    starts: tuple[int | None, ...]
    own: tuple[int, ...] = ()  # grid columns of value columns no name is printed over (an agency's 小计)

    @cached_property  # asked for each cell of each row
    def printed(self) -> list[tuple[int, int]]:
        """(grid column, name index) of every printed column, left to right as printed."""
        return sorted((start, index) for index, start in enumerate(self.starts) if start is not None)

    @cached_property
    def first(self) -> int:
        return self.printed[0][0]

    def named(self, texts: list[str]) -> list[str | None]:
        """Texts read left to right under the printed columns, put in the names' order."""
        by_name: list[str | None] = [None] * len(self.starts)
        for (_, index), text in zip(self.printed, texts):
            by_name[index] = text
        return by_name


def header_layout(rows: list[list[GridCell]], names: tuple[str, ...],
                  aliases: dict[str, str] | None = None) -> ColumnLayout | None:
    """The layout the header rows print: each name's cell (by :func:`label_key`, or an alias
    of it in ``aliases``) and its grid column.

    Agencies reorder the columns (总计 first, 其他 before 法律服务机构) and leave one or two
    out, so the names may come in any order and some may be missing. None unless most names
    are printed (fewer is a header cut short, whose columns are not all known), each once and
    in a grid column of its own (a ragged text export prints each header row from column 0,
    which is no geometry at all).
    """
    cells = _named_cells(rows, set(names), aliases or {})
    found: dict[str, int] = {}
    for (r, column), name in cells.items():
        if not rows[r][column].is_copy:
            if name in found:
                return None
            found[name] = column
    if 2 * len(found) <= len(names) or len(set(found.values())) != len(found):
        return None
    named = {column for _, column in cells}
    own = {column for row in rows for column, cell in enumerate(row)
           if column > min(found.values()) and column not in named and not cell.is_copy and cell.text.strip()}
    return ColumnLayout(tuple(found.get(name) for name in names), tuple(sorted(own)))


def _named_cells(rows: list[list[GridCell]], names: set[str], aliases: dict[str, str]) -> dict[tuple[int, int], str]:
    """(header row, grid column) -> the name its cell prints, a slot a merged name covers included.

    A name a page break cut in two ("社会公益" above, "组织" at the top of the next page) is
    read from its halves, printed one above the other in the same grid column.
    """
    named: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        below = rows[r + 1] if r + 1 < len(rows) else []
        for column, cell in enumerate(row):
            name = _name(cell.text, aliases)
            rest = below[column] if column < len(below) and not below[column].is_copy else None
            if name not in names and not cell.is_copy and cell.text.strip() and rest is not None and rest.text.strip():
                name = _name(cell.text + rest.text, aliases)
            if name in names:
                named[r, column] = name
    return named


def _name(text: str, aliases: dict[str, str]) -> str:
    key = label_key(text)
    return aliases.get(key, key)


def split_by_layout(row: list[GridCell], layout: ColumnLayout) -> tuple[list[str], list[str | None]]:
    """(label slot texts, one value per name, None for a column not printed) of a data row,
    read against the header's layout.

    The row's printed cells from the first value column on are its values when there are
    as many as printed columns, whatever their spans; failing that, the row's printed order
    (:func:`split_by_printed_order`); failing that, each column takes the cell printed
    where the header put it, and a slot a merged value cell merely covers reads blank, so
    no value is counted twice.
    """
    printed = layout.printed
    values = [(column, cell.text) for column, cell in enumerate(row) if cell.span_of is None and column >= layout.first]
    if len(values) == len(printed) and all(is_value(text) for _, text in values):
        return [cell.text for cell in row[: values[0][0]]], layout.named([text for _, text in values])
    # A column of the agency's own makes a blank value look like the filler cell the printed order skips.
    by_order = None if layout.own else split_by_printed_order(row, len(printed))
    if by_order is not None:
        return by_order[0], layout.named(by_order[1])
    placed = [row[start].text if start < len(row) and not row[start].is_copy else "" for start, _ in printed]
    return [cell.text for cell in row[: layout.first]], layout.named(placed)


def split_by_printed_order(row: list[GridCell], width: int) -> tuple[list[str], list[str]] | None:
    """(label slot texts, values) when the row's printed cells end in ``width`` values; else None.

    Anything printed between the label and those values must be blank (an empty filler
    cell Word puts after a label narrower than the header's). Slots that merely repeat a
    merged cell are not counted, so a value spanning two grid columns is one value.
    """
    printed = [(column, cell.text) for column, cell in enumerate(row) if cell.span_of is None]
    run: list[tuple[int, str]] = []
    for column, text in reversed(printed):
        if not is_value(text):
            break
        run.insert(0, (column, text))
    if len(run) < width or any(text.strip() for _, text in run[:-width]):
        return None
    values = run[-width:]
    return [cell.text for cell in row[: values[0][0]]], [text for _, text in values]
