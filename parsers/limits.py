"""What the extractors allow an input to cost, and the checks that enforce it.

Portals serve what their CMS and editors produce, and a crafted file can ask for far more
than its size suggests: a 36 KB DOCX whose ``gridSpan`` values expand to gigabytes of table,
a ZIP member that inflates a thousandfold, 990 nested ``w:sdt`` elements. Every such cost is
bounded here, as data with a documented default, and going past a bound is a one-line
:class:`~parsers.errors.LimitExceeded` that names the limit, so an operator knows which
number to raise (``parsers.limits.LIMITS = dataclasses.replace(LIMITS, …)``) rather than
guessing why a report vanished.

The defaults sit well above what real reports need (a report is tens of pages, a few
thousand table slots, nesting a few dozen levels deep) and well below what hurts a worker.
"""

from __future__ import annotations

import functools
import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from pathlib import Path

from parsers.errors import LimitExceeded, ParseError

_MB = 1024 * 1024
_RATIO_FROM_BYTES = _MB  # a small member may pack tightly without costing anything


def _limit(default: int, meaning: str) -> int:
    return field(default=default, metadata={"meaning": meaning})


@dataclass(frozen=True)
class Limits:
    input_bytes: int = _limit(256 * _MB, "size of one input file; parse_file reads no more than this")
    zip_member_bytes: int = _limit(128 * _MB, "decompressed size of one DOCX member, declared and as read")
    zip_member_ratio: int = _limit(200, "decompressed over compressed size of a DOCX member over 1 MiB (XML packs about 10:1)")
    pdf_pages: int = _limit(1000, "pages of one PDF")
    pdf_stream_bytes: int = _limit(512 * _MB, "decompressed size of all Flate streams of one PDF together")
    table_slots: int = _limit(200_000, "table grid slots of one document after expanding merged cells, all tables")
    nesting_depth: int = _limit(256, "element nesting of HTML and DOCX XML, group nesting of RTF")
    text_node_chars: int = _limit(16 * _MB, "characters in one text node of HTML or DOCX XML")
    converter_seconds: int = _limit(120, "wall time of one LibreOffice conversion; its process group is killed after it")
    converter_processes: int = _limit(2, "LibreOffice conversions running at once on this machine, all workers together")


LIMITS = Limits()


def describe() -> list[tuple[str, int, str]]:
    """(name, default, meaning) of every limit, for the documentation."""
    return [(f.name, f.default, f.metadata["meaning"]) for f in fields(Limits)]


def check(name: str, value: int) -> None:
    """Raise LimitExceeded when ``value`` is over the limit called ``name``."""
    limit = getattr(LIMITS, name)
    if value > limit:
        raise LimitExceeded(f"the input exceeds the limit {name}={limit} (needs at least {value})")


# Table slots are counted per extraction, across all the document's tables, because one file
# can hold a thousand tables each just under any per-table bound.
_slots_used: ContextVar[list[int] | None] = ContextVar("table_slots_used", default=None)


@contextmanager
def extraction() -> Iterator[None]:
    """Scope of one document's extraction: counters such as table slots start at zero."""
    token = _slots_used.set([0])
    try:
        yield
    finally:
        _slots_used.reset(token)


def take_table_slots(count: int) -> None:
    """Account for ``count`` more grid slots before they are allocated."""
    count = max(count, 0)  # a negative gridBefore must not buy room for a later span
    used = _slots_used.get()
    if used is None:  # an extractor called directly: bound the single request
        check("table_slots", count)
        return
    used[0] += count
    check("table_slots", used[0])


def read_file(path: str | Path) -> bytes:
    """A regular file's bytes, read no further than the input_bytes limit.

    Devices and FIFOs are refused before opening: ``/dev/zero`` never ends and a FIFO
    blocks until a writer comes.
    """
    path = Path(path)
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise ParseError("not a regular file (a device, FIFO or directory)")
    with path.open("rb") as handle:
        data = handle.read(LIMITS.input_bytes + 1)
    check("input_bytes", len(data))
    return data


def read_zip_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, refusing one that inflates past the size or ratio limit.

    The declared size is checked before reading and the read itself is bounded, so a member
    whose header lies about its size cannot get past either.
    """
    info = archive.getinfo(name)
    check("zip_member_bytes", info.file_size)
    if info.file_size > _RATIO_FROM_BYTES:
        check("zip_member_ratio", info.file_size // max(info.compress_size, 1))
    with archive.open(info) as member:
        data = member.read(LIMITS.zip_member_bytes + 1)
    check("zip_member_bytes", len(data))
    return data


def check_tree(root: object, source_length: int) -> None:
    """Check an lxml tree's nesting depth and longest text node against the limits.

    Both are asked of libxml2 in one XPath each (a path ``nesting_depth`` steps deep, and
    text nodes longer than ``text_node_chars``) rather than by a Python loop over every
    element; text nodes are only looked at when the source (``source_length`` characters
    or bytes) is long enough to hold one over the limit.
    """
    if _deeper_than(LIMITS.nesting_depth)(root):
        check("nesting_depth", LIMITS.nesting_depth + 1)
    if source_length > LIMITS.text_node_chars and _longer_text_than(LIMITS.text_node_chars)(root):
        check("text_node_chars", LIMITS.text_node_chars + 1)


@functools.cache
def _deeper_than(depth: int) -> Callable[[object], bool]:
    from lxml import etree

    return etree.XPath("boolean(" + "/".join(["*"] * depth) + ")")  # the root is level 1


@functools.cache
def _longer_text_than(chars: int) -> Callable[[object], bool]:
    from lxml import etree

    return etree.XPath(f"boolean(//text()[string-length() > {chars}])")
