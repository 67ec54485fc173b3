"""Marks stamped over every page of a PDF, as PDF tools' 添加水印 stamps them (reportlab draws the
stamp, pikepdf lays it over each page)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pikepdf


def cjk_font() -> str:
    """reportlab's CJK font (not embedded, as PDF tools' stamps often name a system font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def stamped(data: bytes, draw: Callable[[Any, float, float], None]) -> bytes:
    """``data`` with what ``draw(canvas, width, height)`` draws laid over every page."""
    from reportlab.pdfgen import canvas

    pdf = pikepdf.open(io.BytesIO(data))
    width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    stamp = io.BytesIO()
    sheet = canvas.Canvas(stamp, pagesize=(width, height))
    draw(sheet, width, height)
    sheet.showPage()
    sheet.save()
    overlay = pikepdf.open(io.BytesIO(stamp.getvalue()))
    for page in pdf.pages:
        page.add_overlay(overlay.pages[0])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
