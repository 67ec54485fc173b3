"""Reading rows out of a table grid the same way for every table parser."""

from __future__ import annotations

from parsers.cells import cell_state
from parsers.document import GridCell, PlacedText
from parsers.locations import CellLocation


def printed_cells(row: list[GridCell]) -> list[str]:
    """The row's printed cells: slots that merely repeat a merged cell are left out."""
    return [cell.text for cell in row if cell.span_of is None]


def is_value(text: str) -> bool:
    """True for a printed value (a number, a blank or a dash), False for a label."""
    return cell_state(text) != "text"


def split_label_values(texts: list[str], width: int) -> tuple[list[str], list[str]]:
    """(label cells, value cells) of a row whose last ``width`` cells are values.

    A row at least ``width + 1`` cells wide has its values in the trailing ``width``
    slots (values may be blank); a shorter (ragged) row has its labels up to its last
    label-like cell and values after it.
    """
    if len(texts) > width:
        return texts[:-width], texts[-width:]
    last_label = max((i for i, text in enumerate(texts) if not is_value(text)), default=-1)
    return texts[: last_label + 1], texts[last_label + 1 :]


def distinct_labels(cells: list[str]) -> list[str]:
    """Non-empty label texts in order, a text repeated by a merge counted once."""
    labels: list[str] = []
    for text in cells:
        stripped = text.strip()
        if stripped and (not labels or labels[-1] != stripped):
            labels.append(stripped)
    return labels


def joined_values(values: list[str], other_half: list[str]) -> list[str]:
    """The values of a row printed as two, told where the row's other half is (``other_half``: its texts).

    A page break or a wrapped label prints one row as two, the label (or its end) in one and
    the values in the other; the values' locations then name both.
    """
    other = _row_location(other_half)
    return [value.placed(value.location.joined_with(other))
            if isinstance(value, PlacedText) and value.location is not None else value for value in values]


def _row_location(texts: list[str]) -> CellLocation | None:
    return next((text.location for text in texts if isinstance(text, PlacedText) and text.location is not None), None)
