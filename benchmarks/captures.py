"""Captures for the archive benchmarks: parsed seed reports, each variation an agency of its own.

``variation(bases, n)`` is version ``n % 5`` of report ``n // 5``: the seed report (the
five seeds in turn) under an agency and year of its own, with numbers of its own (every
number shifted by an amount of the report's: an index by value meets as many values as an
archive of real reports, not five), three table cells revised in every version but the
first, and page bytes of its own. Calling it twice with the same
``n`` gives the same capture, so a benchmark can capture a report again unchanged.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from parsers import PARSER_VERSION
from parsers.api import parse_bytes
from storage.archive import Archive
from storage.capture import CaptureInput, ParseOutcome, Resource
from storage.cellnames import named_cells

REPO = Path(__file__).resolve().parent.parent
VERSIONS_PER_REPORT = 5
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)

Seed = tuple[bytes, dict[str, Any]]


def seeds() -> list[Seed]:
    out = []
    for path in sorted((REPO / "fixtures" / "seeds").glob("*.txt")):
        data = path.read_bytes()
        _, report = parse_bytes(data, filename=path.name)
        out.append((data, report.to_dict()))
    return out


def page_url(report_no: int) -> str:
    return f"http://bench.test/art/{report_no}.html"


def variation(bases: list[Seed], n: int, *, minutes: int = 0) -> CaptureInput:
    """Version ``n % 5`` of report ``n // 5``, fetched ``minutes`` after its first fetch."""
    report_no, version_no = divmod(n, VERSIONS_PER_REPORT)
    data, template = bases[report_no % len(bases)]
    report = copy.deepcopy(template)
    report["metadata"]["agency"] = f"{template['metadata']['agency']}{report_no // 5}号"
    report["metadata"]["year"] = 2019 + report_no % 5
    rng = random.Random(n)
    cells = [c.cell for c in named_cells(report)]
    shift = report_no * 37 % 100
    for cell in cells:
        if cell.get("state") == "number" and isinstance(cell.get("value"), int):
            cell.update(raw=str(cell["value"] + shift), value=cell["value"] + shift)
    for cell in rng.sample(cells, min(3, len(cells))) if version_no else []:
        value = rng.randint(0, 200)
        cell.update(raw=str(value), value=value, state="number")
    fingerprint = hashlib.sha256(json.dumps(report, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    page = Resource(url=page_url(report_no), http_status=200, fetched_at=T0 + timedelta(minutes=n + minutes),
                    content_type="text/plain", body=data + f"\n[bookmark: variant {n}]\n".encode())
    return CaptureInput(site="bench", page=page, parse=ParseOutcome(report, None, PARSER_VERSION, fingerprint))


def not_modified(capture: CaptureInput, *, minutes: int) -> CaptureInput:
    """The same page answering 304 Not Modified ``minutes`` later: no bytes, so no parse."""
    page = capture.page
    later = Resource(url=page.url, http_status=304, fetched_at=page.fetched_at + timedelta(minutes=minutes),
                     content_type=page.content_type, status="not_modified")
    return CaptureInput(site=capture.site, page=later, run_id=capture.run_id)


def analyze(archive: Archive) -> None:
    """Refresh the planner's statistics after bulk copies, as PostgreSQL's autovacuum would. A
    SQLite archive has none unless someone runs ANALYZE (the harvester does not): recording
    costs the same without them (`record.py --quick`, two runs, within the noise of runs with),
    and the one plan known to need them is kept from needing them (revision 0015)."""
    if archive.engine.dialect.name == "sqlite":
        with archive.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        return
    with archive.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
