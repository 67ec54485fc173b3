"""Item pipelines: parse each capture (``parse.py``), then record it in the archive
(``record.py``); ``archive.py`` opens the one archive a crawl shares."""
