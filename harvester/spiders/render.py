"""Rendering list pages in headless Chromium, as a fallback for columns whose links exist only
after their scripts run.

A site's ``render`` says when: ``false`` (the default: never, no browser is started),
``auto`` (a list page that yields no report link while it has scripts is asked for once more,
rendered), or ``true`` (every list and report page is rendered, so a body the page's script
fetches is read too; attachments are downloaded as they are). At most ``render_budget`` pages are
rendered per crawl; past that, pages are read as served and the crawl says so in its log.

Rendered requests are ordinary Scrapy requests carrying scrapy-playwright's meta, so they
wait their turn under the site's delays and robots.txt like any other; inside the browser,
requests to other hosts and for images, fonts, media and style sheets are not made.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

RENDER_META = "playwright"  # scrapy-playwright's switch
_SKIPPED_RESOURCES = frozenset({"image", "media", "font", "stylesheet"})


def render_meta() -> dict[str, Any]:
    """Meta that makes scrapy-playwright render a request; the list is read once the page's
    own requests (XHR lists) have settled."""
    return {RENDER_META: True, "playwright_page_goto_kwargs": {"wait_until": "networkidle"}}


def abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: keep the browser to the page's own host and to what
    draws the list (documents, scripts, XHR)."""
    if request.resource_type in _SKIPPED_RESOURCES:
        return True
    if request.is_navigation_request() and request.frame.parent_frame is None:
        return False
    page_host = urlsplit(request.frame.url).hostname
    return page_host is not None and urlsplit(request.url).hostname != page_host


class RenderPolicy:
    """When a list page is rendered, within the crawl's page budget."""

    def __init__(self, mode: str, budget: int):
        self.mode = mode
        self.budget = budget
        self.rendered = 0

    def _spend(self, url: str) -> bool:
        if self.rendered >= self.budget:
            logger.warning("render budget (%d pages) spent: %s is read as served", self.budget, url)
            return False
        self.rendered += 1
        return True

    def page_meta(self, url: str) -> dict[str, Any]:
        """Meta for a list or report page request: rendered when the site always renders."""
        return render_meta() if self.mode == "always" and self._spend(url) else {}

    def retry(self, response: Response, reports: int) -> Request | None:
        """The same list page once more, rendered, when it was served without report
        links but with scripts that may draw them."""
        if self.mode != "auto" or reports or response.meta.get(RENDER_META):
            return None
        if b"<script" not in response.body.lower() or not self._spend(response.url):
            return None
        return response.request.replace(meta={**response.meta, **render_meta()}, dont_filter=True)
