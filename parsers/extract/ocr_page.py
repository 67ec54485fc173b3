"""One page image (a scan, a photographed or pasted table) -> tables and text lines.

The page is straightened, its ruled tables are rebuilt from their rulings
(:mod:`parsers.extract.image_tables`), and every text line, inside a cell or outside the
tables, is cut out and read by the OCR engine in one batch. Red ink (the seal stamped over
a table) is turned to paper first, see :func:`without_red`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from parsers.document import GridCell, OcrText, Table
from parsers.extract.image_tables import Box, TableGrid, find_tables, ink_mask
from parsers.extract.ocr import LineReading, OcrEngine
from parsers.extract.page_orientation import unturned_box, upright_layout
from parsers.locations import CellLocation

_MAX_SKEW = 3.0  # degrees a scan may lean
_SKEW_STEP = 0.1
_MIN_LINE_HEIGHT = 4  # ink runs thinner than this (px) are specks, not text
_LINE_GAP = 2  # rows of paper that still belong to the same text line (px)
_PAD = 4
_MAX_SHORT_SIDE = 2550  # an A4 or Letter page at 300 dpi, held either way
_RED_MARGIN = 40  # how much redder than green and blue a pixel must be to count as seal ink
_SEAL_RED = 120  # seal ink is at least this bright in red; black print under the seal is darker
_REREAD_SCALE = 2
_CJK = re.compile(r"[\u4e00-\u9fff]")
# ASCII look-alikes engines answer for Chinese punctuation, and 丶 (a radical no report
# prints) for the enumeration comma 、 that numbers headings and table labels.
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "丶": "、"})
_LEADING_NUMBER_DOT = re.compile(r"^(\d{1,2})\s*[·•・]")


@dataclass
class TextLine:
    text: OcrText
    x0: int
    x1: int
    top: int
    height: int


@dataclass
class PageTable:
    table: Table
    top: int
    column_edges: list[int]  # x of the vertical rulings, left to right


@dataclass
class _Layout:
    """A page straightened for reading: its paper without rulings, its tables and the text
    line boxes of each of their cells and of the page outside them."""

    paper: np.ndarray
    tables: list[TableGrid]
    cell_lines: list[list[list[Box]]]
    page_lines: list[Box]

    @property
    def boxes(self) -> list[Box]:
        return [box for table in self.cell_lines for cell in table for box in cell] + self.page_lines


def read_page(image: np.ndarray, engine: OcrEngine) -> list[TextLine | PageTable]:
    """Tables and lines of text outside them, top to bottom, read the way up the page is printed
    (:mod:`parsers.extract.page_orientation`); cells are located in the picture as given."""
    scale = 1.0
    if min(image.shape[:2]) > _MAX_SHORT_SIDE:  # finer than 300 dpi only costs time: lines are read at 48 px
        scale = _MAX_SHORT_SIDE / min(image.shape[:2])
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    quarters, layout, sampled = upright_layout(image, _layout, _crops, engine)
    readings = iter(_read(engine, _crops(layout), sampled))

    def located(box: Box) -> CellLocation:
        x0, y0, x1, y1 = unturned_box((box.x0, box.y0, box.x1, box.y1), quarters, image.shape)
        return CellLocation(box=(x0 / scale, y0 / scale, x1 / scale, y1 / scale), unit="px")

    items: list[TextLine | PageTable] = []
    for table, lines in zip(layout.tables, layout.cell_lines):
        texts = [_joined([next(readings) for _ in cell], engine) for cell in lines]
        items.append(PageTable(_table(table, texts, located), table.box.y0, table.column_edges))
    for box in layout.page_lines:
        reading = next(readings)
        if reading.text.strip():
            items.append(TextLine(_ocr_text([reading], engine), box.x0, box.x1, box.y0, box.height))
    items.sort(key=lambda item: item.top)
    return items


def _layout(image: np.ndarray) -> _Layout:
    seal = seal_mask(image) if image.ndim == 3 else None
    gray = without_red(image, seal) if seal is not None else image
    angle = skew(gray)
    gray = turned(gray, angle, 255)
    ink = ink_mask(gray)
    tables, rulings = find_tables(ink, turned(seal, angle, 0) if seal is not None else None)
    text_ink = cv2.bitwise_and(ink, cv2.bitwise_not(rulings))
    paper = gray.copy()
    paper[rulings > 0] = 255

    cell_lines = [[_line_boxes(text_ink, cell.box) for cell in table.cells] for table in tables]
    outside = text_ink.copy()
    for table in tables:
        outside[table.box.y0 : table.box.y1 + 1, table.box.x0 : table.box.x1 + 1] = 0
    page_lines = _line_boxes(outside, Box(0, 0, outside.shape[1], outside.shape[0]))
    return _Layout(paper, tables, cell_lines, page_lines)


def _crops(layout: _Layout) -> list[np.ndarray]:
    return [_crop(layout.paper, box) for box in layout.boxes]


def seal_mask(bgr: np.ndarray) -> np.ndarray:
    """255 where the page has red (seal) ink.

    The red channel shows the seal as nearly as light as the paper and black print, under
    the seal too, as dark. JPEG leaves the seal's edges half-dark there, but still clearly
    redder than they are green or blue, so those count as seal too; black print under the
    seal picks up some red from JPEG too, but stays too dark to be taken for seal ink.
    """
    blue, green, red = (bgr[:, :, i].astype(np.int16) for i in range(3))
    return (((red > _SEAL_RED) & (red - np.maximum(green, blue) > _RED_MARGIN)) * 255).astype(np.uint8)


def _read(engine: OcrEngine, crops: list[np.ndarray], known: dict[int, LineReading]) -> list[LineReading]:
    """Each crop read (those in ``known`` were, when the page's way up was judged); a reading
    under the engine's threshold is read again from a cleaner crop (twice the size, ink and
    paper split by Otsu), and the surer of the two is kept.

    At 150 dpi a lone "0" is a dozen pixels of blurred JPEG, which the engine reads right but
    unsure; the enlarged black-and-white crop is what it reads with confidence.
    """
    unread = [i for i in range(len(crops)) if i not in known]
    fresh = dict(zip(unread, engine.read_lines([crops[i] for i in unread])))
    readings = [known[i] if i in known else fresh[i] for i in range(len(crops))]
    unsure = [i for i, reading in enumerate(readings) if reading.confidence < engine.threshold]
    if not unsure:
        return readings
    again = engine.read_lines([_cleaner(crops[i]) for i in unsure])
    for i, reading in zip(unsure, again):
        if reading.confidence > readings[i].confidence and reading.text.strip():
            readings[i] = reading
    return readings


def _cleaner(crop: np.ndarray) -> np.ndarray:
    large = cv2.resize(crop, None, fx=_REREAD_SCALE, fy=_REREAD_SCALE, interpolation=cv2.INTER_CUBIC)
    _, binary = cv2.threshold(large, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return cv2.copyMakeBorder(binary, _PAD, _PAD, _PAD, _PAD, cv2.BORDER_CONSTANT, value=255)


def without_red(bgr: np.ndarray, seal: np.ndarray | None = None) -> np.ndarray:
    """The page in gray (its red channel) with the seal's ink turned to paper."""
    gray = np.ascontiguousarray(bgr[:, :, 2])
    gray[(seal if seal is not None else seal_mask(bgr)) > 0] = 255
    return gray


def turned(image: np.ndarray, angle: float, background: int) -> np.ndarray:
    """``image`` rotated by ``angle`` degrees about its centre (as ``skew`` measured it)."""
    if abs(angle) < _SKEW_STEP / 2:
        return image
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_CUBIC if background else cv2.INTER_NEAREST,
                          borderValue=background)


def skew(gray: np.ndarray) -> float:
    """The angle that levels the page's lines: where the ink's row profile is sharpest."""
    small_scale = 800 / max(gray.shape)
    small = cv2.resize(255 - gray, None, fx=small_scale, fy=small_scale, interpolation=cv2.INTER_AREA)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(small, cv2.getRotationMatrix2D(centre, angle, 1.0), small.shape[::-1])
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    angles = np.arange(-_MAX_SKEW, _MAX_SKEW + _SKEW_STEP / 2, _SKEW_STEP)
    return float(max(angles, key=sharpness))


def _line_boxes(ink: np.ndarray, box: Box) -> list[Box]:
    """The text lines inside ``box``: runs of rows holding ink, each trimmed to its ink."""
    region = ink[box.y0 : box.y1, box.x0 : box.x1]
    if region.size == 0:
        return []
    rows = np.flatnonzero(region.any(axis=1))
    lines = []
    start = previous = None
    for y in [*rows, None]:
        if y is not None and previous is not None and y - previous <= _LINE_GAP + 1:
            previous = y
            continue
        if start is not None and previous - start + 1 >= _MIN_LINE_HEIGHT:
            columns = np.flatnonzero(region[start : previous + 1].any(axis=0))
            lines.append(Box(box.x0 + int(columns[0]), box.y0 + start, box.x0 + int(columns[-1]) + 1, box.y0 + previous + 1))
        start = previous = y
    return lines


def _crop(paper: np.ndarray, box: Box) -> np.ndarray:
    height, width = paper.shape
    return paper[max(0, box.y0 - _PAD) : min(height, box.y1 + _PAD), max(0, box.x0 - _PAD) : min(width, box.x1 + _PAD)]


def _joined(lines: list[LineReading], engine: OcrEngine) -> OcrText | str:
    """A cell's lines as one text; a cell without ink is printed blank, not read."""
    return _ocr_text(lines, engine) if lines else ""


def _ocr_text(lines: list[LineReading], engine: OcrEngine) -> OcrText:
    text = "\n".join(_tidy(line.text) for line in lines)
    # Ink the engine made nothing of is a reading it is not sure of, not a blank cell.
    confidence = min(line.confidence for line in lines) if text.strip() else 0.0
    return OcrText(text, round(confidence, 3), confidence < engine.threshold)


def _tidy(text: str) -> str:
    """Chinese print sets its punctuation full-width; engines answer with look-alikes."""
    text = text.strip()
    if _CJK.search(text):
        text = _LEADING_NUMBER_DOT.sub(r"\1．", text.translate(_FULL_WIDTH))
    return text


def _table(grid: TableGrid, texts: list[OcrText | str], located: Callable[[Box], CellLocation]) -> Table:
    """The grid with each cell's text, located where ``located`` puts its box (in the picture's own pixels)."""
    rows: list[list[GridCell]] = [[GridCell("") for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    for cell, text in zip(grid.cells, texts):
        location = located(cell.box)
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                rows[r][c] = GridCell(text, None if (r, c) == (cell.row, cell.col) else (cell.row, cell.col), location)
    return Table(rows)
