"""domain.md rule 7: what the text says against what the tables print (warnings: prose can be loose).

Each rule reads the first number the report's own words give for a quantity ("本年新收…N件",
"结转下年度…N件", "行政复议…N件") and compares it with the cell; "未发生…行政复议" says 0.
A mention whose sentence says it counts something else is passed over: 行政许可 applications
received at a service hall, 人大代表建议 settled, review cases the agency decided as a 复议机关,
a total said to include last year's carried-over applications ("（含上年结转3件）").

* ``P.new_received``: 本年新收/收到/受理…申请…N件 = 一、本年新收 总计
* ``P.carried_over``: 上年结转…N件 = 二、上年结转 总计
* ``P.carried_forward``: 结转下年度…N件 = 四、结转下年度 总计
* ``P.total_processed``: 办结…N件 = （七）总计 (not 办理: "协助办理…N件" counts other agencies' cases)
* ``P.review``: 行政复议…N件 = 行政复议 总计
* ``P.litigation``: 行政诉讼…N件 = 行政诉讼 总计 (未经复议直接起诉 + 复议后起诉)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.report import Cell, Finding, Report
from parsers.rules.check import finding

_CLAUSE = r"[^。；;，,\d]"  # within one clause, before the number


@dataclass(frozen=True)
class ProseRule:
    rule: str
    table: str
    cells: tuple[str, ...]  # summed: "row.column" (applications) or "block.outcome" (appeals)
    pattern: re.Pattern[str]
    none: re.Pattern[str] | None  # wording that says there were none
    what: str
    other: re.Pattern[str] | None = None  # words of the mention's sentence saying it counts something else


_COUNT = r"(\d+)\s*(?:件|起|宗|个)"
# Counts of other matters a report gives in the same words: applications for licences and
# services, deputies' proposals, petitions and complaints, hotline calls.
_OTHER_MATTERS = r"许可|审批|政务服务|办件|建议|提案|信访|投诉|举报|咨询|热线|诉求|工单|来信|留言"
PROSE_RULES = (
    ProseRule("P.new_received", "applications", ("new_received.total",),
              re.compile(rf"(?:新收|收到|受理)[^。；;，,]{{0,30}}?申请{_CLAUSE}{{0,6}}?{_COUNT}(?!\s*[（(](?:含|包括)上年结转)"),
              re.compile(r"(?:未|没有)(?:收到|受理|接到|发生)[^。；;，,\d]{0,12}(?:信息公开|依申请)[^。；;，,\d]{0,8}申请"
                         r"|无(?:政府信息公开|依申请公开)申请"), "本年新收",
              re.compile(_OTHER_MATTERS)),
    ProseRule("P.carried_over", "applications", ("carried_over.total",),
              re.compile(rf"上年结转{_CLAUSE}{{0,20}}?{_COUNT}"), None, "上年结转"),
    ProseRule("P.carried_forward", "applications", ("carried_forward.total",),
              re.compile(rf"结转(?:至)?下一?年度?{_CLAUSE}{{0,20}}?{_COUNT}"), None, "结转下年度"),
    ProseRule("P.total_processed", "applications", ("total_processed.total",),
              # 协助 looked behind once 办结 is found: a pattern that starts with a literal is
              # searched for it, one that starts by looking behind is tried at every character.
              re.compile(rf"办结(?<!协助办结){_CLAUSE}{{0,20}}?{_COUNT}"), None, "（七）总计",
              re.compile(rf"{_OTHER_MATTERS}|复议|诉讼|案件")),
    ProseRule("P.review", "appeals", ("review.total",),
              re.compile(rf"行政复议(?:案件)?[^。；;，,\d、]{{0,8}}?{_COUNT}"),
              re.compile(r"(?:未发生|没有发生|未出现|无)[^。；;，,\d]{0,25}行政复议"), "行政复议",
              re.compile(r"复议机关|(?:办理|审理|受理)[^。；;，,\d]{0,6}行政复议")),
    ProseRule("P.litigation", "appeals", ("litigation_direct.total", "litigation_after_review.total"),
              re.compile(rf"行政诉讼(?:案件)?[^。；;，,\d、]{{0,8}}?{_COUNT}"),
              re.compile(r"(?:未发生|没有发生|未出现|无)[^。；;，,\d]{0,25}行政诉讼"), "行政诉讼"),
)


def check_prose(report: Report) -> list[Finding]:
    text = "\n".join([report.preamble, *(s.text for s in report.sections)])
    findings = []
    for rule in PROSE_RULES:
        cells = _cells(report, rule)
        said = _said(rule, text)
        if said is None or cells is None or any(c.state != "number" for c in cells):
            continue
        printed = sum(c.value for c in cells)  # type: ignore[misc]
        if printed != said[0]:
            findings.append(finding(
                rule.rule, "warning", rule.table, rule.cells[0].rsplit(".", 1)[0], "total", said[1], printed,
                f"the text says {said[1]!r} but table {rule.what} prints {printed:g}",
                f"正文称“{said[1]}”，表中{rule.what}为{printed:g}",
            ))
    return findings


def _said(rule: ProseRule, text: str) -> tuple[int, str] | None:
    """(number, the words that say it) of the first mention, or None."""
    match = next((found for found in rule.pattern.finditer(text) if not _of_other_matters(rule, text, found)), None)
    negated = rule.none.search(text) if rule.none else None
    if negated and (match is None or negated.start() < match.start()):
        return 0, negated.group(0)
    return (int(match.group(1)), match.group(0)) if match else None


def _of_other_matters(rule: ProseRule, text: str, match: re.Match[str]) -> bool:
    """Whether the mention's sentence, up to its number, says it counts something else."""
    if rule.other is None:
        return False
    start = max(text.rfind(stop, 0, match.start()) for stop in "。；;\n") + 1
    return rule.other.search(text, start, match.end()) is not None


def _cells(report: Report, rule: ProseRule) -> list[Cell] | None:
    found = []
    for name in rule.cells:
        row, column = name.rsplit(".", 1)
        if rule.table == "applications" and report.applications and row in report.applications.rows \
                and column in report.applications.rows[row].cells:  # a table may leave the 总计 column out
            found.append(report.applications.rows[row].cells[column])
        elif rule.table == "appeals" and report.appeals and name in report.appeals.cells:
            found.append(report.appeals.cells[name])
        else:
            return None
    return found
