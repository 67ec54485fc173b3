"""The checks reviewers make on a report (勾稽关系, counts, prose against tables, quality).

One module per rule family; :data:`RULES` is the registry of every rule id a finding can
carry, with what it checks in Chinese and English and how many checks it runs on a
complete report. :func:`validate` runs them all.

No false alarms: an arithmetic mismatch is an error only on a table whose standard rows
and columns were all read (``complete``); on a partial table it is a warning, because the
row it needs may be the one that was misread.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from parsers.completeness import TableCompleteness
from parsers.report import Finding, Report
from parsers.rules.counts import check_counts
from parsers.rules.prose import check_prose
from parsers.rules.quality import check_extraction, check_quality
from parsers.rules.table2 import check_active_disclosure
from parsers.rules.table3 import check_applications
from parsers.rules.table4 import check_appeals


@dataclass(frozen=True)
class RuleInfo:
    id: str
    checks: int  # checks run on a complete 2021 report (per column, row or block)
    zh: str
    en: str


RULES: dict[str, RuleInfo] = {rule.id: rule for rule in (
    RuleInfo("T3.balance", 7, "表三每列：一+二 = （七）总计+四", "table 3, per column: 一+二 = （七）总计+四"),
    RuleInfo("T3.total_breakdown", 7, "表三每列：（七）总计 = （一）至（六）之和", "table 3, per column: （七）总计 = sum of （一）-（六）"),
    RuleInfo("T3.row_total", 25, "表三每行：总计 = 六类申请人之和", "table 3, per row: 总计 = the six applicant columns"),
    RuleInfo("T4.block_total", 3, "表四每栏：维持+纠正+其他+尚未审结 = 总计", "table 4, per block: 维持+纠正+其他+尚未审结 = 总计"),
    RuleInfo("T2.amount_unit", 1, "表二金额应注明单位", "table 2: an amount needs a unit"),
    RuleInfo("T2.items_after_change", 5, "表二（2019）：上一年项目数量+本年增/减不小于0", "table 2 (2019): 上一年项目数量 + 本年增/减 >= 0"),
    RuleInfo("T2.published_total", 2, "表二（2019）：对外公开总数量不小于本年新公开数量", "table 2 (2019): 对外公开总数量 >= 本年新公开数量"),
    RuleInfo("counts.non_negative_integer", 200, "各表数量为非负整数", "every count is a non-negative whole number"),
    RuleInfo("P.new_received", 1, "正文“本年新收…N件”与表三一致", "text \"本年新收…N件\" = table 3 new_received.total"),
    RuleInfo("P.carried_over", 1, "正文“上年结转…N件”与表三一致", "text \"上年结转…N件\" = table 3 carried_over.total"),
    RuleInfo("P.carried_forward", 1, "正文“结转下年度…N件”与表三一致", "text \"结转下年度…N件\" = table 3 carried_forward.total"),
    RuleInfo("P.total_processed", 1, "正文“办结…N件”与表三（七）总计一致", "text \"办结…N件\" = table 3 total_processed.total"),
    RuleInfo("P.review", 1, "正文“行政复议…N件”与表四一致", "text \"行政复议…N件\" = table 4 review.total"),
    RuleInfo("P.litigation", 1, "正文“行政诉讼…N件”与表四一致", "text \"行政诉讼…N件\" = table 4 litigation totals"),
    RuleInfo("quality.section5_empty", 1, "第五部分不应为空或仅写“无”，印有第一或第六部分的报告不应缺少第五部分",
             "section 五 is not empty or 无, nor missing from a report that prints section 一 or 六"),
    RuleInfo("quality.fees_unexplained", 1, "表二有收费时第六部分应说明", "fees in table 2 are explained in section 六"),
    RuleInfo("extract.ambiguous_cells", 1, "文本中单元格边界不明", "cell boundaries the text does not mark"),
    # Cross-year rules run in the archive (storage/crossyear.py), listed here so every id is known.
    RuleInfo("X.carry_over", 7, "二、上年结转 = 上一年报告的四、结转下年度", "carried_over = last year's carried_forward"),
    RuleInfo("X.active_docs", 2, "（2021）现行有效 ≈ 上年现行有效+本年制发−本年废止", "(2021) 现行有效 = last year's + 制发 - 废止"),
    RuleInfo("X.copied_text", 1, "正文不应照抄上一年报告", "the text is not last year's copied"),
)}


def validate(report: Report, completeness: dict[str, TableCompleteness], notes: list[str] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    if report.active_disclosure is not None:
        findings += check_active_disclosure(report.active_disclosure)
    if report.applications is not None:
        findings += check_applications(report.applications)
    if report.appeals is not None:
        findings += check_appeals(report.appeals)
    findings += check_counts(report)
    findings += check_prose(report)
    findings += check_quality(report)
    findings += check_extraction(notes or [])
    return [_no_false_alarm(f, completeness) for f in findings]


def _no_false_alarm(finding: Finding, completeness: dict[str, TableCompleteness]) -> Finding:
    status = completeness.get(finding.table or "")
    if finding.severity != "error" or status is None or status.status in ("complete", "not_applicable"):
        return finding
    return replace(
        finding, severity="warning",
        message=f"{finding.message} (table only partly read: {status.describe()})",
        message_zh=f"{finding.message_zh}（该表未完整读取）",
    )
