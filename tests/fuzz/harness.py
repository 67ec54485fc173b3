"""One fuzz target per extractor: bytes in, a document or a ParseError out, nothing else.

A document's text must encode as UTF-8 (what the archive writes), and a ParseError's message
must be one line.

The same targets serve the coverage-guided runner (``run.py``, atheris) and the
property-based tests (hypothesis), so a crash either finds replays in the other.
LibreOffice is left out of fuzzing (seconds per input); DOC/WPS bytes are fuzzed up to the
structure check that decides whether LibreOffice is started at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from parsers.api import parse_bytes
from parsers.document import Document
from parsers.errors import ParseError
from parsers.extract import extract_as
from parsers.extract.sniff import sniff_format
from parsers.extract.surrogates import document_texts

ROOT = Path(__file__).resolve().parents[2]
_DOCUMENTS = ROOT / "fixtures" / "documents"
_REAL = ROOT.parent / "shared" / "real"  # the real reports, beside the checkout where present


def _as(fmt: str) -> Callable[[bytes], object]:
    return lambda data: extract_as(fmt, data)


def _rtf(data: bytes) -> object:
    return extract_as("rtf", b"{\\rtf1" + data)


def _ole2(data: bytes) -> object:
    return sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data, suffix="doc")


TARGETS: dict[str, Callable[[bytes], object]] = {
    "html": _as("html"), "docx": _as("docx"), "pdf": _as("pdf"), "rtf": _rtf, "seedtext": _as("seedtext"),
    "ole2": _ole2, "parse": parse_bytes,
}


def run_one(target: str, data: bytes) -> None:
    """Feed ``data`` to ``target``; a ParseError is an answer, anything else propagates as a finding."""
    try:
        result = TARGETS[target](data)
    except ParseError as exc:
        message = str(exc)
        if not message or "\n" in message:
            raise AssertionError(f"ParseError message must be one non-empty line: {message!r}") from exc
        return
    # What was read must be storable: a lone surrogate fails every UTF-8 write of the report.
    if isinstance(result, tuple):
        json.dumps(result[1].to_dict(), ensure_ascii=False).encode("utf-8")
    elif isinstance(result, Document):
        "".join(document_texts(result)).encode("utf-8")


def seeds(target: str) -> list[bytes]:
    """Real-shaped starting inputs for ``target``: the fixture documents (and shared real reports)."""
    suffixes = {"html": (".html",), "docx": (".docx",), "pdf": (".pdf",), "parse": (".html", ".docx", ".pdf", ".txt")}
    if target == "rtf":
        return [_RTF_SEED]
    if target == "seedtext":
        return [p.read_bytes() for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[:3]]
    if target == "ole2":
        from tests.hostile.compound import compound_file

        return [compound_file(content=b"\xec\xa5\xc1\x00" + b"\0" * 60)[8:]]
    found = [p for p in sorted(_DOCUMENTS.glob("*")) if p.suffix in suffixes[target]][:4]
    found += [p for p in sorted(_REAL.glob("*")) if p.suffix in suffixes[target]] if _REAL.is_dir() else []
    return [p.read_bytes() for p in found]


_RTF_SEED = (
    rb"\ansi\ansicpg936\uc1{\fonttbl{\f0\fnil\fcharset134 SimSun;}}\pard \u19968?\u12289?\'d7\'dc\par"
    rb"\trowd\cellx1000\clmrg\cellx2000\clvmrg\cellx3000\pard\intbl A\cell\pard\intbl\cell\pard\intbl 3\cell\row"
    rb"\pard\u-10179?\u-8704?\line{\*\generator x}\par}"
)
