"""Real and seed reports saved by LibreOffice and printed by Chromium read to the same table cells.

Agencies make their files with Word, WPS and LibreOffice, and portals' pages get printed to
PDF: each of those turns the same table into other markup (Writer's HTML, DOCX and DOC
with their own spans, PDFs with embedded font subsets whose glyphs map to radical code
points, rows cut by page breaks). The cells read must not change; none may be invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conversions import LIBREOFFICE_TARGETS, chromium_print, libreoffice_convert
from docx_edits import letter_spaced, with_running_lines
from parsers.api import parse_bytes
from real_documents import REAL, cell_differences, expected_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PAGE = REAL / "pingtan_2025_portal_page.html"
SEEDS = sorted((FIXTURES / "documents").glob("00?_*[0-9a-f].docx"))
# Top margins that move Chromium's page breaks through table 3 row by row.
MARGINS_MM = (0, 8, 16, 24, 32, 40, 48, 56)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("conversions")


def _expected_of_seed(document: Path) -> dict:
    return json.loads((FIXTURES / "expected" / f"{document.name.split('.')[0]}.json").read_text(encoding="utf-8"))


def _read(path: Path) -> dict:
    return parse_bytes(path.read_bytes(), filename=path.name)[1].to_dict()


def _no_false_errors(report: dict) -> list[str]:
    return [f"{f['rule']} {f['row']} {f['column']}" for f in report["findings"] if f["severity"] == "error"]


@pytest.mark.parametrize("target", list(LIBREOFFICE_TARGETS))
def test_the_real_page_saved_by_libreoffice(workdir: Path, target: str) -> None:
    output = libreoffice_convert([PAGE], target, workdir)[PAGE]
    report = _read(output)
    assert cell_differences(expected_of(PAGE), report) == []
    assert _no_false_errors(report) == []


@pytest.mark.parametrize("target", list(LIBREOFFICE_TARGETS))
def test_the_seeds_saved_by_libreoffice(workdir: Path, target: str) -> None:
    outputs = libreoffice_convert(SEEDS, target, workdir)
    assert len(outputs) == 5
    for source, output in outputs.items():
        report, want = _read(output), _expected_of_seed(source)
        assert cell_differences(want, report) == [], output.name
        assert _no_false_errors(report) == [], output.name
        assert [s["heading"] for s in report["sections"]] == [s["heading"] for s in want["sections"]], output.name
        for field in ("agency", "title", "year", "region"):
            assert report["metadata"][field] == want["metadata"][field], (output.name, field)


@pytest.mark.parametrize("margin", MARGINS_MM)
def test_the_real_page_printed_by_chromium(workdir: Path, margin: int) -> None:
    output = chromium_print(PAGE, workdir / f"chromium-{margin}.pdf", margin_top_mm=margin)
    report = _read(output)
    assert cell_differences(expected_of(PAGE), report) == []
    assert _no_false_errors(report) == []
    assert [s["heading"] for s in report["sections"]][0] == "一、总体情况"  # radical code points read as ideographs


def test_a_printed_portal_page_reads_without_the_portal_around_it(workdir: Path) -> None:
    # The whole page printed: tens of lines of navigation before the report, the footer's
    # links, registration numbers and browser advice after it.
    report = _read(chromium_print(PAGE, workdir / "chromium-0.pdf", margin_top_mm=0))
    page = parse_bytes(PAGE.read_bytes(), filename=PAGE.name)[1].to_dict()
    assert report["metadata"]["title"] == "平潭综合实验区2025年度政府信息公开工作年度报告"
    assert report["sections"][-1]["text"] == page["sections"][-1]["text"] == "2025年，无收取信息处理费情况。"
    assert [f["rule"] for f in report["findings"]] == []


@pytest.mark.parametrize(("header", "footer"), [
    ("威海经济技术开发区政府信息公开工作年度报告", ("第 ", " 页")),
    ("政府信息公开工作年度报告", ("- ", " -")),
])
def test_a_running_header_and_footer_on_every_page_are_not_the_reports_text(workdir: Path, header: str,
                                                                             footer: tuple[str, str]) -> None:
    # Word's page header (the agency's name over a red rule, as 公文 print it) and page numbers,
    # saved to PDF by LibreOffice: the header ran into the heading at the top of a page.
    source = SEEDS[1]
    made = workdir / "running" / f"{source.stem}-{len(header)}.docx"
    made.parent.mkdir(exist_ok=True)
    made.write_bytes(with_running_lines(source, header, *footer))
    report, want = _read(libreoffice_convert([made], "pdf", workdir / "running")[made]), _expected_of_seed(source)
    assert cell_differences(want, report) == []
    assert [s["heading"] for s in report["sections"]] == [s["heading"] for s in want["sections"]]
    assert report["metadata"]["title"] == want["metadata"]["title"]
    assert header not in " ".join(s["text"] for s in report["sections"])
    assert _no_false_errors(report) == []


def test_a_title_and_headings_set_with_wide_character_spacing_read_as_text(workdir: Path) -> None:
    # 字符间距加宽 on the title lines and the six headings, saved to PDF by LibreOffice: each
    # character stood apart and the lines were taken for rows of a table without rulings.
    source, want = SEEDS[4], _expected_of_seed(SEEDS[4])
    spaced = tuple(s["heading"] for s in want["sections"]) + tuple(_title_lines(source))
    made = workdir / "spaced" / f"{source.stem}.docx"
    made.parent.mkdir(exist_ok=True)
    made.write_bytes(letter_spaced(source, spaced))
    report = _read(libreoffice_convert([made], "pdf", workdir / "spaced")[made])
    assert cell_differences(want, report) == []
    assert [s["heading"] for s in report["sections"]] == [s["heading"] for s in want["sections"]]
    assert (report["metadata"]["title"], report["metadata"]["agency"]) == (want["metadata"]["title"], want["metadata"]["agency"])
    assert _no_false_errors(report) == []


def _title_lines(source: Path) -> list[str]:
    blocks = parse_bytes(source.read_bytes(), filename=source.name)[0].blocks
    return [block.text for block in blocks[:2]]
