"""Each mutation does what it says over real HTTP, and reset undoes it."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from typing import Any

import lxml.html
import pytest

from harvester.fixtureserver import FixtureServer, MutationError
from portal_client import request, zoom
from test_lists import listing


def _report(manifest: dict[str, Any], report_id: str) -> dict[str, Any]:
    for portal in manifest["portals"].values():
        for report in portal["reports"] + portal["staged"]:
            if report["id"] == report_id:
                return report
    raise KeyError(report_id)


def _portal_of(manifest: dict[str, Any], report_id: str) -> dict[str, Any]:
    return next(p for p in manifest["portals"].values() if any(r["id"] == report_id for r in p["reports"] + p["staged"]))


def _mutate(server: FixtureServer, **payload: Any) -> tuple[int, dict[str, Any]]:
    reply = request(server.url, "/__control/mutate", method="POST", body=json.dumps(payload).encode(),
                    headers={"Content-Type": "application/json"})
    return reply.status, reply.json()


def _row_values(page: str, label: str) -> list[str]:
    """The printed cells of the table-3 row whose label starts with ``label``."""
    root = lxml.html.fragment_fromstring(zoom(page), create_parent="div")
    for tr in root.iter("tr"):
        cells = ["".join(td.itertext()).split() for td in tr.iter("td")]
        texts = ["".join(c) for c in cells]
        if any(t.startswith(label) for t in texts):
            return texts[-7:]
    raise AssertionError(f"no row {label}")


def test_revise_serves_the_corrected_page_with_the_cells_it_reports(server: FixtureServer, manifest: dict[str, Any]) -> None:
    report = _report(manifest, "hanweb-etdz-2020")
    before = request(server.url, report["page"])
    status, result = _mutate(server, action="revise", report=report["id"])
    assert status == 200 and result["urls"] == [report["page"]] == report["revision"]["urls"]
    assert result["changes"] == report["revision"]["changes"]
    after = request(server.url, report["page"])
    assert after.header("ETag") != before.header("ETag")
    assert email.utils.parsedate_to_datetime(after.header("Last-Modified")) > email.utils.parsedate_to_datetime(
        before.header("Last-Modified")
    )
    assert request(server.url, report["page"], headers={"If-None-Match": before.header("ETag")}).status == 200
    changes = {c["cell"]: (c["old"], c["new"]) for c in result["changes"]}
    old_total, new_total = changes["applications.new_received.total"]
    assert _row_values(before.text(), "一、本年新收")[-1] == old_total == str(report["key_cells"]["applications.new_received.total"])
    assert _row_values(after.text(), "一、本年新收")[-1] == new_total


def test_revise_an_attachment_changes_its_bytes_only(server: FixtureServer, manifest: dict[str, Any]) -> None:
    report = _report(manifest, "trs-jgsw-2020")
    page, attachment = request(server.url, report["page"]), request(server.url, report["attachment"])
    _mutate(server, action="revise", report=report["id"])
    assert request(server.url, report["page"]).header("ETag") == page.header("ETag")
    revised = request(server.url, report["attachment"])
    assert revised.body != attachment.body and revised.body.startswith(b"PK")


def test_revise_refuses_reports_without_a_revision(server: FixtureServer) -> None:
    status, result = _mutate(server, action="revise", report="hanweb-etdz-2019")
    assert status == 400 and result["ok"] is False and "hanweb-etdz-2020" in result["error"]


def test_reupload_keeps_the_bytes_and_renews_the_validators(server: FixtureServer, manifest: dict[str, Any]) -> None:
    report = _report(manifest, "trs-kfq-2021")
    before = request(server.url, report["attachment"])
    status, result = _mutate(server, action="reupload", report=report["id"])
    assert status == 200 and result["url"] == result["old_url"] == report["attachment"]
    after = request(server.url, report["attachment"], headers={"If-None-Match": before.header("ETag")})
    assert after.status == 200 and after.body == before.body
    assert after.header("ETag") != before.header("ETag")
    renewed = dt.datetime.fromisoformat(result["last_modified"])
    assert after.header("Last-Modified") == email.utils.format_datetime(renewed, usegmt=True)


def test_reupload_under_a_new_name_moves_the_link(server: FixtureServer, manifest: dict[str, Any]) -> None:
    for report_id in ("hanweb-hcq-2021", "trs-gov-2022"):
        report = _report(manifest, report_id)
        before = request(server.url, report["attachment"])
        status, result = _mutate(server, action="reupload", report=report_id, new_url=True)
        assert status == 200 and result["url"] != report["attachment"]
        assert request(server.url, report["attachment"]).status == 404
        assert request(server.url, result["url"]).body == before.body
        encoding = _portal_of(manifest, report_id)["encoding"].replace("gbk", "gb18030")
        page = request(server.url, report["page"]).body.decode(encoding)
        new_name = result["url"].split("filename=")[-1].rsplit("/", 1)[-1]
        old_name = report["attachment"].split("filename=")[-1].rsplit("/", 1)[-1]
        assert new_name in page and old_name not in page


def test_publish_puts_the_staged_report_on_top_of_every_list(server: FixtureServer, manifest: dict[str, Any]) -> None:
    for key, portal in manifest["portals"].items():
        staged = portal["staged"][0]
        status, result = _mutate(server, action="publish", report=staged["id"])
        assert status == 200 and result["page"] == staged["page"]
        assert request(server.url, staged["page"]).status == 200
        if staged["attachment"]:
            assert request(server.url, staged["attachment"]).status == 200
        urls = listing(server, {**portal, "list": {**portal["list"], "total": portal["list"]["total"] + 1,
                                                   "pages": -(-(portal["list"]["total"] + 1) // portal["list"]["per_page"])}})
        assert urls[0] == staged["page"], key


def test_takedown_removes_the_report_everywhere(server: FixtureServer, manifest: dict[str, Any]) -> None:
    report = _report(manifest, "sd-gxj-2021")
    portal = _portal_of(manifest, report["id"])
    status, result = _mutate(server, action="takedown", report=report["id"])
    assert status == 200 and result["gone"] == [report["page"], report["attachment"]]
    assert request(server.url, report["page"]).status == 404
    assert request(server.url, report["attachment"]).status == 404
    shrunk = {**portal, "list": {**portal["list"], "total": portal["list"]["total"] - 1}}
    assert report["page"] not in listing(server, shrunk)


@pytest.mark.parametrize(
    ("kind", "status", "cookie"),
    [
        ("ruishu", 412, "FSSBBIl1UgzbN7N80S="),
        ("jiasule", 521, "__jsluid_h="),
        ("wzws", 307, "wzws_cid="),
        ("unavailable", 503, None),
    ],
)
def test_challenge_answers_like_the_front_end(server: FixtureServer, manifest: dict[str, Any], kind: str, status: int, cookie: str | None) -> None:
    url = manifest["portals"]["trs"]["start_path"]
    assert _mutate(server, action="challenge", url=url, kind=kind) == (200, {"ok": True, "action": "challenge", "url": url, "kind": kind})
    reply = request(server.url, url)
    assert reply.status == status == manifest["mutations"]["challenge_kinds"][kind]
    if cookie:
        assert reply.header("Set-Cookie").startswith(cookie)
    assert server.log()[-1]["status"] == status
    assert request(server.url, manifest["portals"]["trs"]["list"]["pages_paths"][1]).status == 200


def test_reset_undoes_every_mutation(server: FixtureServer, manifest: dict[str, Any]) -> None:
    urls = [p["start_path"] for p in manifest["portals"].values()]
    urls += ["/sd/api/channel/list?channel=nb&page=1", "/module/web/jpage/dataproxy.jsp?startrecord=9&endrecord=16&columnid=1001"]
    touched = ["hanweb-etdz-2020", "hanweb-hcq-2021", "trs-jgsw-2020", "sd-gwh-2021"]
    urls += [u for r in touched for u in (_report(manifest, r)["page"], _report(manifest, r)["attachment"]) if u]

    def snapshot() -> list[tuple[int, bytes, str | None]]:
        return [(r.status, r.body.split(b'<div class="footer">')[0], r.header("ETag"))
                for r in (request(server.url, u) for u in urls)]

    before = snapshot()
    server.mutate("revise", report="hanweb-etdz-2020")
    server.mutate("revise", report="trs-jgsw-2020")
    server.mutate("reupload", report="hanweb-hcq-2021", new_url=True)
    server.mutate("publish", report="sd-fj-2023")
    server.mutate("takedown", report="sd-gwh-2021")
    server.mutate("challenge", url=manifest["portals"]["hanweb"]["start_path"], kind="ruishu")
    assert snapshot() != before
    assert _mutate(server, action="reset") == (200, {"ok": True, "action": "reset", "reset": True})
    assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"action": "explode"}, "unknown action 'explode'"),
        ({"action": "takedown", "report": "nope"}, "unknown report 'nope'"),
        ({"action": "takedown", "report": "sd-gwh-2021", "colour": "red"}, "takedown: "),
        ({"action": "publish", "report": "sd-gwh-2021"}, "is not staged; staged: hanweb-sthj-2023, sd-fj-2023, trs-jyty-2023"),
        ({"action": "reupload", "report": "sd-gwh-2021"}, "has no attachment"),
        ({"action": "challenge", "url": "/x", "kind": "captcha"}, "unknown challenge 'captcha'"),
        ({"action": "challenge"}, "challenge needs url"),
        ({"report": "x"}, 'send a JSON object with "action"'),
    ],
)
def test_bad_mutations_get_one_clear_line(server: FixtureServer, payload: dict[str, Any], message: str) -> None:
    status, result = _mutate(server, **payload)
    assert status == 400 and result["ok"] is False and message in result["error"] and "\n" not in result["error"]


def test_bad_json_and_python_api_errors(server: FixtureServer) -> None:
    reply = request(server.url, "/__control/mutate", method="POST", body=b"{not json")
    assert reply.status == 400 and reply.json()["ok"] is False
    with pytest.raises(MutationError, match="unknown report"):
        server.mutate("revise", report="missing")
