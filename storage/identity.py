"""Which report a capture belongs to: (normalised agency, report year, kind).

The agency's printed name is kept for people; its key folds full/half width and white
space so that "淄博市 张店区" and "淄博市张店区" are one agency.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from parsers.title import parse_report_title

DEFAULT_KIND = "annual"


@dataclass(frozen=True)
class ReportIdentity:
    agency: str  # as printed
    year: int
    kind: str = DEFAULT_KIND

    @property
    def agency_key(self) -> str:
        return normalise_agency(self.agency)


def normalise_agency(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def identify(report: dict[str, Any] | None, listing_title: str | None) -> ReportIdentity | None:
    """Agency and year from the parsed report, falling back on the listing link's title."""
    metadata = (report or {}).get("metadata") or {}
    agency, year = metadata.get("agency"), metadata.get("year")
    if (not agency or not year) and listing_title:
        title = parse_report_title(listing_title)
        if title is not None:
            agency, year = agency or title.agency, year or title.year
    if not agency or not normalise_agency(agency) or not year:
        return None
    return ReportIdentity(agency=agency.strip(), year=int(year))
