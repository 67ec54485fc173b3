"""The pictures of a report page's body that may be tables: which to fetch, and how to hand
them back to the parser.

An editor who cannot paste a Word table into the CMS pastes its picture; the page's body then
shows the table as an ``<img>``. Only pictures inside the report's body count (the element
``extract_html`` reads), and only those big enough to hold a table: logos, icons, spacer
GIFs and share buttons are skipped by the size the page gives them or, once fetched, by the
size their header declares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import struct
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from parsers.errors import ExtractionError
from parsers.extract.html import report_body
from parsers.extract.sniff import is_picture

# The smallest table (two rows of a label and a number) drawn at screen size is wider and
# taller than this; icons and buttons are not.
MIN_TABLE_SIDE_PX = 80


@dataclass(frozen=True)
class PageImage:
    src: str  # as the page writes it: the key ``parse_bytes(images=…)`` expects
    url: str  # absolute, to fetch


def body_images(page: bytes, page_url: str, content_type: str | None = None) -> list[PageImage]:
    """The pictures of the page's report body that may be tables, in page order, each once.

    A picture whose ``width`` or ``height`` attribute is under ``MIN_TABLE_SIDE_PX`` is left
    out, as are inline ``data:`` pictures (nothing to fetch) and pictures of other schemes.
    """
    try:
        body = report_body(page, content_type)
    except ExtractionError:
        return []
    found: dict[str, PageImage] = {}
    for element in body.iter("img"):
        src = (element.get("src") or "").strip()
        if not src or src in found or _drawn_small(element.get("width"), element.get("height")):
            continue
        url = urljoin(page_url, src)
        if urlsplit(url).scheme in ("http", "https"):
            found[src] = PageImage(src, url)
    return list(found.values())


def _drawn_small(*sides: str | None) -> bool:
    for side in sides:
        digits = (side or "").strip().removesuffix("px")
        if digits.isdigit() and int(digits) < MIN_TABLE_SIDE_PX:
            return True
    return False


def is_small_picture(data: bytes) -> bool:
    """True when the bytes' header declares a picture too small to hold a table, or they are
    no picture at all (an error page served with 200)."""
    from PIL import Image, UnidentifiedImageError

    try:
        width, height = Image.open(BytesIO(data)).size  # reads the header only
    except (UnidentifiedImageError, OSError, ValueError, ArithmeticError, IndexError, struct.error):
        return True  # Pillow's format plugins raise what their arithmetic raises on a broken header (a WMF's frame of 0)
    return min(width, height) < MIN_TABLE_SIDE_PX


def fetched_pictures(
    page: bytes, page_url: str, bodies: Mapping[str, bytes], content_type: str | None = None
) -> dict[PageImage, bytes]:
    """The page's body pictures that were fetched (``bodies``: bytes by absolute URL), with their bytes.

    The page is read only when some of ``bodies`` are pictures: most captures' attachments are documents.
    """
    bodies = {url: data for url, data in bodies.items() if is_picture(data)}
    if not bodies:
        return {}
    return {image: bodies[image.url] for image in body_images(page, page_url, content_type) if image.url in bodies}


def images_by_src(pictures: Mapping[PageImage, bytes]) -> dict[str, bytes]:
    """The ``images`` argument of ``parse_bytes``."""
    return {image.src: data for image, data in pictures.items()}
