"""Errors the parser raises. Anything else escaping the parser is a bug."""


class ParseError(Exception):
    """The input could not be read as a report; the message says why, in one line."""


class ExtractionError(ParseError):
    """The bytes could not be turned into a document (corrupt, empty, wrong format)."""


class ConverterMissing(ExtractionError):
    """A format needs an external converter (LibreOffice for DOC/WPS) that is not installed."""


class LimitExceeded(ExtractionError):
    """The input asks for more than a limit in :mod:`parsers.limits` allows; the message names the limit."""
