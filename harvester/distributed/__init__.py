"""Several machines, one archive: the pieces that let crawl workers share work through Redis.

scrapy-redis gives the shared frontier (its Scheduler, driven by our queue); this package
closes the gaps that matter here: requests are *leased*, not popped, so a worker killed
mid-request loses nothing (``queue``, ``leases``); what a run has already asked for is one
Redis set per run that expires with it, updated in the same step that queues (``queue``); politeness holds for the fleet, not per
process (``politeness``); and one crawl run spans every worker that serves it (``runs``).
"""
