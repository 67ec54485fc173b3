"""The report bodies the replay portals serve: real published reports and fixture reports.

The real files are read from ``fixtures/real/`` when the repository has them, else from the
shared copy they were taken from; the fixture reports from ``fixtures/documents/``.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree, html

REPO = Path(__file__).resolve().parents[3]
REAL_DIRS = (REPO / "fixtures" / "real", Path("/work/shared/real"))
DOCUMENTS = REPO / "fixtures" / "documents"


def real_file(name: str) -> bytes:
    for directory in REAL_DIRS:
        if (directory / name).is_file():
            return (directory / name).read_bytes()
    raise FileNotFoundError(f"{name} is in none of {', '.join(map(str, REAL_DIRS))}")


def _inner_html(page: bytes, xpath: str) -> str:
    root = html.fromstring(page)
    [body] = root.xpath(xpath)[:1]
    return (body.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in body)


def pingtan_body() -> str:
    """The 平潭 report as pasted from Word into its TRS page, without the page around it."""
    return _inner_html(real_file("pingtan_2025_portal_page.html"), '//div[@class="word_con"]')


def fixture_body(stem: str) -> str:
    """A fixture report page's body (the ``#zoom`` element of fixtures/documents/STEM.html)."""
    return _inner_html((DOCUMENTS / f"{stem}.html").read_bytes(), '//*[@id="zoom"]')


def huaian_pdf() -> bytes:
    return real_file("huaian_szf_2024.pdf")


def fixture_docx(stem: str) -> bytes:
    return (DOCUMENTS / f"{stem}.docx").read_bytes()
