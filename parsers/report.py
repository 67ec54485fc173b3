"""The report model: what the parser says a report contains.

``Report.to_dict()`` is the ``--json`` output contract that users and the archive rely on
(see README, "Parser output"). Keys are stable; new keys may be added, none renamed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from parsers.locations import CellLocation

CellState = Literal["number", "blank", "dash", "text"]
Template = Literal["2019", "2021", "pre-2019", "unknown"]
Severity = Literal["error", "warning", "info"]

APPLICANT_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
)
APPEAL_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


@dataclass
class Cell:
    """One printed value: the printed text is the record, the rest is read from it.

    ``value_wan`` is set only on money cells, the amount in 万元 where the unit is known.
    ``location`` is where the value is printed in the source, when it was read from one
    printed cell (a value the table parser put together, or a blank it padded, has none).
    """

    raw: str
    value: int | float | None
    unit: str | None
    state: CellState
    value_wan: int | float | None = None
    money: bool = False
    ocr_confidence: float | None = None  # set only when OCR read the printed text
    ocr_flagged: bool = False  # OCR was not sure enough of this reading
    location: CellLocation | None = field(default=None, compare=False)  # where, not what: cells compare by reading

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"raw": self.raw, "value": self.value, "unit": self.unit, "state": self.state}
        if self.money:
            out["value_wan"] = self.value_wan
        if self.ocr_confidence is not None:
            out.update(source="ocr", confidence=self.ocr_confidence, flagged=self.ocr_flagged)
        if self.location is not None:
            out["location"] = self.location.to_dict()
        return out


@dataclass
class Section:
    number: int
    heading: str
    text: str


@dataclass
class ActiveDisclosureRow:
    item: str  # "第二十条第（一）项", brackets always full-width
    label: str  # printed row label, white space removed
    cells: dict[str, Cell]  # printed column label (white space removed) -> cell


@dataclass
class ActiveDisclosureTable:
    template: Template
    rows: list[ActiveDisclosureRow]


@dataclass
class ApplicationRow:
    label: str
    cells: dict[str, Cell]  # APPLICANT_COLUMNS key -> cell


@dataclass
class ApplicationsTable:
    template: Template
    rows: dict[str, ApplicationRow]  # row key (see README) -> row; insertion order = printed order


@dataclass
class AppealsTable:
    template: Template
    cells: dict[str, Cell]  # "<block>.<outcome>" -> cell


@dataclass
class Finding:
    rule: str
    severity: Severity
    table: str | None
    row: str | None
    column: str | None
    printed: Any
    expected: Any
    message: str  # English
    message_zh: str = ""  # the same in Chinese, for the supervising offices that read these


@dataclass
class Metadata:
    agency: str | None = None
    title: str | None = None
    year: int | None = None
    template: Template = "unknown"
    region: str | None = None
    publish_date: str | None = None  # ISO date from the page's metadata
    signed_date: str | None = None  # ISO date printed under the signature
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    source_url: str | None = None


_METADATA_FIELDS = tuple(f.name for f in fields(Metadata))  # each a str, an int or None


@dataclass
class Report:
    metadata: Metadata
    sections: list[Section] = field(default_factory=list)
    active_disclosure: ActiveDisclosureTable | None = None
    applications: ApplicationsTable | None = None
    appeals: AppealsTable | None = None
    findings: list[Finding] = field(default_factory=list)
    preamble: str = ""
    source_format: str = ""
    parser_version: str = ""
    # table name -> parsers.completeness.TableCompleteness (kept untyped here: it imports this module)
    completeness: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tables: dict[str, Any] = {}
        if self.active_disclosure is not None:
            tables["active_disclosure"] = {
                "template": self.active_disclosure.template,
                "rows": [
                    {"item": r.item, "label": r.label, "cells": {k: c.to_dict() for k, c in r.cells.items()}}
                    for r in self.active_disclosure.rows
                ],
            }
        if self.applications is not None:
            tables["applications"] = {
                "template": self.applications.template,
                "rows": {
                    key: {"label": r.label, "cells": {k: c.to_dict() for k, c in r.cells.items()}}
                    for key, r in self.applications.rows.items()
                },
            }
        if self.appeals is not None:
            tables["appeals"] = {
                "template": self.appeals.template,
                "cells": {k: c.to_dict() for k, c in self.appeals.cells.items()},
            }
        return {
            "metadata": {name: getattr(self.metadata, name) for name in _METADATA_FIELDS},  # asdict deep-copies each value
            "preamble": self.preamble,
            "sections": [{"number": s.number, "heading": s.heading, "text": s.text} for s in self.sections],  # asdict's deep copy costs
            "tables": tables,
            "findings": [asdict(f) for f in self.findings],
            "completeness": {table: status.to_dict() for table, status in self.completeness.items()},
            "source_format": self.source_format,
            "parser_version": self.parser_version,
        }
