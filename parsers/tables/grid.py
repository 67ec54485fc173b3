"""Reading rows out of a table grid the same way for every table parser."""

from __future__ import annotations

from parsers.cells import parse_cell
from parsers.document import GridCell


def printed_cells(row: list[GridCell]) -> list[str]:
    """The row's printed cells: slots that merely repeat a merged cell are left out."""
    return [cell.text for cell in row if not cell.is_copy]


def is_value(text: str) -> bool:
    """True for a printed value (a number, a blank or a dash), False for a label."""
    return parse_cell(text).state != "text"


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
