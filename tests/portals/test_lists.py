"""List pages and list endpoints answer as the manifest says, for all three families."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import lxml.html

from harvester.fixtureserver import FixtureServer
from portal_client import request

RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def _links(fragment: str) -> list[str]:
    return [a.get("href") for a in lxml.html.fragment_fromstring(fragment, create_parent="div").iter("a")]


def hanweb_listing(server: FixtureServer, portal: dict[str, Any]) -> list[str]:
    """Every URL the column lists: page 1 inline, the rest from dataproxy.jsp (POST form)."""
    page = request(server.url, portal["start_path"])
    assert page.status == 200
    urls = [href for record in RECORD.findall(page.text()) for href in _links(record)]
    listing = portal["list"]
    form = urlencode(listing["form"]).encode()
    start = len(urls) + 1
    while start <= listing["total"]:
        end = start + listing["per_page"] - 1
        reply = request(
            server.url,
            f"{listing['dataproxy']}?startrecord={start}&endrecord={end}&perpage={listing['per_page']}",
            method="POST",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert reply.status == 200 and reply.header("Content-Type") == "text/xml; charset=UTF-8"
        assert f"<totalrecord>{listing['total']}</totalrecord>" in reply.text()
        assert f"<totalpage>{listing['pages']}</totalpage>" in reply.text()
        urls += [href for record in RECORD.findall(reply.text()) for href in _links(record)]
        start = end + 1
    return urls


def trs_listing(server: FixtureServer, portal: dict[str, Any]) -> list[str]:
    urls = []
    paths = portal["list"]["pages_paths"]
    for index, path in enumerate(paths):
        reply = request(server.url, path)
        assert reply.status == 200
        text = reply.body.decode("gb18030")
        assert f'createPageHTML({len(paths)}, {index}, "index", "html")' in text
        folder = path.rsplit("/", 1)[0]
        for href in _links(text.split('<ul class="list">')[1].split("</ul>")[0]):
            urls.append(folder + href[1:] if href.startswith("./") else href)
    return urls


def shandong_listing(server: FixtureServer, portal: dict[str, Any]) -> list[str]:
    shell = request(server.url, portal["start_path"])
    assert shell.status == 200 and 'data-api="/sd/api/channel/list"' in shell.text()
    urls = []
    for page in range(1, portal["list"]["pages"] + 1):
        reply = request(server.url, portal["list"]["api"].format(page=page))
        assert reply.header("Content-Type") == "application/json; charset=utf-8"
        data = reply.json()
        assert (data["total"], data["pages"], data["page"]) == (portal["list"]["total"], portal["list"]["pages"], page)
        urls += [item["url"] for item in data["items"]]
    return urls


LISTINGS = {"hanweb": hanweb_listing, "trs": trs_listing, "shandong": shandong_listing}


def listing(server: FixtureServer, portal: dict[str, Any]) -> list[str]:
    return LISTINGS[portal["family"]](server, portal)


def test_every_portal_lists_exactly_its_reports_and_other_links(server: FixtureServer, manifest: dict[str, Any]) -> None:
    for key, portal in manifest["portals"].items():
        urls = listing(server, portal)
        assert len(urls) == len(set(urls)) == portal["list"]["total"], key
        expected = [r["page"] for r in portal["reports"]]
        expected += [o["url"] for kind in ("ignore", "dead_links", "disallowed", "offsite") for o in portal[kind]]
        assert sorted(urls) == sorted(expected), key
        assert not {r["page"] for r in portal["staged"]} & set(urls), key


def test_lists_run_newest_first(server: FixtureServer, manifest: dict[str, Any]) -> None:
    portal = manifest["portals"]["sd"]
    dates = [item["date"] for page in range(1, portal["list"]["pages"] + 1)
             for item in request(server.url, portal["list"]["api"].format(page=page)).json()["items"]]
    assert dates == sorted(dates, reverse=True)


def test_dataproxy_answers_get_and_rejects_bad_ranges(server: FixtureServer, manifest: dict[str, Any]) -> None:
    listing_ = manifest["portals"]["hanweb"]["list"]
    reply = request(server.url, f"{listing_['dataproxy']}?startrecord=3&endrecord=5&perpage=3&columnid=1001")
    assert reply.status == 200 and len(RECORD.findall(reply.text())) == 3
    assert f"<totalpage>{-(-listing_['total'] // 3)}</totalpage>" in reply.text()
    assert request(server.url, f"{listing_['dataproxy']}?startrecord=5&endrecord=2&columnid=1001").status == 400
    assert request(server.url, f"{listing_['dataproxy']}?startrecord=x&columnid=1001").status == 400
    assert request(server.url, f"{listing_['dataproxy']}?startrecord=1&endrecord=5&columnid=9999").status == 404


def test_json_api_past_the_end_and_bad_page(server: FixtureServer, manifest: dict[str, Any]) -> None:
    api = manifest["portals"]["sd"]["list"]["api"]
    past = request(server.url, api.format(page=99)).json()
    assert past["items"] == [] and past["total"] == manifest["portals"]["sd"]["list"]["total"]
    bad = request(server.url, api.format(page="zero"))
    assert bad.status == 400 and "page" in bad.json()["error"]


def test_gbk_pages_decode_as_gb18030_and_one_has_no_charset(server: FixtureServer, manifest: dict[str, Any]) -> None:
    portal = manifest["portals"]["trs"]
    for path in portal["list"]["pages_paths"]:
        reply = request(server.url, path)
        assert reply.header("Content-Type") == portal["content_types"].get(path, portal["page_content_type"])
        text = reply.body.decode("gb18030")
        assert 'charset=gb2312' in text and portal["site_name"] in text
        assert reply.body != text.encode("utf-8")  # really GBK bytes, not UTF-8
    assert "text/html" in portal["content_types"].values()


def test_report_pages_and_attachments_answer_with_their_types(server: FixtureServer, manifest: dict[str, Any]) -> None:
    magic = {"docx": b"PK\x03\x04", "wps": b"PK\x03\x04", "pdf": b"%PDF", "rtf": b"{\\rtf1"}
    for portal in manifest["portals"].values():
        for report in portal["reports"]:
            page = request(server.url, report["page"])
            assert page.status == 200, report["id"]
            assert page.header("Content-Type") == report["content_type"], report["id"]
            text = page.body.decode(portal["encoding"] if portal["encoding"] != "gbk" else "gb18030")
            assert f'<meta name="ArticleTitle" content="{report["title"]}">' in text
            assert report["agency"] in text
            if report["attachment"] is None:
                assert "本年新收" in text or "本年新" in text, report["id"]
                continue
            attachment = request(server.url, report["attachment"])
            assert attachment.status == 200, report["id"]
            assert attachment.body.startswith(magic[report["payload"]]), report["id"]
            name = report["attachment"].split("filename=")[-1].rsplit("/", 1)[-1]
            assert name in text, report["id"]


def test_other_articles_answer_dead_links_do_not(server: FixtureServer, manifest: dict[str, Any]) -> None:
    for portal in manifest["portals"].values():
        for other in portal["ignore"] + portal["disallowed"]:
            assert request(server.url, other["url"]).status == 200, other
        for dead in portal["dead_links"]:
            reply = request(server.url, dead["url"])
            assert reply.status == 404 and reply.header("Content-Type") == "text/html; charset=iso-8859-1"
        for staged in portal["staged"]:
            assert request(server.url, staged["page"]).status == 404
        for offsite in portal["offsite"]:
            assert offsite["url"].startswith(manifest["offsite_host"] + "/")


def test_robots_txt_disallows_the_preview_paths_with_a_crawl_delay(server: FixtureServer, manifest: dict[str, Any]) -> None:
    reply = request(server.url, manifest["robots"]["path"])
    assert reply.status == 200 and reply.header("Content-Type") == "text/plain; charset=utf-8"
    lines = reply.text().splitlines()
    assert lines[:2] == ["User-agent: *", f"Crawl-delay: {manifest['robots']['crawl_delay']}"]
    assert [line.split(": ", 1)[1] for line in lines[2:]] == manifest["robots"]["disallow"]
    for portal in manifest["portals"].values():
        assert portal["disallowed_prefix"] in manifest["robots"]["disallow"]
        for link in portal["disallowed"]:
            assert link["url"].startswith(portal["disallowed_prefix"])
            assert "年度报告" in link["title"]


def test_manifest_covers_the_issue(manifest: dict[str, Any]) -> None:
    reports = [r for p in manifest["portals"].values() for r in p["reports"]]
    assert len(reports) >= 30 and manifest["totals"]["reports"] == len(reports)
    assert len({r["agency"] for r in reports}) >= 10
    assert {r["year"] for r in reports} == {2019, 2020, 2021, 2022, 2023}
    assert {p["family"] for p in manifest["portals"].values()} == {"hanweb", "trs", "shandong"}
    assert {"html", "docx", "pdf", "doc", "wps"} <= {r["format"] for r in reports}
    assert json.dumps(manifest, ensure_ascii=False).count("needs_libreoffice\": true") >= 2


REPORT_FIELDS = {
    "id": str, "agency": str, "year": int, "title": str, "date": str, "page": str, "attachment": (str, type(None)),
    "format": str, "payload": str, "needs_libreoffice": bool, "template": str, "verbatim_seed": (str, type(None)),
    "inconsistent": bool, "staged": bool, "content_type": str, "key_cells": dict,
}
PORTAL_FIELDS = {
    "family", "site_name", "region", "column_name", "start_path", "encoding", "page_content_type", "content_types",
    "list", "selectors", "disallowed_prefix", "reports", "staged", "ignore", "dead_links", "disallowed", "offsite",
}


def test_manifest_has_the_documented_shape(manifest: dict[str, Any]) -> None:
    assert manifest["schema"] == 1
    assert set(manifest) == {"schema", "generated_by", "base_url", "robots", "offsite_host", "portals", "mutations", "totals"}
    for key, portal in manifest["portals"].items():
        assert set(portal) == PORTAL_FIELDS, key
        for report in portal["reports"] + portal["staged"]:
            assert set(report) - {"revision"} == set(REPORT_FIELDS), report["id"]
            for name, kind in REPORT_FIELDS.items():
                assert isinstance(report[name], kind), (report["id"], name)
            assert report["id"].startswith(f"{key}-") and report["template"] in ("2019", "2021")
            assert report["format"] in ("html", "docx", "pdf", "doc", "wps")
            assert (report["attachment"] is None) == (report["format"] == "html")
            if "revision" in report:
                assert report["id"] in manifest["mutations"]["revisable"]
                assert all(set(c) == {"cell", "old", "new"} and c["old"] != c["new"] for c in report["revision"]["changes"])
    staged = sorted(r["id"] for p in manifest["portals"].values() for r in p["staged"])
    assert manifest["mutations"]["publishable"] == staged
