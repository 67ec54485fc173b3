"""LibreOffice conversion (DOC/WPS) fenced in: no network, private temp files, killed whole, bounded.

The hostile .doc is made by LibreOffice itself at test time from a report page carrying a
linked image, so it holds the ``INCLUDEPICTURE "http://127.0.0.1:PORT/…" \\d`` field Word
and LibreOffice write; a listener on that port records every request.
"""

from __future__ import annotations

import dataclasses
import fcntl
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parsers import limits
from parsers.api import parse_bytes
from parsers.errors import ExtractionError
from parsers.extract import converted, extract
from tests.hostile import corpus
from tests.hostile.compound import compound_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(converted.find_converter() is None, reason="LibreOffice (soffice) is not installed"),
]

_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf"
    "c0f01f0005000201e2b6a8b80000000049454e44ae426082"
)


class _Listener:
    """An HTTP server on 127.0.0.1 that answers every method with a PNG and records the request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                listener.requests.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(_PNG)))
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(_PNG)

            do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def listener() -> Iterator[_Listener]:
    server = _Listener()
    yield server
    server.server.shutdown()


def _soffice(*args: str, cwd: Path) -> None:
    profile = (cwd / "maker-profile").as_uri()
    subprocess.run([converted.find_converter(), "--headless", f"-env:UserInstallation={profile}", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=180)


@pytest.fixture(scope="module")
def linked_image_doc(listener: _Listener, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real report page with a linked seal image, saved as .doc by LibreOffice."""
    work = tmp_path_factory.mktemp("doc")
    page = corpus.real_html()
    at = page.index(b"<table")
    image = f'<p><img src="{listener.url}/seal.png" width="40" height="40"></p>'.encode()
    (work / "report.html").write_bytes(page[:at] + image + page[at:])
    _soffice("--convert-to", "doc:MS Word 97", "--outdir", str(work), str(work / "report.html"), cwd=work)
    data = (work / "report.doc").read_bytes()
    assert f"INCLUDEPICTURE  \"{listener.url}/seal.png\"".encode("utf-16-le") in data or listener.url.encode() in data
    return data


def test_conversion_fetches_nothing(listener: _Listener, linked_image_doc: bytes) -> None:
    listener.requests.clear()
    _, report = parse_bytes(linked_image_doc, filename="report.doc")
    assert listener.requests == []
    assert report.source_format == "doc"
    assert report.applications is not None and report.active_disclosure is not None


def test_the_profile_alone_fetches_nothing(monkeypatch: pytest.MonkeyPatch, listener: _Listener,
                                           linked_image_doc: bytes) -> None:
    """Where no network namespace can be made (a container forbidding it), the profile still holds."""
    monkeypatch.setattr(converted, "isolation_prefix", lambda: ())
    listener.requests.clear()
    extract(linked_image_doc, filename="report.doc")
    assert listener.requests == []


def test_unfenced_libreoffice_does_fetch(listener: _Listener, linked_image_doc: bytes, tmp_path: Path) -> None:
    """The control: converted the way it used to be, the same file makes LibreOffice call the URL."""
    (tmp_path / "report.doc").write_bytes(linked_image_doc)
    listener.requests.clear()
    _soffice("--convert-to", "docx", "--outdir", str(tmp_path / "out"), str(tmp_path / "report.doc"), cwd=tmp_path)
    assert any(request.endswith("/seal.png") for request in listener.requests)


def test_tmpdir_with_a_space_and_nothing_left_behind(monkeypatch: pytest.MonkeyPatch, linked_image_doc: bytes,
                                                     tmp_path: Path) -> None:
    spaced = tmp_path / "temp dir with spaces"
    spaced.mkdir()
    monkeypatch.setenv("TMPDIR", str(spaced))
    monkeypatch.setattr(tempfile, "tempdir", str(spaced))
    doc = extract(linked_image_doc, filename="report.doc")
    assert doc.source_format == "doc" and doc.blocks
    assert [p.name for p in spaced.iterdir()] == [f"govreport-converter-slots-{os.geteuid()}"]
    assert not _processes_under(spaced)


def _processes_under(directory: Path) -> list[int]:
    """Processes whose command line names ``directory`` (a LibreOffice left running there)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(directory).encode() in cmdline:
                found.append(int(entry.name))
    return found


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    """A converter standing in for soffice: ``body`` runs with ``out``/``source`` set from soffice's arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, shutil, subprocess, sys, time\n"
        "args = sys.argv[1:]\n"
        "out, source = args[args.index('--outdir') + 1], args[-1]\n"
        f"{body}\n"
    )
    script.chmod(0o755)
    return bin_dir


def test_timeout_kills_the_whole_process_group(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """soffice starts soffice.bin; on timeout both go, and so does the temporary directory."""
    pids = tmp_path / "child.pid"
    bin_dir = _fake_soffice(tmp_path, (
        "child = subprocess.Popen(['sleep', '300'])\n"
        f"open({str(pids)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(300)"
    ))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, converter_seconds=3))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(ExtractionError, match="limit converter_seconds=3 "):
        extract(compound_file(), filename="report.doc")
    child = int(pids.read_text())
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    assert not list(tmp_path.glob("govreport-convert-*"))


def test_conversions_take_turns_for_the_machine_wide_slots(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    bin_dir = _fake_soffice(tmp_path, (
        f"open({str(log)!r}, 'a').write('start\\n')\n"
        "time.sleep(0.5)\n"
        f"shutil.copy({str(corpus.DOCUMENTS / (corpus.REPORT + '.docx'))!r}, os.path.join(out, 'report.docx'))\n"
        f"open({str(log)!r}, 'a').write('end\\n')"
    ))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, converter_processes=1))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    errors: list[BaseException] = []

    def convert() -> None:
        try:
            extract(compound_file(), filename="report.doc")
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    workers = [threading.Thread(target=convert) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    assert log.read_text().split() == ["start", "end"] * 3  # never two at once


def test_no_free_slot_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, converter_processes=1, converter_seconds=1))
    slots = tmp_path / f"govreport-converter-slots-{os.geteuid()}"
    slots.mkdir()
    with open(slots / "slot-0.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another worker's conversion
        started = time.monotonic()
        with pytest.raises(ExtractionError, match="limit converter_processes=1"):
            extract(compound_file(), filename="report.doc")
    assert time.monotonic() - started < 30


def test_libreoffice_rtf_with_astral_characters(tmp_path: Path) -> None:
    """LibreOffice writes characters beyond U+FFFF in RTF as a \\u surrogate pair; they read back whole."""
    names = "𪚥县 😀"
    (tmp_path / "report.html").write_text(
        f"<html><body><p>一、总体情况</p><p>{names}</p></body></html>", encoding="utf-8")
    _soffice("--convert-to", "rtf:Rich Text Format", "--outdir", str(tmp_path), str(tmp_path / "report.html"),
             cwd=tmp_path)
    rtf = (tmp_path / "report.rtf").read_bytes()
    assert rb"\u55401" in rtf and rb"\u56997" in rtf  # 𪚥 as its two UTF-16 halves
    texts = [block.text for block in extract(rtf, filename="report.doc").blocks]
    assert names in texts
    for text in texts:
        text.encode("utf-8")  # no lone surrogate anywhere


def test_pdf_characters_beyond_the_basic_plane(tmp_path: Path) -> None:
    """pdfium hands out an emoji as two lone UTF-16 halves; the document carries the character."""
    (tmp_path / "report.html").write_text(
        "<html><body><p>一、总体情况</p><p>县😀</p></body></html>", encoding="utf-8")
    _soffice("--convert-to", "pdf:writer_web_pdf_Export", "--outdir", str(tmp_path), str(tmp_path / "report.html"),
             cwd=tmp_path)
    texts = [block.text for block in extract((tmp_path / "report.pdf").read_bytes(), filename="report.pdf").blocks]
    assert any("县😀" in text for text in texts)
    "".join(texts).encode("utf-8")


def test_the_namespace_has_no_route_to_the_host(listener: _Listener) -> None:
    prefix = converted.isolation_prefix()
    if not prefix:
        pytest.skip("this kernel or container allows no network namespace; the profile fence is tested above")
    fetch = f"import urllib.request; urllib.request.urlopen({listener.url + '/probe'!r}, timeout=5)"
    outside = subprocess.run([sys.executable, "-c", fetch], capture_output=True, timeout=60)
    inside = subprocess.run([*prefix, sys.executable, "-c", fetch], capture_output=True, timeout=60)
    assert outside.returncode == 0 and inside.returncode != 0


def test_damaged_doc_files_give_a_document_or_a_parse_error(linked_image_doc: bytes) -> None:
    """The property the fuzz targets check, on the one extractor too slow to fuzz: LibreOffice's."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.fuzz.harness import run_one

    @settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.integers(512, len(linked_image_doc) - 1), st.binary(min_size=1, max_size=512))
    def converted_or_refused(at: int, junk: bytes) -> None:
        run_one("parse", linked_image_doc[:at] + junk + linked_image_doc[at + len(junk):])

    converted_or_refused()
