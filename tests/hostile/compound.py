"""A minimal OLE2 compound file (the container of DOC and WPS), written byte by byte.

Enough for the sniffer's structure check: a root storage holding one stream, as version 3
files lay it out (512-byte sectors, one FAT sector, one directory sector, the stream in
regular sectors so no mini stream is needed).
"""

from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SECTOR = 512
_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_MINI_CUTOFF = 4096


def compound_file(stream_name: str = "WordDocument", content: bytes = b"") -> bytes:
    """A compound file with one stream ``stream_name`` holding ``content`` (padded to 4096 bytes)."""
    content = content.ljust(_MINI_CUTOFF, b"\0")
    sectors = -(-len(content) // _SECTOR)
    fat = [_FAT, _END] + [2 + i + 1 for i in range(sectors - 1)] + [_END]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = (
        MAGIC + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, _MINI_CUTOFF, _END, 0, _END, 0)
        + struct.pack("<109I", 0, *([_FREE] * 108))
    )
    directory = (
        _entry("Root Entry", kind=5, child=1, start=_END, size=0)
        + _entry(stream_name, kind=2, child=_NONE, start=2, size=len(content))
        + _entry("", kind=0, child=_NONE, start=0, size=0) * 2
    )
    return header + struct.pack(f"<{_SECTOR // 4}I", *fat) + directory + content.ljust(sectors * _SECTOR, b"\0")


def _entry(name: str, *, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _NONE, _NONE, child) + b"\0" * 36
        + struct.pack("<II", start, size) + b"\0" * 4
    )
