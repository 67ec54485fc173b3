"""Reading a column's paging out of the scripts CMSes write, for the walkers.

Three shapes cover what portals print:

- TRS's ``createPageHTML(total, current, "index", "html")`` (arguments may be variables);
  page n (counting from 0) is ``index_n.html``, so the first page lists all the others;
- a page count in a variable (``var totalPage = 7``, ``pageCount: 7``) with a paging
  function whose body builds the URL (``location.href = 'index_' + n + '.shtml'``);
- ``goPage(2)``-style calls on the pager's links (``onclick`` or ``javascript:``), turned
  into URLs by that function, else by ``index_N`` naming next to the current page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

_ARG = r"""\s*['"]?([\w$.]+)['"]?\s*"""
_CREATE_PAGE = re.compile(
    rf"""createPageHTML\({_ARG},{_ARG},\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]"""
)
_COUNT_NAMES = r"(?:totalPages?|pageCount|pageTotal|countPage|page_count|totalpage|pagecount|maxPage|pages)"
_COUNT = re.compile(rf"""\b{_COUNT_NAMES}['"]?\s*[:=]\s*['"]?(\d+)""", re.I)
# 'index_' + n + '.shtml', "list.jsp?page=" + p: a URL built from a page number.
_TEMPLATE = re.compile(r"""['"]([^'"\s<>]*?)['"]\s*\+\s*\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*(?:\+\s*['"]([^'"\s<>]*)['"])?""")
_CALL = re.compile(r"""^\s*(?:javascript:)?\s*([A-Za-z_$][\w$.]*)\(\s*['"]?(\d+)['"]?\s*[,)]""")
_PAGING_FUNCTION = re.compile(r"function\s+(\w*[Pp]age\w*)\s*\(")
_INDEX_N = re.compile(r"(index)(?:_\d+)?(\.\w+)$")


@dataclass(frozen=True)
class PageTemplate:
    """How a page number becomes a URL: ``prefix + n + suffix``, relative to the list page."""

    prefix: str
    suffix: str
    first: str | None = None  # page 1's URL when it is not prefix+1+suffix (index.shtml)

    def url(self, base_url: str, page: int) -> str:
        if page == 1 and self.first is not None:
            return urljoin(base_url, self.first)
        return urljoin(base_url, f"{self.prefix}{page}{self.suffix}")


def create_page_html(text: str, url: str) -> list[str]:
    """URLs of the column's other pages from a TRS ``createPageHTML`` call, its count
    given as a number or as a variable set in the page."""
    match = _CREATE_PAGE.search(text)
    if match is None:
        return []
    total = _number(match.group(1), text)
    if total is None:
        return []
    stem, ext = match.group(3), match.group(4)
    return [urljoin(url, f"{stem}_{n}.{ext}") for n in range(1, total)]


def _number(token: str, text: str) -> int | None:
    if token.isdigit():
        return int(token)
    match = re.search(rf"""\b{re.escape(token)}\s*=\s*['"]?(\d+)""", text)
    return int(match.group(1)) if match else None


def page_count(text: str) -> int | None:
    """The page count a script keeps in a variable or option, if any."""
    counts = [int(m.group(1)) for m in _COUNT.finditer(text)]
    return max(counts) if counts else None


def page_call(script: str) -> tuple[str, int] | None:
    """``goPage(3)`` / ``javascript:turnPage('3')`` -> (function name, page number)."""
    match = _CALL.match(script)
    if match is None or match.group(1) == "void" or int(match.group(2)) < 1:
        return None
    return match.group(1), int(match.group(2))


def page_template(text: str, url: str, function: str | None = None) -> PageTemplate:
    """How this column names its pages: from the body of the paging function (``function``,
    else the first function with "page" in its name) when the page defines it
    (``function goPage(n) {… 'index_' + n + '.shtml' …}``), else ``index_N`` beside the
    current page, with ``index.EXT`` as page 1."""
    named = function or next(iter(_PAGING_FUNCTION.findall(text)), None)
    body = _function_body(text, named) if named else None
    for prefix, _variable, suffix in _TEMPLATE.findall(body or ""):
        if _looks_like_page_path(prefix, suffix):
            return PageTemplate(prefix, suffix, _first_page(body or ""))
    path = urlsplit(url).path
    match = _INDEX_N.search(path.rsplit("/", 1)[-1])
    ext = match.group(2) if match else (re.search(r"\.\w+$", path) or [".html"])[0]
    return PageTemplate("index_", ext, f"index{ext}")


def _function_body(text: str, name: str) -> str | None:
    """The text after ``function NAME(`` (or ``NAME = function(``) up to the next function."""
    simple = name.rsplit(".", 1)[-1]
    match = re.search(rf"(?:function\s+{re.escape(simple)}\s*\(|\b{re.escape(simple)}\s*[:=]\s*function\s*\()", text)
    if match is None:
        return None
    rest = text[match.end():]
    end = re.search(r"\bfunction\b", rest)
    return rest[: end.start()] if end else rest


def _looks_like_page_path(prefix: str, suffix: str) -> bool:
    return bool(prefix) and (bool(re.search(r"[_/=-]$", prefix)) and (suffix == "" or suffix.startswith((".", "&", "/"))))


def _first_page(source: str) -> str | None:
    """Page 1 when the function names it apart: ``… = 'index.shtml'``."""
    match = re.search(r"""['"]((?:\./)?index\.\w+)['"]""", source)
    return match.group(1) if match else None


def script_page_urls(text: str, url: str, calls: list[str]) -> list[str]:
    """Every list page the paging scripts of ``text`` point to: createPageHTML's pages, the
    pages a script's page count implies, and the targets of the pager's ``goPage(N)``
    ``calls`` (their onclick/javascript: texts)."""
    urls = create_page_html(text, url)
    parsed = [call for call in map(page_call, calls) if call is not None]
    function = parsed[0][0] if parsed else None
    template = page_template(text, url, function) if parsed or page_count(text) else None
    if template is None:
        return urls
    count = page_count(text) if not urls else None
    pages = {n for _, n in parsed} | (set(range(2, count + 1)) if count else set())
    return urls + [template.url(url, n) for n in sorted(pages)]
