"""Watching a process tree through /proc while it runs: CPU seconds per process and the
resident memory of the whole tree (children included), sampled every ``interval`` seconds.

Each process is known by its name (``/proc/PID/comm``): the crawl names its workers
(``parse-worker``, ``archive-writer``), so a benchmark can split CPU time by stage.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Seen:
    name: str
    cpu_s: float  # user + system, at the last sample that saw the process alive
    rss: int  # bytes, at that sample


@dataclass
class TreeWatch:
    root: int
    interval: float = 0.1
    tick: Callable[[float, int], None] | None = None  # called with (elapsed, tree RSS) each sample
    processes: dict[int, Seen] = field(default_factory=dict)
    peak_rss: int = 0
    rss_by_name: dict[str, int] = field(default_factory=dict)  # of the last sample, the root's under "main"
    most_by_name: dict[str, int] = field(default_factory=dict)  # the most processes of each name in one sample
    # Each sample's time and CPU seconds so far by process name: where the cores sat idle.
    timeline: list[tuple[float, dict[str, float]]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> "TreeWatch":
        self._thread = threading.Thread(target=self._run, name="proctree", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        started = time.monotonic()
        while not self._stop.is_set():
            total = self.sample()
            self.timeline.append((time.monotonic() - started, self.cpu_by_name()))
            if self.tick is not None:
                self.tick(time.monotonic() - started, total)
            self._stop.wait(self.interval)

    def sample(self) -> int:
        """Read every process of the tree once; return the tree's resident bytes."""
        total = 0
        by_name: dict[str, int] = {}
        count: dict[str, int] = {}
        for pid in _tree(self.root):
            seen = _read(pid)
            if seen is None:
                continue
            self.processes[pid] = seen
            total += seen.rss
            name = "main" if pid == self.root else seen.name
            by_name[name] = by_name.get(name, 0) + seen.rss
            count[name] = count.get(name, 0) + 1
        self.peak_rss = max(self.peak_rss, total)
        for name, number in count.items():
            self.most_by_name[name] = max(self.most_by_name.get(name, 0), number)
        self.rss_by_name = by_name
        return total

    def cpu_by_name(self, root_name: str = "main") -> dict[str, float]:
        """CPU seconds by process name, the root's under ``root_name``."""
        split: dict[str, float] = {}
        for pid, seen in self.processes.items():
            name = root_name if pid == self.root else seen.name
            split[name] = split.get(name, 0.0) + seen.cpu_s
        return split


def busy_by_second(timeline: list[tuple[float, dict[str, float]]]) -> list[dict[str, float]]:
    """The cores each process name kept busy in each whole second of a ``TreeWatch.timeline``
    (1.0: one core all the second), the second's total under ``all``."""
    seconds: list[dict[str, float]] = []
    last: dict[str, float] = {}
    for elapsed, cpu in timeline:
        if elapsed < len(seconds) + 1:
            continue
        used = {name: round(value - last.get(name, 0.0), 2) for name, value in cpu.items()}
        seconds.append({**{k: v for k, v in used.items() if v}, "all": round(sum(used.values()), 2)})
        last = cpu
    return seconds


def _tree(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:  # gone meanwhile
            continue
    return found


def _read(pid: int) -> Seen | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
        with open(f"/proc/{pid}/statm") as handle:
            resident = int(handle.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    # The name is in parentheses and may hold spaces; the fields after it are space-separated.
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return Seen(name, (utime + stime) / _TICKS, resident * _PAGE)
