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


def test_a_table_2_row_printed_under_new_words_with_its_values_is_a_relabel(seed) -> None:
    # As the 2021 template renamed it; its four cells were reported deleted and added as numbers.
    data = seed(SEED_ZIBO)
    assert data.count("\t规范性文件\n".encode()) == 1
    old = parse_outcome(data, ReportHints()).report
    new = parse_outcome(data.replace("\t规范性文件\n".encode(), "\t行政规范性文件\n".encode()), ReportHints()).report
    diff = diff_versions(old, new)
    [label] = diff.labels
    assert (label.part, label.old, label.new) == ("row", "规范性文件", "行政规范性文件") and label.cells >= 3
    assert diff.cells == [] and diff.significance == "text"


def test_a_row_relabelled_and_revised_is_numbers_deleted_and_added(seed) -> None:
    report = parse_outcome(seed(SEED_ZIBO), ReportHints()).report
    revised = copy.deepcopy(report)
    row = revised["tables"]["active_disclosure"]["rows"][0]
    row["label"] = row["label"] + "（含部门文件）"
    column = next(iter(row["cells"]))
    row["cells"][column] = {**row["cells"][column], "raw": "77", "value": 77, "state": "number"}
    diff = diff_versions(report, revised)
    assert diff.labels == [] and diff.significance == "numbers"
    assert len(diff.cells) == 2 * len(row["cells"])


def test_two_rows_under_one_label_are_compared_each_with_its_own(seed) -> None:
    # A province's table 2 printing 其他 under two items: the first one's revision was lost
    # under the second's address.
    report = parse_outcome(seed(SEED_ZIBO), ReportHints()).report
    rows = report["tables"]["active_disclosure"]["rows"]
    twin = copy.deepcopy(rows[-1])
    twin["item"] = "第二十条第（十）项"
    rows.append(twin)
    revised = copy.deepcopy(report)
    first = revised["tables"]["active_disclosure"]["rows"][-2]
    column = next(iter(first["cells"]))
    first["cells"][column] = {**first["cells"][column], "raw": "12", "value": 12, "state": "number"}
    revised["tables"]["active_disclosure"]["rows"].insert(0, copy.deepcopy(rows[0]))  # orders no longer line up
    revised["tables"]["active_disclosure"]["rows"][0]["label"] = "新增一行"
    changes = [(c.address, c.old_raw, c.new_raw) for c in diff_versions(report, revised).cells]
    assert (f"active_disclosure.{first['label']}.{column}", twin["cells"][column]["raw"], "12") in changes  # twin: a copy


def test_a_heading_put_right_moves_sentences_without_rewording_them(seed) -> None:
    # The first version printed no 六、 heading: its text ran on in 五; the revision adds the
    # heading, and the sentence that moved is no rewording.
    data = seed(SEED_ZIBO)
    heading = "六、需要报告的其他事项".encode()
    assert data.count(heading) == 1
    old = parse_outcome(data.replace(heading, "另外，".encode()), ReportHints()).report
    new = parse_outcome(data, ReportHints()).report
    assert 6 not in [s["number"] for s in old["sections"]] and 6 in [s["number"] for s in new["sections"]]
    diff = diff_versions(old, new)
    by_number = {s.number: s for s in diff.sections}
    assert by_number[6].old_heading == "" and by_number[6].heading == "六、需要报告的其他事项"
    assert by_number[6].added == [] and by_number[5].removed == ["另外，"]  # 无。 only moved
    assert diff.significance == "text"


def test_a_reworded_heading_is_shown_as_a_text_change(seed) -> None:
    data = seed(SEED_ZIBO)
    old = parse_outcome(data, ReportHints()).report
    new = parse_outcome(data.replace("五、存在的主要问题及改进情况".encode(), "五、存在的主要问题和改进情况".encode()), ReportHints()).report
    diff = diff_versions(old, new)
    [section] = diff.sections
    assert (section.number, section.old_heading, section.heading) == (5, "五、存在的主要问题及改进情况", "五、存在的主要问题和改进情况")
    assert section.removed == section.added == [] and diff.significance == "text"


def test_one_sentence_revised_in_a_long_section_of_repeated_lines_is_that_sentence() -> None:
    # A text PDF whose headings were not found: one section of table lines ("0", "/") and
    # prose. Aligned whole, such a section cost the writer seconds a version.
    from storage.diff import diff_sentences

    lines = [("0", "/", "无")[i % 3] if i % 4 else f"第{i}项工作按期完成" for i in range(20000)]
    old = "\n".join(lines)
    new = "\n".join(lines[:1000] + ["第1000项工作延期完成"] + lines[1001:] + ["新增一行"])
    assert diff_sentences(old, new) == (["第1000项工作按期完成"], ["第1000项工作延期完成", "新增一行"])
