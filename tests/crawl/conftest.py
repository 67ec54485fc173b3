"""Helpers for the crawler's tests: saved pages as Scrapy responses, site configs in a temp dir,
and for the end-to-end tests the fixture server, an off-site listener and `harvester crawl`."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse

PAGES = Path(__file__).resolve().parent / "pages"


def saved_response(name: str, url: str, meta: dict[str, Any] | None = None) -> TextResponse:
    """A saved list page as the response the walker would get for ``url``."""
    body = (PAGES / name).read_bytes()
    kind = {".html": HtmlResponse, ".xml": XmlResponse}.get(Path(name).suffix, TextResponse)
    return kind(url=url, body=body, encoding="utf-8", request=Request(url, meta=meta or {}))


@pytest.fixture
def sites_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An extra site config directory (``HARVESTER_SITES_DIR``) for this test."""
    path = tmp_path / "sites"
    path.mkdir()
    monkeypatch.setenv("HARVESTER_SITES_DIR", str(path))
    return path


def site_variant(sites_dir: Path, site: str, name: str, **keys: Any) -> None:
    """The bundled fixture site ``site`` as ``name`` in ``sites_dir``, with ``keys`` in place of
    its own (a politeness slow enough to cut a crawl in the middle, a recheck policy)."""
    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "harvester" / "sites" / f"{site}.yaml")
                            .read_text(encoding="utf-8"))
    config.update(keys)
    (sites_dir / f"{name}.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def slowed_site(sites_dir: Path, site: str, name: str, **politeness: Any) -> None:
    """``site`` as ``name`` with ``politeness`` in place of its own: a crawl slow enough to be
    cut in the middle, or to show its delays."""
    site_variant(sites_dir, site, name, politeness=politeness)


# -- end-to-end helpers: fixture server, off-site listener, `harvester crawl` in a subprocess --

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "fixtures" / "portals" / "manifest.json"
SITE_OF_PORTAL = {"hanweb": "fixture-hanweb", "trs": "fixture-trs", "sd": "fixture-shandong"}


@pytest.fixture(scope="session")
def manifest() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


class OffsiteListener:
    """Accepts connections on the manifest's off-site host and counts them: the crawler must
    never open one."""

    def __init__(self, host: str, port: int):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        deadline = time.monotonic() + 240
        while True:  # another run of this suite may hold the port until it ends
            try:
                self.sock.bind((host, port))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.sock.listen(16)
        self.connections: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.connections.append(conn.recv(4096))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="session")
def offsite(manifest: dict[str, Any]) -> Iterator[OffsiteListener]:
    host, port = manifest["offsite_host"].removeprefix("http://").split(":")
    listener = OffsiteListener(host, int(port))
    yield listener
    listener.close()


@pytest.fixture
def fixture_server(offsite: OffsiteListener, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from harvester.fixtureserver.server import serve_in_thread

    server = serve_in_thread()
    monkeypatch.setenv("HARVESTER_FIXTURE_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The fixture portals without the off-site listener, for tests that make no scope claims
    (the listener's port is shared by every run of the suite on the machine)."""
    from harvester.fixtureserver.server import serve_in_thread

    server = serve_in_thread()
    monkeypatch.setenv("HARVESTER_FIXTURE_URL", server.url)
    yield server
    server.stop()


def crawl_env(data_dir: Path, polite: bool = False) -> dict[str, str]:
    env = dict(os.environ, HARVESTER_DATA_DIR=str(data_dir))
    if not polite:
        env["HARVESTER_POLITE"] = "0"
    return env


def harvester_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "harvester.cli.main", *args]


def crawl_cli(sites: list[str], db_url: str, data_dir: Path, *extra: str, polite: bool = False) -> dict[str, Any]:
    """Run ``harvester crawl SITES --json`` to completion; its summary."""
    result = subprocess.run(harvester_cmd("crawl", *sites, "--db", db_url, "--json", *extra),
                            capture_output=True, text=True, env=crawl_env(data_dir, polite), timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture
def county_portal():  # type: ignore[no-untyped-def]
    """The county-style portal the generic walker's end-to-end tests crawl (generic_portal.py)."""
    from generic_portal import GenericPortal

    server = GenericPortal()
    yield server
    server.stop()


def worker_processes(name: str) -> list[multiprocessing.process.BaseProcess]:
    """This process's worker processes of one kind, by the name they give themselves
    (``harvester.pipelines.workers.name_process``: archive-writer, archive-reader, parse-worker)."""
    return [p for p in multiprocessing.active_children() if Path(f"/proc/{p.pid}/comm").read_text().strip() == name]
