"""The versioned archive: captures, raw bytes, reports, versions, diffs and queries.

Nothing here knows of Scrapy. Parser output comes in as plain data (``parsers.report``).

Where things are decided:

* ``archive.py`` - the API the crawler and the CLI call (``Archive.open``).
* ``capture.py`` - what the crawler hands over (``CaptureInput``).
* ``record.py`` - whether a capture is a new report, a new version, unchanged or failed;
  ``unchanged.py`` - the captures of a batch that change nothing, decided and written at once
  (``bulk.py``, ``oneof.py``: statements of many rows whose text does not grow with them).
* ``fingerprint.py`` / ``identity.py`` - a version's content key; a report's identity.
* ``parse_rows.py`` - a version's parse as rows; ``cellnames.py`` - ``table.row.column`` addresses.
* ``diff.py`` - what changed between two versions; ``crossyear.py`` - rule 6 across years.
* ``history.py`` - finding a report, its versions and captures, diffs between any two versions.
* ``query.py`` / ``export.py`` / ``reparse.py`` - querying, exporting and re-deriving parses.
* ``blobs.py`` - raw bytes by sha256; ``db.py`` - engines, SQLite settings, retrying writes.
* ``models.py`` + ``migrations/`` - the schema (``migrate.py`` runs Alembic from Python).

Raw bytes live as files in a content-addressed store (``<data dir>/blobs/ab/cdef…``, see
``blobs.py``) on both SQLite and PostgreSQL; the database holds one ``blobs`` row per
sha256 that captures and versions point at. Why files and not a blob table: the bytes
never change once written, so they need no transactions - a file is renamed into place
before the database row that refers to it commits, and a crash leaves at most an
unreferenced file, never a row without bytes. Keeping megabytes of PDFs out of the
database keeps the SQLite file small enough to open in sqlite3 or Datasette and keeps
PostgreSQL backups and queries lean, and one store for both backends means one code path
to test. A PostgreSQL deployment with crawlers on several hosts points them all at the
same data directory (``HARVESTER_DATA_DIR``), as it must for crawl state anyway.
"""
