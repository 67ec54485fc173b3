"""The Scrapy project and command line of govreport-harvester."""

__version__ = "0.1.0"
HOMEPAGE = "https://github.com/govreport-harvester/govreport-harvester"
USER_AGENT = f"govreport-harvester/{__version__} (+{HOMEPAGE})"
