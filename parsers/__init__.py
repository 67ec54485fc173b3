"""Bytes in, report out: extraction to a document model, then sections, tables and findings.

Nothing here knows of Scrapy or of the database.
"""

from parsers.version import parser_version

PARSER_VERSION = parser_version()
