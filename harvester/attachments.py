"""Which URLs name a report's attachment file, and the file name they stand for.

Apart from the spiders because parse workers need the names too, and they must not import
Scrapy (see ``harvester.pipelines.capture_parse``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

ATTACHMENT_EXTENSIONS = (".doc", ".docx", ".pdf", ".wps", ".xls", ".xlsx", ".rtf")


def attachment_name(url: str) -> str | None:
    """The file name an attachment URL stands for (``downfile.jsp?filename=HEX.docx`` included)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.lower().endswith(ATTACHMENT_EXTENSIONS):
        return path.rsplit("/", 1)[-1]
    for values in parse_qs(parts.query).values():
        for value in values:
            if value.lower().endswith(ATTACHMENT_EXTENSIONS):
                return value.rsplit("/", 1)[-1]
    return None
