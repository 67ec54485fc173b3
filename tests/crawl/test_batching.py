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
