"""A report described for people, line by line (what ``harvester parse`` prints)."""

from __future__ import annotations

from parsers.ocr_honesty import describe_ocr
from parsers.report import Finding, Report

_TABLE_NAMES = {"active_disclosure": "表2 主动公开", "applications": "表3 依申请", "appeals": "表4 复议诉讼"}


def describe_report(report: Report) -> list[str]:
    meta = report.metadata
    lines = [
        f"agency:    {meta.agency or '-'}",
        f"title:     {meta.title or '-'}",
        f"year:      {meta.year or '-'}    template: {meta.template}    region: {meta.region or '-'}",
        f"dates:     published {meta.publish_date or '-'}, signed {meta.signed_date or '-'}",
        f"contact:   {' | '.join(v for v in (meta.address, meta.phone, meta.email) if v) or '-'}",
        f"format:    {report.source_format}    parser {report.parser_version}",
        f"sections:  {len(report.sections)} (preamble {len(report.preamble)} chars)",
    ]
    lines += [f"  {s.number}. {s.heading}  [{len(s.text)} chars]" for s in report.sections]
    tables = report.to_dict()["tables"]
    if not tables:
        lines.append("tables:    none of the standard tables (no standard template)")
    for key, table in tables.items():
        cells = _cells(table)
        filled = sum(1 for cell in cells if cell["state"] == "number")
        lines.append(f"{_TABLE_NAMES[key]}: template {table['template']}, {len(cells)} cells, {filled} numbers")
    lines.append("completeness:")
    lines += [f"  {line}" for line in describe_completeness(report, everything=True)]
    lines += describe_ocr(report)
    lines.append(f"findings:  {len(report.findings)}")
    lines += [f"  {describe_finding(f)}" for f in report.findings]
    return lines


def incomplete_tables(report: Report) -> list[str]:
    """The standard tables of a 2019+ report that are partial or missing."""
    return [table for table, state in report.completeness.items() if state.status in ("partial", "missing")]


def describe_completeness(report: Report, *, everything: bool = False) -> list[str]:
    """One line per table that was not read in full (per table when ``everything``)."""
    return [
        f"{_TABLE_NAMES[table]}: {state.describe()}"
        for table, state in report.completeness.items()
        if everything or state.status in ("partial", "missing")
    ]


def describe_finding(finding: Finding) -> str:
    where = ".".join(p for p in (finding.table, finding.row, finding.column) if p)
    return f"[{finding.severity}] {finding.rule} {where}: {finding.message}".replace(" :", ":")


def _cells(table: dict) -> list[dict]:
    if "cells" in table:
        return list(table["cells"].values())
    rows = table["rows"].values() if isinstance(table["rows"], dict) else table["rows"]
    return [cell for row in rows for cell in row["cells"].values()]
