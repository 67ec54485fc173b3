"""Reading a fetched report page: its attachments, and the fetch as a :class:`Resource`."""

from __future__ import annotations

import re
from html import unescape
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

from scrapy.http import Response

from storage.capture import CaptureStatus, Resource

ATTACHMENT_EXTENSIONS = (".doc", ".docx", ".pdf", ".wps", ".xls", ".xlsx", ".rtf")
_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"'>]+)["']""", re.I)
_DOWNLOAD_SCRIPT = re.compile(r"downfile\.jsp|download\.jsp|/download/", re.I)


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


def is_attachment_url(url: str) -> bool:
    return attachment_name(url) is not None or bool(_DOWNLOAD_SCRIPT.search(urlsplit(url).path))


def attachment_urls(response: Response, css: str | None = None, body_css: str | None = None) -> list[str]:
    """Attachment links of a report page, in page order, each once: the links ``css``
    selects, else those inside the ``body_css`` element, else those of the whole page.

    Without a selector the hrefs are read with a regular expression: building the page's
    element tree only to find a few links cost more than the rest of the page's handling.
    """
    if css:
        hrefs = response.css(css).xpath("@href").getall()
    else:
        html = "".join(response.css(body_css).getall()) if body_css else response.text
        hrefs = [unescape(match.group(1)) for match in _HREF.finditer(html)]
    urls: list[str] = []
    for href in hrefs:
        url = response.urljoin(href.strip())
        if url.startswith("http") and is_attachment_url(url) and url not in urls:
            urls.append(url)
    return urls


def requested_url(response: Response) -> str:
    """The URL the spider asked for (before redirects): a report's identity in the archive."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def resource_from_response(response: Response) -> Resource:
    not_modified = response.status == 304
    return Resource(
        url=requested_url(response),
        http_status=response.status,
        fetched_at=datetime.now(UTC),
        body=None if not_modified else response.body,
        content_type=_header(response, b"Content-Type"),
        etag=_header(response, b"ETag"),
        last_modified=_header(response, b"Last-Modified"),
        status="not_modified" if not_modified else "ok",
    )


def failed_resource(url: str, status: CaptureStatus, error: str, http_status: int = 0) -> Resource:
    return Resource(url=url, http_status=http_status, fetched_at=datetime.now(UTC), status=status, error=error)
