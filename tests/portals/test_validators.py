"""Conditional requests, per-request chrome and HEAD: what incremental re-crawls rely on."""

from __future__ import annotations

import email.utils
from typing import Any
from urllib.parse import urlsplit

import pytest

from harvester.fixtureserver import FixtureServer, serve_in_thread
from portal_client import request, zoom

FOOTER = b'<div class="footer">'


def _urls(manifest: dict[str, Any]) -> list[str]:
    hanweb, trs, sd = (manifest["portals"][k] for k in ("hanweb", "trs", "sd"))
    return [
        hanweb["reports"][0]["page"],
        hanweb["start_path"],
        f"{hanweb['list']['dataproxy']}?startrecord=1&endrecord=8&perpage=8&columnid=1001",
        trs["list"]["pages_paths"][1],
        next(r["attachment"] for r in trs["reports"] if r["format"] == "pdf"),
        sd["list"]["api"].format(page=1),
        next(r["attachment"] for r in manifest["portals"]["hanweb"]["reports"] if r["attachment"]),
    ]


def test_every_answer_carries_strong_validators_that_give_304(server: FixtureServer, manifest: dict[str, Any]) -> None:
    for url in _urls(manifest):
        first = request(server.url, url)
        etag, last_modified = first.header("ETag"), first.header("Last-Modified")
        assert first.status == 200 and etag and not etag.startswith("W/"), url
        assert email.utils.parsedate_to_datetime(last_modified).year >= 2020
        again = request(server.url, url, headers={"If-None-Match": etag})
        assert (again.status, again.body, again.header("ETag")) == (304, b"", etag), url
        since = request(server.url, url, headers={"If-Modified-Since": last_modified})
        assert since.status == 304, url
        older = email.utils.format_datetime(email.utils.parsedate_to_datetime(last_modified).replace(year=2019), usegmt=True)
        assert request(server.url, url, headers={"If-Modified-Since": older}).status == 200, url


def test_if_none_match_wins_over_if_modified_since(server: FixtureServer, manifest: dict[str, Any]) -> None:
    url = manifest["portals"]["sd"]["reports"][0]["page"]
    first = request(server.url, url)
    stale = {"If-None-Match": '"not-this-one"', "If-Modified-Since": first.header("Last-Modified")}
    assert request(server.url, url, headers=stale).status == 200
    assert request(server.url, url, headers={"If-None-Match": f'"x", {first.header("ETag")}'}).status == 304
    assert request(server.url, url, headers={"If-None-Match": "*"}).status == 304
    assert request(server.url, url, headers={"If-Modified-Since": "not a date"}).status == 200


@pytest.mark.parametrize("portal", ["hanweb", "trs", "sd"])
def test_chrome_changes_on_every_request_while_the_body_does_not(server: FixtureServer, manifest: dict[str, Any], portal: str) -> None:
    url = manifest["portals"][portal]["reports"][1]["page"]
    first, second = request(server.url, url), request(server.url, url)
    assert first.body != second.body
    assert first.body.split(FOOTER)[0] == second.body.split(FOOTER)[0]
    assert first.header("ETag") == second.header("ETag")
    footer = second.body.split(FOOTER)[1].decode("ascii", "replace")
    assert "<!--fx:" not in footer and "-" in footer.split('class="today">')[1][:10]


def test_hanweb_report_body_sits_in_zoom(server: FixtureServer, manifest: dict[str, Any]) -> None:
    report = next(r for r in manifest["portals"]["hanweb"]["reports"] if r["format"] == "html")
    body = zoom(request(server.url, report["page"]).text())
    assert "<table" in body and "政府信息公开" in body


def test_head_answers_headers_without_a_body(server: FixtureServer, manifest: dict[str, Any]) -> None:
    url = manifest["portals"]["hanweb"]["reports"][0]["page"]
    reply = request(server.url, url, method="HEAD")
    assert reply.status == 200 and reply.body == b"" and int(reply.header("Content-Length")) > 1000


def test_hanweb_download_names_the_file(server: FixtureServer, manifest: dict[str, Any]) -> None:
    report = next(r for r in manifest["portals"]["hanweb"]["reports"] if r["attachment"])
    reply = request(server.url, report["attachment"])
    name = report["attachment"].split("filename=")[1]
    assert reply.header("Content-Disposition") == f'attachment; filename="{name}"'


def test_the_log_records_requests_and_clears(server: FixtureServer, manifest: dict[str, Any]) -> None:
    url = manifest["portals"]["hanweb"]["start_path"]
    request(server.url, url, headers={"User-Agent": "probe/1", "If-None-Match": '"abc"'})
    request(server.url, "/__control/log")
    log = request(server.url, "/__control/log").json()
    assert [(e["method"], e["path"], e["status"], e["user_agent"], e["if_none_match"]) for e in log] == [
        ("GET", url, 200, "probe/1", '"abc"')
    ]
    assert server.log() == log
    assert request(server.url, "/__control/log", method="DELETE").json() == {"ok": True, "cleared": True}
    assert server.log() == []
    assert request(server.url, "/__control/nothing").status == 404


def test_reset_also_empties_the_log(server: FixtureServer, manifest: dict[str, Any]) -> None:
    request(server.url, manifest["robots"]["path"])
    assert len(server.log()) == 1
    server.reset()
    assert server.log() == []


def test_a_server_can_listen_on_the_offsite_host(manifest: dict[str, Any]) -> None:
    host = urlsplit(manifest["offsite_host"]).hostname
    with serve_in_thread(port=0, host=host) as offsite:
        assert offsite.url.startswith(f"http://{host}:")
        assert request(offsite.url, "/robots.txt").status == 200
        assert [e["path"] for e in offsite.log()] == ["/robots.txt"]
