"""The web interface's test bed, built once per session: an archive made by a real crawl of the
fixture portals (then a revised report re-crawled, and one report whose text holds markup),
served by ``harvester.web`` on 127.0.0.1, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE_SITES = ("fixture-hanweb", "fixture-shandong", "fixture-trs")
REVISED_REPORT = "sd-gxj-2021"  # a PDF attachment re-published with six cells changed
REVISED_AGENCY = "淄博市工业和信息化局"
INJECTED_AGENCY = "脚本测试区"
INJECTED_TEXT = "<script>document.title='pwned'</script>"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class WebArchive:
    db_url: str
    data_dir: Path


@dataclass
class RunningWeb:
    url: str
    archive: WebArchive


def crawl(sites: list[str], db_url: str, data_dir: Path, fixture_url: str) -> None:
    """``harvester crawl`` in a subprocess, as a user runs it (Scrapy's reactor runs once per process)."""
    env = dict(os.environ, HARVESTER_DATA_DIR=str(data_dir), HARVESTER_POLITE="0", HARVESTER_FIXTURE_URL=fixture_url)
    done = subprocess.run([sys.executable, "-m", "harvester.cli.main", "crawl", *sites, "--db", db_url],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def record_injected_report(db_url: str, data_dir: Path, incomplete: str | None = None) -> None:
    """A real portal page (fixture 000, a Shandong-platform report) whose section text holds markup
    and whose table 2 prints "/" and blank cells, recorded as the crawler records a capture. ``incomplete`` names a table whose parse is marked
    incomplete, as the parser's completeness status will mark it."""
    from parsers import PARSER_VERSION
    from parsers.api import parse_bytes
    from storage.archive import Archive
    from storage.capture import CaptureInput, ParseOutcome, Resource

    html = (REPO / "fixtures" / "documents" / "000_9d093eecd5b1c4d3.html").read_text(encoding="utf-8")
    escaped = INJECTED_TEXT.replace("<", "&lt;").replace(">", "&gt;")
    html = html.replace("淄博经济开发区2020年", f"{INJECTED_AGENCY}2020年").replace("2020年，淄博经济开发区工委", f"{escaped}2020年，淄博经济开发区工委", 1)
    # Table 2's first cells printed as real reports print them: "/" twice, then two left blank.
    html = html.replace("<td>0</td>", "<td>/</td>", 2).replace("<td>0</td>", "<td></td>", 2)
    body = html.encode("utf-8")
    document, report = parse_bytes(body, filename="injected.html")
    url = "http://127.0.0.1:9/injected/%E5%B9%B4%E6%8A%A5%0D%0A.html"  # 年报\r\n.html, as a portal escapes it
    page = Resource(url=url, http_status=200, fetched_at=datetime.now(timezone.utc), body=body,
                    content_type="text/html; charset=utf-8")
    parse = report.to_dict()
    if incomplete:  # as the parser states a table it could not read whole
        parse["completeness"][incomplete] = {"status": "partial", "missing_rows": ["carried_over"], "missing_columns": []}
    outcome = ParseOutcome(parse, None, PARSER_VERSION, document.fingerprint())
    with Archive.open(db_url, data_dir) as archive:
        archive.record(CaptureInput(site="injected", page=page, parse=outcome))


def build_archive(db_url: str, data_dir: Path) -> None:
    from harvester.fixtureserver.server import serve_in_thread

    server = serve_in_thread()
    try:
        crawl(list(FIXTURE_SITES), db_url, data_dir, server.url)
        server.mutate("revise", report=REVISED_REPORT)
        crawl(["fixture-shandong"], db_url, data_dir, server.url)
    finally:
        server.stop()
    record_injected_report(db_url, data_dir)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db_url: str, data_dir: Path) -> Iterator[str]:
    """The web interface on a free port in a thread; its base URL until the caller is done."""
    import uvicorn

    from harvester.web.app import create_app
    from storage.archive import Archive

    archive = Archive.open(db_url, data_dir)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(archive), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the web server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        archive.close()


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory: pytest.TempPathFactory) -> WebArchive:
    data_dir = tmp_path_factory.mktemp("web") / "data"
    data_dir.mkdir()
    db_url = f"sqlite:///{data_dir / 'archive.sqlite3'}"
    build_archive(db_url, data_dir)
    return WebArchive(db_url, data_dir)


@pytest.fixture(scope="session")
def web(web_archive: WebArchive) -> Iterator[RunningWeb]:
    for url in serve(web_archive.db_url, web_archive.data_dir):
        yield RunningWeb(url, web_archive)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests leave their screenshots (test artefacts, not committed)."""
    path = Path(os.environ.get("HARVESTER_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser tab that fails the test on any script error or CSP violation it logs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
           if message.type == "error" else None)
    yield tab
    context.close()
    assert not problems, problems
