"""The web interface in a real browser (Debian's Chromium through Playwright) over an archive
made by a real crawl of the fixture portals. Every test leaves a screenshot."""

from __future__ import annotations

import io
import json
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from PIL import Image

from tests.web.conftest import INJECTED_AGENCY, INJECTED_TEXT, REVISED_AGENCY, RunningWeb

pytestmark = pytest.mark.slow


def get_json(web: RunningWeb, path: str) -> Any:
    with urllib.request.urlopen(web.url + path, timeout=30) as response:
        return json.load(response)


def report_id(web: RunningWeb, agency: str, year: int) -> int:
    rows = get_json(web, f"/reports.json?agency={quote(agency)}&year={year}")["rows"]
    assert len(rows) == 1, rows
    return rows[0]["report_id"]


def shot(page: Any, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def test_overview_shows_reports_by_year_changes_and_crawl_health(web: RunningWeb, page: Any, screenshots: Path) -> None:
    page.goto(web.url + "/")
    shot(page, screenshots, "overview")
    assert page.locator("h1").inner_text() == "概览"
    data = get_json(web, "/index.json")
    assert page.locator("#report-count").inner_text() == str(data["reports"])
    assert data["reports"] == 34  # the 33 crawled reports and the injected one
    years = page.locator("#by-year tr").all_inner_texts()[1:]
    assert [line.split()[0] for line in years] == [str(year) for year, _ in data["by_year"]]
    # The revised report's re-crawl is the latest change, linked to its diff.
    assert REVISED_AGENCY in page.locator("#latest-changes").inner_text()
    assert page.locator("#runs tr").count() == 1 + len(data["runs"])
    assert all(not run["blocked"] for run in data["runs"])


def test_language_switch_shows_english_and_is_remembered(web: RunningWeb, page: Any, screenshots: Path) -> None:
    page.goto(web.url + "/")
    page.click("#switch-language")
    assert page.locator("h1").inner_text() == "Overview"
    page.goto(web.url + "/reports")
    shot(page, screenshots, "reports-english")
    assert page.locator("h1").inner_text() == "Reports"


def test_filtering_reports_by_facets(web: RunningWeb, page: Any, screenshots: Path) -> None:
    page.goto(web.url + "/reports")
    everything = int(page.locator("#total").inner_text())
    page.select_option("select[name=year]", "2022")
    page.check("input[name=has_errors]")
    page.click("#apply-filter")
    page.wait_for_url("**/reports?*")
    shot(page, screenshots, "reports-filtered")
    shown = page.locator("#report-list tr").all_inner_texts()[1:]
    # The manifest's inconsistent reports are all of 2022.
    assert len(shown) == 3 and all("2022" in line for line in shown), shown
    assert int(page.locator("#total").inner_text()) == 3 < everything
    page.fill("input[name=agency]", "张店区人民政府")
    page.click("#apply-filter")
    assert page.locator("#report-list tr").count() == 2
    assert "淄博市张店区人民政府" in page.locator("#report-list").inner_text()


def test_export_of_the_selection_has_only_the_selected_reports(web: RunningWeb, page: Any) -> None:
    page.goto(web.url + "/reports?year=2022&has_errors=1")
    href = page.locator("#export-csv").get_attribute("href")
    with urllib.request.urlopen(web.url + href, timeout=30) as response:
        lines = response.read().decode("utf-8").splitlines()
    header = lines[0].split(",")
    reports = {tuple(row.split(",")[i] for i in (header.index("agency"), header.index("year"))) for row in lines[1:]}
    assert len(reports) == 3 and {year for _, year in reports} == {"2022"}


def test_report_card_shows_tables_as_printed_with_findings_on_their_cells(web: RunningWeb, page: Any, screenshots: Path) -> None:
    inconsistent = report_id(web, "淄博市张店区人民政府", 2022)
    page.goto(web.url + f"/reports/{inconsistent}")
    shot(page, screenshots, "report-card")
    assert "淄博市张店区人民政府" in page.locator("#report-title").inner_text()
    total = page.locator('td[data-address="applications.total_processed.total"]')
    assert "finding" in total.get_attribute("class") and "sev-error" in total.get_attribute("class")
    assert "T3.balance" in total.inner_text()
    assert page.locator("#sections article.section").count() == 6
    assert page.locator("#table-applications").count() == 1 and page.locator("#table-appeals").count() == 1
    # Raw bytes of the version: the page and its PDF attachment.
    links = page.locator("#downloads a")
    assert links.count() == 2
    with urllib.request.urlopen(web.url + links.nth(1).get_attribute("href"), timeout=30) as response:
        assert response.read(5) == b"%PDF-"
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_blank_dash_and_zero_are_visibly_different(web: RunningWeb, page: Any, screenshots: Path) -> None:
    page.goto(web.url + f"/reports/{report_id(web, INJECTED_AGENCY, 2020)}")
    page.locator("#table-active_disclosure").screenshot(path=str(screenshots / "blank-dash-zero.png"))
    looks = {}
    for state in ("blank", "dash", "number.zero", "number:not(.zero)"):
        cells = page.locator(f"#table-active_disclosure td.cell.state-{state}")
        assert cells.count() >= 1, state
        looks[state] = cells.first.evaluate(
            "e => [getComputedStyle(e).backgroundImage, getComputedStyle(e).backgroundColor, getComputedStyle(e).color,"
            " getComputedStyle(e).fontStyle, e.innerText.trim()].join('|')")
    assert len(set(looks.values())) == 4, looks
    assert page.locator("#table-active_disclosure td.cell.state-dash").first.inner_text().strip() == "/"


def test_clicking_a_pdf_cell_shows_the_page_with_the_row_outlined(web: RunningWeb, page: Any, screenshots: Path) -> None:
    revised = report_id(web, REVISED_AGENCY, 2021)
    page.goto(web.url + f"/reports/{revised}")
    page.click('td[data-address="applications.new_received.total"] a')
    page.wait_for_url("**/evidence?cell=*")
    image = page.locator("#evidence-image")
    image.wait_for()
    assert page.evaluate("document.getElementById('evidence-image').naturalWidth") > 500
    shot(page, screenshots, "evidence-pdf")
    evidence = get_json(web, page.url.removeprefix(web.url).replace("/evidence?", "/evidence.json?"))
    assert evidence["source_format"] == "pdf" and evidence["cell"]["raw"] == "85"
    # The box outlined is the one the parser recorded (top-left origin) on the page it recorded.
    at = evidence["cell"]["location"]
    assert evidence["found_by"] == "recorded" and page.locator("#evidence-found-by").count() == 1
    assert evidence["pdf"]["page_no"] == at["page"] and at["unit"] == "pt" and at["origin"] == "top-left"
    width, height = evidence["pdf"]["page_size"]
    x0, y0, x1, y1 = at["box"]
    assert evidence["pdf"]["cell_box"] == pytest.approx([x0, height - y1, x1, height - y0], abs=0.01)
    # and it is drawn there: the picture the browser shows has the red outline on the box's left edge.
    assert page.evaluate("document.getElementById('evidence-image').naturalWidth") == round(width * 2)
    with urllib.request.urlopen(web.url + image.get_attribute("src"), timeout=30) as response:
        picture = Image.open(io.BytesIO(response.read())).convert("RGB")
    red, green, blue = picture.getpixel((round(x0 * 2) + 1, round((y0 + y1) / 2 * 2)))
    assert red > 180 and green < 60 and blue < 60
    inside = picture.getpixel((round((x0 + x1) / 2 * 2), round((y0 + y1) / 2 * 2) + 8))
    assert inside != (red, green, blue)  # an outline, not a filled box


def test_clicking_an_html_cell_shows_the_source_table_row(web: RunningWeb, page: Any, screenshots: Path) -> None:
    html_report = report_id(web, "威海市生态环境局", 2022)
    page.goto(web.url + f"/reports/{html_report}")
    page.click('td[data-address="applications.carried_over.total"] a')
    page.wait_for_url("**/evidence?cell=*")
    shot(page, screenshots, "evidence-html")
    row = page.locator("tr.evidence-row").first
    assert row.locator("td").first.inner_text().startswith("二、上年结转")
    assert row.locator("td.evidence-cell").inner_text() == "2"
    # The row shown is the table row the parser recorded for the cell.
    evidence = get_json(web, page.url.removeprefix(web.url).replace("/evidence?", "/evidence.json?"))
    at = evidence["cell"]["location"]
    assert evidence["found_by"] == "recorded" and len(evidence["rows"]) == 1
    shown = evidence["rows"][0]
    assert (shown["table_no"], shown["row_no"]) == (at["table"], at["row"])
    assert shown["cells"][shown["highlight"]] == "2"


def test_diff_of_the_revised_report_highlights_changed_cells(web: RunningWeb, page: Any, screenshots: Path) -> None:
    revised = report_id(web, REVISED_AGENCY, 2021)
    page.goto(web.url + f"/reports/{revised}")
    page.select_option("#compare select[name=from]", "1")
    page.select_option("#compare select[name=to]", "2")
    page.click("#compare button")
    page.wait_for_url(f"**/reports/{revised}/diff/1..2")
    shot(page, screenshots, "diff")
    changed = page.locator("#side-by-side td.changed")
    assert changed.count() == 12  # six cells, on both sides
    sides = page.locator("#side-by-side .side")
    before = sides.nth(0).locator('td[data-address="applications.new_received.total"]')
    after = sides.nth(1).locator('td[data-address="applications.new_received.total"]')
    assert before.inner_text().strip() == "83" and before.locator("del").count() == 0
    assert after.locator("del").inner_text() == "83" and after.locator("ins").inner_text() == "85"
    assert page.locator("#changed-cells tr").count() == 7


def test_agency_chart_draws_one_point_per_year_and_line(web: RunningWeb, page: Any, screenshots: Path) -> None:
    page.goto(web.url + "/agencies/" + quote("威海市文登区教育和体育局"))
    page.wait_for_selector("#chart_applications[data-drawn=true] svg")
    shot(page, screenshots, "agency")
    data = get_json(web, "/agencies/" + quote("威海市文登区教育和体育局") + ".json")
    chart = next(c for c in data["charts"] if c["key"] == "chart_applications")
    assert chart["years"] == [2021, 2022, 2023]
    points = sum(1 for line in chart["series"] for value in line["values"] if value is not None)
    assert points == 9
    # In ECharts' SVG output each data point is a unit circle path scaled into place, and each
    # line one polyline path; the legend's circles have a shape of their own.
    svg = page.locator("#chart_applications svg")
    assert svg.locator("path[d^='M1 0A1 1 0 1 1']").count() == points
    assert svg.locator("path[stroke-linejoin='bevel']").count() == len(chart["series"])


def test_markup_in_report_text_is_shown_as_text(web: RunningWeb, page: Any, screenshots: Path) -> None:
    injected = report_id(web, INJECTED_AGENCY, 2020)
    page.goto(web.url + f"/reports/{injected}")
    shot(page, screenshots, "markup-as-text")
    assert INJECTED_TEXT in page.locator("#sections").inner_text()
    assert page.title() != "pwned"
    assert page.locator("#sections script").count() == 0
