"""Finding URLs wherever portals put them: plain ``href``s, ``onclick``/``javascript:`` calls
(``downloadFile('/uploadfile/….pdf')``, ``window.open(…)``, ``location.href='…'``), the
sources of ``<iframe>``/``<frame>``/``<embed>``/``<object>``, and the files that PDF.js and
Office preview wrappers show (``viewer.html?file=%2F….pdf``: the file, not the viewer).

Everything here works on plain strings and attribute mappings, so the list walkers (element
trees, for link texts) and the report-page reader (a scan of the raw HTML, cheaper than a
tree) read links the same way.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

# Where an element keeps the URL it leads to, and what kind of link that makes.
URL_ATTRIBUTES = (("href", "href"), ("src", "frame"), ("data", "object"))
SCRIPT_ATTRIBUTES = ("onclick", "ondblclick", "data-href", "data-url")
FRAME_TAGS = frozenset({"iframe", "frame"})
EMBED_TAGS = frozenset({"embed", "object"})

# A quoted string in a script that can only be a path or URL: it starts like one or ends in
# a page or document extension, and has no white space, markup or template braces in it.
_QUOTED = re.compile(r"""(['"])((?:https?://|\.{0,2}/)[^'"\s<>{}]*|[^'"\s<>{}/]+\.(?:s?html?|jsp|aspx?|php|pdf|docx?|wps|xlsx?|rtf|ofd)(?:\?[^'"\s<>{}]*)?)\1""", re.I)
# Preview wrappers: PDF.js (viewer.html?file=), Office Online (view.aspx?src=), kkFileView
# (onlinePreview?url=BASE64), ow365 (?furl=/?i=) and the CMSes' own preview pages.
_WRAPPER = re.compile(r"viewer\.html?$|/op/view\.aspx$|onlinepreview|/preview|ow365\.|fileview|docview|pdfview", re.I)
# The same names anywhere in a URL: a URL without any is no wrapper, known without splitting it
# (a wrapper's host and path are a part of its URL), unless it has what urlsplit takes out
# (tabs, line breaks) or may refuse (brackets of an IPv6 host).
_WRAPPER_NAMES = re.compile(_WRAPPER.pattern.replace("$", ""), re.I)
_SPLIT_FIRST = re.compile(r"[\t\r\n\[\]]")
_WRAPPED_KEYS = ("file", "src", "url", "furl", "fileurl", "filepath")
_DOCUMENT_EXTENSION = re.compile(r"\.(pdf|docx?|wps|xlsx?|rtf|ofd)$", re.I)
# An opening tag and its attributes, for scanning raw HTML without building a tree.
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
# The lookahead turns most tags (p, span, td, o:p…) away at their first letter: trying the
# whole case-blind alternation at every "<" of a page made this scan the page's dearest.
_LINK_TAG = re.compile(r"<(?=[aAiIfFeEoO])(?:a|area|i?frame|embed|object)[\s>]", re.I)
# Script attributes as portals spell them (HTML is case-blind; these are the spellings seen),
# by a piece of them the page is searched for and where each spelling starts before it: one
# search of the page per piece rather than per spelling.
_SCRIPT_NEEDLES = {
    "lick": (("onclick", 3), ("onClick", 3), ("ondblclick", 6), ("onDblClick", 6)),
    "LICK": (("ONCLICK", 3),),
    "data-": (("data-href", 0), ("data-url", 0)),
}
# A link with its text, the text short as a file name shown for download is.
_ANCHOR = re.compile(r"<a\s([^<>]*)>((?:(?!</a\s*>).){1,300}?)</a\s*>", re.I | re.S)
_MARKUP = re.compile(r"<[^<>]*>")
_SCRIPT_BLOCK = re.compile(r"<(?=[sS])script\b[^>]*>(.*?)</script\s*>", re.I | re.S)


@dataclass(frozen=True)
class Link:
    url: str  # absolute, with any preview wrapper taken off
    via: str  # href | script | frame | object: where the page kept it


def script_targets(code: str) -> list[str]:
    """The quoted paths and URLs in a bit of script, in order: ``downloadFile('/a/b.pdf')``,
    ``window.open("x.shtml")``, ``location.href='…'``.

    A bare file name next to a path is the name shown for it
    (``downloadFile('/uploadfile/1.pdf', '年度报告.pdf')``), not a second link.
    """
    found = [match.group(2) for match in _QUOTED.finditer(unescape(code))]
    with_path = [target for target in found if "/" in target]
    return with_path or found


def unwrap_viewer(url: str) -> str:
    """The document a preview wrapper shows, else ``url`` itself.

    Only a wrapper (its host or path names a viewer) is taken off: a download script's
    ``?file=a.pdf`` is the way to the file, not a wrapper around it. kkFileView's
    base64-encoded ``url`` is decoded.
    """
    if not _WRAPPER_NAMES.search(url) and not _SPLIT_FIRST.search(url):
        return url
    parts = urlsplit(url)
    if not _WRAPPER.search(parts.netloc + parts.path):
        return url
    for key, value in parse_qsl(parts.query):
        if key.lower() in _WRAPPED_KEYS and value.strip():
            target = _base64_url(value.strip()) or value.strip()
            if _looks_like_url(target) or _DOCUMENT_EXTENSION.search(urlsplit(target).path):
                return urljoin(url, target)
    return url


def _looks_like_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "/", "./", "../")) and not any(c in value for c in " <>{}")


def _base64_url(value: str) -> str | None:
    try:
        text = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return text if text.startswith(("http://", "https://")) else None


def element_links(tag: str, attributes: Mapping[str, str], base_url: str) -> list[Link]:
    """The links one element carries, in the order a reader would meet them.

    ``href`` (``javascript:`` ones read as script), ``src`` of frames, ``data``/``src`` of
    embedded objects, then the script of ``onclick`` and ``data-url``-style attributes.
    """
    tag = tag.lower()
    found: list[tuple[str, str]] = []
    href = attributes.get("href", "").strip()
    if href.lower().startswith("javascript:"):
        found.extend((target, "script") for target in script_targets(href))
    elif href and not href.startswith(("#", "mailto:", "tel:")):
        found.append((href, "href"))
    if tag in FRAME_TAGS and attributes.get("src"):
        found.append((attributes["src"].strip(), "frame"))
    if tag in EMBED_TAGS:
        found.extend((attributes[key].strip(), "object") for key in ("data", "src") if attributes.get(key))
    for key in SCRIPT_ATTRIBUTES:
        if attributes.get(key):
            found.extend((target, "script") for target in script_targets(attributes[key]))
    links = []
    for raw, via in found:
        if "{{" in raw or raw.lower().startswith(("javascript:", "about:", "data:")):
            continue  # a template placeholder or no resource at all
        url = unwrap_viewer(urljoin(base_url, unescape(raw)))
        if url.startswith(("http://", "https://")):
            links.append(Link(url.split("#", 1)[0], via))
    return links


def tags(html: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Every opening tag of ``html`` that can carry a link, in page order, with its
    attributes (names lower-cased, values unescaped).

    Link tags are found by one regular expression and other tags through their script
    attributes by plain substring search: a case-blind regular expression over every tag
    of a 100 KB portal page cost tens of milliseconds, a hundred times these.
    """
    starts = {match.start() for match in _LINK_TAG.finditer(html)}
    for piece, spellings in _SCRIPT_NEEDLES.items():
        found = html.find(piece)
        while found != -1:
            for spelling, before in spellings:
                if found >= before and html.startswith(spelling, found - before):
                    starts.add(html.rfind("<", 0, found - before))
            found = html.find(piece, found + 1)
    for start in sorted(starts - {-1}):
        match = _TAG.match(html, start)
        if match is None:
            continue
        yield match.group(1).lower(), _attributes(match.group(2))


def _attributes(markup: str) -> dict[str, str]:
    """The attributes of a tag's markup, names lower-cased, values unescaped, the first of a name kept."""
    attributes: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTE.findall(markup):
        attributes.setdefault(name.lower(), unescape(double or single or bare))
    return attributes


def html_links(html: str, base_url: str) -> list[Link]:
    """Every link of a piece of HTML, each URL once, in page order; inline scripts add the
    document URLs they name (``var fileUrl = "/uploadfile/….pdf"``)."""
    blocks = list(_SCRIPT_BLOCK.finditer(html))
    links: list[Link] = []
    for tag, attributes in tags(_without(html, blocks)):
        links.extend(element_links(tag, attributes, base_url))
    for code in (block.group(1) for block in blocks):
        for target in script_targets(code):
            url = unwrap_viewer(urljoin(base_url, target))
            if _DOCUMENT_EXTENSION.search(urlsplit(url).path):
                links.append(Link(url, "script"))
    return unique(links)


def link_texts(html: str, base_url: str) -> dict[str, str]:
    """The text of the links that name a document or a report (white space taken out) by their
    URL, the first link's where two share one: a report's file is often known by its link's
    text only ("附件：2022年度报告.docx" behind ``getFile.do?fileId=…``), and a list of other
    reports by theirs."""
    texts: dict[str, str] = {}
    for match in _ANCHOR.finditer(html):
        text = "".join(unescape(_MARKUP.sub("", match.group(2))).split())
        if names_a_document(text) or "报告" in text or "年报" in text:
            for link in element_links("a", _attributes(match.group(1)), base_url):
                texts.setdefault(link.url, text)
    return texts


def names_a_document(text: str) -> bool:
    """Whether a link's text is a document file's name ("2022年度报告.pdf")."""
    return _DOCUMENT_EXTENSION.search(text) is not None


def without_extension(text: str) -> str:
    return _DOCUMENT_EXTENSION.sub("", text)


def _without(html: str, blocks: list[re.Match[str]]) -> str:
    """``html`` with ``blocks`` (in page order, not overlapping) cut out."""
    if not blocks:
        return html
    kept, end = [], 0
    for block in blocks:
        kept.append(html[end:block.start()])
        end = block.end()
    kept.append(html[end:])
    return "".join(kept)


def unique(links: list[Link]) -> list[Link]:
    seen: set[str] = set()
    kept = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            kept.append(link)
    return kept
