"""Table 4 as agencies really lay it out, each value read under the header words above it.

Each layout is Word-HTML put in place of seed 000's table 4; the page is read as it is and
as LibreOffice Writer saves it (Word 2007+ and PDF), the way agencies publish. Hebei's real
copied page text, its table 4 reprinted in other layouts, covers text exports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conversions import libreoffice_convert
from parsers.api import parse_bytes

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_9d093eecd5b1c4d3.html"
SECTION_4 = "<h3>4． 政府信息公开行政复议、行政诉讼情况</h3>"

REVIEW, DIRECT, AFTER = "行政复议", "未经复议直接起诉", "复议后起诉"
STANDARD = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
TOTAL_FIRST = ("总计", "结果维持", "结果纠正", "其他结果", "尚未审结")
NO_PENDING = ("结果维持", "结果纠正", "其他结果", "总计")
# Printed values, all different, so a value read under the wrong outcome or block shows.
VALUES = {
    "review": {"upheld": "1", "corrected": "2", "other": "3", "pending": "4", "total": "10"},
    "litigation_direct": {"upheld": "5", "corrected": "6", "other": "7", "pending": "0", "total": "18"},
    "litigation_after_review": {"upheld": "8", "corrected": "9", "other": "0", "pending": "1", "total": "18"},
}
KEYS = {"结果维持": "upheld", "结果纠正": "corrected", "其他结果": "other", "尚未审结": "pending", "总计": "total"}


def _td(text: str, colspan: int = 1, rowspan: int = 1) -> str:
    spans = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return (f'<td{spans} valign="center" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">'
            f'<p class="MsoNormal" align="center" style="text-align:center">'
            f'<span style="font-family:宋体;font-size:10.5pt">{text}</span></p></td>')


def _tr(*cells: str) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def _table(rows: list[str]) -> str:
    return ('<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%"><tbody>'
            + "\n".join(rows) + "</tbody></table>")


def _values(block: str, outcomes: tuple[str, ...]) -> list[str]:
    return [_td(VALUES[block][KEYS[outcome]]) for outcome in outcomes]


def _outcomes(outcomes: tuple[str, ...], rowspan: int = 1) -> list[str]:
    return [_td(outcome, rowspan=rowspan) for outcome in outcomes]


def _standard_header(outcomes: tuple[str, ...], *, litigation_total: bool = False, grand_total: bool = False) -> list[str]:
    """The template's three header rows, each block's outcomes printed as ``outcomes`` and
    optionally a 合计 column for both litigation blocks or for the whole table."""
    width = len(outcomes)
    extra = [_td("合计", rowspan=3)] if grand_total else []
    return [
        _tr(_td(REVIEW, width), _td("行政诉讼", 2 * width + litigation_total), *extra),
        _tr(*_outcomes(outcomes, rowspan=2), _td(DIRECT, width), _td(AFTER, width),
            *([_td("合计", rowspan=2)] if litigation_total else [])),
        _tr(*_outcomes(outcomes), *_outcomes(outcomes)),
    ]


def _all_values(outcomes: tuple[str, ...]) -> list[str]:
    return [*_values("review", outcomes), *_values("litigation_direct", outcomes), *_values("litigation_after_review", outcomes)]


SINGLE_TABLES = {
    "total_first": [*_standard_header(TOTAL_FIRST), _tr(*_all_values(TOTAL_FIRST))],
    "grand_total_column": [*_standard_header(STANDARD, grand_total=True), _tr(*_all_values(STANDARD), _td("46"))],
    "litigation_total_column": [
        *_standard_header(STANDARD, litigation_total=True),
        _tr(*_all_values(STANDARD), _td("36")),
    ],
    "no_pending_column": [*_standard_header(NO_PENDING), _tr(*_all_values(NO_PENDING))],
    "litigation_on_rows_of_its_own": [
        _tr(_td(REVIEW, 5)), _tr(*_outcomes(STANDARD)), _tr(*_values("review", STANDARD)),
        _tr(_td("行政诉讼", 10)), _tr(_td(DIRECT, 5), _td(AFTER, 5)), _tr(*_outcomes(STANDARD), *_outcomes(STANDARD)),
        _tr(*_values("litigation_direct", STANDARD), *_values("litigation_after_review", STANDARD)),
    ],
    "litigation_first": [
        _tr(_td("行政诉讼", 10), _td(REVIEW, 5)),
        _tr(_td(DIRECT, 5), _td(AFTER, 5), *_outcomes(STANDARD, rowspan=2)),
        _tr(*_outcomes(STANDARD), *_outcomes(STANDARD)),
        _tr(*_values("litigation_direct", STANDARD), *_values("litigation_after_review", STANDARD), *_values("review", STANDARD)),
    ],
    "totals_only": [
        _tr(_td(REVIEW, rowspan=2), _td("行政诉讼", 2)),
        _tr(_td(DIRECT), _td(AFTER)),
        _tr(_td("10"), _td("18"), _td("18")),
    ],
    "one_row_per_outcome": [
        _tr(_td("案件类型"), _td("办理结果"), _td("数量（件）")),
        *[_tr(*([_td(label, rowspan=5)] if i == 0 else []), _td(outcome), _td(VALUES[block][KEYS[outcome]]))
          for block, label in (("review", REVIEW), ("litigation_direct", f"行政诉讼（{DIRECT}）"),
                               ("litigation_after_review", f"行政诉讼（{AFTER}）"))
          for i, outcome in enumerate(STANDARD)],
    ],
}
LAYOUTS = {
    **{name: _table(rows) for name, rows in SINGLE_TABLES.items()},
    # Three small tables, each block's name a paragraph above its table rather than a header row.
    "small_tables_named_above": "\n".join(
        f'<p style="text-indent:2em">{caption}</p>' + _table([_tr(*_outcomes(TOTAL_FIRST)), _tr(*_values(block, TOTAL_FIRST))])
        for block, caption in (("review", "（一）行政复议情况"), ("litigation_direct", "（二）行政诉讼（未经复议直接起诉）情况"),
                               ("litigation_after_review", "（三）行政诉讼（复议后起诉）情况"))),
}
EVERY_CELL = {f"{block}.{outcome}": raw for block, values in VALUES.items() for outcome, raw in values.items()}
EXPECTED = {
    **{name: EVERY_CELL for name in LAYOUTS},
    "no_pending_column": {key: raw for key, raw in EVERY_CELL.items() if not key.endswith(".pending")},
    "totals_only": {key: raw for key, raw in EVERY_CELL.items() if key.endswith(".total")},
}
# Writer breaks this table's page inside the 行政复议 cell merged over five rows: the PDF prints
# the cell's rest blank at the top of the next page, and four rows there are no block's.
EXPECTED_PDF = {"one_row_per_outcome": {key: raw for key, raw in EVERY_CELL.items()
                                        if key not in ("review.corrected", "review.other", "review.pending", "review.total")}}
FORMATS = ("html", "docx", "pdf", "rtf")


def _page(tables: str) -> str:
    seed = SEED.read_text(encoding="utf-8")
    start = seed.index(SECTION_4) + len(SECTION_4)
    return seed[:start] + "\n" + tables + "\n" + seed[seed.index("<h3>五、"):]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every layout's page, and the page saved by LibreOffice as each format."""
    workdir = tmp_path_factory.mktemp("table4")
    pages = {}
    for name, tables in LAYOUTS.items():
        pages[name] = workdir / f"{name}.html"
        pages[name].write_text(_page(tables), encoding="utf-8")
    saved = {(name, "html"): page for name, page in pages.items()}
    for target in ("docx", "pdf"):
        converted = libreoffice_convert(list(pages.values()), target, workdir)
        saved.update({(name, target): converted[page] for name, page in pages.items()})
    # RTF saved from the Word file, as Word users save it: the reader keeps cells merged down, not across.
    docx = [saved[name, "docx"] for name in pages]
    converted = libreoffice_convert(docx, "rtf", workdir)
    saved.update({(name, "rtf"): converted[saved[name, "docx"]] for name in pages})
    return saved


def _report(path: Path) -> dict:
    return parse_bytes(path.read_bytes(), filename=path.name)[1].to_dict()


@pytest.mark.parametrize("target", FORMATS)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_value_is_read_under_its_header_words(documents: dict[tuple[str, str], Path], layout: str, target: str) -> None:
    report = _report(documents[layout, target])
    cells = report["tables"]["appeals"]["cells"]
    expected = EXPECTED_PDF.get(layout, EXPECTED[layout]) if target == "pdf" else EXPECTED[layout]
    assert {key: cell["raw"] for key, cell in cells.items()} == expected
    assert not [f for f in report["findings"] if f["table"] == "appeals" and f["severity"] == "error"]


@pytest.mark.parametrize("target", FORMATS)
def test_a_column_not_printed_is_reported_missing_not_filled(documents: dict[tuple[str, str], Path], target: str) -> None:
    report = _report(documents["no_pending_column", target])
    completeness = report["completeness"]["appeals"]
    assert completeness["status"] == "partial"
    assert sorted(completeness["missing_columns"]) == ["litigation_after_review.pending", "litigation_direct.pending",
                                                       "review.pending"]


# Hebei's 2022 report as a crawler saved its page: one cell a line, two empty lines between
# cells, four between rows, CR line breaks. The export prints a merged cell once and every row
# from its left, so no cell stands above its column: the header's words must place the values.
COPIED_TEXT = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "hebei_jyt_2022_copied_text.txt"
HEBEI = {"review": ["2", "2", "0", "0", "4"], "litigation_direct": ["0", "1", "0", "1", "2"],
         "litigation_after_review": ["1", "0", "0", "0", "1"]}


def _copied_text_cells(rows: list[list[str]]) -> dict[str, str]:
    """Table 4's cells read from the copied text with its table 4 printed as ``rows``."""
    lines = COPIED_TEXT.read_bytes().decode("utf-8").split("\r")
    start = lines.index(REVIEW)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("五、"))
    table = "\r\r\r\r\r".join("\r\r\r".join(row) for row in rows).split("\r")
    data = "\r".join(lines[:start] + table + [""] * 6 + lines[end:]).encode("utf-8")
    report = parse_bytes(data, filename="report.txt")[1].to_dict()
    return {key: cell["raw"] for key, cell in report["tables"].get("appeals", {}).get("cells", {}).items()}


def _hebei(block: str, order: tuple[str, ...] = STANDARD) -> list[str]:
    return [HEBEI[block][STANDARD.index(outcome)] for outcome in order]


HEBEI_CELLS = {f"{block}.{KEYS[outcome]}": _hebei(block)[i] for block in HEBEI for i, outcome in enumerate(STANDARD)}


def test_copied_text_as_hebei_prints_it_is_read() -> None:
    rows = [[REVIEW, "行政诉讼"], [*STANDARD, DIRECT, AFTER], [*STANDARD, *STANDARD],
            [*_hebei("review"), *_hebei("litigation_direct"), *_hebei("litigation_after_review")]]
    assert _copied_text_cells(rows) == HEBEI_CELLS


def test_copied_text_with_total_first_reads_each_value_under_its_outcome() -> None:
    order = TOTAL_FIRST
    rows = [[REVIEW, "行政诉讼"], [*order, DIRECT, AFTER], [*order, *order],
            [*_hebei("review", order), *_hebei("litigation_direct", order), *_hebei("litigation_after_review", order)]]
    assert _copied_text_cells(rows) == HEBEI_CELLS


def test_copied_text_with_litigation_first_reads_each_value_in_its_block() -> None:
    rows = [["行政诉讼", REVIEW], [DIRECT, AFTER, *STANDARD], [*STANDARD, *STANDARD],
            [*_hebei("litigation_direct"), *_hebei("litigation_after_review"), *_hebei("review")]]
    assert _copied_text_cells(rows) == HEBEI_CELLS


def test_copied_text_with_a_litigation_total_column_places_the_total_nowhere() -> None:
    rows = [[REVIEW, "行政诉讼"], [*STANDARD, DIRECT, AFTER, "合计"], [*STANDARD, *STANDARD],
            [*_hebei("review"), *_hebei("litigation_direct"), *_hebei("litigation_after_review"), "3"]]
    assert _copied_text_cells(rows) == HEBEI_CELLS


def test_copied_text_whose_header_does_not_cover_every_value_places_none() -> None:
    """A label the export lost leaves fourteen labels over fifteen values: which is which is unknown."""
    rows = [[REVIEW, "行政诉讼"], [*STANDARD, DIRECT, AFTER], [*STANDARD[1:], *STANDARD],
            [*_hebei("review"), *_hebei("litigation_direct"), *_hebei("litigation_after_review")]]
    assert _copied_text_cells(rows) == {}
