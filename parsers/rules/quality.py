"""domain.md rule 8 (quality) on one report, and what the extractor could not read for certain.

* ``quality.section5_empty``: section 五 (problems and improvements) missing, empty or 无 (warning).
  Missing counts only in a report that prints the outline's prose: section 一 or 六. A file
  that prints only the standard tables under their headings 二-四 (a spreadsheet attachment,
  a tables-only page) has no prose by design and is not told its section 五 is missing.
* ``quality.fees_unexplained``: table 2 reports fees above 0 but section 六 says nothing of them (warning).
* ``extract.ambiguous_cells``: the text does not mark where its cells end, so some were left
  unread rather than guessed (warning).

A report copied from last year's is a cross-year check (storage/crossyear.py).
"""

from __future__ import annotations

import re

from parsers.report import Finding, Report, Section
from parsers.rules.check import finding

_EMPTY_SECTION = re.compile(r"^(?:无|暂无|没有|无其他需要报告的事项)?[。.]?$")
_PROSE_SECTIONS = (1, 6)  # the sections besides 五 that hold no standard table
_FEE_ROW = re.compile(r"收费")
_FEE_MENTION = re.compile(r"收费|费用|收取")


def check_quality(report: Report) -> list[Finding]:
    findings = []
    sections = {s.number: s for s in report.sections}
    # Section 五 is "problems and improvements" only in the 2019/2021 outline.
    if report.metadata.template != "pre-2019" and _section5_empty(sections):
        printed = sections[5].text if 5 in sections else None
        findings.append(finding("quality.section5_empty", "warning", None, None, None, printed, None,
                                "section 五 (problems and improvements) is missing, empty or says only 无",
                                "第五部分（存在的主要问题及改进情况）缺失、为空或仅写“无”"))
    if report.active_disclosure is not None:
        section6 = sections[6].text if 6 in sections else ""
        findings += [
            finding("quality.fees_unexplained", "warning", "active_disclosure", row.label, column, cell.raw, None,
                    "table 2 reports fees but section 六 says nothing about them",
                    "表二填报了收费金额，但第六部分未说明收费情况")
            for row in report.active_disclosure.rows if _FEE_ROW.search(row.label)
            for column, cell in row.cells.items()
            if cell.money and cell.state == "number" and cell.value > 0 and not _FEE_MENTION.search(section6)  # type: ignore[operator]
        ]
    return findings


def _section5_empty(sections: dict[int, Section]) -> bool:
    if 5 in sections:
        return bool(_EMPTY_SECTION.match(sections[5].text.replace("\n", "").strip()))
    return any(number in sections for number in _PROSE_SECTIONS)


def check_extraction(notes: list[str]) -> list[Finding]:
    return [
        finding("extract.ambiguous_cells", "warning", None, None, None, note, None,
                f"cell boundaries not marked in the text, cells left unread: {note}",
                f"文本未标明单元格边界，相关单元格未读取：{note}")
        for note in notes
    ]
