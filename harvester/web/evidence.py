"""Where a table cell came from in the document the parser read.

The parser records each cell's location (``parsers.locations.CellLocation``): for a PDF the
page and the cell's box, outlined on the page as pdfium draws it; for a cell OCR read, the
page and its box in the picture, outlined on the picture; for a text file the lines it is
printed on; for the formats with tables (HTML, DOCX, spreadsheets, RTF, …) the table, row
and column, whose row is shown from the document re-extracted with ``parsers.extract``.
What is at the recorded place is checked against the printed value first, so a location
that does not hold the value points nowhere rather than somewhere wrong.

Parses made before locations were recorded have none; for them the row is found again in
the stored bytes: the grid row whose label is the cell's printed row label, or for a PDF
the row label and the printed value searched in pdfium's text of each page, which also
gives the boxes to outline.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
from PIL import Image

from parsers.document import GridCell, Table
from parsers.errors import ParseError
from parsers.extract import extract
from parsers.extract.ocr_scan import pdf_page_as_read
from parsers.locations import CellLocation

# Row numbering printed before a label ("一、", "（三）", "1．") differs between documents
# and PDF text may break it from the words; the words are what is searched.
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、．.，,])+")
_NEEDLE_CHARS = 6  # label characters searched in PDF text: short enough to stay on one printed line
_RENDER_SCALE = 2.0
_LABEL_LINES_UP = 40  # how far above a row's first value its label is looked for in a text file
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the text extractors split a file into numbered lines
Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass
class CellRef:
    """The cell to look for: its printed row label (None for table 4's single row) and value."""

    table: str
    row_label: str | None
    raw: str
    index: int  # position of the cell among its row's cells, left to right
    row_size: int  # how many cells the parse has in that row
    location: CellLocation | None = None  # where the parser recorded the cell; None for older parses
    row_locations: list[CellLocation] = field(default_factory=list)  # the recorded places of the row's cells


@dataclass
class SourceRow:
    table_no: int  # 1-based position of the table in the document
    header: list[list[str]]
    cells: list[str]
    highlight: int | None  # index into cells of the cell itself, when it can be told
    row_no: int | None = None  # 1-based row of the table, when known


@dataclass
class PdfHit:
    page_no: int  # 1-based
    page_size: tuple[float, float]
    row_box: Box
    cell_box: Box | None


@dataclass
class PictureHit:
    """A cell OCR read: the picture (a scanned PDF's page, an image file) and boxes in its pixels."""

    page_no: int  # 1-based; an image file is page 1
    row_box: tuple[float, float, float, float]  # x0, y0, x1, y1 from the picture's top left
    cell_box: tuple[float, float, float, float]


@dataclass
class SourceLine:
    number: int  # 1-based line of the text file
    text: str
    is_cell: bool  # one of the lines the cell itself is printed on


@dataclass
class Located:
    rows: list[SourceRow] = field(default_factory=list)
    pdf: PdfHit | None = None
    lines: list[SourceLine] = field(default_factory=list)
    picture: PictureHit | None = None
    found_by: str | None = None  # "recorded": at the parser's recorded location; "search": found again

    @property
    def found(self) -> bool:
        return bool(self.rows or self.pdf or self.lines or self.picture)


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _words(label: str) -> str:
    """The label's words as printed (widths kept: pdfium searches the exact characters)."""
    return _NUMBERING.sub("", "".join(label.split()))


def locate(data: bytes, source_format: str, ref: CellRef, *, filename: str | None = None) -> Located:
    """The cell's source row (and for a PDF its page and boxes); empty when it cannot be found.

    At the recorded location when the parse has one that holds the printed value, else searched.
    """
    if ref.location is not None:
        recorded = _at_recorded(data, ref, ref.location, filename)
        if recorded.found:
            recorded.found_by = "recorded"
            return recorded
    located = _searched(data, source_format, ref, filename)
    located.found_by = "search" if located.found else None
    return located


def _searched(data: bytes, source_format: str, ref: CellRef, filename: str | None) -> Located:
    if source_format == "pdf":
        return Located(pdf=locate_in_pdf(data, ref))
    tables = _tables(data, filename)
    return Located(rows=[row for number, table in enumerate(tables, 1) for row in _rows_in_table(table, number, ref)])


def _tables(data: bytes, filename: str | None) -> list[Table]:
    try:
        document = extract(data, filename=filename)
    except ParseError:
        return []
    return [block.table for block in document.blocks if block.table is not None]


# -- at the recorded location --------------------------------------------------------------


def _at_recorded(data: bytes, ref: CellRef, at: CellLocation, filename: str | None) -> Located:
    if at.page is not None and at.box is not None and at.unit == "pt":
        return Located(pdf=_pdf_hit_at(data, ref, at))
    if at.page is not None and at.box is not None and at.unit == "px" and _picture(data, at.page) is not None:
        # What OCR read cannot be checked against a text layer; the box is where it read it.
        row_boxes = [other.box for other in _same_row(ref, at) if other.box is not None]
        return Located(picture=PictureHit(at.page, _pixel_union(row_boxes), at.box))
    if at.lines is not None:
        return Located(lines=_lines_at(data, ref, at.lines))
    if at.table is not None and at.row is not None and at.column is not None:
        row = _row_at(_tables(data, filename), ref, at)
        return Located(rows=[row] if row is not None else [])
    return Located()


def _same_row(ref: CellRef, at: CellLocation) -> list[CellLocation]:
    return [other for other in ref.row_locations
            if (other.table, other.row, other.page) == (at.table, at.row, at.page)] or [at]


def _pdf_hit_at(data: bytes, ref: CellRef, at: CellLocation) -> PdfHit | None:
    """The recorded page and box, when the page's text inside the box is the printed value."""
    assert at.page is not None and at.box is not None
    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= at.page <= len(pdf):
            return None
        page = pdf[at.page - 1]
        width, height = page.get_width(), page.get_height()
        cell_box = from_top_left(at.box, height)
        if _fold(page.get_textpage().get_text_bounded(*cell_box)) != _fold(ref.raw):
            return None
        row_boxes = [from_top_left(other.box, height) for other in _same_row(ref, at) if other.box is not None]
        return PdfHit(at.page, (width, height), _union(row_boxes), cell_box)
    finally:
        pdf.close()


def _picture(data: bytes, page_no: int) -> Image.Image | None:
    """The picture OCR read as page ``page_no``: an image file's own, or a PDF page's as the parse read it."""
    if data.startswith(b"%PDF"):
        try:
            page = pdf_page_as_read(data, page_no)
        except (pdfium.PdfiumError, ParseError):
            return None
        return None if page is None else Image.fromarray(page[:, :, ::-1])
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (OSError, Image.DecompressionBombError):
        return None
    return picture.convert("RGB") if page_no == 1 else None


def _pixel_union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def render_picture_evidence(data: bytes, hit: PictureHit) -> bytes:
    """The picture OCR read with the row outlined in orange and the cell in red."""
    from PIL import ImageDraw

    picture = _picture(data, hit.page_no)
    assert picture is not None, "the hit was made from this picture"
    draw = ImageDraw.Draw(picture)
    draw.rectangle(hit.row_box, outline=(230, 120, 0), width=3)
    draw.rectangle(hit.cell_box, outline=(220, 0, 0), width=4)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def from_top_left(box: tuple[float, float, float, float], page_height: float) -> Box:
    """A recorded box (x0, y0, x1, y1 from the page's top left) as pdfium's (left, bottom, right, top)."""
    x0, y0, x1, y1 = box
    return (x0, page_height - y1, x1, page_height - y0)


def _lines_at(data: bytes, ref: CellRef, lines: tuple[int, int]) -> list[SourceLine]:
    """The text lines of the cell's row, the cell's own marked, when they print the value."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    source = _LINE_BREAK.split(text)
    first, last = lines
    if not 1 <= first <= last <= len(source) or _fold(ref.raw) not in _fold("".join(source[first - 1 : last])):
        return []
    spans = [other.lines for other in ref.row_locations if other.lines is not None] or [lines]
    start, end = min(first, *(a for a, _ in spans)), max(last, *(b for _, b in spans))
    start = _label_line(source, start, ref.row_label) or start
    return [SourceLine(number, source[number - 1], first <= number <= last) for number in range(start, end + 1)]


def _label_line(source: list[str], start: int, label: str | None) -> int | None:
    """The line printing the row's label, at or above the row's first value (one cell per line
    puts it a few lines up; the label is not a cell, so no location of it was recorded)."""
    needle = _fold(_words(label or ""))[:_NEEDLE_CHARS]
    if not needle:
        return None
    for number in range(start, max(0, start - _LABEL_LINES_UP), -1):
        if needle in _fold(source[number - 1]):
            return number
    return None


def _row_at(tables: list[Table], ref: CellRef, at: CellLocation) -> SourceRow | None:
    """The recorded table row, the recorded cell marked, when that cell prints the value."""
    assert at.table is not None and at.row is not None and at.column is not None
    if not 1 <= at.table <= len(tables) or not 1 <= at.row <= len(tables[at.table - 1].rows):
        return None
    table = tables[at.table - 1]
    grid_row = table.rows[at.row - 1]
    if at.column > len(grid_row) or _fold(grid_row[at.column - 1].text) != _fold(ref.raw):
        return None
    printed = [column for column, cell in enumerate(grid_row) if not cell.is_copy]
    highlight = printed.index(at.column - 1) if at.column - 1 in printed else None
    return SourceRow(at.table, _printed_rows(table.rows[: min(2, at.row - 1)]), [grid_row[c].text for c in printed],
                     highlight, at.row)


def _printed_rows(rows: list[list[GridCell]]) -> list[list[str]]:
    return [[cell.text for cell in row if not cell.is_copy] for row in rows]


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
        found.append(SourceRow(number, _printed_rows(table.rows[: min(2, index)]),
                               texts, None if highlight is None else highlight + offset, index + 1))
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
