"""Work handed off the reactor: a worker process answers with its own state; without one, the thread does."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os

from harvester.pipelines.offload import Offload
from tests.crawl import worker_jobs


def _ask(offload: Offload, remote, local):  # type: ignore[no-untyped-def]
    try:
        return asyncio.run(offload.run(remote, local))
    finally:
        offload.close()


def test_a_worker_process_answers_and_lets_a_job_build_its_objects_before_the_collector_looks() -> None:
    # the writer's batches and the reader's questions build objects freed by reference count
    # when they end, as a parse's are (harvester.pipelines.workers.collect_seldom)
    pid, (young, older, oldest) = _ask(Offload("t", 1), _state, _state)
    assert pid != os.getpid()
    assert young > 10 * gc.get_threshold()[0] and (older, oldest) == gc.get_threshold()[1:]


def test_without_a_worker_process_the_thread_of_this_process_answers() -> None:
    assert _ask(Offload("t", 0), _state, _state) == (os.getpid(), gc.get_threshold())


def _state() -> tuple[int, tuple[int, int, int]]:
    return os.getpid(), gc.get_threshold()


def test_started_workers_are_running_before_any_job_and_answer_it() -> None:
    offload = Offload("t", 1)
    try:
        before = {p.pid for p in multiprocessing.active_children()}
        offload.start()
        started = {p.pid for p in multiprocessing.active_children()} - before  # at start, not at a job
        assert len(started) == 1
        pid, _ = asyncio.run(offload.run(_state, _state))
        assert {pid} == started
    finally:
        offload.close()


def test_starting_without_worker_processes_starts_nothing() -> None:
    offload = Offload("t", 0)
    offload.start()
    assert _ask(offload, _state, _state)[0] == os.getpid()


def test_a_worker_whose_jobs_are_done_leaves_without_tearing_its_heap_down(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # the writer's teardown (its caches, the last collection, the modules) was 0.19 s of a
    # crawl's close, which waits for it; every job has committed what it wrote by then
    marker = tmp_path / "teardown"
    offload = Offload("t", 1, worker_jobs.note_teardown, (str(marker),))
    pid, _ = _ask(offload, _state, _state)
    assert pid != os.getpid() and not marker.exists()
