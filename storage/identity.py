"""Which report a capture belongs to: (normalised agency, report year, kind).

The agency's printed name is kept for people; which canonical agency it is, with its
aliases and region, is for ``storage.agencies``. The listing link's title stands in for
the agency the report prints when that one is the listing's with page chrome in front.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from parsers.title import parse_report_title
from storage.agencies import split_regions

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


def _chrome_before(printed: str, listed: str) -> bool:
    """The report's agency is the listing's with page text in front (a date bar, an ad taken
    into the title block) rather than more of its region (淮安市 + 洪泽区人民政府)."""
    printed, listed = normalise_agency(printed), normalise_agency(listed)
    prefix = printed[: -len(listed)] if printed.endswith(listed) and printed != listed else ""
    return bool(prefix) and split_regions(prefix)[1] != ""


def identify(report: dict[str, Any] | None, listing_title: str | None) -> ReportIdentity | None:
    """Agency and year from the parsed report, falling back on the listing link's title."""
    metadata = (report or {}).get("metadata") or {}
    agency, year = metadata.get("agency"), metadata.get("year")
    listed = parse_report_title(listing_title) if listing_title else None
    if listed is not None:
        if agency and listed.agency and _chrome_before(agency, listed.agency):
            agency = listed.agency
        agency, year = agency or listed.agency, year or listed.year
    if not agency or not normalise_agency(agency) or not year:
        return None
    return ReportIdentity(agency=agency.strip(), year=int(year))
