"""Scrapy settings of the harvester: polite by default.

``harvester.crawl.run_crawl`` builds each site's settings from this module, the site's
politeness overrides and the caller's overrides. ``HARVESTER_POLITE = False`` (benchmarks,
tests) drops delays, AutoThrottle and Crawl-delay; robots.txt is obeyed either way because
that is a rule of the site, not a speed setting.
"""

import os as _os

from scrapy.settings import default_settings as _scrapy

from harvester import USER_AGENT as _USER_AGENT

BOT_NAME = "govreport-harvester"
SPIDER_MODULES = ["harvester.spiders"]
NEWSPIDER_MODULE = "harvester.spiders"

USER_AGENT = _USER_AGENT
ROBOTSTXT_OBEY = True

# Politeness: two requests at a time per host, AutoThrottle aiming at one in flight.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False
# Each response yields at most one item, or requests (handed on without waiting); Scrapy
# starts this many asyncio tasks per response to take them, each costing some 10 us.
CONCURRENT_ITEMS = 1
# Reports are small; scanned PDFs reach tens of MB, nothing bigger is a report.
DOWNLOAD_MAXSIZE = 100 * 1024 * 1024
DOWNLOAD_WARNSIZE = 20 * 1024 * 1024
# Pictures in a report's body that may be tables (harvester.spiders.pictures): at most this
# many per page (0: none fetched), each at most this many bytes.
HARVESTER_TABLE_PICTURES = 20
HARVESTER_TABLE_PICTURE_BYTES = 10 * 1024 * 1024
# A report page or attachment last downloaded whole this many days ago is asked for without
# validators: a server may go on answering 304 to the validators of a file replaced since.
HARVESTER_FULL_FETCH_DAYS = 30

# Retries: 5xx and timeouts, each retry waiting base * 2**n seconds (capped).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
HARVESTER_RETRY_BACKOFF_BASE = 2.0
HARVESTER_RETRY_BACKOFF_MAX = 60.0

# After a challenge page the host's slot delay grows to at least this, doubling per challenge.
HARVESTER_CHALLENGE_BACKOFF = 30.0
HARVESTER_CHALLENGE_BACKOFF_MAX = 600.0

# Worker processes that parse captures beside the downloads (0: parse in a thread).
HARVESTER_PARSE_WORKERS = min(4, _os.cpu_count() or 1)
# Limits of each parse worker (0: none): address space in MB (LibreOffice, which a worker
# starts for DOC/WPS files, runs under it too), CPU seconds per capture, and the wall-clock
# deadline per capture after which the worker is killed and the capture recorded as failed.
HARVESTER_PARSE_MEMORY_MB = 3072
HARVESTER_PARSE_CPU_SECONDS = 120
HARVESTER_PARSE_DEADLINE = 300.0
# Write to the archive from one worker process (False: from a thread of the crawl process).
HARVESTER_RECORD_WORKER = True
# Whether a report page needs its confirmation fetch is asked from a thread of the crawl
# process; folding a report the archive holds with the page's goes to one reader process,
# started when first needed (False: folded in that thread too).
HARVESTER_CONFIRM_WORKER = True

HARVESTER_POLITE = True
# What HARVESTER_POLITE = False changes (applied by harvester.crawl.site_settings).
IMPOLITE_OVERRIDES = {
    "DOWNLOAD_DELAY": 0.0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "HARVESTER_RETRY_BACKOFF_BASE": 0.0,
    "HARVESTER_CHALLENGE_BACKOFF": 0.0,
    "HARVESTER_CRAWL_DELAY_ENABLED": False,
}
HARVESTER_CRAWL_DELAY_ENABLED = True

DOWNLOADER_MIDDLEWARES = {
    # Every request, redirects and dont_filter ones included, stays on the site's hosts; checked
    # before robots.txt so another host is not even asked for its robots.txt.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "harvester.middlewares.scope.ScopeMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "harvester.middlewares.robots.StrictRobotsTxtMiddleware": 100,
    # Scrapy's RetryMiddleware is replaced by the one that waits between attempts.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "harvester.middlewares.backoff_retry.BackoffRetryMiddleware": 550,
    "harvester.middlewares.crawl_delay.CrawlDelayMiddleware": 120,
    "harvester.middlewares.conditional.ConditionalRequestMiddleware": 130,
    # Nearer the downloader than redirects (600) and retries (550), so a challenge (a WZWS
    # 307, a 412/521) is seen first and is neither followed nor retried.
    "harvester.middlewares.challenge.ChallengeMiddleware": 610,
}
# Two of Scrapy's spider middlewares do nothing for this spider yet wrap every response's
# output in one more asynchronous generator: depth (no DEPTH_LIMIT or DEPTH_PRIORITY is set,
# nothing reads the depth) and the meta-copy warning (the spider builds each request's meta).
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
ITEM_PIPELINES = {
    "harvester.pipelines.parse.ParsePipeline": 300,
    "harvester.pipelines.confirm.ConfirmPipeline": 350,
    "harvester.pipelines.record.RecordPipeline": 400,
}
# Components a crawl never runs are left out of Scrapy's base lists rather than set to None:
# Scrapy imports every component a setting names, a disabled one too, and these modules bring
# in aiohttp (the remote control), tldextract and requests (cookies) and twisted.conch (telnet),
# some tenths of a second of every crawl's start. Cookies stay off (COOKIES_ENABLED).
_NEVER_RUN = frozenset({
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
})
EXTENSIONS_BASE = {path: order for path, order in _scrapy.EXTENSIONS_BASE.items() if path not in _NEVER_RUN}
DOWNLOADER_MIDDLEWARES_BASE = {
    path: order for path, order in _scrapy.DOWNLOADER_MIDDLEWARES_BASE.items() if path not in _NEVER_RUN
}

# Pending requests wait on disk in JOBDIR (set per site by harvester.crawl), first in first
# out, so reports are fetched in the order their lists give them (harvester.squeues).
SCHEDULER_DISK_QUEUE = "harvester.squeues.FifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
# Scrapy checks each response's callback for a generator returning a value, reading the
# callback's source and parsing it; it remembers the answer by the bound method, which is made
# anew for every request, so it read and parsed the source for every response. Our spiders'
# callbacks are checked by our tests instead (tests/crawl/test_spider_callbacks.py).
WARN_ON_GENERATOR_RETURN_VALUE = False
LOG_LEVEL = "INFO"
STATS_CLASS = "harvester.crawl.StatsCollector"

# Rendering, for sites whose config says `render` (harvester.crawl applies these to those
# sites' crawlers only, so no other crawl starts a browser): scrapy-playwright driving the
# system's Chromium, launched by path (nothing is downloaded), one page at a time.
HARVESTER_CHROMIUM = _os.environ.get("HARVESTER_CHROMIUM", "/usr/bin/chromium")
HARVESTER_RENDER_SETTINGS = {
    "DOWNLOAD_HANDLERS": {
        "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    },
    "PLAYWRIGHT_BROWSER_TYPE": "chromium",
    "PLAYWRIGHT_LAUNCH_OPTIONS": {
        "executable_path": HARVESTER_CHROMIUM,
        "headless": True,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
    "PLAYWRIGHT_MAX_CONTEXTS": 1,
    "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 1,
    "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
    "PLAYWRIGHT_ABORT_REQUEST": "harvester.spiders.render.abort_request",
}
