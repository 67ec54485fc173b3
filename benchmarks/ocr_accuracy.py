"""How well scans, table pictures and spreadsheets parse: cells right, flagged, seconds per page.

For each seed Word document (fixtures/documents/*.docx) the formats are made as offices make
them (tests/parsers/ocr_material.py): LibreOffice PDF -> pdftoppm at each dpi -> rotation,
blur, JPEG, red seal -> img2pdf ("scan-150", "scan-300"); the HTML page with its tables as
Chromium screenshots ("picture"); Calc's workbook of the page's tables ("xlsx", "xls"); the
HTML page with border="0" tables printed to PDF by LibreOffice and by Chromium
("borderless-libreoffice", "borderless-chromium": text PDFs whose tables have no rulings).
Every cell of the seed's expected JSON is compared with the parse: a cell is right when its
printed text (NFKC, white space folded) is the same (spreadsheets: the same typed value,
since Calc types "+113" as 113); row labels are compared without white space and
punctuation. A wrong cell is "caught" when it is flagged or named by a "possibly misread"
finding; an uncaught wrong number is the figure that must stay 0.

Seconds per page are wall time of extraction + parsing; the baseline, measured in the same
run, is the text-layer parse of the same LibreOffice PDF (ratio = OCR time / baseline).
Peak memory is the process's maximum resident size after each format (onnxruntime's
arenas are invisible to tracemalloc).

    .venv/bin/python benchmarks/ocr_accuracy.py [--docs 5] [--dpi 150 300] [--engines rapidocr tesseract]
        [--formats scan picture xlsx xls borderless] [--cache DIR]

Targets: >= 99% of cells right at 300 dpi, >= 97% at 150 dpi, 0 uncaught wrong numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parsers.api import parse_bytes  # noqa: E402
from parsers.extract.ocr import ENGINES  # noqa: E402
from parsers.ocr_honesty import POSSIBLY_MISREAD  # noqa: E402
from tests.parsers import ocr_material as material  # noqa: E402

_PUNCTUATION = re.compile(r"[\s\W_]+")


def expected_cells(tables: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """name -> cell dict for every cell of the standard tables, plus label pseudo-cells."""
    cells: dict[str, dict[str, Any]] = {}
    for row in tables.get("active_disclosure", {}).get("rows", []):
        for column, cell in row["cells"].items():
            cells[f"active_disclosure.{row['label']}.{column}"] = cell
    for key, row in tables.get("applications", {}).get("rows", {}).items():
        cells[f"label:applications.{key}"] = {"raw": row["label"], "state": "label"}
        for column, cell in row["cells"].items():
            cells[f"applications.{key}.{column}"] = cell
    for key, cell in tables.get("appeals", {}).get("cells", {}).items():
        cells[f"appeals.{key}"] = cell
    return cells


def _same(want: dict[str, Any], got: dict[str, Any] | None, typed: bool) -> bool:
    if got is None:
        return False
    if want["state"] == "label":
        return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", want["raw"])) == _PUNCTUATION.sub("", unicodedata.normalize("NFKC", got["raw"]))
    if typed:
        return want.get("value") == got.get("value") and want["state"] == got["state"]
    return " ".join(unicodedata.normalize("NFKC", want["raw"]).split()) == " ".join(unicodedata.normalize("NFKC", got["raw"]).split())


def score(expected: dict[str, Any], report: dict[str, Any], typed: bool) -> dict[str, Any]:
    want, got = expected_cells(expected["tables"]), expected_cells(report["tables"])
    covered = " ".join(f["message"] for f in report["findings"] if f["rule"] == POSSIBLY_MISREAD)
    counts: dict[str, Any] = {"cells": 0, "right": 0, "labels": 0, "labels_right": 0, "flagged": 0, "wrong_caught": 0,
                              "wrong_uncaught_numbers": 0, "missing": 0, "right_confidences": [], "wrong_confidences": []}
    for name, cell in want.items():
        mine = got.get(name)
        is_label = cell["state"] == "label"
        counts["labels" if is_label else "cells"] += 1
        if mine is not None and mine.get("flagged"):
            counts["flagged"] += 1
        right = _same(cell, mine, typed)
        if mine is not None and "confidence" in mine:
            counts["right_confidences" if right else "wrong_confidences"].append(mine["confidence"])
        if right:
            counts["labels_right" if is_label else "right"] += 1
            continue
        if is_label:
            continue
        if mine is None:
            counts["missing"] += 1
        elif mine.get("flagged") or name in covered:
            counts["wrong_caught"] += 1
        elif cell["state"] == "number" or mine["state"] == "number":
            counts["wrong_uncaught_numbers"] += 1
    return counts


def _below_threshold(fmt: str, confidences: list[float]) -> int | None:
    engine = next((name for name in ENGINES if fmt.endswith(name)), None)
    return sum(1 for c in confidences if c < ENGINES[engine].threshold) if engine else None


def _timed_parse(data: bytes, **kwargs: Any) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    _, report = parse_bytes(data, **kwargs)
    return report.to_dict(), time.perf_counter() - start


def _pages(pdf: Path) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(pdf.read_bytes()))


def measure(args: argparse.Namespace) -> dict[str, Any]:
    cache = Path(args.cache)
    documents = sorted((REPO / "fixtures" / "documents").glob("*.docx"))[: args.docs]
    totals: dict[str, dict[str, Any]] = {}
    per_document = []
    baseline_seconds = baseline_pages = 0.0

    def add(document: str, fmt: str, counts: dict[str, Any], seconds: float, pages: int) -> None:
        total = totals.setdefault(fmt, {"seconds": 0.0, "pages": 0, "right_confidences": [], "wrong_confidences": []})
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
        per_document.append({"document": document, "format": fmt, "seconds": round(seconds, 3),
                             **{k: v for k, v in counts.items() if not k.endswith("confidences")}})
        total["seconds"] += seconds
        total["pages"] += pages
        total["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    for docx in documents:
        expected = json.loads((REPO / "fixtures" / "expected" / f"{docx.stem}.json").read_text(encoding="utf-8"))
        pdf = material.office_convert(docx, "pdf", cache)
        pages = _pages(pdf)
        _, seconds = _timed_parse(pdf.read_bytes())
        baseline_seconds, baseline_pages = baseline_seconds + seconds, baseline_pages + pages
        if "scan" in args.formats:
            for dpi in args.dpi:
                scan = material.scanned_pdf(material.rasterise(pdf, dpi, cache), cache / f"{docx.stem}-{dpi}-scan.pdf")
                for engine in args.engines:
                    os.environ["HARVESTER_OCR_ENGINE"] = engine
                    report, seconds = _timed_parse(scan.read_bytes())
                    counts = score(expected, report, typed=False)
                    add(docx.stem, f"scan-{dpi}-{engine}", counts, seconds, pages)
        html_page = REPO / "fixtures" / "documents" / f"{docx.stem}.html"
        if "picture" in args.formats and html_page.exists():
            page, images = material.page_with_table_pictures(html_page, cache)
            for engine in args.engines:
                os.environ["HARVESTER_OCR_ENGINE"] = engine
                report, seconds = _timed_parse(page, images=images)
                counts = score(expected, report, typed=False)
                add(docx.stem, f"picture-{engine}", counts, seconds, len(images))
        if "borderless" in args.formats and html_page.exists():
            flat = material.borderless_page(html_page, cache / "borderless" / html_page.name)
            made = {"borderless-libreoffice": material.office_convert(flat, "pdf", cache / "borderless"),
                    "borderless-chromium": material.chromium_pdf(flat, cache / "borderless" / f"{docx.stem}-chromium.pdf")}
            for fmt, made_pdf in made.items():
                report, seconds = _timed_parse(made_pdf.read_bytes())
                add(docx.stem, fmt, score(expected, report, typed=False), seconds, _pages(made_pdf))
        for ext in ("xlsx", "xls"):
            if ext in args.formats and html_page.exists():
                sheet = material.office_convert(material.tables_only(html_page, cache / f"{docx.stem}.tables.html"), ext, cache)
                report, seconds = _timed_parse(sheet.read_bytes())
                counts = score(expected, report, typed=True)
                add(docx.stem, ext, counts, seconds, 1)

    baseline = baseline_seconds / baseline_pages if baseline_pages else None
    summary = {}
    for fmt, total in totals.items():
        per_page = total["seconds"] / total["pages"] if total["pages"] else None
        summary[fmt] = {
            "cells": int(total["cells"]),
            "cells_right_pct": round(100 * total["right"] / total["cells"], 2) if total["cells"] else None,
            "labels_right_pct": round(100 * total["labels_right"] / total["labels"], 2) if total["labels"] else None,
            "cells_flagged": int(total["flagged"]),
            "wrong_caught": int(total["wrong_caught"]),
            "wrong_uncaught_numbers": int(total["wrong_uncaught_numbers"]),
            "missing": int(total["missing"]),
            "seconds_per_page": round(per_page, 3) if per_page is not None else None,
            "ratio_to_text_pdf": round(per_page / baseline, 3) if per_page and baseline else None,
            "peak_rss_mb": round(total["peak_rss_mb"], 1),
            # For setting an engine's flag threshold: every wrong reading should fall below it.
            "highest_confidence_wrong": max(total["wrong_confidences"], default=None),
            "lowest_confidence_right": min(total["right_confidences"], default=None),
            "right_below_threshold": _below_threshold(fmt, total["right_confidences"]),
        }
    return {
        "baseline_text_pdf_seconds_per_page": round(baseline, 4) if baseline else None,
        "load_average": os.getloadavg()[0],
        "formats": summary,
        "documents": per_document,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5, help="how many seed documents (fixtures/documents/*.docx)")
    parser.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    parser.add_argument("--engines", nargs="+", default=["rapidocr", "tesseract"])
    parser.add_argument("--formats", nargs="+", default=["scan", "picture", "xlsx", "xls", "borderless"])
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "govreport-ocr-material"),
                        help="where the made scans, pictures and workbooks are kept between runs")
    args = parser.parse_args()
    missing = material.missing_tools()
    if missing:
        sys.exit(f"benchmarks/ocr_accuracy.py needs {', '.join(missing)} on PATH")
    print(json.dumps(measure(args), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
