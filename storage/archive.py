"""The archive's front door: what the crawler, the scheduler and the CLI call.

``Archive.open(db_url, data_dir)`` opens (and on first use creates) the database and the
blob store; the methods below are thin, the work is done in the modules they name.
``storage.record`` (both SQL dialects and the recording code behind it, an eighth of a second)
is imported by the methods that record or ask about recording: a crawl process whose
writer records for it, re-crawling pages that answer 304, never needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storage.blobs import BlobStore
from storage.blobstores import Blobs, open_blob_store
from storage.capture import CaptureInput, RecordResult
from storage.clock import utcnow
from storage.db import check_reachable, create_engine, retrying, writer
from storage.models import Capture, Run
from storage.events import mark_withdrawals

T = TypeVar("T")

RUN_KINDS = ("crawl", "scheduled")


@dataclass
class RunInfo:
    id: int
    site: str
    kind: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    stats: dict[str, Any]


class Archive:
    def __init__(self, engine: Engine, data_dir: Path, blobs: Blobs | None = None) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.blobs = blobs if blobs is not None else BlobStore(data_dir / "blobs")
        self._sampled: dict[str, set[str]] = {}  # per site, the new pages this archive asked to fetch twice

    @classmethod
    def open(cls, db_url: str, data_dir: Path | str, *, migrate: bool = True, blobs_url: str | None = None) -> Archive:
        """Open the archive; a fresh database is migrated to the newest schema first. Raw bytes
        go to ``blobs_url`` (else $HARVESTER_BLOBS_URL, else ``<data_dir>/blobs``).

        Raises ``storage.db.DatabaseUnavailable`` (one line) when the database cannot be reached.
        """
        engine = create_engine(db_url)
        check_reachable(engine)
        if migrate:
            # Imported here: Alembic is a fifth of what the archive's worker processes, which
            # open it without migrating, would load at start-up.
            from storage.migrate import ensure_current

            ensure_current(engine)
        return cls(engine, Path(data_dir), open_blob_store(blobs_url, Path(data_dir)))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self) -> Session:
        """A session for reading (or for library code that manages its own transaction)."""
        return Session(self.engine, expire_on_commit=False)

    # -- crawl -> store ------------------------------------------------------------------

    def record(self, capture: CaptureInput) -> RecordResult:
        """Store one capture; returns new_report | new_version | unchanged | failed."""
        from storage.record import record_capture

        return record_capture(self.engine, self.blobs, capture)

    def record_many(self, captures: list[CaptureInput]) -> list[RecordResult]:
        """Record captures in order, in one transaction where possible (see ``record_captures``)."""
        from storage.record import record_captures

        return record_captures(self.engine, self.blobs, captures)

    def _read(self, query: Callable[[Session], T]) -> T:
        """A read a crawl needs in order to go on: through a restart of the database it waits
        and asks again, as writes do (``retrying``), rather than failing the item."""

        def attempt() -> T:
            with self.session() as session:
                return query(session)

        return retrying(attempt)

    def confirmation_needed(self, capture: CaptureInput) -> bool:
        """Whether to fetch the capture's page once more and attach its parse as ``confirmation``."""
        [needed] = self.confirmations_needed([capture])
        return needed

    def confirmations_needed(self, captures: Sequence[CaptureInput]) -> list[bool]:
        """``confirmation_needed`` of each capture, asked in one session: a crawl asks about
        every report page it parses, and a session (and its retry guard) per question cost
        as much as the question."""
        from storage.record import confirmation_needed

        return self._read(lambda session: [confirmation_needed(session, c, self._sampled) for c in captures])

    def confirmations_known(self, captures: Sequence[CaptureInput]) -> list[bool | None]:
        """``confirmation_needed`` of each capture where the report's metadata tells it; None
        where only folding the capture's report with the archive's (``confirmations_needed``) can."""
        from storage.record import confirmations_known

        return self._read(lambda session: confirmations_known(session, captures, self._sampled))

    def mark_withdrawals(self, run_id: int, listed: Collection[str] = ()) -> list[int]:
        """After a crawl that read every list page of its site: the reports it found gone (ids).
        ``listed``: report pages the crawl found listed but did not ask for."""

        def mark() -> list[int]:
            with Session(writer(self.engine)) as session, session.begin():
                return mark_withdrawals(session, run_id, listed)

        return retrying(mark)

    def _latest_capture(self, url: str, *columns: Any) -> Any:
        return self._read(lambda session: session.execute(
            sa.select(*columns)
            .where(Capture.url == url, Capture.sha256.is_not(None), Capture.status.in_(("ok", "not_modified")))
            .order_by(Capture.fetched_at.desc(), Capture.id.desc())
            .limit(1)
        ).first())

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        """ETag and Last-Modified of the newest stored fetch of ``url`` (for a conditional request)."""
        row = self._read(lambda session: session.execute(
            sa.select(Capture.etag, Capture.last_modified)
            .where(Capture.url == url, Capture.sha256.is_not(None), Capture.status == "ok")
            .where(sa.or_(Capture.etag.is_not(None), Capture.last_modified.is_not(None)))
            .order_by(Capture.fetched_at.desc(), Capture.id.desc())
            .limit(1)
        ).first())
        return (row.etag, row.last_modified) if row else None

    def recorded_as_version(self, url: str, page_sha: str, attachment_shas: list[str | None]) -> bool:
        """Whether a capture of the page at ``url`` with these bytes (see ``version_by_bytes``)
        is a version the archive holds: recording it needs no parse."""
        from storage.record import version_by_bytes

        return self._read(lambda session: version_by_bytes(session, url, page_sha, attachment_shas) is not None)

    def latest_sha256(self, url: str) -> str | None:
        """The sha256 of the newest bytes stored for ``url`` (the blob ``latest_body`` reads), or None."""
        row = self._latest_capture(url, Capture.sha256)
        return row.sha256 if row else None

    def latest_body(self, url: str) -> bytes | None:
        """The newest bytes stored for ``url``, or None."""
        sha = self.latest_sha256(url)
        return self.blobs.get(sha) if sha else None

    def known_attachments(self, page_url: str) -> list[str]:
        """Attachment URLs of the newest successful capture of a page, in the order listed."""

        def query(session: Session) -> list[str]:
            page_id = session.scalars(
                sa.select(Capture.id)
                .where(Capture.url == page_url, Capture.role == "page", Capture.outcome != "failed")
                .order_by(Capture.fetched_at.desc(), Capture.id.desc())
                .limit(1)
            ).first()
            if page_id is None:
                return []
            return list(session.scalars(
                sa.select(Capture.url).where(Capture.page_capture_id == page_id).order_by(Capture.id)
            ))

        return self._read(query)

    # -- crawl runs ------------------------------------------------------------------------

    def start_run(self, site: str, kind: str = "crawl") -> int:
        """A new run of ``site``. The caller holds the site's crawl lock, so an earlier run of
        the site still "running" belongs to a crawl that died (``kill -9``, power loss): it
        is closed as ``interrupted``, finished at its last capture."""
        if kind not in RUN_KINDS:
            raise ValueError(f"run kind must be one of {', '.join(RUN_KINDS)}, not {kind!r}")

        def insert() -> int:
            with Session(writer(self.engine)) as session, session.begin():
                for dead in session.scalars(sa.select(Run).where(Run.site == site, Run.status == "running")):
                    last = session.scalar(sa.select(sa.func.max(Capture.fetched_at)).where(Capture.run_id == dead.id))
                    dead.status, dead.finished_at = "interrupted", last or dead.started_at
                run = Run(site=site, kind=kind, started_at=utcnow(), status="running", stats={})
                session.add(run)
                session.flush()
                return run.id

        return retrying(insert)

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        def update() -> None:
            with Session(writer(self.engine)) as session, session.begin():
                run = session.get(Run, run_id)
                if run is None:
                    raise KeyError(f"no crawl run {run_id}")
                run.finished_at, run.status, run.stats = utcnow(), status, dict(stats)

        retrying(update)

    def runs(self, site: str | None = None, limit: int = 20) -> list[RunInfo]:
        """The newest crawl runs first."""
        query = sa.select(Run).order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)
        if site is not None:
            query = query.where(Run.site == site)
        with self.session() as session:
            return [
                RunInfo(r.id, r.site, r.kind, r.started_at, r.finished_at, r.status, r.stats)
                for r in session.scalars(query)
            ]
