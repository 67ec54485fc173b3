"""Work the record pipeline hands off the reactor: to worker processes (spawned, and dying
with the crawl: see ``workers``), which run beside the downloads without sharing the crawl process's GIL, or to one thread of this
process (``workers=0``, and from the moment a worker process dies, so nothing is lost).
Writing to the archive is our own code on our own data, so running it again in this
process is safe; parsing untrusted documents is not, and has its own pool (``workers``).

Spawned workers import the ``__main__`` module again: a script that calls
``run_crawl`` needs the usual ``if __name__ == "__main__":`` guard (``harvester`` has it).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.util
import os
import sys
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from harvester.pipelines import shared
from harvester.pipelines.workers import collect_seldom, die_with_parent, name_process

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _start_worker(parent: int, name: str, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    # A worker outliving a killed crawl would keep its database connection open.
    die_with_parent(parent)
    name_process(name)
    collect_seldom()  # the writer's batches and the reader's questions are jobs as parses are
    # Run last of the process's finalizers, once its pool has told it to stop.
    multiprocessing.util.Finalize(None, _leave_at_once, exitpriority=-100)
    if initializer is not None:
        initializer(*initargs)


def _leave_at_once() -> None:
    """End a worker whose jobs are done without tearing its heap down: the writer's exit spent
    0.19 s of a crawl's close (its caches, the interpreter's last collection and module teardown),
    and the crawl waits for it. Every job committed what it wrote, so there is nothing to lose.
    A worker leaving by an exception leaves as it would have, to report it."""
    if sys.exc_info()[0] is None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


class Offload:
    def __init__(self, name: str, workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()):
        self.name = name
        # One thread keeps local work in submission order (the archive writer relies on it).
        self.thread = ThreadPoolExecutor(1, thread_name_prefix=name)
        self.pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker,
            initargs=(os.getpid(), name, initializer, initargs),
        ) if workers > 0 else None

    def start(self) -> None:
        """Start the worker processes now rather than at the first job: their start-up
        (imports, the initializer) then runs beside the crawl's own instead of delaying the
        first job. A worker that fails to start fails that job, as it would have anyway."""
        if self.pool is not None:
            self.pool.submit(os.getpid)

    async def run(self, remote: Callable[..., T], local: Callable[..., T], *args: Any) -> T:
        """``remote(*args)`` in a worker process, or ``local(*args)`` in the thread."""
        loop = asyncio.get_running_loop()
        if self.pool is not None:
            try:
                return await loop.run_in_executor(self.pool, remote, *args)
            except BrokenProcessPool as exc:
                logger.warning("%s workers failed (%s); working in the crawl process from now on", self.name, exc)
                self.pool = None
        return await self.run_here(local, *args)

    async def run_here(self, local: Callable[..., T], *args: Any) -> T:
        """``local(*args)`` in the thread whatever the workers: for the work too light to be
        worth a hand-off to a process. The worker processes start when first given work."""
        return await asyncio.get_running_loop().run_in_executor(self.thread, local, *args)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
        self.thread.shutdown()


def archive_offload(name: str, settings: Mapping[str, Any], in_process: bool,
                    initializer: Callable[[str, str], None]) -> tuple[Hashable, Offload]:
    """The crawl process's offload ``name`` of the archive the settings name (its own process
    when ``in_process``, ``initializer`` opening the archive there), shared with the process's
    other crawlers of that archive (``shared``); its process starts at ``Offload.start`` or its
    first job. Returns the key to let it go by."""
    db_url, data_dir = settings["HARVESTER_DB_URL"], settings["HARVESTER_DATA_DIR"]

    def make() -> Offload:
        return Offload(name, 1 if in_process else 0, initializer, (db_url, data_dir))

    key = (name, db_url, data_dir, in_process)
    return key, shared.workers.take(key, make)
