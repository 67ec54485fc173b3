"""`harvester parse` and `harvester validate` through click's runner."""

import json
from pathlib import Path

from click.testing import CliRunner, Result

from harvester.cli.main import cli
from seed_edits import seed_text, set_row


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_parse_prints_a_summary(seeds_dir: Path) -> None:
    result = _run("parse", str(next(seeds_dir.glob("003_*.txt"))))
    assert result.exit_code == 0, result.stderr
    assert "agency:    山东张店经济开发区管理委员会" in result.stdout
    assert "template: 2021" in result.stdout
    assert "表3 依申请: template 2021, 175 cells, 175 numbers" in result.stdout
    assert "  5. 5、 存在的主要问题及改进情况" in result.stdout
    assert "findings:  0" in result.stdout


def test_parse_json_is_the_report_contract(seeds_dir: Path) -> None:
    result = _run("parse", str(next(seeds_dir.glob("001_*.txt"))), "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert set(report) == {"metadata", "preamble", "sections", "tables", "findings", "completeness", "source_format", "parser_version"}
    cell = report["tables"]["appeals"]["cells"]["review.total"]
    assert {k: v for k, v in cell.items() if k != "location"} == {"raw": "1", "value": 1, "unit": None, "state": "number"}
    assert set(cell["location"]) == {"table", "row", "column", "lines"}  # the seed export is text: lines, no page


def test_parse_report_without_tables_is_a_result(tmp_path: Path) -> None:
    page = tmp_path / "notice.html"
    page.write_text("<html><body><div id='zoom'><p>关于政府信息公开工作年度报告栏目调整的说明</p></div></body></html>", encoding="utf-8")
    result = _run("parse", str(page))
    assert result.exit_code == 0
    assert "none of the standard tables" in result.stdout


def test_parse_missing_file(tmp_path: Path) -> None:
    result = _run("parse", str(tmp_path / "nope.pdf"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'nope.pdf'}: cannot read the file: No such file or directory"


def test_parse_unreadable_file(tmp_path: Path) -> None:
    fake = tmp_path / "report.pdf"
    fake.write_text("文件已删除", encoding="utf-8")
    result = _run("parse", str(fake))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {fake}: not a PDF: the file has no %PDF- header"


def test_parse_bad_usage() -> None:
    assert _run("parse").exit_code == 2
    assert _run("parse", "x.txt", "--no-such-option").exit_code == 2


def test_validate_clean_and_broken(tmp_path: Path, seeds_dir: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text(set_row(seed_text("001"), "（七）总计", ["6", "0", "0", "0", "0", "0", "6"]), encoding="utf-8")
    clean = next(seeds_dir.glob("002_*.txt"))
    result = _run("validate", str(clean), str(broken))
    assert result.exit_code == 0
    assert f"{clean}: 0 finding(s)" in result.stdout
    assert "[error] T3.total_breakdown applications.total_processed.natural_person" in result.stdout

    strict = _run("validate", "--strict", str(clean), str(broken))
    assert strict.exit_code == 1
    assert strict.stderr.strip().endswith("error finding(s)")
    assert _run("validate", "--strict", str(clean)).exit_code == 0


def test_validate_json_and_unreadable_files(tmp_path: Path, seeds_dir: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    clean = next(seeds_dir.glob("000_*.txt"))
    result = _run("validate", "--json", str(clean), str(empty))
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    complete = {"status": "complete", "missing_rows": [], "missing_columns": []}
    assert payload == [
        {"file": str(clean), "findings": [], "completeness": dict.fromkeys(("active_disclosure", "applications", "appeals"), complete)},
        {"file": str(empty), "error": "the file is empty"},
    ]
    assert f"{empty}: the file is empty" in result.stderr


def test_validate_fails_on_a_report_whose_tables_were_not_read(tmp_path: Path, seeds_dir: Path) -> None:
    """A 2023 report whose table 3 lost two rows and whose table 4 is gone: never a silent pass."""
    text = seed_text("003")
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.endswith("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"))
    gutted = "\n".join(lines[:start] + lines[start + 9 :])  # the row's label and its 7 values, and the blank line
    heading = "4、 政府信息公开行政复议、行政诉讼情况\n"
    cut = gutted.index(heading) + len(heading)
    gutted = gutted[:cut] + gutted[gutted.index("5、 存在的主要问题及改进情况"):]  # table 4 dropped
    broken = tmp_path / "gutted.txt"
    broken.write_text(gutted, encoding="utf-8")
    clean = next(seeds_dir.glob("000_*.txt"))
    unreadable = tmp_path / "empty.html"
    unreadable.write_bytes(b"")

    result = _run("validate", str(broken), str(unreadable), str(clean))
    assert result.exit_code == 1
    assert "表3 依申请: partial; rows not found: partially_granted" in result.stdout
    assert "表4 复议诉讼: missing" in result.stdout
    assert f"{clean}: 0 finding(s)" in result.stdout  # checked although a file before it failed
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: 1 of 3 file(s) could not be read; 1 of 3 report(s) with tables not read in full"
    )
    # the breakdown cannot be checked without the lost row: info, not a false error
    assert "[error]" not in result.stdout
    assert "[info] T3.total_breakdown applications: not checked, rows not printed: partially_granted" in result.stdout


def test_parse_prints_completeness(seeds_dir: Path) -> None:
    result = _run("parse", str(next(seeds_dir.glob("003_*.txt"))))
    assert "completeness:\n  表2 主动公开: complete\n  表3 依申请: complete\n  表4 复议诉讼: complete" in result.stdout
