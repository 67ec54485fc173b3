"""What decides whether a capture is a new version of its report: the report's content.

A version is a change of the report, not of the page. Its content is what the report says
once parsed (the metadata the report itself prints, every cell's printed value, the text of
the preamble and each section, paragraph by paragraph) together with the sha256 of each
attachment. White space is folded; nothing else is, so a digit printed full width is a
(formatting) change of the report.

When the report is the page itself, its paragraphs may carry page chrome that the body
extractor could not tell from the report (the densest block of a page in no known container
takes in footers, counters, "related articles"). Those paragraphs are judged by what the
archive has learned of the site (``storage.chrome``): a paragraph is left out of the key
when ``is_chrome`` says so. The key is therefore computed under the chrome known *now*, for
the new capture and the stored versions alike, rather than stored once and for all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from storage.capture import CaptureInput, ContentParts, ParseOutcome, whole_report
from storage.cellnames import named_cells

# Metadata the report prints. publish_date and region are left out: they come from the
# listing and the site, and portals rewrite PubDate without touching the report.
PRINTED_METADATA = ("agency", "title", "year", "template", "signed_date", "address", "phone", "email")
# Read from the page's own text when the report is the page, where a title block or a
# contact may run into chrome (a date bar above the title, a counter after 地址): the
# paragraphs they come from count, chrome left out, so these fields do not count again.
# The title is no paragraph of the body (a title block, or the heading a portal prints
# above the article): it counts as the page's first paragraph, judged as chrome as they are.
PAGE_TEXT_METADATA = ("agency", "title", "address", "phone", "email")
_DIGITS = re.compile(r"\d+")

ChromeTest = Callable[[str], bool]


def fold(text: str) -> str:
    return "".join(text.split())  # str.split's white space is the regex \s, at a third of the cost


# A site's paragraphs come back with every capture of its reports (and are hashed more than
# once a capture): remember the hashes of the recent ones. A few thousand cover a batch and
# a site's chrome; each entry holds its paragraph, so 65,536 of them cost a worker some 70 MB.
_RECENT_PARAGRAPHS = 4096


@lru_cache(maxsize=_RECENT_PARAGRAPHS)
def unit_hash(paragraph: str) -> str:
    """Identity of a paragraph (white space folded) in the chrome tables."""
    return hashlib.sha256(fold(paragraph).encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=_RECENT_PARAGRAPHS)
def shape_hash(paragraph: str) -> str:
    """A paragraph with every run of digits masked: a visit counter or a clock keeps its shape."""
    return unit_hash(_DIGITS.sub("#", fold(paragraph)))


@dataclass(frozen=True)
class ReportContent:
    """The parts of a capture that decide its version; ``page_text``: the paragraphs are the
    page's own (the report is the page), so chrome may be among them."""

    metadata: tuple[tuple[str, str], ...]
    cells: tuple[tuple[str, str], ...]
    paragraphs: tuple[tuple[int, str], ...]  # (section number, 0 = preamble; folded text)
    attachments: tuple[str, ...]
    page_text: bool
    unparsed: str | None = None  # fingerprint of bytes that did not parse

    def texts(self) -> list[str]:
        return [text for _, text in self.paragraphs]


def attachment_set(sha256s: Iterable[str]) -> tuple[str, ...]:
    """Attachments as a content compares them: their sha256s sorted, each once."""
    return tuple(sorted(set(sha256s)))


def report_content(
    report: dict[str, Any] | None, attachment_sha256s: Iterable[str], *, page_text: bool, unparsed: str | None = None
) -> ReportContent:
    attachments = attachment_set(attachment_sha256s)
    if report is None:
        return ReportContent((), (), (), attachments, page_text, unparsed or "")
    metadata = report.get("metadata") or {}
    fields = [name for name in PRINTED_METADATA if not (page_text and name in PAGE_TEXT_METADATA)]
    printed = tuple((name, fold(str(metadata[name]))) for name in fields if metadata.get(name) not in (None, ""))
    cells = tuple(sorted((c.address, fold(str(c.cell.get("raw", "")))) for c in named_cells(report)))
    paragraphs: list[tuple[int, str]] = []
    if page_text and (title := fold(str(metadata.get("title") or ""))):
        paragraphs.append((0, title))
    for number, text in [(0, report.get("preamble") or "")] + [
        (s["number"], s["heading"] + "\n" + (s["text"] or "")) for s in report.get("sections") or []
    ]:
        paragraphs.extend((number, folded) for line in text.split("\n") if (folded := fold(line)))
    return ReportContent(printed, cells, tuple(paragraphs), attachments, page_text)


def capture_content(capture: CaptureInput, attachment_shas: list[str], parse: ParseOutcome | None = None) -> ReportContent:
    """The content of a capture's parse (or of another parse of it, such as its confirmation)."""
    parse = parse or capture.parse
    assert parse is not None
    report = whole_report(parse) if parse.error is None else None
    return report_content(report, attachment_shas, page_text=is_page_text(capture, parse),
                          unparsed=parse.fingerprint if report is None else None)


def is_page_text(capture: CaptureInput, parse: ParseOutcome) -> bool:
    """Whether the parse read the page itself (not an attachment): only then can it hold chrome."""
    return (parse.document_url or capture.page.url) == capture.page.url


def _kept(content: ReportContent, is_chrome: ChromeTest) -> list[tuple[int, str]]:
    if not content.page_text:
        return list(content.paragraphs)
    return [(n, text) for n, text in content.paragraphs if not is_chrome(text)]


def content_key(content: ReportContent, is_chrome: ChromeTest = lambda _: False) -> str:
    """sha256 of the content with the paragraphs ``is_chrome`` rejects left out."""
    return parts_key(content_parts(content, shapes=False), content.attachments, is_chrome)


def fixed_key(content: ReportContent) -> str:
    """sha256 of the content without its paragraphs: what no chrome can change. Two contents
    whose fixed keys differ have different content keys under any chrome."""
    return fixed_parts_key(content_parts(content, shapes=False), content.attachments)


def content_parts(content: ReportContent, *, shapes: bool = True) -> ContentParts:
    """The content's key in parts (``storage.capture.ContentParts``), its attachments left out;
    ``shapes``: with the shape of each of the page's own paragraphs."""
    unparsed = b"unparsed:" + content.unparsed.encode("ascii") if content.unparsed is not None else b""
    # Encoded once, not a piece per cell: the same bytes.
    printed = "".join([f"\nmeta:{name}={value}" for name, value in content.metadata]
                      + [f"\ncell:{address}={raw}" for address, raw in content.cells])
    page_shapes = tuple(shape_hash(text) for text in content.texts()) if shapes and content.page_text else ()
    return ContentParts(unparsed + printed.encode(), content.paragraphs, page_shapes, content.page_text)


def parts_key(parts: ContentParts, attachments: Iterable[str], is_chrome: ChromeTest = lambda _: False) -> str:
    """The content key of the parts with these attachments (sha256s, sorted, each once)."""
    digest = hashlib.sha256(parts.head)
    for number, text in parts.paragraphs:
        if not (parts.page_text and is_chrome(text)):
            digest.update(f"\ntext:{number}:{text}".encode())
    for sha in attachments:
        digest.update(b"\nattachment:" + sha.encode("ascii"))
    return digest.hexdigest()


def fixed_parts_key(parts: ContentParts, attachments: Iterable[str]) -> str:
    """The fixed key (``fixed_key``) of the parts with these attachments."""
    return parts_key(replace(parts, paragraphs=()), attachments)


def retired_key(salt: str) -> str:
    """A key no content has: a content key hashes text that starts with ``unparsed:`` or a newline."""
    return hashlib.sha256(f"retired:{salt}".encode()).hexdigest()


def only_text_differs(new: ReportContent, old: ReportContent, is_chrome: ChromeTest) -> bool:
    """True when the two contents differ, but in paragraphs only (no cell, metadata or attachment)."""
    same_rest = (new.unparsed, new.metadata, new.cells, new.attachments) == (old.unparsed, old.metadata, old.cells, old.attachments)
    return same_rest and _kept(new, is_chrome) != _kept(old, is_chrome)
