"""Extractor for report pages: the article body of an HTML page, without the page chrome.

The body is found by the containers the common CMS families use (#zoom for Hanweb,
.TRS_Editor for TRS, #UCAP-CONTENT for Ucap, …), else by text density: from <body>, go
down into the child that holds most of the text until no child does. Navigation, footers,
share bars, counters and scripts are dropped. The page's own metadata (<meta> per the
national page spec and the 索引号/发布机构/… info table) goes to ``Document.page_meta``.
"""

from __future__ import annotations

import functools
import pickle
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

from parsers.document import Block, Document
from parsers.errors import ExtractionError
from parsers.extract.encoding import decode_html
from parsers.extract.html_tables import read_table
from parsers.extract.layout_tables import lays_out_tables
from parsers.extract.note_marks import follows_unit, is_note_mark
from parsers.limits import check_tree

_META_NAMES = ("ArticleTitle", "PubDate", "ContentSource", "SiteName", "ColumnName", "ColumnType")
_INFO_LABELS = ("索引号", "发布机构", "发文日期", "成文日期", "发布日期", "发布时间", "时间", "文号", "主题分类")
_INFO_LABEL = re.compile(r"^\s*(" + "|".join(_INFO_LABELS) + r")\s*[：:]\s*(.*?)\s*$", re.S)
_INFO_LABEL_MAX_CHARS = 80
# A bare "时间：" is the page's date only in the bar that prints its source beside it
# ("来源：平潭综合实验区管委会办公室　时间：2026-03-10 12:56"); elsewhere around the body it
# may be a list's or a clock's.
_BARE_INFO_LABELS = frozenset({"时间"})
_INFO_BAR = re.compile(r"(?:来源|发布机构)\s*[：:]")
_INFO_BAR_MAX_CHARS = 400  # the bar's markup is indented: its text holds the source's blanks
_INFO_TAGS = frozenset({"td", "th", "span", "li", "div", "p", "dt", "dd", "label", "b", "strong", "em"})
# Known body containers, most specific first: (attribute, token).
_CONTAINERS = (
    ("id", "zoom"), ("id", "Zoom"), ("class", "TRS_Editor"), ("class", "TRS_UEDITOR"), ("id", "UCAP-CONTENT"),
    ("class", "article-content"), ("class", "pages_content"), ("id", "zoomcon"), ("class", "view"),
    ("class", "article_content"), ("id", "ContentRegion"), ("class", "xxgk_content"),
)
_CONTAINER_IDS = frozenset(token for attribute, token in _CONTAINERS if attribute == "id")
_CONTAINER_CLASSES = frozenset(token for attribute, token in _CONTAINERS if attribute == "class")
# The white space XPath's normalize-space() folds, which separates class tokens.
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")
# No "form": VSB/博达 pages wrap the whole article in <form name="_newscontent_fromname">;
# a search form's inputs and buttons go all the same.
_CHROME_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "button", "select",
                "input", "object", "embed", "template", "svg", "link", "meta", "head")
_CHROME_NAME = re.compile(r"share|bdshare|jiathis|print|close|counter|visit|footer|\bnav|menu|breadcrumb|crumb|"
                          r"toolbar|fontsize|font-size|pageview|position|location|sidebar|comment", re.I)
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
                         "blockquote", "center", "pre", "dd", "dt", "dl", "main", "tr", "td", "th", "tbody",
                         "thead", "tfoot", "caption", "hr", "address", "figure", "figcaption", "body"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CELL_TAGS = ("td", "th")
_DENSITY_SHARE = 0.6
# Text a page does not show: Word writes hidden text as <span style='display:none;mso-hide:all'>,
# and "150" hidden before "151" read as 150151. Only runs of text: a portal may hide a whole
# article's block until its script shows it.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)
_RUN_TAGS = ("span", "font", "b", "i", "u", "sup", "sub", "em", "strong")
# A note's mark beside a value ("20373<sup>①</sup>" read as 203731, see ``parsers.extract.note_marks``):
# a <sup>, a run raised by its style or its class (LibreOffice's XHTML: ``.T2 { vertical-align:super }``),
# or a link to the note (Word's #_ftn1, LibreOffice's #sdfootnote1sym and #ftn1).
_RAISED_STYLE = re.compile(r"vertical-align\s*:\s*super", re.I)
_RAISED_CLASSES = re.compile(r"\.([\w-]+)\s*\{[^}]*vertical-align\s*:\s*super", re.I)
_NOTE_LINK = re.compile(r"^#(?:_?ftn|_?edn|sdfootnote|sdendnote)\d", re.I)
_WORD_SECTION = re.compile(r"^(?:Word)?Section\d+$")  # Word's "Save as Web Page" (Section1 before Word 2007)
_MIN_CONTAINER_CHARS = 20
# Zero-width characters, and control characters lxml refuses to put back into a tree.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\ufeff\ufffe\uffff" + "".join(map(chr, (*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20))))
_INVISIBLE = re.compile(f"[{re.escape(_INVISIBLE_CHARS)}]")
_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n]\s*")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# huge_tree: without it libxml2 silently cuts text nodes past 10 MB and drops everything nested
# past 256 levels; the limits module bounds both with an error instead.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)


def extract_html(data: bytes, *, content_type: str | None = None, images: Mapping[str, bytes] | None = None) -> Document:
    return page_document(read_page(data, content_type), images or {})


@dataclass
class HtmlPage:
    """An HTML page read as far as what its document is made of: the element holding the
    report (chrome dropped) and what the page says about itself around it."""

    body: etree._Element
    page_meta: dict[str, str]
    page_title: str | None

    def made_of(self) -> bytes:
        """All ``page_document`` reads, serialised: pages that differ only in chrome (a visit
        counter, a clock, a list of news) give the same bytes."""
        return pickle.dumps((etree.tostring(self.body, encoding="utf-8", with_tail=False), list(self.page_meta.items()),
                             self.page_title))


def read_page(data: bytes, content_type: str | None = None) -> HtmlPage:
    root = _page_tree(data, content_type)
    page_meta = _meta_tags(root)
    page_title = page_meta.get("ArticleTitle") or _first_text(root, "h1") or _first_text(root, "title")
    raised = _raised_classes(root)  # before the style sheets go with the chrome
    container, named = _body_container(root)
    page_meta.update(_info_table(root, container))
    _drop_named_chrome(container, named)
    for element in [e for e in container.iter(*_RUN_TAGS) if _HIDDEN_STYLE.search(e.get("style") or "")]:
        _drop(element)
    for element in [e for e in _raised_candidates(container, raised) if _raised(e, raised)]:
        if is_note_mark(text_of(element)) and not follows_unit(_text_before(element)):
            _drop(element)
    return HtmlPage(container, page_meta, page_title)


def page_document(page: HtmlPage, images: Mapping[str, bytes]) -> Document:
    """The page's document; ``images``: the pictures its body shows, by ``src``. Reads the
    body once: its tables' cells are changed as they are read."""
    blocks = _blocks(page.body, images)
    if not blocks:
        raise ExtractionError("the HTML page has no text in its body")
    return Document(blocks=blocks, source_format="html", page_meta=page.page_meta, page_title=page.page_title)


def report_body(data: bytes, content_type: str | None = None) -> etree._Element:
    """The element of an HTML page that holds its report, chrome left out: what ``extract_html`` reads."""
    return read_page(data, content_type).body


def _page_tree(data: bytes, content_type: str | None) -> etree._Element:
    text, _ = decode_html(data, content_type)
    # lxml refuses a decoded string that still declares its encoding (XHTML exports do).
    # Looked for one character at a time (a fast search each) before a regex scans the page for them
    # all: most pages hold none, and the regex's scan costs twice as much.
    if any(char in text for char in _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        # Plain etree elements: lxml.html's element classes cost a lookup per node.
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError(f"unreadable HTML: {exc}") from exc
    if root is None:
        raise ExtractionError("the HTML page has no text in its body")
    check_tree(root, len(text))
    return root


# An element with an id or a class, and the two ("" when it has none): only these can be a
# known container or name chrome.
Named = tuple[etree._Element, str, str]


def _body_container(root: etree._Element) -> tuple[etree._Element, list[Named]]:
    """Drops the page's chrome elements (from ``root``); the element holding the report, and the
    page's named elements in document order."""
    for element in list(root.iter(*_CHROME_TAGS)):
        _drop(element)
    named = _named(root)
    container = _known_container(named)
    return (_densest(root) if container is None else container), named


def _named(root: etree._Element) -> list[Named]:
    """Every element with an id or a class, in one walk shared by the container search and the chrome drop."""
    named = []
    for element in root.iter(etree.Element):
        element_id, classes = element.get("id"), element.get("class")
        if element_id is not None or classes is not None:
            named.append((element, element_id or "", classes or ""))
    return named


def _drop_named_chrome(container: etree._Element, named: list[Named]) -> None:
    """Drop the elements inside ``container`` whose id or class names chrome (``named``: the page's).

    An element holding most of the container's text is the report, whatever its name says: a
    CMS wraps the article in ``<div id="printContent">`` for its print button, and "print" names
    chrome."""
    total: int | None = None
    for element, element_id, classes in named:
        if _names_chrome(element_id, classes) and _strictly_inside(element, container):
            length = _plain_length(element)
            if length < _MIN_CONTAINER_CHARS:  # chrome as it mostly is: the body's length is not read for it
                _drop(element)
                continue
            total = _plain_length(container) if total is None else total
            if length < _DENSITY_SHARE * total:
                _drop(element)


@functools.lru_cache(maxsize=1024)
def _names_chrome(element_id: str, classes: str) -> bool:
    """Cached: a page repeats a few class names on hundreds of elements."""
    return _CHROME_NAME.search(f"{element_id} {classes}") is not None


def _strictly_inside(element: etree._Element, container: etree._Element) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def _meta_tags(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        name, content = element.get("name"), element.get("content")
        if name in _META_NAMES and content and content.strip():
            meta[name] = content.strip()
    return meta


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def _first_text(root: etree._Element, tag: str) -> str | None:
    for element in root.iter(tag):
        text = " ".join(text_of(element).split())
        if text:
            return text
    return None


def _raised_classes(root: etree._Element) -> frozenset[str]:
    """The classes the page's style sheets print as superscripts."""
    return frozenset(name for sheet in root.iter("style") for name in _RAISED_CLASSES.findall(sheet.text or ""))


# Found by XPath (in C): a Word page holds thousands of spans with long styles, few of them raised.
_RAISED_CANDIDATES = etree.XPath(
    ".//sup | .//a[starts-with(@href, '#')] | .//span[contains(@style, 'super') or contains(@style, 'SUPER')]")


def _raised_candidates(container: etree._Element, raised_classes: frozenset[str]) -> list[etree._Element]:
    """<sup>s, in-page links and spans whose style or class may raise them, each once."""
    found = _RAISED_CANDIDATES(container)
    if raised_classes:
        found += [e for e in container.iter("span") if not raised_classes.isdisjoint((e.get("class") or "").split())]
    return list(dict.fromkeys(found))


def _raised(element: etree._Element, raised_classes: frozenset[str]) -> bool:
    """Whether ``element`` (a <sup>, <span> or <a>) prints raised, or links to a note."""
    tag = element.tag
    if tag == "sup":
        return True
    if tag == "a":
        return _NOTE_LINK.match(element.get("href") or "") is not None
    classes = element.get("class")
    return bool(classes and raised_classes and not raised_classes.isdisjoint(classes.split())) or \
        _RAISED_STYLE.search(element.get("style") or "") is not None


def _text_before(element: etree._Element) -> str:
    """The text printed just before ``element`` in its parent: enough to tell a unit before a superscript."""
    previous = element.getprevious()
    if previous is None:
        parent = element.getparent()
        return (parent.text or "") if parent is not None else ""
    return previous.tail or text_of(previous)


def _drop(element: etree._Element) -> None:
    """Remove an element but keep its tail text (the text after it belongs to its parent)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _known_container(named: list[Named]) -> etree._Element | None:
    # One walk over the named elements collects the candidates of every container (an XPath
    # per container walked the tree a dozen times); they are then tried in _CONTAINERS order.
    candidates: dict[tuple[str, str], list[etree._Element]] = {}
    for element, element_id, classes in named:
        if element_id in _CONTAINER_IDS:
            candidates.setdefault(("id", element_id), []).append(element)
        for token in _container_classes(classes):
            candidates.setdefault(("class", token), []).append(element)
    for container in _CONTAINERS:
        found = [element for element in candidates.get(container, ()) if _has_chars(element, _MIN_CONTAINER_CHARS)]
        if found:
            return _joined(found)
    return None


def _joined(found: list[etree._Element]) -> etree._Element:
    """The first of ``found``, or, when the editor's container was closed and opened again
    beside it (a TRS page whose body is two ``.TRS_Editor`` divs, the second holding the
    sections after a table), one element holding the siblings from the first to the last.

    Only siblings are joined: a container of the same name elsewhere on the page (a summary
    in the header, a related article) is not the report's."""
    first = found[0]
    parent = first.getparent()
    parts = [element for element in found if element.getparent() is parent]
    if len(parts) == 1 or parent is None:
        return first
    start, end = parent.index(parts[0]), parent.index(parts[-1])
    joined = etree.Element("div")
    span = parent[start : end + 1]
    joined.tail, span[-1].tail = span[-1].tail, None
    parent.insert(start, joined)
    joined.extend(span)
    return joined


@functools.lru_cache(maxsize=1024)
def _container_classes(classes: str) -> tuple[str, ...]:
    """The class tokens of a container in ``classes``, in order; cached, a page repeats its classes."""
    return tuple(token for token in _XPATH_SPACE.split(classes) if token in _CONTAINER_CLASSES) if classes else ()


def _has_chars(element: etree._Element, count: int) -> bool:
    """Whether the element holds at least ``count`` characters that are not white space."""
    seen = 0
    for text in element.itertext():
        seen += len("".join(text.split()))
        if seen >= count:
            return True
    return False


def _plain_length(element: etree._Element) -> int:
    """Characters (white space aside) of the element's text outside links.

    Navigation is mostly links, a report body mostly not. The text is serialised by libxml2
    and the links' text taken off (a link inside a link once): no Python code runs per element.
    """
    length = _nonspace(_inner_text(element))
    nested: set[etree._Element] = set()
    for link in element.iterdescendants("a"):
        if link not in nested:
            length -= _nonspace(_inner_text(link))
            nested.update(link.iterdescendants("a"))
    return length


def _inner_text(element: etree._Element) -> str:
    """``"".join(element.itertext())``, serialised by libxml2 (ten times faster on a whole page)."""
    return etree.tostring(element, method="text", encoding=str, with_tail=False)


def _nonspace(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def _densest(root: etree._Element) -> etree._Element:
    """Go down from <body> into the child holding most of the text while one holds most of it.

    The walk stops above a data table (one without nested tables) and above a leaf
    paragraph, so a body whose report table or longest paragraph dominates is kept whole;
    and above the sections of a page Word saved (``<div class=WordSection1>``, one a page
    setup): a landscape section for the tables left the first section most of the text, and
    the tables and the sections after them were lost.
    """
    body = root.find("body")
    node = body if body is not None else root
    total = _plain_length(node)
    while total:
        # Only a child holding the share can be gone into: one whose text, links and all, is
        # under it (a Word page's hundreds of paragraphs) is passed over at a glance.
        least = _DENSITY_SHARE * total
        plain = {c: _plain_length(c) for c in node if isinstance(c.tag, str) and _holds(c, least) and _is_container(c)}
        best = max(plain, key=plain.__getitem__, default=None)
        if best is None or plain[best] < least or _WORD_SECTION.match(best.get("class") or ""):
            return node
        node, total = best, plain[best]
    return node


def _holds(element: etree._Element, least: float) -> bool:
    """Whether the element's text, links and all, has ``least`` characters besides white space."""
    text = _inner_text(element)
    return len(text) >= least and _nonspace(text) >= least


def _is_container(element: etree._Element) -> bool:
    if element.tag in ("table", "tbody", "tr", "td", "th"):
        return _holds_table(element)  # a layout table, not the report's own
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in element)


def _holds_table(element: etree._Element) -> bool:
    return next(element.iterdescendants("table"), None) is not None


def _info_table(root: etree._Element, container: etree._Element) -> dict[str, str]:
    """索引号/发布机构/发文日期/… printed around the body: "label：value" in one element or the next."""
    found: dict[str, str] = {}
    for element in _outside(root, container, _INFO_TAGS):
        text = _text_within(element, _INFO_LABEL_MAX_CHARS)
        if text is None:
            continue
        match = _INFO_LABEL.match(text)
        if not match or match.group(1) in found or (match.group(1) in _BARE_INFO_LABELS and not _in_info_bar(element)):
            continue
        value = match.group(2)
        if not value:
            sibling = element.getnext()
            value = " ".join(text_of(sibling).split()) if sibling is not None else ""
        if value:
            found[match.group(1)] = " ".join(value.split())
    return found


def _in_info_bar(element: etree._Element) -> bool:
    bar = element.getparent()
    text = _text_within(bar, _INFO_BAR_MAX_CHARS) if bar is not None else None
    return text is not None and _INFO_BAR.search(text) is not None


def _outside(root: etree._Element, container: etree._Element, tags: frozenset[str]) -> Iterator[etree._Element]:
    """The elements named ``tags`` under ``root`` in document order, ``container``'s subtree left out.

    The subtree is skipped rather than each element looked up in it: it is nearly the whole page.
    """
    walk = etree.iterwalk(root, events=("start",))
    for _, element in walk:
        if element is container:
            walk.skip_subtree()
        elif element.tag in tags:
            yield element


def _text_within(element: etree._Element, limit: int) -> str | None:
    """The element's text, or None once it is longer than ``limit``.

    Stops reading early: the elements around a page's body hold the whole page's text.
    """
    parts, length = [], 0
    for text in element.itertext():
        length += len(text)
        if length > limit:
            return None
        parts.append(text)
    return "".join(parts)


def _source_breaks(text: str) -> str:
    """Text with the line breaks of the HTML source read as the spaces a browser shows.

    Writer's HTML export wraps long lines ("4．" and the heading's words on two source lines).
    """
    return _SOURCE_BREAK.sub(" ", text) if "\n" in text or "\r" in text else text


def _blocks(container: etree._Element, images: Mapping[str, bytes]) -> list[Block]:
    reader = _BlockReader(images)
    reader.walk(container)
    reader.flush()
    return reader.blocks


class _BlockReader:
    """The blocks of a container, read in one walk. A class rather than nested functions: a
    nested function that calls itself is a reference cycle, which kept every block (and each
    table's cells) of every page alive until the garbage collector came round, and fed it
    some 1,300 objects a page to trace."""

    def __init__(self, images: Mapping[str, bytes]) -> None:
        self.images = images
        self.blocks: list[Block] = []
        self.line: list[str] = []
        self.kind = "paragraph"

    def flush(self) -> None:
        if self.line:
            text = "".join(self.line).strip()
            if text:
                self.blocks.append(Block(self.kind, text=text))
            self.line.clear()
        self.kind = "paragraph"

    def walk(self, element: etree._Element) -> None:
        tag = element.tag  # a comment's is a function: in none of the sets below
        if tag == "table" and not lays_out_tables(element, "table", _CELL_TAGS):
            self.flush()
            table = read_table(element)
            if table.rows:
                self.blocks.append(Block("table", table=table))
        elif tag == "br":
            self.flush()
        elif tag == "img":
            if element.get("src") in self.images:  # a table published as a picture
                from parsers.extract.ocr_scan import image_blocks

                self.flush()
                self.blocks.extend(image_blocks(self.images[element.get("src")]))
        else:
            block = tag in _BLOCK_TAGS or tag == "table"
            if block:
                self.flush()
                if tag in _HEADING_TAGS:
                    self.kind = "heading"
            line = self.line
            if element.text:
                line.append(_source_breaks(element.text))
            for child in element:
                self.walk(child)
                if child.tail:
                    line.append(_source_breaks(child.tail))
            if block:
                self.flush()
