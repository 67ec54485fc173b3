"""Coverage: expected agencies, legal deadlines, on time / late / missing / not yet due."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Callable

import pytest

from harvester.expected import ExpectedListError, load_expected
from storage.archive import Archive
from storage.coverage import ExpectedAgency, agency_kind, coverage, deadline
from tests.storage.conftest import capture_of

GXJ = "004_2dfc536c7b58f7e3.txt"  # 淄博市工业和信息化局 2020: a department
WEIHAI = "001_edb62deb526a149a.txt"  # 威海经济技术开发区 2020: a zone, due as a government
JGSW = "002_133ea6e3b8938548.txt"  # 淄博市张店区机关事务服务中心 2020: a department


def as_year(data: bytes, year: int) -> bytes:
    """The same report printed as the next year's (its title names the year)."""
    return data.replace("2020年".encode(), f"{year}年".encode(), 1)


@pytest.fixture
def archive_2020_2021(archive: Archive, seed: Callable[[str], bytes]) -> Archive:
    """Three agencies with 2020 reports; two of them publish 2021, one on time, one late."""
    for n, name in enumerate((GXJ, WEIHAI, JGSW)):
        archive.record(replace(capture_of(seed(name), f"http://gov.test/2020/{n}.html"), listing_date="2021-01-20"))
    archive.record(replace(capture_of(as_year(seed(GXJ), 2021), "http://gov.test/2021/0.html"),
                           listing_date="2022-01-28"))
    archive.record(replace(capture_of(as_year(seed(WEIHAI), 2021), "http://gov.test/2021/1.html"),
                           listing_date="[2022-04-02]"))
    return archive


def statuses(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {entry.agency: entry.status for entry in result.entries}


def test_deadlines_by_kind_of_body() -> None:
    assert agency_kind("淄博市人民政府") == "government"
    assert agency_kind("平潭综合实验区管委会") == "government"
    assert agency_kind("威海经济技术开发区") == "government"
    assert agency_kind("淄博市工业和信息化局") == "department"
    assert deadline("department", 2021) == date(2022, 1, 31)
    assert deadline("government", 2021) == date(2022, 3, 31)


def test_on_time_late_and_missing_after_the_deadlines(archive_2020_2021: Archive) -> None:
    with archive_2020_2021.session() as session:
        result = coverage(session, 2021, as_of=date(2022, 4, 15))
    assert statuses(result) == {
        "淄博市工业和信息化局": "on_time",
        "威海经济技术开发区": "late",
        "淄博市张店区机关事务服务中心": "missing",
    }
    late = next(e for e in result.entries if e.status == "late")
    assert (late.published, late.deadline, late.days_late, late.date_source) == (
        date(2022, 4, 2), date(2022, 3, 31), 2, "printed")
    assert result.counts() == {"on_time": 1, "late": 1, "missing": 1, "pending": 0}
    assert result.entries[0].status == "missing"  # what needs attention comes first


def test_before_a_deadline_an_absent_report_is_not_yet_due(archive_2020_2021: Archive) -> None:
    with archive_2020_2021.session() as session:
        early = coverage(session, 2021, as_of=date(2022, 1, 15))
        between = coverage(session, 2021, as_of=date(2022, 2, 10))
    assert statuses(early)["淄博市张店区机关事务服务中心"] == "pending"
    assert statuses(between)["淄博市张店区机关事务服务中心"] == "missing"


def test_listed_agencies_are_expected_too(archive_2020_2021: Archive) -> None:
    listed = [ExpectedAgency("淄博市人民政府", region="山东省淄博市"), ExpectedAgency("淄博市统计局", kind="government")]
    with archive_2020_2021.session() as session:
        result = coverage(session, 2021, as_of=date(2022, 2, 10), expected=listed)
    by_agency = {e.agency: e for e in result.entries}
    assert by_agency["淄博市人民政府"].status == "pending"  # a government: due 31 March
    assert by_agency["淄博市统计局"].deadline == date(2022, 3, 31)  # the list's kind wins over the name
    with archive_2020_2021.session() as session:
        in_region = coverage(session, 2021, as_of=date(2022, 2, 10), expected=listed, region="淄博")
    assert "淄博市人民政府" in statuses(in_region)


def test_a_listed_agency_is_the_archive_s_under_any_of_its_names(archive_2020_2021: Archive) -> None:
    # listed by a fuller or a shorter name than its reports print, without a region
    listed = [ExpectedAgency("山东省淄博市工业和信息化局"), ExpectedAgency("张店区机关事务服务中心", region="山东省淄博市")]
    with archive_2020_2021.session() as session:
        result = coverage(session, 2021, as_of=date(2022, 4, 15), expected=listed)
        in_region = coverage(session, 2021, as_of=date(2022, 4, 15), expected=listed[:1], region="淄博")
    assert statuses(result) == {"山东省淄博市工业和信息化局": "on_time", "威海经济技术开发区": "late",
                                "张店区机关事务服务中心": "missing"}
    assert statuses(in_region)["山东省淄博市工业和信息化局"] == "on_time"


def test_without_a_printed_date_the_first_sighting_counts(archive: Archive, seed: Callable[[str], bytes]) -> None:
    archive.record(capture_of(seed(GXJ), "http://gov.test/2020/0.html"))
    archive.record(capture_of(as_year(seed(GXJ), 2021), "http://gov.test/2021/0.html"))  # no listing date
    with archive.session() as session:
        (entry,) = coverage(session, 2021, as_of=date(2026, 3, 1)).entries
    assert entry.date_source == "first_seen" and entry.published == date(2026, 1, 10)
    assert entry.status == "late"


def test_expected_file(tmp_path: Path) -> None:
    path = tmp_path / "expected.yaml"
    path.write_text("- 淄博市工业和信息化局\n- agency: 淄博市人民政府\n  kind: government\n  site: zibo\n", encoding="utf-8")
    assert load_expected(path) == [ExpectedAgency("淄博市工业和信息化局"),
                                   ExpectedAgency("淄博市人民政府", "zibo", None, "government")]
    path.write_text("- agency: 淄博市人民政府\n  kind: county\n", encoding="utf-8")
    with pytest.raises(ExpectedListError, match="entry 1: kind must be government or department"):
        load_expected(path)
    path.write_text("agency: x\n", encoding="utf-8")
    with pytest.raises(ExpectedListError, match="expected a list"):
        load_expected(path)


def test_coverage_command(archive_2020_2021: Archive, db_url: str, data_dir: Path, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from harvester.cli.main import cli

    monkeypatch.setenv("HARVESTER_DATA_DIR", str(data_dir))
    expected = tmp_path / "expected.yaml"
    expected.write_text("- 淄博市人民政府\n", encoding="utf-8")
    monkeypatch.setenv("HARVESTER_EXPECTED", str(expected))
    runner = CliRunner()
    text = runner.invoke(cli, ["coverage", "--year", "2021", "--as-of", "2022-04-15", "--db", db_url])
    assert text.exit_code == 0, text.output
    assert "1 on time, 1 late, 2 missing, 0 not yet due" in text.output
    assert "威海经济技术开发区" in text.output and "2022-04-02" in text.output
    as_json = runner.invoke(cli, ["coverage", "--year", "2021", "--as-of", "2022-04-15", "--json", "--db", db_url])
    payload = json.loads(as_json.output)
    assert {e["agency"]: e["status"] for e in payload["entries"]}["淄博市人民政府"] == "missing"
    bad = runner.invoke(cli, ["coverage", "--year", "2021", "--as-of", "15/04/2022", "--db", db_url])
    assert bad.exit_code == 2 and "is not a date" in bad.output
    expected.write_text("[unclosed\n", encoding="utf-8")
    broken = runner.invoke(cli, ["coverage", "--year", "2021", "--db", db_url])
    assert broken.exit_code == 1 and "not valid YAML" in broken.output
