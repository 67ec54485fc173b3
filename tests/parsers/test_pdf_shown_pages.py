"""PDF pages read as they are shown: a page stored turned and shown upright by /Rotate, and a
scan whose pictures lie under an invisible OCR text layer or a download stamp."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from parsers.api import parse_bytes
from real_documents import table_cells

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
SEED_PDF = DOCUMENTS / "002_133ea6e3b8938548.pdf"  # LibreOffice's export of seed 002


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _pages(data: bytes, keep: range) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    for index in reversed(range(len(pdf.pages))):
        if index not in keep:
            del pdf.pages[index]
    return _saved(pdf)


def _as_form(pdf: pikepdf.Pdf, page: pikepdf.Page) -> pikepdf.Stream:
    """The page's drawing as a Form XObject of its own (pikepdf's shares the page's content stream)."""
    return pdf.make_stream(page.obj.Contents.read_bytes() if isinstance(page.obj.Contents, pikepdf.Stream)
                           else b"\n".join(part.read_bytes() for part in page.obj.Contents),
                           Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=page.mediabox,
                           Resources=page.obj.Resources)


def _stored_turned(data: bytes) -> bytes:
    """Each page stored a quarter turn anticlockwise on a page of the other orientation and
    shown upright by /Rotate 90, as print drivers store landscape pages."""
    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        width, height = float(page.mediabox[2]), float(page.mediabox[3])
        page.contents_coalesce()
        page.obj.Contents = pdf.make_stream(f"q 0 1 -1 0 {height} 0 cm\n".encode() + page.obj.Contents.read_bytes() + b"\nQ")
        page.mediabox = [0, 0, height, width]
        page.Rotate = 90
    return _saved(pdf)


def _scanned_under_text(data: bytes, stamp_only: bool = False) -> bytes:
    """Each page a 150-dpi picture of itself with its text over it invisible (render mode 3),
    as OCR software saves a scan; or with only a visible download stamp over it."""
    drawn = pdfium.PdfDocument(data)
    pdf = pikepdf.open(io.BytesIO(data))
    for number, page in enumerate(pdf.pages):
        image = drawn[number].render(scale=150 / 72).to_pil().convert("RGB")
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=85)
        picture = pikepdf.Stream(pdf, jpeg.getvalue(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                 Width=image.width, Height=image.height, ColorSpace=pikepdf.Name.DeviceRGB,
                                 BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode)
        width, height = float(page.mediabox[2]), float(page.mediabox[3])
        objects = pikepdf.Dictionary(Scan=picture)
        resources = pikepdf.Dictionary(XObject=objects)
        if stamp_only:
            resources.Font = pikepdf.Dictionary(Stamp=pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
            text = "BT /Stamp 8 Tf 36 20 Td (Downloaded 2026-12-01 10:22:31 from www.gov.test) Tj ET"
        else:
            objects.Layer = _as_form(pdf, page)
            text = "q 3 Tr /Layer Do Q"
        page.obj.Resources = resources
        page.obj.Contents = pdf.make_stream(f"q {width} 0 0 {height} 0 0 cm /Scan Do Q {text}".encode())
    return _saved(pdf)


def _cells(data: bytes) -> tuple[str, dict]:
    doc, report = parse_bytes(data, filename="report.pdf")
    return doc.source_format, table_cells(report.to_dict())


def test_pages_stored_turned_read_as_shown() -> None:
    data = SEED_PDF.read_bytes()
    assert _cells(_stored_turned(data)) == _cells(data)


def test_a_scan_under_an_ocr_text_layer_or_a_stamp_is_read_from_its_pictures() -> None:
    tables = _pages(SEED_PDF.read_bytes(), range(1, 2))  # the page of table 3
    source, printed = _cells(tables)
    assert source == "pdf" and printed
    for scan in (_scanned_under_text(tables), _scanned_under_text(tables, stamp_only=True)):
        kind, read = _cells(scan)
        assert kind == "pdf-scan"
        assert {k: v for k, v in read.items() if k.startswith("T3/")} == \
            {k: v for k, v in printed.items() if k.startswith("T3/")}
