"""The replay portals on loopback ports, one port per layout (each is its own site).

No response carries ETag or Last-Modified, and every page's chrome changes per request, so a
crawler must tell a changed report from a changed page on content alone. Tests change the
reports through the methods below (a cell, a sentence, a new attachment, a withdrawal).
"""

from __future__ import annotations

import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from harvester.fixtureserver.replay import content
from harvester.fixtureserver.replay.chrome import Chrome
from harvester.fixtureserver.replay.layouts import Layout, ReplayReport

PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def build_layouts() -> dict[str, Layout]:
    """Each layout with its reports, as first published."""
    return {
        "vsb": Layout("vsb", ("/xxgk/ndbg.htm", "/xxgk/ndbg/1.htm"), "gbk", [
            ReplayReport("/info/1021/3301.htm", "淮安市人民政府2024年政府信息公开工作年度报告", "2025-01-20",
                         attachments={"/__local/8/3A/F1/huaian_szf_2024.pdf": (content.huaian_pdf(), PDF)}),
            ReplayReport("/info/1021/3302.htm", "威海经济技术开发区2020年政府信息公开工作年度报告", "2021-01-28",
                         body=content.fixture_body("001_edb62deb526a149a")),
        ]),
        "post": Layout("post", ("/xxgk/zfxxgknb/index.html",), "utf-8", [
            ReplayReport("/content/post_105587.html", "平潭综合实验区2025年度政府信息公开工作年度报告", "2026-03-13",
                         body=content.pingtan_body()),
            ReplayReport("/content/post_88231.html", "淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告", "2021-01-29",
                         body=content.fixture_body("002_133ea6e3b8938548")),
        ]),
        "shtml": Layout("shtml", ("/c100/index.shtml",), "utf-8", [
            ReplayReport("/c100/202401/8a1f3c2e9b4d4e7f.shtml", "山东张店经济开发区管理委员会2023年政府信息公开工作年度报告",
                         "2024-01-26", body=content.fixture_body("003_405f20c665fb23e7")),
        ]),
        "bare": Layout("bare", ("/zwgk/nb/index.html",), "utf-8", [
            ReplayReport("/news/2021/0125/4401.html", "淄博市工业和信息化局2020年度政府信息公开工作年度报告", "2021-01-25",
                         body=content.fixture_body("004_2dfc536c7b58f7e3")),
            ReplayReport("/news/2021/0122/4398.html", "淄博经济开发区2020年政府信息公开工作年度报告", "2021-01-22",
                         body=content.fixture_body("000_9d093eecd5b1c4d3")),
        ]),
    }


class _Portal(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, layout: Layout) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.layout = layout
        self.hits = 0
        self.lock = threading.Lock()
        self.rng = random.Random()
        self.lists_fail = False

    def chrome(self) -> Chrome:
        with self.lock:
            self.hits += 1
            return Chrome(self.hits, self.rng)


class _Handler(BaseHTTPRequestHandler):
    server: _Portal

    def log_message(self, *args: Any) -> None:  # the tests read the archive, not a log
        pass

    def do_GET(self) -> None:
        layout, path = self.server.layout, urlsplit(self.path).path
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path in layout.list_paths and self.server.lists_fail:
            return self._send(503, b"<html><body>503</body></html>", "text/html")
        if path in layout.list_paths:
            page = layout.list_page(layout.list_paths.index(path), self.server.chrome())
            return self._send(200, page.encode(layout.encoding), f"text/html; charset={layout.encoding}")
        for report in layout.reports:
            if path == report.path and report.listed:
                page = layout.report_page(report, self.server.chrome())
                return self._send(200, page.encode(layout.encoding, "xmlcharrefreplace"), f"text/html; charset={layout.encoding}")
            if path in report.attachments:
                data, content_type = report.attachments[path]
                return self._send(200, data, content_type)
        self._send(404, b"<html><body>404</body></html>", "text/html")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)


class ReplayPortals:
    """All layouts, each on its own port; ``url(name)`` is a layout's base URL."""

    def __init__(self) -> None:
        self.portals = {name: _Portal(layout) for name, layout in build_layouts().items()}
        self.threads = [threading.Thread(target=p.serve_forever, daemon=True) for p in self.portals.values()]
        for thread in self.threads:
            thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.portals[name].server_address[1]}"

    def start_url(self, name: str) -> str:
        return self.url(name) + self.portals[name].layout.list_paths[0]

    def report(self, name: str, index: int) -> ReplayReport:
        return self.portals[name].layout.reports[index]

    def edit(self, name: str, index: int, old: str, new: str) -> None:
        """Change the printed text of a report page (one cell, one sentence)."""
        report = self.report(name, index)
        if old not in report.body:
            raise ValueError(f"{old!r} is not in {report.path}")
        report.body = report.body.replace(old, new, 1)

    def attach(self, name: str, index: int, path: str, data: bytes, content_type: str = DOCX) -> None:
        self.report(name, index).attachments[path] = (data, content_type)

    def unlist(self, name: str, index: int, listed: bool = False) -> None:
        """Take a report off its column (its page answers 404), or put it back."""
        self.report(name, index).listed = listed

    def fail_lists(self, name: str, failing: bool = True) -> None:
        """Make a layout's list pages answer 503."""
        self.portals[name].lists_fail = failing

    def stop(self) -> None:
        for portal in self.portals.values():
            portal.shutdown()
            portal.server_close()
