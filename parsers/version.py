"""Which parser read a report: the release, a digest of the parser's own source and the
versions of the libraries it reads files with.

The archive re-parses a stored version whose parser is not the running one before comparing
it with a new capture (``storage.record``), so that a parser upgrade is an event and never a
version. That holds only if the name changes whenever the output may: a release number
bumped by hand had stayed the same through months of parser changes, so an upgraded
harvester compared its reading of a page with the old reading of the same page and recorded
the difference as the agency's. Any edit of ``parsers/`` or a new release of a library that
turns bytes into text (pdfium, pdfminer, lxml, the OCR engine) gives another name.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

RELEASE = "0.1.0"
# Distributions whose output the parse is made of (normalised names, as in their dist-info).
READING_LIBRARIES = (
    "lxml", "numpy", "olefile", "onnxruntime", "opencv_python", "pdfminer_six", "pdfplumber", "pikepdf", "pillow",
    "pypdfium2", "python_calamine", "python_docx", "rapidocr_onnxruntime",
)
_DIGEST_CHARS = 12
_DIST_INFO = re.compile(r"^(?P<name>.+)-(?P<version>[^-]+)\.dist-info$")


def source_digest(root: Path) -> str:
    """sha256 over every Python file under ``root``, each with its path relative to it."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def installed_versions(names: Iterable[str], search_path: Iterable[str] | None = None) -> dict[str, str]:
    """The versions of the named distributions (normalised names) found on ``search_path``.

    Read from the dist-info directories' names in one listing of each path entry:
    ``importlib.metadata`` looks every name up on the whole path again, 6 ms a name, and
    every parse worker computes this when it starts."""
    wanted = set(names)
    found: dict[str, str] = {}
    for entry in search_path if search_path is not None else sys.path:
        try:
            listed = os.listdir(entry or ".")
        except OSError:
            continue
        for name in listed:
            match = _DIST_INFO.match(name)
            if match is None:
                continue
            normalised = re.sub(r"[-_.]+", "_", match["name"]).lower()
            if normalised in wanted:
                found.setdefault(normalised, match["version"])  # the first on the path is the one imported
    return found


def parser_version(root: Path | None = None, search_path: Iterable[str] | None = None) -> str:
    """``RELEASE+<digest>``: the digest covers the source under ``root`` (this package) and the
    reading libraries' versions, a missing one counted as missing."""
    libraries = installed_versions(READING_LIBRARIES, search_path)
    digest = hashlib.sha256(source_digest(root or Path(__file__).parent).encode())
    for name in READING_LIBRARIES:
        digest.update(f"\n{name}={libraries.get(name, '-')}".encode())
    return f"{RELEASE}+{digest.hexdigest()[:_DIGEST_CHARS]}"
