from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.errors import ExtractionError
from parsers.hints import ReportHints


def test_hints_fill_metadata_the_body_lacks(seeds_dir: Path) -> None:
    data = (seeds_dir / "000_9d093eecd5b1c4d3.txt").read_bytes()
    hints = ReportHints(agency="淄博经济开发区管委会", year=2020, source_url="http://example.invalid/a.html")
    doc, report = parse_bytes(data, filename="000.txt", hints=hints)
    assert doc.source_format == "seedtext"
    assert report.metadata.year == 2020
    assert report.metadata.source_url == "http://example.invalid/a.html"


def test_empty_input_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        parse_bytes(b"")
