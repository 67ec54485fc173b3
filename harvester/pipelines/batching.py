"""Gathering items into batches for one call, each item still awaiting its own result.

The archive writer records a batch in one transaction; an item pipeline sees one item at
a time. A batch goes when it is full or when ``delay`` has passed since its first item, so
a slow trickle of items is not held back; but while a batch is on its way, one that is not
full waits for it to come back. The writer records one batch at a time: what arrives
meanwhile joins the next batch instead of queueing behind as batches of one or two, each
paying a transaction of its own. Whoever knows that no more items are on their way (a crawl
whose downloads are done) says so through ``more_coming``; the pending items then go without
waiting out the delay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


async def run_alone(run: Callable[[list[Item]], Awaitable[list[Result]]], item: Item) -> Result | BaseException:
    """``run`` on a batch of ``item`` alone: its result, or the exception it failed with."""
    try:
        [result] = await run([item])
        return result
    except Exception as exc:
        return exc


async def each_apart_on_failure(run: Callable[[list[Item]], Awaitable[list[Result]]], items: list[Item],
                                alone: Callable[[Item], Awaitable[Result | BaseException]] | None = None
                                ) -> list[Result | BaseException]:
    """``run`` the batch; should it fail, each item ``alone`` (by default ``run`` on it alone),
    so that what one item holds (or a failure of the moment) never costs the others their result."""
    try:
        return list(await run(items))
    except Exception:  # noqa: S110 - one of them, or a race the batch lost: each on its own
        return [await (alone(item) if alone is not None else run_alone(run, item)) for item in items]


class Batcher(Generic[Item, Result]):
    """``run`` answers a batch with one result per item, or an exception for an item that failed."""

    def __init__(self, run: Callable[[list[Item]], Awaitable[list[Result | BaseException]]], size: int,
                 delay: float, more_coming: Callable[[], bool] = lambda: True) -> None:
        self.run = run
        self.size = size
        self.delay = delay
        self.more_coming = more_coming
        self._pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._due = False  # the pending items' delay has passed: they go when no batch is on its way

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if len(self._pending) >= self.size:
            self.flush()
        elif not self.more_coming():
            self._go_when_free()
        elif self._timer is None and not self._due:
            self._timer = asyncio.get_running_loop().call_later(self.delay, self._go_when_free)
        return await future

    def _go_when_free(self) -> None:
        """The pending items wait no longer (their delay passed, or nothing more is coming): they
        go now, or when the batch on its way is back."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._running:
            self._due = True
        else:
            self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._due = False
        batch, self._pending = self._pending, []
        if batch:
            task = asyncio.ensure_future(self._deliver(batch))
            self._running.add(task)  # a task nobody holds may be collected before it ends
            task.add_done_callback(self._delivered)

    def _delivered(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if self._due and not self._running:
            self.flush()

    async def _deliver(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            results = await self.run([item for item, _ in batch])
        except Exception as exc:  # every waiter learns of the failure, none hangs
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results):
            if isinstance(result, BaseException):  # this item failed, the others did not
                future.set_exception(result)
            else:
                future.set_result(result)
