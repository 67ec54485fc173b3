"""Four CMS layouts that are not among the fixture families, each a whole portal: a list
column (with pagination) and report pages in that CMS's URL scheme and markup.

* ``vsb``: VSB/博达: GBK list pages ``/xxgk/ndbg.htm`` -> ``/xxgk/ndbg/1.htm`` (下一页),
  articles ``/info/COL/ID.htm``, the body in ``#vsb_content``, footer visit counter;
* ``post``: ``/content/post_ID.html`` articles in a ``.article-content-main``;
* ``shtml``: ``/cNNN/YYYYMM/HEX.shtml`` articles in a ``.detail-txt``;
* ``bare``: the body's paragraphs and tables straight under ``<body>``, in no container.

A report is the page itself or a one-line "详见附件" page linking its PDF/DOCX files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from harvester.fixtureserver.replay.chrome import Chrome


@dataclass
class ReplayReport:
    path: str
    title: str
    date: str
    body: str = ""  # HTML of the report; empty when the report is in its attachments
    attachments: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path -> (bytes, content type)
    listed: bool = True

    def body_html(self) -> str:
        if self.body:
            return self.body
        links = "".join(f'<p><a href="{p}">{escape(p.rsplit("/", 1)[-1])}</a></p>' for p in self.attachments)
        return f"<p>详见附件。</p>{links}"


@dataclass
class Layout:
    name: str
    list_paths: tuple[str, ...]
    encoding: str
    reports: list[ReplayReport]

    def list_page(self, index: int, chrome: Chrome) -> str:
        listed = [r for r in self.reports if r.listed]
        per_page = max(1, -(-len(listed) // len(self.list_paths)))
        rows = "".join(f'<li><a href="{r.path}" title="{escape(r.title)}">{escape(r.title)}</a><span>{r.date}</span></li>'
                       for r in listed[index * per_page:(index + 1) * per_page])
        pager = f'<a href="{self.list_paths[index + 1]}">下一页</a>' if index + 1 < len(self.list_paths) else ""
        return self._page("政府信息公开年报", f'<ul class="list">{rows}</ul><div class="pb_sys_common">{pager}</div>', chrome)

    def report_page(self, report: ReplayReport, chrome: Chrome) -> str:
        return self._page(report.title, self._article(report, chrome), chrome)

    def _article(self, report: ReplayReport, chrome: Chrome) -> str:
        title, body = escape(report.title), report.body_html()
        if self.name == "vsb":
            return (f'<form name="_newscontent_fromname"><div class="content-title"><h1>{title}</h1>'
                    f'<div class="info">发布时间：{report.date}  点击数：<span id="dynclicks">{chrome.hit}</span></div></div>'
                    f'<div id="vsb_content"><div class="v_news_content">{body}</div></div></form>')
        if self.name == "post":
            return (f'<div class="article"><h2 class="article-title">{title}</h2><div class="article-meta">'
                    f'<span>{report.date}</span><span>{chrome.counter()}</span></div>'
                    f'<div class="article-content-main">{body}</div></div>')
        if self.name == "shtml":
            return (f'<div class="detail"><div class="detail-title">{title}</div>'
                    f'<div class="detail-txt">{body}</div><div class="detail-foot">{chrome.counter()}</div></div>')
        return f"<p><b>{title}</b></p>{body}<p>{chrome.counter()}</p>"  # bare: no container at all

    def _page(self, title: str, main: str, chrome: Chrome) -> str:
        related = f'<div class="related"><h3>相关文章</h3><ul>{chrome.related_items("/news/")}</ul></div>'
        return (
            f'<!DOCTYPE html><html><head><meta charset="{self.encoding}"><title>{escape(title)}</title></head><body>'
            f'<div class="topbar"><span>{chrome.date_bar()}</span></div>'
            f'<div class="menu"><a href="/">首页</a><a href="/xxgk/">信息公开</a><a href="/hdjl/">互动交流</a></div>'
            f"{chrome.ad_block()}{main}{related}"
            f'<div class="foot"><p>主办单位：人民政府办公室 地址：人民路1号</p><p>网站访问量：{chrome.hit * 7 + 100000}</p></div>'
            "</body></html>"
        )
