"""Worker processes shared by every crawler of one crawl process.

``harvester crawl A B C`` (and ``--all``, and a fleet worker) runs a crawler per site in one
process. Each crawler had its own parse workers, archive writer and archive reader, so a
crawl started processes by the site: the seven bundled site configs made seven writers and
six parse workers for 33 reports (the tree peaked at 699 MB), a list of a thousand county
portals would have made thousands, and every writer waited its turn for the one SQLite
file anyway. The crawlers of a process share them instead: the first crawler that asks for
a kind of worker with given settings starts it, the others get the same, and the last one
to let go closes it. The settings are part of the key, so crawlers that differ in them
(another database, other limits) never share.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar, cast


class Closable(Protocol):
    def close(self) -> None: ...


V = TypeVar("V", bound=Closable)


class Shared:
    """Values made once per key and closed when nobody holds them any more."""

    def __init__(self) -> None:
        self._held: dict[Hashable, tuple[Closable, int]] = {}

    def take(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value of ``key``, made by ``make`` when nobody holds one; held until ``let_go``.
        A key names one kind of value (it starts with the kind's name)."""
        value, holders = self._held.get(key) or (make(), 0)
        self._held[key] = (value, holders + 1)
        return cast(V, value)

    def let_go(self, key: Hashable) -> None:
        """One holder of ``key`` is done with it; the last one closes it."""
        value, holders = self._held[key]
        if holders > 1:
            self._held[key] = (value, holders - 1)
            return
        del self._held[key]
        value.close()

    def holders(self, key: Hashable) -> int:
        return self._held[key][1] if key in self._held else 0


# The process's worker pools and offloads, keyed by their kind and settings.
workers = Shared()
