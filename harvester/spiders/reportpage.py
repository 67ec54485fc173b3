"""Reading a fetched report page: its attachments, and the fetch as a :class:`Resource`."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url

from harvester.attachments import attachment_name
from harvester.spiders.links import element_links, html_links, link_texts, names_a_document, without_extension
from parsers.title import TitleInfo, parse_report_title
from storage.capture import CaptureStatus, Resource

# Frames that carry site furniture rather than a report body.
_FURNITURE = re.compile(r"head|foot|nav|menu|top|bottom|tianqi|weather|share|search|login|count|visit|banner", re.I)
_DOWNLOAD_SCRIPT = re.compile(r"downfile\.jsp|download\.jsp|/download/", re.I)
# The first bytes of the documents a report link may fetch itself (PDF, DOCX/XLSX, DOC/WPS/XLS, RTF).
_DOCUMENT_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf")


def is_attachment_url(url: str) -> bool:
    return attachment_name(url) is not None or bool(_DOWNLOAD_SCRIPT.search(urlsplit(url).path))


def is_web_page(response: Response) -> bool:
    """Whether what a report link fetched is a page to look for the report's documents on,
    rather than the document itself: many columns link the PDF or DOCX straight, and a
    server calling it text/plain or octet-stream makes Scrapy hand it over as text."""
    return isinstance(response, TextResponse) and not response.body[:1024].lstrip().startswith(_DOCUMENT_MAGIC)


def page_title(response: Response) -> str | None:
    """The title a report page gives itself: its ArticleTitle (the national page spec), else
    its first heading, else its <title>."""
    for query in ("//meta[@name='ArticleTitle']/@content", "//h1//text()", "//title//text()"):
        text = " ".join(" ".join(response.xpath(query).getall()).split())
        if text:
            return text
    return None


def attachment_urls(response: Response, css: str | None = None, body_css: str | None = None,
                    report: TitleInfo | None = None) -> list[str]:
    """The documents of a report page, in page order, each once: attachment files (behind
    ``href``s, ``downloadFile(…)`` calls, preview wrappers, embeds), then the on-site frames
    a body may live in. Read from the elements ``css`` selects, else from inside the
    ``body_css`` element, else from the whole page. A file whose link's text is the title of
    another report than ``report`` (another year, another agency: a "related articles" list
    of the column's reports) is not this report's.

    Without ``css`` the raw HTML is scanned rather than parsed: building the page's element
    tree only to find a few links cost more than the rest of the page's handling.
    """
    base = get_base_url(response)  # a page's <base href> names where its relative links start
    texts: dict[str, str] = {}
    if css:
        found = [link for element in response.css(css)
                 for link in element_links(str(element.root.tag), element.attrib, base)]
    else:
        html = "".join(response.css(body_css).getall()) if body_css else response.text
        found = html_links(html, base)
        texts = link_texts(html, base)
    files = [link.url for link in found if (is_attachment_url(link.url) or names_a_document(texts.get(link.url, "")))
             and not _another_report(texts.get(link.url, ""), report)]
    frames = [link.url for link in found if link.via == "frame" and _may_hold_body(link.url, response.url)]
    return list(dict.fromkeys(files + frames))


def _another_report(text: str, report: TitleInfo | None) -> bool:
    """Whether a link's text is the title of a report other than ``report``."""
    named = parse_report_title(without_extension(text)) if report is not None and text else None
    if named is None or report is None:
        return False
    if named.year != report.year:
        return True
    return bool(named.agency and report.agency and named.agency not in report.agency and report.agency not in named.agency)


def _may_hold_body(frame_url: str, page_url: str) -> bool:
    """A frame on the page's own host that is not site furniture (header, weather, share…)."""
    frame, page = urlsplit(frame_url), urlsplit(page_url)
    return frame.hostname == page.hostname and not is_attachment_url(frame_url) and not _FURNITURE.search(frame.path)


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
