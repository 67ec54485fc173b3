"""Table pictures of a report page: which ``<img>`` the spider fetches with the capture, and
which of the fetched ones it keeps.

A report whose tables the editor pasted as pictures has its numbers only in those pictures,
so they belong to the capture like attachments do: fetched conditionally, stored as the
version's attachments (a changed picture is a new version, an unchanged one is not) and
handed to the parser as ``images=`` (``harvester.pipelines.capture_parse``). Only pictures in the
report's body on the crawl's own hosts are fetched, at most ``HARVESTER_TABLE_PICTURES`` per
page and ``HARVESTER_TABLE_PICTURE_BYTES`` each; icons and logos are skipped by their size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from parsers.extract.page_images import body_images, is_small_picture

PICTURE_META = "table_picture"
# A picture the page names but the server no longer has leaves nothing to read: the page
# shows a broken picture, and so does every later fetch, so no version hangs on it.
_GONE = (404, 410)


def picture_urls(response: Response, on_site: Callable[[str], bool], limit: int) -> list[str]:
    """The absolute URLs of the pictures in the report body of an HTML page that may be tables."""
    if limit <= 0 or not isinstance(response, TextResponse) or b"<img" not in response.body.lower():
        return []
    content_type = response.headers.get(b"Content-Type")
    found = body_images(response.body, get_base_url(response), content_type.decode("latin-1") if content_type else None)
    return [image.url for image in found if on_site(image.url)][:limit]


def picture_meta(meta: dict[str, Any], max_bytes: int) -> dict[str, Any]:
    """The meta of a picture request: marked as one, and held to the pictures' size limit."""
    return {**meta, PICTURE_META: True, "download_maxsize": max_bytes}


def is_picture(meta: dict[str, Any]) -> bool:
    return bool(meta.get(PICTURE_META))


def worth_keeping(response: Response) -> bool:
    """A fetched picture big enough to be a table (a 304 was one last time)."""
    return response.status == 304 or not is_small_picture(response.body)


def left_out(failure: Failure) -> bool:
    """A picture that failed for good: gone from the server, or past the pictures' size limit
    (Scrapy cancels the download, announced or as it runs over). No table is read from it,
    now or on any later crawl, so the capture goes on without it."""
    if failure.check(HttpError):
        return failure.value.response.status in _GONE
    return bool(failure.check(DownloadCancelledError, CancelledError))
