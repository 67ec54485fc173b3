"""Bytes -> :class:`~parsers.document.Document`, one extractor module per format.

The format is sniffed from the bytes; a filename or content type only breaks ties (an
OLE2 file named .wps is WPS, not DOC), because portals serve PDFs as
application/octet-stream and name DOCX files .doc.
"""

from __future__ import annotations

import hashlib
import importlib
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from parsers import limits
from parsers.document import Document
from parsers.extract.html import HtmlPage, page_document, read_page
from parsers.extract.numbering import number_tables
from parsers.extract.pdf_unreadable import extract_drawn_pdf, unreadable_text
from parsers.extract.sniff import sniff_format
from parsers.extract.surrogates import mend_document
from parsers.errors import ExtractionError

# format -> "module:function" of its extractor, imported on first use (pdfplumber and
# python-docx are slow to import and most captures are HTML).
_EXTRACTORS = {
    "seedtext": "parsers.extract.seedtext:extract_seedtext",
    "text": "parsers.extract.plaintext:extract_plaintext",
    "html": "parsers.extract.html:extract_html",
    "docx": "parsers.extract.docx:extract_docx",
    "xlsx": "parsers.extract.spreadsheet:extract_spreadsheet",
    "xls": "parsers.extract.spreadsheet:extract_spreadsheet",
    "image": "parsers.extract.ocr_scan:extract_image",
    "pdf": "parsers.extract.pdf:extract_pdf",
    "rtf": "parsers.extract.rtf:extract_rtf",
    "doc": "parsers.extract.converted:extract_doc",
    "wps": "parsers.extract.converted:extract_wps",
    "wordml": "parsers.extract.wordml:extract_wordml",
    "odt": "parsers.extract.converted:extract_odt",
}


def extract(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    images: Mapping[str, bytes] | None = None,
) -> Document:
    """Read one file into a document; raises ExtractionError with a one-line reason.

    ``images`` maps the ``src`` of an HTML page's ``<img>`` tags, as the page writes them,
    to the image bytes the crawler fetched: tables published as pictures are read by OCR.
    """
    return read_source(data, filename=filename, content_type=content_type, images=images).document()


@dataclass
class Source:
    """A file read as far as what its document is made of (``read_source``): its bytes, or for
    an HTML page its report body, metadata and title (``html.HtmlPage``)."""

    fmt: str
    data: bytes
    content_type: str | None
    images: Mapping[str, bytes]
    page: HtmlPage | None = None

    def identity(self) -> str:
        """sha256 of what the document is made of: two sources with one identity make the same
        document, so a page fetched again whose chrome alone changed (a visit counter) need
        not be read further, nor parsed. Asked before ``document``, which changes the page."""
        made_of = self.page.made_of() if self.page is not None else self.data
        pictures = sorted((src, hashlib.sha256(picture).hexdigest()) for src, picture in self.images.items())
        return hashlib.sha256(pickle.dumps((self.fmt, made_of, pictures))).hexdigest()

    def document(self) -> Document:
        if self.page is None:
            return extract_as(self.fmt, self.data, content_type=self.content_type, images=self.images)
        page = self.page
        return _within_limits(lambda: page_document(page, self.images))


def read_source(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    images: Mapping[str, bytes] | None = None,
) -> Source:
    """``data`` read as far as ``Source`` says (as ``extract`` takes them); raises ExtractionError."""
    if not data or not data.strip():
        raise ExtractionError("the file is empty")
    limits.check("input_bytes", len(data))
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".") if filename else None
    fmt = sniff_format(data, suffix=suffix, content_type=content_type)
    page = read_page(data, content_type) if fmt == "html" else None
    return Source(fmt, data, content_type, images or {}, page)


def extract_as(
    fmt: str, data: bytes, *, content_type: str | None = None, images: Mapping[str, bytes] | None = None
) -> Document:
    """Read ``data`` as format ``fmt`` (seedtext, html, docx, xlsx, xls, image, pdf, rtf, doc, wps) within the
    limits of one document."""
    module_name, function_name = _EXTRACTORS[fmt].split(":")
    extractor = getattr(importlib.import_module(module_name), function_name)
    if fmt == "html":  # only HTML has a charset the HTTP header may declare
        return _within_limits(lambda: extractor(data, content_type=content_type, images=images))
    if fmt == "pdf":
        return _within_limits(lambda: _pdf(extractor, data))
    return _within_limits(lambda: extractor(data))


def _within_limits(read: Callable[[], Document]) -> Document:
    """``read()`` within the limits of one document, its tables numbered and its text mended."""
    with limits.extraction():
        doc = read()
    return number_tables(mend_document(doc))


def _pdf(text_layer: Callable[[bytes], Document], data: bytes) -> Document:
    """A PDF through its text layer; one without any, made of page pictures, one whose pages
    are pictures under an OCR layer or a stamp line, or one whose text layer is glyphs
    without their characters (``pdf_unreadable``), through OCR.

    The text layer is tried first so that text PDFs, nearly all of them, pay nothing for
    the scan check.
    """
    from parsers.extract.pdf import PicturedPdf

    try:
        doc = text_layer(data)
    except ExtractionError as exc:  # no text layer, or pictures under an OCR layer or a download stamp
        from parsers.extract.ocr_scan import extract_scanned_pdf, scan_kind

        kind = scan_kind(data)
        if kind == "one picture a page":  # read at the scanner's own resolution, not drawn again
            return extract_scanned_pdf(data)
        if kind is None and not isinstance(exc, PicturedPdf):
            raise
        return extract_drawn_pdf(data)
    if unreadable_text(doc):  # fonts without a Unicode map: read what the pages show
        return extract_drawn_pdf(data)
    return doc
