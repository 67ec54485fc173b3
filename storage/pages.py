"""Which versions come from one page of a report.

A report is often published on several pages (the agency's site, the city's column, a PDF
elsewhere); a revision is a page showing other content than it showed before, a copy on
another page is none. A page is its address without the scheme: a site moving to https
keeps its pages.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from storage.models import Version


def page_address(url: str) -> str:
    """The page a URL names, as ``_address`` says it in SQL."""
    return url.replace("https://", "").replace("http://", "")


def same_page(one: str, other: str) -> bool:
    return page_address(one) == page_address(other)


def _address(page_url: Any) -> Any:
    return sa.func.replace(sa.func.replace(page_url, "https://", ""), "http://", "")


def shown_before_on_its_page() -> sa.Exists:
    """SQL: the page a version came from showed an earlier version of its report."""
    earlier = aliased(Version)
    return sa.exists().where(earlier.report_id == Version.report_id, earlier.version_no < Version.version_no,
                             _address(earlier.page_url) == _address(Version.page_url))


def newest_on_pages(session: Session, pages: set[tuple[int, str]]) -> dict[tuple[int, str], Version]:
    """The newest version of each (report, page URL) from that page, in one query; keyed as asked."""
    if not pages:
        return {}
    wanted = {(report_id, page_address(url)): (report_id, url) for report_id, url in pages}
    address = _address(Version.page_url)
    newest = (sa.select(Version.report_id, address.label("address"), sa.func.max(Version.version_no).label("version_no"))
              .where(sa.tuple_(Version.report_id, address).in_(sorted(wanted)))
              .group_by(Version.report_id, address).subquery())
    rows = session.scalars(sa.select(Version).join(newest, sa.and_(
        Version.report_id == newest.c.report_id, Version.version_no == newest.c.version_no)))
    return {wanted[(version.report_id, page_address(version.page_url))]: version for version in rows}
