"""Crawling each site on its own schedule: cron triggers, persisted state, per-site locks
and the loop that ties them together (see ``harvester schedule``)."""
