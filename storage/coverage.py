"""Who has published a year's report, on time, late, or not at all.

The 条例 (art. 49-50) sets two legal deadlines for the report on year Y: a government
department publishes by 31 January of Y+1, a people's government (and the management
committees that stand in for one) by 31 March of Y+1. An agency is *expected* to publish
when the archive holds an earlier year's report of it on the same site, or when the user
lists it (``ExpectedAgency``). A report counts as published on the date the portal printed
for it (the listing date or the page's PubDate); where no date was printed, on the day the
archive first saw it, and the entry says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from parsers.dates import find_date
from storage.agencies import canonical, known_agency
from storage.clock import as_utc
from storage.identity import normalise_agency
from storage.models import Report, Version

AgencyKind = Literal["government", "department"]
Status = Literal["on_time", "late", "missing", "pending"]
DateSource = Literal["printed", "first_seen"]

# How many earlier report years make an agency expected: an agency that stopped existing
# in a merger should drop out of the list instead of being "missing" forever.
LOOKBACK_YEARS = 3

# Bodies that publish their own report as a government (31 March): people's governments of
# every level, and zones (by their committee's name or the zone's own), which stand in for one.
_GOVERNMENT = re.compile(r"(人民政府|管理委员会|管委会|行政公署|街道办事处|开发区|高新区|实验区|新区|示范区)$")


def agency_kind(agency: str) -> AgencyKind:
    return "government" if _GOVERNMENT.search(normalise_agency(agency)) else "department"


def deadline(kind: AgencyKind, report_year: int) -> date:
    return date(report_year + 1, 3, 31) if kind == "government" else date(report_year + 1, 1, 31)


@dataclass(frozen=True)
class ExpectedAgency:
    """An agency the user expects a report from, whatever the archive has seen."""

    agency: str
    site: str | None = None
    region: str | None = None
    kind: AgencyKind | None = None  # None: from the name


@dataclass
class CoverageEntry:
    agency: str
    site: str | None
    region: str | None
    kind: AgencyKind
    year: int
    deadline: date
    status: Status
    published: date | None = None
    date_source: DateSource | None = None
    days_late: int | None = None
    report_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["deadline"] = self.deadline.isoformat()
        out["published"] = self.published.isoformat() if self.published else None
        return out


@dataclass
class Coverage:
    year: int
    as_of: date
    entries: list[CoverageEntry]

    def of_status(self, status: Status) -> list[CoverageEntry]:
        return [entry for entry in self.entries if entry.status == status]

    def counts(self) -> dict[str, int]:
        return {status: len(self.of_status(status)) for status in ("on_time", "late", "missing", "pending")}

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "as_of": self.as_of.isoformat(), "counts": self.counts(),
                "entries": [entry.to_dict() for entry in self.entries]}


@dataclass
class _Seen:
    agency: str
    site: str | None
    region: str | None


def coverage(session: Session, year: int, *, as_of: date, region: str | None = None, site: str | None = None,
             expected: Iterable[ExpectedAgency] = ()) -> Coverage:
    """The publication status of every expected agency's report on ``year``, as of a day."""
    wanted = _expected_from_archive(session, year, site)
    kinds: dict[str, AgencyKind] = {}
    for listed in expected:
        # The archive's key of the agency the listed name stands for (its aliases, its fuller
        # names): reports are filed by it, so "淄博市张店区人民政府" listed is 淄博市张店区's.
        agency = known_agency(session, listed.agency, listed.region)
        key = agency.key if agency is not None else canonical(listed.agency, listed.region).key
        seen = wanted.get(key)
        known_region = "".join(filter(None, (agency.province, agency.city, agency.county))) if agency is not None else None
        wanted[key] = _Seen(listed.agency, listed.site or (seen.site if seen else None),
                            listed.region or (seen.region if seen else None) or known_region or None)
        if listed.kind:
            kinds[key] = listed.kind
    published = _published(session, year, list(wanted))
    entries = []
    for key, seen in wanted.items():
        kind = kinds.get(key) or agency_kind(seen.agency)
        entry = _entry(seen, kind, year, as_of, published.get(key))
        if region and region not in (entry.region or ""):
            continue
        if site and entry.site not in (site, None):
            continue
        entries.append(entry)
    entries.sort(key=lambda e: (e.status != "missing", e.status != "late", e.region or "", e.agency))
    return Coverage(year, as_of, entries)


def _entry(seen: _Seen, kind: AgencyKind, year: int, as_of: date,
           found: tuple[int, date, DateSource] | None) -> CoverageEntry:
    due = deadline(kind, year)
    entry = CoverageEntry(seen.agency, seen.site, seen.region, kind, year, due, "pending")
    if found is None:
        entry.status = "missing" if as_of > due else "pending"
        return entry
    entry.report_id, entry.published, entry.date_source = found
    late_by = (entry.published - due).days
    entry.status = "late" if late_by > 0 else "on_time"
    entry.days_late = late_by if late_by > 0 else None
    return entry


def _expected_from_archive(session: Session, year: int, site: str | None) -> dict[str, _Seen]:
    """Agencies with a report of one of the LOOKBACK_YEARS before ``year``, newest name first."""
    query = (
        sa.select(Report.agency_key, Report.agency, Report.site, Version.region)
        .join(Version, Version.id == Report.latest_version_id, isouter=True)
        .where(Report.year < year, Report.year >= year - LOOKBACK_YEARS)
        .order_by(Report.year.desc())
    )
    if site is not None:
        query = query.where(Report.site == site)
    wanted: dict[str, _Seen] = {}
    for row in session.execute(query):
        wanted.setdefault(row.agency_key, _Seen(row.agency, row.site, row.region))
    return wanted


def _published(session: Session, year: int, keys: list[str]) -> dict[str, tuple[int, date, DateSource]]:
    """For each agency key, its report on ``year`` and the earliest day it was published."""
    if not keys:
        return {}
    rows = session.execute(
        sa.select(Report.id, Report.agency_key, Report.first_seen, Version.listing_date, Version.hints)
        .join(Version, Version.report_id == Report.id)
        .where(Report.year == year, Report.agency_key.in_(keys))
    ).all()
    found: dict[str, tuple[int, date, DateSource]] = {}
    for row in rows:
        printed = _printed_date(row.listing_date, row.hints)
        candidate: tuple[int, date, DateSource] = (
            (row.id, printed, "printed") if printed else (row.id, as_utc(row.first_seen).date(), "first_seen")
        )
        current = found.get(row.agency_key)
        # A printed date beats an observed one; among equals, the earliest publication wins.
        if current is None or _rank(candidate) < _rank(current):
            found[row.agency_key] = candidate
    return found


def _rank(found: tuple[int, date, DateSource]) -> tuple[bool, date]:
    return found[2] != "printed", found[1]


def _printed_date(listing_date: str | None, hints: dict[str, Any] | None) -> date | None:
    for text in (listing_date, (hints or {}).get("publish_date")):
        iso = find_date(text) if text else None
        if iso:
            return date.fromisoformat(iso)
    return None
