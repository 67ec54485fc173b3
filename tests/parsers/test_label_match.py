"""Table 3 row labels as agencies misprint them: a dropped or wrong character still names the row."""

from __future__ import annotations

import pytest

from parsers.labels import closest_label, edit_distance
from parsers.tables.applications import row_key

# The standard wording of every table-3 row that has one of its own (domain reference).
STANDARD = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld.state_secret": "1.属于国家秘密",
    "withheld.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld.endangers_safety_stability": "3.危及“三安全一稳定”",
    "withheld.third_party_rights": "4.保护第三方合法权益",
    "withheld.internal_affairs": "5.属于三类内部事务信息",
    "withheld.process_info": "6.属于四类过程性信息",
    "withheld.enforcement_files": "7.属于行政执法案卷",
    "withheld.query_matters": "8.属于行政查询事项",
    "unable.not_held": "1.本机关不掌握相关政府信息",
    "unable.needs_creation": "2.没有现成信息需要另行制作",
    "unable.unclear_after_correction": "3.补正后申请内容仍不明确",
    "not_processed.complaint_petition": "1.信访举报投诉类申请",
    "not_processed.repeated": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.massive_repeated": "4.无正当理由大量反复申请",
    "not_processed.confirm_reissue": "5.要求行政机关确认或重新出具已获取信息",
    "other.overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.overdue_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other": "（六）其他处理",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}


def _body(key: str) -> tuple[str, str]:
    """(numbering, wording) of a standard label, so misprints touch the wording only."""
    label = STANDARD[key]
    for mark in ("、", ".", "）"):
        head, sep, tail = label.partition(mark)
        if sep and len(head) <= 3:
            return head + sep, tail
    return "", label


@pytest.mark.parametrize("key", list(STANDARD))
def test_standard_label_names_its_row(key: str) -> None:
    assert row_key(STANDARD[key], "") == key


@pytest.mark.parametrize("key", [k for k in STANDARD if len(_body(k)[1]) >= 4])
def test_a_dropped_character_still_names_the_row(key: str) -> None:
    number, words = _body(key)
    middle = len(words) // 2
    assert row_key(number + words[:middle] + words[middle + 1 :], "") == key


@pytest.mark.parametrize("key", [k for k in STANDARD if len(_body(k)[1]) >= 4])
def test_a_wrong_character_still_names_the_row(key: str) -> None:
    number, words = _body(key)
    middle = len(words) // 2
    assert row_key(number + words[:middle] + "口" + words[middle + 1 :], "") == key


def test_the_misprint_seen_in_a_real_pdf() -> None:
    assert row_key("2.其他法律行政止公开", "") == "withheld.prohibited_by_law"


def test_other_is_told_by_its_group_or_the_rows_before_it() -> None:
    assert row_key("3、其他", "其他处理") == "other.other"
    assert row_key("3、其他", "他处理", previous="other.overdue_fee") == "other.other"  # group label cut by a page break
    assert row_key("3、其他", "") is None


@pytest.mark.parametrize(
    "label",
    ["其中：网上申请", "小计", "合计", "（八）行政复议", "属于国家", "三、本年度办理结果", "法人或其他组织"],
)
def test_labels_of_no_standard_row_stay_unmatched(label: str) -> None:
    assert row_key(label, "") is None


def test_heji_is_the_total_only_where_numbered_as_the_seventh_row() -> None:
    assert row_key("（七）合计", "") == row_key("(七)合计", "") == "total_processed"
    assert row_key("（三）合计", "") is None and row_key("合计", "不予公开") is None


def test_a_tie_between_two_labels_names_neither() -> None:
    assert closest_label("甲乙丙丁", {"甲乙丙戊": "a", "甲乙丙己": "b"}) is None
    assert closest_label("甲乙丙丁", {"甲乙丙戊": "a", "庚辛壬癸": "b"}) == "a"


def test_short_labels_match_only_exactly() -> None:
    assert closest_label("总汁", {"总计": "total"}) is None


def test_edit_distance() -> None:
    assert edit_distance("其他法律行政止公开", "其他法律行政法规禁止公开") == 3
    assert edit_distance("", "abc") == 3 and edit_distance("abc", "abc") == 0
