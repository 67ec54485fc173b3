"""The LibreOffice a parse worker keeps running between DOC/WPS files: reused, replaced, bounded, ended.

The .doc files are the seed reports saved by LibreOffice as Word 97 at test time, the way
agencies' Word and WPS write them.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parsers import limits
from parsers.api import parse_bytes
from parsers.errors import ExtractionError
from parsers.extract import converted
from tests.hostile import corpus

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(converted.find_converter() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(converted.find_converter() is not None and converted.uno_python(converted.find_converter()) is None,
                       reason="LibreOffice's Python UNO bridge is not installed (Debian: python3-uno)"),
]


@pytest.fixture(scope="module")
def seed_docs(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    work = tmp_path_factory.mktemp("seed-docs")
    sources = sorted(corpus.DOCUMENTS.glob("00[0-2]_*[0-9a-f].docx"))
    subprocess.run([converted.find_converter(), "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(work), *map(str, sources)],
                   check=True, capture_output=True, timeout=300)
    return [(work / f"{source.stem}.doc").read_bytes() for source in sources]


@pytest.fixture(autouse=True)
def fresh_converter() -> Iterator[None]:
    converted.stop_converter()
    yield
    converted.stop_converter()


def _worker() -> converted.WarmConverter:
    assert converted._warm is not None
    return converted._warm


def _group_alive(pgid: int, wait_seconds: float = 10) -> bool:
    """Whether a process of group ``pgid`` still runs (zombies waiting for init do not), after a short wait."""
    deadline = time.monotonic() + wait_seconds
    while True:
        running = False
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                running = True
                break
        if not running or time.monotonic() >= deadline:
            return running
        time.sleep(0.2)


def test_one_libreoffice_converts_every_document_the_same_as_a_fresh_one(seed_docs: list[bytes],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    warm_reports, pids = [], set()
    for data in seed_docs:
        warm_reports.append(parse_bytes(data, filename="report.doc")[1].to_dict())
        pids.add(_worker().process.pid)
    assert len(pids) == 1
    converted.stop_converter()
    monkeypatch.setattr(converted, "uno_python", lambda converter: None)  # the one-shot soffice --convert-to
    assert [parse_bytes(data, filename="report.doc")[1].to_dict() for data in seed_docs] == warm_reports


def test_a_dead_libreoffice_is_replaced_by_the_next_document(seed_docs: list[bytes]) -> None:
    parse_bytes(seed_docs[0], filename="report.doc")
    first = _worker().process.pid
    os.killpg(first, signal.SIGKILL)
    time.sleep(0.5)
    report = parse_bytes(seed_docs[1], filename="report.doc")[1]
    assert report.source_format == "doc" and report.applications is not None
    assert _worker().process.pid != first


def test_a_hung_libreoffice_is_killed_whole_at_the_time_limit(seed_docs: list[bytes],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    parse_bytes(seed_docs[0], filename="report.doc")
    hung = _worker()
    pgid, work = hung.process.pid, hung.work
    os.killpg(pgid, signal.SIGSTOP)  # LibreOffice and its driver stop answering
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, converter_seconds=3))
    started = time.monotonic()
    with pytest.raises(ExtractionError, match="limit converter_seconds=3 "):
        parse_bytes(seed_docs[1], filename="report.doc")
    assert time.monotonic() - started < 30
    assert not _group_alive(pgid) and not work.exists()
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, converter_seconds=120))
    assert parse_bytes(seed_docs[1], filename="report.doc")[1].source_format == "doc"


def test_stopping_kills_libreoffice_and_removes_its_files(seed_docs: list[bytes]) -> None:
    parse_bytes(seed_docs[0], filename="report.doc")
    pgid, work = _worker().process.pid, _worker().work
    converted.stop_converter()
    assert not _group_alive(pgid) and not work.exists()


def test_libreoffice_ends_when_the_parse_worker_dies(seed_docs: list[bytes], tmp_path: Path) -> None:
    """A worker killed outright runs no exit handler; its converter sees its pipe close and ends."""
    (tmp_path / "report.doc").write_bytes(seed_docs[0])
    script = (
        "import os, sys, time\n"
        "from parsers.api import parse_bytes\n"
        "from parsers.extract import converted\n"
        f"parse_bytes(open({str(tmp_path / 'report.doc')!r}, 'rb').read(), filename='report.doc')\n"
        "print(converted._warm.process.pid, flush=True)\n"
        "time.sleep(300)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        pgid = int(parent.stdout.readline())  # type: ignore[union-attr]
        assert _group_alive(pgid, wait_seconds=0)
        parent.kill()
        parent.wait()
        assert not _group_alive(pgid, wait_seconds=30)
    finally:
        parent.kill()
