"""A county-style portal none of our CMS families covers, served on 127.0.0.1 for the
generic walker's end-to-end tests.

Built the way many county portals are: a ``.shtml`` column whose 下一页 is
``onclick="goPage(2)"`` with the page count in a script, report pages under
``/cNNN/YYYYMM/HEX.shtml`` whose header prints the time of the request (今天是…) and a visit
counter, and each report's document reached a different way: ``downloadFile('…pdf')`` in
an onclick, a PDF.js viewer link, a frame holding the body, ``javascript:downLoad('…')``,
``window.open`` on a span, a viewer frame, and a whole portal page pasted from Word (the
real Pingtan page). The documents are real renderings (fixtures/documents) and real
reports (shared/real). A second column draws its list with JavaScript only (render tests).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import itertools
import json
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = REPO / "fixtures" / "documents"
REAL = next((p for p in (REPO.parent / "shared" / "real", Path("/work/shared/real")) if p.is_dir()), REPO.parent / "shared" / "real")
COLUMN = "/c100413/"
SCRIPT_COLUMN = "/c100999/"
PER_PAGE = 3
CLOCK_MARKER = "<!--clock-->"


@dataclass(frozen=True)
class Report:
    key: str
    title: str  # as the list prints it
    agency: str  # what the archive must say
    year: int
    month: str  # YYYYMM of its folder
    document: Path
    # how the page holds its document: download | viewer | frame | jshref | window_open |
    # viewer_frame | page (the page itself) | xhr (the body is fetched by the page's script) |
    # direct (the list links straight to the document: there is no page) | named_download
    # (a download script's URL without a file name, the link's text naming the file) |
    # base (a path relative to the page's <base href="/">)
    link: str

    @property
    def page(self) -> str:
        if self.link == "direct":
            return self.file
        return f"{COLUMN}{self.month}/{hashlib.md5(self.key.encode()).hexdigest()[:10]}.shtml"

    @property
    def file(self) -> str:
        """Where the document is served (the page itself for a pasted page)."""
        if self.link == "page":
            return self.page
        if self.link == "frame":
            return self.page.replace(".shtml", "_content.html")
        if self.link == "xhr":
            return self.page.replace(".shtml", ".json")
        if self.link == "named_download":
            return f"/common/file/getFile.do?fileId={hashlib.md5(self.key.encode()).hexdigest()[:8]}"
        return f"/uploadfile/{self.month[:4]}/{self.month[4:]}28/{hashlib.md5(self.key.encode()).hexdigest()[:12]}{self.document.suffix}"


REPORTS = [
    Report("kfq-2020", "淄博经济开发区2020年政府信息公开工作年度报告", "淄博经济开发区", 2020, "202101",
           DOCUMENTS / "000_9d093eecd5b1c4d3.pdf", "download"),
    Report("whetdz-2020", "威海经济技术开发区2020年政府信息公开工作年度报告", "威海经济技术开发区", 2020, "202101",
           DOCUMENTS / "001_edb62deb526a149a.pdf", "viewer"),
    Report("jgsw-2020", "淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告", "淄博市张店区机关事务服务中心", 2020,
           "202101", DOCUMENTS / "002_133ea6e3b8938548.html", "frame"),
    Report("zdkfq-2023", "山东张店经济开发区管理委员会2023年政府信息公开工作年度报告", "山东张店经济开发区管理委员会", 2023,
           "202401", DOCUMENTS / "003_405f20c665fb23e7.docx", "jshref"),
    Report("gxj-2020", "淄博市工业和信息化局2020年政府信息公开工作年度报告", "淄博市工业和信息化局", 2020, "202101",
           DOCUMENTS / "004_2dfc536c7b58f7e3.docx", "window_open"),
    Report("huaian-2024", "淮安市人民政府2024年政府信息公开工作年度报告", "淮安市人民政府", 2024, "202503",
           REAL / "huaian_szf_2024.pdf", "viewer_frame"),
    Report("pingtan-2025", "平潭综合实验区2025年度政府信息公开工作年度报告", "平潭综合实验区", 2025, "202603",
           REAL / "pingtan_2025_portal_page.html", "page"),
]
# A report whose body the page's script fetches (rendering tests).
XHR_REPORT = Report("lzq-2020", "威海经济技术开发区2020年政府信息公开工作年度报告", "威海经济技术开发区", 2020, "202101",
                    DOCUMENTS / "001_edb62deb526a149a.html", "xhr")
# Links a column also carries that are not reports.
OTHER_LINKS = [("某县2023年政府工作报告", f"{COLUMN}202301/gzbg.shtml"), ("某县2023年预算公开说明", f"{COLUMN}202302/ys.shtml"),
               ("某县2022年政府信息公开工作年度报告审核情况的通报", f"{COLUMN}202304/tb.shtml")]
CONTENT_TYPES = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".html": "text/html; charset=utf-8", ".shtml": "text/html; charset=utf-8"}


def chrome(title: str, body: str, head: str = "") -> str:
    """A county portal page: the header prints the time of the request and the visits."""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{html.escape(title)}_某县人民政府门户网站</title>{head}
</head><body>
<div class="top"><span class="site">某县人民政府门户网站</span>|今天是{CLOCK_MARKER} <a href="/">首页</a></div>
<div class="nav"><a href="/">首页</a><a href="{COLUMN}index.shtml">政府信息公开年报</a></div>
<div class="main">
{body}
</div>
<div class="footer">主办：某县人民政府办公室 您是第<span>{CLOCK_MARKER}</span>位访客</div>
</body></html>"""


def document_link(report: Report) -> str:
    name = html.escape(report.title + report.document.suffix)
    quoted = quote(report.file, safe="")
    return {
        "download": f"""<p>附件：<a href="javascript:void(0);" onclick="downloadFile('{report.file}','{name}')">{name}</a></p>""",
        "viewer": f"""<p>附件：<a href="/static/pdfjs/web/viewer.html?file={quoted}" target="_blank">{name}（在线预览）</a></p>""",
        "frame": f"""<iframe id="contentFrame" src="{report.file}" width="100%" height="1200" frameborder="0" scrolling="no"></iframe>""",
        "jshref": f"""<p>附件：<a href="javascript:downLoad('{report.file}')">{name}</a></p>""",
        "window_open": f"""<p>附件：<span class="fj" onclick="window.open('{report.file}','_blank')">{name}</span></p>""",
        "named_download": f"""<p>详见附件。</p><p class="fj"><a href="{report.file}">附件：{name}</a></p>""",
        "base": f"""<p>附件：<a href="{report.file.lstrip('/')}">{name}</a></p>""",
        "viewer_frame": f"""<iframe src="/static/pdfjs/web/viewer.html?file={report.file}" width="100%" height="900"></iframe>""",
        "xhr": f"""<div id="zoom"></div><script>
fetch("{report.file}").then(function (r) {{ return r.json(); }})
  .then(function (d) {{ document.getElementById("zoom").innerHTML = d.content; }});
</script>""",
    }[report.link]


def report_page(report: Report) -> str:
    base = '\n<base href="/">' if report.link == "base" else ""
    body = f"""<div class="article"><h1>{html.escape(report.title)}</h1>
<div class="info">发布日期：{report.month[:4]}-{report.month[4:]}-28 来源：本网</div>
<div class="content">{document_link(report)}</div></div>"""
    return chrome(report.title, body, f'\n<meta name="ArticleTitle" content="{html.escape(report.title)}">{base}')


PAGER_SCRIPT = """<script type="text/javascript">
var currentPage = {current}; var totalPage = {total};
function goPage(page) {{
    if (page == 1) {{ window.location.href = "index.shtml"; }}
    else {{ window.location.href = "index_" + page + ".shtml"; }}
}}
</script>"""


def column_page(index: int, reports: list[Report], pager_kind: str = "script", base_href: bool = False,
                title_attr: bool = True) -> str:
    """Page ``index`` of the column. ``pager_kind``: "script" (``goPage(N)`` calls in a ``.page``
    div) or "plain" (hrefs in a ``.fy`` div, 下一页 printed with an arrow); ``base_href``: the
    page declares ``<base href="/">`` and its links are relative to it; ``title_attr``: the
    links carry their full title in ``title=`` (the text is cut short either way)."""
    total = -(-len(reports) // PER_PAGE)
    shown = reports[(index - 1) * PER_PAGE : index * PER_PAGE]
    rows = [(r.title, r.page, f"{r.month[:4]}-{r.month[4:]}-28") for r in shown]
    if index == 1:
        rows += [(title, url, "2023-02-01") for title, url in OTHER_LINKS]
    at = (lambda path: path.lstrip("/")) if base_href else (lambda path: path)
    # Without the full title in an attribute a list shows more of it (20 characters, not 16).
    full, shown = (lambda title: f' title="{html.escape(title)}"', 16) if title_attr else (lambda title: "", 20)
    items = "\n".join(
        f'<li><a href="{at(url)}" target="_blank"{full(title)}>{html.escape(title[:shown])}…</a><span class="date">{date}</span></li>'
        for title, url, date in rows)
    if pager_kind == "plain":
        page_url = lambda n: at(COLUMN + ("index.shtml" if n == 1 else f"index_{n}.shtml"))  # noqa: E731
        pager = (f'<div class="fy"><a href="{page_url(1)}">首页</a> '
                 + (f'<a href="{page_url(index + 1)}">下一页&gt;</a> ' if index < total else "")
                 + f'<a href="{page_url(total)}">尾页</a> 共{total}页 当前第{index}页</div>')
        head = ""
    else:
        pager = (f'<div class="page"><a href="javascript:void(0)" onclick="goPage(1)">首页</a> '
                 + (f'<a href="javascript:void(0)" onclick="goPage({index + 1})">下一页</a> ' if index < total else "")
                 + f'<a href="javascript:goPage({total})">尾页</a> 共{total}页</div>')
        head = PAGER_SCRIPT.format(current=index, total=total)
    return chrome("政府信息公开年报", f'<ul class="list">\n{items}\n</ul>\n{pager}', head + ('<base href="/">' if base_href else ""))


def script_column(reports: list[Report], offsite_url: str) -> str:
    """A column whose list exists only after its script runs; it also loads a banner image
    and a visit counter from another host, which a polite renderer leaves alone."""
    data = ",".join(f'{{t:"{r.title}",u:"{r.page}",d:"{r.month[:4]}-{r.month[4:]}-28"}}' for r in reports)
    script = f"""<script>
var docs = [{data}];
var ul = document.getElementById("list");
for (var i = 0; i < docs.length; i++) {{
  var li = document.createElement("li"); var a = document.createElement("a");
  a.href = docs[i].u; a.title = docs[i].t; a.textContent = docs[i].t; li.appendChild(a);
  var s = document.createElement("span"); s.textContent = docs[i].d; li.appendChild(s); ul.appendChild(li);
}}
</script>"""
    extras = f'<img src="/images/banner.png" alt=""><script src="{offsite_url}/stat/count.js"></script>'
    return chrome("政府信息公开年报", f'{extras}\n<ul class="list" id="list"></ul>\n{script}')


def build(reports: list[Report], offsite_url: str, pager_kind: str = "script", base_href: bool = False,
          title_attr: bool = True) -> dict[str, tuple[bytes, str]]:
    """Path -> (bytes, content type) of the whole portal (see ``column_page`` for the options)."""
    files: dict[str, tuple[bytes, str]] = {}
    pages = -(-len(reports) // PER_PAGE)
    for index in range(1, pages + 1):
        name = "index.shtml" if index == 1 else f"index_{index}.shtml"
        files[COLUMN + name] = (column_page(index, reports, pager_kind, base_href, title_attr).encode(), CONTENT_TYPES[".shtml"])
    for title, url in OTHER_LINKS:
        other = f'<div class="article"><h1>{html.escape(title)}</h1><div class="content"><p>各单位：……</p></div></div>'
        files[url] = (chrome(title, other, f'\n<meta name="ArticleTitle" content="{html.escape(title)}">').encode(),
                      CONTENT_TYPES[".shtml"])
    files[SCRIPT_COLUMN + "index.shtml"] = (script_column(reports, offsite_url).encode(), CONTENT_TYPES[".shtml"])
    for report in reports:
        if report.link not in ("page", "direct"):
            files[report.page] = (report_page(report).encode(), CONTENT_TYPES[".shtml"])
        if report.link == "xhr":
            content = json.dumps({"title": report.title, "content": report.document.read_text(encoding="utf-8")})
            files[report.file] = (content.encode(), "application/json")
        elif report.link == "named_download":  # the file's name only in Content-Disposition
            files[report.file] = (report.document.read_bytes(), "application/octet-stream")
        else:
            files[report.file] = (report.document.read_bytes(), CONTENT_TYPES[report.document.suffix])
    viewer = chrome("PDF.js viewer", '<div id="viewerContainer"></div><script src="pdf.js"></script>').encode()
    files["/static/pdfjs/web/viewer.html"] = (viewer, CONTENT_TYPES[".html"])
    return files


class _Handler(BaseHTTPRequestHandler):
    server: "GenericPortal"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = urlsplit(self.path).path
        self.server.log.append(path)
        found = self.server.files.get(self.path) or self.server.files.get(path)
        if found is None:
            self.send_error(404)
            return
        body, content_type = found
        static = not content_type.startswith("text/html")
        if static:  # files carry validators; dynamic pages do not, as on most portals
            etag = self.server.stale_etags.get(path) or '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
        else:
            now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S") + f".{next(self.server.visits)}"
            body = body.replace(CLOCK_MARKER.encode(), now.encode())
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if content_type == "application/octet-stream":
            suffix = ".pdf" if body.startswith(b"%PDF") else ".docx"
            self.send_header("Content-Disposition", "attachment; filename*=UTF-8''" + quote("年度报告" + suffix))
        self.send_header("Content-Length", str(len(body)))
        if static:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(1700000000, usegmt=True))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class GenericPortal(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, reports: list[Report] = REPORTS, offsite_url: str = "http://127.0.0.2:8766", *,
                 pager_kind: str = "script", base_href: bool = False, title_attr: bool = True):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files = build(reports, offsite_url, pager_kind, base_href, title_attr)
        self.reports = reports
        self.log: list[str] = []
        # path -> the ETag the server goes on sending for a file replaced since (a cache's lie)
        self.stale_etags: dict[str, str] = {}
        self.visits = itertools.count(1000)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def site_config(self, column: str = COLUMN, **extra: str) -> str:
        """The YAML of a generic site for one of the columns."""
        lines = ["title: 某县人民政府 政府信息公开年报", "family: generic", f'start_urls: ["{self.url}{column}index.shtml"]']
        return "\n".join(lines + [f"{key}: {value}" for key, value in extra.items()]) + "\n"
