"""Delivering events after crawls: each rule's new events in one message to each of its
Apprise URLs, retried, recorded in the ledger, never fatal to the crawl."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tenacity import retry, stop_after_attempt, wait_exponential

from harvester.notify.config import NotifyConfig, NotifyConfigError, Rule, load_notify_config
from harvester.notify.message import Message, compose
from storage.archive import Archive
from storage.notifications import delivered, mark, owed
from storage.watch import CellLine, WatchEvent, run_events

log = logging.getLogger(__name__)

ATTEMPTS = 3


class DeliveryFailed(RuntimeError):
    pass


@dataclass
class DispatchResult:
    sent: int = 0  # events delivered, counted once per destination
    failed: list[str] = field(default_factory=list)  # one line per destination that did not take its message


def send(url: str, message: Message) -> None:
    """Send one message to one Apprise URL; DeliveryFailed says why it did not go."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        raise DeliveryFailed(f"not an Apprise URL Apprise can use: {redact(url)}")
    if not sender.notify(title=message.title, body=message.body, body_format=apprise.NotifyFormat.TEXT):
        raise DeliveryFailed(f"{redact(url)} did not accept the message")


def redact(url: str) -> str:
    """The URL as logs may show it: scheme and host, never the credentials or the token that
    bot URLs (dingtalk://TOKEN/, wecombot://KEY) carry where a host would be."""
    scheme, _, rest = url.partition("://")
    if not rest:
        return "***"
    first = rest.split("/")[0].rsplit("@", 1)[-1]
    host = first if ("." in first or ":" in first or first == "localhost") else "***"
    return f"{scheme}://{host}/…"


def _send_with_retries(url: str, message: Message, wait_seconds: float) -> None:
    retrying = retry(stop=stop_after_attempt(ATTEMPTS), wait=wait_exponential(multiplier=wait_seconds, max=30),
                     reraise=True)
    retrying(send)(url, message)


def target(rule: Rule, url: str) -> str:
    """The ledger's name for one URL of one rule: each destination is owed its own events."""
    return f"{rule.name}/{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def dispatch(archive: Archive, run_ids: Iterable[int], config: NotifyConfig, *, today: date | None = None,
             wait_seconds: float = 1.0, sender: Callable[[str, Message, float], None] = _send_with_retries) -> DispatchResult:
    """Tell each rule's URLs what the runs found that they have not been told yet."""
    with archive.session() as session:
        events = run_events(session, run_ids, today=today or date.today())
        plan = []
        for rule in config.rules:
            wanted = [e for e in events if rule.matches(e)]
            for url in rule.urls:
                name = target(rule, url)
                done = delivered(session, name, (e.key for e in wanted))
                pending = {e["key"]: e for e in owed(session, name)}
                pending.update({e.key: e.to_dict() for e in wanted if e.key not in done})
                if pending:
                    plan.append((rule, url, list(pending.values())))
    result = DispatchResult()
    for rule, url, pending in plan:
        message = compose([event_from_dict(e) for e in pending], rule.title, config.web_url)
        try:
            sender(url, message, wait_seconds)
        except (DeliveryFailed, OSError) as exc:
            log.warning("notification rule %s: delivery to %s failed after %d attempts: %s", rule.name, redact(url),
                        ATTEMPTS, exc)
            mark(archive.engine, target(rule, url), pending, ok=False, error=str(exc))
            result.failed.append(f"{rule.name} -> {redact(url)}: {exc}")
        else:
            mark(archive.engine, target(rule, url), pending, ok=True)
            result.sent += len(pending)
    return result


def event_from_dict(data: dict[str, Any]) -> WatchEvent:
    fields = dict(data)
    fields["at"] = datetime.fromisoformat(fields["at"])
    fields["cells"] = [CellLine(**cell) for cell in fields.get("cells", [])]
    return WatchEvent(**fields)


def notify_after_crawl(db_url: str, data_dir: Path, run_ids: list[int]) -> DispatchResult | None:
    """What ``run_crawl`` calls when its crawls end: nothing unless $HARVESTER_NOTIFY names
    rules; a broken rules file or an undeliverable message is logged, never raised."""
    try:
        config = load_notify_config()
    except NotifyConfigError as exc:
        log.error("notifications not sent: %s", exc)
        return None
    if config is None or not run_ids:
        return None
    with Archive.open(db_url, data_dir, migrate=False) as archive:
        result = dispatch(archive, run_ids, config)
    for line in result.failed:
        log.error("notification not delivered: %s", line)
    return result
