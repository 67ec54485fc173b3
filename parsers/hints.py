"""What the crawler knows about a report before parsing it (from the page and the listing)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReportHints:
    """Facts found outside the report body; the parser uses them only where the body is silent.

    ``page_meta`` carries the page's own metadata (``<meta>`` values, the info table) when
    the crawler has it and the body being parsed is an attachment without any.
    """

    agency: str | None = None
    region: str | None = None
    year: int | None = None
    title: str | None = None
    publish_date: str | None = None
    source_url: str | None = None
    page_meta: dict[str, str] = field(default_factory=dict)
