"""Where a table's value columns are, read from its own header rows.

Word-exported HTML and PDFs draw header and data rows on different grids: the row label
may span three grid columns in one row and two in the next, and a value cell may span two.
Counting "the last N grid slots" then takes a label for a value or a value twice. The
header names each value column once, so its grid position is what the columns are.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.document import GridCell
from parsers.labels import label_key
from parsers.tables.grid import is_value


@dataclass(frozen=True)
class ColumnLayout:
    """Grid column where each value column starts, in the order of the names that gave them."""

    starts: tuple[int, ...]

    @property
    def first(self) -> int:
        return self.starts[0]


def header_layout(rows: list[list[GridCell]], names: tuple[str, ...]) -> ColumnLayout | None:
    """The layout the header rows print: each name's cell (by :func:`label_key`) and its grid column.

    None unless every name is printed once and they run left to right (a ragged text
    export prints each header row from column 0, which is no geometry at all).
    """
    found: dict[str, int] = {}
    for row in rows:
        for column, cell in enumerate(row):
            key = label_key(cell.text)
            if not cell.is_copy and key in names:
                if key in found:
                    return None
                found[key] = column
    if len(found) != len(names):
        return None
    starts = tuple(found[name] for name in names)
    return ColumnLayout(starts) if list(starts) == sorted(set(starts)) else None


def split_by_layout(row: list[GridCell], layout: ColumnLayout) -> tuple[list[str], list[str]]:
    """(label slot texts, one value per column) of a data row, read against the header's layout.

    The row's printed cells from the first value column on are its values when there are
    as many as columns, whatever their spans; failing that, the row's printed order
    (:func:`split_by_printed_order`); failing that, each column takes the cell printed
    where the header put it, and a slot a merged value cell merely covers reads blank, so
    no value is counted twice.
    """
    width = len(layout.starts)
    values = [(column, cell.text) for column, cell in enumerate(row) if cell.span_of is None and column >= layout.first]
    if len(values) == width and all(is_value(text) for _, text in values):
        return [cell.text for cell in row[: values[0][0]]], [text for _, text in values]
    by_order = split_by_printed_order(row, width)
    if by_order is not None:
        return by_order
    placed = [row[start].text if start < len(row) and not row[start].is_copy else "" for start in layout.starts]
    return [cell.text for cell in row[: layout.first]], placed


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
