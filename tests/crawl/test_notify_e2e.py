"""Notifications after real crawls: a webhook on 127.0.0.1 told once of a revision, a
receiver that refuses is retried and the crawl still succeeds."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import crawl_cli, crawl_env, harvester_cmd
from webhook import WebhookReceiver

pytestmark = pytest.mark.slow


def rules(path: Path, url: str, events: str = "[new_version]") -> Path:
    path.write_text(
        "web_url: http://127.0.0.1:8000\n"
        "rules:\n"
        "  - name: revisions\n"
        f"    events: {events}\n"
        "    sites: [fixture-shandong]\n"
        f"    urls: ['{url}']\n", encoding="utf-8")
    return path


def test_a_revision_is_told_once_with_its_cells(portal, sqlite_url: str, data_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    receiver = WebhookReceiver()
    monkeypatch.setenv("HARVESTER_NOTIFY", str(rules(tmp_path / "notify.yaml", receiver.url)))
    try:
        crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
        assert receiver.received == []  # first sight of every report: no revision
        changed = portal.mutate("revise", report="sd-gxj-2021")
        crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
        crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
    finally:
        receiver.close()
    assert len(receiver.received) == 1
    message = receiver.received[0]
    assert "1 report event" in message["title"]
    body = message["message"]
    assert "淄博市工业和信息化局 2021, version 2 (numbers" in body
    assert changed["changes"]
    for cell in changed["changes"]:
        assert f"{cell['cell']}: {cell['old']} → {cell['new']}" in body, cell
    assert "http://127.0.0.1:8000/reports/" in body and "/diff/1..2" in body


def test_a_refusing_receiver_is_retried_and_the_crawl_succeeds(portal, sqlite_url: str, data_dir: Path,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    receiver = WebhookReceiver(status=500)
    monkeypatch.setenv("HARVESTER_NOTIFY", str(rules(tmp_path / "notify.yaml", receiver.url, "[new_report]")))
    try:
        summary = crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
        assert receiver.attempts == 3 and summary["sites"]["fixture-shandong"]["finish_reason"] == "finished"
        receiver.status = 200  # the receiver is back: the owed events go with the next crawl, once
        crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
        crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
    finally:
        receiver.close()
    assert len(receiver.received) == 1
    assert receiver.received[0]["message"].count("新报告 / new report") == summary["sites"]["fixture-shandong"]["new_reports"]


def test_a_column_that_changes_its_layout_makes_the_site_unhealthy_once(
        portal, sqlite_url: str, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    receiver = WebhookReceiver()
    monkeypatch.setenv("HARVESTER_NOTIFY", str(rules(tmp_path / "notify.yaml", receiver.url, "[site_broken, site_blocked]")))
    try:
        crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
        assert receiver.received == []
        portal.mutate("relayout", portal="sd")
        broken = crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
        crawl_cli(["fixture-shandong"], sqlite_url, data_dir)  # still broken: the same trouble, not a new one
    finally:
        receiver.close()
    assert broken["sites"]["fixture-shandong"]["reports_found"] == 0
    assert len(receiver.received) == 1
    assert "site broken: fixture-shandong: list pages yielded no report links (earlier runs found" in receiver.received[0]["message"]
    listing = subprocess.run(harvester_cmd("sites", "--db", sqlite_url, "--json"), capture_output=True, text=True,
                             env=crawl_env(data_dir), timeout=60)
    [site] = [s for s in json.loads(listing.stdout) if s["name"] == "fixture-shandong"]
    assert site["health"]["healthy"] is False and "no report links" in site["health"]["reasons"][0]
