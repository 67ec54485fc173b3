"""What a failed page capture says of its page: that it is gone (no report there any more).

Kept apart from ``storage.events``, which reads it, so that the spider that writes it loads
no ORM code.
"""

from __future__ import annotations

GONE_STATUSES = (404, 410)
# In a failed capture's error: the portal answered 200 with its "您访问的页面不存在或已被删除"
# page, or sent the request to its home page. Portals say a report was deleted this way far
# more often than with a 404 (``harvester.spiders.error_pages`` writes it).
GONE_PAGE = "the portal says the page is gone"


def is_gone(http_status: int | None, error: str | None) -> bool:
    """Whether a page capture says the page is no more."""
    return http_status in GONE_STATUSES or (error is not None and GONE_PAGE in error)
