"""What the scheduler remembers across restarts: the last fire time handled per site.

A small JSON file in the data directory, replaced atomically, so a crash while writing
never leaves a half-written state. Crawl runs themselves (with their statistics) are
recorded in the archive by the crawl process; this file only says which slots were taken.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path


class SchedulerState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._last_fire: dict[str, datetime] = {}
        if path.exists():
            raw = json.loads(path.read_text(encoding="utf-8"))
            self._last_fire = {site: datetime.fromisoformat(value) for site, value in raw.get("last_fire", {}).items()}

    def last_fire(self, site: str) -> datetime | None:
        return self._last_fire.get(site)

    def set_last_fire(self, site: str, moment: datetime) -> None:
        self._last_fire[site] = moment
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"last_fire": {site: moment.isoformat() for site, moment in sorted(self._last_fire.items())}}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".scheduler-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2)
        os.replace(tmp, self.path)
