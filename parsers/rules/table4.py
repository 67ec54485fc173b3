"""Table 4 (复议诉讼) rule: domain.md rule 4.

* ``T4.block_total`` (3 checks, one per block: 行政复议, 未经复议直接起诉, 复议后起诉):
  维持 + 纠正 + 其他 + 尚未审结 = 总计.
"""

from __future__ import annotations

from parsers.report import APPEAL_BLOCKS, APPEAL_OUTCOMES, AppealsTable, Finding
from parsers.rules.check import Check


def check_appeals(table: AppealsTable) -> list[Finding]:
    check = Check("T4.block_total", "appeals", "维持+纠正+其他+尚未审结 must equal 总计", "维持+纠正+其他+尚未审结应等于总计")
    for block in APPEAL_BLOCKS:
        names = [f"{block}.{outcome}" for outcome in APPEAL_OUTCOMES]
        if check.needs(table.cells, names):
            check.compare(block, "total", table.cells[f"{block}.total"], [table.cells[n] for n in names[:-1]])
    return check.results()
