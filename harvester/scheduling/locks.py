"""One crawl per site at a time, across processes.

An advisory ``flock`` on ``<data>/locks/<site>.lock``: the kernel drops it when the holder
dies, so a crashed crawl never leaves a stale lock behind, unlike a PID file.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class SiteLock:
    def __init__(self, lock_dir: Path, site: str) -> None:
        self.path = lock_dir / f"{site}.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
