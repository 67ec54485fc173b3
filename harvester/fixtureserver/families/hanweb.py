"""Hanweb (大汉) JCMS: column pages with an inline XML datastore, later pages from dataproxy.jsp.

The column page /col/colNNN/index.html inlines its first page of records in
``<script type="text/xml"><datastore>``; a browser's jpage script fetches the rest from
/module/web/jpage/dataproxy.jsp (startrecord/endrecord/perpage, plus the form fields
webid, columnid, unitid), which answers the same records as XML with the totals.
"""

from __future__ import annotations

import html
import math

from harvester.fixtureserver.answer import Answer
from harvester.fixtureserver.chrome import page_html, portal_chrome
from harvester.fixtureserver.families.article import ArticleMeta, info_table, list_entry, meta_tags
from harvester.fixtureserver.site import ListItem, Portal

DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"


def answer(portal: Portal, path: str, params: dict[str, str], items: list[ListItem]) -> Answer | None:
    if path == portal.list_path:
        return Answer(column_page(portal, items).encode(portal.charset), portal.page_content_type)
    if path == DATAPROXY_PATH and params.get("columnid") == portal.options["column_id"]:
        return dataproxy(portal, params, items)
    return None


def column_page(portal: Portal, items: list[ListItem]) -> str:
    options = portal.options
    nextgroup = (
        f"{DATAPROXY_PATH}?page=1&amp;webid={options['web_id']}&amp;path=/&amp;columnid={options['column_id']}"
        f"&amp;unitid={options['unit_id']}&amp;permissiontype=0"
    )
    body = f"""<div class="position">当前位置：首页 &gt; {html.escape(portal.column_name)}</div>
<div class="list" id="{options['unit_id']}">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>
<recordset>
{_records(items[: portal.per_page])}
</recordset>
</datastore></script>
<script>
var jpageConfig = {{"dataproxy": "{DATAPROXY_PATH}", "webid": "{options['web_id']}", "columnid": "{options['column_id']}",
  "unitid": "{options['unit_id']}", "perpage": {portal.per_page}, "totalRecord": {len(items)}}};
</script>
</div>
"""
    return page_html(portal_chrome(portal), title=portal.column_name, body=body)


def dataproxy(portal: Portal, params: dict[str, str], items: list[ListItem]) -> Answer:
    try:
        start = int(params.get("startrecord", "1"))
        end = int(params.get("endrecord", str(start + portal.per_page - 1)))
        per_page = int(params.get("perpage", str(portal.per_page)))
    except ValueError:
        return Answer(b"startrecord, endrecord and perpage must be integers\n", "text/plain; charset=UTF-8", 400)
    if start < 1 or end < start or per_page < 1:
        return Answer(b"need 1 <= startrecord <= endrecord and perpage >= 1\n", "text/plain; charset=UTF-8", 400)
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>{len(items)}</totalrecord>
<totalpage>{math.ceil(len(items) / per_page)}</totalpage>
<recordset>
{_records(items[start - 1 : end])}
</recordset>
</datastore>
"""
    return Answer(xml.encode("utf-8"), "text/xml; charset=UTF-8")


def _records(items: list[ListItem]) -> str:
    return "\n".join(f"<record><![CDATA[{list_entry(i.title, i.url, i.date)}]]></record>" for i in items)


def article_page(portal: Portal, meta: ArticleMeta, content: str) -> str:
    """An /art/ page: metadata, info table, the report (or its attachment link) inside #zoom."""
    body = f"""{info_table(meta)}<div class="article">
<h1 class="title">{html.escape(meta.title)}</h1>
<div class="article-info">发布日期：{meta.pub_date}　来源：{html.escape(meta.source)}</div>
<div id="zoom">
{content}
</div>
</div>
"""
    return page_html(portal_chrome(portal), title=meta.title, body=body, head=meta_tags(meta))


def download_url(hex_name: str, extension: str) -> str:
    return f"/module/download/downfile.jsp?classid=0&filename={hex_name}.{extension}"
