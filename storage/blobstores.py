"""Where raw bytes live: the local directory (default), or an S3-compatible object store that
every worker of a fleet reaches (``s3://bucket/prefix?endpoint_url=…``).

Both are content-addressed the same way (``ab/cdef…`` under the root or prefix) and offer
``put`` (store unless present; the sha256), ``get`` and ``in``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from storage.blobs import BlobStore, sha256_of

ENV_VAR = "HARVESTER_BLOBS_URL"


class Blobs(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, sha256: str) -> bytes: ...

    def __contains__(self, sha256: str) -> bool: ...


class BlobStoreError(RuntimeError):
    """The blob store cannot be used; one line says which and why."""


class S3BlobStore:
    """Objects ``prefix/ab/cdef…`` in one bucket; an object PUT is atomic, so two workers
    storing the same bytes at once both leave the same complete object."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, region: str | None = None):
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def key(self, sha256: str) -> str:
        name = f"{sha256[:2]}/{sha256[2:]}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        if digest not in self:
            self.client.put_object(Bucket=self.bucket, Key=self.key(digest), Body=data)
        return digest

    def get(self, sha256: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"].read()

    def __contains__(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def open_blob_store(url: str | None, data_dir: Path) -> Blobs:
    """The store ``url`` names (else $HARVESTER_BLOBS_URL), by default ``<data_dir>/blobs``."""
    url = url or os.environ.get(ENV_VAR) or ""
    if not url:
        return BlobStore(data_dir / "blobs")
    parts = urlsplit(url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise BlobStoreError(f"blob store {url!r} names no bucket (s3://BUCKET/PREFIX)")
        query = parse_qs(parts.query)
        return S3BlobStore(parts.netloc, parts.path, (query.get("endpoint_url") or [None])[0],
                           (query.get("region") or [None])[0])
    if parts.scheme in ("", "file"):
        return BlobStore(Path(parts.path))
    raise BlobStoreError(f"blob store {url!r}: use a directory path or s3://BUCKET/PREFIX")
