"""Content a Word file imports whole (``w:altChunk``): an HTML page, another Word file, a
MIME (.mht) page, which Word reads in where the chunk stands when it opens the file.

Office systems that assemble reports from HTML write them so; left unread, everything after
the title was lost, with no finding. Each chunk is read by this package's own reader for
its format, its blocks put where it stands.
"""

from __future__ import annotations

import email
import re
import zipfile
from email.message import Message

from parsers.document import Block
from parsers.errors import ExtractionError
from parsers.extract.docx_package import document_relationships
from parsers.limits import read_zip_member

_CHUNK_IDS = re.compile(rb'<(?:\w+:)?altChunk\b[^>]*?\bid="([^"]+)"')


def alt_chunks(archive: zipfile.ZipFile, main: str, xml: bytes) -> dict[str, list[Block]]:
    """What each chunk the main document ``main`` (its XML ``xml``) imports holds, by
    relationship id (a chunk that cannot be read holds nothing)."""
    members = document_relationships(archive, main)
    chunks = {}
    for relationship in {found.decode("ascii", "replace") for found in _CHUNK_IDS.findall(xml)}:
        member = members.get(relationship)
        if member is not None and member in archive.namelist():
            chunks[relationship] = _chunk_blocks(read_zip_member(archive, member))
    return chunks


def _chunk_blocks(data: bytes) -> list[Block]:
    from parsers.extract.docx import extract_docx
    from parsers.extract.html import extract_html

    try:
        if data[:2] == b"PK":
            return extract_docx(data).blocks
        head = data[:2048].lower()
        if b"mime-version" in head:
            html = _mime_html(data)
            return extract_html(html).blocks if html else []
        return extract_html(data).blocks
    except ExtractionError:
        return []


def _mime_html(data: bytes) -> bytes | None:
    """The HTML part of a MIME (.mht) page."""
    message = email.message_from_bytes(data)
    for part in message.walk() if message.is_multipart() else [message]:
        if isinstance(part, Message) and part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else None
    return None
