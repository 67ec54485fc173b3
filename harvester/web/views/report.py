"""``/reports/ID`` (and ``/reports/ID/versions/N``): the report card, and its raw files."""

from __future__ import annotations

from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.responses import Response

from harvester.web.lookup import archive, report_by_id, version_of
from harvester.web.pages import Page, PageError
from harvester.web.printed import printed_tables
from storage.browse import raw_files, version_findings
from storage.history import report_history
from storage.models import FindingRow

_SAFE_DOWNLOAD = {
    # Portal bytes are untrusted: always a download, never a page of this site.
    "Content-Disposition": "attachment",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}


def finding_dict(row: FindingRow) -> dict[str, object]:
    """A findings row in the parser's ``Finding`` shape (table/row/column), plus its source."""
    return {
        "rule": row.rule, "severity": row.severity, "table": row.table_name, "row": row.row_key,
        "column": row.column_key, "printed": row.printed, "expected": row.expected,
        "message": row.message, "source": row.source,
    }


def report_card(request: Request) -> Page:
    number = request.path_params.get("version")
    with archive(request).session() as session:
        report = report_by_id(session, request.path_params["report_id"])
        version = version_of(session, report, number)
        findings = [finding_dict(f) for f in version_findings(session, version.id)]
        files = raw_files(session, version)
        history = report_history(session, report)
    parse = version.report_json or {}
    tables = printed_tables(parse, findings)
    data = {
        "report": {"id": report.id, "agency": report.agency, "year": report.year, "kind": report.kind, "site": report.site},
        "version": {
            "version_no": version.version_no, "first_seen": version.first_seen, "last_seen": version.last_seen,
            "page_url": version.page_url, "document_url": version.document_url, "parse_status": version.parse_status,
            "parse_error": version.parse_error, "parser_version": version.parser_version, "template": version.template,
            "source_format": parse.get("source_format"),
        },
        "latest": version.id == report.latest_version_id,
        "metadata": parse.get("metadata") or {},
        "preamble": parse.get("preamble") or "",
        "sections": parse.get("sections") or [],
        "tables": tables,
        "findings": findings,
        "raw_files": [
            {**vars(f), "download": f"/reports/{report.id}/versions/{version.version_no}/raw/{f.position}"} for f in files
        ],
        "versions": history.versions,
    }
    return Page("report.html", data)


def raw_file(request: Request) -> Response:
    with archive(request).session() as session:
        report = report_by_id(session, request.path_params["report_id"])
        version = version_of(session, report, request.path_params["version"])
        files = {f.position: f for f in raw_files(session, version)}
    chosen = files.get(request.path_params["position"])
    if chosen is None:
        raise PageError(404, f"version {version.version_no} of report {report.id} has no file {request.path_params['position']}")
    # The URL's last part as the file's name, its escapes undone (quoted again below, a
    # Chinese name was saved as "%E5%B9%B4…docx"), without path separators or control characters.
    name = "".join(char for char in unquote(chosen.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0])
                   if char.isprintable() and char not in "/\\") or f"file-{chosen.position}"
    body = archive(request).blobs.get(chosen.sha256)
    headers = {**_SAFE_DOWNLOAD, "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}"}
    return Response(body, media_type="application/octet-stream", headers=headers)

