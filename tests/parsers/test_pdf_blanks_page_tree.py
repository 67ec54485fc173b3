"""The white space of a page whose resources it inherits from the page tree is read as that of a page holding its own.

``pdf_blanks`` opens a file without pikepdf copying inherited attributes down to the pages,
and looks a page's resources up its /Parent links itself.
"""

from __future__ import annotations

import io

import pikepdf
from test_pdf_blanks import _words_pdf, needs_dejavu

from parsers.extract import pdf_page


def _resources_moved_to_the_page_tree(data: bytes) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0].obj
    pdf.Root.Pages.Resources = page.Resources
    del page["/Resources"]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@needs_dejavu
def test_a_page_inheriting_its_resources_reads_its_white_space_as_one_holding_them() -> None:
    own = _words_pdf([(12, ["alpha", " ", "beta"]), (6, ["gamma", " ", "delta"])])
    inherited = _resources_moved_to_the_page_tree(own)
    with pikepdf.open(io.BytesIO(inherited), inherit_page_attributes=False) as pdf:
        assert "/Resources" not in pdf.pages[0].obj and "/Resources" in pdf.Root.Pages

    [page] = pdf_page.read_pages(inherited)
    assert page.mended
    assert [page] == pdf_page.read_pages(own)
    assert " " in {char.text for char in page.chars}
