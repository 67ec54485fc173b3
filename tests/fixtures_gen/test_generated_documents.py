"""The committed documents are what the generator makes, and they carry the expected report."""

from __future__ import annotations

import io
import json
import re
import runpy
from pathlib import Path

import docx
import lxml.html
import pdfplumber
import pytest

from render_checks import expand_html_table

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regenerated")
    generator = runpy.run_path(str(FIXTURES / "generate_documents.py"))
    generator["main"](out)
    return out


@pytest.mark.parametrize("folder", ["documents", "malformed"])
def test_generation_is_deterministic_and_committed(regenerated: Path, folder: str) -> None:
    made = sorted(p.name for p in (regenerated / folder).iterdir())
    assert made, folder
    for name in made:
        assert (regenerated / folder / name).read_bytes() == (FIXTURES / folder / name).read_bytes(), name


def _manifest() -> dict[str, dict]:
    return json.loads((FIXTURES / "documents" / "manifest.json").read_text("utf-8"))


def _expected(entry: dict) -> dict:
    return json.loads((FIXTURES / entry["expected"]).read_text("utf-8"))


def _fold(text: str) -> str:
    return re.sub(r"\s", "", text)


def _table3_raws(expected: dict) -> list[list[str]]:
    return [[c["raw"] for c in row["cells"].values()] for row in expected["tables"]["applications"]["rows"].values()]


def test_html_pages_print_the_expected_cells() -> None:
    for name, entry in _manifest().items():
        if entry["format"] != "html":
            continue
        data = (FIXTURES / "documents" / name).read_bytes()
        root = lxml.html.document_fromstring(data.decode(entry["encoding"]))
        grids = [expand_html_table(t) for t in root.iter("table")]
        expected = _expected(entry)
        rows = [[_fold(t) for t in row[3:]] for row in grids[1][3:]]
        assert rows == _table3_raws(expected), name
        appeals = [_fold(t) for grid in grids[2:] for t in grid[-1]]  # one table, or three small ones
        assert appeals == [c["raw"] for c in expected["tables"]["appeals"]["cells"].values()], name
        meta = {m.get("name"): m.get("content") for m in root.iter("meta")}
        assert meta["PubDate"].startswith(entry["metadata"]["publish_date"])


def test_gbk_page_declares_no_charset_and_is_not_utf8() -> None:
    data = (FIXTURES / "documents" / "002_133ea6e3b8938548.gbk.html").read_bytes()
    assert b"charset" not in data.lower()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "淄博市张店区机关事务服务中心" in data.decode("gb18030")


def test_docx_documents_print_the_expected_cells() -> None:
    for name, entry in _manifest().items():
        if entry["format"] != "docx":
            continue
        word = docx.Document(io.BytesIO((FIXTURES / "documents" / name).read_bytes()))
        table3 = word.tables[1]
        rows = [[cell.text for cell in row.cells[3:]] for row in table3.rows[3:]]
        assert rows == _table3_raws(_expected(entry)), name


def test_every_listed_file_and_expected_json_exists() -> None:
    for name, entry in _manifest().items():
        assert (FIXTURES / "documents" / name).is_file(), name
        assert (FIXTURES / entry["expected"]).is_file(), name
    malformed = json.loads((FIXTURES / "malformed" / "manifest.json").read_text("utf-8"))
    for name, entry in malformed.items():
        assert (FIXTURES / "malformed" / name).is_file(), name
        assert entry["outcome"] in ("error", "report")
        if "expected" in entry:
            assert (FIXTURES / entry["expected"]).is_file(), name


def test_pdf_documents_print_the_expected_cells() -> None:
    """Table 3's value rows, read across its page break, are the expected cells in order."""
    for name, entry in _manifest().items():
        if entry["format"] != "pdf":
            continue
        with pdfplumber.open(io.BytesIO((FIXTURES / "documents" / name).read_bytes())) as pdf:
            tables = [table for page in pdf.pages for table in page.extract_tables()]
        applicant_rows = [row for table in tables for row in table if len(row) in (8, 10)]
        values = [row[-7:] for row in applicant_rows if all(c is not None and c.isdigit() for c in row[-7:])]
        assert values == _table3_raws(_expected(entry)), name
