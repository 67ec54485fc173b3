"""The text-showing operators found by ``pdf_text_operators`` are those pikepdf's full parse finds.

The tokenizer steps over everything but a few tokens; each case below is content in which a
token that does not matter could pass for one that does (a string, a comment, a name, an
inline image's data holding "Tj"), or a string written in one of the ways the PDF syntax
allows. pikepdf's parser (qpdf's) is the reference.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from parsers.extract.pdf_text_operators import text_shows

REPO = Path(__file__).resolve().parents[2]
_SHOWS = ("Tj", "TJ", "'", '"')


def _reference(content: bytes) -> list[tuple[str | None, bytes]]:
    """(font name, bytes) of the non-empty text-showing operators, as pikepdf parses ``content``."""
    pdf = pikepdf.new()
    font: str | None = None
    saved: list[str | None] = []
    shows = []
    for instruction in pikepdf.parse_content_stream(pdf.make_stream(content)):
        operator, operands = str(instruction.operator), instruction.operands
        if operator == "q":
            saved.append(font)
        elif operator == "Q":
            font = saved.pop() if saved else font
        elif operator == "Tf":
            font = str(operands[0]) if operands and isinstance(operands[0], pikepdf.Name) else None
        elif operator == "TJ":
            shown = b"".join(bytes(item) for item in operands[0] if isinstance(item, pikepdf.String))
            if shown:
                shows.append((font, shown))
        elif operator in _SHOWS:
            last = operands[-1] if operands else None
            if isinstance(last, pikepdf.String) and bytes(last):
                shows.append((font, bytes(last)))
    return shows


CASES = {
    "fonts scoped by q and Q": b"BT /F1 12 Tf (a) Tj q /F2 12 Tf [(b) -200 (c)] TJ () Tj 5 Tj Q (d) ' ET",
    "Word-like literal strings": b"BT /TT0 1 Tf 12 0 0 12 72 700 Tm (Hello, world)Tj [(W)30(ord)]TJ ET",
    "escapes": rb"BT /F1 9 Tf (a\(b\)c\\d\n\r\t\b\f\101\1x\8\q) Tj ET",
    "line ends inside a string": b"BT /F1 9 Tf (one\rtwo\r\nthree\nfour\\\r\nfive\\\nsix) Tj ET",
    "a string nested one level": b"BT /F1 9 Tf (outer (inner) outer) Tj ET",
    "hex strings with white space and an odd digit": b"BT /F1 9 Tf <41 42\n43> Tj <4 1> Tj <414> Tj < > Tj <>Tj ET",
    "the operators of the quote kinds": b"BT /F1 9 Tf 14 TL (first) ' 1 2 (second) \" ET",
    "strings, comments and names that read like operators": (
        b"% a comment ) Tj q (\n/Span <</ActualText (Q Tj) /Alt <0041>>> BDC BT /F1 9 Tf (x) Tj ET EMC "
        b"/Tj gs /Q 1 Tf (after) Tj"),
    "a dictionary that is empty": b"/P <<>> BDC BT /F1 9 Tf <0041> Tj ET EMC",
    "a name with an escape": b"BT /F#31 9 Tf (x) Tj ET",
    "an inline image whose data holds operators": (
        b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00 Tj (Q) q\xff\nEI Q BT /F1 9 Tf (after) Tj ET"),
    "operators written without white space": b"q/F1 9 Tf<0041>Tj[(a)-5(b)]TJ Q(c)Tj",
}


@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
def test_text_shows_are_those_pikepdf_parses(content: bytes) -> None:
    assert text_shows(content) == _reference(content)


def test_the_content_of_every_fixture_page_reads_as_pikepdf_parses_it() -> None:
    pages = 0
    for path in sorted((REPO / "fixtures").rglob("*.pdf")):
        if path.parent.name == "malformed":
            continue
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                content = b"\n".join(stream.read_bytes() for stream in _streams(page.obj.get("/Contents")))
                assert text_shows(content) == _reference(content), (path.name, pages)
                pages += 1
    assert pages


def _streams(contents: object) -> list:
    if contents is None:
        return []
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def test_a_string_nested_deeper_or_an_unended_inline_image_is_not_read() -> None:
    assert text_shows(b"BT /F1 9 Tf (a (b (c) b) a) Tj ET") is None
    assert text_shows(b"q BI /W 1 /H 1 ID \x00\x01") is None
