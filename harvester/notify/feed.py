"""The Atom feed of the events users are notified of (all, per site, per agency)."""

from __future__ import annotations

import re
from datetime import timezone

from feedgen.feed import FeedGenerator

from harvester.notify.message import event_lines, event_link
from storage.clock import as_utc
from storage.watch import WatchEvent

FEED_ID = "tag:govreport-harvester,2026:events"


# What XML 1.0 cannot hold: an archive recorded before the parser left such characters out
# may have one in an agency's name or a cell, and one of them made every feed an error.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def atom_feed(events: list[WatchEvent], *, title: str, self_url: str | None = None, web_url: str | None = None) -> bytes:
    """An Atom document of ``events`` (newest first, as given)."""
    feed = FeedGenerator()
    feed.id(_xml(f"{FEED_ID}:{self_url}" if self_url else FEED_ID))
    feed.title(_xml(title))
    feed.author({"name": "govreport-harvester"})
    feed.link(href=self_url or web_url or "urn:govreport-harvester", rel="self" if self_url else "alternate")
    feed.language("zh-CN")
    if events:
        feed.updated(as_utc(events[0].at))
    else:
        from storage.clock import utcnow

        feed.updated(utcnow())
    # feedgen prepends entries: add oldest first so the document lists newest first.
    for event in reversed(events):
        entry = feed.add_entry()
        entry.id(_xml(f"{FEED_ID}:{event.key}"))
        entry.title(_xml(event.summary))
        entry.updated(as_utc(event.at).astimezone(timezone.utc))
        entry.category(term=event.kind)
        entry.content(_xml("\n".join(line.strip() for line in event_lines(event, web_url))), type="text")
        link = event_link(event, web_url) or event.url
        if link:
            entry.link(href=_xml(link))
    return feed.atom_str(pretty=True)
