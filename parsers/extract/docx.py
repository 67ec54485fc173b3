"""Extractor for Word (.docx) files: paragraphs and tables in body order, merges expanded.

The table grid is read from the XML itself: ``w:gridSpan`` widens a cell over several grid
columns, ``w:vMerge`` continues the cell above, ``w:gridBefore`` skips leading columns.
Every slot a merge covers becomes a GridCell copy naming the origin slot. Rows and cells
wrapped in content controls (``w:sdt``) or custom XML, as templates and document-assembly
tools leave them, are rows and cells like the others.

Text is what Word prints: a tracked move's old place (``w:moveFrom``) and deletions are not
read, nor hidden runs (``w:vanish``), nor a note's mark typed as a superscript run ("20373" and
a raised "①" read as 203731; see ``parsers.extract.note_marks``: Word's own footnote references
print no text here). A text box (``w:txbxContent``) is read once, as
paragraphs of its own after the paragraph it is anchored to (before it at the document's
start, where a title box sits): Word writes each box twice, as DrawingML and as a VML
fallback (``mc:Fallback``), and its text run into the anchor had doubled a title and
swallowed a section heading.

A picture stands where its paragraph does: one that may be a table pasted as a picture is
read by OCR there (:mod:`parsers.extract.docx_pictures`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from lxml import etree

from parsers.document import Block, Document, GridCell, Table
from parsers.errors import ExtractionError
from parsers.extract.docx_numbering import ListNumbers
from parsers.extract.docx_chunks import alt_chunks
from parsers.extract.docx_package import DAMAGED_ZIP, MAIN_DOCUMENT, STRICT_NAMES, main_document, transitional
from parsers.extract.docx_pictures import PictureAnchors, picture_anchors, with_pictures
from parsers.extract.layout_tables import lays_out_tables
from parsers.extract.note_marks import follows_unit, is_note_mark
from parsers.limits import check_tree, read_zip_member, take_table_slots

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_P, _TBL, _SDT, _TR, _TC = (f"{{{_W}}}{tag}" for tag in ("p", "tbl", "sdt", "tr", "tc"))
_T, _TAB, _BR, _CR = (f"{{{_W}}}{tag}" for tag in ("t", "tab", "br", "cr"))
_VAL = f"{{{_W}}}val"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_R, _VANISH, _TXBX, _SDT_CONTENT, _CUSTOM_XML, _VERT_ALIGN = (
    f"{{{_W}}}{tag}" for tag in ("r", "vanish", "txbxContent", "sdtContent", "customXml", "vertAlign"))
# Not printed: a tracked move's old place, deleted text, the VML copy of a text box or picture.
_FALLBACK = f"{{{_MC}}}Fallback"
_NOT_PRINTED = frozenset({f"{{{_W}}}moveFrom", f"{{{_W}}}del", _FALLBACK})
# Not printed, or printed elsewhere: the text box, read as its own paragraphs.
_NOT_INLINE = _NOT_PRINTED | {_TXBX}
_WRAPPERS = frozenset({_SDT, _SDT_CONTENT, _CUSTOM_XML})
# A dash typed as Word's non-breaking hyphen or inserted as a symbol prints a dash, not a blank.
_NO_BREAK_HYPHEN, _SYM = f"{{{_W}}}noBreakHyphen", f"{{{_W}}}sym"
_PIECES = frozenset({_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN, _SYM})
# What makes a paragraph's text more than its pieces in order: a paragraph holding none is read
# by one pass of libxml2 over its pieces, the others by the walk that leaves these out.
_SPECIAL = (*_NOT_INLINE, _VANISH, _VERT_ALIGN)
Marked = frozenset[etree._Element]  # paragraphs holding _SPECIAL markup
_HEADING_STYLES = ("heading", "title", "标题")
# Each style's id and name as Word writes them (the name its first child), read from the bytes:
# parsing Word's styles.xml (some 350 KB of latent styles) was a third of a document's reading.
_STYLE_NAMES = re.compile(rb'<w:style\b[^>]*?\bw:styleId="([^"]*)"[^>]*>\s*<w:name\s+w:val="([^"]*)"')
_STYLE_STARTS = re.compile(rb"<w:style\b")
_STYLE_BODIES = re.compile(rb'<w:style\b[^>]*?\bw:styleId="([^"]*)"[^>]*>(.*?)</w:style>', re.DOTALL)
_VANISHED = re.compile(rb'<w:vanish\s*/>|<w:vanish\s+w:val="(?:1|true|on)"\s*/>')
_SUPERSCRIPT = re.compile(rb'<w:vertAlign\s+w:val="superscript"\s*/>')
_RSTYLE = f"{{{_W}}}rStyle"
_ALT_CHUNK = f"{{{_W}}}altChunk"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def extract_docx(data: bytes) -> Document:
    main = MAIN_DOCUMENT
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            main = main_document(archive)
            xml = read_zip_member(archive, main)
            styles = read_zip_member(archive, "word/styles.xml") if "word/styles.xml" in names else b""
            if STRICT_NAMES[0][0] in xml:
                xml, styles = transitional(xml), transitional(styles)
            numbering = transitional(read_zip_member(archive, "word/numbering.xml")) \
                if "word/numbering.xml" in names and b"numPr" in xml + styles else b""
            chunks = alt_chunks(archive, main, xml) if b"altChunk" in xml else {}
        root = etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True, resolve_entities=False))
        check_tree(root, len(xml))
        numbers = ListNumbers(numbering, styles) if numbering else None
    except (KeyError, *DAMAGED_ZIP) as exc:
        raise ExtractionError(f"damaged DOCX (truncated or not a Word file): {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(f"damaged DOCX: {main} is not well-formed ({exc.msg})") from exc
    body = root.find("w:body", _NS)
    if body is None:
        raise ExtractionError(f"damaged DOCX: {main} has no body")
    hidden, raised = _style_ids(styles, b"vanish", _VANISHED), _style_ids(styles, b"superscript", _SUPERSCRIPT)
    reading = _Reading(_heading_style_ids(styles), _marked_paragraphs(body, hidden | raised), picture_anchors(body, _NOT_PRINTED),
                       numbers, hidden, raised, chunks)
    blocks: list[Block] = []
    _read_body(body, blocks, reading)
    blocks, notes = with_pictures(data, blocks, reading.pictures)
    if not blocks:
        raise ExtractionError("the Word document has no text")
    return Document(blocks=blocks, source_format="docx", notes=notes)


@dataclass(frozen=True)
class _Reading:
    """What reading a document's paragraphs needs to know of the whole document."""

    heading_ids: set[str]  # paragraph styles named as headings
    marked: Marked  # paragraphs read by the slow walk (``_SPECIAL`` markup, hidden styles)
    pictures: PictureAnchors
    numbers: ListNumbers | None  # list numbering, when the document numbers paragraphs
    hidden: frozenset[str]  # styles whose text is hidden (``w:vanish`` in the style)
    raised: frozenset[str]  # styles that print their text as a superscript (Word's 脚注引用, FootnoteReference)
    chunks: dict[str, list[Block]]  # what each w:altChunk imports, by relationship id

    def text(self, paragraph: etree._Element) -> str:
        """What ``paragraph`` prints, its list number first."""
        label = self.numbers.label(paragraph) if self.numbers is not None else ""
        return label + paragraph_text(paragraph, self.marked, self.hidden, self.raised)


def _heading_style_ids(styles: bytes) -> set[str]:
    """Style ids whose name says heading or title ("heading 2", "标题 1")."""
    if not styles:
        return set()
    named = _STYLE_NAMES.findall(styles)
    if named and len(named) == len(_STYLE_STARTS.findall(styles)):
        return {style_id.decode("utf-8", "replace") for style_id, name in named
                if name.decode("utf-8", "replace").lower().startswith(_HEADING_STYLES)}
    try:  # a writer that names its prefix otherwise, or puts a style's name elsewhere
        root = etree.fromstring(styles)
    except etree.XMLSyntaxError:
        return set()
    ids = set()
    for style in root.iterfind("w:style", _NS):
        name = style.find("w:name", _NS)
        label = (name.get(_VAL) if name is not None else "") or ""
        if label.lower().startswith(_HEADING_STYLES):
            ids.add(style.get(f"{{{_W}}}styleId") or "")
    return ids


def _read_body(parent: etree._Element, blocks: list[Block], reading: _Reading) -> None:
    for child in parent:
        if child.tag == _P:
            if _style(child, "w:pPr/w:pStyle") in reading.hidden:
                continue
            text = reading.text(child).strip()
            boxes = list(_text_boxes(child)) if child in reading.marked else []
            if boxes and not blocks:
                for box in boxes:
                    _read_body(box, blocks, reading)
                boxes = []
            if text:
                # A line break (Shift+Enter) ends a printed line as a paragraph does: a heading may start the next one.
                kind = "heading" if _style(child, "w:pPr/w:pStyle") in reading.heading_ids else "paragraph"
                blocks.extend(Block(kind, text=line.strip()) for line in text.split("\n") if line.strip())
            for box in boxes:
                _read_body(box, blocks, reading)
            reading.pictures.place(child, len(blocks))
        elif child.tag == _TBL and lays_out_tables(child, _TBL, (_TC,)):  # a frame: its cells read as the body they hold
            for row in _children(child, _TR):
                for cell in _children(row, _TC):
                    _read_body(cell, blocks, reading)
        elif child.tag == _TBL:
            table = _read_table(child, reading)
            if table.rows:
                blocks.append(Block("table", table=table))
        elif child.tag in _WRAPPERS:
            _read_body(child, blocks, reading)
        elif child.tag == _ALT_CHUNK:
            blocks.extend(reading.chunks.get(child.get(_RELATIONSHIP_ID) or "", []))


def _style(element: etree._Element, path: str) -> str | None:
    style = element.find(path, _NS)
    return style.get(_VAL) if style is not None else None


def _marked_paragraphs(body: etree._Element, styled: frozenset[str]) -> Marked:
    """The paragraphs holding markup that is not printed where it stands (``_SPECIAL``) or runs
    of one of the ``styled`` styles (hidden or raised); few documents have any, and the others'
    text is read by libxml2's own walk over its pieces."""
    marked = {paragraph for element in body.iter(*_SPECIAL) for paragraph in element.iterancestors(_P)}
    if styled:
        marked |= {paragraph for style in body.iter(_RSTYLE) if style.get(_VAL) in styled
                   for paragraph in style.iterancestors(_P)}
    return frozenset(marked)


def paragraph_text(paragraph: etree._Element, marked: Marked, hidden: frozenset[str] = frozenset(),
                   raised: frozenset[str] = frozenset()) -> str:
    if paragraph not in marked:
        return "".join([(element.text or "") if element.tag == _T else _piece(element) for element in paragraph.iter(*_PIECES)])
    parts: list[str] = []
    _printed(paragraph, parts, hidden, raised)
    return "".join(parts)


def _printed(element: etree._Element, parts: list[str], hidden: frozenset[str], raised: frozenset[str]) -> None:
    """The text ``element`` prints in its own line of text, into ``parts``."""
    for child in element:
        tag = child.tag
        if tag in _PIECES:
            parts.append(_piece(child))
        elif tag in _NOT_INLINE or (tag == _R and (_hidden(child, hidden) or _note_mark(child, raised, parts))):
            continue
        elif len(child):
            _printed(child, parts, hidden, raised)


def _piece(element: etree._Element) -> str:
    """What one of the elements that print text (``_PIECES``) prints."""
    tag = element.tag
    if tag == _T:
        return element.text or ""
    if tag == _TAB:
        return " "
    if tag == _NO_BREAK_HYPHEN:
        return "-"
    if tag == _SYM:
        return _symbol(element.get(f"{{{_W}}}char") or "")
    return "\n"  # w:br, w:cr


def _symbol(code: str) -> str:
    """The character of a ``w:sym``: symbol fonts' codes sit at U+F0xx, standing for xx."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    return chr(value - 0xF000 if 0xF020 <= value <= 0xF0FF else value)


def _hidden(run: etree._Element, hidden_styles: frozenset[str]) -> bool:
    vanish = run.find("w:rPr/w:vanish", _NS)
    if vanish is not None:
        return vanish.get(_VAL) not in ("0", "false", "off")
    return bool(hidden_styles) and _style(run, "w:rPr/w:rStyle") in hidden_styles


def _note_mark(run: etree._Element, raised_styles: frozenset[str], before: list[str]) -> bool:
    """Whether ``run`` prints a note's mark as a superscript; ``before``: the paragraph's text so far."""
    align = run.find("w:rPr/w:vertAlign", _NS)
    if align is not None:
        if align.get(_VAL) != "superscript":
            return False
    elif not raised_styles or _style(run, "w:rPr/w:rStyle") not in raised_styles:
        return False
    previous = next((part for part in reversed(before) if part), "")
    return is_note_mark("".join(_piece(piece) for piece in run.iter(*_PIECES))) and not follows_unit(previous)


def _style_ids(styles: bytes, word: bytes, setting: re.Pattern[bytes]) -> frozenset[str]:
    """The styles whose run properties hold ``setting`` (a pattern of the bytes, which hold ``word``)."""
    if word not in styles:
        return frozenset()
    return frozenset(style_id.decode("utf-8", "replace") for style_id, body in _STYLE_BODIES.findall(styles)
                     if setting.search(body))


def _text_boxes(paragraph: etree._Element) -> Iterator[etree._Element]:
    """The text boxes anchored in ``paragraph``, each once (not its VML copy, nor a box inside a box)."""
    for box in paragraph.iter(_TXBX):
        if not any(ancestor.tag in (_FALLBACK, _TXBX) for ancestor in box.iterancestors()):
            yield box


def _cell_text(tc: etree._Element, reading: _Reading) -> str:
    lines = []
    for paragraph in (_cell_paragraphs(tc) if reading.marked else tc.iter(_P)):
        if _style(paragraph, "w:pPr/w:pStyle") not in reading.hidden:
            lines.extend(line.strip() for line in reading.text(paragraph).split("\n"))
    return "\n".join(line for line in lines if line)


def _cell_paragraphs(element: etree._Element) -> Iterator[etree._Element]:
    """The paragraphs of a cell in order, those of tables nested in it too, each text box's once."""
    for child in element:
        if child.tag == _P:
            yield child
            for box in _text_boxes(child):
                yield from _cell_paragraphs(box)
        elif isinstance(child.tag, str) and child.tag not in _NOT_INLINE:
            yield from _cell_paragraphs(child)


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """``parent``'s children with ``tag``, those inside content controls and custom XML included."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _read_table(tbl: etree._Element, reading: _Reading) -> Table:
    rows: list[list[GridCell]] = []
    origins: list[dict[int, tuple[int, int]]] = []  # per row: grid column -> origin slot
    for tr in _children(tbl, _TR):
        r = len(rows)
        row: list[GridCell] = []
        origin_of: dict[int, tuple[int, int]] = {}
        before = tr.find("w:trPr/w:gridBefore", _NS)
        skipped = _int(before.get(_VAL) if before is not None else None, 0)
        take_table_slots(skipped)
        for _ in range(skipped):
            row.append(GridCell(""))
        for tc in _children(tr, _TC):
            span_element = tc.find("w:tcPr/w:gridSpan", _NS)
            span = max(1, _int(span_element.get(_VAL) if span_element is not None else None, 1))
            take_table_slots(span)
            vmerge = tc.find("w:tcPr/w:vMerge", _NS)
            col = len(row)
            above = origins[r - 1].get(col) if r and origins else None
            if vmerge is not None and vmerge.get(_VAL) != "restart" and above is not None:
                origin = above
                text = rows[origin[0]][origin[1]].text
                cells = [GridCell(text, span_of=origin) for _ in range(span)]
            else:
                origin = (r, col)
                text = _cell_text(tc, reading)
                cells = [GridCell(text)] + [GridCell(text, span_of=origin) for _ in range(span - 1)]
            for offset in range(span):
                origin_of[col + offset] = origin
            row.extend(cells)
        rows.append(row)
        origins.append(origin_of)
    return Table(rows)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
