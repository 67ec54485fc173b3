"""The committed portals are exactly what the generator writes, and the big portal serves."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.portals.generator import sources
from fixtures.portals.generator.big import big_root, report_at
from fixtures.render.html import render_report_html
from harvester.fixtureserver import serve_in_thread
from portal_client import request

GENERATED = ("site", "variants", "server.json", "manifest.json")


def _differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"{prefix}{name}" for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    for name in GENERATED:
        if (left / name).is_dir():
            walk(filecmp.dircmp(left / name, right / name), f"{name}/")
        elif not filecmp.cmp(left / name, right / name, shallow=False):
            found.append(name)
    return found


def test_regenerating_gives_the_committed_files(portals_root: Path, repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "portals"
    subprocess.run([sys.executable, str(portals_root / "build.py"), "--out", str(out)], check=True, cwd=repo_root,
                   capture_output=True)
    assert _differences(portals_root, out) == []


def test_big_portal_lists_every_report(repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "big"
    subprocess.run([sys.executable, "fixtures/portals/build.py", "--big", "45", "--out", str(out)], check=True,
                   cwd=repo_root, capture_output=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    portal = manifest["portals"]["big"]
    assert manifest["totals"]["reports"] == len(portal["reports"]) == 45
    assert len({r["page"] for r in portal["reports"]}) == 45
    with serve_in_thread(out) as server:
        listing = portal["list"]
        last = request(server.url, f"{listing['dataproxy']}?startrecord=41&endrecord=60&perpage=20&columnid=1001").text()
        assert f"<totalrecord>{listing['total']}</totalrecord>" in last and last.count("<record>") == listing["total"] - 40
        for report in portal["reports"][::11]:
            page = request(server.url, report["page"])
            assert page.status == 200 and report["agency"] in page.text() and "<table" in page.text()


def test_big_needs_an_output_directory(repo_root: Path) -> None:
    result = subprocess.run([sys.executable, "fixtures/portals/build.py", "--big", "10"], cwd=repo_root,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "--big needs --out DIR" in result.stderr


def test_a_warmed_big_portal_renders_nothing_while_serving_the_same_pages(repo_root: Path, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = repo_root / "fixtures" / "seeds"
    cold = big_root(60, seeds, tmp_path / "cold")
    expected = [cold.pages.page(n) for n in range(1, 61)]
    warmed = big_root(60, seeds, tmp_path / "warmed")
    warmed.warm()
    renders: list[object] = []

    def counted(*args: object, **kwargs: object) -> str:
        renders.append(args)
        return render_report_html(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sources, "render_report_html", counted)
    assert [warmed.pages.page(n) for n in range(1, 61)] == expected
    with serve_in_thread(root=warmed) as server:
        page = request(server.url, expected[7][0])
        assert page.status == 200 and report_at(7).agency.name in page.text()
    assert renders == []
