"""Table 3 (收到和处理政府信息公开申请情况): rows keyed by what their labels say.

Rows are matched by their printed leaf label (and, for "3.其他", the group it sits in),
never by position: provinces add rows, and the seed export prints ragged rows whose group
cells (三、本年度办理结果, （三）不予公开) appear only on the first row of their group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parsers.cells import parse_cell
from parsers.document import GridCell, Table
from parsers.labels import closest_label, compact, label_key, printed_label, starts_numbered
from parsers.report import APPLICANT_COLUMNS, ApplicationRow
from parsers.tables.columns import ColumnLayout, header_layout, split_by_layout, split_by_printed_order
from parsers.tables.grid import distinct_labels, is_value, joined_values, split_label_values

_WIDTH = len(APPLICANT_COLUMNS)
_HEADER_WORDS = re.compile(r"勾稽|申请人情况|自然人|商业企业|科研机构|法律服务机构")
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


# （七）合计 where the template prints （七）总计; a 合计 without the number may be a group's subtotal.
_SEVENTH_TOTAL = re.compile(r"^[(（]七[)）]合计$")

# Header cells naming the value columns, in APPLICANT_COLUMNS order (label_key forms).
_COLUMN_NAMES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
# Header words agencies retype the template's with: a header read by its words must not lose
# these columns where reading values in printed order kept them.
_COLUMN_ALIASES = {"合计": "总计", "其它": "其他", "其他组织": "其他", "其它组织": "其他"}
# The printed wording of each standard row (domain reference), for labels printed with a
# dropped or wrong character; "3.其他" is told by its group, not by wording.
_STANDARD_LABELS = {
    label_key(label): key
    for key, label in (
        ("new_received", "本年新收政府信息公开申请数量"),
        ("carried_over", "上年结转政府信息公开申请数量"),
        ("granted", "予以公开"),
        ("partially_granted", "部分公开"),
        ("withheld.state_secret", "属于国家秘密"),
        ("withheld.prohibited_by_law", "其他法律行政法规禁止公开"),
        ("withheld.endangers_safety_stability", "危及三安全一稳定"),
        ("withheld.third_party_rights", "保护第三方合法权益"),
        ("withheld.internal_affairs", "属于三类内部事务信息"),
        ("withheld.process_info", "属于四类过程性信息"),
        ("withheld.enforcement_files", "属于行政执法案卷"),
        ("withheld.query_matters", "属于行政查询事项"),
        ("unable.not_held", "本机关不掌握相关政府信息"),
        ("unable.needs_creation", "没有现成信息需要另行制作"),
        ("unable.unclear_after_correction", "补正后申请内容仍不明确"),
        ("not_processed.complaint_petition", "信访举报投诉类申请"),
        ("not_processed.repeated", "重复申请"),
        ("not_processed.publication", "要求提供公开出版物"),
        ("not_processed.massive_repeated", "无正当理由大量反复申请"),
        ("not_processed.confirm_reissue", "要求行政机关确认或重新出具已获取信息"),
        ("other.overdue_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other.overdue_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "其他处理"),
        ("total_processed", "总计"),
        ("carried_forward", "结转下年度继续办理"),
    )
}
_GROUP_LABELS = {label_key(label): label_key(label) for label in ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理")}
_OTHER_ROWS = ("other.overdue_correction", "other.overdue_fee")


@dataclass
class _PrintedRow:
    """A data row as printed: its label cells (merged group labels included) and values."""

    labels: list[str]
    values: list[str | None]  # None: a column the table does not print

    @property
    def blank(self) -> bool:
        return not any(value and value.strip() for value in self.values)


def parse_applications(pieces: list[Table]) -> dict[str, ApplicationRow]:
    rows: dict[str, ApplicationRow] = {}
    group = ""
    extras = 0
    last_key: str | None = None
    for printed in _join_split_rows(_printed_rows(pieces)):
        labels, values = printed.labels, printed.values
        leaf = labels[-1]
        for label in labels[:-1]:
            group = label_key(label)
        if not values:
            group = label_key(leaf)
            continue
        key = row_key(leaf, group, last_key)
        if key is None and _group_of(leaf) and all((v or "").strip() in ("", leaf) for v in values):
            group = label_key(leaf)  # a group label on a row of its own, its cells empty or merged into it
            continue
        if key is None or key in rows:
            extras += 1
            key = f"extra.{extras}"
        if _top_level(leaf):
            group = ""
        last_key = key
        padded = [""] * (_WIDTH - len(values)) + values
        rows[key] = ApplicationRow(
            label=printed_label(leaf),
            cells={column: parse_cell(text) for column, text in zip(APPLICANT_COLUMNS, padded) if text is not None},
        )
    other = rows.get("other")
    if other and any(k in rows for k in (*_OTHER_ROWS, "other.other")) and all(c.state == "blank" for c in other.cells.values()):
        del rows["other"]  # the 2021 （六） group label printed as a row of blanks, not 2019's single row
    return rows


def _printed_rows(pieces: list[Table]) -> list[_PrintedRow]:
    """Every data row of every piece; header rows give the column layout of the rows after them.

    A piece without a header (the part of the table after a page break) keeps the layout
    of the piece before it when its grid is as wide. A header Word repeats at the top of
    each page is read again there, and a header a page break cuts is read with its rest on
    the next page: the header rows are those printed since the last data row.
    """
    printed: list[_PrintedRow] = []
    layout: ColumnLayout | None = None
    headers: list[list[GridCell]] = []
    width = 0
    for piece in pieces:
        piece_width = max((len(row) for row in piece.rows), default=0)
        if layout is not None and piece_width != width:
            layout = None
        for grid_row in piece.rows:
            if not any(cell.text.strip() for cell in grid_row if not cell.is_copy):
                continue  # an empty row (a PDF's between header rows) neither ends a header nor prints a value
            if _is_header(grid_row) or (headers and _header_rest(grid_row, headers[-1])):
                headers.append(grid_row)
                layout, width = header_layout(headers, _COLUMN_NAMES, _COLUMN_ALIASES), piece_width
                continue
            headers = []
            if layout is not None:
                label_cells, values = split_by_layout(grid_row, layout)
            else:  # no header to go by: the printed order, else the last slots of the row
                label_cells, values = split_by_printed_order(grid_row, _WIDTH) or split_label_values(
                    [cell.text for cell in grid_row], _WIDTH
                )
            labels = distinct_labels(label_cells)
            # values without a label may finish a row split by a page break
            if labels or any(value and value.strip() for value in values):
                printed.append(_PrintedRow(labels or [""], values))
    return printed


def _is_header(row: list[GridCell]) -> bool:
    return bool(_HEADER_WORDS.search("".join("".join(cell.text for cell in row).split())))


def _header_rest(row: list[GridCell], above: list[GridCell]) -> bool:
    """Whether a row right after the header row ``above`` is the rest of header cells a page
    break cut ("组织" under "社会公益"): words only, none numbered like a row's label, each
    under a cell of its own in ``above`` (the rest of a broken label stands under the merged
    label cell of the header, or under nothing)."""
    words = [(column, cell.text) for column, cell in enumerate(row) if not cell.is_copy and cell.text.strip()]
    return bool(words) and all(
        not is_value(text) and not starts_numbered(text)
        and column < len(above) and not above[column].is_copy and above[column].text.strip()
        for column, text in words
    )


def _join_split_rows(rows: list[_PrintedRow]) -> list[_PrintedRow]:
    """Rows a page break or a wrapped label printed as two, joined into one.

    Two neighbours are one row when one of them prints no value and the two labels read
    together name a row: the label on one page and the values on the next, or a label
    broken in two with its values beside either half.
    """
    joined: list[_PrintedRow] = []
    for row in rows:
        previous = joined[-1] if joined else None
        labels = _joined_labels(previous, row) if previous is not None and (previous.blank or row.blank) else None
        if previous is not None and labels is not None:
            values, other = (row, previous) if previous.blank else (previous, row)
            joined[-1] = _PrintedRow(labels, joined_values(values.values, other.values))
        else:
            joined.append(row)
    return joined


def _joined_labels(first: _PrintedRow, second: _PrintedRow) -> list[str] | None:
    """The labels of ``first`` with ``second``'s read on from them, when ``second`` continues ``first``; else None.

    Both halves of a broken row print their merged group cells again (the same text, or the
    group label broken as well), or the second prints fewer of them, down to only the rest
    of the leaf label; its labels continue the first half's last ones, right-aligned. The
    rest starts without a number of its own (a new row starts with 1. or （一）) and is no
    group label; the joined leaf names a row that neither half names differently.
    """
    count = len(second.labels)
    if count > len(first.labels):
        return None
    labels = first.labels[:-count] + [a if a == b else a + b for a, b in zip(first.labels[-count:], second.labels)]
    tail = second.labels[-1] if first.labels[-1] != second.labels[-1] else None
    if tail is None or (tail and (starts_numbered(tail) or _group_of(tail))):
        return None
    key = row_key(labels[-1], labels[-2] if len(labels) > 1 else "")  # "3．其" + "他" is （六）'s 3.其他
    halves = (first.labels[-1], tail) if tail else (first.labels[-1],)
    return labels if key is not None and all(_worded_row(half) in (None, key) for half in halves) else None


@lru_cache(maxsize=4096)
def row_key(label: str, group: str, previous: str | None = None) -> str | None:
    """The contract's row key for a printed leaf label in its group, None for a row of the province's own.

    Cached: every report prints the same two dozen labels, each tried against every row's pattern.

    ``previous`` is the key of the row printed before it: "3.其他" right after the other
    （六） rows is other.other even when the group label was cut by a page break.
    """
    key = label_key(label)
    if key == "其他" and (_group_of(group) == _OTHER_GROUP or previous in _OTHER_ROWS):
        return "other.other"
    if _SEVENTH_TOTAL.match(compact(label)):
        return "total_processed"
    return _worded_row(label) or closest_label(key, _STANDARD_LABELS)


def _worded_row(label: str) -> str | None:
    """The row a label's own words name, no misprint allowed: half a label broken by a page
    break is no misprint, though "反复申请" (of 无正当理由大量反复申请) is one letter from 重复申请."""
    key = label_key(label)
    return next((row for row, pattern in _ROWS if pattern.search(key)), None)


def _group_of(label: str) -> str | None:
    """The group a label names (本年度办理结果, 不予公开 …), a misprint of one included."""
    key = label_key(label)
    return _GROUP_LABELS.get(key) or closest_label(key, _GROUP_LABELS)


def _top_level(label: str) -> bool:
    """一、二、四、 rows stand outside every group."""
    return bool(re.match(r"^[一二三四]\s*[、.．]", printed_label(label)))
