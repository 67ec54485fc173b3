"""``/``: reports by year and region, the latest changes and findings, crawl runs and their health."""

from __future__ import annotations

from starlette.requests import Request

from harvester.web.lookup import archive
from harvester.web.pages import Page
from storage.browse import overview as read_overview


def overview(request: Request) -> Page:
    with archive(request).session() as session:
        data = read_overview(session)
    return Page("overview.html", data.to_dict())
