"""``/reports``: the list with its facets, and the export of the current selection."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from harvester.web.lookup import archive, int_param
from harvester.web.pages import Page, PageError
from storage.browse import BrowseFilters, list_reports, selected_versions
from storage.export import write_export

PER_PAGE = 50
TEMPLATES = ("2019", "2021", "pre-2019", "unknown")
_FLAGS = ("has_errors", "changed", "incomplete")
_EXPORTS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


def filters_of(request: Request) -> BrowseFilters:
    params = request.query_params
    template = params.get("template") or None
    if template is not None and template not in TEMPLATES:
        raise PageError(400, f"template must be one of {', '.join(TEMPLATES)}, not {template!r}")
    return BrowseFilters(
        agency=params.get("agency") or None,
        region=params.get("region") or None,
        year=int_param(request, "year"),
        template=template,
        finding=params.get("finding") or None,
        **{flag: params.get(flag) in ("1", "on", "true") for flag in _FLAGS},
    )


def reports(request: Request) -> Page:
    filters = filters_of(request)
    page_no = max(int_param(request, "page") or 1, 1)
    with archive(request).session() as session:
        listing = list_reports(session, filters, offset=(page_no - 1) * PER_PAGE, limit=PER_PAGE)
    pages = max((listing.total + PER_PAGE - 1) // PER_PAGE, 1)
    return Page("reports.html", {"filters": filters, "page": page_no, "pages": pages, **listing.to_dict()},
                {"templates": TEMPLATES, "selection_query": _selection_query(request)})


def _selection_query(request: Request) -> str:
    """The query string of the facets alone (no page, no language): what an export selects."""
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "lang") and v])


def export(request: Request) -> Response:
    """The selection's versions and cells as ``storage.export`` writes them (one row per cell)."""
    fmt = request.path_params["fmt"]
    if fmt not in _EXPORTS:
        raise PageError(404, f"no export format {fmt!r}; choose {' or '.join(_EXPORTS)}")
    filters = filters_of(request)
    handle = tempfile.NamedTemporaryFile(prefix="harvester-export-", suffix=f".{fmt}", delete=False)
    handle.close()
    path = Path(handle.name)
    with archive(request).session() as session:
        write_export(session, path, fmt, selection=selected_versions(filters))  # type: ignore[arg-type]
    return FileResponse(path, media_type=_EXPORTS[fmt], filename=f"reports.{fmt}",
                        background=BackgroundTask(path.unlink, missing_ok=True))
