"""Item pipelines: parse each capture (``parse.py``, in the limited worker processes of
``workers.py``), fetch a new report page once more when the archive asks (``confirm.py``,
asked in the archive reader of ``confirm_check.py``), then record it in the archive
(``record.py``, through ``offload.py`` and ``batching.py``); ``archive.py`` opens the one
archive a crawl shares."""
