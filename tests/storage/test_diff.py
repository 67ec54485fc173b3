"""What a new version records as changed, graded numbers > text > formatting."""

from __future__ import annotations

import copy

from parsers.hints import ReportHints
from storage.archive import Archive
from storage.diff import diff_versions
from storage.models import Change
from tests.storage.conftest import SEED_ZIBO, capture_of, parse_outcome

SENTENCE = "在管委会门户网站主动公开政府信息514条。"


def change_of(archive: Archive, original: bytes, revised: bytes) -> Change:
    archive.record(capture_of(original))
    result = archive.record(capture_of(revised, minutes=10))
    assert result.outcome == "new_version"
    with archive.session() as session:
        return session.get(Change, result.version_id)


def test_reworded_sentence_is_a_text_change_naming_the_sentence(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    revised = data.replace("主动公开政府信息514条".encode(), "主动公开政府信息541条".encode(), 1)
    change = change_of(archive, data, revised)
    assert change.significance == "text"
    [section] = change.summary["sections"]
    assert section["number"] == 1 and section["heading"] == "一、总体情况"
    assert section["removed"] == ["在管委会门户网站主动公开政府信息514条"]
    assert section["added"] == ["在管委会门户网站主动公开政府信息541条"]
    assert change.summary["cells"] == []


def test_moved_sentence_is_no_text_change(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    assert data.count(SENTENCE.encode()) == 1
    moved = data.replace(SENTENCE.encode(), b"", 1).replace("回应事件数29次。".encode(), ("回应事件数29次。" + SENTENCE).encode(), 1)
    change = change_of(archive, data, moved)
    assert change.summary["sections"] == [] and change.significance == "formatting"


def test_white_space_makes_no_version_and_full_width_digits_are_formatting(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    spaced = data.replace("主动公开政府信息514条".encode(), "主动公开政府信息 514 条".encode(), 1)
    archive.record(capture_of(data))
    assert archive.record(capture_of(spaced, minutes=5)).outcome == "unchanged"
    wide = data.replace("主动公开政府信息514条".encode(), "主动公开政府信息５１４条".encode(), 1)
    change = change_of(archive, data, wide)
    assert change.significance == "formatting" and change.summary["sections"] == []


def test_revised_total_reports_cell_labels_and_new_findings(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    # 一、本年新收 row: 自然人 4 ... 总计 4; print a 总计 that no longer adds up.
    original_row = "\t一、本年新收政府信息公开申请数量\n\t4\n\t0\n\t0\n\t0\n\t0\n\t0\n\t4\n"
    assert data.count(original_row.encode()) == 1
    revised = data.replace(original_row.encode(), original_row.replace("\t4\n\n", "\t9\n\n").replace("\t0\n\t4\n", "\t0\n\t9\n").encode(), 1)
    change = change_of(archive, data, revised)
    assert change.significance == "numbers"
    [cell] = change.summary["cells"]
    assert (cell["address"], cell["row_label"], cell["old_value"], cell["new_value"]) == (
        "applications.new_received.total", "一、本年新收政府信息公开申请数量", 4, 9)
    assert change.summary["findings_added"], "a total that does not add up is a finding"
    assert all(f["table"] == "applications" for f in change.summary["findings_added"])


def test_a_diff_as_stored_is_its_dataclasses_as_dicts() -> None:
    """``VersionDiff.to_dict`` is ``dataclasses.asdict``, for a diff with a change of every kind."""
    import copy
    from dataclasses import asdict

    from benchmarks.captures import seeds
    from storage.diff import diff_versions

    _, old = seeds()[0]
    new = copy.deepcopy(old)
    new["metadata"]["title"] = (old["metadata"].get("title") or "") + "（修订）"
    new["sections"][0]["text"] += "\n新增一句说明文字。"
    new["findings"] = [{"rule": "T.sum", "severity": "warning", "table": "applications", "row": "x", "column": "y",
                        "printed": 1, "expected": [2, 3], "message": "m"}]
    cell = next(c for t in new["tables"].values() for c in (t.get("cells") or {}).values())
    cell["raw"], cell["value"] = "999", 999
    for diff in (diff_versions(old, new, ["a"], ["b"]), diff_versions(None, new)):
        assert diff.to_dict() == asdict(diff) and list(diff.to_dict()) == list(asdict(diff))
    assert diff_versions(old, new).cells and diff_versions(old, new).sections and diff_versions(old, new).metadata


def test_cells_a_revision_drops_or_moves_are_named_in_the_old_order_then_the_new(seed) -> None:
    report = parse_outcome(seed(SEED_ZIBO), ReportHints()).report
    revised = copy.deepcopy(report)
    rows = revised["tables"]["active_disclosure"]["rows"]
    dropped, moved = rows[0], rows[1]
    # The first row is no longer printed, the second moves to the end and one of its cells is revised.
    revised["tables"]["active_disclosure"]["rows"] = [*rows[2:], moved]
    column = next(iter(moved["cells"]))
    moved["cells"][column] = {**moved["cells"][column], "raw": "77", "value": 77, "state": "number"}
    diff = diff_versions(report, revised)
    assert [(c.address, c.new_raw) for c in diff.cells] == [
        *((f"active_disclosure.{dropped['label']}.{name}", None) for name in dropped["cells"]),
        (f"active_disclosure.{moved['label']}.{column}", "77")]
    assert diff.significance == "numbers"
    assert diff_versions(report, copy.deepcopy(report)).cells == []
