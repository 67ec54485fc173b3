"""A report page whose table 3 the editor pasted as a picture, crawled end to end over HTTP on
127.0.0.1: the crawl fetches the picture with the page, OCR reads the table, the archive keeps
the picture with the version; an unchanged picture is asked for conditionally and makes no
version, a changed one makes one. Icons in the body are never taken for tables."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from archive_view import captures, stored_reports
from conftest import crawl_cli
from generic_portal import DOCUMENTS, GenericPortal, Report
from PIL import Image

from parsers.locations import without_locations
from tests.parsers import ocr_material as material

pytestmark = pytest.mark.slow

SEED = "001_edb62deb526a149a"
APPLICATIONS_TABLE = 1  # the seed page's tables, in order: 2, 3, 4
CARRIED_OVER = "二、上年结转政府信息公开申请数量</td>" + "<td>0</td>" * 7
CARRIED_OVER_CHANGED = "二、上年结转政府信息公开申请数量</td><td>2</td>" + "<td>0</td>" * 5 + "<td>2</td>"
ICON, DOT = "/images/print.png", "/images/dot.gif"


def _picture_page(seed_html: str, out_dir: Path) -> tuple[bytes, dict[str, bytes]]:
    """The seed page with table 3 a Chromium screenshot, plus an icon and a spacer in its body."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / f"{SEED}.html"
    source.write_text(seed_html, encoding="utf-8")
    page, images = material.page_with_table_pictures(source, out_dir, which={APPLICATIONS_TABLE})
    (src,) = images
    furniture = f'<img src="{ICON}" width="16" height="16"><img src="{DOT}">'.encode()
    return page.replace(f'<img src="{src}"'.encode(), furniture + f'<img src="{src}"'.encode(), 1), images


def _gif(size: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), "white").save(out, "GIF")
    return out.getvalue()


def _applications(report_json: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    rows = report_json["tables"]["applications"]["rows"]
    return {(row, col): cell for row, value in rows.items() for col, cell in value["cells"].items()}


def test_a_table_picture_is_fetched_read_by_ocr_and_versioned_with_the_report(
    tmp_path: Path, sites_dir: Path, sqlite_url: str, data_dir: Path
) -> None:
    # On SQLite only: OCR makes this the suite's slowest crawl, and pictures are stored as
    # ordinary attachments, which the end-to-end crawls hold on PostgreSQL too.
    db_url = sqlite_url
    assert not material.missing_tools(), f"test material needs {', '.join(material.missing_tools())}"
    seed_html = (DOCUMENTS / f"{SEED}.html").read_text(encoding="utf-8")
    assert CARRIED_OVER in seed_html
    page, images = _picture_page(seed_html, tmp_path / "original")
    _, changed_images = _picture_page(seed_html.replace(CARRIED_OVER, CARRIED_OVER_CHANGED), tmp_path / "changed")
    (src, picture), = images.items()
    assert changed_images[src] != picture
    document = tmp_path / "page.html"
    document.write_bytes(page)
    expected = json.loads((DOCUMENTS.parent / "expected" / f"{SEED}.json").read_text(encoding="utf-8"))
    report = Report("pic-2020", expected["metadata"]["title"], expected["metadata"]["agency"], 2020, "202101", document, "page")

    portal = GenericPortal([report])
    try:
        portal.files[src] = (picture, "image/png")
        portal.files[ICON] = (_gif(16), "image/gif")
        portal.files[DOT] = (_gif(1), "image/gif")
        (sites_dir / "county.yaml").write_text(portal.site_config(), encoding="utf-8")

        first = crawl_cli(["county"], db_url, data_dir)["sites"]["county"]
        second = crawl_cli(["county"], db_url, data_dir)["sites"]["county"]
        portal.files[src] = (changed_images[src], "image/png")
        third = crawl_cli(["county"], db_url, data_dir)["sites"]["county"]
    finally:
        portal.stop()

    assert (first["new_reports"], first["errors"], first["failed"]) == (1, 0, 0)
    assert (second["new_reports"], second["new_versions"], second["failed"]) == (0, 0, 0)
    assert (third["new_versions"], third["failed"]) == (1, 0)

    stored = stored_reports(db_url)[(report.agency, 2020)]
    assert len(stored.versions) == 2
    read = _applications(stored.versions[0]["report_json"])
    want = _applications(expected)
    assert {k: c["raw"] for k, c in read.items()} == {k: c["raw"] for k, c in want.items()}
    assert all(c["source"] == "ocr" and 0 < c["confidence"] <= 1 for c in read.values())
    # Tables 2 and 4 are the page's own HTML: no OCR keys on them.
    assert without_locations(stored.versions[0]["report_json"])["tables"]["appeals"] == expected["tables"]["appeals"]
    changed = _applications(stored.versions[1]["report_json"])
    carried = {k: c["raw"] for k, c in changed.items() if c["raw"] == "2" and read[k]["raw"] == "0"}
    assert len(carried) == 2 and {row for row, _ in carried} == {next(iter(carried))[0]}

    rows = captures(db_url)
    picture_url = portal.url + src
    assert [r.status for r in rows if r.url == picture_url] == ["ok", "not_modified", "ok"]
    assert [r.role for r in rows if r.url == picture_url] == ["attachment"] * 3
    # The icon is left alone by its drawn size; the spacer is fetched once, seen to be 1x1, and not kept.
    assert ICON not in portal.log
    assert DOT in portal.log and all(r.url != portal.url + DOT for r in rows)
