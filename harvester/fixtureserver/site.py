"""What a fixture portal root holds, read from its ``server.json``.

``fixtures/portals/build.py`` writes a root: ``server.json`` (this model), ``site/`` (the
files the server answers with) and ``variants/`` (files swapped in by mutations). The
server itself knows nothing about how the files were made.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = 1


@dataclass(frozen=True)
class StaticFile:
    """A file answered for one URL (path, plus query where the portal routes by query)."""

    url: str
    file: str  # relative to the root
    content_type: str
    last_modified: dt.datetime
    report: str | None = None  # the report it belongs to, for publish/take-down
    download_name: str | None = None  # sent as Content-Disposition: attachment


@dataclass(frozen=True)
class ListItem:
    title: str
    url: str  # a path on this server, or an absolute URL to another host
    date: str  # YYYY-MM-DD as the list prints it
    report: str | None = None


@dataclass
class Portal:
    key: str
    family: str
    site_name: str
    column_name: str
    list_path: str
    charset: str  # the portal's encoding, a Python codec name
    meta_charset: str  # how its pages' <meta> names it
    page_content_type: str  # the Content-Type header of its HTML pages
    per_page: int
    offsite_url: str
    items: list[ListItem]
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Revision:
    """A corrected edition of a report: URL -> variant file, and the cells that changed."""

    files: dict[str, str]
    changes: list[dict[str, Any]]


@dataclass(frozen=True)
class ReportFiles:
    portal: str
    page: str
    attachment: str | None
    staged: bool
    revision: Revision | None


@dataclass
class PortalRoot:
    path: Path
    portals: dict[str, Portal]
    files: dict[str, StaticFile]
    reports: dict[str, ReportFiles]
    content_types: dict[str, str]  # URL -> Content-Type for pages whose header is odd

    def read(self, file: str) -> bytes:
        return (self.path / file).read_bytes()

    def staged(self) -> frozenset[str]:
        """Reports listed only after the "publish" mutation."""
        return frozenset(k for k, r in self.reports.items() if r.staged)


def load_root(path: Path) -> PortalRoot:
    manifest = path / "server.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path} is not a fixture portal root: no server.json") from None
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{manifest}: schema {data.get('schema')!r}, this server reads schema {SCHEMA}")
    try:
        return _root(path, data)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{manifest}: not what build.py writes ({exc}); regenerate the root") from None


def _root(path: Path, data: dict[str, Any]) -> PortalRoot:
    portals = {}
    for raw in data["portals"]:
        items = [ListItem(**item) for item in raw.pop("items")]
        portals[raw["key"]] = Portal(items=items, **raw)
    files = {
        url: StaticFile(url=url, **{**entry, "last_modified": dt.datetime.fromisoformat(entry["last_modified"])})
        for url, entry in data["files"].items()
    }
    reports = {}
    for report_id, entry in data["reports"].items():
        revision = entry.pop("revision")
        reports[report_id] = ReportFiles(revision=Revision(**revision) if revision else None, **entry)
    return PortalRoot(path, portals, files, reports, data.get("content_types", {}))


def dump_root(
    portals: list[Portal],
    files: list[StaticFile],
    reports: dict[str, ReportFiles],
    content_types: dict[str, str],
) -> str:
    """The ``server.json`` text for a root, stable for the same input."""
    data = {
        "schema": SCHEMA,
        "portals": [
            {**_fields(p, exclude="items"), "items": [_fields(i) for i in p.items]} for p in portals
        ],
        "files": {
            f.url: {**_fields(f, exclude="url"), "last_modified": f.last_modified.isoformat()}
            for f in sorted(files, key=lambda f: f.url)
        },
        "reports": {
            key: {
                **_fields(r, exclude="revision"),
                "revision": _fields(r.revision) if r.revision else None,
            }
            for key, r in sorted(reports.items())
        },
        "content_types": dict(sorted(content_types.items())),
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _fields(obj: Any, exclude: str = "") -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__ if name != exclude}
