"""What a list page yields, and reading links with their titles and dates out of HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsel import Selector
from scrapy.http import Request

from harvester.control_chars import without_controls
from harvester.spiders.links import element_links
from harvester.spiders.written import written_markup

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ListingLink:
    url: str
    title: str
    date: str | None = None  # ISO YYYY-MM-DD as printed next to the link


@dataclass
class ListPage:
    links: list[ListingLink] = field(default_factory=list)
    next_requests: list[Request] = field(default_factory=list)


def iso_date(text: str | None) -> str | None:
    match = _DATE.search(text or "")
    if match is None:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def clean_text(text: str) -> str:
    # Stored and shown as the report's title until its page is read.
    return _SPACE.sub(" ", without_controls(text)).strip()


def page_links(html: str, selector: Selector, base_url: str, css: str | None = None) -> list[ListingLink]:
    """``links_in`` the page, then in the markup its scripts write (TRS's ``document.write`` list items)."""
    links = links_in(selector, base_url, css)
    written = written_markup(html)
    return links + links_in(Selector(text=written), base_url, css) if written else links


def links_in(selector: Selector, base_url: str, css: str | None = None) -> list[ListingLink]:
    """Every link (or those of the elements ``css`` matches) with its title and the date
    printed beside it, wherever the element keeps its URL (``href``, ``onclick``,
    ``javascript:``; see :mod:`harvester.spiders.links`).

    The title is the ``title`` attribute when present (list pages often truncate the text),
    else the link text; the date is looked for in the link's row (its ``li``/``tr``/parent).
    """
    elements = selector.css(css) if css else selector.xpath("//a | //area | //*[@onclick and not(self::a)]")
    links = []
    for element in elements:
        found = element_links(str(element.root.tag), element.attrib, base_url)
        if not found:
            continue
        title = clean_text(element.attrib.get("title") or " ".join(element.xpath(".//text()").getall()))
        row = element.xpath("ancestor-or-self::*[self::li or self::tr][1]") or element.xpath("..")
        row_text = " ".join(row.xpath(".//text()").getall()) if row else ""
        links.append(ListingLink(found[0].url, title, iso_date(row_text.replace(title, ""))))
    return links
