"""A version's fixed key (``versions.fixed_key``, revision 0010): the hash of its content but its
paragraphs, by which recording tells a new version without reading a stored parse, on SQLite
and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from storage.archive import Archive
from storage.fingerprint import ReportContent, content_key, fixed_key, report_content
from storage.models import Version
from storage.reparse import reparse
from tests.storage.conftest import SEED_ZIBO, capture_of, check_revision_adds_nullable_column

REVISED = ("\t行政许可\n\t0\n\t50\n", "\t行政许可\n\t0\n\t51\n")
PAGE_TEXT = ReportContent(metadata=(("year", "2020"),), cells=(("a.b.c", "4"),),
                          paragraphs=((0, "前言"), (1, "一、总体情况")), attachments=("ab" * 32,), page_text=True)


def stored_keys(archive: Archive) -> list[tuple[int, str | None, str]]:
    with archive.session() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            sa.select(Version.version_no, Version.fixed_key, Version.content_key).order_by(Version.version_no))]


def own_fixed_key(archive: Archive, version_no: int) -> str:
    """The fixed key of a stored version's content as read from its parse and attachments."""
    with archive.session() as session:
        version = session.scalars(sa.select(Version).where(Version.version_no == version_no)).one()
        return fixed_key(report_content(version.report_json, [], page_text=version.document_url == version.page_url))


def test_the_fixed_key_leaves_out_paragraphs_and_nothing_else() -> None:
    other_text = replace(PAGE_TEXT, paragraphs=((0, "前言"),))
    assert fixed_key(other_text) == fixed_key(PAGE_TEXT)
    assert content_key(other_text) != content_key(PAGE_TEXT)
    for field, value in (("metadata", ()), ("cells", (("a.b.c", "5"),)), ("attachments", ()), ("unparsed", "f" * 64)):
        changed = replace(PAGE_TEXT, **{field: value})
        assert fixed_key(changed) != fixed_key(PAGE_TEXT), field


def test_each_recorded_version_stores_its_fixed_key(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    archive.record(capture_of(data.replace(REVISED[0].encode(), REVISED[1].encode(), 1), minutes=5))
    keys = stored_keys(archive)
    assert [fixed for _, fixed, _ in keys] == [own_fixed_key(archive, 1), own_fixed_key(archive, 2)]
    assert keys[0][1] != keys[1][1]


def test_versions_without_a_fixed_key_are_compared_in_full_and_given_one(archive: Archive, seed) -> None:
    """Versions recorded before revision 0010: a revert to one of them is still found."""
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    archive.record(capture_of(data.replace(REVISED[0].encode(), REVISED[1].encode(), 1), minutes=5))
    with archive.engine.begin() as conn:
        conn.execute(sa.update(Version).values(fixed_key=None))
    back = archive.record(capture_of(data, minutes=10))
    assert (back.outcome, back.version_no) == ("new_version", 3)
    with archive.session() as session:
        assert session.get(Version, back.version_id).reverted_to == 1
    assert [fixed for _, fixed, _ in stored_keys(archive)] == [own_fixed_key(archive, n) for n in (1, 2, 3)]


def test_a_latest_version_without_a_fixed_key_found_unchanged_is_given_one(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    with archive.engine.begin() as conn:
        # As revision 0010 leaves it, and with a key no content has, so that the full path decides.
        conn.execute(sa.update(Version).values(fixed_key=None, content_key="0" * 64))
    assert archive.record(capture_of(data, minutes=5)).outcome == "unchanged"
    [(_, fixed, key)] = stored_keys(archive)
    assert fixed == own_fixed_key(archive, 1) and key != "0" * 64


def test_a_reparse_stores_the_fixed_key_of_the_new_parse(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    with archive.engine.begin() as conn:
        conn.execute(sa.update(Version).values(fixed_key="0" * 64))
    reparse(archive.engine, archive.blobs)
    [(_, fixed, _)] = stored_keys(archive)
    assert fixed == own_fixed_key(archive, 1)


def test_revision_0010_adds_an_empty_fixed_key_column(db_url: str) -> None:
    check_revision_adds_nullable_column(db_url, "0009", "versions", "fixed_key")
