"""Bodies between processes by reference: the crawl process writes each fetched body once to
a content-addressed blob store and sends worker processes the item without its bodies and
with their sha256 names; a parse worker or the record worker reads the bytes itself.

Pickling the bodies instead cost the crawl process twice per capture (once to the parse
worker, once to the record worker), and the crawl process is the one that also runs the
downloads. The store is the archive's own when it is a local directory, so the record
worker finds each body already in place and writes nothing again; with an object store
(a fleet's S3), a private directory under the data directory serves, removed with the crawl.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from harvester.items import ReportItem, Resource
from harvester.pipelines.archive import archive_for
from storage.blobs import BlobStore

_ATTRIBUTE = "_harvester_handoff_store"


def handoff_store(crawler: Crawler) -> BlobStore:
    """The crawler's store for bodies on their way to worker processes."""
    store = getattr(crawler, _ATTRIBUTE, None)
    if store is None:
        archive = archive_for(crawler)
        if isinstance(archive.blobs, BlobStore):
            store = archive.blobs
        else:
            private = Path(tempfile.mkdtemp(prefix="handoff-", dir=archive.data_dir))
            store = BlobStore(private)

            def remove() -> None:
                shutil.rmtree(private, ignore_errors=True)

            crawler.signals.connect(remove, signal=signals.engine_stopped, weak=False)
        setattr(crawler, _ATTRIBUTE, store)
    return store


def resources(item: ReportItem) -> list[Resource]:
    return [item.page, *item.attachments]


def without_bodies(item: ReportItem) -> ReportItem:
    """``item`` for another process: each body that is in the store (``item.stored``) left out."""
    def light(position: int, resource: Resource) -> Resource:
        return replace(resource, body=None) if position in item.stored else resource

    page, *attachments = [light(n, r) for n, r in enumerate(resources(item))]
    return replace(item, page=page, attachments=attachments)


def with_bodies(item: ReportItem, store: BlobStore) -> ReportItem:
    """``item`` with the bodies ``without_bodies`` left out read back from ``store``."""
    for position, resource in enumerate(resources(item)):
        if position in item.stored and resource.body is None:
            resource.body = store.get(item.stored[position])
    return item


def read_bodies(names: dict[str, str], store: BlobStore) -> dict[str, bytes]:
    """URL -> bytes for URL -> sha256 names."""
    return {url: store.get(sha256) for url, sha256 in names.items()}
