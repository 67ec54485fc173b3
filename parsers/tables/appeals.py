"""Table 4 (行政复议、行政诉讼): fifteen values in three blocks of five.

Each value is placed by the words printed above it (block names over outcome names, in two
or three header rows) and beside it (a row label, in tables printed one row per block or
per outcome). Agencies reorder the outcomes (总计 first), drop 尚未审结, add 合计 columns,
put 诉讼 before 复议 or print the blocks on rows of their own, so a position says nothing.
A value its words do not place is left out rather than guessed; only a table without any
outcome words (a bare row of fifteen, or small tables of five) is read in the standard order.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

from parsers.cells import cell_state, parse_cell
from parsers.document import GridCell, Table
from parsers.labels import compact
from parsers.report import APPEAL_BLOCKS, APPEAL_OUTCOMES, Cell
from parsers.tables.grid import is_value, printed_cells

_BLOCK_SIZE = len(APPEAL_OUTCOMES)
_FULL_ROW = _BLOCK_SIZE * len(APPEAL_BLOCKS)
_STANDARD_PLACES = tuple((block, outcome) for block in APPEAL_BLOCKS for outcome in APPEAL_OUTCOMES)
_LITIGATION = frozenset(("litigation_direct", "litigation_after_review"))
_OUTCOME_WORDS = (
    ("pending", ("未审结",)),
    ("upheld", ("维持",)),
    ("corrected", ("纠正",)),
    ("other", ("其他",)),
    ("total", ("总计", "合计", "小计")),
)

_Rows = list[list[GridCell]]


@dataclass(frozen=True)
class _Words:
    """What the labels around a value leave possible; None where no label said anything."""

    blocks: frozenset[str] | None = None
    outcomes: frozenset[str] | None = None

    def narrowed(self, text: str) -> _Words:
        return _Words(_narrow(self.blocks, _blocks_named(text)), _narrow(self.outcomes, _outcomes_named(text)))

    def narrowed_by(self, other: _Words) -> _Words:
        return _Words(_narrow(self.blocks, other.blocks), _narrow(self.outcomes, other.outcomes))


@dataclass(frozen=True)
class _Value:
    text: str
    words: _Words


def parse_appeals(pieces: list[Table]) -> dict[str, Cell]:
    placed: list[tuple[str, str, str]] = []  # (block, outcome or "", printed text); "": no outcome named
    unnamed: list[tuple[str | None, list[str]]] = []  # rows no outcome word places: (block named, values)
    blockless: list[list[_Value]] = []  # runs of outcomes no block word places
    header: _Rows = []
    for piece in pieces:
        piece_block = _single(_blocks_named(" ".join(cell.text for row in piece.rows for cell in row)))
        groups, header = _value_rows(piece.rows, header)  # a piece without header continues the last one's
        for group_header, row in groups:
            values = _read_row(group_header, row)
            if _in_standard_order_row(values, group_header):
                unnamed.append(_unnamed_row(row, piece_block if len(groups) == 1 else None))
            elif all(value.words.blocks is None for value in values):
                blockless += _outcome_runs(values)
            else:
                placed += _placed(values)
    return _cells(_with_outcomes(placed) + _blocks_in_order(blockless) + _in_standard_order(unnamed))


def _value_rows(rows: _Rows, carried: _Rows) -> tuple[list[tuple[_Rows, list[GridCell]]], _Rows]:
    """(header rows above it, row) of every row of values, and the header the last ones were under.

    Header rows printed after values start a new header (a table printing 复议 and its values,
    then 诉讼 and its values). A table whose values are all blank has its last blank row read.
    """
    kinds = [_row_kind(row) for row in rows]
    if "values" not in kinds and "blank" in kinds:
        kinds[len(kinds) - 1 - kinds[::-1].index("blank")] = "values"
    groups: list[tuple[_Rows, list[GridCell]]] = []
    header, fresh = carried, True
    for row, kind in zip(rows, kinds):
        if kind == "header":
            header = [row] if fresh else [*header, row]
            fresh = False
        elif kind == "values":
            groups.append((header, row))
            fresh = True
    return groups, header


def _row_kind(row: list[GridCell]) -> str:
    states = {cell_state(text) for text in printed_cells(row)}
    if states & {"number", "dash"}:
        return "values"
    return "header" if "text" in states else "blank"


def _read_row(header: _Rows, row: list[GridCell]) -> list[_Value]:
    """The row's values with the words that place them: its header's and its row label's."""
    if _has_geometry(header, row):
        return _read_on_grid(header, row)
    return _read_ragged(header, row)


def _has_geometry(header: _Rows, row: list[GridCell]) -> bool:
    """True when header slots stand above the values they name: every row as wide as the grid.

    A text export prints each row from its first cell, a merged header cell once: its slots
    line up with nothing below.
    """
    return len({len(r) for r in [*header, row]}) == 1


def _read_on_grid(header: _Rows, row: list[GridCell]) -> list[_Value]:
    label = _label_words(tuple(cell.text for cell in row))
    values = []
    for column, cell in enumerate(row):
        if cell.span_of is None and is_value(cell.text):
            above = _label_words(tuple(header_row[column].text for header_row in header if column < len(header_row)))
            values.append(_Value(cell.text, above.narrowed_by(label)))
    return values


def _read_ragged(header: _Rows, row: list[GridCell]) -> list[_Value]:
    """Values of a row printed without spans (its trailing value cells), under a header printed the same way."""
    labels, values = _label_and_values(printed_cells(row))
    columns = _ragged_columns([printed_cells(r) for r in header], len(values))
    label = _label_words(tuple(labels))
    return [_Value(text, column.narrowed_by(label)) for text, column in zip(values, columns)]


def _ragged_columns(header: list[list[str]], width: int) -> list[_Words]:
    """The words over each of ``width`` values, the header's merged cells worked out from its words.

    A text export prints a merged cell once, in its first row, and each row's cells from the
    left. A block name stands over the cells below it that are its own: a run of distinct
    outcomes per block (行政诉讼: one run per litigation block), or the block names inside it
    (行政诉讼 over 未经复议直接起诉 and 复议后起诉); an outcome merged down is a column of its
    own. Some exports print a merged outcome again in each row: read again that way when the
    first reading leaves cells over. Any other shape places nothing.
    """
    level = _row_words(header[0]) if header else []
    for row in header[1:]:
        below = _row_words(row)
        level = _level_below(level, below, repeats=False) or _level_below(level, below, repeats=True) or []
    while len(level) > width and level[0] == _Words():  # a corner cell over the row labels
        level = level[1:]
    return level if len(level) == width else [_Words()] * width


def _row_words(row: list[str]) -> list[_Words]:
    return [_Words().narrowed(text) for text in row if text.strip()]


def _level_below(level: list[_Words], below: list[_Words], *, repeats: bool) -> list[_Words] | None:
    """The columns one header row further down, or None when its cells are not all taken."""
    columns: list[_Words] = []
    rest = below
    for item in level:
        if item.outcomes is not None or item.blocks is None:
            if repeats and rest and item.outcomes is not None and rest[0].outcomes == item.outcomes:
                rest = rest[1:]
            columns.append(item)
            continue
        taken = _under(item.blocks, rest)
        columns += taken or [item]
        rest = rest[len(taken):]
    if rest and level and level[-1].outcomes is None and level[-1].blocks is not None:
        # The rightmost block name stands over the row's last cells whatever they are (诉讼 over its 合计).
        columns += [cell.narrowed_by(level[-1]) for cell in rest]
        rest = []
    return None if rest else columns


def _under(group: frozenset[str], cells: list[_Words]) -> list[_Words]:
    """The cells the name of ``group`` (its blocks) stands over, from the head of ``cells``, each narrowed to its block."""
    if cells and cells[0].outcomes is None:
        return list(itertools.takewhile(lambda c: c.outcomes is None and c.blocks is not None and c.blocks <= group, cells))
    blocks = [block for block in APPEAL_BLOCKS if block in group]
    taken: list[_Words] = []
    run: set[frozenset[str]] = set()
    for cell in cells:
        if cell.outcomes is None:
            break
        if cell.outcomes in run:
            blocks, run = blocks[1:], set()
        if not blocks:
            break
        run.add(cell.outcomes)
        taken.append(cell.narrowed_by(_Words(frozenset(blocks[:1]))))
    return taken


def _in_standard_order_row(values: list[_Value], header: _Rows) -> bool:
    """True for a row read in the standard order: five or more values nothing names an outcome
    of, or fifteen whose words, read for some, agree with every value's standard place (a PDF
    that runs a header's cells together keeps a few of its words, and its values in order)."""
    if not any(_outcomes_named(text) for row in header for text in printed_cells(row)):
        if all(value.words.outcomes is None for value in values):
            return len(values) >= _BLOCK_SIZE
    return (len(values) == _FULL_ROW and any(value.words.outcomes is not None for value in values)
            and all(_allows(value.words, place) for value, place in zip(values, _STANDARD_PLACES)))


def _allows(words: _Words, place: tuple[str, str]) -> bool:
    block, outcome = place
    return (words.blocks is None or block in words.blocks) and (words.outcomes is None or outcome in words.outcomes)


def _unnamed_row(row: list[GridCell], piece_block: str | None) -> tuple[str | None, list[str]]:
    labels, values = _label_and_values(printed_cells(row))
    return _single(_label_words(tuple(labels)).blocks) or piece_block, values


def _label_and_values(texts: list[str]) -> tuple[list[str], list[str]]:
    """(label cells, trailing value cells) of a row's printed cells."""
    split = len(texts)
    while split > 0 and is_value(texts[split - 1]):
        split -= 1
    return texts[:split], texts[split:]


def _placed(values: list[_Value]) -> list[tuple[str, str, str]]:
    """(block, outcome, text) of each value its words name one block of, outcome "" when unnamed."""
    found = []
    for value in values:
        block, outcome = _single(value.words.blocks), _outcome_of(value)
        if block is not None and outcome is not None:
            found.append((block, outcome, value.text))
    return found


def _outcome_of(value: _Value) -> str | None:
    """The one outcome the value's words name, "" when they name none, None when they leave several."""
    return "" if value.words.outcomes is None else _single(value.words.outcomes)


def _outcome_runs(values: list[_Value]) -> list[list[_Value]]:
    """Values cut into runs where an outcome comes again: one run a block."""
    runs: list[list[_Value]] = []
    for value in values:
        if not runs or value.words.outcomes in {v.words.outcomes for v in runs[-1]}:
            runs.append([])
        runs[-1].append(value)
    return runs


def _blocks_in_order(runs: list[list[_Value]]) -> list[tuple[str, str, str]]:
    """Three runs of outcomes printed without block names (captions outside small tables) are the
    blocks in the standard order; any other number of them says nothing of which is which."""
    if len(runs) != len(APPEAL_BLOCKS):
        return []
    return [(block, outcome, value.text) for block, run in zip(APPEAL_BLOCKS, runs)
            for value in run if (outcome := _outcome_of(value)) is not None]


def _with_outcomes(placed: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Placed values with outcomes: a block printed as one value without outcome words is its 总计."""
    by_block: dict[str, list[tuple[str, str, str]]] = {}
    for entry in placed:
        by_block.setdefault(entry[0], []).append(entry)
    result = []
    for block, entries in by_block.items():
        if len(entries) == 1 and not entries[0][1]:
            result.append((block, "total", entries[0][2]))
        else:
            result += [entry for entry in entries if entry[1]]
    return result


def _in_standard_order(rows: list[tuple[str | None, list[str]]]) -> list[tuple[str, str, str]]:
    """Values of rows without outcome words: a row of fifteen is the three blocks in order; a row
    of five is the block its label or table names, else the next block in order."""
    full = next((values for _, values in rows if len(values) >= _FULL_ROW), None)
    if full is not None:
        return [(block, outcome, text) for (block, outcome), text in zip(_STANDARD_PLACES, full[-_FULL_ROW:])]
    found: list[tuple[str, str, str]] = []
    for index, (named, values) in enumerate(rows):
        block = named or (APPEAL_BLOCKS[index] if index < len(APPEAL_BLOCKS) else None)
        if block is not None and all(entry[0] != block for entry in found):
            found += [(block, outcome, text) for outcome, text in zip(APPEAL_OUTCOMES, values[-_BLOCK_SIZE:])]
    return found


def _cells(placed: list[tuple[str, str, str]]) -> dict[str, Cell]:
    """One cell a key, in the standard order. A blank printed twice over gives way to a value;
    two different values for one cell are both left out: which one the table means is unknown."""
    texts: dict[str, list[str]] = {}
    for block, outcome, text in placed:
        texts.setdefault(f"{block}.{outcome}", []).append(text)
    cells = {}
    for key in (f"{block}.{outcome}" for block in APPEAL_BLOCKS for outcome in APPEAL_OUTCOMES):
        printed = [text for text in texts.get(key, []) if text.strip()]
        if key in texts and len({compact(text) for text in printed}) <= 1:
            cells[key] = parse_cell(printed[0] if printed else texts[key][0])
    return cells


# Cached: the same header words stand over each value of every report's table.
@lru_cache(maxsize=4096)
def _label_words(texts: tuple[str, ...]) -> _Words:
    """What labels (a column's header cells top down, or a row's label cells) leave possible.

    Each label narrows on its own (a title naming both 复议 and 诉讼 narrows nothing away);
    labels that name nothing alone are read joined too, for a PDF that splits a narrow merged
    cell's wrapped lines ("总" / "计") into one cell a grid row.
    """
    words = _Words()
    fragments: list[str] = []
    for text in dict.fromkeys(text for text in texts if cell_state(text) == "text"):  # a merged cell's copies once
        named = _Words().narrowed(text)
        if named == _Words():
            fragments.append(text)
        words = words.narrowed_by(named)
    return words.narrowed("".join(fragments))


@lru_cache(maxsize=4096)
def _blocks_named(text: str) -> frozenset[str] | None:
    """The blocks a label can be about; None when it names none."""
    text = compact(text)
    specific = set()
    if "未经复议" in text or "直接起诉" in text:
        specific.add("litigation_direct")
    if "复议后" in text:
        specific.add("litigation_after_review")
    if specific:
        return frozenset(specific)
    named = (frozenset(("review",)) if "复议" in text else frozenset()) | (_LITIGATION if "诉讼" in text else frozenset())
    return named or None


@lru_cache(maxsize=4096)
def _outcomes_named(text: str) -> frozenset[str] | None:
    text = compact(text)
    named = frozenset(outcome for outcome, words in _OUTCOME_WORDS if any(word in text for word in words))
    return named or None


def _narrow(current: frozenset[str] | None, named: frozenset[str] | None) -> frozenset[str] | None:
    if named is None:
        return current
    return named if current is None else current & named


def _single(names: frozenset[str] | None) -> str | None:
    return next(iter(names)) if names is not None and len(names) == 1 else None
