"""How much one machine crawls at once, the defaults of ``harvester crawl --sites-at-once``
and ``harvester schedule --max-crawls / --sites-per-crawl``.

A crawl process's sites share its parse workers and archive writer, so running more sites
in one process costs each some 4 MB of the process (its crawler: engine, queues, archive
connection), and every further crawl process costs four processes (the crawl, two parse
workers, the writer) and, on SQLite, one more writer waiting for the file.
"""

SITES_AT_ONCE = 20  # sites one crawl process crawls at a time; the others start as those end
MAX_CRAWLS = 2  # crawl processes the scheduler runs at once
