"""The item the spider yields: one capture of a report (its page and attachments).

It is :class:`storage.capture.CaptureInput` itself, so what the spider collects is exactly
what the archive records: the parse pipeline fills ``parse`` and the record pipeline
``run_id``. Bodies are None for 304 answers and failed fetches.
"""

from storage.capture import CaptureInput, ParseOutcome, Resource

ReportItem = CaptureInput

__all__ = ["ReportItem", "ParseOutcome", "Resource"]
