"""Jobs for the worker pool tests; a module of its own so worker processes can import them."""

from __future__ import annotations

import atexit
import os
import signal
import time
from pathlib import Path


def echo(value: str) -> str:
    return value


def pid() -> int:
    return os.getpid()


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def spin() -> None:
    while True:
        pass


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def sleep_then_echo(seconds: float, value: str) -> str:
    time.sleep(seconds)
    return value


def segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def recurse(depth: int = 0) -> int:
    return recurse(depth + 1)


def agency_of(path: str) -> str | None:
    from parsers.api import parse_file

    return parse_file(path)[1].metadata.agency


def note_teardown(path: str) -> None:
    """An initializer: the process's interpreter, torn down at its exit, writes ``path``."""
    atexit.register(Path(path).write_text, "torn down")
