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
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

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
