"""Shared inputs of the fixture-generation tests: the seed documents and their tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Document
from parsers.extract.seedtext import extract_seedtext

SEED_STEMS = (
    "000_9d093eecd5b1c4d3",
    "001_edb62deb526a149a",
    "002_133ea6e3b8938548",
    "003_405f20c665fb23e7",
    "004_2dfc536c7b58f7e3",
)


@pytest.fixture(scope="session")
def seed_docs(seeds_dir: Path) -> dict[str, Document]:
    return {stem: extract_seedtext((seeds_dir / f"{stem}.txt").read_bytes()) for stem in SEED_STEMS}
