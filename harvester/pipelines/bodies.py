"""An item's bodies left out for another process and read back there (see ``handoff``), and
its reports packed by the parse worker that made them and read where they are needed.

Apart from ``handoff`` because the processes that read them back (parse workers, the
archive's reader and writer) must not import Scrapy.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from harvester.items import ParseOutcome, ReportItem, Resource
from storage.blobs import BlobStore
from storage.json_text import to_json


class PackedReport(bytes):
    """A report as the parse worker that made it encoded it, in the JSON the archive stores
    (``storage.json_text``), with its metadata beside it. The crawl process reads nothing of a
    report but its metadata (whether a new report needs its confirmation fetch:
    ``with_report_heads``) and hands it on to the archive's writer: unpickling it from the
    worker and pickling it again cost it some 0.3 ms per parse. JSON rather than a pickle: the
    worker has it already, from telling the report clean (``storable.storable_json``), where a
    pickle cost it 0.14 ms more. The writer reads it only to write a new version
    (``storage.capture.whole_report``)."""

    metadata: dict[str, Any]

    @classmethod
    def pack(cls, report: dict[str, Any], encoded: bytes | None = None) -> "PackedReport":
        """``report`` packed; ``encoded``: its JSON, when made already."""
        packed = cls(to_json(report).encode() if encoded is None else encoded)
        packed.metadata = report.get("metadata") or {}
        return packed


def _head(outcome: ParseOutcome | None) -> ParseOutcome | None:
    """The outcome with its packed report as the archive takes it: its metadata, the packed
    JSON beside it, read only where a new version is written (``storage.capture.whole_report``)."""
    if outcome is not None and isinstance(outcome.report, PackedReport):
        return replace(outcome, report={"metadata": outcome.report.metadata}, report_json=outcome.report)
    return outcome


def with_reports(item: ReportItem) -> ReportItem:
    """``item`` with the reports of its parse and confirmation as the archive takes them (see ``PackedReport``)."""
    parse, confirmation = item.parse, item.confirmation
    item.parse = _head(parse)
    if confirmation is not None and parse is not None and confirmation.report is parse.report:
        # The confirmation took the first fetch's parse (same bytes): one report, read once if at all.
        assert item.parse is not None
        item.confirmation = replace(confirmation, report=item.parse.report, report_json=item.parse.report_json)
    else:
        item.confirmation = _head(confirmation)
    return item


def with_report_heads(item: ReportItem) -> ReportItem:
    """``item`` (a copy) whose packed reports stand as their metadata: enough to tell which
    report it is (``storage.record.confirmations_known``), without reading the rest."""
    return with_reports(replace(item))


def resources(item: ReportItem) -> list[Resource]:
    return [item.page, *item.attachments]


def without_bodies(item: ReportItem) -> ReportItem:
    """``item`` for another process: each body that is in the store (``item.stored``) left out."""
    def light(position: int, resource: Resource) -> Resource:
        return replace(resource, body=None) if position in item.stored else resource

    page, *attachments = [light(n, r) for n, r in enumerate(resources(item))]
    return replace(item, page=page, attachments=attachments)


def with_bodies(item: ReportItem, store: BlobStore, *, archived: bool = False) -> ReportItem:
    """``item`` with the bodies ``without_bodies`` left out read back from ``store``, and its
    reports as the archive takes them (``with_reports``). Where ``store`` is the archive's own
    blob store (``archived``), a body is named there instead (``Resource.in_store``): the
    archive writer would only read a page of some 300 KB to hash it again and find it stored."""
    for position, resource in enumerate(resources(item)):
        if position in item.stored and resource.body is None:
            sha256 = item.stored[position]
            if archived:
                resource.in_store = (sha256, store.size(sha256))
            else:
                resource.body = store.get(sha256)
    return with_reports(item)


def read_bodies(names: dict[str, str], store: BlobStore) -> dict[str, bytes]:
    """URL -> bytes for URL -> sha256 names."""
    return {url: store.get(sha256) for url, sha256 in names.items()}
