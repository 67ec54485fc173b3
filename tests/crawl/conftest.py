"""Helpers for the crawler's tests: saved pages as Scrapy responses, site configs in a temp dir."""

from __future__ import annotations

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
