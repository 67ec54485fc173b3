"""Real reports as agencies published them parse to the JSON read from them by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from parse_expectations import comparable, readable_diff
from parsers.api import parse_bytes
from real_documents import expected_of, real_documents


@pytest.mark.parametrize("document", real_documents(), ids=lambda path: path.name)
def test_real_document_parses_to_its_expected_json(document: Path) -> None:
    want = comparable(expected_of(document))
    got = comparable(parse_bytes(document.read_bytes(), filename=document.name)[1].to_dict())
    assert got == want, readable_diff(want, got)


def test_the_two_hand_read_documents_are_there() -> None:
    names = {path.name for path in real_documents()}
    assert {"pingtan_2025_portal_page.html", "huaian_szf_2024.pdf"} <= names
