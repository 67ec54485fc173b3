"""``/agencies/NAME``: an agency's reports across years, charts of its main figures, and the
cross-year findings (``storage.crossyear``)."""

from __future__ import annotations

from starlette.requests import Request

from harvester.web.lookup import archive
from harvester.web.pages import Page, PageError
from harvester.web.views.report import finding_dict
from storage.browse import agency_reports, cell_series, crossyear_findings
from storage.models import Report
from storage.query import plain_number

# chart key (an i18n word) -> the cells it draws, one line each, named as printed
CHARTS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "chart_applications": (
        ("applications", "new_received", "total", "本年新收"),
        ("applications", "carried_over", "total", "上年结转"),
        ("applications", "carried_forward", "total", "结转下年度"),
    ),
    "chart_outcomes": (
        ("applications", "granted", "total", "予以公开"),
        ("applications", "partially_granted", "total", "部分公开"),
        ("applications", "total_processed", "total", "办理总计"),
    ),
    "chart_appeals": (
        ("appeals", "review", "total", "行政复议"),
        ("appeals", "litigation_direct", "total", "未经复议直接起诉"),
        ("appeals", "litigation_after_review", "total", "复议后起诉"),
    ),
}


def agency(request: Request) -> Page:
    name = request.path_params["name"]
    with archive(request).session() as session:
        years = agency_reports(session, name)
        if not years:
            raise PageError(404, f"no report of agency {name!r}")
        ids = [y.version_id for y in years]
        wanted = [cell[:3] for cells in CHARTS.values() for cell in cells]
        values = cell_series(session, ids, wanted)
        crossyear = crossyear_findings(session, ids)
        agency_name = session.get(Report, years[-1].report_id).agency
    year_of = {y.version_id: y.year for y in years}
    charts = []
    for key, cells in CHARTS.items():
        series = []
        for table, row, column, label in cells:
            points = []
            for y in years:
                cell = values.get((y.version_id, table, row, column))
                number = cell["value"] if cell and cell["state"] == "number" else None
                points.append(plain_number(number))
            series.append({"name": label, "address": f"{table}.{row}.{column}", "values": points})
        charts.append({"key": key, "years": [y.year for y in years], "series": series})
    return Page("agency.html", {
        "agency": agency_name,
        "reports": years,
        "charts": charts,
        "crossyear_findings": [{"year": year_of[f.version_id], **finding_dict(f)} for f in crossyear],
    })
