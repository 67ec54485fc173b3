"""One message for a batch of events: a title line, then each event with what changed."""

from __future__ import annotations

from dataclasses import dataclass

from harvester.control_chars import without_controls
from storage.watch import WatchEvent


@dataclass
class Message:
    title: str
    body: str


def event_link(event: WatchEvent, web_url: str | None) -> str | None:
    """Where the web interface shows the event: the diff of a new version, else the report."""
    if not web_url or event.report_id is None:
        return None
    if event.kind == "new_version" and event.version_no and event.version_no > 1:
        return f"{web_url}/reports/{event.report_id}/diff/{event.version_no - 1}..{event.version_no}"
    return f"{web_url}/reports/{event.report_id}"


def event_lines(event: WatchEvent, web_url: str | None) -> list[str]:
    lines = [f"- {event.summary}"]
    for cell in event.cells:
        label = f"{cell.row_label} · " if cell.row_label else ""
        lines.append(f"    {label}{cell.address}: {cell.old if cell.old is not None else '∅'} → "
                     f"{cell.new if cell.new is not None else '∅'}")
    if event.more_cells:
        lines.append(f"    … {event.more_cells} more cell(s)")
    link = event_link(event, web_url)
    if link:
        lines.append(f"    {link}")
    elif event.url:
        lines.append(f"    {event.url}")
    return lines


def compose(events: list[WatchEvent], title: str, web_url: str | None) -> Message:
    sites = sorted({e.site for e in events if e.site})
    lines = [line for event in events for line in event_lines(event, web_url)]
    # Read in mail clients and chat windows, some of them in terminals.
    return Message(without_controls(title.format(count=len(events), site=", ".join(sites))),
                   without_controls("\n".join(lines)))
