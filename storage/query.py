"""Finding report versions by agency, region, year, template, findings and cell values.

A cell condition reads ``table.row.column OP number`` (OP one of > >= < <= = !=) or
``table.row.column is blank``, e.g. ``applications.new_received.total > 10``. Numeric
conditions match printed numbers only: a blank or "/" is not 0.
"""

from __future__ import annotations

import operator
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.cellnames import split_address
from storage.agencies import normalise_name
from storage.events import withdrawn_reports
from storage.identity import normalise_agency
from storage.models import AgencyAlias, CellAddress, CellRow, FindingRow, Report, Version
from storage.pages import shown_before_on_its_page

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge, "<=": operator.le, "!=": operator.ne, ">": operator.gt, "<": operator.lt, "=": operator.eq,
}
_COMPARISON = re.compile(r"^(?P<address>[^\s<>=!]+)\s*(?P<op>>=|<=|!=|>|<|=)\s*(?P<number>[+-]?\d+(?:\.\d+)?)$")
# What a cell printed (its state): nothing, a dash ("/", "—": nothing applies), a number, text.
_STATE = re.compile(r"^(?P<address>\S+)\s+is\s+(?P<negated>not\s+)?(?P<state>blank|dash|number|text)$", re.IGNORECASE)


class QueryError(ValueError):
    """A filter the user wrote cannot be understood; the message says why, in one line."""


@dataclass(frozen=True)
class CellCondition:
    address: str
    table: str
    row: str
    column: str
    op: str  # one of OPERATORS, or a state ("blank", "dash", "number", "text"), maybe after "not "
    number: float | None = None

    def __str__(self) -> str:
        return f"{self.address} is {self.op}" if self.number is None else f"{self.address} {self.op} {self.number:g}"


def parse_where(expression: str) -> CellCondition:
    text = " ".join(expression.split())
    match = _COMPARISON.match(text) or _STATE.match(text)
    if match is None:
        raise QueryError(
            f"cannot read condition {expression!r}: write 'table.row.column OP number' (OP: > >= < <= = !=) or 'table.row.column is [not] blank|dash|number|text'"
        )
    address = match.group("address")
    parts = split_address(address)
    if parts is None:
        raise QueryError(
            f"bad cell name {address!r}: expected table.row.column with table active_disclosure, applications or appeals"
        )
    if "op" in match.groupdict():
        return CellCondition(address, *parts, op=match.group("op"), number=float(match.group("number")))
    state = match.group("state").lower()
    return CellCondition(address, *parts, op=f"not {state}" if match.group("negated") else state)


@dataclass
class QueryFilters:
    agency: str | None = None  # substring, white space and width ignored
    region: str | None = None  # substring
    year: int | None = None
    template: str | None = None
    finding: str | None = None  # a rule id, or a prefix such as "T3"
    where: list[CellCondition] = field(default_factory=list)
    all_versions: bool = False
    limit: int | None = None
    incomplete: bool = False  # only versions whose tables were not read in full (or not parsed at all)
    changed_after_publication: bool = False  # reports with more than one version
    withdrawn: bool = False  # reports withdrawn and not restored
    severity: str = "warning"  # the least severity a finding must have to count (``SEVERITIES``)


@dataclass
class QueryRow:
    report_id: int
    agency: str
    year: int
    kind: str
    version_no: int
    version_id: int
    template: str | None
    region: str | None
    parse_status: str
    findings: int  # warnings and errors; info notes ("not checked") are not counted
    cells: dict[str, Any]  # the cells named in the conditions: address -> value (or raw text)
    completeness: str | None = None  # complete | incomplete | not_applicable
    unread: list[str] = field(default_factory=list)  # "table: status; rows not found: …" per table not read in full

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _literal(text: str) -> str:
    """``text`` for a LIKE pattern (with ``escape="\\"``) in which % and _ are themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(text: str) -> str:
    return f"%{_literal(text)}%"


# Least severe first. An "info" finding says a check could not be made ("not checked": a blank
# or "/" among the parts); counted with the others, a report that adds up was listed by
# --finding T3 and showed findings in every listing.
SEVERITIES = ("info", "warning", "error")


def _at_least(severity: str) -> sa.ColumnElement[bool]:
    return FindingRow.severity.in_(SEVERITIES[SEVERITIES.index(severity):])


def _cell_match(condition: CellCondition) -> sa.ColumnElement[bool]:
    address = sa.select(CellAddress.id).where(
        CellAddress.table_name == condition.table, CellAddress.row_key == condition.row,
        CellAddress.column_key == condition.column,
    ).scalar_subquery()
    cells = sa.select(CellRow.version_id).where(CellRow.address_id == address)
    if condition.number is not None:
        cells = cells.where(CellRow.state == "number", OPERATORS[condition.op](CellRow.value, condition.number))
    else:
        state = condition.op.removeprefix("not ")
        cells = cells.where((CellRow.state != state) if condition.op.startswith("not ") else (CellRow.state == state))
    return Version.id.in_(cells)


def incomplete_versions() -> sa.ColumnElement[bool]:
    """Versions a person should review: a standard table partial or missing, or no parse at all."""
    return sa.or_(Version.completeness == "incomplete", Version.parse_status == "error")


def filtered_versions(filters: QueryFilters) -> sa.Select:
    """Versions joined to their reports, filtered; the caller chooses the columns."""
    joined_on = Report.id == Version.report_id if filters.all_versions else Report.latest_version_id == Version.id
    query = sa.select(Version, Report).join(Report, joined_on)
    if filters.agency:
        aliases = sa.select(AgencyAlias.agency_id).where(AgencyAlias.alias.like(_like(normalise_name(filters.agency)), escape="\\"))
        query = query.where(sa.or_(Report.agency_key.like(_like(normalise_agency(filters.agency)), escape="\\"),
                                   Report.agency_id.in_(aliases)))
    if filters.changed_after_publication:
        query = query.where(Report.id.in_(sa.select(Version.report_id).where(shown_before_on_its_page())))
    if filters.withdrawn:
        query = query.where(Report.id.in_(withdrawn_reports()))
    if filters.region:
        query = query.where(Version.region.like(_like(filters.region.strip()), escape="\\"))
    if filters.year is not None:
        query = query.where(Report.year == filters.year)
    if filters.template:
        query = query.where(Version.template == filters.template)
    if filters.finding:
        rule = filters.finding.strip()
        query = query.where(Version.id.in_(
            sa.select(FindingRow.version_id).where(
                sa.or_(FindingRow.rule == rule, FindingRow.rule.like(f"{_literal(rule)}.%", escape="\\")),
                _at_least(filters.severity))
        ))
    if filters.incomplete:
        query = query.where(incomplete_versions())
    for condition in filters.where:
        query = query.where(_cell_match(condition))
    return query


def run_query(session: Session, filters: QueryFilters) -> list[QueryRow]:
    """The versions the filters select, by agency, year, kind and version number.

    In two statements: the chosen versions' ids in order, then what a row shows of those only.
    Asked at once, every version the filters matched went through the database's sort with
    its whole parse (40-100 KB of JSON), and each row shown had its parse decoded to read its
    completeness: a year and a template took some 170 ms at 10,000 versions and at 100,000."""
    query = filtered_versions(filters).with_only_columns(Version.id)
    query = query.order_by(Report.agency_key, Report.year, Report.kind, Version.version_no)
    if filters.limit is not None:
        query = query.limit(filters.limit)
    ids = list(session.scalars(query))
    shown = _shown(session, ids)
    named = _named_cell_values(session, ids, filters.where)
    return [replace(shown[version_id], cells=named.get(version_id, {})) for version_id in ids]


def _shown(session: Session, ids: list[int]) -> dict[int, QueryRow]:
    """What a row shows of each version, its parse's completeness part alone read from the parse."""
    findings = sa.select(sa.func.count()).where(FindingRow.version_id == Version.id, _at_least("warning")).scalar_subquery()
    # A parse that failed is stored as JSON null; a version older than the JSON columns as NULL.
    parsed = sa.and_(Version.report_json.is_not(None), sa.cast(Version.report_json, sa.Text) != "null")
    columns = (Version.id, Report.id, Report.agency, Report.year, Report.kind, Version.version_no, Version.template,
               Version.region, Version.parse_status, findings, Version.completeness, Version.parse_error,
               parsed, Version.report_json["completeness"])
    shown: dict[int, QueryRow] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(sa.select(*columns).join(Report, Report.id == Version.report_id)
                               .where(Version.id.in_(ids[start : start + _CHUNK])))
        for (version_id, report_id, agency, year, kind, number, template, region, status, count, completeness,
             error, has_report, tables) in rows:
            report = {"completeness": tables} if has_report else None
            shown[version_id] = QueryRow(report_id, agency, year, kind, number, version_id, template, region, status,
                                         count, {}, completeness, unread_tables(report, error))
    return shown


def unread_tables(report: dict[str, Any] | None, parse_error: str | None) -> list[str]:
    """What a reviewer needs to know of a version whose tables were not read in full."""
    if report is None:
        return [f"not parsed: {parse_error}"] if parse_error else []
    unread = []
    for table, state in (report.get("completeness") or {}).items():
        if state["status"] in ("partial", "missing"):
            missing = [*state.get("missing_rows", []), *state.get("missing_columns", [])]
            unread.append(f"{table}: {state['status']}" + (f" ({', '.join(missing)})" if missing else ""))
    return unread


_CHUNK = 500  # version ids per IN list, well under SQLite's limit on bound parameters


def _named_cell_values(session: Session, ids: list[int], conditions: list[CellCondition]) -> dict[int, dict[str, Any]]:
    if not conditions:
        return {}
    wanted = {(c.table, c.row, c.column): c.address for c in conditions}
    values: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            sa.select(CellRow.version_id, CellRow.table_name, CellRow.row_key, CellRow.column_key, CellRow.value,
                      CellRow.raw, CellRow.state)
            .where(CellRow.version_id.in_(ids[start : start + _CHUNK]),
                   sa.tuple_(CellRow.table_name, CellRow.row_key, CellRow.column_key).in_(list(wanted)))
        ).all()
        for row in rows:
            value = plain_number(row.value) if row.state == "number" else row.raw
            values.setdefault(row.version_id, {})[wanted[(row.table_name, row.row_key, row.column_key)]] = value
    return values


def plain_number(value: float | None) -> int | float | None:
    """Cells are stored as floats; give whole numbers back as int, as they were printed."""
    return int(value) if value is not None and float(value).is_integer() else value
