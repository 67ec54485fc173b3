"""A crafted TRS-style portal for the scope and "nothing lost" tests, served on loopback.

Its column lists one report per trap: a link-only page whose attachment lives on another
host, report pages and attachments that redirect (3xx, meta refresh) to another host, an
attachment on a host the site names in ``extra_domains`` (whose robots.txt forbids part of
it), an attachment over the size limit, a gzip bomb and a truncated answer. The "other host"
is 127.0.0.2: a listener there records any connection, which must never come.
"""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
# A real report as its agency's Word file: 淄博市张店区机关事务服务中心, 2020.
REPORT_DOCX = DOCUMENTS / "002_133ea6e3b8938548.docx"
ROBOTS = b"User-agent: *\nDisallow: /private/\n"

# What the trap of each list entry is; the listing titles make each capture its own report.
TRAPS = {
    "1": "淄博市甲局2021年政府信息公开工作年度报告",  # attachment on another host
    "2": "淄博市乙局2021年政府信息公开工作年度报告",  # page 302 -> another host
    "3": "淄博市丙局2021年政府信息公开工作年度报告",  # page meta refresh -> another host
    "4": "淄博市丁局2021年政府信息公开工作年度报告",  # attachment 301 -> another host
    "5": "淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告",  # attachment on an extra domain
    "6": "淄博市戊局2021年政府信息公开工作年度报告",  # attachment robots.txt forbids
    "7": "淄博市己局2021年政府信息公开工作年度报告",  # attachment over DOWNLOAD_MAXSIZE
    "8": "淄博市庚局2021年政府信息公开工作年度报告",  # gzip bomb past DOWNLOAD_MAXSIZE
    "9": "淄博市辛局2021年政府信息公开工作年度报告",  # attachment cut short of its Content-Length
}
MAXSIZE = 64 * 1024  # the DOWNLOAD_MAXSIZE the tests crawl this portal with


def _article(title: str, attachment_href: str | None, head: str = "") -> bytes:
    """A TRS WCM article page as such portals serve it: the report only as an attachment link."""
    link = (f'<p style="text-indent:2em">附件：<a href="{attachment_href}" oldsrc="W0202103.docx">'
            f"{title}.docx</a></p>") if attachment_href else ""
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2022-01-28 10:12">{head}
<title>{title}</title></head><body><div class="main"><div class="crumb">首页 &gt; 政府信息公开 &gt; 年度报告</div>
<h2 class="title">{title}</h2><div class="info">发布时间：2022-01-28 来源：本网</div>
<div class="TRS_Editor"><div class="Custom_UnionStyle">{link}</div></div>
<div class="related"><a href="http://www.gov.cn/">中国政府网</a></div></div></body></html>""".encode()


@dataclass
class Portal:
    """The portal on ``host`` (127.0.0.1) and the same handler on the extra-domain host."""

    other: str  # base URL of the host the site must never contact
    extra: str = ""  # base URL of the extra-domain file server, set once it listens
    requests: list[tuple[str, str]] = field(default_factory=list)  # (host, path) of every request

    def page(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, ROBOTS
        if path == "/xxgk/nb/index.html":
            items = "".join(f'<li><a href="../../art/{n}.html" title="{t}">{t}</a><span>2022-01-28</span></li>'
                            for n, t in TRAPS.items())
            items += f'<li><a href="{self.other}/art/elsewhere.html">淄博市壬局2021年政府信息公开工作年度报告</a></li>'
            body = (f'<html><head><meta charset="utf-8"><title>年度报告</title></head><body>'
                    f'<ul class="list">{items}</ul><div class="page">共1页</div></body></html>').encode()
            return 200, {"Content-Type": "text/html; charset=utf-8"}, body
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/art/1.html":
            return 200, html, _article(TRAPS["1"], f"{self.other}/files/W020220128.docx")
        if path == "/art/2.html":
            return 302, {"Location": f"{self.other}/art/2.html"}, b""
        if path == "/art/3.html":
            refresh = f'<meta http-equiv="refresh" content="0;url={self.other}/art/3.html">'
            return 200, html, _article(TRAPS["3"], None, head=refresh)
        if path == "/art/4.html":
            return 200, html, _article(TRAPS["4"], "/files/4.docx")
        if path == "/files/4.docx":
            return 301, {"Location": f"{self.other}/files/4.docx"}, b""
        if path == "/art/5.html":
            return 200, html, _article(TRAPS["5"], f"{self.extra}/files/5.docx")
        if path == "/files/5.docx":
            return 200, {"Content-Type": "application/msword"}, REPORT_DOCX.read_bytes()
        if path == "/art/6.html":
            return 200, html, _article(TRAPS["6"], f"{self.extra}/private/6.docx")
        if path == "/art/7.html":
            return 200, html, _article(TRAPS["7"], "/files/7.pdf")
        if path == "/files/7.pdf":
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n" + b"0" * (2 * MAXSIZE)
        if path == "/art/8.html":
            return 200, html, _article(TRAPS["8"], "/files/8.docx")
        if path == "/files/8.docx":
            bomb = gzip.compress(b"\0" * (16 * MAXSIZE))
            return 200, {"Content-Type": "application/msword", "Content-Encoding": "gzip"}, bomb
        if path == "/art/9.html":
            return 200, html, _article(TRAPS["9"], "/files/9.docx")
        if path == "/files/9.docx":
            data = REPORT_DOCX.read_bytes()
            # Content-Length promises the whole file; the connection closes half-way.
            return 200, {"Content-Type": "application/msword", "Content-Length": str(len(data))}, data[: len(data) // 2]
        return 404, {"Content-Type": "text/plain"}, b"not found"


def serve(portal: Portal, host: str) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            portal.requests.append((host, self.path))
            status, headers, body = portal.page(self.path)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"
