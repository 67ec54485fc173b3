"""Where a table cell came from in the document the parser read.

The parser does not record per-cell source locations yet, so the row is found again in the
stored bytes: for HTML, DOCX and the other formats with tables, the grid row whose label is
the cell's printed row label (re-extracted with ``parsers.extract``); for PDF, the row
label and the printed value searched in pdfium's text of each page, which also gives the
boxes to outline on the rendered page.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from parsers.document import Table
from parsers.errors import ParseError
from parsers.extract import extract

# Row numbering printed before a label ("一、", "（三）", "1．") differs between documents
# and PDF text may break it from the words; the words are what is searched.
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、．.，,])+")
_NEEDLE_CHARS = 6  # label characters searched in PDF text: short enough to stay on one printed line
_RENDER_SCALE = 2.0
Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass
class CellRef:
    """The cell to look for: its printed row label (None for table 4's single row) and value."""

    table: str
    row_label: str | None
    raw: str
    index: int  # position of the cell among its row's cells, left to right
    row_size: int  # how many cells the parse has in that row


@dataclass
class SourceRow:
    table_no: int  # 1-based position of the table in the document
    header: list[list[str]]
    cells: list[str]
    highlight: int | None  # index into cells of the cell itself, when it can be told


@dataclass
class PdfHit:
    page_no: int  # 1-based
    page_size: tuple[float, float]
    row_box: Box
    cell_box: Box | None


@dataclass
class Located:
    rows: list[SourceRow] = field(default_factory=list)
    pdf: PdfHit | None = None


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _words(label: str) -> str:
    """The label's words as printed (widths kept: pdfium searches the exact characters)."""
    return _NUMBERING.sub("", "".join(label.split()))


def locate(data: bytes, source_format: str, ref: CellRef, *, filename: str | None = None) -> Located:
    """The cell's source row (and for a PDF its page and boxes); empty when it cannot be found."""
    if source_format == "pdf":
        return Located(pdf=locate_in_pdf(data, ref))
    try:
        document = extract(data, filename=filename)
    except ParseError:
        return Located()
    tables = [block.table for block in document.blocks if block.table is not None]
    return Located(rows=[row for number, table in enumerate(tables, 1) for row in _rows_in_table(table, number, ref)])


def _rows_in_table(table: Table, number: int, ref: CellRef) -> list[SourceRow]:
    found = []
    for index, grid_row in enumerate(table.rows):
        texts = [cell.text for cell in grid_row if not cell.is_copy]
        if not texts:
            continue
        if ref.row_label is not None:
            if _fold(texts[0]) != _fold(ref.row_label) and not any(_fold(t) == _fold(ref.row_label) for t in texts):
                continue
            values = texts[next(i for i, t in enumerate(texts) if _fold(t) == _fold(ref.row_label)) + 1:]
        else:
            # Table 4 prints its numbers in one row without a label: the row holding the value
            # among rows that are all numbers.
            if len(texts) != ref.row_size or any(re.search(r"[\u4e00-\u9fff]", t) for t in texts):
                continue
            values = texts
        offset = len(texts) - len(values)
        highlight = ref.index if len(values) > ref.index and _fold(values[ref.index]) == _fold(ref.raw) else None
        found.append(SourceRow(number, [[c.text for c in r if not c.is_copy] for r in table.rows[: min(2, index)]],
                               texts, None if highlight is None else highlight + offset))
    return found


# -- PDF -----------------------------------------------------------------------------------


@dataclass
class _Run:
    text: str
    box: Box

    @property
    def middle(self) -> float:
        return (self.box[1] + self.box[3]) / 2


def _runs(textpage: pdfium.PdfTextPage) -> list[_Run]:
    """The page's text runs (pdfium's rectangles) with their text."""
    runs = []
    for i in range(textpage.count_rects()):
        box = textpage.get_rect(i)
        text = textpage.get_text_bounded(*box).strip()
        if text:
            runs.append(_Run(text, box))
    return runs


def _union(boxes: list[Box], pad: float = 2.0) -> Box:
    return (min(b[0] for b in boxes) - pad, min(b[1] for b in boxes) - pad,
            max(b[2] for b in boxes) + pad, max(b[3] for b in boxes) + pad)


def _line_right_of(runs: list[_Run], label: Box) -> list[_Run]:
    """The runs on the printed line nearest the label's, right of it, left to right."""
    height = label[3] - label[1]
    middle = (label[1] + label[3]) / 2
    candidates = [r for r in runs if r.box[0] >= label[2] - 1 and abs(r.middle - middle) <= 1.5 * height]
    if not candidates:
        return []
    nearest = min(abs(r.middle - middle) for r in candidates)
    line = [r for r in candidates if abs(abs(r.middle - middle) - nearest) <= height / 2]
    return sorted(line, key=lambda r: r.box[0])


def _pick_cell(line: list[_Run], ref: CellRef) -> _Run | None:
    if ref.index < len(line) and _fold(line[ref.index].text) == _fold(ref.raw):
        return line[ref.index]
    return next((r for r in line if _fold(r.text) == _fold(ref.raw)), None) if _fold(ref.raw) else None


def locate_in_pdf(data: bytes, ref: CellRef) -> PdfHit | None:
    pdf = pdfium.PdfDocument(data)
    try:
        for page_index in range(len(pdf)):
            page = pdf[page_index]
            hit = _hit_on_page(page, ref)
            if hit is not None:
                row_box, cell_box = hit
                return PdfHit(page_index + 1, (page.get_width(), page.get_height()), row_box, cell_box)
        return None
    finally:
        pdf.close()


def _hit_on_page(page: pdfium.PdfPage, ref: CellRef) -> tuple[Box, Box | None] | None:
    textpage = page.get_textpage()
    runs = _runs(textpage)
    if ref.row_label is None:
        return _unlabelled_row(runs, ref)
    needle = _words(ref.row_label)[:_NEEDLE_CHARS]
    if not needle:
        return None
    searcher = textpage.search(needle)
    best: tuple[Box, Box | None] | None = None
    while (match := searcher.get_next()) is not None:
        start, count = match
        label = _union([textpage.get_charbox(i) for i in range(start, start + count)], pad=0)
        line = _line_right_of(runs, label)
        if not line:
            continue
        cell = _pick_cell(line, ref)
        row_box = _union([label, *(r.box for r in line)])
        if cell is not None:
            return row_box, _union([cell.box])
        best = best or (row_box, None)
    return best


def _unlabelled_row(runs: list[_Run], ref: CellRef) -> tuple[Box, Box | None] | None:
    """Table 4's row of fifteen numbers: a printed line of that many runs without words."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: -r.middle):
        if re.search(r"[\u4e00-\u9fff]", run.text):
            continue
        if lines and abs(lines[-1][0].middle - run.middle) < (run.box[3] - run.box[1]) / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    line = next((sorted(line, key=lambda r: r.box[0]) for line in lines if len(line) == ref.row_size), None)
    if line is None:
        return None
    cell = _pick_cell(line, ref)
    return _union([r.box for r in line]), (_union([cell.box]) if cell else None)


def render_pdf_evidence(data: bytes, hit: PdfHit) -> bytes:
    """The page as a PNG with the row outlined in orange and the cell in red."""
    from PIL import ImageDraw

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[hit.page_no - 1]
        image = page.render(scale=_RENDER_SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    draw = ImageDraw.Draw(image)
    height = hit.page_size[1]

    def pixels(box: Box) -> tuple[float, float, float, float]:
        left, bottom, right, top = box
        return (left * _RENDER_SCALE, (height - top) * _RENDER_SCALE,
                right * _RENDER_SCALE, (height - bottom) * _RENDER_SCALE)

    draw.rectangle(pixels(hit.row_box), outline=(230, 120, 0), width=3)
    if hit.cell_box is not None:
        draw.rectangle(pixels(hit.cell_box), outline=(220, 0, 0), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
