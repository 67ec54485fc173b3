"""The hand-written expected JSON keeps the output contract and agrees with its own seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.cells import parse_cell
from parsers.report import APPEAL_BLOCKS, APPEAL_OUTCOMES, APPLICANT_COLUMNS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXPECTED = sorted((FIXTURES / "expected").glob("*.json"))
METADATA_KEYS = ["agency", "title", "year", "template", "region", "publish_date", "signed_date", "address", "phone", "email", "source_url"]
WITHHELD = ["state_secret", "prohibited_by_law", "endangers_safety_stability", "third_party_rights", "internal_affairs", "process_info", "enforcement_files", "query_matters"]
ROWS_2019 = (
    ["new_received", "carried_over", "granted", "partially_granted"]
    + [f"withheld.{k}" for k in WITHHELD]
    + ["unable.not_held", "unable.needs_creation", "unable.unclear_after_correction"]
    + [f"not_processed.{k}" for k in ("complaint_petition", "repeated", "publication", "massive_repeated", "confirm_reissue")]
    + ["other", "total_processed", "carried_forward"]
)
ROWS_2021 = ROWS_2019[:20] + ["other.overdue_correction", "other.overdue_fee", "other.other"] + ROWS_2019[21:]
MONEY_COLUMNS = {"采购总金额": None, "本年收费金额（单位：万元）": "万元"}


def _load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_keeps_the_output_contract(path: Path) -> None:
    report = _load(path)
    assert list(report) == ["metadata", "preamble", "sections", "tables", "findings", "completeness", "source_format", "parser_version"]
    statuses = {table["status"] for table in report["completeness"].values()}
    assert list(report["completeness"]) == ["active_disclosure", "applications", "appeals"]
    assert statuses == ({"not_applicable"} if report["metadata"]["template"] == "pre-2019" else {"complete"})
    assert list(report["metadata"]) == METADATA_KEYS
    assert report["source_format"] == "seedtext" and report["parser_version"] == "0.1.0"
    assert [s["number"] for s in report["sections"]] == list(range(1, len(report["sections"]) + 1))
    tables = report["tables"]
    if report["metadata"]["template"] == "pre-2019":
        assert tables == {}
        return
    rows = tables["applications"]["rows"]
    assert list(rows) == (ROWS_2021 if tables["applications"]["template"] == "2021" else ROWS_2019)
    assert all(list(row["cells"]) == list(APPLICANT_COLUMNS) for row in rows.values())
    assert list(tables["appeals"]["cells"]) == [f"{b}.{o}" for b in APPEAL_BLOCKS for o in APPEAL_OUTCOMES]
    for row in tables["active_disclosure"]["rows"]:
        assert row["item"].startswith("第二十条第（") and row["item"].endswith("）项")


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_typed_values_are_what_parse_cell_reads_from_raw(path: Path) -> None:
    tables = _load(path)["tables"]
    cells = [(col, cell) for row in tables.get("active_disclosure", {}).get("rows", []) for col, cell in row["cells"].items()]
    cells += [(col, cell) for row in tables.get("applications", {}).get("rows", {}).values() for col, cell in row["cells"].items()]
    cells += list(tables.get("appeals", {}).get("cells", {}).items())
    for column, cell in cells:
        money = column in MONEY_COLUMNS
        assert cell == parse_cell(cell["raw"], money=money, header_unit=MONEY_COLUMNS.get(column)).to_dict(), (column, cell)


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_no_findings_where_the_numbers_add_up(path: Path) -> None:
    """No error or warning is expected; where all of tables 3 and 4 are numbers they add up."""
    report = _load(path)
    tables = report["tables"]
    if not tables:
        assert report["findings"] == []
        return
    rows = {k: [c["value"] for c in r["cells"].values()] for k, r in tables["applications"]["rows"].items()}
    appeals = [c["value"] for c in tables["appeals"]["cells"].values()]
    if any(v is None for values in rows.values() for v in values) or None in appeals:
        # Blank cells: each rule says once, as "info", what it could not check.
        assert {f["severity"] for f in report["findings"]} == {"info"}
        return
    assert report["findings"] == []
    outcomes = [k for k in rows if k not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    for col in range(7):
        assert rows["new_received"][col] + rows["carried_over"][col] == rows["total_processed"][col] + rows["carried_forward"][col]
        assert sum(rows[k][col] for k in outcomes) == rows["total_processed"][col]
    assert all(sum(values[:6]) == values[6] for values in rows.values())
    assert all(sum(appeals[i : i + 4]) == appeals[i + 4] for i in (0, 5, 10))


def test_headings_and_labels_are_printed_in_their_seed(seeds_dir: Path) -> None:
    for path in EXPECTED:
        stem = path.stem.split(".")[0]
        seed = seeds_dir / f"{stem}.txt"
        if not seed.exists():
            seed = FIXTURES / "malformed" / f"{stem}.txt"
        text = "".join(seed.read_text("utf-8").split())
        report = _load(path)
        for section in report["sections"]:
            assert "".join(section["heading"].split()) in text, section["heading"]
        for row in report["tables"].get("applications", {}).get("rows", {}).values():
            assert row["label"] in text, row["label"]
