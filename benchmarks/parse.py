"""Parse throughput per format: the fixtures, the real documents, and DOC through LibreOffice.

Prints JSON. For each group of documents: reports parsed per second (extraction + parsing +
validation) by the clock and by this process's CPU time (the machine may be shared; the CPU
figure is what a parse costs), peak traced memory of one parse, and the time per report as
a ratio to a baseline measured in the same run (decoding and hashing the same bytes).

Groups: the fixture documents by format (``seedtext``, ``html``, ``docx``, ``pdf``);
``real-html``, real portal pages (``fixtures/real``, ``../shared/real``) and the real page and
the seeds saved by LibreOffice Writer as web pages; ``real-pdf``, the agency's own PDF and
PDFs with embedded fonts made the way agencies make them (LibreOffice's PDF export of the
real page and the seeds, Chromium printing the real page); ``doc``, the seeds saved by
LibreOffice as Word 97 files, read through the LibreOffice a parse worker keeps running,
against the one-shot ``soffice --convert-to`` measured in the same run.

The text groups are measured twice, with the machine's fonts and with its CJK fonts hidden:
a child process in a mount namespace of its own (``unshare -m``) with an empty tmpfs over
each directory holding a CJK font and ``FONTCONFIG_FILE`` naming a configuration without
font directories. ``font_condition`` says what each run could see. Both runs read PDFs as a
parse worker does, pdfium told to find no system font (``parsers.extract.pdf_fonts``);
``--pdfium-system-fonts`` measures them as a process that leaves it the machine's fonts
(``harvester parse``).

    .venv/bin/python benchmarks/parse.py [--min-seconds 1.0] [--no-doc] [--no-hidden-fonts] [--pdfium-system-fonts]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "parsers"))

from conversions import chromium_print, libreoffice_convert  # noqa: E402

from parsers.api import parse_bytes  # noqa: E402
from parsers.extract import converted  # noqa: E402
from parsers.extract.pdf_fonts import system_fonts_used, without_system_fonts  # noqa: E402
from parsers.extract.pdf_page import pdfium_reads  # noqa: E402
from parsers.extract.sniff import sniff_format  # noqa: E402

TARGETS = {"seedtext": 200, "html": 200, "pdf": 20, "real-html": 150, "real-pdf": 25, "doc": 5}
SHARED_REAL = REPO.parent / "shared" / "real"
REAL_PAGE = REPO / "fixtures" / "real" / "pingtan_2025_portal_page.html"
SEEDS = sorted((REPO / "fixtures" / "documents").glob("00?_*[0-9a-f].docx"))
_EMPTY_FONTCONFIG = '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n'

Work = list[tuple[str, bytes]]


def _fixture_inputs() -> dict[str, Work]:
    files = sorted((REPO / "fixtures" / "seeds").glob("*.txt")) + sorted(
        p for p in (REPO / "fixtures" / "documents").glob("*") if p.suffix in (".html", ".docx", ".pdf", ".txt")
    )
    by_format: dict[str, Work] = defaultdict(list)
    for path in files:
        data = path.read_bytes()
        by_format[sniff_format(data, suffix=path.suffix.lstrip("."))].append((path.name, data))
    return by_format


def _unique(paths: list[Path]) -> Work:
    seen, work = set(), []
    for path in paths:
        data = path.read_bytes()
        if hashlib.sha256(data).digest() not in seen:
            seen.add(hashlib.sha256(data).digest())
            work.append((f"{path.parent.name}/{path.name}", data))
    return work


def make_real_inputs(workdir: Path) -> dict[str, Path]:
    """Write the real documents and their LibreOffice/Chromium renderings under ``workdir``; group -> directory."""
    groups = {name: workdir / name for name in ("real-html", "real-pdf", "doc")}
    for directory in groups.values():
        directory.mkdir(parents=True, exist_ok=True)
    made = workdir / "made"
    real = sorted((REPO / "fixtures" / "real").glob("*")) + sorted(SHARED_REAL.glob("*") if SHARED_REAL.is_dir() else [])
    outputs: dict[str, list[Path]] = {
        "real-html": [p for p in real if p.suffix == ".html"],
        "real-pdf": [p for p in real if p.suffix == ".pdf"],
        "doc": [],
    }
    for source_set, name in (([REAL_PAGE], "page"), (SEEDS, "seeds")):
        outputs["real-html"] += libreoffice_convert(source_set, "writer-html", made / name).values()
        outputs["real-pdf"] += libreoffice_convert(source_set, "pdf", made / name).values()
    outputs["real-pdf"].append(chromium_print(REAL_PAGE, made / "chromium.pdf"))
    outputs["doc"] += libreoffice_convert(SEEDS, "doc", made / "seeds").values()
    for group, paths in outputs.items():
        for number, (name, data) in enumerate(_unique(paths)):
            (groups[group] / f"{number:02d}_{Path(name).name}").write_bytes(data)
    return groups


def _read_group(directory: Path) -> Work:
    return [(path.name, path.read_bytes()) for path in sorted(directory.iterdir())]


def _rate(work: Work, run: Callable[[str, bytes], None], min_seconds: float) -> tuple[int, float, float]:
    done, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while True:
        for name, data in work:
            run(name, data)
            done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done, elapsed, time.process_time() - cpu_start


def _baseline(name: str, data: bytes) -> None:
    hashlib.sha256(data).hexdigest()
    data.decode("utf-8", errors="replace")


def _parse(name: str, data: bytes) -> None:
    parse_bytes(data, filename=name)


def _peak_bytes(work: Work) -> int:
    peak = 0
    for name, data in work:
        tracemalloc.start()
        _parse(name, data)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return peak


def measure(groups: dict[str, Work], min_seconds: float) -> dict[str, dict]:
    results = {}
    for group, work in sorted(groups.items()):
        for name, data in work:  # warm up: imports, regex caches
            _parse(name, data)
        base_count, base_elapsed, _ = _rate(work, _baseline, min(min_seconds, 0.2))
        count, elapsed, cpu = _rate(work, _parse, min_seconds)
        target = TARGETS.get(group)
        results[group] = {
            "files": len(work),
            "reports_per_second": round(count / elapsed, 1),
            "reports_per_cpu_second": round(count / cpu, 1),
            "seconds_per_report": round(elapsed / count, 5),
            "ratio_to_baseline": round((elapsed / count) / (base_elapsed / base_count), 1),
            "peak_memory_mb": round(_peak_bytes(work) / 2**20, 2),
            "target_reports_per_second": target,
            "meets_target_by_cpu": None if target is None else count / cpu >= target,
        }
        if group in ("pdf", "real-pdf"):  # files pdfium reads whole; the others go through pdfminer, several times slower
            results[group]["read_by_pdfium"] = sum(1 for _, data in work if pdfium_reads(data))
    return results


def _office_cpu_seconds(pgid: int) -> float:
    """CPU time used so far by the processes of group ``pgid`` (the warm LibreOffice and its driver)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measure_doc(work: Work, min_seconds: float) -> dict:
    """DOC files through the warm LibreOffice, and through a fresh soffice per file as the baseline."""
    converter = converted.find_converter()
    if converter is None:
        return {"skipped": "LibreOffice is not installed"}
    python = converted.uno_python(converter)
    name, data = work[0]
    saved = converted.uno_python
    converted.uno_python = lambda converter: None  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        _parse(name, data)
        one_shot = time.perf_counter() - start
    finally:
        converted.uno_python = saved
    result: dict = {"files": len(work), "one_shot_seconds_per_report": round(one_shot, 3),
                    "target_reports_per_second": TARGETS["doc"]}
    if python is None:
        return {**result, "skipped_warm": "LibreOffice's Python UNO bridge is not installed (Debian: python3-uno)"}
    start = time.perf_counter()
    _parse(name, data)  # starts the warm LibreOffice
    result["warm_start_seconds"] = round(time.perf_counter() - start, 3)
    assert converted._warm is not None
    pgid = converted._warm.process.pid
    office_before = _office_cpu_seconds(pgid)
    count, elapsed, cpu = _rate(work, _parse, min_seconds)
    office = _office_cpu_seconds(pgid) - office_before
    converted.stop_converter()
    per_report = elapsed / count
    return {
        **result,
        "reports_per_second": round(count / elapsed, 2),
        "reports_per_cpu_second": round(count / (cpu + office), 2),
        "seconds_per_report": round(per_report, 3),
        "libreoffice_cpu_seconds_per_report": round(office / count, 3),
        "ratio_to_one_shot": round(per_report / one_shot, 2),
        "meets_target_by_cpu": count / (cpu + office) >= TARGETS["doc"],
    }


def _cjk_font_dirs() -> list[str]:
    listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    return sorted({str(Path(line.split(":")[0]).parent) for line in listed.splitlines() if line.strip()})


def font_condition() -> dict:
    return {"cjk_font_dirs_visible": _cjk_font_dirs(), "fontconfig_file": os.environ.get("FONTCONFIG_FILE"),
            "pdfium_system_fonts": system_fonts_used()}


def _hidden_fonts_run(workdir: Path, min_seconds: float, pdfium_system_fonts: bool) -> dict:
    """The text groups measured again by a child process that cannot see the machine's CJK fonts."""
    hidden = _cjk_font_dirs()
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-m", "true"], capture_output=True).returncode != 0:
        return {"skipped": "no mount namespace can be made here (unshare -m), so the fonts cannot be hidden"}
    config = workdir / "no-fonts.conf"
    config.write_text(_EMPTY_FONTCONFIG, encoding="utf-8")
    mounts = "".join(f"mount -t tmpfs none {shlex.quote(d)} && " for d in hidden)
    child = (f"{mounts}exec {shlex.quote(sys.executable)} {shlex.quote(__file__)} --child {shlex.quote(str(workdir))}"
             f" --min-seconds {min_seconds}" + (" --pdfium-system-fonts" if pdfium_system_fonts else ""))
    done = subprocess.run([unshare, "-m", "--propagation", "private", "sh", "-c", child], capture_output=True, text=True,
                          env={**os.environ, "FONTCONFIG_FILE": str(config)}, timeout=3600)
    if done.returncode != 0:
        return {"failed": done.stderr.strip().splitlines()[-1:]}
    return {**json.loads(done.stdout), "hidden_dirs": hidden}


def _text_groups(workdir: Path) -> dict[str, Work]:
    return {**_fixture_inputs(), **{group: _read_group(workdir / group) for group in ("real-html", "real-pdf")}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-seconds", type=float, default=1.0, help="time each group for at least this long")
    parser.add_argument("--no-doc", action="store_true", help="skip DOC through LibreOffice")
    parser.add_argument("--no-hidden-fonts", action="store_true", help="skip the run with the CJK fonts hidden")
    parser.add_argument("--pdfium-system-fonts", action="store_true",
                        help="leave pdfium the machine's fonts, as the CLI's parse does, rather than none, as a parse worker")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the hidden-fonts run: measure WORKDIR's groups only
    args = parser.parse_args()
    if not args.pdfium_system_fonts:
        without_system_fonts()
    if args.child:
        json.dump({"font_condition": font_condition(), "formats": measure(_text_groups(Path(args.child)), args.min_seconds)},
                  sys.stdout)
        return
    with tempfile.TemporaryDirectory(prefix="parse-bench-") as tmp:
        workdir = Path(tmp)
        groups = make_real_inputs(workdir)
        report: dict = {"benchmark": "parse", "python": sys.version.split()[0], "targets_reports_per_second": TARGETS}
        report["system_fonts"] = {"font_condition": font_condition(),
                                  "formats": measure(_text_groups(workdir), args.min_seconds)}
        if not args.no_hidden_fonts:
            report["cjk_fonts_hidden"] = _hidden_fonts_run(workdir, args.min_seconds, args.pdfium_system_fonts)
        if not args.no_doc:
            report["doc"] = measure_doc(_read_group(groups["doc"]), args.min_seconds)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
