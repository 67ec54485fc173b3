"""The rulings merged by ``pdf_rulings`` are those pdfplumber's ``merge_edges`` makes, to the last bit."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pdfplumber.table import merge_edges as pdfplumber_merge_edges

from parsers.extract.pdf_page import _add_edge, read_pages
from parsers.extract.pdf_rulings import merge_edges

REPO = Path(__file__).resolve().parents[2]
PDFS = [path for path in sorted((REPO / "fixtures").rglob("*.pdf")) if path.parent.name != "malformed"]
TOLERANCE = 3.0


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_the_rulings_of_fixture_pages_merge_as_pdfplumber_merges_them(path: Path) -> None:
    pages = [page for page in read_pages(path.read_bytes()) if page.edges]
    assert pages
    for page in pages:
        assert merge_edges(page.edges, TOLERANCE) == pdfplumber_merge_edges(page.edges, TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)


def _crowded_rulings(seed: int) -> list[dict]:
    """Rulings drawn close together, overlapping and end to end, a few within the tolerance of each other."""
    rng = random.Random(seed)
    edges: list[dict] = []
    for _ in range(rng.randint(1, 40)):
        x, y = rng.uniform(0, 200) + rng.choice([0, 0.1, 1.7, 2.9, 3.1]), rng.uniform(0, 200) * rng.choice([1, 0.2])
        if rng.random() < 0.5:
            _add_edge(edges, (x, y), (x + rng.uniform(0, 0.9), y + rng.uniform(2, 80)))
        else:
            _add_edge(edges, (x, y), (x + rng.uniform(2, 80), y + rng.uniform(0, 0.9)))
    return edges


@pytest.mark.parametrize("seed", range(200))
def test_crowded_rulings_merge_as_pdfplumber_merges_them(seed: int) -> None:
    edges = _crowded_rulings(seed)
    assert merge_edges(edges, TOLERANCE) == pdfplumber_merge_edges(edges, TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)
