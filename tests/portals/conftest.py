"""One fixture server for the package, reset to its generated state before every test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from harvester.fixtureserver import DEFAULT_ROOT, FixtureServer, serve_in_thread


@pytest.fixture(scope="session")
def manifest() -> dict[str, Any]:
    return json.loads((DEFAULT_ROOT / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def running_server() -> Iterator[FixtureServer]:
    with serve_in_thread() as server:
        yield server


@pytest.fixture
def server(running_server: FixtureServer) -> FixtureServer:
    running_server.reset()
    return running_server


@pytest.fixture(scope="session")
def portals_root() -> Path:
    return DEFAULT_ROOT
