"""One fuzz target per extractor: bytes in, a document or a ParseError out, nothing else.

The same targets serve the coverage-guided runner (``run.py``, atheris) and the
property-based tests (hypothesis), so a crash either finds replays in the other.
LibreOffice is left out of fuzzing (seconds per input); DOC/WPS bytes are fuzzed up to the
structure check that decides whether LibreOffice is started at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from parsers.api import parse_bytes
from parsers.errors import ParseError
from parsers.extract.docx import extract_docx
from parsers.extract.html import extract_html
from parsers.extract.pdf import extract_pdf
from parsers.extract.rtf import extract_rtf
from parsers.extract.seedtext import extract_seedtext
from parsers.extract.sniff import sniff_format

ROOT = Path(__file__).resolve().parents[2]
_DOCUMENTS = ROOT / "fixtures" / "documents"
_REAL = ROOT.parent / "shared" / "real"  # the real reports, beside the checkout where present


def _rtf(data: bytes) -> object:
    return extract_rtf(b"{\\rtf1" + data)


def _ole2(data: bytes) -> object:
    return sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data, suffix="doc")


TARGETS: dict[str, Callable[[bytes], object]] = {
    "html": extract_html, "docx": extract_docx, "pdf": extract_pdf, "rtf": _rtf, "seedtext": extract_seedtext,
    "ole2": _ole2, "parse": parse_bytes,
}


def run_one(target: str, data: bytes) -> None:
    """Feed ``data`` to ``target``; a ParseError is an answer, anything else propagates as a finding."""
    try:
        TARGETS[target](data)
    except ParseError as exc:
        message = str(exc)
        if not message or "\n" in message:
            raise AssertionError(f"ParseError message must be one non-empty line: {message!r}") from exc


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
