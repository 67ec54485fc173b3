"""Ruled tables in a page image: the grid rebuilt from its ruling lines.

A scan or a table pasted as a picture has no cell structure, only ink. Long horizontal and
vertical strokes are the rulings (found with a morphological opening, which keeps runs of
ink longer than a kernel and drops characters); their positions give the row and column
boundaries, and a boundary missing between two neighbouring slots means a merged cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_MIN_TABLE_FRACTION = 0.15  # a ruled region narrower than this share of the page is not a table
_LINE_GAP_FRACTION = 0.004  # rulings closer than this share of the page width are one line
_PRESENT = 0.6  # share of a boundary segment that must be inked for the boundary to exist
_DARK = 170  # gray level: nothing lighter is print (ink_mask)
_SEAL_REACH = 9  # px across a ruling around the seal's ink where it may have been wiped out
_CUT_ROW = 2  # rulings' gaps: column rulings running this far past the last row ruling hold a row a page break cut
_READABLE = 0.3  # share of a boundary segment that must lie outside the seal to be judged


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1


@dataclass(frozen=True)
class CellBox:
    """A printed cell: its top-left slot, how many slots it covers, and its inside in pixels."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box


@dataclass
class TableGrid:
    box: Box
    n_rows: int
    n_cols: int
    cells: list[CellBox]
    column_edges: list[int]  # x of every vertical ruling on the page, left to right


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """255 where there is dark ink: darker than its surroundings (which copes with uneven scan
    lighting) and on the print's side of the page's print/paper split (Otsu), which leaves out
    the half-tones a seal's edges and JPEG leave behind."""
    local = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    split, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return cv2.bitwise_and(local, (gray < min(split, _DARK)).astype(np.uint8) * 255)


def ruling_masks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) rulings: ink runs far longer than any character."""
    across, down = _ruling_runs(ink.shape)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (across, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, down)))
    # Close the small breaks blur and JPEG leave in a ruling, and join rulings to their crossings.
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
    return horizontal, vertical


def _ruling_runs(shape: tuple[int, ...]) -> tuple[int, int]:
    """The shortest horizontal and vertical ink runs taken for rulings, in px.

    Measured on the paper's short and long sides, whichever way the page is held: a sixtieth
    of a landscape page's height is shorter than a character's strokes at 150 dpi, which were
    taken for rulings and cut table 3 into dozens of columns.
    """
    short, long = sorted(shape[:2])
    return max(20, short // 25), max(20, long // 60)


def _unknown_under(seal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where a horizontal (vertical) ruling may be missing because of the seal: its ink, and
    as far along the ruling as the opening in ``ruling_masks`` trims the stubs it left."""
    across, down = _ruling_runs(seal.shape)
    return (cv2.dilate(seal, cv2.getStructuringElement(cv2.MORPH_RECT, (across, _SEAL_REACH))) > 0,
            cv2.dilate(seal, cv2.getStructuringElement(cv2.MORPH_RECT, (_SEAL_REACH, down))) > 0)


def find_tables(ink: np.ndarray, seal: np.ndarray | None = None) -> tuple[list[TableGrid], np.ndarray]:
    """Every ruled table on the page, top to bottom, and the mask of their rulings.

    ``seal``: where a seal's red ink was (turned to paper before): a ruling crossed by the
    seal's ring has a gap there, which must not read as a merged cell.

    The mask holds the rulings inside the tables only. Ink runs long enough to be taken for
    rulings are found in text too: the vertical strokes of a title's characters at 300 dpi
    (中, 年, 报), a dash; erased as rulings, they left the title and the headings unreadable.
    """
    horizontal, vertical = ruling_masks(ink)
    rulings = cv2.bitwise_or(horizontal, vertical)
    count, _, stats, _ = cv2.connectedComponentsWithStats(rulings, connectivity=8)
    tables = []
    width = ink.shape[1]
    unknown = _unknown_under(seal) if seal is not None and seal.any() else None
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        if w < width * _MIN_TABLE_FRACTION or h < 10:
            continue
        box = Box(int(x), int(y), int(x + w), int(y + h))
        grid = _grid(box, horizontal, vertical, gap=max(3, int(width * _LINE_GAP_FRACTION)), unknown=unknown)
        if grid is not None:
            tables.append(grid)
    tables.sort(key=lambda t: t.box.y0)
    in_tables = np.zeros_like(rulings)
    for table in tables:
        box = table.box
        in_tables[box.y0 : box.y1, box.x0 : box.x1] = rulings[box.y0 : box.y1, box.x0 : box.x1]
    return tables, in_tables


def _line_positions(profile: np.ndarray, threshold: float, gap: int) -> list[int]:
    """Centres of the runs of ``profile`` above ``threshold`` (one per ruling)."""
    positions: list[int] = []
    start = None
    for index, value in enumerate([*profile, 0]):
        if value >= threshold and start is None:
            start = index
        elif value < threshold and start is not None:
            centre = (start + index - 1) // 2
            if positions and centre - positions[-1] <= gap:
                positions[-1] = (positions[-1] + centre) // 2
            else:
                positions.append(centre)
            start = None
    return positions


def _present(inked: np.ndarray, unknown: np.ndarray) -> bool:
    """A boundary segment is drawn when ink covers enough of it where the seal left it readable;
    one nearly all under the seal, when what ink is left and the seal cover it together."""
    if not inked.size:
        return False
    readable = ~unknown
    if readable.mean() < _READABLE:
        return bool(inked.any()) and (inked | unknown).mean() >= _PRESENT
    return inked[readable].mean() >= _PRESENT


def _grid(box: Box, horizontal: np.ndarray, vertical: np.ndarray, gap: int,
          unknown: tuple[np.ndarray, np.ndarray] | None = None) -> TableGrid | None:
    h_part = horizontal[box.y0 : box.y1, box.x0 : box.x1] > 0
    v_part = vertical[box.y0 : box.y1, box.x0 : box.x1] > 0
    # Where the seal may have wiped a ruling out, its pixels are neither ruling nor paper.
    h_unknown, v_unknown = ((u[box.y0 : box.y1, box.x0 : box.x1] for u in unknown) if unknown is not None
                            else (np.zeros_like(h_part), np.zeros_like(v_part)))
    # A ruling is any row (column) inked over a fair share of the table: a partial line
    # under a merged label is still a boundary for the slots it runs along.
    ys = _line_positions(h_part.sum(axis=1), box.width * 0.08, gap)
    xs = _line_positions(v_part.sum(axis=0), box.height * 0.02, gap)
    if not ys or len(xs) < 2:
        return None
    # A row a page break cut is printed without its ruling at the cut (a browser's print): the
    # column rulings run on past the table's first or last horizontal ruling to the page's
    # edge of print, and the row between is closed there.
    if ys[0] > _CUT_ROW * gap:
        ys.insert(0, 0)
    if box.height - 1 - ys[-1] > _CUT_ROW * gap:
        ys.append(box.height - 1)
    if len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    band = max(2, gap)

    def has_vertical(col_line: int, row: int) -> bool:
        x = xs[col_line]
        rows, columns = slice(ys[row] + band, ys[row + 1] - band), slice(max(0, x - band), x + band + 1)
        return _present(v_part[rows, columns].any(axis=1), v_unknown[rows, columns].any(axis=1))

    def has_horizontal(row_line: int, col: int) -> bool:
        y = ys[row_line]
        rows, columns = slice(max(0, y - band), y + band + 1), slice(xs[col] + band, xs[col + 1] - band)
        return _present(h_part[rows, columns].any(axis=0), h_unknown[rows, columns].any(axis=0))

    owner = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    for r in range(n_rows):
        for c in range(n_cols):
            if c > 0 and not has_vertical(c, r):
                owner[r][c] = owner[r][c - 1]
            elif r > 0 and not has_horizontal(r, c):
                owner[r][c] = owner[r - 1][c]
    cells = []
    for r in range(n_rows):
        for c in range(n_cols):
            if owner[r][c] != (r, c):
                continue
            last_c = c
            while last_c + 1 < n_cols and owner[r][last_c + 1] == (r, c):
                last_c += 1
            last_r = r
            while last_r + 1 < n_rows and owner[last_r + 1][c] == (r, c):
                last_r += 1
            inner = Box(box.x0 + xs[c] + band, box.y0 + ys[r] + band, box.x0 + xs[last_c + 1] - band, box.y0 + ys[last_r + 1] - band)
            cells.append(CellBox(r, c, last_r - r + 1, last_c - c + 1, inner))
    return TableGrid(box, n_rows, n_cols, cells, [box.x0 + x for x in xs])
