"""Surrogate halves from any reader become their character, or U+FFFD when alone."""

from __future__ import annotations

from parsers.document import Block, Document, GridCell, Table
from parsers.extract.surrogates import mend, mend_document


def test_pairs_join_and_lone_halves_are_replaced() -> None:
    assert mend("县\ud83d\ude00") == "县😀"
    assert mend("\ud869\udea5") == "𪚥"
    assert mend("a\ud83db") == "a\ufffdb"
    assert mend("a\ude00") == "a\ufffd"
    assert mend("一、总体情况") == "一、总体情况"


def test_every_text_of_a_document_is_mended() -> None:
    doc = Document(
        blocks=[Block("paragraph", text="县\ud83d\ude00"),
                Block("table", table=Table([[GridCell("\ud83d"), GridCell("\ud83d", span_of=(0, 0))]]))],
        source_format="pdf", page_meta={"ArticleTitle": "x\ude00"}, page_title="\ud869\udea5",
    )
    mended = mend_document(doc)
    assert mended.blocks[0].text == "县😀"
    assert mended.blocks[1].table.texts() == [["\ufffd", "\ufffd"]]
    assert mended.blocks[1].table.rows[0][1].span_of == (0, 0)
    assert mended.page_meta == {"ArticleTitle": "x\ufffd"} and mended.page_title == "𪚥"


def test_a_clean_document_is_returned_as_it_is() -> None:
    doc = Document(blocks=[Block("paragraph", text="一、总体情况")], source_format="html")
    assert mend_document(doc) is doc
