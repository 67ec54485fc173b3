"""Notification rules, read from ``notify.yaml`` (path in $HARVESTER_NOTIFY).

::

    web_url: http://127.0.0.1:8000        # optional: messages link to the web interface
    rules:
      - name: zibo-revisions               # names the rule in the ledger: keep it stable
        events: [new_version, withdrawn]   # default: every kind
        sites: [zibo-gxj]                  # optional filters: any of these
        regions: [淄博]                    #   (text contained in the report's region)
        agencies: [工业和信息化局]          #   (text contained in the agency name)
        significance: [numbers]            # new versions only of this grade
        urls: ["json://127.0.0.1:9000/hook", "dingtalk://TOKEN/"]
        title: "{count} 条年报动态 / {count} report event(s)"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harvester.notify import ENV_VAR
from harvester.userfiles import UserFileError, read_yaml, user_file
from storage.watch import EVENT_KINDS, WatchEvent

DEFAULT_TITLE = "政府信息公开年报：{count} 条动态 / {count} report event(s)"
_SIGNIFICANCE = ("numbers", "text", "formatting")
_RULE_NAME = re.compile(r"^[\w.-]{1,200}$")


class NotifyConfigError(UserFileError):
    """notify.yaml cannot be used; one line says where and why."""


@dataclass(frozen=True)
class Rule:
    name: str
    urls: tuple[str, ...]
    events: tuple[str, ...] = EVENT_KINDS
    sites: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    significance: tuple[str, ...] = ()
    title: str = DEFAULT_TITLE

    def matches(self, event: WatchEvent) -> bool:
        if event.kind not in self.events:
            return False
        if self.sites and event.site not in self.sites:
            return False
        if self.regions and not any(r in (event.region or "") for r in self.regions):
            return False
        if self.agencies and not any(a in (event.agency or "") for a in self.agencies):
            return False
        return not (self.significance and event.kind == "new_version" and event.significance not in self.significance)


@dataclass(frozen=True)
class NotifyConfig:
    rules: tuple[Rule, ...] = ()
    web_url: str | None = None
    path: Path | None = field(default=None, compare=False)


def load_notify_config(path: Path | None = None) -> NotifyConfig | None:
    """The rules in ``path`` (else $HARVESTER_NOTIFY); None when notifications are not set up."""
    path = user_file(path, ENV_VAR)
    if path is None:
        return None
    data = read_yaml(path, "notification rules", NotifyConfigError)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise NotifyConfigError(f"{path}: expected a mapping with a list of rules under 'rules'")
    unknown = set(data) - {"rules", "web_url"}
    if unknown:
        raise NotifyConfigError(f"{path}: unknown keys: {', '.join(sorted(unknown))}")
    web_url = data.get("web_url")
    if web_url is not None and not isinstance(web_url, str):
        raise NotifyConfigError(f"{path}: web_url must be text")
    rules = tuple(_rule(path, number, item) for number, item in enumerate(data["rules"], 1))
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        raise NotifyConfigError(f"{path}: rule names must be unique")
    return NotifyConfig(rules, web_url.rstrip("/") if web_url else None, path)


def _rule(path: Path, number: int, item: Any) -> Rule:
    where = f"{path}: rule {number}"
    if not isinstance(item, dict):
        raise NotifyConfigError(f"{where}: expected a mapping")
    unknown = set(item) - {"name", "urls", "events", "sites", "regions", "agencies", "significance", "title"}
    if unknown:
        raise NotifyConfigError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
    name = item.get("name")
    if not isinstance(name, str) or not _RULE_NAME.match(name):
        raise NotifyConfigError(f"{where}: needs a name (letters, digits, . _ -)")
    lists = {key: _texts(where, key, item.get(key)) for key in ("urls", "events", "sites", "regions", "agencies", "significance")}
    if not lists["urls"]:
        raise NotifyConfigError(f"{where} ({name}): needs at least one Apprise URL under 'urls'")
    bad = [e for e in lists["events"] if e not in EVENT_KINDS]
    if bad:
        raise NotifyConfigError(f"{where} ({name}): unknown event(s) {', '.join(bad)}; known: {', '.join(EVENT_KINDS)}")
    bad = [s for s in lists["significance"] if s not in _SIGNIFICANCE]
    if bad:
        raise NotifyConfigError(f"{where} ({name}): significance is numbers, text or formatting, not {', '.join(bad)}")
    title = item.get("title", DEFAULT_TITLE)
    if not isinstance(title, str):
        raise NotifyConfigError(f"{where} ({name}): title must be text")
    try:
        title.format(count=0, site="")
    except (KeyError, IndexError, ValueError) as exc:
        raise NotifyConfigError(f"{where} ({name}): title may use {{count}} and {{site}} only ({exc})") from None
    return Rule(name, lists["urls"], lists["events"] or EVENT_KINDS, lists["sites"], lists["regions"], lists["agencies"],
                lists["significance"], title)


def _texts(where: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise NotifyConfigError(f"{where}: {key} must be a list of texts")
    return tuple(v.strip() for v in value)
