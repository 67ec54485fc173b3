"""Table 3 (收到和处理政府信息公开申请情况): rows keyed by what their labels say.

Rows are matched by their printed leaf label (and, for "3.其他", the group it sits in),
never by position: provinces add rows, and the seed export prints ragged rows whose group
cells (三、本年度办理结果, （三）不予公开) appear only on the first row of their group.
"""

from __future__ import annotations

import re

from parsers.cells import parse_cell
from parsers.document import Table
from parsers.labels import label_key, printed_label
from parsers.report import APPLICANT_COLUMNS, ApplicationRow
from parsers.tables.grid import distinct_labels, split_label_values

_WIDTH = len(APPLICANT_COLUMNS)
_HEADER_WORDS = re.compile(r"勾稽|申请人情况|自然人|商业企业|科研机构|法律服务机构")
_GROUP = re.compile(r"本年度办理结果|^不予公开$|^无法提供$|^不予处理$|^其他处理$")
_OTHER_GROUP = "其他处理"
# (row key, pattern on the label key); first match wins, so narrower patterns come first.
_ROWS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("new_received", r"本年新收"),
        ("carried_over", r"上年结转"),
        ("carried_forward", r"结转下年度?"),
        ("partially_granted", r"^部分公开"),
        ("granted", r"^予以公开"),
        ("withheld.state_secret", r"国家秘密"),
        ("withheld.prohibited_by_law", r"禁止公开"),
        ("withheld.endangers_safety_stability", r"三安全一稳定|危及"),
        ("withheld.third_party_rights", r"第三方"),
        ("withheld.internal_affairs", r"内部事务"),
        ("withheld.process_info", r"过程性"),
        ("withheld.enforcement_files", r"执法案卷"),
        ("withheld.query_matters", r"查询事项"),
        ("unable.not_held", r"不掌握"),
        ("unable.needs_creation", r"另行制作"),
        ("unable.unclear_after_correction", r"仍不明确|不明确"),
        ("not_processed.complaint_petition", r"信访|举报|投诉"),
        ("not_processed.massive_repeated", r"大量反复"),
        ("not_processed.repeated", r"^重复申请"),
        ("not_processed.publication", r"出版物"),
        ("not_processed.confirm_reissue", r"确认或重新出具|重新出具"),
        ("other.overdue_correction", r"逾期不补正"),
        ("other.overdue_fee", r"缴纳费用|收费通知"),
        ("other", r"^其他处理$"),
        ("total_processed", r"^总计$"),
    )
)


def parse_applications(pieces: list[Table]) -> dict[str, ApplicationRow]:
    rows: dict[str, ApplicationRow] = {}
    group = ""
    extras = 0
    for piece in pieces:
        for grid_row in piece.rows:
            texts = [cell.text for cell in grid_row]
            if _HEADER_WORDS.search("".join("".join(texts).split())):
                continue
            label_cells, values = split_label_values(texts, _WIDTH)
            labels = distinct_labels(label_cells)
            if not labels:
                continue
            leaf = labels[-1]
            for label in labels[:-1]:
                group = label_key(label)
            if not values:
                group = label_key(leaf)
                continue
            key = row_key(leaf, group)
            if key is None and _GROUP.search(label_key(leaf)) and all(v.strip() in ("", leaf) for v in values):
                group = label_key(leaf)  # a group label on a row of its own, its cells empty or merged into it
                continue
            if key is None or key in rows:
                extras += 1
                key = f"extra.{extras}"
            if _top_level(leaf):
                group = ""
            padded = [""] * (_WIDTH - len(values)) + values
            rows[key] = ApplicationRow(
                label=printed_label(leaf),
                cells={column: parse_cell(text) for column, text in zip(APPLICANT_COLUMNS, padded)},
            )
    return rows


def row_key(label: str, group: str) -> str | None:
    """The contract's row key for a printed leaf label in its group, None for a row of the province's own."""
    key = label_key(label)
    if key == "其他" and group == _OTHER_GROUP:
        return "other.other"
    for row, pattern in _ROWS:
        if pattern.search(key):
            return row
    return None


def _top_level(label: str) -> bool:
    """一、二、四、 rows stand outside every group."""
    return bool(re.match(r"^[一二三四]\s*[、.．]", printed_label(label)))
