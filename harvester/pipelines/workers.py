"""Worker processes for work that may blow up: parsing documents off the internet.

Each worker does one job at a time under limits (``resource.setrlimit``): an address-space
cap, a CPU-seconds budget per job, and a wall-clock deadline the crawl process enforces by
killing the worker. A worker that dies (a limit, a segfault in a C extension, the kernel's
OOM killer) is replaced, and only the job it was running fails, with :class:`WorkerFailed`;
the job is never run again in the crawl process, where the same input would take the
crawl down with it. Workers die with their parent (``PR_SET_PDEATHSIG``), so a crawl killed
with SIGKILL leaves none behind.

Workers are spawned, not forked by a forkserver: a forkserver's children are its children,
not the crawl's, and each holds the forkserver's lifeline open, so after a SIGKILL of the
crawl the forkserver and its workers kept each other alive. Spawned workers import the
``__main__`` module again: a script that crawls needs the ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15


@dataclass(frozen=True)
class WorkerLimits:
    """Defaults in harvester.settings (HARVESTER_PARSE_*); 0 turns a limit off."""

    memory_mb: int  # address space of a worker (and of the converters it starts)
    cpu_seconds: int  # CPU time one job may use
    deadline: float  # wall-clock seconds one job may take, waiting on converters included


class WorkerFailed(Exception):
    """The worker running a job died or overran its deadline; the message says which, in one line."""


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent (pid ``parent``, as the parent knew
    itself) dies (Linux), and leave at once if it is gone already: a spawned worker takes
    seconds to import before it gets here, and the crawl may have been killed meanwhile."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: watch the parent instead
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def name_process(name: str) -> None:
    """Show this process as ``name`` (up to 15 bytes) in ps, top and /proc/PID/comm, so a
    worker can be told from the crawl and from other workers when watching or measuring."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the name is only a convenience
        pass


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(1.0)
    os._exit(1)


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _allow_cpu(seconds: int) -> None:
    """The CPU limit counts from the process's start, so each job moves it to "now + seconds";
    running past it, the kernel sends SIGXCPU, which kills the worker."""
    if seconds <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = used + seconds
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def collect_seldom() -> None:
    """A job (a parse, a batch recorded) builds tens of thousands of objects that live until it
    ends and are then freed by their reference counts. At the collector's default, a pass every 700 objects more
    made than freed, it traced them all again and again while they were being built, for
    nothing: some 1 ms of the 9 ms a portal's report cost its parse and confirmation.
    Reference cycles are rare enough in a job to wait for a pass every 20,000."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(_YOUNG_OBJECTS_PER_PASS, older, oldest)


_YOUNG_OBJECTS_PER_PASS = 20_000


def _serve(conn: Connection, limits: WorkerLimits, parent: int, name: str, initializer: Callable[[], None] | None) -> None:
    """A worker's life: ``initializer`` once, then jobs in, results out, until the pipe closes."""
    die_with_parent(parent)
    name_process(name)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl's to handle
    _limit_memory(limits.memory_mb)
    collect_seldom()
    if initializer is not None:
        initializer()
    while True:
        try:
            function, args = conn.recv()
        except (EOFError, OSError):
            return
        except BaseException as exc:  # noqa: BLE001 - a job that cannot even be unpacked (MemoryError)
            conn.send(("error", f"job could not be received: {describe(exc)}"))
            continue
        _allow_cpu(limits.cpu_seconds)
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except BaseException as exc:  # noqa: BLE001 - whatever it was, the job failed, not the worker
            reply = ("error", describe(exc))
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result
            conn.send(("error", f"result could not be sent back: {describe(exc)}"))


def describe(exc: BaseException) -> str:
    """An exception in one line: its type, then the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


class _Worker:
    def __init__(self, context: Any, limits: WorkerLimits, name: str, initializer: Callable[[], None] | None):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, limits, os.getpid(), name, initializer), name=name,
                                       daemon=True)
        self.process.start()
        child.close()

    async def exchange(self, function: Callable[..., Any], args: tuple[Any, ...], deadline: float) -> tuple[str, Any]:
        """Send one job and await its reply on the event loop, the pipe watched by the loop's
        selector: a thread per exchange, as before, cost the crawl process two thread hand-offs
        and the GIL passed back and forth for every parse. The worker is idle (reading) when
        given a job and writes its reply whole, so neither blocking call waits on anything
        but the other end of the pipe working."""
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = self.conn.fileno()
        loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
        try:
            self.conn.send((function, args))
            try:
                await asyncio.wait_for(readable, deadline if deadline > 0 else None)
            except TimeoutError:
                raise WorkerFailed(f"no result within the {deadline:g} s deadline; worker killed") from None
            return self.conn.recv()
        except (EOFError, OSError):
            self.process.join(5)
            raise WorkerFailed(f"worker died ({_exit_description(self.process.exitcode)})") from None
        finally:
            loop.remove_reader(fd)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _exit_description(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        name = signal.Signals(-code).name
        reason = {"SIGXCPU": "CPU limit", "SIGKILL": "killed", "SIGSEGV": "crashed"}.get(name)
        return f"{name}, {reason}" if reason else name
    return f"exit status {code}"


class WorkerPool:
    """``size`` workers; ``run`` gives a job to an idle one and awaits its result.
    ``initializer`` (a module's function, as the workers are spawned) runs in each worker
    before its first job."""

    def __init__(self, name: str, size: int, limits: WorkerLimits, initializer: Callable[[], None] | None = None):
        self.name = name
        self.limits = limits
        self.initializer = initializer
        self.context = multiprocessing.get_context("spawn")
        self.idle: asyncio.Queue[_Worker | None] | None = None  # None: a place for a worker not started yet
        self.workers: list[_Worker] = []
        self.size = size
        self.replaced = 0

    def _start(self) -> _Worker:
        worker = _Worker(self.context, self.limits, f"{self.name}-worker", self.initializer)
        self.workers.append(worker)
        return worker

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a worker; an exception it raised comes back as WorkerFailed
        too (its type and message), so callers handle one failure type."""
        if self.idle is None:
            self.idle = asyncio.Queue()
            for _ in range(self.size):
                self.idle.put_nowait(self._start())
        worker = await self.idle.get()
        if worker is None:
            try:
                worker = self._start()
            except BaseException:
                self.idle.put_nowait(None)  # the place stays, for the next job to try again
                raise
        replacement: _Worker | None = worker
        try:
            status, value = await worker.exchange(function, args, self.limits.deadline)
        except (WorkerFailed, asyncio.CancelledError) as exc:
            # Dead, overrunning, or still at a job whose wait was cancelled (its reply would be
            # taken for the next job's): either way it gets no other job. A cancelled wait's is
            # replaced when next needed: a crawl cancelling its work is likely ending.
            worker.kill()
            self.workers.remove(worker)
            self.replaced += 1
            replacement = self._start() if isinstance(exc, WorkerFailed) else None
            raise
        finally:  # the worker (or its replacement, or its place) is idle again, whatever happened
            self.idle.put_nowait(replacement)
        if status != "ok":
            raise WorkerFailed(value)
        return value

    def close(self) -> None:
        for worker in self.workers:
            worker.conn.close()  # the worker's recv ends: it leaves by itself
        for worker in self.workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.kill()
        self.workers.clear()
