"""Shandong's consolidated government-site platform: lists drawn by JavaScript from JSON.

The channel page /gongkai/site_X/channel_Y/ is an empty shell whose script fetches
/api/channel/list?channel=Y&page=N ({"total", "pages", "page", "items": [{"title", "url",
"date"}]}); report pages are /gongkai/site_X/channel_Y/doc_HEX.html.
"""

from __future__ import annotations

import html
import json
import math

from harvester.fixtureserver.answer import Answer
from harvester.fixtureserver.chrome import page_html, portal_chrome
from harvester.fixtureserver.families.article import ArticleMeta, info_table, meta_tags
from harvester.fixtureserver.site import ListItem, Portal


def answer(portal: Portal, path: str, params: dict[str, str], items: list[ListItem]) -> Answer | None:
    if path in (portal.list_path, portal.list_path + "index.html"):
        return Answer(channel_page(portal).encode(portal.charset), portal.page_content_type)
    if path == portal.options["api_path"] and params.get("channel") == portal.options["channel"]:
        return channel_list(portal, params, items)
    return None


def channel_page(portal: Portal) -> str:
    api, channel = portal.options["api_path"], portal.options["channel"]
    body = f"""<div class="position">当前位置：首页 &gt; 政府信息公开 &gt; {html.escape(portal.column_name)}</div>
<ul class="doc-list" id="doc-list" data-api="{api}" data-channel="{channel}"></ul>
<div class="pager" id="pager"></div>
<script>
(function () {{
  var list = document.getElementById("doc-list"), pager = document.getElementById("pager");
  function load(page) {{
    fetch("{api}?channel={channel}&page=" + page).then(function (r) {{ return r.json(); }}).then(function (data) {{
      list.innerHTML = data.items.map(function (it) {{
        return '<li><a href="' + it.url + '" title="' + it.title + '">' + it.title + '</a><span>' + it.date + '</span></li>';
      }}).join("");
      pager.textContent = data.page + " / " + data.pages;
    }});
  }}
  load(1);
}})();
</script>
"""
    return page_html(portal_chrome(portal), title=portal.column_name, body=body)


def channel_list(portal: Portal, params: dict[str, str], items: list[ListItem]) -> Answer:
    try:
        page = int(params.get("page", "1"))
    except ValueError:
        page = 0
    if page < 1:
        error = {"error": "page must be a positive integer"}
        return Answer(json.dumps(error).encode(), "application/json; charset=utf-8", 400)
    shown = items[(page - 1) * portal.per_page : page * portal.per_page]
    data = {
        "total": len(items),
        "pages": math.ceil(len(items) / portal.per_page),
        "page": page,
        "items": [{"title": i.title, "url": i.url, "date": i.date} for i in shown],
    }
    return Answer(json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


def doc_path(portal: Portal, hex_id: str) -> str:
    return f"{portal.list_path}doc_{hex_id}.html"


def article_page(portal: Portal, meta: ArticleMeta, content: str) -> str:
    body = f"""{info_table(meta)}<div class="article">
<h1 class="article-title">{html.escape(meta.title)}</h1>
<div class="article-info">发布日期：{meta.pub_date}　来源：{html.escape(meta.source)}</div>
<div class="article-content" id="article-content">
{content}
</div>
</div>
"""
    return page_html(portal_chrome(portal), title=meta.title, body=body, head=meta_tags(meta))
