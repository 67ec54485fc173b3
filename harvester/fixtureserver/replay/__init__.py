"""Replay portals: real report pages served inside CMS layouts that are not among the fixture
families, with chrome that changes on every request and no validators (no ETag, no
Last-Modified), for testing change detection on portals we have never seen."""
