"""Every page's JSON twin over HTTP, on PostgreSQL as on SQLite, and what a read-only site must
answer: security headers, 404/400 in one line, no writes, untrusted downloads kept downloads."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from harvester.fixtureserver.server import serve_in_thread
from tests.web.conftest import INJECTED_AGENCY, RunningWeb, WebArchive, crawl, record_injected_report, serve

pytestmark = pytest.mark.slow


def fetch(base: str, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(base + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def twins(base: str) -> dict[str, Any]:
    """Each page's JSON twin, reached through the links a person would follow."""
    out: dict[str, Any] = {"/index.json": json.loads(fetch(base, "/index.json")[2])}
    listing = json.loads(fetch(base, "/reports.json")[2])
    out["/reports.json"] = listing
    first = listing["rows"][0]
    card = json.loads(fetch(base, f"/reports/{first['report_id']}.json")[2])
    out["card"] = card
    address = card["tables"][1]["rows"][0]["cells"][0]["address"]
    version = card["version"]["version_no"]
    out["evidence"] = json.loads(fetch(base, f"/reports/{first['report_id']}/versions/{version}/evidence.json?cell={quote(address)}")[2])
    out["agency"] = json.loads(fetch(base, f"/agencies/{quote(first['agency'])}.json")[2])
    return out


def check_pages(base: str) -> None:
    pages = twins(base)
    assert pages["/index.json"]["reports"] == pages["/reports.json"]["total"]
    assert pages["evidence"]["cell"]["address"].startswith("applications.")
    assert pages["agency"]["charts"][0]["years"]
    for path in ("/", "/reports", "/reports?incomplete=1&changed=1&has_errors=1&year=2021",
                 f"/agencies/{quote(INJECTED_AGENCY)}", "/reports/export.parquet?year=2020"):
        status, headers, _ = fetch(base, path)
        assert status == 200, path


def test_every_page_answers_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = serve_in_thread()
    try:
        crawl(["fixture-shandong"], postgres_url, data_dir, server.url)
    finally:
        server.stop()
    record_injected_report(postgres_url, data_dir, incomplete="applications")
    for base in serve(postgres_url, data_dir):
        check_pages(base)
        # The completeness status a parser records per table is a facet and shows on the card.
        listing = json.loads(fetch(base, "/reports.json?incomplete=1")[2])
        assert [row["agency"] for row in listing["rows"]] == [INJECTED_AGENCY]
        card = fetch(base, f"/reports/{listing['rows'][0]['report_id']}")[2].decode("utf-8")
        assert card.count("table-status") == 1


def test_every_page_answers_on_sqlite(web: RunningWeb) -> None:
    check_pages(web.url)
    assert json.loads(fetch(web.url, "/reports.json?incomplete=1")[2])["total"] == 0  # no parse says so


def test_pages_carry_a_policy_that_forbids_inline_scripts(web: RunningWeb) -> None:
    status, headers, _ = fetch(web.url, "/")
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"


def test_the_site_is_read_only(web: RunningWeb) -> None:
    for method in ("POST", "PUT", "DELETE"):
        assert fetch(web.url, "/reports", method)[0] == 405


def test_raw_portal_bytes_are_served_as_sandboxed_downloads(web: RunningWeb) -> None:
    rows = json.loads(fetch(web.url, "/reports.json?agency=" + quote(INJECTED_AGENCY))[2])["rows"]
    status, headers, body = fetch(web.url, f"/reports/{rows[0]['report_id']}/versions/1/raw/0")
    assert status == 200 and b"&lt;script&gt;" in body
    assert headers["content-type"] == "application/octet-stream"
    # named as the portal named it, escaped once, without the line break it slipped in
    assert headers["content-disposition"] == "attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.html"
    assert headers["content-security-policy"].startswith("sandbox")


@pytest.mark.parametrize("path, status, words", [
    ("/reports/999999", 404, "no report with id 999999"),
    ("/reports/999999.json", 404, "no report with id 999999"),
    ("/reports?year=abc", 400, "year must be a whole number"),
    ("/reports?template=1999", 400, "template must be one of"),
    ("/agencies/" + quote("没有这个机关"), 404, "no report of agency"),
    ("/reports/1/versions/1/evidence?cell=applications.nope.total", 404, "has no cell"),
    ("/reports/1/diff/1..1", 400, "two different versions"),
    ("/reports/1/diff/1..9", 404, "has no version"),
    # numbers no database integer holds, a name no agency has
    ("/reports/99999999999999999999999", 404, "Not Found"),
    ("/reports/1/diff/1..99999999999999999999999", 404, "Not Found"),
    ("/reports?page=99999999999999999999999", 400, "page must be a whole number"),
    ("/reports?year=99999999999999999999999", 400, "year must be a whole number"),
    # longer than any agency key, short of the 16 KiB request head uvicorn accepts (more was a reset)
    ("/agencies/" + quote("局" * 1500), 404, "no report of agency"),
])
def test_bad_requests_get_one_clear_line(web: RunningWeb, path: str, status: int, words: str) -> None:
    got, _, body = fetch(web.url, path)
    assert got == status
    assert words in body.decode("utf-8")


def test_json_twin_is_the_data_the_page_shows(web_archive: WebArchive, web: RunningWeb) -> None:
    from storage.archive import Archive
    from storage.query import QueryFilters, run_query

    listing = json.loads(fetch(web.url, "/reports.json?year=2021")[2])
    with Archive.open(web_archive.db_url, web_archive.data_dir) as archive, archive.session() as session:
        expected = {(r.agency, r.version_no) for r in run_query(session, QueryFilters(year=2021))}
    assert {(r["agency"], r["version_no"]) for r in listing["rows"]} == expected


def test_the_atom_feed_of_report_events(web: RunningWeb) -> None:
    import feedparser

    with urllib.request.urlopen(f"{web.url}/feed.atom?site=fixture-shandong", timeout=60) as response:
        assert response.headers["Content-Type"].startswith("application/atom+xml")
        parsed = feedparser.parse(response.read())
    assert not parsed.bozo, parsed.bozo_exception
    kinds = {entry.tags[0].term for entry in parsed.entries}
    assert {"new_report", "new_version"} <= kinds
    [revision] = [e for e in parsed.entries if e.tags[0].term == "new_version"]
    assert "淄博市工业和信息化局 2021" in revision.title and "83 → 85" in revision.content[0].value
    assert revision.link.startswith(web.url + "/reports/") and "/diff/1..2" in revision.link
