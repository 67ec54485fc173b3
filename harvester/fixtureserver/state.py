"""The running server's view of its portals: the root's files plus what mutations changed.

Every answer the server gives is resolved here, so a mutation only has to change this
state: lists and list endpoints are drawn from the items still visible, files are looked
up through renames and revisions, and validators (ETag, Last-Modified) follow the bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import json
import threading
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any

from harvester.fixtureserver.families import FAMILIES
from harvester.fixtureserver.site import ListItem, Portal, PortalRoot, StaticFile

# List dates are days in China; a list page counts as modified at 09:00 Beijing time.
_LIST_HOUR = dt.time(1, 0, tzinfo=dt.timezone.utc)
_NOTHING_LISTED = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc)  # a list with every report withdrawn


@dataclass(frozen=True)
class Resource:
    """One answer ready for the wire, before conditional checks and chrome."""

    body: bytes
    content_type: str
    status: int = 200
    etag: str | None = None
    last_modified: dt.datetime | None = None
    download_name: str | None = None


@dataclass
class Touch:
    """New validators for a URL whose file was revised or re-uploaded."""

    last_modified: dt.datetime
    generation: int


@dataclass
class Mutations:
    published: set[str] = field(default_factory=set)  # staged reports made visible
    taken_down: set[str] = field(default_factory=set)
    revised: set[str] = field(default_factory=set)
    moved: dict[str, str] = field(default_factory=dict)  # current URL -> URL in the root
    touched: dict[str, Touch] = field(default_factory=dict)
    challenges: dict[str, str] = field(default_factory=dict)  # URL -> challenge kind
    listing_changed: dict[str, dt.datetime] = field(default_factory=dict)  # portal -> when
    relaid_out: set[str] = field(default_factory=set)  # portals whose list API renamed its fields


class ServerState:
    def __init__(self, root: PortalRoot) -> None:
        self.root = root
        self.lock = threading.RLock()
        self.mutations = Mutations()
        self._clock = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        self._staged: frozenset[str] | None = None
        self._newest: dict[tuple[str, frozenset[str]], dt.datetime | None] = {}

    def reset(self) -> None:
        with self.lock:
            self.mutations = Mutations()

    def now(self) -> dt.datetime:
        """Whole seconds, strictly later than the previous call: each change gets new validators."""
        with self.lock:
            now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            self._clock = max(now, self._clock + dt.timedelta(seconds=1))
            return self._clock

    def report_visible(self, report_id: str) -> bool:
        report = self.root.reports[report_id]
        if report_id in self.mutations.taken_down:
            return False
        return not report.staged or report_id in self.mutations.published

    def visible_items(self, portal: Portal) -> Sequence[ListItem]:
        hidden = self._hidden()
        if not hidden:  # the common case, and the only cheap one for a portal of 100,000 reports
            return portal.items
        return [i for i in portal.items if i.report is None or i.report not in hidden]

    def _hidden(self) -> frozenset[str]:
        """Reports not listed now: staged and not published, or taken down."""
        if self._staged is None:
            self._staged = self.root.staged()
        return (self._staged - self.mutations.published) | self.mutations.taken_down

    def _newest_listed(self, portal: Portal, items: Sequence[ListItem]) -> dt.datetime | None:
        """The newest list date of a report among ``items``, remembered per portal and listing."""
        key = (portal.key, self._hidden())
        if key not in self._newest:
            dates = [dt.datetime.combine(dt.date.fromisoformat(i.date), _LIST_HOUR) for i in items if i.report is not None]
            self._newest[key] = max(dates, default=None)
        return self._newest[key]

    def current_url(self, url: str) -> str:
        """Where a file of the root is served now (a re-upload may have moved it)."""
        for new, old in self.mutations.moved.items():
            if old == url:
                return new
        return url

    def resolve(self, path: str, url: str, params: dict[str, str]) -> Resource | None:
        """The answer for a request, or None for 404. ``url`` is the path with its query."""
        with self.lock:
            return self._static(url) or self._static(path) or self._dynamic(path, params)

    def _dynamic(self, path: str, params: dict[str, str]) -> Resource | None:
        for portal in self.root.portals.values():
            items = self.visible_items(portal)
            answer = FAMILIES[portal.family].answer(portal, path, params, items)
            if answer is None:
                continue
            if answer.status != 200:
                return Resource(answer.body, answer.content_type, answer.status)
            newest = self._newest_listed(portal, items)
            body = answer.body
            if portal.key in self.mutations.relaid_out and answer.content_type.startswith("application/json"):
                body = relaid_out_json(body)
            changed = self.mutations.listing_changed.get(portal.key)
            last_modified = max([d for d in (newest, changed) if d is not None], default=_NOTHING_LISTED)
            content_type = self.root.content_types.get(path, answer.content_type)
            return Resource(body, content_type, etag=_etag(body), last_modified=last_modified)
        return None

    def _static(self, url: str) -> Resource | None:
        m = self.mutations
        if url in m.moved:
            original = m.moved[url]
        elif url in m.moved.values():
            return None  # the old URL of a file re-uploaded under a new name
        else:
            original = url
        file = self.root.files.get(original)
        if file is None or (file.report is not None and not self.report_visible(file.report)):
            return None
        body = self._bytes(file)
        touch = m.touched.get(url)
        return Resource(
            body,
            file.content_type,
            etag=_etag(body, touch.generation if touch else 0),
            last_modified=touch.last_modified if touch else file.last_modified,
            download_name=file.download_name,
        )

    def _bytes(self, file: StaticFile) -> bytes:
        report = self.root.reports.get(file.report) if file.report else None
        variant = None
        if report is not None and report.revision is not None and file.report in self.mutations.revised:
            variant = report.revision.files.get(file.url)
        body = self.root.read(variant or file.file)
        if report is not None and file.url == report.page and report.attachment is not None:
            moved_to = self.current_url(report.attachment)
            if moved_to != report.attachment:
                # The page links the attachment by its file name (relative href, or a query
                # parameter), so renaming the file renames the link.
                body = body.replace(_file_name(report.attachment).encode(), _file_name(moved_to).encode())
        return body


# A platform upgrade that renames a list API's fields to pinyin initials, as many Chinese
# CMSes name them: the column still answers, but a walker that knows the old names finds
# nothing, which is what site health must notice.
_PINYIN_FIELDS = {"title": "bt", "url": "lj", "date": "fbrq", "items": "sjlb", "pages": "zys", "total": "zs"}


def relaid_out_json(body: bytes) -> bytes:
    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {_PINYIN_FIELDS.get(k, k): rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value

    return json.dumps(rename(json.loads(body)), ensure_ascii=False).encode("utf-8")


def _file_name(url: str) -> str:
    return posixpath.basename(url.split("filename=")[-1])


def _etag(body: bytes, generation: int = 0) -> str:
    digest = hashlib.sha256(body).hexdigest()[:24]
    return f'"{digest}-{generation}"' if generation else f'"{digest}"'
