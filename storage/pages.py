"""Which versions come from one page of a report.

A report is often published on several pages (the agency's site, the city's column, a PDF
elsewhere); a revision is a page showing other content than it showed before, a copy on
another page is none. A page is its address without the scheme: a site moving to https
keeps its pages.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from storage.models import Version


def same_page(one: str, other: str) -> bool:
    return one.partition("://")[2] == other.partition("://")[2]


def _address(page_url: Any) -> Any:
    return sa.func.replace(sa.func.replace(page_url, "https://", ""), "http://", "")


def shown_before_on_its_page() -> sa.Exists:
    """SQL: the page a version came from showed an earlier version of its report."""
    earlier = aliased(Version)
    return sa.exists().where(earlier.report_id == Version.report_id, earlier.version_no < Version.version_no,
                             _address(earlier.page_url) == _address(Version.page_url))
