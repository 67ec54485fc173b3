"""Raw bytes, stored once per sha256 as files under ``<data dir>/blobs/ab/cdef…``.

The file name is the hash of the bytes, never anything taken from a URL. A file is written
to a temporary name in the same directory and renamed into place, so a reader never sees
half a file; two processes storing the same bytes both rename identical content onto the
same name, which is harmless.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from pathlib import Path


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Temporary names: this process's id and a number, taken again if a file of a process that had
# the same id before is still there.
_NUMBERS = itertools.count()
_WRITE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        # Directories (the first two hex digits of a name) known to exist: a crawl stores a
        # body for every page, and asking for a directory each time cost as much as the file.
        self._directories: set[str] = set()

    def path(self, sha256: str) -> Path:
        return Path(self._place(sha256)[1])

    def _place(self, sha256: str) -> tuple[str, str]:
        """The directory and the file of a name, as text (cheaper than paths on every put)."""
        directory = os.path.join(self.root, sha256[:2])
        return directory, os.path.join(directory, sha256[2:])

    def put(self, data: bytes) -> str:
        """Store ``data`` unless it is already there; return its sha256. The file is synced
        before it takes its name: a row naming it may be committed next."""
        digest = sha256_of(data)
        directory, target = self._place(digest)
        if os.path.exists(target):
            return digest
        temp, fd = self._incoming(directory)
        try:
            try:
                rest = memoryview(data)
                while rest:  # a write may take less than it is given
                    rest = rest[os.write(fd, rest):]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return digest

    def _incoming(self, directory: str) -> tuple[str, int]:
        """A new file of a temporary name in ``directory`` (made if need be), open for writing."""
        if directory not in self._directories:
            os.makedirs(directory, exist_ok=True)
            self._directories.add(directory)
        while True:
            temp = os.path.join(directory, f".incoming-{os.getpid()}-{next(_NUMBERS)}")
            try:
                return temp, os.open(temp, _WRITE_NEW, 0o600)
            except FileExistsError:
                continue
            except FileNotFoundError:  # the directory was removed since it was made
                os.makedirs(directory, exist_ok=True)

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).exists()
