"""Parse workers under limits: a job that runs out of memory, CPU or time, or crashes its
process, fails alone; the worker is replaced and the pool goes on."""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from harvester.items import ReportItem, Resource
from harvester.pipelines import capture_parse as parse_module
from harvester.pipelines.capture_parse import parse_capture_run
from harvester.pipelines.workers import WorkerFailed, WorkerLimits, WorkerPool
from tests.crawl import worker_jobs
from tests.crawl.archive_view import captures, stored_reports
from tests.crawl.conftest import crawl_env
from tests.crawl.hostile_portal import MAXSIZE, REPORT_DOCX
from tests.crawl.test_scope import CRAWL, hostile  # noqa: F401 - the crafted portal fixture
from tests.crawl.test_parse_pipeline import LINK_PAGE, SITE

LIMITS = WorkerLimits(memory_mb=1024, cpu_seconds=2, deadline=60)


def run(pool: WorkerPool, *jobs):  # type: ignore[no-untyped-def]
    """Run jobs at once; each one's result or WorkerFailed message."""
    async def one(job):  # type: ignore[no-untyped-def]
        try:
            return await pool.run(*job)
        except WorkerFailed as exc:
            return f"failed: {exc}"

    async def main():  # type: ignore[no-untyped-def]
        try:
            return await asyncio.gather(*(one(job) for job in jobs))
        finally:
            pool.close()

    return asyncio.run(main())


def test_a_crashing_job_fails_alone_and_its_worker_is_replaced() -> None:
    pool = WorkerPool("t", 2, LIMITS)
    crashed, beside = run(pool, (worker_jobs.segfault,), (worker_jobs.echo, "beside"))
    assert crashed == "failed: worker died (SIGSEGV, crashed)" and beside == "beside"
    assert pool.replaced == 1


def test_a_worker_lets_a_job_build_its_objects_before_the_collector_looks() -> None:
    # a parse's objects are freed by their reference counts when it ends: tracing them
    # every 700 new ones while they were built cost some 1 ms a report
    [(young, older, oldest)] = run(WorkerPool("t", 1, LIMITS), (gc.get_threshold,))
    assert young > 10 * gc.get_threshold()[0] and (older, oldest) == gc.get_threshold()[1:]


def test_a_parse_worker_reads_pdfs_without_the_machines_fonts_and_other_workers_keep_them() -> None:
    from harvester.pipelines.capture_parse import start_parse_worker
    from parsers.extract.pdf_fonts import system_fonts_used

    assert run(WorkerPool("parse", 1, LIMITS, initializer=start_parse_worker), (system_fonts_used,)) == [False]
    assert run(WorkerPool("t", 1, LIMITS), (system_fonts_used,)) == [True]


def test_memory_and_cpu_limits_and_deep_recursion_each_fail_one_job() -> None:
    pool = WorkerPool("t", 1, WorkerLimits(memory_mb=1024, cpu_seconds=1, deadline=0))
    results = run(pool, (worker_jobs.allocate, 4096), (worker_jobs.spin,), (worker_jobs.recurse,),
                  (worker_jobs.echo, "still working"))
    assert results[0] == "failed: MemoryError"  # the worker survives its MemoryError
    assert results[1] == "failed: worker died (SIGXCPU, CPU limit)"
    assert results[2].startswith("failed: RecursionError")
    assert results[3] == "still working"
    assert pool.replaced == 1


def test_a_job_past_its_deadline_has_its_worker_killed() -> None:
    pool = WorkerPool("t", 1, WorkerLimits(memory_mb=0, cpu_seconds=0, deadline=2))
    slept, after = run(pool, (worker_jobs.sleep, 3600), (worker_jobs.echo, "next"))
    assert (slept, after) == ("failed: no result within the 2 s deadline; worker killed", "next")
    assert pool.replaced == 1


def test_a_job_whose_wait_is_cancelled_leaves_no_reply_for_the_next() -> None:
    # the worker still at the cancelled job would answer the next one with its reply
    pool = WorkerPool("t", 1, LIMITS)

    async def main():  # type: ignore[no-untyped-def]
        try:
            slow = asyncio.ensure_future(pool.run(worker_jobs.sleep_then_echo, 0.5, "cancelled job's"))
            await asyncio.sleep(0.2)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            # its replacement starts when a job needs it, not as the crawl winds down
            assert [w for w in pool.workers if w.process.is_alive()] == []
            return await pool.run(worker_jobs.echo, "next")
        finally:
            pool.close()

    assert asyncio.run(main()) == "next"
    assert pool.replaced == 1


def test_workers_leave_by_themselves_when_the_pool_closes() -> None:
    pool = WorkerPool("t", 2, LIMITS)

    async def main():  # type: ignore[no-untyped-def]
        pids = await asyncio.gather(pool.run(worker_jobs.pid), pool.run(worker_jobs.pid))
        processes = [worker.process for worker in pool.workers]
        pool.close()
        return pids, processes

    pids, processes = asyncio.run(main())
    assert set(pids) <= {p.pid for p in processes}
    assert [p.exitcode for p in processes] == [0, 0]  # left on their own: not killed


@pytest.mark.parametrize("exc", [ValueError("bad cell"), RecursionError("maximum recursion depth exceeded"),
                                 UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed"), MemoryError()])
@pytest.mark.parametrize("step", ["read_source", "parse_document"])
def test_any_parser_exception_keeps_the_capture_with_its_error(exc: BaseException, step: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise exc

    monkeypatch.setattr(parse_module, step, explode)
    page = Resource(url="http://gov.test/a.html", http_status=200, fetched_at=datetime.now(UTC), body=LINK_PAGE)
    item = ReportItem(site="t", page=page, listing_title="淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告")
    result = parse_capture_run(item, SITE, {page.url: LINK_PAGE})
    assert result.crashed and result.outcome.report is None
    assert result.outcome.error.startswith(f"parser failed: {type(exc).__name__}") and "\n" not in result.outcome.error
    assert len(result.outcome.fingerprint) == 64


def test_in_a_crawl_a_worker_past_its_deadline_is_replaced_and_its_capture_recorded_failed(hostile, sqlite_url: str, data_dir) -> None:  # type: ignore[no-untyped-def]
    # 10 ms: every job overruns (a fresh worker spends longer than that importing the parser).
    script = CRAWL.replace('"DOWNLOAD_MAXSIZE"', '"HARVESTER_PARSE_DEADLINE": 0.01, "DOWNLOAD_MAXSIZE"')
    result = subprocess.run([sys.executable, "-c", script, "hostile", sqlite_url, str(data_dir), str(MAXSIZE)],
                            capture_output=True, text=True, env=crawl_env(data_dir), timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    stats = json.loads(result.stdout.splitlines()[-1])["sites"]["hostile"]
    parsed = [row for row in captures(sqlite_url) if row.role == "page" and row.status == "ok"]
    assert stats["errors"] == len(parsed) == 7  # every page that was fetched was parsed, and failed
    [report] = stored_reports(sqlite_url).values()  # the one capture that is complete: still recorded
    # ... with the worker's failure, not a parse retried (and succeeding) in the crawl process
    assert report.latest["parse_error"] == "parse worker failed: no result within the 0.01 s deadline; worker killed"


def test_a_word_97_document_converts_with_libreoffice_under_the_default_limits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from harvester import settings

    # A real .doc, written by LibreOffice from the agency's DOCX (a private profile: no shared state).
    source = REPORT_DOCX
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    doc = tmp_path / (source.stem + ".doc")
    limits = WorkerLimits(settings.HARVESTER_PARSE_MEMORY_MB, settings.HARVESTER_PARSE_CPU_SECONDS,
                          settings.HARVESTER_PARSE_DEADLINE)
    [agency] = run(WorkerPool("t", 1, limits), (worker_jobs.agency_of, str(doc)))
    assert agency == "淄博市张店区机关事务服务中心"
