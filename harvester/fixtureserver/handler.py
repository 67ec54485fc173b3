"""The HTTP side: routing a request to the control API or to the portal state.

Everything that makes a fixture portal behave like a real one on the wire lives here:
conditional requests answered with 304 from strong ETags and Last-Modified, page chrome
filled in per request, error pages in ISO-8859-1, and a log of every request the tests
read to prove what a crawler did (and did not) fetch.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from harvester.fixtureserver import chrome, mutations
from harvester.fixtureserver.challenges import SIGN_ON_PATH, challenge, sign_on_page
from harvester.fixtureserver.state import Resource, ServerState

CONTROL_PREFIX = "/__control/"
_NOT_FOUND = b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


class FixtureHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: ServerState) -> None:
        super().__init__(address, FixtureRequestHandler)
        self.state = state
        self.log_lock = threading.Lock()
        self.request_log: list[dict[str, Any]] = []
        self.visits = 0

    def record(self, entry: dict[str, Any]) -> None:
        with self.log_lock:
            entry["seq"] = len(self.request_log) + 1
            self.request_log.append(entry)

    def log_entries(self) -> list[dict[str, Any]]:
        with self.log_lock:
            return list(self.request_log)

    def clear_log(self) -> None:
        with self.log_lock:
            self.request_log.clear()

    def next_visit(self) -> int:
        with self.log_lock:
            self.visits += 1
            return self.visits


class FixtureRequestHandler(BaseHTTPRequestHandler):
    server: FixtureHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, each keep-alive answer waits
    # for the client's delayed ACK (~40 ms), which would make the crawl benchmark time that.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "nginx"

    def do_GET(self) -> None:
        self._handle(body_allowed=True)

    def do_HEAD(self) -> None:
        self._handle(body_allowed=False)

    def do_POST(self) -> None:
        self._handle(body_allowed=True)

    def do_DELETE(self) -> None:
        self._handle(body_allowed=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record, stderr stays for real errors."""

    def _handle(self, body_allowed: bool) -> None:
        split = urlsplit(self.path)
        form = self._form()
        if split.path.startswith(CONTROL_PREFIX):
            self._control(split.path, form)
            return
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        params.update(parse_qsl(form.decode("utf-8", "replace"), keep_blank_values=True))
        url = split.path + (f"?{split.query}" if split.query else "")
        status, headers, body = self._answer(split.path, url, params)
        # Logged before the answer goes out, so a client that has its answer sees the entry.
        self.server.record(
            {
                "method": self.command,
                "path": url,
                "status": status,
                "form": form.decode("utf-8", "replace") if form else None,
                "if_none_match": self.headers.get("If-None-Match"),
                "if_modified_since": self.headers.get("If-Modified-Since"),
                "user_agent": self.headers.get("User-Agent"),
                "cookie": self.headers.get("Cookie"),
                "time": dt.datetime.now(dt.timezone.utc).isoformat(),
            }
        )
        self._send(status, headers, body, body_allowed)

    def _form(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _answer(self, path: str, url: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        state = self.server.state
        kind = state.mutations.challenges.get(url) or state.mutations.challenges.get(path)
        if kind is not None or path == SIGN_ON_PATH:
            answer = challenge(kind) if kind is not None else sign_on_page()
            return answer.status, answer.headers, answer.body
        resource = state.resolve(path, url, params)
        if resource is None:
            return 404, {"Content-Type": "text/html; charset=iso-8859-1"}, _NOT_FOUND
        headers = {"Content-Type": resource.content_type}
        if resource.status != 200:
            return resource.status, headers, resource.body
        assert resource.etag is not None and resource.last_modified is not None
        headers["ETag"] = resource.etag
        headers["Last-Modified"] = email.utils.format_datetime(resource.last_modified, usegmt=True)
        if self._not_modified(resource):
            del headers["Content-Type"]
            return 304, headers, b""
        if resource.download_name:
            headers["Content-Disposition"] = f'attachment; filename="{resource.download_name}"'
        body = resource.body
        if resource.content_type.startswith("text/html"):
            body = chrome.inject(body, self.server.next_visit(), dt.date.today())
        return 200, headers, body

    def _not_modified(self, resource: Resource) -> bool:
        """RFC 9110: If-None-Match decides when present; If-Modified-Since only without it."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [tag.strip() for tag in if_none_match.split(",")]
            return "*" in tags or resource.etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None or resource.last_modified is None:
            return False
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.timezone.utc)
        return resource.last_modified <= since

    def _control(self, path: str, form: bytes) -> None:
        server = self.server
        if path == "/__control/log" and self.command == "GET":
            self._json(200, server.log_entries())
        elif path == "/__control/log" and self.command == "DELETE":
            server.clear_log()
            self._json(200, {"ok": True, "cleared": True})
        elif path == "/__control/mutate" and self.command == "POST":
            try:
                request = json.loads(form or b"{}")
                if not isinstance(request, dict) or not isinstance(request.get("action"), str):
                    raise mutations.MutationError('send a JSON object with "action" and its parameters')
                action = request.pop("action")
                self._json(200, mutations.apply(server.state, action, request))
            except ValueError as exc:  # bad JSON, or a MutationError
                self._json(400, {"ok": False, "error": str(exc).splitlines()[0]})
        else:
            self._json(404, {"ok": False, "error": f"no control endpoint {self.command} {path}"})

    def _json(self, status: int, payload: Any) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send(status, {"Content-Type": "application/json; charset=utf-8"}, body, True)

    def _send(self, status: int, headers: dict[str, str], body: bytes, body_allowed: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body_allowed and status != 304:
            self.wfile.write(body)
