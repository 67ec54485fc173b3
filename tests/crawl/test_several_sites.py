"""A crawl of several sites in one process: its crawlers share the process's worker processes
(one archive writer and one pool of parse workers, however many sites, closed when the last
site is done), and at most so many sites are crawled at a time, the others in turn."""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from pathlib import Path

from types import SimpleNamespace
from typing import Any

import pytest
from conftest import SITE_OF_PORTAL, crawl_cli, crawl_env, harvester_cmd

from harvester.crawl import crawl_in_turn
from harvester.pipelines.shared import Shared
from harvester.settings import HARVESTER_PARSE_WORKERS
from storage.archive import Archive


class Pool:
    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_a_value_is_made_once_per_key_and_closed_by_its_last_holder() -> None:
    shared = Shared()
    made: list[Pool] = []

    def make(name: str) -> Pool:
        made.append(Pool(name))
        return made[-1]

    first = shared.take(("parse", 2), lambda: make("a"))
    assert shared.take(("parse", 2), lambda: make("b")) is first and made == [first]
    other = shared.take(("parse", 4), lambda: make("c"))  # other settings, other workers
    assert other is not first and shared.holders(("parse", 2)) == 2
    shared.let_go(("parse", 2))
    assert not first.closed  # a site is still crawling with it
    shared.let_go(("parse", 2))
    assert first.closed and not other.closed and shared.holders(("parse", 2)) == 0
    assert shared.take(("parse", 2), lambda: make("d")) is made[-1] is not first  # a later crawl: fresh ones


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _names(pids: list[int]) -> Counter[str]:
    names: Counter[str] = Counter()
    for pid in pids:
        try:
            names[Path(f"/proc/{pid}/comm").read_text().strip()] += 1
        except OSError:
            pass  # ended meanwhile
    return names


@pytest.mark.slow
def test_a_crawl_of_several_sites_runs_one_writer_and_one_pool_of_parse_workers(
        fixture_server, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    sites = list(SITE_OF_PORTAL.values())
    process = subprocess.Popen(harvester_cmd("crawl", *sites, "--db", sqlite_url, "--json"), env=crawl_env(data_dir),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    most: Counter[str] = Counter()
    while process.poll() is None:
        most |= _names(_descendants(process.pid))  # the most of each name seen at once
        time.sleep(0.02)
    out, _ = process.communicate()
    assert process.returncode == 0
    assert most["archive-writer"] == 1, most
    assert 1 <= most["parse-worker"] <= HARVESTER_PARSE_WORKERS, most
    summary = json.loads(out)["sites"]
    assert all(summary[site]["new_reports"] > 0 and summary[site]["errors"] == 0 for site in sites), summary


class Task:
    """Stands in for the asyncio task of one site's crawl."""

    def __init__(self) -> None:
        self.callbacks: list[Any] = []

    def add_done_callback(self, callback: Any) -> None:
        self.callbacks.append(callback)

    def end(self) -> None:
        for callback in self.callbacks:
            callback(self)


class Process:
    """Stands in for Scrapy's crawler process: records which sites' crawls were begun."""

    def __init__(self) -> None:
        self.begun: list[tuple[str, Task]] = []

    def crawl(self, crawler: Any, site: Any) -> Task:
        self.begun.append((site.name, Task()))
        return self.begun[-1][1]


def _crawlers(names: str, reason: dict[str, str]) -> list[tuple[Any, Any]]:
    """(config, crawler) of each site; a crawler's finish reason is read from ``reason`` when it ends."""
    return [(SimpleNamespace(name=name), SimpleNamespace(stats=SimpleNamespace(
        get_stats=lambda name=name: {"finish_reason": reason.get(name, "finished")}))) for name in names]


def test_sites_beyond_the_limit_are_crawled_as_others_end() -> None:
    process = Process()
    crawl_in_turn(process, _crawlers("abcde", {}), at_once=2)
    assert [site for site, _ in process.begun] == ["a", "b"]
    process.begun[1][1].end()  # b ends: c begins
    assert [site for site, _ in process.begun] == ["a", "b", "c"]
    process.begun[0][1].end()
    process.begun[2][1].end()
    assert [site for site, _ in process.begun] == list("abcde")
    process.begun[3][1].end()
    process.begun[4][1].end()
    assert len(process.begun) == 5  # none left to begin


def test_no_site_begins_once_a_crawl_was_shut_down() -> None:
    process = Process()
    crawl_in_turn(process, _crawlers("abcd", {"a": "shutdown"}), at_once=2)
    process.begun[0][1].end()  # Ctrl-C: the crawls running close as "shutdown"
    process.begun[1][1].end()
    assert [site for site, _ in process.begun] == ["a", "b"]


@pytest.mark.slow
def test_sites_crawled_one_at_a_time_run_one_after_the_other(portal, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    sites = list(SITE_OF_PORTAL.values())
    summary = crawl_cli(sites, sqlite_url, data_dir, "--sites-at-once", "1")
    assert all(summary["sites"][site]["new_reports"] > 0 for site in sites)
    with Archive.open(sqlite_url, data_dir) as archive:
        runs = sorted(archive.runs(), key=lambda run: run.started_at)
    assert [run.site for run in runs] == sites and all(run.status == "ok" for run in runs)
    assert all(later.started_at >= earlier.finished_at for earlier, later in zip(runs, runs[1:]))
