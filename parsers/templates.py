"""Which national template each table follows ("2019", "2021"), per table.

Hybrids exist (a 2021 table 2 next to a 2019 table 3), so the template is read from what
each table prints; the report's template is table 2's, else table 3's.
"""

from __future__ import annotations

import re

from parsers.labels import SIGNED_COLUMN, compact
from parsers.report import ActiveDisclosureRow, ApplicationRow, Template

_PRE_2019_LAST_YEAR = 2018
_ACTIVE_2021 = re.compile(r"本年制发|本年废止|现行有效|本年处理决定|收费金额")
_ACTIVE_2019 = re.compile(rf"本年新制作|本年新公开|对外公开总数|上一年项目数|{SIGNED_COLUMN.pattern}|采购")
_APPLICATIONS_2021 = ("other.overdue_correction", "other.overdue_fee", "other.other")


def active_disclosure_template(rows: list[ActiveDisclosureRow]) -> Template:
    names = [compact(name) for row in rows for name in row.cells]
    votes_2021 = sum(1 for name in names if _ACTIVE_2021.search(name))
    votes_2019 = sum(1 for name in names if _ACTIVE_2019.search(name))
    votes_2019 += sum(1 for row in rows if row.item == "第二十条第（九）项")
    if votes_2021 > votes_2019:
        return "2021"
    return "2019" if votes_2019 else "unknown"


def applications_template(rows: dict[str, ApplicationRow]) -> Template:
    if any(key in rows for key in _APPLICATIONS_2021):
        return "2021"
    return "2019" if "other" in rows else "unknown"


def report_template(table_templates: list[Template], year: int | None, has_tables: bool) -> Template:
    """The first known table template; a report without standard tables is pre-2019 by its year, else unknown."""
    for template in table_templates:
        if template in ("2019", "2021"):
            return template
    if not has_tables and year is not None and year <= _PRE_2019_LAST_YEAR:
        return "pre-2019"
    return "unknown"
