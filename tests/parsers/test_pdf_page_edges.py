"""The ruling edges ``pdf_page._edges`` reads (matrix and points through one float buffer each)
are those the paths' points give read one ctypes field at a time through pypdfium2."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.extract import pdf_page

REAL_PDF = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "huaian_szf_2024.pdf"


def _reference_edges(path: Any, height: float) -> list[dict[str, Any]]:
    matrix = path.get_matrix()
    edges: list[dict[str, Any]] = []
    start = current = None
    for index in range(pdfium_c.FPDFPath_CountSegments(path.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path.raw, index)
        x, y = ctypes.c_float(), ctypes.c_float()
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (matrix.a * x.value + matrix.c * y.value + matrix.e, height - (matrix.b * x.value + matrix.d * y.value + matrix.f))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            pdf_page._add_edge(edges, current, point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            pdf_page._add_edge(edges, point, start)
        current = point
    return edges


def test_the_edges_of_every_visible_path_of_the_agencys_pdf_are_read_as_its_points_give_them() -> None:
    document = pdfium.PdfDocument(REAL_PDF.read_bytes())
    checked = 0
    for page in document:
        height = page.get_height()
        for path in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
            edges = pdf_page._edges([ctypes.cast(path.raw, ctypes.c_void_p).value], height)
            if edges:
                assert edges == _reference_edges(path, height)
                checked += 1
    assert checked > 50
