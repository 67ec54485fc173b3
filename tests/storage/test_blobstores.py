"""Raw bytes in an S3-compatible store every worker reaches (moto's S3 API on 127.0.0.1)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from storage.archive import Archive
from storage.blobs import BlobStore, sha256_of
from storage.blobstores import BlobStoreError, S3BlobStore, open_blob_store
from tests.storage.conftest import SEED_ZIBO, capture_of


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_url(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    import boto3

    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    bucket = f"blobs-{abs(hash(request.node.nodeid)) % 10**8}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=bucket)
    return f"s3://{bucket}/archive?endpoint_url={s3_endpoint}"


def test_bytes_are_content_addressed_and_stored_once(s3_url: str, tmp_path: Path) -> None:
    store = open_blob_store(s3_url, tmp_path)
    assert isinstance(store, S3BlobStore)
    digest = store.put(b"report bytes")
    assert digest == sha256_of(b"report bytes") and digest in store and store.get(digest) == b"report bytes"
    assert store.key(digest) == f"archive/{digest[:2]}/{digest[2:]}"
    assert store.put(b"report bytes") == digest
    assert sha256_of(b"other") not in store


def test_an_archive_records_into_s3(s3_url: str, db_url: str, data_dir: Path, seed: Callable[[str], bytes]) -> None:
    with Archive.open(db_url, data_dir, blobs_url=s3_url) as archive:
        result = archive.record(capture_of(seed(SEED_ZIBO)))
        assert result.outcome == "new_report"
        assert archive.latest_body("http://gov.test/art/1.html") == seed(SEED_ZIBO)
    assert not (data_dir / "blobs").exists()  # nothing went to the local directory


def test_the_default_is_the_data_directory_and_bad_urls_are_one_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("HARVESTER_BLOBS_URL", raising=False)
    assert isinstance(open_blob_store(None, tmp_path), BlobStore)
    with pytest.raises(BlobStoreError, match="use a directory path or s3://"):
        open_blob_store("ftp://host/blobs", tmp_path)
    with pytest.raises(BlobStoreError, match="names no bucket"):
        open_blob_store("s3:///prefix", tmp_path)
