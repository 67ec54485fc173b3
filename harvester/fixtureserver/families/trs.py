"""TRS WCM: static list pages index.html, index_1.html, … and articles ./YYYYMM/tYYYYMMDD_ID.html.

The page count comes from the ``createPageHTML(total, current, "index", "html")`` call in
each list page (0-based: index.html is page 0). Reports are attachments linked from the
article's .TRS_Editor body, named P0YYYYMMDD….ext next to the article.
"""

from __future__ import annotations

import html
import math
import posixpath

from harvester.fixtureserver.answer import Answer
from harvester.fixtureserver.chrome import page_html, portal_chrome
from harvester.fixtureserver.families.article import ArticleMeta, info_table, list_entry, meta_tags
from harvester.fixtureserver.site import ListItem, Portal

# The pager script TRS sites load from a shared file, inlined so the page stands alone.
_PAGER_SCRIPT = """<script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  for (var i = 0; i < _nPageCount; i++) {
    var name = i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt;
    document.write(i == _nCurrIndex ? "<span>" + (i + 1) + "</span> " : "<a href=\\"" + name + "\\">" + (i + 1) + "</a> ");
  }
}
</script>
"""


def list_dir(portal: Portal) -> str:
    return posixpath.dirname(portal.list_path) + "/"


def list_page_path(portal: Portal, index: int) -> str:
    return list_dir(portal) + ("index.html" if index == 0 else f"index_{index}.html")


def answer(portal: Portal, path: str, params: dict[str, str], items: list[ListItem]) -> Answer | None:
    pages = max(1, math.ceil(len(items) / portal.per_page))
    for index in range(pages):
        if path == list_page_path(portal, index):
            body = list_page(portal, items, index, pages).encode(portal.charset, errors="xmlcharrefreplace")
            return Answer(body, portal.page_content_type)
    return None


def list_page(portal: Portal, items: list[ListItem], index: int, pages: int) -> str:
    shown = items[index * portal.per_page : (index + 1) * portal.per_page]
    entries = "\n".join(list_entry(i.title, _relative(portal, i.url), i.date) for i in shown)
    body = f"""<div class="position">当前位置：首页 &gt; {html.escape(portal.column_name)}</div>
<ul class="list">
{entries}
</ul>
{_PAGER_SCRIPT}<div class="page"><script>createPageHTML({pages}, {index}, "index", "html");</script></div>
"""
    return page_html(portal_chrome(portal), title=portal.column_name, body=body)


def _relative(portal: Portal, url: str) -> str:
    """Links inside the column's folder print as ./…, as TRS writes them."""
    folder = list_dir(portal)
    return "./" + url[len(folder) :] if url.startswith(folder) else url


def article_path(portal: Portal, date: str, article_id: int) -> str:
    compact = date.replace("-", "")
    return f"{list_dir(portal)}{compact[:6]}/t{compact}_{article_id}.html"


def article_page(portal: Portal, meta: ArticleMeta, content: str) -> str:
    body = f"""{info_table(meta)}<div class="article">
<h1>{html.escape(meta.title)}</h1>
<div class="article-info">发布时间：{meta.pub_date}　信息来源：{html.escape(meta.source)}</div>
<div class="TRS_Editor">
{content}
</div>
</div>
"""
    return page_html(portal_chrome(portal), title=meta.title, body=body, head=meta_tags(meta))


def attachment_link(name: str, label: str, folder: str) -> str:
    """TRS prints a relative href and keeps the stored path in OLDSRC."""
    return (
        f'<p>附件：<a href="./{name}" OLDSRC="/protect/{folder}/{name}" target="_blank">'
        f"{html.escape(label)}</a></p>"
    )
