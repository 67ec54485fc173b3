"""``/feed.atom``: the Atom feed of report events (``?site=`` / ``?agency=`` narrow it), the
same events notifications announce, linked to this interface."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response

from harvester.notify.feed import atom_feed
from harvester.web.lookup import archive
from storage.watch import recent_events


def feed(request: Request) -> Response:
    site = request.query_params.get("site") or None
    agency = request.query_params.get("agency") or None
    with archive(request).session() as session:
        events = recent_events(session, today=date.today(), site=site, agency=agency)
    base = str(request.base_url).rstrip("/")
    title = "政府信息公开年报动态 / report events" + "".join(f" · {x}" for x in (site, agency) if x)
    return Response(atom_feed(events, title=title, self_url=str(request.url), web_url=base),
                    media_type="application/atom+xml; charset=utf-8")
