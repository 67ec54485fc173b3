"""Whether two files are the same document, whatever their writer stamped on them when saving.

Saving a file again changes bytes that are not the document: a PDF exported twice by the same
program gets a new /CreationDate, /ModDate, /ID and XMP packet (and LibreOffice a new
/DocChecksum), a Word file saved again a new docProps/core.xml and other times and order of
its ZIP entries; some portals stamp the download time into each PDF they serve. Those bytes
are left out of the digest, so that re-saving a report makes no version; anything else in
the file (text, tables, pictures, fonts) still does.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from io import BytesIO

# What a PDF writer stamps on each save: the dates, the file's identifiers, the metadata packet,
# and the cross-reference offsets, which move when a stamp's length changes.
_PDF_STAMPS = re.compile(
    rb"/(?:CreationDate|ModDate)\s*\((?:\\.|[^\\)])*\)"
    rb"|/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]"
    rb"|/DocChecksum\s*/[0-9A-Fa-f]+"
    rb"|<\?xpacket begin.*?<\?xpacket end[^>]*\?>"
    rb"|\bxref\s+(?:\d+\s+\d+\s+(?:\d{10}\s+\d{5}\s+[fn]\s*)+)+"
    rb"|startxref\s+\d+"
    rb"|/Length\s+\d+",
    re.S,
)
_ZIP_MAGIC = b"PK\x03\x04"
# Parts of an Office document that describe the file, not its content.
_ZIP_STAMPS = ("docProps/",)


def document_digest(data: bytes) -> str:
    """sha256 of the document in ``data``, its writer's save stamps left out."""
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return hashlib.sha256(_PDF_STAMPS.sub(b"", data)).hexdigest()
    if data.startswith(_ZIP_MAGIC):
        entries = _zip_entries(data)
        if entries is not None:
            return hashlib.sha256(repr(entries).encode()).hexdigest()
    return hashlib.sha256(data).hexdigest()


def _zip_entries(data: bytes) -> list[tuple[str, int, int]] | None:
    """The archive's entries (name, CRC-32, size) in name order, its file stamps left out; None
    when it is no readable ZIP."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    return sorted((info.filename, info.CRC, info.file_size) for info in infos if not info.filename.startswith(_ZIP_STAMPS))
