"""Bytes -> :class:`~parsers.document.Document`, one extractor module per format.

The format is sniffed from the bytes; a filename or content type only breaks ties (an
OLE2 file named .wps is WPS, not DOC), because portals serve PDFs as
application/octet-stream and name DOCX files .doc.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

from parsers import limits
from parsers.document import Document
from parsers.extract.numbering import number_tables
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
    if not data or not data.strip():
        raise ExtractionError("the file is empty")
    limits.check("input_bytes", len(data))
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".") if filename else None
    fmt = sniff_format(data, suffix=suffix, content_type=content_type)
    return extract_as(fmt, data, content_type=content_type, images=images)


def extract_as(
    fmt: str, data: bytes, *, content_type: str | None = None, images: Mapping[str, bytes] | None = None
) -> Document:
    """Read ``data`` as format ``fmt`` (seedtext, html, docx, xlsx, xls, image, pdf, rtf, doc, wps) within the
    limits of one document."""
    module_name, function_name = _EXTRACTORS[fmt].split(":")
    extractor = getattr(importlib.import_module(module_name), function_name)
    with limits.extraction():
        if fmt == "html":  # only HTML has a charset the HTTP header may declare
            doc = extractor(data, content_type=content_type, images=images)
        elif fmt == "pdf":
            doc = _pdf(extractor, data)
        else:
            doc = extractor(data)
    return number_tables(mend_document(doc))


def _pdf(text_layer: Callable[[bytes], Document], data: bytes) -> Document:
    """A PDF through its text layer; one without any, made of page pictures, through OCR.

    The text layer is tried first so that text PDFs, nearly all of them, pay nothing for
    the scan check.
    """
    try:
        return text_layer(data)
    except ExtractionError:
        from parsers.extract.ocr_scan import extract_scanned_pdf, is_scanned

        if not is_scanned(data):
            raise
    return extract_scanned_pdf(data)
