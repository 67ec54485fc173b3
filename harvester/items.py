"""The item the spider yields: one capture of a report (its page and attachments).

It is :class:`storage.capture.CaptureInput`, so what the spider collects is exactly what the
archive records: the parse pipeline fills ``parse`` and the record pipeline ``run_id``.
Bodies are None for 304 answers and failed fetches.

``stored`` names the bodies the parse pipeline has put in the hand-off store (position in
page-then-attachments -> sha256), so worker processes get them by reference (see
``harvester.pipelines.handoff``); the archive never sees it.
"""

from dataclasses import dataclass, field

from storage.capture import CaptureInput, ParseOutcome, Resource


@dataclass
class ReportItem(CaptureInput):
    stored: dict[int, str] = field(default_factory=dict)


__all__ = ["ReportItem", "ParseOutcome", "Resource"]
