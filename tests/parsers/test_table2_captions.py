"""Table 2 printed as one table an item, each item named by a paragraph above its table.

The standard layout names each 第二十条 item in a row of the table; a report made in Word
may instead print four small tables with "第二十条第（一）项" as a line of text above each.
The caption is then the item of the rows below it: without it every row of table 2 lost its
item, and the table read as "partial" with all its values there.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from conversions import libreoffice_convert
from parsers.api import parse_bytes
from parsers.document import Block, Document, GridCell, Table
from parsers.sections import split_layout
from parsers.tables.active_disclosure import caption_item
from real_documents import REAL, cell_differences, expected_of

PAGE = REAL / "pingtan_2025_portal_page.html"


def _captions_above(page: bytes, printed: Callable[[int, str], str] = lambda _, item: item) -> bytes:
    """``page`` with its table 2 cut into a table an item, each item's caption row printed as a paragraph above,
    worded ``printed(index, item)``."""
    root = html.fromstring(page)
    table = next(t for t in root.iter("table") if "第二十条" in t.text_content())
    pieces: list[html.HtmlElement] = []
    for row in table.iter("tr"):
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        if len(cells) == 1 and "第二十条" in cells[0].text_content():
            caption = html.Element("p")
            caption.text = printed(len(pieces) // 2, " ".join(cells[0].text_content().split()))
            # as wide as the page, as Word sets a table; the cells' own borders stay as printed:
            # "信息内容" has none on top (the caption row above drew it)
            piece = html.Element("table", {**table.attrib, "width": "100%"})
            pieces += [caption, piece]
        else:
            pieces[-1].append(copy.deepcopy(row))
    for piece in pieces:
        table.addprevious(piece)
    table.getparent().remove(table)
    return html.tostring(root, encoding="utf-8")


@pytest.fixture(scope="module")
def captioned_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("captions") / "pingtan_captions_above.html"
    page.write_bytes(_captions_above(PAGE.read_bytes()))
    return page


def _check(path: Path) -> None:
    report = parse_bytes(path.read_bytes(), filename=path.name)[1].to_dict()
    assert cell_differences(expected_of(PAGE), report) == []
    assert report["completeness"]["active_disclosure"] == {"status": "complete", "missing_rows": [], "missing_columns": []}
    assert report["findings"] == []


def test_the_real_page_with_its_table_2_items_captioned_above_separate_tables(captioned_page: Path) -> None:
    assert _captions_above(PAGE.read_bytes()).count(b"<table") == PAGE.read_bytes().count(b"<table") + 3
    _check(captioned_page)


@pytest.mark.parametrize("target", ["docx", "pdf"])
def test_the_same_saved_by_libreoffice(captioned_page: Path, target: str) -> None:
    _check(libreoffice_convert([captioned_page], target, captioned_page.parent)[captioned_page])


# What the rows of each of the page's items are called in a caption that names them.
_ITEM_ROWS = {"第二十条第（一）项": "规章和规范性文件", "第二十条第（五）项": "行政许可",
              "第二十条第（六）项": "行政处罚、行政强制", "第二十条第（八）项": "行政事业性收费"}
# Captions as reports word them: numbered as a list, and naming the item's rows.
CAPTION_WORDINGS: dict[str, Callable[[int, str], str]] = {
    "numbered": lambda index, item: f"{index + 1}.{item.replace('（', '(').replace('）', ')')}",
    "numbered_naming_rows": lambda index, item: f"（{'一二三四'[index]}）{item} {_ITEM_ROWS[item]}",
    "naming_rows_after_a_colon": lambda _, item: f"{item}：{_ITEM_ROWS[item]}",
    "with_a_unit": lambda _, item: f"{item}（单位：万元）",
}


@pytest.fixture(scope="module")
def reworded_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    workdir = tmp_path_factory.mktemp("caption_wordings")
    pages = {name: workdir / f"pingtan_captions_{name}.html" for name in CAPTION_WORDINGS}
    for name, page in pages.items():
        page.write_bytes(_captions_above(PAGE.read_bytes(), CAPTION_WORDINGS[name]))
    return pages


@pytest.mark.parametrize("target", ["html", "docx"])
@pytest.mark.parametrize("wording", list(CAPTION_WORDINGS))
def test_captions_numbered_or_naming_their_rows(reworded_pages: dict[str, Path], wording: str, target: str) -> None:
    page = reworded_pages[wording]
    assert CAPTION_WORDINGS[wording](0, "第二十条第（一）项").encode() in page.read_bytes()
    if target == "docx":
        page = libreoffice_convert(list(reworded_pages.values()), target, page.parent)[page]
    _check(page)


@pytest.mark.parametrize("paragraph", ["（一）第二十条第（一）项规定的信息见下表", "第二十条第（五）项：行政许可情况如下",
                                       "根据第二十条第（八）项", "第二十条第（一）项规章"])
def test_a_sentence_naming_an_item_is_no_caption_but_the_item_and_its_rows_are(paragraph: str) -> None:
    assert caption_item(paragraph) == ("第二十条第（一）项" if paragraph.endswith("项规章") else None)


def _table(*rows: list[str]) -> Block:
    return Block("table", table=Table([[GridCell(text) for text in row] for row in rows]))


def test_only_a_paragraph_that_is_nothing_but_an_item_right_above_a_table_captions_it() -> None:
    table = _table(["信息内容", "本年处理决定数量"], ["行政许可", "12"])
    blocks = [
        Block("paragraph", text="二、主动公开政府信息情况"),
        Block("paragraph", text="第二十条第（五）项："), table,
        Block("paragraph", text="第二十条第（一）项规定的信息见下表。"), copy.deepcopy(table),
        Block("paragraph", text="第二十条第（八）项"),  # no table follows
    ]
    layout = split_layout(Document(blocks=blocks, source_format="docx"))
    # the caption row prints the paragraph's words: a unit after the item is read from them
    assert [t.texts()[0][0] for _, t in layout.tables] == ["第二十条第（五）项：", "信息内容"]
    assert layout.tables[0][1].texts()[0] == ["第二十条第（五）项：", "第二十条第（五）项："]
    assert layout.sections[0].paragraphs == ["第二十条第（一）项规定的信息见下表。", "第二十条第（八）项"]
