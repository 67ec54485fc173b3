"""A tiny HTTP client for the fixture-server tests: every status comes back, none raises."""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def text(self, encoding: str = "utf-8") -> str:
        return self.body.decode(encoding)

    def json(self) -> Any:
        return json.loads(self.body)


def request(base_url: str, path: str, *, method: str = "GET", headers: dict[str, str] | None = None,
            body: bytes | None = None) -> Reply:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def zoom(page: str) -> str:
    """The Hanweb report body: what lies inside #zoom."""
    match = re.search(r'<div id="zoom">(.*?)</div>\s*</div>\s*</div>\s*<div class="footer">', page, re.S)
    assert match, "no #zoom in the page"
    return match.group(1)
