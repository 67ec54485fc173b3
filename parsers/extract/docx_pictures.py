"""Pictures in a Word document's body that may be tables, read by OCR where they stand.

An office that cannot get a table into its report as a table pastes a screenshot of it:
Word keeps a picture (``w:drawing``, or VML ``w:pict`` in older files) that points at
``word/media/imageN.png``, and the text holds no table there. Such a picture is read like
a table picture of a report page (:func:`parsers.extract.ocr_scan.blocks_from_pages`) and
what it holds is put where it stands, so the table parsers find the table as in any other
format and its cells say they were read by OCR.

OCR takes seconds a picture, and Word documents carry pictures that are no tables (the
red-head emblem, the seal, a signature, a logo, photos). A picture is read only when all of
these hold, cheapest first:

* it is drawn at least ``MIN_DRAWN_WIDTH_CM`` wide and ``MIN_DRAWN_HEIGHT_CM`` tall: a seal is
  4.2 cm across, emblems, signatures, logos and QR codes are smaller, a red rule is a few
  millimetres tall, while a table pasted to be read spans a good part of the text width;
* the text alone lacks one of the three standard tables: a report whose tables Word holds as
  tables has nothing for OCR to add (a picture could only repeat a table), and a document
  with such pictures but all its tables costs no more than before;
* it has at least ``MIN_TABLE_SIDE_PX`` pixels each way (fewer hold no readable rows), and
  most of it is light paper: a table's screenshot or scan is dark print on paper, a photo
  is not.

A picture passing the first two that is still not read (linked rather than embedded, absent
from the file, a format OCR does not decode such as the EMF Word makes of a table pasted
from Excel, past a limit, OCR unavailable) is said in a note
(:class:`~parsers.extract.unread_pictures.UnreadPicture`), which the parser reports as a
finding: a table in it is never silently absent.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING

from lxml import etree

from parsers.document import Block, Document
from parsers.errors import ExtractionError
from parsers.extract.docx_package import DAMAGED_ZIP, document_relationships
from parsers.extract.page_images import MIN_TABLE_SIDE_PX
from parsers.extract.unread_pictures import UnreadPicture
from parsers.limits import read_zip_member
from parsers.sections import split_layout
from parsers.tables.classify import classify_tables

if TYPE_CHECKING:
    import numpy as np

MIN_DRAWN_WIDTH_CM = 6.0
MIN_DRAWN_HEIGHT_CM = 1.0
MAX_PICTURES_READ = 20  # per document: a picture's OCR takes seconds
_PAPER_GRAY = 200  # a pixel at least this light is paper
_PAPER_SHARE = 0.5  # share of paper pixels in a picture of print

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_V = "urn:schemas-microsoft-com:vml"
_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_IMAGEDATA = f"{{{_V}}}imagedata"
_FRAMES = (f"{{{_WP}}}inline", f"{{{_WP}}}anchor")
_EXTENT = f"{{{_WP}}}extent"
_VML_SHAPES = frozenset(f"{{{_V}}}{tag}" for tag in ("shape", "rect", "roundrect"))
_EMU_PER_CM = 360_000
_CM_PER_UNIT = {"pt": 2.54 / 72, "in": 2.54, "cm": 1.0, "mm": 0.1, "px": 2.54 / 96, "pc": 2.54 / 6}
_VML_SIDE = re.compile(r"\b(width|height)\s*:\s*(\d+(?:\.\d+)?)\s*(pt|in|cm|mm|px|pc)?", re.IGNORECASE)


@dataclass(frozen=True)
class Picture:
    """One picture of the body: the relationship naming its bytes and the size it is drawn at."""

    relationship: str | None
    linked: bool  # the relationship points outside the file (``r:link``)
    width_cm: float | None  # None where the drawing does not say
    height_cm: float | None

    def may_be_table(self) -> bool:
        """Drawn large enough to be a table someone meant to be read (see the module docstring)."""
        return (self.width_cm is None or self.width_cm >= MIN_DRAWN_WIDTH_CM) and (
            self.height_cm is None or self.height_cm >= MIN_DRAWN_HEIGHT_CM)

    def size(self) -> str:
        if self.width_cm is None or self.height_cm is None:
            return "size not given"
        return f"{self.width_cm:.1f}×{self.height_cm:.1f} cm"


@dataclass
class PictureAnchors:
    """Where the body's pictures stand among the blocks read from its text.

    ``drawn`` maps each paragraph holding pictures to them; the body reader calls ``place``
    for every paragraph it has read, and ``found`` collects (index of the block the
    paragraph's pictures come before, the pictures) in body order.
    """

    drawn: dict[etree._Element, list[Picture]]
    found: list[tuple[int, list[Picture]]] = field(default_factory=list)

    def place(self, paragraph: etree._Element, at: int) -> None:
        pictures = self.drawn.get(paragraph)
        if pictures:
            self.found.append((at, pictures))


def picture_anchors(body: etree._Element, not_printed: frozenset[str]) -> PictureAnchors:
    """The pictures of ``body`` by the paragraph they stand in, leaving out those inside
    ``not_printed`` elements (deletions, a tracked move's old place, the VML copy Word keeps
    of a DrawingML picture)."""
    drawn: dict[etree._Element, list[Picture]] = {}
    for element in body.iter(_BLIP, _IMAGEDATA):
        ancestors = list(element.iterancestors())
        paragraph = next((ancestor for ancestor in ancestors if ancestor.tag == _P), None)
        if paragraph is not None and not any(ancestor.tag in not_printed for ancestor in ancestors):
            drawn.setdefault(paragraph, []).append(_picture(element, ancestors))
    return PictureAnchors(drawn)


def _picture(element: etree._Element, ancestors: list[etree._Element]) -> Picture:
    if element.tag == _BLIP:
        embedded = element.get(f"{{{_R}}}embed")
        frame = next((ancestor for ancestor in ancestors if ancestor.tag in _FRAMES), None)
        extent = frame.find(_EXTENT) if frame is not None else None
        cx, cy = (extent.get("cx"), extent.get("cy")) if extent is not None else (None, None)
        return Picture(embedded or element.get(f"{{{_R}}}link"), not embedded, _emu_cm(cx), _emu_cm(cy))
    shape = next((ancestor for ancestor in ancestors if ancestor.tag in _VML_SHAPES), None)
    style = (shape.get("style") or "") if shape is not None else ""
    sides = {name.lower(): float(value) * _CM_PER_UNIT[(unit or "px").lower()] for name, value, unit in _VML_SIDE.findall(style)}
    return Picture(element.get(f"{{{_R}}}id"), False, sides.get("width"), sides.get("height"))


def _emu_cm(value: str | None) -> float | None:
    return int(value) / _EMU_PER_CM if value is not None and value.isdigit() else None


def with_pictures(data: bytes, blocks: list[Block], anchors: PictureAnchors) -> tuple[list[Block], list[str]]:
    """``blocks`` with what the pictures that may be tables hold put where they stand, and
    notes on those left unread (``data``: the DOCX file the blocks were read from)."""
    candidates = [(at, picture) for at, pictures in anchors.found for picture in pictures if picture.may_be_table()]
    if not candidates or not _lacks_standard_table(blocks):
        return blocks, []
    read: list[tuple[int, list[Block]]] = []
    notes: list[str] = []
    with zipfile.ZipFile(BytesIO(data)) as archive:  # extract_docx has opened it already: it is a ZIP
        reader = _PictureReader(archive)
        for at, picture in candidates:
            try:
                found = reader.read(picture)
            except _Unread as unread:
                where, where_zh = _where(reader.member(picture), picture, blocks, at)
                notes.append(UnreadPicture(
                    f"a picture that may hold a table was not read ({where}): {unread.en}; a table printed in it is not in this parse",
                    f"文档中一幅可能是表格的图片未识别（{where_zh}）：{unread.zh}；其中若有表格，未能读取"))
                continue
            if found:
                read.append((at, found))
    merged = list(blocks)
    for at, found in reversed(read):  # from the end, so that the earlier places stay where they are
        merged[at:at] = found
    return merged, notes


def _lacks_standard_table(blocks: list[Block]) -> bool:
    """True when the blocks read so far miss one of the three standard tables (found as the parser finds them)."""
    standard = classify_tables(split_layout(Document(blocks=blocks, source_format="docx")).tables)
    return not (standard.active_disclosure and standard.applications and standard.appeals)


def _where(name: str, picture: Picture, blocks: list[Block], at: int) -> tuple[str, str]:
    """The picture for a person looking for it, in English and Chinese: its name in the file,
    drawn size and the text before it."""
    before = next((block.text.strip()[:24] for block in reversed(blocks[:at]) if block.table is None and block.text.strip()), "")
    return (f"{name}, {picture.size()}, " + (f"after “{before}”" if before else "at the start"),
            f"{name}，{picture.size()}，" + (f"位于“{before}”之后" if before else "位于文首"))


class _Unread(Exception):
    """A picture that may be a table could not be read: why, in English and Chinese."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


class _PictureReader:
    """Reads the pictures of one DOCX, at most ``MAX_PICTURES_READ`` of them by OCR."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members = document_relationships(archive)
        self.ocr_read = 0

    def member(self, picture: Picture) -> str:
        """The ZIP member holding the picture (``word/media/image2.png``), else its relationship id."""
        return self.members.get(picture.relationship or "") or picture.relationship or "no relationship"

    def read(self, picture: Picture) -> list[Block]:
        """What the picture holds; nothing for one that is no print on paper (a photo) or has
        too few pixels for a table. Raises _Unread for one that may be a table and was not read."""
        from parsers.extract.ocr_scan import blocks_from_pages, decode_image  # OpenCV and the engine: on first use

        if picture.linked:
            raise _Unread("it is linked from outside the file, not embedded", "图片为外部链接，未嵌入文件")
        member = self.member(picture)
        if member not in self.archive.namelist():
            raise _Unread("the file does not hold it", "文件中缺少该图片")
        if self.ocr_read >= MAX_PICTURES_READ:
            raise _Unread(f"only the first {MAX_PICTURES_READ} such pictures of a document are read",
                          f"每份文档仅识别前 {MAX_PICTURES_READ} 幅此类图片")
        try:
            data = read_zip_member(self.archive, member)
        except (ExtractionError, *DAMAGED_ZIP) as exc:
            raise _Unread(f"it is damaged or too large ({exc})", "图片已损坏或过大") from exc
        try:
            image = decode_image(data)
            if min(image.shape[:2]) < MIN_TABLE_SIDE_PX or not _printed_on_paper(image):
                return []
            self.ocr_read += 1
            return blocks_from_pages([image])
        except ExtractionError as exc:  # a format OCR does not decode (EMF, WMF), damaged, past MAX_PIXELS, no OCR engine
            raise _Unread(str(exc), f"无法识别：{exc}") from exc


def _printed_on_paper(image: np.ndarray) -> bool:
    """Most of the picture is light paper, as in a table's screenshot or scan; a photo is not.
    Judged on the red channel, as the OCR reads it: a seal's red ink counts as paper there."""
    channel = image if image.ndim == 2 else image[:, :, 2]
    return float((channel >= _PAPER_GRAY).mean()) >= _PAPER_SHARE
