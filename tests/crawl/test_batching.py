"""The batcher: items go in batches, each waiter gets its own result, failures reach all."""

from __future__ import annotations

import asyncio

import pytest

from harvester.pipelines.batching import Batcher


def test_full_batches_go_at_once_and_the_rest_after_the_delay() -> None:
    calls: list[list[int]] = []

    async def run(items: list[int]) -> list[int]:
        calls.append(items)
        return [item * 10 for item in items]

    async def main() -> list[int]:
        batcher: Batcher[int, int] = Batcher(run, size=3, delay=0.01)
        return await asyncio.gather(*(batcher.submit(i) for i in range(7)))

    assert asyncio.run(main()) == [0, 10, 20, 30, 40, 50, 60]
    assert calls == [[0, 1, 2], [3, 4, 5], [6]]


def test_a_lone_item_is_not_held_back_for_a_full_batch() -> None:
    async def run(items: list[str]) -> list[str]:
        return [item.upper() for item in items]

    async def main() -> str:
        batcher: Batcher[str, str] = Batcher(run, size=100, delay=0.01)
        return await asyncio.wait_for(batcher.submit("a"), timeout=2)

    assert asyncio.run(main()) == "A"


def test_a_failed_batch_fails_every_waiter() -> None:
    async def run(items: list[int]) -> list[int]:
        raise RuntimeError("writer died")

    async def main() -> list[object]:
        batcher: Batcher[int, int] = Batcher(run, size=2, delay=0.01)
        return await asyncio.gather(batcher.submit(1), batcher.submit(2), return_exceptions=True)

    results = asyncio.run(main())
    assert all(isinstance(r, RuntimeError) for r in results)


@pytest.mark.parametrize("size", [1, 4])
def test_order_of_results_follows_submission(size: int) -> None:
    async def run(items: list[int]) -> list[int]:
        await asyncio.sleep(0)
        return items

    async def main() -> list[int]:
        batcher: Batcher[int, int] = Batcher(run, size=size, delay=0.001)
        return await asyncio.gather(*(batcher.submit(i) for i in range(9)))

    assert asyncio.run(main()) == list(range(9))


def test_while_a_batch_is_on_its_way_the_items_after_it_wait_and_go_together() -> None:
    # The writer records one batch at a time: a batch of one every delay would each pay a
    # transaction of its own while they queued behind the one being recorded.
    calls: list[list[int]] = []
    release = asyncio.Event()

    async def run(items: list[int]) -> list[int]:
        calls.append(items)
        if len(calls) == 1:
            await release.wait()
        return items

    async def main() -> list[int]:
        batcher: Batcher[int, int] = Batcher(run, size=10, delay=0.01)
        first = asyncio.ensure_future(batcher.submit(0))
        await asyncio.sleep(0.03)  # the first batch has gone and is being recorded
        later = [asyncio.ensure_future(batcher.submit(i)) for i in (1, 2)]
        await asyncio.sleep(0.06)  # six times the delay: held while the first is on its way
        assert calls == [[0]]
        release.set()
        return await asyncio.gather(first, *later)

    assert asyncio.run(main()) == [0, 1, 2]
    assert calls == [[0], [1, 2]]


def test_nothing_more_coming_sends_the_batch_without_waiting_out_the_delay() -> None:
    calls: list[list[int]] = []
    coming = [True]

    async def run(items: list[int]) -> list[int]:
        calls.append(items)
        return items

    async def main() -> list[int]:
        batcher: Batcher[int, int] = Batcher(run, size=100, delay=60, more_coming=lambda: coming[0])
        first = [asyncio.ensure_future(batcher.submit(i)) for i in range(3)]
        await asyncio.sleep(0.05)
        assert calls == []  # held for more while more may come
        coming[0] = False  # the downloads are done: the last one goes, and those held with it
        return await asyncio.wait_for(asyncio.gather(*first, batcher.submit(3)), timeout=5)

    assert asyncio.run(main()) == [0, 1, 2, 3]
    assert calls == [[0, 1, 2, 3]]


def test_nothing_more_coming_while_a_batch_is_out_joins_the_next_batch() -> None:
    calls: list[list[int]] = []

    async def main() -> list[int]:
        back = asyncio.Event()

        async def run(items: list[int]) -> list[int]:
            calls.append(items)
            await back.wait()
            return items

        batcher: Batcher[int, int] = Batcher(run, size=100, delay=60, more_coming=lambda: False)
        out = asyncio.ensure_future(batcher.submit(0))
        await asyncio.sleep(0.01)
        later = [asyncio.ensure_future(batcher.submit(i)) for i in (1, 2)]
        await asyncio.sleep(0.01)
        assert calls == [[0]]  # the writer is busy: 1 and 2 wait for it together
        back.set()
        return await asyncio.wait_for(asyncio.gather(out, *later), timeout=5)

    assert asyncio.run(main()) == [0, 1, 2]
    assert calls == [[0], [1, 2]]
