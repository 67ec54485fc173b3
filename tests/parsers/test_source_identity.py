"""``Source.identity``: two sources with the same identity make the same document (a second
fetch of a page takes the first one's parse on it), so whatever the document is made of must
change it, and page chrome the extractor leaves out must not."""

from __future__ import annotations

from pathlib import Path

from parsers.extract import extract, read_source

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
PAGE = (DOCUMENTS / "001_edb62deb526a149a.html").read_bytes()


def served(count: int, page: bytes = PAGE) -> bytes:
    """The page as a portal serves it: an info table above the body, a footer counting visits."""
    info = '<table class="xxgk"><tr><td>发布机构：威海经济技术开发区管理委员会</td></tr></table>'.encode()
    return page.replace(b"<body>", b"<body>" + info, 1).replace(
        b"</body>", f'<div class="footer"><p>您是本站第{count}位访问者</p></div></body>'.encode())


def identity(page: bytes, **given: object) -> str:
    return read_source(page, filename="a.html", **given).identity()  # type: ignore[arg-type]


def test_a_page_fetched_again_with_another_visit_count_is_the_same_source() -> None:
    assert b"<body>" in PAGE and b"</body>" in PAGE
    assert identity(served(233382)) == identity(served(233383))
    # and the same source makes the same document
    assert extract(served(233382), filename="a.html") == extract(served(233383), filename="a.html")


def test_whatever_the_document_is_made_of_changes_the_identity() -> None:
    first = identity(served(233382))
    others = [
        served(233382).replace("无。".encode(), "有。".encode(), 1),  # the body's text
        served(233382).replace(b"<p ", b"<h3 ", 1),  # a block's kind
        served(233382).replace("管理委员会".encode(), "党工委".encode(), 1),  # the info table around the body
        served(233382).replace(b"<head>", '<head><meta name="PubDate" content="2021-03-18">'.encode(), 1),  # page meta
    ]
    assert all(page != served(233382) for page in others)
    assert first not in {identity(page) for page in others}
    # the pictures an HTML page's body shows, read with it
    assert identity(served(233382), images={"t.png": b"\x89PNG table"}) != first
    assert identity(served(233382), images={"t.png": b"\x89PNG table"}) != identity(served(233382), images={"t.png": b"\x89PNG other"})


def test_a_file_of_another_format_is_made_of_its_bytes() -> None:
    docx = (DOCUMENTS / "002_133ea6e3b8938548.docx").read_bytes()
    assert read_source(docx, filename="a.docx").identity() == read_source(docx, filename="b.docx").identity()
    assert read_source(docx, filename="a.docx").identity() != read_source(docx + b"\0", filename="a.docx").identity()
