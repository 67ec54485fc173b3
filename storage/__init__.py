"""The versioned archive: captures, raw bytes, reports, versions, diffs and queries.

Nothing here knows of Scrapy. Parser output comes in as plain data (``parsers.report``).
"""
