"""Whatever the bytes, the parser gives a report or a ParseError, never another exception."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.api import parse_bytes
from parsers.errors import ParseError
from seed_edits import seed_text

SEED_LINES = seed_text("003").split("\n")
DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"


def _parse_or_refuse(data: bytes, filename: str) -> None:
    try:
        _, report = parse_bytes(data, filename=filename)
    except ParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    report.to_dict()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED_LINES) - 1), st.sampled_from(["drop", "copy", "blank", "dash", "junk"])), max_size=25))
def test_edited_seed_text(edits: list[tuple[int, str]]) -> None:
    lines = list(SEED_LINES)
    for index, edit in edits:
        index %= len(lines)
        if edit == "drop":
            del lines[index]
        elif edit == "copy":
            lines.insert(index, lines[index])
        elif edit == "blank":
            lines[index] = ""
        elif edit == "dash":
            lines[index] = "\t/"
        else:
            lines[index] = "\t（其中）第二十条第（九）项 -0.5万元 勾稽"
        if not lines:
            lines = [""]
    _parse_or_refuse("\n".join(lines).encode("utf-8"), "edited.txt")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(["x.html", "x.pdf", "x.docx", "x.doc", "x.txt", "x"]))
def test_random_bytes(data: bytes, filename: str) -> None:
    _parse_or_refuse(data, filename)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(sorted(p.name for p in DOCUMENTS.glob("*.html"))), st.integers(0, 10**6), st.integers(1, 4000))
def test_cut_html_pages(name: str, start: int, length: int) -> None:
    data = (DOCUMENTS / name).read_bytes()
    start %= len(data)
    _parse_or_refuse(data[:start] + data[start + length :], name)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(p.name for p in DOCUMENTS.glob("*") if p.suffix in (".pdf", ".docx"))), st.floats(0.05, 0.98))
def test_cut_pdf_and_docx_files(name: str, keep: float) -> None:
    data = (DOCUMENTS / name).read_bytes()
    _parse_or_refuse(data[: int(len(data) * keep)], name)
