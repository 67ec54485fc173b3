"""How much a PDF's compressed streams inflate to, measured before a reader inflates them.

pdfium and pdfminer inflate a content stream whole, however big it says it is not: a few
hundred kilobytes of Flate data can stand for gigabytes of zeros. Each stream is inflated
here in bounded steps, counting only, and the count stops at the pdf_stream_bytes limit.
Streams that are not Flate data (images in DCT, plain text) fail to inflate and are left to
the readers; image streams are skipped, because reading text never inflates them (a scanned
report's page images would otherwise count for hundreds of megabytes).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from parsers import limits
from parsers.limits import check

_STREAM_START = re.compile(rb"stream\r?\n")
_STREAM_END = b"endstream"
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_STEP = 1024 * 1024  # bytes inflated at a time
# Deflate spends at least two bits on a run of 258 bytes, so no Flate stream inflates to more
# than 1032 times its size (the zlib FAQ's maximum compression factor).
_MOST_INFLATION = 1032


def check_stream_sizes(data: bytes) -> None:
    """Raise LimitExceeded when the Flate streams of ``data`` inflate past pdf_stream_bytes.

    Counting stops where the streams left are too small to reach the limit however they
    inflate (a report's few hundred kilobytes are, from the start).
    """
    spans = list(_stream_spans(data))
    budget = limits.LIMITS.pdf_stream_bytes
    most_left = sum(_MOST_INFLATION * (end - start + 1) for start, end in spans)  # what the streams not counted may inflate to
    total = 0
    for start, end in spans:
        if total + most_left <= budget:
            return
        most_left -= _MOST_INFLATION * (end - start + 1)
        total += _inflated_size(data[start:end], budget - total + 1)
        check("pdf_stream_bytes", total)


def _stream_spans(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of the data of every stream that is not an image."""
    for match in _STREAM_START.finditer(data):
        if data[match.start() - 3 : match.start()] == b"end":
            continue  # the "stream" of an "endstream" that ends a line
        if _IMAGE.search(data, data.rfind(b" obj", 0, match.start()) + 1, match.start()):
            continue
        end = data.find(_STREAM_END, match.end())
        yield match.end(), end if end != -1 else len(data)


def _inflated_size(raw: bytes, budget: int) -> int:
    """Bytes ``raw`` inflates to, counting no further than ``budget``; 0 when it is not Flate data."""
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending and size < budget:
            size += len(inflater.decompress(pending, min(_STEP, budget - size)))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return size
    return size
