"""Downloader middlewares of the harvester, one concern per module (Scrapy style): each is a
small class built by ``from_crawler`` that reads its settings there."""
