"""Which format a file is, read from its first bytes."""

from __future__ import annotations

import codecs
import re
import zipfile
from io import BytesIO

from parsers.errors import ExtractionError

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# The seed export leads every table cell with a tab; copied page text has none.
_SEED_CELL = re.compile(rb"(?:^|[\r\n])\t")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a")
# Word 2003's XML document ("WordML"), which Java office systems still export, often named .doc.
_WORDML_MARKER = re.compile(rb"<\?mso-application\s+progid=\"Word\.Document\"|<w:wordDocument\b")
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_HTML_MARKER = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|meta|div|table|p|title|script)\b", re.I)


def is_picture(data: bytes) -> bool:
    """Bytes of a picture format the OCR reads (PNG, JPEG, TIFF, GIF)."""
    return data.startswith(_IMAGE_MAGIC)


def sniff_format(data: bytes, *, suffix: str | None = None, content_type: str | None = None) -> str:
    """One of seedtext, text, html, docx, xlsx, xls, image, pdf, rtf, doc, wps, wordml, odt; raises
    ExtractionError for anything else."""
    head = data[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if suffix == "pdf" or (content_type or "").lower().startswith("application/pdf"):
        raise ExtractionError("not a PDF: the file has no %PDF- header")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_ZIP_MAGIC):
        return _sniff_zip(data)
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith(_OLE2_MAGIC):
        if _ole2_kind(data) == "xls":
            return "xls"
        return "wps" if suffix in {"wps", "wpt"} or "wps" in (content_type or "").lower() else "doc"
    if stripped.startswith(b"<?xml") and _WORDML_MARKER.search(head):
        return "wordml"
    if _HTML_MARKER.search(stripped[:1024]):
        return "html"
    if _looks_like_text(head):
        return "seedtext" if _SEED_CELL.search(data) else "text"
    raise ExtractionError("unrecognised binary data: not HTML, text, DOCX, PDF, DOC or WPS")


def _sniff_zip(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ExtractionError(f"damaged ZIP container (truncated DOCX?): {exc}") from exc
    if "word/document.xml" in names or any(name.startswith("word/") and name.endswith(".xml") for name in names) \
            and "_rels/.rels" in names and "xl/workbook.xml" not in names:
        return "docx"  # a main part named otherwise (word/document2.xml) is found by the package's relationships
    if "xl/workbook.xml" in names:
        return "xlsx"
    if data[30:38] == b"mimetype" and data[38:38 + len(_ODT_MIMETYPE)] == _ODT_MIMETYPE:
        return "odt"  # OpenDocument puts its type first, uncompressed, in a file named mimetype
    raise ExtractionError("a ZIP archive that is neither a Word or OpenDocument text nor an Excel workbook")


def _ole2_kind(data: bytes) -> str:
    """"word" for a compound file with a Word text stream (DOC and WPS), "xls" for an Excel
    97+ workbook (its sheets in a "Workbook" stream; a Word file with an embedded sheet has
    a WordDocument stream too, and is Word); anything else is refused.

    LibreOffice imports whatever follows a bare OLE2 header as plain text, which gives a
    "report" of mojibake.
    """
    import olefile

    # Version 3 files use 512-byte sectors, version 4 files 4096-byte ones; both little-endian.
    if data[26:34] not in (b"\x03\x00\xfe\xff\x09\x00\x06\x00", b"\x04\x00\xfe\xff\x0c\x00\x06\x00"):
        raise ExtractionError("damaged OLE2 file: no compound-file header after the OLE2 signature (not a DOC/WPS)")
    try:
        with olefile.OleFileIO(BytesIO(data)) as ole:
            has_text, has_sheets = ole.exists("WordDocument"), ole.exists("Workbook")
    except Exception as exc:  # olefile fails on damaged files with many kinds of error
        raise ExtractionError(f"damaged OLE2 file (not a readable DOC/WPS): {exc}".splitlines()[0]) from exc
    if has_text:
        return "word"
    if has_sheets:
        return "xls"
    raise ExtractionError("an OLE2 file without a WordDocument stream: not a DOC/WPS report (nor an XLS workbook)")


def _looks_like_text(head: bytes) -> bool:
    """Text decodes as UTF-8 or GB18030 (allowing a cut multi-byte character at the end) without control bytes."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            text = head[: exc.start].decode("utf-8")
        else:
            try:  # incremental: the head may end inside a character
                text = codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
            except UnicodeDecodeError:
                return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls == 0
