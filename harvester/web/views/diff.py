"""``/reports/ID/diff/N..M``: two versions side by side, changed cells old -> new, section
text diffed by sentence (``storage.diff``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse

from harvester.web.lookup import archive, int_param, report_by_id
from harvester.web.pages import Page, PageError
from harvester.web.printed import mark_changes, printed_tables
from storage.history import ReportNotFound, diff_report


def diff(request: Request) -> Page:
    from_no, to_no = request.path_params["from_no"], request.path_params["to_no"]
    if from_no == to_no:
        raise PageError(400, "name two different versions: N..M")
    with archive(request).session() as session:
        report = report_by_id(session, request.path_params["report_id"])
        try:
            old, new, changes = diff_report(session, report, from_no, to_no)
        except ReportNotFound as exc:
            raise PageError(404, str(exc)) from None
    old_tables, new_tables = printed_tables(old.report_json), printed_tables(new.report_json)
    mark_changes(old_tables, changes.cells, newer=False)
    mark_changes(new_tables, changes.cells, newer=True)
    return Page(
        "diff.html",
        {"report": {"id": report.id, "agency": report.agency, "year": report.year},
         "from": old.version_no, "to": new.version_no, **changes.to_dict()},
        {"sides": [(old.version_no, old_tables), (new.version_no, new_tables)]},
    )


def choose(request: Request) -> RedirectResponse:
    """The report card's "compare" form (``?from=N&to=M``) -> the diff's shareable URL."""
    from_no, to_no = int_param(request, "from"), int_param(request, "to")
    if from_no is None or to_no is None:
        raise PageError(400, "choose two versions: ?from=N&to=M")
    return RedirectResponse(f"/reports/{request.path_params['report_id']}/diff/{from_no}..{to_no}", status_code=303)
