"""Redis key names, in one place so that operators can find (and clean) them."""

from __future__ import annotations

PREFIX = "harvester"


def queue(site: str) -> str:
    return f"{PREFIX}:queue:{site}"


def run(site: str) -> str:
    """The id of the site's current distributed run."""
    return f"{PREFIX}:run:{site}"


def run_stats(run_id: int) -> str:
    return f"{PREFIX}:runstats:{run_id}"


def worker_stats(run_id: int) -> str:
    return f"{PREFIX}:runworkers:{run_id}"


def stats_applied(run_id: int) -> str:
    """Per worker process, the sequence number of the last count it added to the run."""
    return f"{PREFIX}:runapplied:{run_id}"


def run_seeding(run_id: int) -> str:
    """Present while the seeder puts the run's start requests in the queue."""
    return f"{PREFIX}:runseeding:{run_id}"


def run_finished(run_id: int) -> str:
    return f"{PREFIX}:runfinished:{run_id}"


def run_not_due(run_id: int) -> str:
    """Report pages the run's workers found listed and left for a later run (harvester.recheck)."""
    return f"{PREFIX}:runnotdue:{run_id}"


def seen(run_id: int) -> str:
    return f"{PREFIX}:seen:{run_id}"


def host_next(host: str) -> str:
    """When the fleet may next send a request to ``host`` (ms since the epoch)."""
    return f"{PREFIX}:host:{host}:next"


def host_inflight(host: str) -> str:
    return f"{PREFIX}:host:{host}:inflight"
