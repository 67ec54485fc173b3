"""Bytes in, report out: extraction to a document model, then sections, tables and findings.

Nothing here knows of Scrapy or of the database.
"""

PARSER_VERSION = "0.1.0"
