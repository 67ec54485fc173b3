"""Which way up a page picture is: scans of landscape pages and pages fed the wrong way.

Table 3 is wide, so agencies print it on a landscape page. Scanned, that page comes out as a
portrait picture with the table turned a quarter (either way), as a picture a PDF page's
/Rotate turns for display (the parser reads the picture as stored), or upside down when the
sheet went through the feeder the wrong way. Read as stored, such a page's text lines are
cut across and read as garbage: table 3 was lost, its numbers strewn over the text.

The engine decides, on a sample of the page's longest text lines. A page of running text
reads them surely and long, and is upright: nothing more is done, and the sample's readings
are kept for the page. Otherwise the page is laid out a quarter turned and sampled, that way
and the opposite (the same crops turned over); it is turned when one of them reads as running
text. Confidence alone cannot tell a quarter turn: the engine reads characters set apart
(a label printed downwards in a narrow column, or the wrapped lines of an upright table's
labels seen across) surely at a quarter turn either way, but only as strings of a few
characters. Last, the sample's own crops are read upside down: a page fed the wrong way
reads them as text, an upright table page as garbage. Laying a page out (rulings, line boxes)
is cheap next to reading it: upright pages of running text pay nothing, upright pages of
short table labels one layout and three samples of eight lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np

from parsers.extract.ocr import LineReading, OcrEngine

Layout = TypeVar("Layout")
_SAMPLE_LINES = 8
# A line box narrower than this many characters of its height is no evidence: a "0" or "1"
# reads the same turned.
_MIN_LINE_CHARACTERS = 3
# A sample of upright running text: its lines this many characters long on average (a line
# of a report's paragraph holds 28-38, table 3's labels 8-30; seen a quarter turned, the
# seed scans' upright table pages average 6-8 a line) and read at this mean confidence (the
# seed scans' upright pages sample at 0.88 and more, their upside-down ones at 0.47 and less).
_RUNNING_TEXT_CHARACTERS = 10
_RUNNING_TEXT_SURENESS = 0.8
# A page fed upside down: its sample turned over reads at least this much surer than as
# stored (0.4 and more on the seed scans turned over), and as lines of this many characters
# on average. Not as single labels: on a page turned a quarter, the labels printed downwards
# (科研机构) read surer turned over too, but they are a few characters each.
_UPSIDE_DOWN_MARGIN = 0.3
_UPSIDE_DOWN_CHARACTERS = 6


def upright_layout(
    image: np.ndarray, layout_of: Callable[[np.ndarray], Layout], crops_of: Callable[[Layout], list[np.ndarray]],
    engine: OcrEngine,
) -> tuple[int, Layout, dict[int, LineReading]]:
    """(quarter turns counter-clockwise that put ``image`` upright, its layout so turned, the
    readings of the layout's sampled crops by their index in ``crops_of(layout)``: the page
    reader need not read them again).

    ``layout_of`` lays a picture out for reading; ``crops_of`` gives a layout's text-line crops.
    """
    layout = layout_of(image)
    crops = crops_of(layout)
    sample = _longest_lines(crops)
    readings = _read(crops, sample, engine)
    if _running_text(readings):
        return 0, layout, readings
    sideways = layout_of(np.ascontiguousarray(np.rot90(image)))
    sideways_crops = crops_of(sideways)
    sideways_sample = _longest_lines(sideways_crops)
    one_way = _read(sideways_crops, sideways_sample, engine)
    other_way = _read(_upside_down(sideways_crops), sideways_sample, engine)
    running = {quarters: _evidence(read) for quarters, read in ((1, one_way), (3, other_way)) if _running_text(read)}
    if running and max(running, key=lambda turn: running[turn]) == 1:
        return 1, sideways, one_way
    if running:
        return 3, layout_of(np.ascontiguousarray(np.rot90(image, 3))), {}
    # A line's crop turned upside down is that line's crop on the page turned upside down:
    # the half turn is judged on the same lines, without a layout of its own.
    if _surer_upside_down(readings, _read(_upside_down(crops), sample, engine)):
        return 2, layout_of(np.ascontiguousarray(np.rot90(image, 2))), {}
    return 0, layout, readings  # a page of short labels only, or unreadable every way: as stored


def _surer_upside_down(upright: dict[int, LineReading], upside_down: dict[int, LineReading]) -> bool:
    """Whether the same lines read as text upside down, and far less surely as stored."""
    if not upright:
        return False
    return (_reads_as_text(upside_down, _UPSIDE_DOWN_CHARACTERS)
            and _sureness(upside_down) - _sureness(upright) >= _UPSIDE_DOWN_MARGIN)


def _sureness(readings: dict[int, LineReading]) -> float:
    return sum(reading.confidence for reading in readings.values()) / len(readings)


def _upside_down(crops: list[np.ndarray]) -> list[np.ndarray]:
    return [np.rot90(crop, 2) for crop in crops]


def _read(crops: list[np.ndarray], sample: list[int], engine: OcrEngine) -> dict[int, LineReading]:
    """The readings of the sampled crops, by crop index."""
    return dict(zip(sample, engine.read_lines([crops[i] for i in sample]))) if sample else {}


def _running_text(readings: dict[int, LineReading]) -> bool:
    """Whether a sample read so is upright running text (see _RUNNING_TEXT_CHARACTERS)."""
    return len(readings) >= _SAMPLE_LINES and _reads_as_text(readings, _RUNNING_TEXT_CHARACTERS)


def _reads_as_text(readings: dict[int, LineReading], characters: int) -> bool:
    """Whether the lines read surely, ``characters`` long on average."""
    length = sum(len("".join(reading.text.split())) for reading in readings.values()) / len(readings)
    return _sureness(readings) >= _RUNNING_TEXT_SURENESS and length >= characters


def _evidence(readings: dict[int, LineReading]) -> float:
    """Characters read, each counted by the engine's confidence: an upright page's long lines
    outweigh the few labels a turned one reads."""
    return sum(reading.confidence * len("".join(reading.text.split())) for reading in readings.values())


def _longest_lines(crops: list[np.ndarray]) -> list[int]:
    """Indexes of up to _SAMPLE_LINES crops, longest first, that hold a few characters at least
    (as wide as ``_MIN_LINE_CHARACTERS`` square characters of its height)."""
    wide = [i for i, crop in enumerate(crops) if crop.shape[1] >= _MIN_LINE_CHARACTERS * crop.shape[0]]
    return sorted(wide, key=lambda i: -crops[i].shape[1])[:_SAMPLE_LINES]


def unturned_box(box: tuple[int, int, int, int], quarters: int, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """``box`` (x0, y0, x1, y1) in the picture turned ``quarters`` counter-clockwise, as a
    box in the picture as stored (``shape``: its height, width)."""
    height, width = shape[:2]
    corners = [(box[0], box[1]), (box[2], box[3])]
    for turn in range(quarters, 0, -1):
        # The picture before this quarter turn: stored shape, or turned (width and height swapped).
        before_width = width if (turn - 1) % 2 == 0 else height
        corners = [(before_width - y, x) for x, y in corners]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)
