"""Item pipelines: parse each capture (``parse.py``, in the limited worker processes of
``workers.py``), then record it in the archive (``record.py``, through ``offload.py`` and
``batching.py``); ``archive.py`` opens the one archive a crawl shares."""
