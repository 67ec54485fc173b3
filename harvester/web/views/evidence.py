"""``/reports/ID/versions/N/evidence?cell=ADDRESS``: where a cell came from, and for a PDF
the page (for a scan or a picture OCR read, the picture) as a PNG (``evidence.png``) with
the row and the cell outlined."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from harvester.web.evidence import CellRef, Located, locate, render_pdf_evidence, render_picture_evidence
from harvester.web.lookup import archive, report_by_id, version_of
from harvester.web.pages import Page, PageError
from parsers.locations import CellLocation
from storage.browse import RawFile, raw_files
from storage.cellnames import named_cells


def _cell_ref(parse: dict[str, Any], address: str) -> tuple[CellRef, dict[str, Any]]:
    cells = list(named_cells(parse))
    chosen = next((c for c in cells if c.address == address), None)
    if chosen is None:
        raise PageError(404, f"this version has no cell {address!r}")
    # Table 4 prints all fifteen numbers in one row; tables 2 and 3 one row per label.
    row = [c for c in cells if c.table == chosen.table and (c.table == "appeals" or c.row == chosen.row)]
    label = None if chosen.table == "appeals" else (chosen.row_label or chosen.row)
    ref = CellRef(chosen.table, label, chosen.cell.get("raw", ""), row.index(chosen), len(row), _location(chosen.cell),
                  [at for at in (_location(c.cell) for c in row) if at is not None])
    return ref, {"address": address, "table": chosen.table, "row": chosen.row, "column": chosen.column,
                 "row_label": chosen.row_label, **chosen.cell}


def _location(cell: dict[str, Any]) -> CellLocation | None:
    """The location the parse recorded for a cell; None for parses made before locations were recorded."""
    recorded = cell.get("location")
    return CellLocation.from_dict(recorded) if isinstance(recorded, dict) else None


def _located(request: Request) -> tuple[dict[str, Any], RawFile | None, Located, bytes | None]:
    address = request.query_params.get("cell", "")
    if not address:
        raise PageError(400, "name the cell: ?cell=table.row.column")
    store = archive(request)
    with store.session() as session:
        report = report_by_id(session, request.path_params["report_id"])
        version = version_of(session, report, request.path_params["version"])
        source = next((f for f in raw_files(session, version) if f.parsed), None)
    parse = version.report_json
    if parse is None:
        raise PageError(404, f"version {version.version_no} of report {report.id} did not parse")
    ref, cell = _cell_ref(parse, address)
    head = {"report_id": report.id, "agency": report.agency, "year": report.year, "version_no": version.version_no,
            "source_format": parse.get("source_format"), "cell": cell}
    if source is None or source.sha256 not in store.blobs:
        return head, source, Located(), None
    data = store.blobs.get(source.sha256)
    name = source.url.rsplit("/", 1)[-1].split("?")[0] or None
    return head, source, locate(data, parse.get("source_format") or "", ref, filename=name), data


def evidence(request: Request) -> Page:
    head, source, located, _ = _located(request)
    image = None
    if located.pdf is not None or located.picture is not None:
        cell = quote(head["cell"]["address"], safe="")
        image = f"/reports/{head['report_id']}/versions/{head['version_no']}/evidence.png?cell={cell}"
    return Page("evidence.html", {
        **head, "source": asdict(source) if source else None, "rows": located.rows,
        "pdf": located.pdf, "picture": located.picture, "lines": located.lines, "image": image,
        "found": located.found, "found_by": located.found_by,
    })


def evidence_png(request: Request) -> Response:
    _, _, located, data = _located(request)
    if data is not None and located.pdf is not None:
        return Response(render_pdf_evidence(data, located.pdf), media_type="image/png")
    if data is not None and located.picture is not None:
        return Response(render_picture_evidence(data, located.picture), media_type="image/png")
    raise PageError(404, "no page or picture shows this cell")
