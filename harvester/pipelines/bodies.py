"""An item's bodies left out for another process and read back there (see ``handoff``).

Apart from ``handoff`` because the processes that read them back (parse workers) must not
import Scrapy.
"""

from __future__ import annotations

from dataclasses import replace

from harvester.items import ReportItem, Resource
from storage.blobs import BlobStore


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


def with_page_body(item: ReportItem, store: BlobStore) -> ReportItem:
    """``item`` with only its page's body read back from ``store``: what a question about the
    page needs, without reading every attachment."""
    if 0 in item.stored and item.page.body is None:
        item.page.body = store.get(item.stored[0])
    return item


def read_bodies(names: dict[str, str], store: BlobStore) -> dict[str, bytes]:
    """URL -> bytes for URL -> sha256 names."""
    return {url: store.get(sha256) for url, sha256 in names.items()}
