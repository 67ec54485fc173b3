"""Extractor for Word (.docx) files: paragraphs and tables in body order, merges expanded.

The table grid is read from the XML itself: ``w:gridSpan`` widens a cell over several grid
columns, ``w:vMerge`` continues the cell above, ``w:gridBefore`` skips leading columns.
Every slot a merge covers becomes a GridCell copy naming the origin slot.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

from lxml import etree

from parsers.document import Block, Document, GridCell, Table
from parsers.errors import ExtractionError
from parsers.limits import check_tree, read_zip_member, take_table_slots

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_P, _TBL, _SDT, _TR, _TC = (f"{{{_W}}}{tag}" for tag in ("p", "tbl", "sdt", "tr", "tc"))
_T, _TAB, _BR, _CR = (f"{{{_W}}}{tag}" for tag in ("t", "tab", "br", "cr"))
_VAL = f"{{{_W}}}val"
_HEADING_STYLES = ("heading", "title", "标题")


def extract_docx(data: bytes) -> Document:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            xml = read_zip_member(archive, "word/document.xml")
            styles = read_zip_member(archive, "word/styles.xml") if "word/styles.xml" in archive.namelist() else b""
        root = etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True, resolve_entities=False))
        check_tree(root, len(xml))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zipfile.LargeZipFile, ValueError, NotImplementedError,
            RuntimeError, zlib.error) as exc:  # what zipfile raises for bad offsets, methods, encryption, data
        raise ExtractionError(f"damaged DOCX (truncated or not a Word file): {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(f"damaged DOCX: word/document.xml is not well-formed ({exc.msg})") from exc
    body = root.find("w:body", _NS)
    if body is None:
        raise ExtractionError("damaged DOCX: word/document.xml has no body")
    heading_ids = _heading_style_ids(styles)
    blocks: list[Block] = []
    _read_body(body, blocks, heading_ids)
    if not blocks:
        raise ExtractionError("the Word document has no text")
    return Document(blocks=blocks, source_format="docx")


def _heading_style_ids(styles: bytes) -> set[str]:
    """Style ids whose name says heading or title ("heading 2", "标题 1")."""
    if not styles:
        return set()
    try:
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


def _read_body(parent: etree._Element, blocks: list[Block], heading_ids: set[str]) -> None:
    for child in parent:
        if child.tag == _P:
            text = paragraph_text(child).strip()
            if text:
                style = child.find("w:pPr/w:pStyle", _NS)
                kind = "heading" if style is not None and style.get(_VAL) in heading_ids else "paragraph"
                blocks.append(Block(kind, text=text))
        elif child.tag == _TBL:
            table = _read_table(child)
            if table.rows:
                blocks.append(Block("table", table=table))
        elif child.tag == _SDT:
            content = child.find("w:sdtContent", _NS)
            if content is not None:
                _read_body(content, blocks, heading_ids)


def paragraph_text(paragraph: etree._Element) -> str:
    parts = []
    for element in paragraph.iter(_T, _TAB, _BR, _CR):
        if element.tag == _T:
            parts.append(element.text or "")
        elif element.tag == _TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: etree._Element) -> str:
    lines = []
    for paragraph in tc.iter(_P):
        lines.extend(line.strip() for line in paragraph_text(paragraph).split("\n"))
    return "\n".join(line for line in lines if line)


def _read_table(tbl: etree._Element) -> Table:
    rows: list[list[GridCell]] = []
    origins: list[dict[int, tuple[int, int]]] = []  # per row: grid column -> origin slot
    for tr in tbl.iterfind("w:tr", _NS):
        r = len(rows)
        row: list[GridCell] = []
        origin_of: dict[int, tuple[int, int]] = {}
        before = tr.find("w:trPr/w:gridBefore", _NS)
        skipped = _int(before.get(_VAL) if before is not None else None, 0)
        take_table_slots(skipped)
        for _ in range(skipped):
            row.append(GridCell(""))
        for tc in tr.iterfind("w:tc", _NS):
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
                text = _cell_text(tc)
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
